/**
 * The alert routes as a customer and a provider use them: the offer, subscriptions, email
 * confirmation by link, phone verification by code (hashed, limited, cooldown), preview and
 * test; each permission, each bad input (4xx, nothing written) and each attempt to reach
 * another contact's, company's or provider's alerts.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { expectError, json, sha256Hex } from './helpers.js';
import { papi } from './provider-helpers.js';
import { alertsApi, deliver, job, loginDestination, mailsTo, makeAlertsWorld, overview, PUBLIC_URL, smsTo, subscribe, verifiedPhone, type AlertsWorld } from './alerts-world.js';

let w: AlertsWorld;
beforeEach(async () => {
  w = await makeAlertsWorld();
});
afterEach(async () => {
  await w.close();
});

const TABLES = ['alert_destinations', 'alert_subscriptions', 'alert_subscription_destinations', 'alert_outbox', 'alert_provider_settings'];
const snapshot = () => Object.fromEntries(TABLES.map((t) => [t, w.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]));

describe('the overview', () => {
  test('the offer, the login email as a confirmed destination, no alerts yet', async () => {
    const o = await overview(w, w.carol.token);
    assert.deepEqual(o.offer, { events: ['job_scheduled', 'start_reminder', 'on_the_way', 'job_started', 'job_completed', 'quote_ready'], channels: ['email', 'sms'], reminderHours: { min: 1, max: 48 }, timeZone: 'UTC', quietHours: null });
    assert.deepEqual(o.destinations.map((d: Record<string, unknown>) => [d.channel, d.address, d.login, d.status]), [['email', 'carol@example.com', true, 'verified']]);
    assert.deepEqual(o.subscriptions, []);
  });

  test('403 when the provider or the contact has alerts off; 401 without a session', async () => {
    assert.equal((await papi(w.app, w.keyA, 'PATCH', `/contacts/${w.carol.id}`, { permissions: { alerts: false } })).status, 200);
    await expectError(await alertsApi(w, w.carol.token, 'GET', '/alerts'), 403, 'forbidden');
    await expectError(await alertsApi(w, w.carol.token, 'POST', '/alerts/subscriptions', { events: ['job_started'], destinationIds: [1] }), 403, 'forbidden');
    w.db.prepare("UPDATE providers SET features = json_set(features, '$.alerts', json('false')) WHERE id = ?").run(w.acme.id);
    await expectError(await alertsApi(w, w.dave.token, 'GET', '/alerts'), 403, 'forbidden');
    await expectError(await w.app.request('/api/portal/acme/alerts'), 401, 'unauthenticated');
  });

  test('a session of one provider cannot use another provider’s alerts', async () => {
    await expectError(await alertsApi(w, w.carol.token, 'GET', '/alerts', undefined, 'bright'), 401, 'session_expired');
  });
});

describe('subscriptions', () => {
  test('create, edit, pause and delete', async () => {
    const email = await loginDestination(w, w.carol.token);
    const s = await subscribe(w, w.carol.token, { events: ['job_started'], destinationIds: [email] });
    assert.deepEqual({ ...s, createdAt: 0, updatedAt: 0 }, { id: s.id, jobId: null, jobNumber: null, events: ['job_started'], destinationIds: [email], reminderHours: null, paused: false, createdAt: 0, updatedAt: 0 });
    const edited = await json(await alertsApi(w, w.carol.token, 'PATCH', `/alerts/subscriptions/${s.id}`, { events: ['start_reminder', 'job_completed'], reminderHours: 4, paused: true }));
    assert.deepEqual([edited.events, edited.reminderHours, edited.paused], [['start_reminder', 'job_completed'], 4, true]);
    assert.equal((await alertsApi(w, w.carol.token, 'DELETE', `/alerts/subscriptions/${s.id}`)).status, 204);
    assert.deepEqual((await overview(w, w.carol.token)).subscriptions, []);
  });

  test('one job: only a job the contact may see (another’s or another company’s: 404)', async () => {
    const email = await loginDestination(w, w.carol.token);
    const mine = job(w, { mine: true });
    const s = await subscribe(w, w.carol.token, { jobId: mine, events: ['job_completed'], destinationIds: [email] });
    assert.match((await overview(w, w.carol.token)).subscriptions[0].jobNumber, /^J-\d+$/);
    assert.ok(s.id);
    const before = snapshot();
    await expectError(await alertsApi(w, w.carol.token, 'POST', '/alerts/subscriptions', { jobId: job(w), events: ['job_completed'], destinationIds: [email] }), 404, 'not_found');
    await expectError(await alertsApi(w, w.carol.token, 'POST', '/alerts/subscriptions', { jobId: job(w, { companyId: w.ids.acmeOtherCompany }), events: ['job_completed'], destinationIds: [email] }), 404, 'not_found');
    assert.deepEqual(snapshot(), before, 'nothing written');
  });

  test('bad input: 400 naming the field, nothing written', async () => {
    const email = await loginDestination(w, w.carol.token);
    const erinsEmail = await loginDestination(w, w.erin.token);
    const before = snapshot();
    const bad: [unknown, string][] = [
      [{ events: [], destinationIds: [email] }, 'events'],
      [{ events: ['fire'], destinationIds: [email] }, 'events.0'],
      [{ events: ['job_started', 'job_started'], destinationIds: [email] }, 'events'],
      [{ events: ['job_started'], destinationIds: [] }, 'destinationIds'],
      [{ events: ['job_started'], destinationIds: [erinsEmail] }, 'destinationIds'],
      [{ events: ['start_reminder'], destinationIds: [email] }, 'reminderHours'],
      [{ events: ['start_reminder'], destinationIds: [email], reminderHours: 49 }, 'reminderHours'],
      [{ events: ['start_reminder'], destinationIds: [email], reminderHours: 1.5 }, 'reminderHours'],
      [{ events: ['quote_ready'], destinationIds: [email], jobId: job(w, { mine: true }) }, 'events'],
      [{ events: ['job_started'], destinationIds: [email], extra: 1 }, 'body'],
      [{ events: 'job_started', destinationIds: [email] }, 'events'],
    ];
    for (const [body, field] of bad) {
      const e = await expectError(await alertsApi(w, w.carol.token, 'POST', '/alerts/subscriptions', body), 400, 'validation_failed');
      assert.ok(e.fields && field in e.fields, `${JSON.stringify(body)} names ${field}: ${JSON.stringify(e.fields)}`);
    }
    const raw = await w.app.request('/api/portal/acme/alerts/subscriptions', { method: 'POST', headers: { Authorization: `Bearer ${w.carol.token}`, 'Content-Type': 'application/json' }, body: '{"events":' });
    assert.equal(raw.status, 400);
    await expectError(await alertsApi(w, w.carol.token, 'PATCH', '/alerts/subscriptions/abc', { paused: true }), 400, 'validation_failed');
    assert.deepEqual(snapshot().alert_subscriptions, before.alert_subscriptions);
    assert.deepEqual(snapshot().alert_outbox, before.alert_outbox);
  });

  test('another contact’s alert answers 404 to read-modify-delete', async () => {
    const s = await subscribe(w, w.dave.token, { events: ['job_started'], destinationIds: [await loginDestination(w, w.dave.token)] });
    const before = snapshot();
    await expectError(await alertsApi(w, w.carol.token, 'PATCH', `/alerts/subscriptions/${s.id}`, { paused: true }), 404, 'not_found');
    await expectError(await alertsApi(w, w.carol.token, 'DELETE', `/alerts/subscriptions/${s.id}`), 404, 'not_found');
    await expectError(await alertsApi(w, w.carol.token, 'DELETE', `/alerts/destinations/${s.id + 100}`), 404, 'not_found');
    assert.deepEqual(snapshot(), before);
  });

  test('the provider decides what is offered', async () => {
    const res = await papi(w.app, w.keyA, 'PATCH', '/alerts/settings', { events: ['job_completed'], channels: ['email'], reminderHours: { min: 2, max: 6 } });
    assert.equal(res.status, 200);
    const email = await loginDestination(w, w.carol.token);
    await expectError(await alertsApi(w, w.carol.token, 'POST', '/alerts/subscriptions', { events: ['job_started'], destinationIds: [email] }), 400, 'validation_failed');
    const e = await expectError(await alertsApi(w, w.carol.token, 'POST', '/alerts/destinations', { channel: 'sms', address: '+15551230001' }), 400, 'validation_failed');
    assert.deepEqual(e.fields, { channel: 'is not offered' });
    const bright = await json(await papi(w.app, w.keyB, 'GET', '/alerts/settings'));
    assert.deepEqual(bright.channels, ['email', 'sms'], 'another provider’s settings are its own');
    for (const body of [{ reminderHours: { min: 5, max: 2 } }, { timeZone: 'Mars/Olympus' }, { quietHours: { start: '25:00', end: '08:00' } }, { events: ['nope'] }, {}]) {
      await expectError(await papi(w.app, w.keyA, 'PATCH', '/alerts/settings', body), 400, 'validation_failed');
    }
  });
});

describe('destinations', () => {
  test('an extra email address receives alerts only after its link is opened and confirmed', async () => {
    const res = await alertsApi(w, w.carol.token, 'POST', '/alerts/destinations', { channel: 'email', address: 'Carol.Home@Example.com' });
    assert.equal(res.status, 201);
    const d = await json(res);
    assert.deepEqual([d.address, d.status, d.login], ['carol.home@example.com', 'pending', false]);
    await deliver(w);
    const mail = await w.inbox.next('carol.home@example.com');
    assert.match(mail.subject ?? '', /Confirm your email for Acme Plumbing alerts/);
    const link = new RegExp(`${PUBLIC_URL}(/api/portal/acme/alert-links/confirm/[\\w.-]+)`).exec(mail.text ?? '')![1]!;
    const token = link.split('/').at(-1)!;
    assert.equal(w.db.prepare('SELECT secret_hash FROM alert_destinations WHERE id = ?').pluck().get(d.id), sha256Hex(token), 'only the hash is stored');
    assert.equal((await w.app.request(link)).status, 200, 'the page');
    assert.equal((await overview(w, w.carol.token)).destinations[1].status, 'pending', 'opening it confirms nothing');
    assert.equal((await w.app.request(link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), { method: 'POST' })).status, 400);
    assert.equal((await w.app.request(link, { method: 'POST' })).status, 200);
    assert.equal((await w.app.request(link, { method: 'POST' })).status, 400, 'works once');
    assert.equal((await overview(w, w.carol.token)).destinations[1].status, 'verified');
    assert.ok(w.logs.some((l) => l.includes('/alert-links/confirm/…')), 'the request is logged…');
    assert.ok(!w.logs.some((l) => l.includes(token)), '…without its token');
  });

  test('phone codes: wrong codes counted, a cooldown and an hourly limit on resends, expiry', async () => {
    const d = await json(await alertsApi(w, w.carol.token, 'POST', '/alerts/destinations', { channel: 'sms', address: '+15551230002' }));
    await deliver(w);
    const code = /is (\d{6})/.exec(smsTo(w, '+15551230002')[0]!.text)![1]!;
    assert.equal(w.db.prepare('SELECT secret_hash FROM alert_destinations WHERE id = ?').pluck().get(d.id), sha256Hex(code));
    const wrong = code === '000000' ? '111111' : '000000';
    await expectError(await alertsApi(w, w.carol.token, 'POST', `/alerts/destinations/${d.id}/verify`, { code: '12ab56' }), 400, 'validation_failed');
    const resend = await alertsApi(w, w.carol.token, 'POST', `/alerts/destinations/${d.id}/resend`);
    await expectError(resend, 429, 'rate_limited');
    assert.ok(Number(resend.headers.get('retry-after')) > 0);
    for (let i = 0; i < 5; i++) await expectError(await alertsApi(w, w.carol.token, 'POST', `/alerts/destinations/${d.id}/verify`, { code: wrong }), 400, 'wrong_code');
    await expectError(await alertsApi(w, w.carol.token, 'POST', `/alerts/destinations/${d.id}/verify`, { code }), 429, 'too_many_attempts');
    await expectError(await alertsApi(w, w.dave.token, 'POST', `/alerts/destinations/${d.id}/verify`, { code }), 404, 'not_found');
    // After the cooldown, a new code; the old one no longer works.
    w.db.prepare('UPDATE alert_destinations SET last_sent_at = last_sent_at - 61 WHERE id = ?').run(d.id);
    assert.equal((await alertsApi(w, w.carol.token, 'POST', `/alerts/destinations/${d.id}/resend`)).status, 200);
    await deliver(w);
    const second = /is (\d{6})/.exec(smsTo(w, '+15551230002').at(-1)!.text)![1]!;
    w.db.prepare('UPDATE alert_destinations SET secret_expires_at = 1 WHERE id = ?').run(d.id);
    await expectError(await alertsApi(w, w.carol.token, 'POST', `/alerts/destinations/${d.id}/verify`, { code: second }), 410, 'code_expired');
    // Five sends an hour at most, cooldown or not.
    w.db.prepare('UPDATE alert_destinations SET last_sent_at = 0, sends_in_window = 5 WHERE id = ?').run(d.id);
    await expectError(await alertsApi(w, w.carol.token, 'POST', `/alerts/destinations/${d.id}/resend`), 429, 'rate_limited');
    assert.ok(!w.logs.some((l) => l.includes(code) || l.includes(second)), 'codes are never logged');
  });

  test('adding and removing phones does not lift the limit on codes sent per contact', async () => {
    for (let i = 0; i < 10; i++) {
      const d = await json(await alertsApi(w, w.carol.token, 'POST', '/alerts/destinations', { channel: 'sms', address: `+1555123${String(i).padStart(4, '0')}` }));
      assert.equal((await alertsApi(w, w.carol.token, 'DELETE', `/alerts/destinations/${d.id}`)).status, 204);
    }
    const res = await alertsApi(w, w.carol.token, 'POST', '/alerts/destinations', { channel: 'sms', address: '+15551239999' });
    await expectError(res, 429, 'rate_limited');
    assert.ok(Number(res.headers.get('retry-after')) > 0);
    assert.equal((await alertsApi(w, w.dave.token, 'POST', '/alerts/destinations', { channel: 'sms', address: '+15551239999' })).status, 201, 'per contact');
  });

  test('bad addresses, duplicates and the login email', async () => {
    const before = snapshot();
    for (const body of [{ channel: 'sms', address: '555-1234' }, { channel: 'sms', address: '+0123456789' }, { channel: 'email', address: 'nope' }, { channel: 'fax', address: 'x' }, { channel: 'sms' }]) {
      const res = await alertsApi(w, w.carol.token, 'POST', '/alerts/destinations', body);
      await expectError(res, 400, 'validation_failed');
    }
    assert.deepEqual(snapshot().alert_outbox, before.alert_outbox);
    await expectError(await alertsApi(w, w.carol.token, 'POST', '/alerts/destinations', { channel: 'email', address: 'CAROL@example.com' }), 409, 'destination_exists');
    await expectError(await alertsApi(w, w.carol.token, 'DELETE', `/alerts/destinations/${await loginDestination(w, w.carol.token)}`), 409, 'login_address');
  });
});

describe('preview and test', () => {
  test('the preview is the message as it will be sent, in the provider’s branding; a test reaches the address', async () => {
    const id = job(w, { mine: true, title: 'Leaking tap' });
    const p = await json(await alertsApi(w, w.carol.token, 'POST', '/alerts/preview', { event: 'job_completed', channel: 'email', jobId: id }));
    assert.match(p.subject, /is completed/);
    assert.match(p.text, /Leaking tap/);
    assert.match(p.html, /#0b5cab/);
    const sms = await json(await alertsApi(w, w.carol.token, 'POST', '/alerts/preview', { event: 'on_the_way', channel: 'sms' }));
    assert.equal(sms.html, null);
    assert.match(sms.text, /^Acme Plumbing: Sam is on the way/);
    await expectError(await alertsApi(w, w.carol.token, 'POST', '/alerts/preview', { event: 'job_completed', channel: 'email', jobId: job(w) }), 404, 'not_found');
    await expectError(await alertsApi(w, w.carol.token, 'POST', '/alerts/preview', { event: 'nope', channel: 'email' }), 400, 'validation_failed');

    const email = await loginDestination(w, w.carol.token);
    assert.equal((await alertsApi(w, w.carol.token, 'POST', '/alerts/test', { destinationId: email })).status, 202);
    await deliver(w);
    assert.match(mailsTo(w, 'carol@example.com')[0]!.subject ?? '', /Test alert from Acme Plumbing/);
    await expectError(await alertsApi(w, w.dave.token, 'POST', '/alerts/test', { destinationId: email }), 404, 'not_found');
    const phone = await json(await alertsApi(w, w.carol.token, 'POST', '/alerts/destinations', { channel: 'sms', address: '+15551230003' }));
    await expectError(await alertsApi(w, w.carol.token, 'POST', '/alerts/test', { destinationId: phone.id }), 409, 'destination_not_ready');
  });

  test('a verified phone gets the test SMS', async () => {
    const phone = await verifiedPhone(w, w.carol.token, '+15551230004');
    await alertsApi(w, w.carol.token, 'POST', '/alerts/test', { destinationId: phone });
    await deliver(w);
    assert.match(smsTo(w, '+15551230004').at(-1)!.text, /Test alert from Acme Plumbing/);
  });
});

describe('without SMTP or an SMS gateway', () => {
  test('emails and SMS are kept locally and shown together in the demo mailbox', async () => {
    await w.close();
    w = await makeAlertsWorld({ smtpUrl: undefined, smsGateway: undefined, demoMailbox: true });
    const d = await json(await alertsApi(w, w.carol.token, 'POST', '/alerts/destinations', { channel: 'sms', address: '+15551230005' }));
    await subscribe(w, w.carol.token, { events: ['job_started'], destinationIds: [await loginDestination(w, w.carol.token)] });
    await (await import('./alerts-world.js')).officeUpdate(w, job(w, { mine: true }), { status: 'in_progress' });
    await deliver(w);
    assert.equal(w.gateway.hits.length, 0, 'nothing left the machine');
    assert.deepEqual(w.db.prepare('SELECT kind, status FROM alert_outbox ORDER BY id').all(), [{ kind: 'verify', status: 'kept' }, { kind: 'alert', status: 'kept' }]);
    const box = await json(await w.app.request('/api/dev/mailbox', {}, { incoming: { socket: { remoteAddress: '127.0.0.1' } } }));
    const sms = box.find((m: { channel: string }) => m.channel === 'sms');
    assert.equal(sms.to, '+15551230005');
    assert.match(sms.text, /your code to receive alerts by SMS is \d{6}/);
    const alert = box.find((m: { channel: string; subject: string }) => m.channel === 'email' && /Work has started/.test(m.subject));
    assert.equal(alert.to, 'carol@example.com');
    assert.ok(d.id);
  });
});
