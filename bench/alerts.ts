/**
 * Alerts: (1) queueing. 10,000+ alert subscriptions over 1,000 companies on a SQLite file; one
 * job status change through the provider's change function, with its alerts queued in the same
 * transaction. Measured against the same change on a job whose company has no alerts (the
 * baseline: what the change costs anyway), with the SQL statements each makes, for changes that
 * concern 0, 10 and 100 alerts (the count must not grow with them).
 * (2) Draining: 1,000 alert emails rendered and sent to a real SMTP server on loopback by the
 * alerts worker, against nodemailer sending the same number of fixed messages with the same
 * concurrency (the baseline: the SMTP round trips alone).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { queueJobAlerts } from '../server/alerts/outbox.js';
import { AlertWorker } from '../server/alerts/worker.js';
import { insertJob, type JobRow } from '../server/jobs/data.js';
import { updateProviderJob } from '../server/jobs/provider-data.js';
import { createProvider } from '../server/providers/data.js';
import { openDatabase, sqlStats, type Db } from '../server/db/index.js';
import { LocalSmsSender } from '../server/sms/sender.js';
import { defaultSettings } from '../server/settings.js';

const COMPANIES = 1_000;
const PER_COMPANY = 10;
/** Company 1 has this many alerts instead, to show the statement count does not follow. */
const BIG_COMPANY = 100;
const MAILS = 1_000;
const CONCURRENCY = 8;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const now = (): number => Math.floor(Date.now() / 1000);

