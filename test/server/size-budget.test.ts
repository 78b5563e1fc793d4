/**
 * The build's budget check (scripts/size-report.mjs with budgets.json): it fails naming the entry
 * and its size, and when Leaflet or the map is loaded eagerly. Run on small made-up builds, so
 * each case is exact; the real build runs it at the end of `npm run build`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { randomBytes } from 'node:crypto';

const script = resolve('scripts/size-report.mjs');
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A made-up dist: `files` name → [code, sources its map names (relative to the project)]. */
function build(files: Record<string, [string, string[]?]>, budgets: unknown): { dist: string; budgets: string } {
  const dir = mkdtempSync(join(tmpdir(), 'budget-'));
  dirs.push(dir);
  const dist = join(dir, 'dist');
  mkdirSync(join(dist, 'chunks'), { recursive: true });
  for (const [name, [code, sources]] of Object.entries(files)) {
    writeFileSync(join(dist, name), code);
    if (sources) {
      // As rollup writes them: relative, behind some ../ (not from the map's own folder).
      writeFileSync(join(dist, `${name}.map`), JSON.stringify({ version: 3, sources: sources.map((s) => `../../../${s}`), mappings: '' }));
    }
  }
  const path = join(dir, 'budgets.json');
  writeFileSync(path, JSON.stringify(budgets));
  return { dist, budgets: path };
}

const run = (b: { dist: string; budgets: string }) => spawnSync(process.execPath, [script, b.dist, b.budgets], { encoding: 'utf8' });
// Random bytes do not compress: n bytes weigh about n bytes gzipped.
const weight = (bytes: number): string => `/*${randomBytes(bytes).toString('base64')}*/`;
const BUDGETS = {
  entries: [
    { name: 'login path', entries: ['portal-root.js', 'portal-login.js'], maxGzipKB: 2 },
    { name: 'portal.js', entries: ['portal.js'], maxGzipKB: 4 },
  ],
  lazyOnly: { sources: ['node_modules/leaflet/', 'widget/elements/job-map/'], entries: ['job-map.js'] },
};

describe('bundle budgets in the build', () => {
  test('within budget: passes, and the map may be in a lazily imported chunk', () => {
    const res = run(
      build(
        {
          'portal-root.js': ['import"./chunks/root-a.js";'],
          'portal-login.js': ['import{x}from"./chunks/root-a.js";'],
          'portal.js': ['import"./chunks/root-a.js";const m=()=>import("./chunks/map-b.js");', ['widget/index.ts']],
          'chunks/root-a.js': [weight(500), ['widget/elements/portal-root/portal-root.ts']],
          'chunks/map-b.js': [weight(300), ['node_modules/leaflet/dist/leaflet-src.esm.js', 'widget/elements/job-map/job-map.ts']],
        },
        BUDGETS,
      ),
    );
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /login path\s+[\d.]+ KB \(\d+ of 2048 bytes\)\s+ok/);
  });

  test('the login path over budget fails the build, naming it and its size; shared chunks count once', () => {
    const res = run(
      build(
        {
          'portal-root.js': ['import"./chunks/root-a.js";'],
          'portal-login.js': ['import"./chunks/root-a.js";import"./chunks/login-c.js";'],
          'portal.js': ['import"./chunks/root-a.js";'],
          'chunks/root-a.js': [weight(1200)],
          'chunks/login-c.js': [weight(1200)],
        },
        BUDGETS,
      ),
    );
    assert.equal(res.status, 1);
    const size = /login path \(portal-root\.js \+ portal-login\.js\) is ([\d.]+) KB min\+gzip, over its budget of 2 KB/.exec(res.stderr);
    assert.ok(size, res.stderr);
    // root-a counted twice would make it about 3.5 KB.
    assert.ok(Number(size[1]) > 2 && Number(size[1]) < 3, `counted once: ${size[1]} KB`);
    assert.doesNotMatch(res.stderr, /portal\.js \(/, 'portal.js is within its budget');
  });

  test('Leaflet or the map in an eager import fails the build, naming the entry and the chunk', () => {
    const res = run(
      build(
        {
          'portal-root.js': [''],
          'portal-login.js': [''],
          'portal.js': ['import"./chunks/map-b.js";'],
          'job-map.js': ['import"./chunks/map-b.js";'],
          'chunks/map-b.js': ['x', ['node_modules/leaflet/dist/leaflet-src.esm.js', 'widget/elements/job-map/job-map.ts']],
        },
        BUDGETS,
      ),
    );
    assert.equal(res.status, 1);
    assert.doesNotMatch(res.stderr, /job-map\.js loads/, "the map's own entry may load the map");
    assert.match(res.stderr, /portal\.js loads node_modules\/leaflet\/ eagerly \(in chunks\/map-b\.js\)/);
    assert.match(res.stderr, /portal\.js loads widget\/elements\/job-map\/ eagerly/);
  });

  test('an entry named in the budgets but not built fails the build', () => {
    const res = run(build({ 'portal-root.js': [''], 'portal.js': [''] }, BUDGETS));
    assert.equal(res.status, 1);
    assert.match(res.stderr, /login path: portal-login\.js not built/);
  });

  test('the committed budgets are the ones the issue sets', () => {
    const committed = JSON.parse(readFileSync('budgets.json', 'utf8'));
    assert.deepEqual(
      committed.entries.map((e: { name: string; entries: string[]; maxGzipKB: number }) => [e.entries, e.maxGzipKB]),
      [[['portal-root.js', 'portal-login.js'], 15], [['portal.js'], 45]],
    );
    assert.deepEqual(committed.lazyOnly, { sources: ['node_modules/leaflet/', 'widget/elements/job-map/'], entries: ['job-map.js'] });
  });
});
