/**
 * The upload benchmark's server process (forked by bench/uploads.ts, so the client's buffers
 * are not counted in the server's memory): the real app on loopback with a temporary DATA_DIR,
 * one contact with as many portal jobs as uploads (so no upload is a repeat of another), the
 * test photos (made by the parent), and on request over IPC: the baseline (the same bytes written to
 * disk and flushed), and its own resident memory (now, and the peak since the last reset).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../server/app.js';
import { createApiKey } from '../server/providers/api-keys.js';
import { createCompany, createContact } from '../server/companies/data.js';
import { insertJob } from '../server/jobs/data.js';
import { createProvider } from '../server/providers/data.js';
import { openDatabase } from '../server/db/index.js';
import { defaultSettings } from '../server/settings.js';

export interface UploadTargetReady {
  type: 'ready';
  url: string;
  token: string;
  /** A provider API key, for documents (stored as sent: streamed and sniffed, not re-encoded). */
  apiKey: string;
  jobs: number[];
  photos: { ten: string; fifteen: string };
}

const mem = (field: 'VmRSS' | 'VmHWM'): number => {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(field))!;
  return Number(/(\d+)/.exec(line)![1]) * 1024;
};

const dir = mkdtempSync(join(tmpdir(), 'portal-bench-files-'));
const db = openDatabase(join(dir, 'portal.db'));
const app = createApp(db, defaultSettings({ log: () => {}, filesDir: join(dir, 'files') }));
const p = createProvider(db, { slug: 'bench-photos', name: 'Bench Photos' });
const company = createCompany(db, p.id, { name: 'Bench Co' });
const contact = createContact(db, p.id, { companyId: company, email: 'bench@example.com', name: 'Bench', permissions: { jobs: 'edit_own', createJobs: true } });
const jobs = Array.from({ length: 40 }, (_, i) => insertJob(db, p.id, { companyId: company, title: `Bench job ${i}`, source: 'portal', createdByContactId: contact, status: 'scheduled' }));
const { token } = await app.deps.auth.create(contact, p.id);

// Made by the parent: generating them here would leave their buffers in this process's memory.
const [ten, fifteen] = process.argv.slice(2) as [string, string];

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise((ok) => server.once('listening', ok));
const { port } = server.address() as AddressInfo;
process.send!({ type: 'ready', url: `http://127.0.0.1:${port}`, token, apiKey: createApiKey(db, p.id, 'bench').key, jobs, photos: { ten, fifteen } } satisfies UploadTargetReady);

/** The baseline: the same bytes written to a new file on the same disk and flushed, as an upload is. */
async function diskWrite(path: string): Promise<number> {
  const bytes = readFileSync(path);
  const target = join(dir, `plain-${Date.now()}.bin`);
  const started = performance.now();
  await writeFile(target, bytes);
  const handle = await open(target, 'r+');
  await handle.sync();
  await handle.close();
  const ms = performance.now() - started;
  rmSync(target);
  return ms;
}

// Request bodies pass through as Buffers that V8 frees only at its next GC: their peak is
// sampled, to tell that garbage apart from memory held on purpose.
let buffersPeak = 0;
setInterval(() => (buffersPeak = Math.max(buffersPeak, process.memoryUsage().arrayBuffers)), 5).unref();

process.on('message', async (m: { op: string; path?: string }) => {
  if (m.op === 'disk') process.send!({ op: 'disk', ms: await diskWrite(m.path!) });
  if (m.op === 'rss') {
    globalThis.gc?.();
    // Writing 5 to clear_refs resets the peak (VmHWM) to the current size.
    writeFileSync('/proc/self/clear_refs', '5');
    buffersPeak = 0;
    process.send!({ op: 'rss', rss: mem('VmRSS'), buffers: process.memoryUsage().arrayBuffers });
  }
  if (m.op === 'peak') process.send!({ op: 'peak', peak: mem('VmHWM'), buffersPeak });
  if (m.op === 'stop') shutdown();
});

function shutdown(): void {
  server.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
process.on('disconnect', shutdown);
