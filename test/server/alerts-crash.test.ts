/**
 * The server is killed (SIGKILL) with alerts pending and some mid-send, then started again on
 * the same database: each alert reaches the SMTP server exactly once. The server runs as a real
 * child process (`server/main.ts`); the SMTP server on loopback holds its answers after the
 * first few messages, so the kill lands while messages are in flight and not yet accepted.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { alertsOverview, createSubscription } from '../../server/alerts/data.js';
import { createCompany, createContact, getContact } from '../../server/companies/data.js';
import { insertJob } from '../../server/jobs/data.js';
import { updateProviderJob } from '../../server/jobs/provider-data.js';
import { createProvider } from '../../server/providers/data.js';
import { openDatabase } from '../../server/db/index.js';
import { viewerOf } from '../../server/permissions.js';
import { sleep } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ALERTS = 20;

function startServer(dataDir: string, smtpUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', DEMO_PORT: 'off', DEMO_DATA: 'off', OFFICE_SIMULATOR: 'off', SMTP_URL: smtpUrl, PUBLIC_URL: 'http://portal.test', ALERT_POLL_MS: '100', ALERT_LEASE_SECONDS: '2' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Customer portal is running')) ok(child);
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => fail(new Error(`server exited (${code}): ${out}`)));
  });
}

async function waitFor(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test('killed with alerts pending and in flight, restarted on the same database: each alert is delivered exactly once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'alerts-crash-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  // Twenty job alerts queued, as the provider API would leave them.
  const db = openDatabase(join(dir, 'portal.db'));
  const p = createProvider(db, { slug: 'crash', name: 'Crash Test Plumbing', allowedOrigins: ['https://crash.example'], features: { alerts: true } });
  const company = createCompany(db, p.id, { name: 'Co' });
  const contact = createContact(db, p.id, { companyId: company, email: 'kim@example.com', name: 'Kim', passwordHash: null, permissions: { jobs: 'view_all', alerts: true } });
  const viewer = viewerOf(getContact(db, p.id, contact)!);
  createSubscription(db, p, viewer, { jobId: null, events: ['job_started'], destinationIds: [alertsOverview(db, p, viewer).destinations[0]!.id], reminderHours: null, paused: false });
  for (let i = 0; i < ALERTS; i++) updateProviderJob(db, p.id, insertJob(db, p.id, { companyId: company, title: `Job ${i}`, source: 'office' }), { status: 'in_progress' });
  assert.equal(db.prepare("SELECT count(*) FROM alert_outbox WHERE status = 'pending'").pluck().get(), ALERTS);
  db.close();

  // Accepted messages by Message-ID; after the first five, answers are held until told.
  const accepted: string[] = [];
  let holding = true;
  let held = 0;
  // Once the sender is dead, what it was sending is never acknowledged: it cannot hear the answer.
  let killed = false;
  const closed = new Set<string>();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, done) {
      simpleParser(stream).then((mail) => {
        const accept = () => {
          accepted.push(mail.messageId ?? '');
          done();
        };
        if (!holding || accepted.length < 5) return accept();
        held++;
        // The sender dies while we hold the answer: the message was never accepted.
        const wait = setInterval(() => {
          if (closed.has(session.id) || killed) clearInterval(wait);
          else if (!holding) {
            clearInterval(wait);
            accept();
          }
        }, 20);
      }, done);
    },
    onClose(session) {
      closed.add(session.id);
    },
  });
  smtp.on('error', () => undefined);
  await new Promise<void>((ok) => smtp.listen(0, '127.0.0.1', ok));
  after(() => new Promise<void>((ok) => smtp.close(() => ok())));
  const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;

  const first = await startServer(dir, smtpUrl);
  // Killed once the accepted messages are recorded as sent and others are in flight, unanswered.
  // (Between an acceptance and its commit a kill would repeat that one message, with the same
  // Message-ID for the receiver to drop: the one window no sender can close.)
  const reader = new Database(join(dir, 'portal.db'), { readonly: true });
  const sent = () => reader.prepare("SELECT count(*) FROM alert_outbox WHERE status = 'sent'").pluck().get() as number;
  await waitFor('messages in flight', () => held >= 1 && accepted.length >= 5 && sent() === accepted.length);
  reader.close();
  killed = true;
  first.kill('SIGKILL');
  await new Promise((ok) => first.once('exit', ok));
  holding = false;
  const before = accepted.length;
  assert.ok(before < ALERTS, `killed mid-way (${before} of ${ALERTS} accepted)`);

  const second = await startServer(dir, smtpUrl);
  after(() => void second.kill('SIGKILL'));
  await waitFor('every alert', () => accepted.length >= ALERTS);
  // Several more polls and a lease expiry later, nothing more arrives.
  await sleep(2_500);
  second.kill('SIGTERM');
  await new Promise((ok) => second.once('exit', ok));

  assert.equal(accepted.length, ALERTS, `each alert accepted once, none lost, none twice: ${accepted.join(' ')}`);
  assert.equal(new Set(accepted).size, ALERTS);
  const check = openDatabase(join(dir, 'portal.db'));
  assert.deepEqual(check.prepare('SELECT status, count(*) AS n FROM alert_outbox GROUP BY status').all(), [{ status: 'sent', n: ALERTS }]);
  check.close();
});
