// Prints min+gzip size of each entry with everything it imports (static imports only),
// so "the login path" is what a page that shows only the login form downloads.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = resolve('dist');
const entries = readdirSync(dist).filter((f) => f.endsWith('.js'));
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const imports = (file) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["'](\.[^"']+)["']/g)].map((m) =>
    resolve(dirname(file), m[1]),
  );

function closure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const dep of imports(file)) closure(dep, seen);
  return seen;
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const rows = entries.map((e) => {
  const files = [...closure(join(dist, e))];
  return { entry: e, min: files.reduce((s, f) => s + readFileSync(f).length, 0), gzip: files.reduce((s, f) => s + gz(f), 0) };
});
console.log('\nBundle sizes (entry + its static imports):');
for (const r of rows) console.log(`  ${r.entry.padEnd(18)} ${kb(r.min).padStart(9)} min  ${kb(r.gzip).padStart(8)} min+gzip`);
