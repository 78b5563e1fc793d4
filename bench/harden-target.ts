/**
 * The server process for bench/harden.ts: the large data set in a temporary database, the real
 * app on loopback with 64 customers of the big company (every permission, a session each),
 * trusting X-Forwarded-For so one load generator can stand for many client addresses. Reports
 * over IPC; asked 'limiters', answers how many keys each limiter holds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../server/app.js';
import { createContact } from '../server/companies/data.js';
import { openDatabase } from '../server/db/index.js';
import type { RateLimiter } from '../server/http/rate-limit.js';
import { defaultSettings } from '../server/settings.js';
import { loadLargeData } from './large-data.js';

export interface HardenReady {
  type: 'ready';
  url: string;
  slug: string;
  /** Bearer tokens of the 64 customers. */
  tokens: string[];
  /** Job ids of the big company, for single reads. */
  jobIds: number[];
  /** Open ones among them (a customer may edit only those). */
  openJobIds: number[];
  jobs: number;
  /** The write limits as raised for the mixed run. */
  writeLimit: number;
}

export interface LimiterSizes {
  type: 'limiters';
  sizes: Record<string, { size: number; capacity: number; evicted: number }>;
}

const dir = mkdtempSync(join(tmpdir(), 'portal-bench-harden-'));
const db = openDatabase(join(dir, 'portal.db'));
const data = await loadLargeData(db);
// The mixed run measures the server under load, not the write limits: 64 customers writing
// several times a second would be refused by design (test/server/write-limits.test.ts).
const writeLimit = 10_000_000;
const app = createApp(
  db,
  defaultSettings({
    log: () => {},
    trustProxy: true,
    writeLimits: { perContact: { limit: writeLimit, windowMs: 60_000 }, perProvider: { limit: writeLimit, windowMs: 60_000 } },
  }),
);
const tokens: string[] = [];
for (let i = 0; i < 64; i++) {
  const id = createContact(db, data.providerId, {
    companyId: data.companyId,
    email: `load${i}@bench.example`,
    name: `Load ${i}`,
    permissions: { jobs: 'edit_all', quotes: 'edit_all', createJobs: true, createQuotes: true, equipment: 'add', details: 'edit' },
  });
  tokens.push((await app.deps.auth.create(id, data.providerId)).token);
}
const jobIds = db.prepare('SELECT id FROM jobs WHERE company_id = ? ORDER BY id LIMIT 2000').pluck().all(data.companyId) as number[];
const openJobIds = db
  .prepare("SELECT id FROM jobs WHERE company_id = ? AND status NOT IN ('completed', 'cancelled') ORDER BY id LIMIT 2000")
  .pluck()
  .all(data.companyId) as number[];

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  process.send!({ type: 'ready', url: `http://127.0.0.1:${info.port}`, slug: data.slug, tokens, jobIds, openJobIds, jobs: data.jobs, writeLimit } satisfies HardenReady);
});

function shutdown(): void {
  server.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
process.on('message', (m) => {
  if (m === 'limiters') {
    const sizes: LimiterSizes['sizes'] = {};
    for (const [name, l] of Object.entries(app.deps.limits)) {
      const r = l as RateLimiter;
      sizes[name] = { size: r.size, capacity: r.capacity, evicted: r.evicted };
    }
    process.send!({ type: 'limiters', sizes } satisfies LimiterSizes);
  }
  if (m === 'stop') shutdown();
});
process.on('disconnect', shutdown);
