/**
 * Job alerts delivered for real: every event to both channels (a real SMTP server and an SMS
 * gateway on loopback), with the provider's branding, the job's portal link and the one-click
 * unsubscribe; who gets what by permission; unverified phones; reminders on an injected clock;
 * unsubscribe and STOP; retries and dead letters; two workers on one database.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { after, afterEach, beforeEach, describe, test } from 'node:test';
import { createHmac } from 'node:crypto';
import { createApp } from '../../server/app.js';
import { openDatabase } from '../../server/db/index.js';
import { sign } from '../../server/webhooks/deliverer.js';
import { alertsOverview, createSubscription } from '../../server/alerts/data.js';
import { createCompany, createContact, getContact } from '../../server/companies/data.js';
import { insertJob } from '../../server/jobs/data.js';
import { updateProviderJob } from '../../server/jobs/provider-data.js';
import { createProvider } from '../../server/providers/data.js';
import { viewerOf } from '../../server/permissions.js';
import { expectError, json } from './helpers.js';
import { papi } from './provider-helpers.js';
import {
  alertsApi,
  deliver,
  GATEWAY_TOKEN,
  INBOUND_SECRET,
  job,
  loginDestination,
  mailsTo,
  makeAlertsWorld,
  officeUpdate,
  PORTAL_PAGE,
  PUBLIC_URL,
  smsTo,
  subscribe,
  verifiedPhone,
  type AlertsWorld,
} from './alerts-world.js';

const ALL_EVENTS = ['job_scheduled', 'start_reminder', 'on_the_way', 'job_started', 'job_completed', 'quote_ready'];
const PHONE = '+15551230001';
const HOUR = 3600;

let w: AlertsWorld;
beforeEach(async () => {
  w = await makeAlertsWorld();
});
afterEach(async () => {
  await w.close();
});

/** A header as sent (mailparser turns List-* headers into objects). */
const header = (mail: ParsedMail, name: string): string =>
  (mail.headerLines.find((h) => h.key === name)?.line ?? '').replace(/^[^:]+:\s*/, '').replace(/\r?\n\s+/g, ' ');

const outbox = (where = '1 = 1') => w.db.prepare(`SELECT * FROM alert_outbox WHERE ${where} ORDER BY id`).all() as { id: number; status: string; kind: string; event: string; channel: string; due_at: number; attempts: number; last_error: string | null; body: string | null }[];

