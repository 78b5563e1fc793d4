/**
 * Crash safety: the server is killed with SIGKILL in the middle of a stream of writes, then
 * started again on the same file. Every write it acknowledged is there, and SQLite's
 * integrity check passes.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { createApiKey } from '../../server/providers/api-keys.js';
import { createProvider } from '../../server/providers/data.js';
import { openDatabase } from '../../server/db/index.js';

async function start(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/server/crash-server.ts', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const [url] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => [null])])) as [string | null];
  assert.ok(url, 'the server started');
  return { child, url };
}

describe('a server killed mid-write', () => {
  test('every acknowledged write survives SIGKILL; the database passes its integrity check and serves again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'portal-crash-'));
    const seed = openDatabase(join(dataDir, 'portal.db'));
    const acme = createProvider(seed, { slug: 'acme', name: 'Acme Plumbing' });
    const { key } = createApiKey(seed, acme.id, 'office');
    seed.close();

    const first = await start(dataDir);
    const acked = new Map<number, string>();
    let stop = false;
    let sent = 0;
    const writer = async (n: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const name = `Company ${n}-${i}`;
        sent++;
        try {
          const res = await fetch(`${first.url}/api/provider/v1/companies`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ name, address: `${i} Crash Street` }),
          });
          if (res.status === 201) acked.set(((await res.json()) as { id: number }).id, name);
        } catch {
          return; // the server is gone: this write was never acknowledged
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, n) => writer(n));
    while (acked.size < 400) await new Promise((r) => setTimeout(r, 5));
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    stop = true;
    await Promise.all(writers);
    assert.ok(sent > acked.size, `writes were in flight when it died (${sent} sent, ${acked.size} acknowledged)`);

    // Opened as the next start-up opens it (recovering the WAL).
    const db = openDatabase(join(dataDir, 'portal.db'));
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      const names = new Map((db.prepare('SELECT id, name FROM companies').all() as { id: number; name: string }[]).map((r) => [r.id, r.name]));
      const lost = [...acked].filter(([id, name]) => names.get(id) !== name);
      assert.deepEqual(lost, [], `all ${acked.size} acknowledged writes are present`);
    } finally {
      db.close();
    }

    const second = await start(dataDir);
    try {
      const some = [...acked.keys()].slice(-5);
      for (const id of some) {
        const res = await fetch(`${second.url}/api/provider/v1/companies/${id}`, { headers: { authorization: `Bearer ${key}` } });
        assert.equal(res.status, 200);
        assert.equal(((await res.json()) as { name: string }).name, acked.get(id));
      }
      const after = await fetch(`${second.url}/api/provider/v1/companies`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'After the crash' }),
      });
      assert.equal(after.status, 201);
    } finally {
      second.child.kill('SIGTERM');
      await once(second.child, 'exit');
    }
  });
});
