// Prints min+gzip size of each entry with everything it imports (static imports only), so "the
// login path" is what a page that shows only the login form downloads, and checks the budgets in
// budgets.json: the build fails naming the entry and its size when one is exceeded, or when code
// that must load lazily (Leaflet, the map) is in what an entry loads eagerly.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = resolve(process.argv[2] ?? 'dist');
const root = resolve('.');
const budgets = JSON.parse(readFileSync(resolve(process.argv[3] ?? 'budgets.json'), 'utf8'));
const entries = readdirSync(dist).filter((f) => f.endsWith('.js'));
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
// Static imports only: `import(...)` is lazy, and `import"x"` / `from"x"` are not.
const imports = (file) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:\bimport|\bexport)\s*(?:[\w*{}\s,$]+from\s*)?["'](\.[^"']+)["']/g)].map((m) =>
    resolve(dirname(file), m[1]),
  );

function closure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const dep of imports(file)) closure(dep, seen);
  return seen;
}
const measure = (files) => ({ min: files.reduce((s, f) => s + readFileSync(f).length, 0), gzip: files.reduce((s, f) => s + gz(f), 0) });
/**
 * The sources a file was built from, from its source map, relative to the project (the maps'
 * relative paths do not start from the map's own folder, so the leading ../ are dropped).
 */
const sources = (file) =>
  existsSync(`${file}.map`) ? JSON.parse(readFileSync(`${file}.map`, 'utf8')).sources.map((s) => (s.startsWith('/') ? s.slice(root.length + 1) : s.replace(/^(\.\.\/)+/, ''))) : [];

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log('\nBundle sizes (entry + its static imports):');
for (const e of entries) {
  const r = measure([...closure(join(dist, e))]);
  console.log(`  ${e.padEnd(18)} ${kb(r.min).padStart(9)} min  ${kb(r.gzip).padStart(8)} min+gzip`);
}

const failures = [];
console.log('Budgets (budgets.json):');
for (const budget of budgets.entries) {
  const missing = budget.entries.filter((e) => !entries.includes(e));
  if (missing.length) {
    failures.push(`${budget.name}: ${missing.join(', ')} not built`);
    continue;
  }
  const files = new Set(budget.entries.flatMap((e) => [...closure(join(dist, e))]));
  const { gzip } = measure([...files]);
  const over = gzip > budget.maxGzipKB * 1024;
  console.log(`  ${budget.name.padEnd(18)} ${kb(gzip).padStart(8)} (${gzip} of ${budget.maxGzipKB * 1024} bytes)  ${over ? 'OVER' : 'ok'}`);
  if (over) failures.push(`${budget.name} (${budget.entries.join(' + ')}) is ${kb(gzip)} min+gzip, over its budget of ${budget.maxGzipKB} KB`);
}
for (const e of entries.filter((e) => !budgets.lazyOnly.entries.includes(e))) {
  for (const file of closure(join(dist, e))) {
    for (const source of sources(file)) {
      const lazy = budgets.lazyOnly.sources.find((p) => source.startsWith(p));
      if (lazy) failures.push(`${e} loads ${lazy} eagerly (in ${file.slice(dist.length + 1)}); it must come in a lazily imported chunk`);
    }
  }
}
if (failures.length) {
  console.error(`\nBudget exceeded:\n${[...new Set(failures)].map((f) => `  ${f}`).join('\n')}`);
  process.exit(1);
}
console.log('  lazy only:         ' + budgets.lazyOnly.sources.join(', ') + ' (in no eager import): ok');