describe('each event reaches each channel with the right text', () => {
  test('scheduled, on the way (ETA, map link), started, completed and quote ready, by email and SMS', async () => {
    const phone = await verifiedPhone(w, w.carol.token, PHONE);
    const email = await loginDestination(w, w.carol.token);
    await subscribe(w, w.carol.token, { events: ALL_EVENTS, destinationIds: [email, phone], reminderHours: 2 });
    const id = job(w, { mine: true, title: 'Fix the boiler' });
    const number = (w.db.prepare('SELECT number FROM jobs WHERE id = ?').pluck().get(id) as string);
    const start = Math.floor(Date.now() / 1000) + 3 * 86400;
    const cases: [Record<string, unknown>, RegExp, RegExp][] = [
      [{ scheduledStart: start }, new RegExp(`Job ${number} is booked for`), /booked/],
      [{ status: 'on_the_way', technician: 'Sam Spark', eta: start + 1800 }, /Sam Spark is on the way/, /Sam Spark is on the way/],
      [{ status: 'in_progress' }, /Work has started/, /Work has started/],
      [{ status: 'completed' }, new RegExp(`Job ${number} is completed`), /is completed/],
    ];
    for (const [change, subject, sms] of cases) {
      const before = { mails: mailsTo(w, 'carol@example.com').length, sms: smsTo(w, PHONE).length };
      await officeUpdate(w, id, change);
      await deliver(w);
      const mails = mailsTo(w, 'carol@example.com').slice(before.mails);
      assert.equal(mails.length, 1, `one email for ${JSON.stringify(change)}`);
      const mail = mails[0]!;
      assert.match(mail.subject ?? '', subject);
      assert.equal(mail.from?.value[0]?.name, 'Acme Plumbing', 'sent in the provider’s name');
      assert.match(String(mail.html), /#0b5cab/, 'in the provider’s colour');
      assert.ok(mail.text?.includes(`${PORTAL_PAGE}#portal/jobs/${id}`), 'links to the job’s view in the portal');
      const unsubscribe = header(mail, 'list-unsubscribe');
      assert.match(unsubscribe, new RegExp(`^<${PUBLIC_URL}/api/portal/acme/alert-links/unsubscribe/\\d+\\.[\\w-]{32}>$`));
      assert.equal(header(mail, 'list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
      const texts = smsTo(w, PHONE).slice(before.sms);
      assert.equal(texts.length, 1, `one SMS for ${JSON.stringify(change)}`);
      assert.match(texts[0]!.text, sms);
      assert.match(texts[0]!.text, /^Acme Plumbing: .* Reply STOP to stop\.$/);
      if (change.status === 'on_the_way') {
        assert.match(mail.text ?? '', /Expected arrival: /, 'the ETA is told');
        assert.match(mail.text ?? '', /Follow on the map: /, 'with the map on, a link to follow the technician');
      }
    }
    const gw = w.gateway.hits.find((h) => h.path === '/sms')!;
    assert.equal(gw.headers.authorization, `Bearer ${GATEWAY_TOKEN}`);
    assert.match(String(gw.headers['idempotency-key']), /^alert-\d+-[0-9a-f]{16}$/);

    const quote = await json(await papi(w.app, w.keyA, 'POST', '/quotes', { companyId: w.ids.acmeCompany, contactId: w.carol.id, title: 'New boiler', lines: [{ description: 'Boiler', quantity: 1, unitPriceCents: 125000 }], validUntil: new Date(Date.now() + 14 * 86400_000).toISOString(), send: true }));
    await deliver(w);
    const q = mailsTo(w, 'carol@example.com').at(-1)!;
    assert.match(q.subject ?? '', /Quote Q-\d+ is ready for your answer/);
    assert.match(q.text ?? '', /\$1,250\.00/);
    assert.ok(q.text?.includes(`${PORTAL_PAGE}#portal/quotes/${quote.id}`));
    assert.match(smsTo(w, PHONE).at(-1)!.text, /Quote Q-\d+ is ready/);
    assert.ok(!w.logs.some((l) => l.includes(GATEWAY_TOKEN)), 'the gateway token is never logged');
  });

  test('Twilio-compatible mode: a form post with basic auth', async () => {
    await w.close();
    w = await makeAlertsWorld({ smsGateway: { url: 'placeholder', token: GATEWAY_TOKEN, mode: 'twilio', from: '+15550000000', accountSid: 'AC0123' } });
    // The gateway's URL is known once it listens: point the settings at it.
    w.settings.smsGateway!.url = `${w.gateway.url}/2010-04-01/Accounts/AC0123/Messages.json`;
    const res = await alertsApi(w, w.carol.token, 'POST', '/alerts/destinations', { channel: 'sms', address: PHONE });
    assert.equal(res.status, 201);
    await deliver(w);
    const hit = w.gateway.at('/2010-04-01/Accounts/AC0123/Messages.json')[0]!;
    assert.equal(hit.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(hit.headers.authorization, `Basic ${Buffer.from(`AC0123:${GATEWAY_TOKEN}`).toString('base64')}`);
    const form = new URLSearchParams(hit.body);
    assert.deepEqual([form.get('To'), form.get('From')], [PHONE, '+15550000000']);
    assert.match(form.get('Body') ?? '', /^Acme Plumbing: your code to receive alerts by SMS is \d{6}\./);
  });

  test('an edit that sends the same occurrence again queues nothing new (dedupe key)', async () => {
    await subscribe(w, w.carol.token, { events: ['job_scheduled'], destinationIds: [await loginDestination(w, w.carol.token)] });
    const id = job(w, { mine: true });
    const start = Math.floor(Date.now() / 1000) + 86400;
    await officeUpdate(w, id, { scheduledStart: start });
    await officeUpdate(w, id, { scheduledStart: start + 3600 });
    await officeUpdate(w, id, { scheduledStart: start }); // back to the first time: already told
    await deliver(w);
    assert.equal(mailsTo(w, 'carol@example.com').length, 2);
  });
});

describe('who gets an alert', () => {
  test('"own" reaches only the contact’s jobs, "all" every job of the company, never another company', async () => {
    for (const c of [w.carol, w.dave, w.erin]) await subscribe(w, c.token, { events: ['job_started'], destinationIds: [await loginDestination(w, c.token)] });
    const carols = job(w, { mine: true });
    const someoneElses = job(w);
    for (const id of [carols, someoneElses]) await officeUpdate(w, id, { status: 'in_progress' });
    await deliver(w);
    assert.equal(mailsTo(w, 'carol@example.com').length, 1, 'carol: her job only');
    assert.equal(mailsTo(w, 'dave@example.com').length, 2, 'dave: both');
    assert.equal(mailsTo(w, 'erin@example.com').length, 0, 'erin (other company): none');
  });

  test('one-job alerts fire for that job only; paused alerts send nothing', async () => {
    const a = job(w, { mine: true });
    const b = job(w, { mine: true });
    const email = await loginDestination(w, w.dave.token);
    await subscribe(w, w.dave.token, { jobId: a, events: ['job_started'], destinationIds: [email] });
    const paused = await subscribe(w, w.carol.token, { events: ['job_started'], destinationIds: [await loginDestination(w, w.carol.token)], paused: true });
    for (const id of [a, b]) await officeUpdate(w, id, { status: 'in_progress' });
    await deliver(w);
    assert.equal(mailsTo(w, 'dave@example.com').length, 1);
    assert.match(mailsTo(w, 'dave@example.com')[0]!.text ?? '', new RegExp(`#portal/jobs/${a}`));
    assert.equal(mailsTo(w, 'carol@example.com').length, 0, 'paused');
    assert.ok(paused.id);
  });

  test('alerts switched off for the contact, or access lost before sending, stop what is queued', async () => {
    await subscribe(w, w.carol.token, { events: ['job_started', 'job_completed'], destinationIds: [await loginDestination(w, w.carol.token)] });
    const id = job(w, { mine: true });
    await officeUpdate(w, id, { status: 'in_progress' }); // queued, not yet sent
    assert.equal((await papi(w.app, w.keyA, 'PATCH', `/contacts/${w.carol.id}`, { permissions: { jobs: 'none' } })).status, 200);
    await deliver(w);
    assert.equal(mailsTo(w, 'carol@example.com').length, 0, 'no alert about a job she can no longer see');
    assert.deepEqual(outbox().map((r) => r.status), ['dropped']);
    assert.equal((await papi(w.app, w.keyA, 'PATCH', `/contacts/${w.carol.id}`, { permissions: { jobs: 'view_own', alerts: false } })).status, 200);
    await officeUpdate(w, id, { status: 'completed' });
    await deliver(w);
    assert.equal(mailsTo(w, 'carol@example.com').length, 0, 'alerts off for her: nothing queued');
    assert.equal(outbox().length, 1);
  });

  test('an unverified phone gets nothing; verified, it gets the next alert', async () => {
    const res = await alertsApi(w, w.carol.token, 'POST', '/alerts/destinations', { channel: 'sms', address: PHONE });
    const phone = (await json(res)).id;
    await subscribe(w, w.carol.token, { events: ['job_started', 'job_completed'], destinationIds: [phone] });
    const id = job(w, { mine: true });
    await officeUpdate(w, id, { status: 'in_progress' });
    await deliver(w);
    assert.deepEqual(smsTo(w, PHONE).map((m) => m.text.includes('your code')), [true], 'only the code');
    const code = /is (\d{6})/.exec(smsTo(w, PHONE)[0]!.text)![1];
    assert.equal((await alertsApi(w, w.carol.token, 'POST', `/alerts/destinations/${phone}/verify`, { code })).status, 200);
    await officeUpdate(w, id, { status: 'completed' });
    await deliver(w);
    assert.match(smsTo(w, PHONE).at(-1)!.text, /is completed/);
    assert.equal(smsTo(w, PHONE).length, 2);
    assert.ok(!w.logs.some((l) => l.includes(code!)), 'the code is never logged');
    assert.equal(outbox("kind = 'verify'")[0]!.body, null, 'the code is not kept once sent');
  });
});

describe('start reminders', () => {
  test('a job the office creates already booked: "booked" at once, and its reminder, by email and SMS', async () => {
    const phone = await verifiedPhone(w, w.carol.token, PHONE);
    await subscribe(w, w.carol.token, { events: ['job_scheduled', 'start_reminder'], destinationIds: [await loginDestination(w, w.carol.token), phone], reminderHours: 3 });
    const start = w.clock.now + 86400;
    const res = await papi(w.app, w.keyA, 'POST', '/jobs', { companyId: w.ids.acmeCompany, contactId: w.carol.id, title: 'Gutter clean', status: 'scheduled', scheduledStart: new Date(start * 1000).toISOString() });
    assert.equal(res.status, 201);
    await deliver(w);
    assert.match(mailsTo(w, 'carol@example.com')[0]!.subject ?? '', /is booked for/);
    assert.match(smsTo(w, PHONE).at(-1)!.text, /is booked for/);
    w.clock.now = start - 3 * HOUR;
    await deliver(w);
    assert.match(mailsTo(w, 'carol@example.com')[1]!.subject ?? '', /^Reminder: /);
    assert.match(smsTo(w, PHONE).at(-1)!.text, /^Acme Plumbing: Reminder: job J-\d+ starts /);
  });

  test('fire once at the right time, move with the schedule, go with a cancellation', async () => {
    await subscribe(w, w.carol.token, { events: ['start_reminder'], destinationIds: [await loginDestination(w, w.carol.token)], reminderHours: 2 });
    const id = job(w, { mine: true });
    const start = w.clock.now + 2 * 86400;
    await officeUpdate(w, id, { scheduledStart: start });
    w.clock.now = start - 2 * HOUR - 1;
    await deliver(w);
    assert.equal(mailsTo(w, 'carol@example.com').length, 0, 'not before its time');
    const later = start + 86400;
    await officeUpdate(w, id, { scheduledStart: later });
    w.clock.now = start - 2 * HOUR;
    await deliver(w);
    assert.equal(mailsTo(w, 'carol@example.com').length, 0, 'the old time no longer fires');
    w.clock.now = later - 2 * HOUR;
    await deliver(w);
    await deliver(w);
    const mails = mailsTo(w, 'carol@example.com');
    assert.equal(mails.length, 1, 'fires once');
    assert.match(mails[0]!.subject ?? '', /^Reminder: job J-\d+ starts /);
    assert.match(mails[0]!.text ?? '', /in about 2 hours/);

    const other = job(w, { mine: true });
    await officeUpdate(w, other, { scheduledStart: later + 86400 });
    assert.equal(outbox("kind = 'reminder' AND status = 'pending'").length, 1);
    await officeUpdate(w, other, { status: 'cancelled' });
    assert.equal(outbox("kind = 'reminder' AND status = 'pending'").length, 0, 'cancelled: no reminder');
  });

  test('a phone verified after the alert and the booking still gets the reminder', async () => {
    const id = job(w, { mine: true });
    const start = w.clock.now + 86400;
    await officeUpdate(w, id, { scheduledStart: start });
    const phone = await json(await alertsApi(w, w.carol.token, 'POST', '/alerts/destinations', { channel: 'sms', address: PHONE }));
    await subscribe(w, w.carol.token, { events: ['start_reminder'], destinationIds: [phone.id], reminderHours: 1 });
    assert.equal(outbox("kind = 'reminder'").length, 0, 'nothing for an unverified phone');
    await deliver(w);
    const code = /is (\d{6})/.exec(smsTo(w, PHONE)[0]!.text)![1];
    assert.equal((await alertsApi(w, w.carol.token, 'POST', `/alerts/destinations/${phone.id}/verify`, { code })).status, 200);
    w.clock.now = start - HOUR;
    await deliver(w);
    assert.match(smsTo(w, PHONE).at(-1)!.text, /Reminder: job J-\d+ starts/);
  });

  test('an alert set up after the booking still reminds; times are told in the provider’s time zone', async () => {
    assert.equal((await papi(w.app, w.keyA, 'PATCH', '/alerts/settings', { timeZone: 'Pacific/Auckland' })).status, 200);
    const id = job(w, { mine: true });
    const start = Date.UTC(2030, 0, 15, 1, 30) / 1000; // 14:30 in Auckland (NZDT, UTC+13)
    await officeUpdate(w, id, { scheduledStart: start });
    await subscribe(w, w.carol.token, { events: ['start_reminder'], destinationIds: [await loginDestination(w, w.carol.token)], reminderHours: 24 });
    w.clock.now = start - 24 * HOUR;
    await deliver(w);
    assert.match(mailsTo(w, 'carol@example.com')[0]!.text ?? '', /Tue 15 Jan, 14:30 GMT\+13/);
  });

  test('SMS wait for the end of the provider’s quiet hours', async () => {
    assert.equal((await papi(w.app, w.keyA, 'PATCH', '/alerts/settings', { timeZone: 'UTC', quietHours: { start: '21:00', end: '08:00' } })).status, 200);
    const phone = await verifiedPhone(w, w.carol.token, PHONE);
    await subscribe(w, w.carol.token, { events: ['job_started'], destinationIds: [phone] });
    w.clock.now = Date.UTC(2030, 0, 15, 23, 10) / 1000;
    await officeUpdate(w, job(w, { mine: true }), { status: 'in_progress' });
    // Queued with the real time as due; the worker's clock says 23:10 UTC: quiet.
    w.clock.now = Math.max(w.clock.now, Math.floor(Date.now() / 1000));
    w.clock.now = w.clock.now - (w.clock.now % 86400) + 23 * HOUR;
    await deliver(w);
    assert.equal(smsTo(w, PHONE).filter((m) => m.text.includes('started')).length, 0, 'not at night');
    const due = outbox("kind = 'alert'")[0]!;
    assert.equal(due.status, 'pending');
    assert.equal(due.due_at % 86400, 8 * HOUR, 'due at 08:00');
    assert.equal(due.attempts, 0, 'waiting is not a failed attempt');
    w.clock.now = due.due_at;
    await deliver(w);
    assert.equal(smsTo(w, PHONE).filter((m) => m.text.includes('started')).length, 1);
  });
});

describe('unsubscribe and STOP', () => {
  test('the one-click POST (RFC 8058) stops alert emails to that address; a forged link does nothing', async () => {
    const email = await loginDestination(w, w.carol.token);
    await subscribe(w, w.carol.token, { events: ['job_started', 'job_completed'], destinationIds: [email] });
    const id = job(w, { mine: true });
    await officeUpdate(w, id, { status: 'in_progress' });
    await deliver(w);
    const link = /^<([^>]+)>$/.exec(header(mailsTo(w, 'carol@example.com')[0]!, 'list-unsubscribe'))![1]!;
    const path = new URL(link).pathname;
    const forged = path.replace(/\.[\w-]{32}$/, `.${'A'.repeat(32)}`);
    const bad = await w.app.request(forged, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    assert.equal(bad.status, 400);
    const other = await w.app.request(path.replace('/acme/', '/bright/'), { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    assert.equal(other.status, 400, 'another provider’s key does not sign it');
    const page = await w.app.request(path);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form method="post">/);
    assert.equal(outbox("status = 'sent'").length, 1, 'opening the page (a link scanner) unsubscribes nothing');
    const res = await w.app.request(path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /You are unsubscribed/);
    await officeUpdate(w, id, { status: 'completed' });
    await deliver(w);
    assert.equal(mailsTo(w, 'carol@example.com').length, 1, 'nothing after unsubscribing');
    const o = await (await alertsApi(w, w.carol.token, 'GET', '/alerts')).json();
    assert.equal(o.destinations[0].status, 'opted_out');
  });

  test('STOP from the phone (signed) turns SMS off for that number; a bad signature changes nothing', async () => {
    const phone = await verifiedPhone(w, w.carol.token, PHONE);
    await subscribe(w, w.carol.token, { events: ['job_started'], destinationIds: [phone] });
    const body = JSON.stringify({ from: PHONE, text: ' stop ' });
    const t = Math.floor(Date.now() / 1000);
    const forged = await w.app.request('/api/sms/inbound', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Portal-Signature': sign('wrong', t, body) }, body });
    assert.equal(forged.status, 401);
    const old = await w.app.request('/api/sms/inbound', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Portal-Signature': sign(INBOUND_SECRET, t - 3600, body) }, body });
    assert.equal(old.status, 401, 'a replayed old request is refused');
    const ok = await w.app.request('/api/sms/inbound', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Portal-Signature': sign(INBOUND_SECRET, t, body) }, body });
    assert.deepEqual(await ok.json(), { numbersUpdated: 1, action: 'stop' });
    await officeUpdate(w, job(w, { mine: true }), { status: 'in_progress' });
    await deliver(w);
    assert.equal(smsTo(w, PHONE).length, 1, 'only the code, sent before STOP');
    const again = await alertsApi(w, w.carol.token, 'POST', `/alerts/destinations/${phone}/resume`);
    assert.equal(again.status, 409, 'only START from the phone undoes STOP');
  });

  test('Twilio-style inbound form posts are checked with X-Twilio-Signature', async () => {
    await verifiedPhone(w, w.carol.token, PHONE);
    const params = new URLSearchParams({ From: PHONE, Body: 'STOP', MessageSid: 'SM1' });
    const url = `${PUBLIC_URL}/api/sms/inbound`;
    const signature = createHmac('sha1', INBOUND_SECRET).update(url + [...params.keys()].sort().map((k) => k + params.get(k)).join('')).digest('base64');
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
    assert.equal((await w.app.request('/api/sms/inbound', { method: 'POST', headers: { ...headers, 'X-Twilio-Signature': 'x' + signature.slice(1) }, body: params.toString() })).status, 401);
    const res = await w.app.request('/api/sms/inbound', { method: 'POST', headers: { ...headers, 'X-Twilio-Signature': signature }, body: params.toString() });
    assert.equal(res.status, 200);
    assert.equal(w.db.prepare("SELECT count(*) FROM alert_destinations WHERE address = ? AND opted_out_at IS NOT NULL").pluck().get(PHONE), 1);
  });
});

describe('retries, dead letters, and two workers', () => {
  test('a gateway error is retried with backoff; a refusal becomes a dead letter the provider can send again', async () => {
    const phone = await verifiedPhone(w, w.carol.token, PHONE);
    await subscribe(w, w.carol.token, { events: ['job_started', 'job_completed'], destinationIds: [phone] });
    const id = job(w, { mine: true });
    w.gateway.state.failNext = 1;
    await officeUpdate(w, id, { status: 'in_progress' });
    await deliver(w);
    let row = outbox("kind = 'alert'")[0]!;
    assert.deepEqual([row.status, row.attempts, row.last_error], ['pending', 1, 'SMS gateway answered HTTP 500']);
    assert.ok(row.due_at > w.clock.now, 'backs off');
    w.clock.now = row.due_at;
    await deliver(w);
    assert.equal(outbox("kind = 'alert'")[0]!.status, 'sent');
    assert.equal(smsTo(w, PHONE).filter((m) => m.text.includes('started')).length, 1, 'delivered once');

    Object.assign(w.gateway.state, { failNext: 1, failStatus: 400 });
    await officeUpdate(w, id, { status: 'completed' });
    await deliver(w);
    row = outbox("event = 'job_completed'")[0]!;
    assert.equal(row.status, 'failed', 'a refused message is not retried forever');
    const failed = await json(await papi(w.app, w.keyA, 'GET', '/alerts/outbox?status=failed'));
    assert.equal(failed.items.length, 1);
    assert.equal((await papi(w.app, w.keyB, 'POST', `/alerts/outbox/${failed.items[0].id}/retry`)).status, 404, 'not another provider’s');
    const retried = await json(await papi(w.app, w.keyA, 'POST', `/alerts/outbox/${failed.items[0].id}/retry`));
    assert.equal(retried.items[0].status, 'pending');
    assert.equal((await papi(w.app, w.keyA, 'POST', `/alerts/outbox/${failed.items[0].id}/retry`)).status, 409);
    await deliver(w);
    assert.equal(smsTo(w, PHONE).filter((m) => m.text.includes('completed')).length, 1);

    Object.assign(w.gateway.state, { failNext: 1, failStatus: 400 });
    assert.equal((await alertsApi(w, w.carol.token, 'POST', '/alerts/destinations', { channel: 'sms', address: '+15551230099' })).status, 201);
    await deliver(w);
    const code = outbox("kind = 'verify' AND status = 'failed'")[0]!;
    assert.equal(code.body, null, 'a code that could not be sent is not kept');
    await expectError(await papi(w.app, w.keyA, 'POST', `/alerts/outbox/${code.id}/retry`), 409, 'alert_verification');
  });

  test('a claim that ran out while waiting its turn is not sent by its old holder', async () => {
    await subscribe(w, w.dave.token, { events: ['job_started'], destinationIds: [await loginDestination(w, w.dave.token)] });
    await officeUpdate(w, job(w), { status: 'in_progress' });
    const { claimDue, renewClaim } = await import('../../server/alerts/outbox.js');
    const [mine] = claimDue(w.db, 'first', w.clock.now, 60, 10);
    w.clock.now += 61; // its lease is over: another worker takes it
    const [theirs] = claimDue(w.db, 'second', w.clock.now, 60, 10);
    assert.equal(theirs!.id, mine!.id);
    assert.equal(renewClaim(w.db, mine!, w.clock.now, 60), false, 'the first worker may not send it any more');
    assert.equal(renewClaim(w.db, theirs!, w.clock.now, 60), true);
  });

  test('two servers on one database send each alert once (rows are claimed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alerts-two-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'portal.db');
    const db1 = openDatabase(file);
    const db2 = openDatabase(file);
    const p = createProvider(db1, { slug: 'two', name: 'Two Servers Ltd', features: { alerts: true } });
    const company = createCompany(db1, p.id, { name: 'Co' });
    const contact = createContact(db1, p.id, { companyId: company, email: 'dave@example.com', name: 'Dave', passwordHash: null, permissions: { jobs: 'view_all', alerts: true } });
    const viewer = viewerOf(getContact(db1, p.id, contact)!);
    const email = alertsOverview(db1, p, viewer).destinations[0]!.id;
    createSubscription(db1, p, viewer, { jobId: null, events: ['job_started'], destinationIds: [email], reminderHours: null, paused: false });
    for (let i = 0; i < 30; i++) updateProviderJob(db1, p.id, insertJob(db1, p.id, { companyId: company, title: `Job ${i}`, source: 'office' }), { status: 'in_progress' });
    const settings = { ...w.settings, alerts: { ...w.settings.alerts, batch: 4, concurrency: 2 } };
    const a = createApp(db1, settings);
    const b = createApp(db2, settings);
    await Promise.all([a.deps.alerts.flush(), b.deps.alerts.flush()]);
    await Promise.all([a.deps.alerts.flush(), b.deps.alerts.flush()]);
    const received = mailsTo(w, 'dave@example.com');
    assert.equal(received.length, 30, 'every alert arrived');
    assert.equal(new Set(received.map((m) => m.messageId)).size, 30, 'none twice');
    await Promise.all([a.deps.alerts.stop(), b.deps.alerts.stop()]);
    a.deps.mailer.stop();
    b.deps.mailer.stop();
    db1.close();
    db2.close();
  });
});
