// `npm test`: type check, build, server tests, element tests, end-to-end tests.
// Every stage runs even when an earlier one fails; the last line is the summary.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const out = '.test-output';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

let passed = 0;
let failed = 0;
const lines = [];

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function check(name, ok) {
  ok ? passed++ : failed++;
  lines.push(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
}

const files = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.test.ts'))
        .sort()
        .map((f) => join(dir, f))
    : [];

function nodeTests(name, dir, extra = []) {
  const list = files(dir);
  if (!list.length) return;
  const tap = join(out, `${name}.tap`);
  const ok = run(process.execPath, [
    '--import', 'tsx',
    '--test',
    ...extra,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...list,
  ]);
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (k) => Number([...text.matchAll(new RegExp(`^# ${k} (\\d+)$`, 'gm'))].at(-1)?.[1] ?? 0);
  const p = count('pass');
  const f = count('fail') + count('cancelled');
  passed += p;
  failed += f;
  if (!ok && f === 0) failed++; // the runner itself failed (a file that does not load)
  lines.push(`${name}: ${p} passed, ${f} failed`);
}

console.log('\n== chromium');
check('chromium installed', run('bash', ['scripts/ensure-chromium.sh']));
console.log('\n== type check');
check('type check (tsc)', run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']));
console.log('\n== build');
check('build (rollup)', run('npm', ['run', 'build', '--silent']));

console.log('\n== server tests');
// Every answer the server tests get is checked against the generated OpenAPI document.
nodeTests('server', 'test/server', ['--import', './test/server/contract-check.ts']);

console.log('\n== element tests');
const wtrCounts = join(out, 'elements.json');
const wtrOk = run(process.execPath, [
  '--import', 'tsx',
  'node_modules/@web/test-runner/dist/bin.js',
  '--config', 'test/web-test-runner.config.mjs',
], { WTR_COUNTS: wtrCounts });
if (existsSync(wtrCounts)) {
  const c = JSON.parse(readFileSync(wtrCounts, 'utf8'));
  passed += c.passed;
  failed += c.failed;
  if (!wtrOk && c.failed === 0) failed++;
  lines.push(`elements: ${c.passed} passed, ${c.failed} failed`);
} else {
  failed++;
  lines.push('elements: the runner did not report');
}

console.log('\n== end-to-end tests');
nodeTests('e2e', 'test/e2e', ['--test-concurrency=1']);

console.log('\n' + lines.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
