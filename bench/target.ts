/**
 * The benchmark's server process (forked by bench/run.ts, so the load generator does not share
 * its event loop): builds the large data set in a temporary database, serves on loopback the real
 * app, the real app with its response cache off (every request runs the query), and a bare Hono
 * app; counts SQL statements per request, and reports over IPC.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from '../server/app.js';
import { openDatabase, sqlStats } from '../server/db/index.js';
import { defaultSettings } from '../server/settings.js';
import { loadLargeData } from './large-data.js';
import { buildMix, type Mix } from './mix.js';

export interface TargetReady {
  type: 'ready';
  realUrl: string;
  /** The real app with `responseCacheChars: 0`, on the same database. */
  uncachedUrl: string;
  bareUrl: string;
  token: string;
  /** Path and query of the measured request. */
  path: string;
  search: string;
  status: string;
  /** Rows matching the search and filter in the contact's company. */
  matches: number;
  bodyBytes: number;
  load: { ms: number; jobs: number; events: number; companies: number; companyJobs: number };
  /** SQL statements for one request, per page size, with the rows it returned: a repeat (cache hit) and with the cache off. */
  statements: { limit: number; hit: number; uncached: number; rows: number }[];
  /** The realistic mix (bench/mix.ts), requested against the real app as deployed. */
  mix: Mix;
}

/** How many different requests the mix holds: more than a round sends, so a round never wraps. */
export const MIX_SIZE = 60_000;

/** Sent when asked ('stats'): the real app's response cache counters. */
export interface TargetStats {
  type: 'stats';
  hits: number;
  misses: number;
}

function listen(app: { fetch: Hono['fetch'] }): Promise<{ server: ServerType; url: string }> {
  return new Promise((ok, fail) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => ok({ server, url: `http://127.0.0.1:${info.port}` }));
    server.once('error', fail);
  });
}

const dir = mkdtempSync(join(tmpdir(), 'portal-bench-'));
const db = openDatabase(join(dir, 'portal.db'));
const data = await loadLargeData(db);
// The real app, as deployed, minus the per-request log line (it would go to the terminal).
const app = createApp(db, defaultSettings({ log: () => {} }));
const uncachedApp = createApp(db, defaultSettings({ log: () => {}, responseCacheChars: 0 }));

const login = await app.request(`/api/portal/${data.slug}/session`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ email: data.email, password: data.password }),
});
if (login.status !== 201) throw new Error(`login failed: ${login.status} ${await login.text()}`);
const { token } = (await login.json()) as { token: string };
const auth = { Authorization: `Bearer ${token}` };

// A search and status that hit more than a page of the contact's company's jobs.
const matchCount = db.prepare("SELECT count(*) FROM jobs WHERE provider_id = ? AND company_id = ? AND status = ? AND search LIKE ? ESCAPE '\\'").pluck();
const candidates: [string, string][] = [['leak', 'scheduled'], ['drain', 'on_hold'], ['tap', 'completed']];
const [search, status] = candidates.find(([q, s]) => (matchCount.get(data.providerId, data.companyId, s, `%${q}%`) as number) > 20) ?? candidates[0]!;
const matches = matchCount.get(data.providerId, data.companyId, status, `%${search}%`) as number;
const pathFor = (limit: number): string => `/api/portal/${data.slug}/jobs?q=${search}&status=${status}&limit=${limit}`;

async function countStatements(a: typeof app, path: string): Promise<{ statements: number; rows: number }> {
  const before = sqlStats.statements;
  const res = await a.request(path, { headers: auth });
  const counted = sqlStats.statements - before;
  const body = (await res.json()) as { items: unknown[] };
  return { statements: counted, rows: body.items.length };
}
const statements: TargetReady['statements'] = [];
for (const limit of [5, 20, 100]) {
  // The first run prepares statements (and fills the cache); count the second.
  await app.request(pathFor(limit), { headers: auth });
  await uncachedApp.request(pathFor(limit), { headers: auth });
  const hit = await countStatements(app, pathFor(limit));
  const uncached = await countStatements(uncachedApp, pathFor(limit));
  statements.push({ limit, hit: hit.statements, uncached: uncached.statements, rows: uncached.rows });
}
app.deps.cache.hits = app.deps.cache.misses = 0;

const path = pathFor(20);
const realRes = await app.request(path, { headers: auth });
if (realRes.status !== 200) throw new Error(`GET ${path}: ${realRes.status}`);
const realBody = await realRes.text();
// The bare route answers the same page, serialised per request like the real one.
const page: unknown = JSON.parse(realBody);
const bare = new Hono().get(`/api/portal/${data.slug}/jobs`, (c) => c.json(page));

const real = await listen(app);
const uncached = await listen(uncachedApp);
const bareServer = await listen(bare);
const bareBody = await (await fetch(bareServer.url + path, { headers: auth })).text();
if (bareBody.length !== realBody.length) throw new Error(`bare body ${bareBody.length} bytes, real ${realBody.length}`);

const mix = await buildMix(db, app, data.providerId, data.slug, MIX_SIZE);

const companyJobs = db.prepare('SELECT count(*) FROM jobs WHERE company_id = ?').pluck().get(data.companyId) as number;
const ready: TargetReady = {
  type: 'ready',
  realUrl: real.url,
  uncachedUrl: uncached.url,
  bareUrl: bareServer.url,
  token,
  path,
  search,
  status,
  matches,
  bodyBytes: Buffer.byteLength(realBody),
  load: { ms: data.ms, jobs: data.jobs, events: data.events, companies: data.companies, companyJobs },
  statements,
  mix,
};
process.send!(ready);

function shutdown(): void {
  real.server.close();
  uncached.server.close();
  bareServer.server.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
process.on('message', (m) => {
  if (m === 'stats') process.send!({ type: 'stats', hits: app.deps.cache.hits, misses: app.deps.cache.misses } satisfies TargetStats);
  // Before each mix round: a cold cache, and counters for that round alone.
  if (m === 'cold') {
    app.deps.cache.clear();
    app.deps.cache.hits = app.deps.cache.misses = 0;
    process.send!({ type: 'cold' });
  }
  if (m === 'stop') shutdown();
});
// If the parent goes away, do not linger.
process.on('disconnect', shutdown);
