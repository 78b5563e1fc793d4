/**
 * The admin CLI shares the outbox with a running server (issue 15: without SMTP_URL, invite
 * marked every due mail kept, including mail an SMTP server was retrying, which was then never
 * sent). It touches only the mail it wrote.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createApp } from '../../server/app.js';
import { createProvider, getProviderBySlug } from '../../server/providers/data.js';
import { openDatabase, type Db } from '../../server/db/index.js';
import { defaultSettings } from '../../server/settings.js';
import { linkToken, startSmtp, type Inbox } from './smtp.js';

const run = promisify(execFile);
const count = (db: Db, sql: string): number => db.prepare(sql).pluck().get() as number;

let inbox: Inbox;
before(async () => {
  inbox = await startSmtp();
});
after(() => inbox.close());

describe('the admin command line and mail it did not write', () => {
  const cli = (dataDir: string, args: string[], smtpUrl?: string) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
    if (smtpUrl) env.SMTP_URL = smtpUrl;
    else delete env.SMTP_URL;
    return run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { env }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  };
  /** A data directory with a provider and, in the outbox, mail a server with SMTP is retrying. */
  function serverOutbox(): { dir: string; retrying: number[] } {
    const dir = mkdtempSync(join(tmpdir(), 'portal-cli-mail-'));
    const db = openDatabase(join(dir, 'portal.db'));
    const acme = createProvider(db, { slug: 'acme', name: 'Acme Plumbing', portalUrl: 'https://acme.example/portal' });
    const insert = db.prepare(
      `INSERT INTO mail_outbox (provider_id, recipient, from_name, subject, text_body, html_body, kind, attempts, last_error, next_attempt_at, created_at)
       VALUES (?, ?, 'Acme', 'Reset', 'text', '<p>html</p>', 'reset', 2, 'connection refused', ?, ?)`,
    );
    const due = Math.floor(Date.now() / 1000) - 10;
    const retrying = [1, 2].map((i) => Number(insert.run(acme.id, `waiting${i}@example.com`, due, due).lastInsertRowid));
    db.close();
    return { dir, retrying };
  }
  const rows = (dir: string, ids: number[]) => {
    const db = openDatabase(join(dir, 'portal.db'));
    try {
      return ids.map((id) => db.prepare('SELECT status, attempts FROM mail_outbox WHERE id = ?').get(id));
    } finally {
      db.close();
    }
  };

  test('without SMTP_URL, invite leaves every other mail pending as it was, its own waits for the server, and nothing is logged about a closed database', async () => {
    const { dir, retrying } = serverOutbox();
    const r = await cli(dir, ['invite', '--provider', 'acme', '--email', 'kim@example.com', '--name', 'Kim', '--company', 'Kim Co']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /not open|mail outbox/);
    assert.deepEqual(rows(dir, retrying), [{ status: 'pending', attempts: 2 }, { status: 'pending', attempts: 2 }], "the server's mail is untouched");
    const db = openDatabase(join(dir, 'portal.db'));
    assert.equal(count(db, "SELECT count(*) FROM mail_outbox WHERE status = 'kept'"), 0, 'nothing marked kept');
    assert.equal(count(db, "SELECT count(*) FROM mail_outbox WHERE recipient = 'kim@example.com' AND status = 'pending'"), 1, 'the invitation waits for a server');
    db.close();
  });

  test('with SMTP_URL, invite sends its own mail only: the mail the server is retrying is not sent by the CLI', async () => {
    const { dir, retrying } = serverOutbox();
    const r = await cli(dir, ['invite', '--provider', 'acme', '--email', 'lee@example.com', '--name', 'Lee', '--company', 'Lee Co'], inbox.url);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(linkToken(await inbox.next('lee@example.com'), 'invite'));
    assert.deepEqual(rows(dir, retrying), [{ status: 'pending', attempts: 2 }, { status: 'pending', attempts: 2 }]);
    assert.ok(!inbox.messages.some((m) => JSON.stringify(m.to).includes('waiting')), 'no mail of the server went out through the CLI');
  });

  test('a server without SMTP keeps only the mail it wrote itself; mail waiting from elsewhere stays pending', async () => {
    const { dir, retrying } = serverOutbox();
    const db = openDatabase(join(dir, 'portal.db'));
    const app = createApp(db, defaultSettings({ log: () => {} }));
    const acme = getProviderBySlug(db, 'acme')!;
    const own = app.deps.mailer.enqueue({ providerId: acme.id, to: 'own@example.com', fromName: 'Acme', subject: 's', text: 't', html: 'h', kind: 'reset' });
    await app.deps.mailer.flush();
    assert.equal(db.prepare('SELECT status FROM mail_outbox WHERE id = ?').pluck().get(own), 'kept');
    assert.deepEqual(retrying.map((id) => db.prepare('SELECT status FROM mail_outbox WHERE id = ?').pluck().get(id)), ['pending', 'pending']);
    db.close();
  });
});
