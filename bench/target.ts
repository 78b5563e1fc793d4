/**
 * The benchmark's server process (forked by bench/run.ts, so the load generator does not share
 * its event loop): builds the large data set in a temporary database, serves the real app and a
 * bare Hono app on loopback, counts SQL statements per request, and reports over IPC.
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

export interface TargetReady {
  type: 'ready';
  realUrl: string;
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
  /** SQL statements for one request, per page size, with the rows it returned. */
  statements: { limit: number; statements: number; rows: number }[];
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

const statements: TargetReady['statements'] = [];
for (const limit of [5, 20, 100]) {
  await app.request(pathFor(limit), { headers: auth }); // the first run prepares statements; count the second
  const before = sqlStats.statements;
  const res = await app.request(pathFor(limit), { headers: auth });
  const counted = sqlStats.statements - before;
  const body = (await res.json()) as { items: unknown[] };
  statements.push({ limit, statements: counted, rows: body.items.length });
}

const path = pathFor(20);
const realRes = await app.request(path, { headers: auth });
if (realRes.status !== 200) throw new Error(`GET ${path}: ${realRes.status}`);
const realBody = await realRes.text();
// The bare route answers the same page, serialised per request like the real one.
const page: unknown = JSON.parse(realBody);
const bare = new Hono().get(`/api/portal/${data.slug}/jobs`, (c) => c.json(page));

const real = await listen(app);
const bareServer = await listen(bare);
const bareBody = await (await fetch(bareServer.url + path, { headers: auth })).text();
if (bareBody.length !== realBody.length) throw new Error(`bare body ${bareBody.length} bytes, real ${realBody.length}`);

const companyJobs = db.prepare('SELECT count(*) FROM jobs WHERE company_id = ?').pluck().get(data.companyId) as number;
const ready: TargetReady = {
  type: 'ready',
  realUrl: real.url,
  bareUrl: bareServer.url,
  token,
  path,
  search,
  status,
  matches,
  bodyBytes: Buffer.byteLength(realBody),
  load: { ms: data.ms, jobs: data.jobs, events: data.events, companies: data.companies, companyJobs },
  statements,
};
process.send!(ready);

function shutdown(): void {
  real.server.close();
  bareServer.server.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
process.on('message', (m) => {
  if (m === 'stop') shutdown();
});
// If the parent goes away, do not linger.
process.on('disconnect', shutdown);