/** Companies, one contact per alert (view_all, alerts on), each with its login email and one alert for all jobs; jobs per company. */
function seed(db: Db, providerId: number, companies: number, alertsIn: (c: number) => number, jobsPerCompany: number): { jobs: number[][]; subscriptions: number } {
  const t = now();
  const company = db.prepare('INSERT INTO companies (provider_id, name, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const contact = db.prepare("INSERT INTO contacts (provider_id, company_id, email, name, perm_jobs, created_at, updated_at) VALUES (?, ?, ?, ?, 'view_all', ?, ?)");
  const dest = db.prepare("INSERT INTO alert_destinations (provider_id, company_id, contact_id, channel, address, is_login, verified_at, created_at) VALUES (?, ?, ?, 'email', ?, 1, ?, ?)");
  const sub = db.prepare(`INSERT INTO alert_subscriptions (provider_id, company_id, contact_id, events, created_at, updated_at) VALUES (?, ?, ?, '["job_started","job_completed","job_scheduled"]', ?, ?)`);
  const link = db.prepare('INSERT INTO alert_subscription_destinations (subscription_id, destination_id) VALUES (?, ?)');
  const jobs: number[][] = [];
  let subscriptions = 0;
  db.transaction(() => {
    for (let c = 0; c < companies; c++) {
      const companyId = Number(company.run(providerId, `Company ${c}`, t, t).lastInsertRowid);
      for (let i = 0; i < alertsIn(c); i++) {
        const email = `c${c}-${i}@example.com`;
        const contactId = Number(contact.run(providerId, companyId, email, `Contact ${c}-${i}`, t, t).lastInsertRowid);
        const destinationId = Number(dest.run(providerId, companyId, contactId, email, t, t).lastInsertRowid);
        link.run(Number(sub.run(providerId, companyId, contactId, t, t).lastInsertRowid), destinationId);
        subscriptions++;
      }
      jobs.push(Array.from({ length: jobsPerCompany }, (_, j) => insertJob(db, providerId, { companyId, title: `Job ${c}-${j}`, source: 'office' })));
    }
  })();
  return { jobs, subscriptions };
}

export async function alertsBench() {
  const dir = mkdtempSync(join(tmpdir(), 'portal-bench-alerts-'));
  try {
    const db = openDatabase(join(dir, 'portal.db'));
    const p = createProvider(db, { slug: 'bench', name: 'Bench Plumbing', allowedOrigins: ['https://bench.example'], features: { alerts: true } });
    // Company 0 has no alerts (the baseline), company 1 the big one, the rest PER_COMPANY each.
    const built = seed(db, p.id, COMPANIES, (c) => (c === 0 ? 0 : c === 1 ? BIG_COMPANY : PER_COMPANY), 40);
    const change = (jobId: number, status: 'in_progress' | 'completed') => {
      const before = sqlStats.statements;
      const t = performance.now();
      updateProviderJob(db, p.id, jobId, { status });
      return { ms: performance.now() - t, statements: sqlStats.statements - before };
    };
    // Warm up statements and pages, then interleave baseline and measured changes.
    for (let i = 0; i < 5; i++) change(built.jobs[0]![30 + i]!, 'in_progress'), change(built.jobs[2]![30 + i]!, 'in_progress');
    const base: number[] = [], ten: number[] = [], hundred: number[] = [];
    const statements = { none: 0, ten: 0, hundred: 0 };
    for (let i = 0; i < 25; i++) {
      const a = change(built.jobs[0]![i]!, 'in_progress');
      const b = change(built.jobs[3 + i]![0]!, 'in_progress');
      const c = change(built.jobs[1]![i]!, 'in_progress');
      base.push(a.ms), ten.push(b.ms), hundred.push(c.ms);
      Object.assign(statements, { none: a.statements, ten: b.statements, hundred: c.statements });
    }
    // The queueing step alone, for one change concerning 10 alerts.
    const queueOnly: number[] = [];
    for (let i = 0; i < 25; i++) {
      const job = db.prepare('SELECT * FROM jobs WHERE id = ?').get(built.jobs[500 + i]![2]) as JobRow;
      const t = performance.now();
      db.transaction(() => queueJobAlerts(db, job, { ...job, status: 'completed' }))();
      queueOnly.push(performance.now() - t);
    }
    const queued = db.prepare("SELECT count(*) FROM alert_outbox WHERE status = 'pending'").pluck().get() as number;
    db.prepare("DELETE FROM alert_outbox").run();
    db.close();

    // Draining ------------------------------------------------------------------------------------
    let received = 0;
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      // No reverse DNS of 127.0.0.1 per connection: it measures the resolver, not us.
      disableReverseLookup: true,
      onData(stream, _s, done) {
        stream.on('data', () => undefined);
        stream.on('end', () => (received++, done()));
      },
    });
    await new Promise<void>((ok) => smtp.listen(0, '127.0.0.1', ok));
    const url = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;

    const bare = nodemailer.createTransport({ url, pool: true, maxConnections: CONCURRENCY, maxMessages: 1000 } as never);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < MAILS) await bare.sendMail({ from: 'portal@localhost', to: 'x@example.com', subject: 'Fixed', text: 'Fixed text', html: '<p>Fixed</p>' });
    }));
    const bareMs = performance.now() - t0;
    bare.close();

    const db2 = openDatabase(join(dir, 'drain.db'));
    const p2 = createProvider(db2, { slug: 'drain', name: 'Drain Plumbing', allowedOrigins: ['https://drain.example'], theme: { brandColor: '#0b5cab' }, features: { alerts: true } });
    const d = seed(db2, p2.id, 100, () => PER_COMPANY, 1);
    for (const [jobId] of d.jobs) updateProviderJob(db2, p2.id, jobId!, { status: 'in_progress' });
    const pending = db2.prepare("SELECT count(*) FROM alert_outbox WHERE status = 'pending'").pluck().get() as number;
    const settings = defaultSettings({ log: () => {}, publicUrl: 'http://portal.bench', smtpUrl: url, alerts: { pollMs: 60_000, leaseSeconds: 120, batch: 100, concurrency: CONCURRENCY } });
    const worker = new AlertWorker(db2, { sms: new LocalSmsSender(), settings });
    received = 0;
    const t1 = performance.now();
    const sent = await worker.flush();
    const drainMs = performance.now() - t1;
    await worker.stop();
    db2.close();
    await new Promise<void>((ok) => smtp.close(() => ok()));
    return { subscriptions: built.subscriptions, queued, base: median(base), ten: median(ten), hundred: median(hundred), queueOnly: median(queueOnly), statements, pending, sent, received, drainMs, bareMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printAlertsBench(r: Awaited<ReturnType<typeof alertsBench>>): void {
  const verdict = (ok: boolean): string => (ok ? 'MET' : 'NOT MET');
  const rate = (n: number, ms: number): number => (n / ms) * 1000;
  console.log(`\nAlerts: ${r.subscriptions.toLocaleString('en')} subscriptions over ${COMPANIES.toLocaleString('en')} companies (SQLite file), medians of 25 interleaved changes:`);
  console.log(`  status change, company without alerts (baseline)   ${r.base.toFixed(2)} ms   ${r.statements.none} statements`);
  console.log(`  status change queueing 10 alerts                    ${r.ten.toFixed(2)} ms   ${r.statements.ten} statements   ratio ${(r.ten / r.base).toFixed(2)}`);
  console.log(`  status change queueing ${BIG_COMPANY} alerts                   ${r.hundred.toFixed(2)} ms   ${r.statements.hundred} statements   ratio ${(r.hundred / r.base).toFixed(2)}`);
  console.log(`  queueing step alone (10 alerts)                     ${r.queueOnly.toFixed(2)} ms`);
  console.log(`  target: queued in <= 5 ms: ${verdict(r.ten <= 5 && r.hundred <= 5)}; constant statements (10 vs ${BIG_COMPANY} alerts): ${verdict(r.statements.ten === r.statements.hundred)} (${r.queued.toLocaleString('en')} alerts queued in all)`);
  const drain = rate(r.received, r.drainMs);
  const bare = rate(MAILS, r.bareMs);
  console.log(`  outbox drain: ${r.sent} of ${r.pending} alert emails rendered and sent (${r.received} received) in ${(r.drainMs / 1000).toFixed(2)} s = ${drain.toFixed(0)} msg/s;`);
  console.log(`  bare nodemailer (pooled like the worker), fixed message, same concurrency (${CONCURRENCY}): ${bare.toFixed(0)} msg/s; ratio ${(drain / bare).toFixed(2)}   target >= 200 msg/s: ${verdict(drain >= 200)}`);
}

if (process.argv[1]?.endsWith('alerts.ts')) printAlertsBench(await alertsBench());
