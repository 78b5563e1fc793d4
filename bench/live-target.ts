/**
 * The fan-out benchmark's server process (forked by bench/live.ts, so 1,000 clients do not share
 * its event loop): the real server on loopback over a fresh database with one provider, one
 * company, 1,000 contacts with a session each and one job; reports memory over IPC when asked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey } from '../server/providers/api-keys.js';
import { createCompany, createContact } from '../server/companies/data.js';
import { insertJob } from '../server/jobs/data.js';
import { createProvider } from '../server/providers/data.js';
import { startServer } from '../server/server.js';
import { createAuth } from '../server/auth/index.js';

export interface FanOutReady {
  type: 'ready';
  url: string;
  key: string;
  jobId: number;
  tokens: string[];
}

export interface FanOutMemory {
  type: 'memory';
  heapUsed: number;
  external: number;
  rss: number;
}

const CLIENTS = Number(process.env.FANOUT_CLIENTS ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'portal-bench-live-'));
const server = await startServer({ dataDir: dir, port: 0, settings: { log: () => undefined } });
const db = server.db;
const provider = createProvider(db, { slug: 'fanout', name: 'Fan-out' });
const company = createCompany(db, provider.id, { name: 'Fan-out Co' });
const auth = createAuth(db, { sessionTtlMs: 3_600_000 });
const tokens: string[] = [];
db.transaction(() => {
  for (let i = 0; i < CLIENTS; i++) createContact(db, provider.id, { companyId: company, email: `c${i}@fanout.example`, name: `C${i}`, permissions: { jobs: 'view_all' } });
})();
const contacts = db.prepare('SELECT id FROM contacts WHERE provider_id = ? ORDER BY id').pluck().all(provider.id) as number[];
for (const id of contacts) tokens.push((await auth.create(id, provider.id)).token);
const jobId = insertJob(db, provider.id, { companyId: company, title: 'Fan-out job', source: 'office' });
const key = createApiKey(db, provider.id, 'bench').key;

const memory = (): FanOutMemory => {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return { type: 'memory', heapUsed: m.heapUsed, external: m.external + m.arrayBuffers, rss: m.rss };
};

process.on('message', async (m) => {
  if (m === 'memory') process.send!(memory());
  if (m === 'stop') {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
});
process.send!({ type: 'ready', url: server.url.replace('localhost', '127.0.0.1'), key, jobId, tokens } satisfies FanOutReady);
