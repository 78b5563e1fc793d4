/**
 * `npm run bench`: with the large data set loaded, one page of a contact's jobs (search and
 * status filter on) through the real app, against a bare Hono route answering a fixed JSON page
 * of the same size; both through @hono/node-server on loopback, loaded by autocannon with the
 * same settings. Prints req/s, p50, p99, bytes per response and the ratio, and SQL statements
 * per request for several page sizes. It reports; it does not fail on a missed target.
 *
 * The servers run in a child process (bench/target.ts): autocannon in the same event loop
 * would take its CPU time from the server it measures.
 */
import { authTiming, printAuthTiming } from './auth-timing.js';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import type { TargetReady } from './target.js';

const CONNECTIONS = 32;
const DURATION_S = 10;
const WARMUP_S = 3;
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 25;

const started = performance.now();
console.log(`Benchmark: ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('Building the large data set in a temporary database...');

const child = fork(fileURLToPath(new URL('./target.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
const exited = once(child, 'exit');
const ready = (await Promise.race([
  once(child, 'message').then(([m]) => m as TargetReady),
  exited.then(([code]) => {
    throw new Error(`the benchmark server exited early (code ${code})`);
  }),
])) as TargetReady;

const { load } = ready;
console.log(
  `Loaded ${load.jobs.toLocaleString('en')} jobs with ${load.events.toLocaleString('en')} timeline entries over ` +
    `${load.companies.toLocaleString('en')} companies in ${(load.ms / 1000).toFixed(1)} s ` +
    `(one transaction; the contact's company has ${load.companyJobs.toLocaleString('en')} jobs).`,
);
console.log(`Request: GET ${ready.path}  (${ready.matches} matching jobs; page body ${ready.bodyBytes} bytes)\n`);

const headers = { Authorization: `Bearer ${ready.token}` };
const run = (base: string, duration: number): Promise<Result> =>
  autocannon({ url: base + ready.path, connections: CONNECTIONS, duration, headers, timeout: 10 });

// Warm both (JIT, statement cache, page cache), then measure each alone with the same settings.
await run(ready.realUrl, WARMUP_S);
await run(ready.bareUrl, WARMUP_S);
const real = await run(ready.realUrl, DURATION_S);
const bare = await run(ready.bareUrl, DURATION_S);

child.send('stop');
await exited;

const bytesPerResponse = (r: Result): number => Math.round(r.throughput.total / Math.max(1, r.requests.total));
const row = (name: string, r: Result): string =>
  [
    name.padEnd(34),
    r.requests.average.toFixed(0).padStart(8),
    r.latency.p50.toFixed(1).padStart(8),
    r.latency.p99.toFixed(1).padStart(8),
    String(bytesPerResponse(r)).padStart(12),
    String(r.requests.total).padStart(9),
    String(r.non2xx + r.errors + r.timeouts).padStart(7),
  ].join('');
console.log(`${CONNECTIONS} connections, ${DURATION_S} s each, after ${WARMUP_S} s warm-up each, autocannon on loopback (bytes/resp: body and headers):`);
console.log(['route'.padEnd(34), 'req/s'.padStart(8), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'bytes/resp'.padStart(12), 'requests'.padStart(9), 'errors'.padStart(7)].join(''));
console.log(row('real: GET jobs (auth, q, status)', real));
console.log(row('bare Hono: fixed JSON page', bare));

const ratio = real.requests.average / bare.requests.average;
const failed = real.non2xx + real.errors + real.timeouts + bare.non2xx + bare.errors + bare.timeouts;
const counts = ready.statements.map((s) => s.statements);
const constant = counts.every((c) => c === counts[0]);
const verdict = (ok: boolean): string => (ok ? 'MET' : 'NOT MET');

console.log(`\nratio real/bare req/s: ${ratio.toFixed(2)}   target >= ${TARGET_RATIO}: ${verdict(ratio >= TARGET_RATIO)}`);
console.log(`real p99: ${real.latency.p99.toFixed(1)} ms   target < ${TARGET_P99_MS} ms at ${CONNECTIONS} connections: ${verdict(real.latency.p99 < TARGET_P99_MS)}`);
console.log(
  `SQL statements per request: ${ready.statements.map((s) => `limit ${s.limit} (${s.rows} rows) → ${s.statements}`).join(', ')}   ` +
    `target constant: ${verdict(constant)}`,
);
if (failed) console.log(`WARNING: ${failed} requests failed or were not 2xx; the figures above are not trustworthy.`);

// Accounts: does the answer's timing reveal which emails exist? (target: ratios near 1.00)
printAuthTiming(await authTiming());
console.log(`\nTotal bench time ${((performance.now() - started) / 1000).toFixed(0)} s. Load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')}.`);
