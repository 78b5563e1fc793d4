/**
 * Webhooks: what customers do in the portal reaches the provider as signed HTTP POSTs to a real
 * receiver on loopback, through an outbox with retries and exponential backoff that survives a
 * restart and never sends an acknowledged event again.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createApp } from '../../server/app.js';
import { createApiKey } from '../../server/providers/api-keys.js';
import { createCompany, createContact } from '../../server/companies/data.js';
import { createProvider } from '../../server/providers/data.js';
import { openDatabase, type Db } from '../../server/db/index.js';
import { startServer } from '../../server/server.js';
import { defaultSettings } from '../../server/settings.js';
import { backoffSeconds, MAX_ATTEMPTS, WebhookDeliverer } from '../../server/webhooks/deliverer.js';
import { authed, expectError, fixtureHashes, json, nowSeconds, PASSWORD_A, PASSWORD_B, sleep, tokenFor, type App } from './helpers.js';
import { assertUnchanged, count, makeProviderWorld, papi, snapshot, type ProviderWorld } from './provider-helpers.js';
import { HUGE, startReceiver, verify, type Hit, type Receiver } from './webhook-receiver.js';

// The receiver listens on loopback, which only the operator setting for private targets allows.
const LOOPBACK_OK = { webhookPrivateTargets: true } as const;

// ---------------------------------------------------------------------------------------------
// The receiver, fresh for each test.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const payload = (hit: Hit): any => JSON.parse(hit.body);
const types = (hits: Hit[]): string[] => hits.map((h) => String(h.headers['portal-event-type']));

let receiver: Receiver;
before(async () => {
  receiver = await startReceiver();
});
beforeEach(() => {
  receiver.hits.length = 0;
  Object.assign(receiver.state, { failNext: 0, mode: 'ok', hugeSent: 0 });
  receiver.state.failPaths.clear();
});
after(async () => {
  await receiver.close();
});

// ---------------------------------------------------------------------------------------------
// Helpers over a world.

async function register(app: App, key: string, path: string, events?: string[]): Promise<{ id: number; secret: string; url: string }> {
  const res = await papi(app, key, 'POST', '/webhooks/endpoints', { url: `${receiver.url}${path}`, ...(events ? { events } : {}) });
  assert.equal(res.status, 201, await res.clone().text());
  const body = await json(res);
  assert.match(body.secret, /^whsec_[A-Za-z0-9_-]{20,}$/);
  assert.deepEqual(body.events, events ?? ['*']);
  return body;
}

/** A portal request as the customer. */
function act(app: App, slug: string, token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return authed(app, `/api/portal/${slug}/${path}`, token, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
}

/** A contact of acme who may do everything in the portal, logged in. */
async function customer(app: App, db: Db, providerId: number, companyId: number, email = `quinn-${Math.random().toString(36).slice(2, 8)}@example.com`) {
  const { a } = await fixtureHashes();
  const id = createContact(db, providerId, {
    companyId,
    email,
    name: 'Quinn Customer',
    passwordHash: a,
    permissions: { jobs: 'edit_all', quotes: 'edit_all', createJobs: true, createQuotes: true, equipment: 'add', details: 'edit' },
  });
  return { id, token: await tokenFor(app, 'acme', email, PASSWORD_A) };
}

const LINES = [{ description: 'Labour', quantity: 2, unitPriceCents: 9000 }];
const inFuture = () => new Date((nowSeconds() + 14 * 86_400) * 1000).toISOString();

async function sentQuote(app: App, key: string, companyId: number, contactId: number, title: string): Promise<number> {
  const res = await papi(app, key, 'POST', '/quotes', { companyId, contactId, title, lines: LINES, validUntil: inFuture(), send: true });
  assert.equal(res.status, 201);
  return (await json(res)).id;
}

interface DeliveryRow {
  id: number;
  event_id: string;
  endpoint_id: number;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_status: number | null;
  last_error: string | null;
  delivered_at: number | null;
}
const deliveries = (db: Db): DeliveryRow[] => db.prepare('SELECT * FROM webhook_deliveries ORDER BY id').all() as DeliveryRow[];
const makeDue = (db: Db): void => void db.prepare("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE status = 'pending'").run(nowSeconds());

/** Runs the worker, every pending delivery due each time, until MAX_ATTEMPTS are used up. */
async function attemptAll(app: App, db: Db): Promise<void> {
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    makeDue(db);
    await app.deps.webhooks.flush();
  }
}

async function waitFor(what: string, ok: () => boolean, ms = 8000): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

// ---------------------------------------------------------------------------------------------

describe('events from customer actions', () => {
  test('one signed event per action, with the right type and payload', async () => {
    const w = await makeProviderWorld(LOOPBACK_OK);
    const endpoint = await register(w.app, w.keyA, '/hooks/all');
    const c = await customer(w.app, w.db, w.acme.id, w.ids.acmeCompany);
    const toAccept = await sentQuote(w.app, w.keyA, w.ids.acmeCompany, c.id, 'Accept me');
    const toDecline = await sentQuote(w.app, w.keyA, w.ids.acmeCompany, c.id, 'Decline me');
    assert.equal(count(w.db, 'SELECT count(*) FROM webhook_events'), 0, "the office's own actions are not announced back to it");

    const expectations: [string, () => Promise<Response>, number, (data: any, answer: any) => void][] = [];
    let jobId = 0;
    expectations.push(['job.created', () => act(w.app, 'acme', c.token, 'POST', 'jobs', { title: 'Leaking tap', address: '12 Quay St' }), 201, (d, a) => {
      assert.deepEqual([d.job.id, d.job.source, d.job.title, d.job.status, d.job.companyId, d.job.createdByContactId], [a.id, 'portal', 'Leaking tap', 'requested', w.ids.acmeCompany, c.id]);
      assert.equal(d.job.timeline[0].type, 'created');
    }]);
    expectations.push(['job.updated', () => act(w.app, 'acme', c.token, 'PATCH', `jobs/${jobId}`, { description: 'Drips all night' }), 200, (d) => {
      assert.deepEqual([d.job.id, d.job.description, d.changed], [jobId, 'Drips all night', ['description']]);
    }]);
    expectations.push(['quote.requested', () => act(w.app, 'acme', c.token, 'POST', 'quotes', { title: 'New hot water cylinder' }), 201, (d, a) => {
      assert.deepEqual([d.quote.id, d.quote.status, d.quote.title, d.quote.createdByContactId], [a.id, 'requested', 'New hot water cylinder', c.id]);
    }]);
    expectations.push(['quote.accepted', () => act(w.app, 'acme', c.token, 'POST', `quotes/${toAccept}/accept`, { note: 'Go ahead' }), 200, (d) => {
      assert.deepEqual([d.quote.id, d.quote.status, d.quote.response.status, d.quote.response.note, d.quote.totalCents], [toAccept, 'accepted', 'accepted', 'Go ahead', 18000]);
    }]);
    expectations.push(['quote.declined', () => act(w.app, 'acme', c.token, 'POST', `quotes/${toDecline}/decline`, { note: 'Too dear' }), 200, (d) => {
      assert.deepEqual([d.quote.id, d.quote.status, d.quote.response.note], [toDecline, 'declined', 'Too dear']);
    }]);
    expectations.push(['contact.details_changed', () => act(w.app, 'acme', c.token, 'PATCH', 'details', { contact: { phone: '+1 555 0177' }, company: { address: '14 Quay St' } }), 200, (d) => {
      assert.deepEqual([d.contact.id, d.contact.phone, d.company.id, d.company.address], [c.id, '+1 555 0177', w.ids.acmeCompany, '14 Quay St']);
      assert.deepEqual(d.changed, { company: ['address'], contact: ['phone'] });
    }]);
    expectations.push(['equipment.added', () => act(w.app, 'acme', c.token, 'POST', 'equipment', { name: 'Heat pump', make: 'Daikin', serial: 'HP-9' }), 201, (d, a) => {
      assert.deepEqual([d.equipment.id, d.equipment.name, d.equipment.make, d.equipment.serial, d.equipment.source, d.addedByContactId], [a.id, 'Heat pump', 'Daikin', 'HP-9', 'portal', c.id]);
    }]);

    const answers: unknown[] = [];
    for (const [type, run, status] of expectations) {
      const before = count(w.db, 'SELECT count(*) FROM webhook_events');
      const res = await run();
      assert.equal(res.status, status, `${type}: ${await res.clone().text()}`);
      const answer = await res.json();
      answers.push(answer);
      if (type === 'job.created') jobId = answer.id;
      assert.equal(count(w.db, 'SELECT count(*) FROM webhook_events'), before + 1, `${type}: exactly one event`);
      assert.equal(w.db.prepare('SELECT type FROM webhook_events ORDER BY rowid DESC LIMIT 1').pluck().get(), type);
    }
    // Refused actions announce nothing.
    const quiet = count(w.db, 'SELECT count(*) FROM webhook_events');
    assert.equal((await act(w.app, 'acme', c.token, 'POST', 'jobs', { title: '' })).status, 400);
    assert.equal((await act(w.app, 'acme', c.token, 'POST', `quotes/${toAccept}/accept`, {})).status, 409);
    assert.equal((await act(w.app, 'acme', c.token, 'PATCH', 'details', {})).status, 400);
    assert.equal(count(w.db, 'SELECT count(*) FROM webhook_events'), quiet, 'no event for a refused action');

    assert.equal(receiver.hits.length, 0, 'nothing is sent from the request path');
    assert.equal(await w.app.deps.webhooks.flush(), expectations.length);
    const hits = receiver.at('/hooks/all');
    assert.deepEqual(types(hits), expectations.map(([t]) => t));
    hits.forEach((hit, i) => {
      const [type, , , check] = expectations[i]!;
      const p = payload(hit);
      assert.deepEqual(Object.keys(p).sort(), ['createdAt', 'data', 'id', 'type']);
      assert.equal(p.type, type);
      assert.equal(p.id, hit.headers['portal-event-id']);
      assert.match(p.id, /^evt_/);
      assert.ok(Math.abs(Date.parse(p.createdAt) / 1000 - nowSeconds()) < 30, 'createdAt is now');
      assert.match(String(hit.headers['content-type']), /^application\/json/);
      assert.ok(verify(endpoint.secret, hit.headers['portal-signature'], hit.body), `${type}: signature verifies`);
      assert.ok(!hit.body.includes(endpoint.secret), 'the secret is never sent');
      check(p.data, answers[i]);
    });
    assert.equal(new Set(hits.map((h) => h.headers['portal-event-id'])).size, hits.length, 'one event id per action');
    assert.ok(deliveries(w.db).every((d) => d.status === 'delivered' && d.attempts === 1 && d.last_status === 200), 'every delivery acknowledged at the first attempt');
    assert.equal(await w.app.deps.webhooks.flush(), 0);
    assert.equal(receiver.hits.length, expectations.length, 'acknowledged events are not sent again');
  });

  test('the signature: HMAC-SHA256 over "<t>.<raw body>"; a tampered body, another secret or another time fail', async () => {
    const w = await makeProviderWorld(LOOPBACK_OK);
    const endpoint = await register(w.app, w.keyA, '/hooks/sig');
    const other = await register(w.app, w.keyA, '/hooks/other');
    assert.notEqual(endpoint.secret, other.secret);
    const c = await customer(w.app, w.db, w.acme.id, w.ids.acmeCompany);
    assert.equal((await act(w.app, 'acme', c.token, 'POST', 'jobs', { title: 'Sign me', address: '1 Way' })).status, 201);
    await w.app.deps.webhooks.flush();
    const [hit] = receiver.at('/hooks/sig');
    assert.ok(hit, 'the receiver got the event');
    const signature = String(hit.headers['portal-signature']);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature) ?? [];
    assert.ok(t && v1, `signature header shape: ${signature}`);
    assert.equal(hit.headers['portal-timestamp'], t);
    assert.equal(v1, createHmac('sha256', endpoint.secret).update(`${t}.${hit.body}`).digest('hex'));
    assert.ok(verify(endpoint.secret, signature, hit.body), 'the receiver verifies it');

    const tampered = hit.body.replace('Sign me', 'Sign m3');
    assert.notEqual(tampered, hit.body);
    assert.equal(verify(endpoint.secret, signature, tampered), false, 'a tampered body fails');
    assert.equal(verify(endpoint.secret, signature, JSON.stringify(JSON.parse(hit.body), null, 2)), false, 'a re-serialised body fails: verify the raw bytes');
    assert.equal(verify(other.secret, signature, hit.body), false, "another endpoint's secret fails");
    assert.equal(verify(endpoint.secret, signature.replace(`t=${t}`, `t=${Number(t) + 1}`), hit.body), false, 'another timestamp fails');
    assert.ok(verify(other.secret, receiver.at('/hooks/other')[0]!.headers['portal-signature'], receiver.at('/hooks/other')[0]!.body), 'each endpoint signs with its own secret');
  });
});

// ---------------------------------------------------------------------------------------------

describe('retries', () => {
  test('the receiver fails twice, the server restarts in between, the third attempt delivers exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-webhooks-'));
    const file = join(dir, 'portal.db');
    const settings = defaultSettings({ ...LOOPBACK_OK, log: () => {}, webhookTimeoutMs: 2000 });
    let db = openDatabase(file);
    const acme = createProvider(db, { slug: 'acme', name: 'Acme Plumbing' });
    const company = createCompany(db, acme.id, { name: 'Harbour View' });
    const { key } = createApiKey(db, acme.id, 'office');
    let app = createApp(db, settings);
    const endpoint = await register(app, key, '/hooks/retry');
    const c = await customer(app, db, acme.id, company);
    const created = await act(app, 'acme', c.token, 'POST', 'jobs', { title: 'Survives a restart', address: '1 Way' });
    assert.equal(created.status, 201);
    const row = () => deliveries(db)[0]!;

    receiver.state.failNext = 2;
    // Attempt 1 fails: retried after backoffSeconds(1).
    let before = nowSeconds();
    assert.equal(await app.deps.webhooks.flush(), 0);
    let after = nowSeconds();
    let r = row();
    assert.deepEqual([r.status, r.attempts, r.last_status, r.last_error], ['pending', 1, 500, 'HTTP 500']);
    assert.ok(r.next_attempt_at >= before + backoffSeconds(1) && r.next_attempt_at <= after + backoffSeconds(1), 'first wait: backoffSeconds(1)');
    const firstWaitAtMost = r.next_attempt_at - before;
    assert.equal(await app.deps.webhooks.flush(), 0);
    assert.equal(receiver.hits.length, 1, 'not retried before its time');

    // Attempt 2 fails: the wait grows.
    makeDue(db);
    before = nowSeconds();
    assert.equal(await app.deps.webhooks.flush(), 0);
    after = nowSeconds();
    r = row();
    assert.deepEqual([r.status, r.attempts, r.last_status], ['pending', 2, 500]);
    const secondWaitAtLeast = r.next_attempt_at - after;
    assert.ok(secondWaitAtLeast > firstWaitAtMost, `the second wait (${secondWaitAtLeast}s) is longer than the first (${firstWaitAtMost}s)`);
    const listed = await json(await papi(app, key, 'GET', '/webhooks/deliveries'));
    assert.deepEqual(
      listed.items.map((d: any) => [d.status, d.attempts, d.lastStatus, d.lastError, d.nextAttemptAt]),
      [['pending', 2, 500, 'HTTP 500', new Date(r.next_attempt_at * 1000).toISOString()]],
    );

    // Restart: close everything, open the same file again.
    await app.deps.webhooks.stop();
    app.deps.mailer.stop();
    db.close();
    db = openDatabase(file);
    app = createApp(db, settings);
    assert.deepEqual([row().status, row().attempts], ['pending', 2], 'the outbox survived the restart');
    assert.equal(await app.deps.webhooks.flush(), 0, 'still waiting out its backoff');
    assert.equal(receiver.hits.length, 2);
    makeDue(db);
    assert.equal(await app.deps.webhooks.flush(), 1);
    r = row();
    assert.deepEqual([r.status, r.attempts, r.last_status, r.last_error], ['delivered', 3, 200, null]);
    assert.ok(r.delivered_at !== null, 'delivered_at is set');

    // Acknowledged: never sent again, whatever the clock says, by this instance or another.
    db.prepare('UPDATE webhook_deliveries SET next_attempt_at = 0').run();
    for (let i = 0; i < 3; i++) assert.equal(await app.deps.webhooks.flush(), 0);
    const second = createApp(openDatabase(file), settings);
    assert.equal(await second.deps.webhooks.flush(), 0);
    assert.equal(receiver.hits.length, 3);

    const eventId = receiver.hits[0]!.headers['portal-event-id'];
    assert.ok(receiver.hits.every((h) => h.headers['portal-event-id'] === eventId && h.body === receiver.hits[0]!.body), 'the same event, byte for byte');
    assert.deepEqual(receiver.hits.map((h) => h.status), [500, 500, 200]);
    assert.equal(receiver.hits.filter((h) => h.status >= 200 && h.status < 300).length, 1, 'exactly one acknowledged delivery per event id');
    for (const h of receiver.hits) assert.ok(verify(endpoint.secret, h.headers['portal-signature'], h.body), 'each attempt is signed');
    const final = await json(await papi(app, key, 'GET', '/webhooks/deliveries'));
    assert.deepEqual(final.items.map((d: any) => [d.eventId, d.type, d.status, d.attempts, d.lastStatus, d.nextAttemptAt]), [[eventId, 'job.created', 'delivered', 3, 200, null]]);
    db.close();
  });

  test('backoff on a controllable clock: each wait doubles; not a second early; after MAX_ATTEMPTS the delivery is failed', async () => {
    const w = await makeProviderWorld(LOOPBACK_OK);
    await register(w.app, w.keyA, '/hooks/down');
    const c = await customer(w.app, w.db, w.acme.id, w.ids.acmeCompany);
    assert.equal((await act(w.app, 'acme', c.token, 'POST', 'jobs', { title: 'Never acknowledged', address: '1 Way' })).status, 201);
    receiver.state.failPaths.add('/hooks/down');

    let clock = nowSeconds();
    const deliverer = new WebhookDeliverer(w.db, { allowPrivate: true, log: () => {}, timeoutMs: 2000, now: () => clock });
    const waits: number[] = [];
    let due = clock;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      clock = due - 1;
      assert.equal(await deliverer.flush(), 0);
      assert.equal(receiver.hits.length, attempt - 1, `attempt ${attempt} not made a second early`);
      clock = due;
      assert.equal(await deliverer.flush(), 0);
      assert.equal(receiver.hits.length, attempt, `attempt ${attempt} made when due`);
      const r = deliveries(w.db)[0]!;
      assert.equal(r.attempts, attempt);
      assert.equal(r.status, attempt < MAX_ATTEMPTS ? 'pending' : 'failed');
      if (attempt < MAX_ATTEMPTS) {
        waits.push(r.next_attempt_at - clock);
        due = r.next_attempt_at;
      }
    }
    assert.deepEqual(waits, Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => backoffSeconds(i + 1)));
    for (let i = 1; i < waits.length; i++) assert.ok(waits[i]! > waits[i - 1]! || waits[i] === backoffSeconds(99), `wait ${i + 1} grows: ${waits.join(', ')}`);
    assert.equal(waits[0], 10);
    assert.equal(waits[1], 20);

    clock += 30 * 86_400;
    assert.equal(await deliverer.flush(), 0);
    assert.equal(await w.app.deps.webhooks.flush(), 0);
    assert.equal(receiver.hits.length, MAX_ATTEMPTS, 'a failed delivery is not tried again');
    const failed = await json(await papi(w.app, w.keyA, 'GET', '/webhooks/deliveries?status=failed'));
    assert.deepEqual(failed.items.map((d: any) => [d.status, d.attempts, d.lastStatus, d.lastError, d.nextAttemptAt]), [['failed', MAX_ATTEMPTS, 500, 'HTTP 500', null]]);
    assert.deepEqual((await json(await papi(w.app, w.keyA, 'GET', '/webhooks/deliveries?status=pending'))).items, []);
  });

  test('one endpoint failing does not hold back or repeat the delivery of the same event to another', async () => {
    const w = await makeProviderWorld(LOOPBACK_OK);
    await register(w.app, w.keyA, '/hooks/good');
    await register(w.app, w.keyA, '/hooks/bad');
    receiver.state.failPaths.add('/hooks/bad');
    const c = await customer(w.app, w.db, w.acme.id, w.ids.acmeCompany);
    await act(w.app, 'acme', c.token, 'POST', 'jobs', { title: 'Two endpoints', address: '1 Way' });
    assert.equal(await w.app.deps.webhooks.flush(), 1);
    for (let i = 0; i < 3; i++) {
      makeDue(w.db);
      await w.app.deps.webhooks.flush();
    }
    assert.equal(receiver.at('/hooks/good').length, 1);
    assert.equal(receiver.at('/hooks/bad').length, 4);
    assert.equal(receiver.at('/hooks/good')[0]!.headers['portal-event-id'], receiver.at('/hooks/bad')[0]!.headers['portal-event-id']);
    receiver.state.failPaths.clear();
    makeDue(w.db);
    assert.equal(await w.app.deps.webhooks.flush(), 1);
    assert.deepEqual(deliveries(w.db).map((d) => [d.status, d.attempts]), [['delivered', 1], ['delivered', 5]]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('subscriptions and tenants', () => {
  test('an endpoint subscribed to quote.accepted gets only that; events of provider A never reach B and the other way round', async () => {
    const w = await makeProviderWorld(LOOPBACK_OK);
    const all = await register(w.app, w.keyA, '/a/all');
    const accepted = await register(w.app, w.keyA, '/a/accepted', ['quote.accepted']);
    const bright = await register(w.app, w.keyB, '/b/all');
    const c = await customer(w.app, w.db, w.acme.id, w.ids.acmeCompany);
    const quote = await sentQuote(w.app, w.keyA, w.ids.acmeCompany, c.id, 'Accept me');
    await act(w.app, 'acme', c.token, 'POST', 'jobs', { title: 'A job', address: '1 Way' });
    await act(w.app, 'acme', c.token, 'POST', 'quotes', { title: 'A quote request' });
    assert.equal((await act(w.app, 'acme', c.token, 'POST', `quotes/${quote}/accept`, {})).status, 200);
    await act(w.app, 'acme', c.token, 'POST', 'equipment', { name: 'A boiler' });
    // bright's customer does something too.
    const bToken = await tokenFor(w.app, 'bright', 'shared@example.com', PASSWORD_B);
    const bJob = await json(await act(w.app, 'bright', bToken, 'POST', 'jobs', { title: 'B job', address: '2 Mill Lane' }));

    await w.app.deps.webhooks.flush();
    assert.deepEqual(types(receiver.at('/a/all')), ['job.created', 'quote.requested', 'quote.accepted', 'equipment.added']);
    assert.deepEqual(types(receiver.at('/a/accepted')), ['quote.accepted']);
    assert.equal(payload(receiver.at('/a/accepted')[0]!).data.quote.id, quote);
    assert.deepEqual(types(receiver.at('/b/all')), ['job.created']);
    assert.equal(payload(receiver.at('/b/all')[0]!).data.job.id, bJob.id);
    assert.ok(!receiver.at('/a/all').some((h) => h.body.includes('B job')), "B's event never reaches A");
    assert.ok(!receiver.at('/b/all').some((h) => h.body.includes('A job')), "A's events never reach B");
    for (const [path, secret] of [['/a/all', all.secret], ['/a/accepted', accepted.secret], ['/b/all', bright.secret]] as const) {
      for (const h of receiver.at(path)) assert.ok(verify(secret, h.headers['portal-signature'], h.body), `${path} signed with its own secret`);
    }
    assert.ok(!verify(all.secret, receiver.at('/b/all')[0]!.headers['portal-signature'], receiver.at('/b/all')[0]!.body), "A's secret does not verify B's event");

    const listA = (await json(await papi(w.app, w.keyA, 'GET', '/webhooks/deliveries'))).items as { url: string }[];
    const listB = (await json(await papi(w.app, w.keyB, 'GET', '/webhooks/deliveries'))).items as { url: string }[];
    assert.equal(listA.length, 5);
    assert.ok(listA.every((d) => d.url.includes('/a/')), "only A's endpoints in A's list");
    assert.deepEqual(listB.map((d) => d.url), [`${receiver.url}/b/all`]);
    const endpointsA = (await json(await papi(w.app, w.keyA, 'GET', '/webhooks/endpoints'))).items;
    assert.deepEqual(endpointsA.map((e: any) => [e.id, e.url, e.events, e.active]), [
      [all.id, `${receiver.url}/a/all`, ['*'], true],
      [accepted.id, `${receiver.url}/a/accepted`, ['quote.accepted'], true],
    ]);
    assert.ok(!JSON.stringify(endpointsA).includes(all.secret), 'the secret is shown once, at registration');
  });

  test('a removed endpoint receives nothing more, not even what was pending', async () => {
    const w = await makeProviderWorld(LOOPBACK_OK);
    const endpoint = await register(w.app, w.keyA, '/hooks/gone');
    const c = await customer(w.app, w.db, w.acme.id, w.ids.acmeCompany);
    await act(w.app, 'acme', c.token, 'POST', 'jobs', { title: 'Pending when removed', address: '1 Way' });
    assert.equal((await papi(w.app, w.keyA, 'DELETE', `/webhooks/endpoints/${endpoint.id}`)).status, 204);
    await act(w.app, 'acme', c.token, 'POST', 'jobs', { title: 'After removal', address: '1 Way' });
    assert.equal(await w.app.deps.webhooks.flush(), 0);
    assert.equal(receiver.hits.length, 0);
    assert.equal(count(w.db, 'SELECT count(*) FROM webhook_deliveries'), 1, 'no delivery queued for a removed endpoint');
    assert.equal(
      count(w.db, "SELECT count(*) FROM webhook_deliveries WHERE status = 'failed' AND last_error = 'endpoint removed'"),
      1,
      'what was pending is closed as failed, not left pending forever',
    );
    assert.equal((await json(await papi(w.app, w.keyA, 'GET', '/webhooks/endpoints'))).items[0].active, false);
    assert.equal((await papi(w.app, w.keyA, 'DELETE', `/webhooks/endpoints/${endpoint.id}`)).status, 404, 'already removed');
    await expectError(await papi(w.app, w.keyA, 'DELETE', '/webhooks/endpoints/999'), 404, 'not_found');
  });

  test('an endpoint removed while an attempt is in flight: the failed attempt does not reopen the delivery', async () => {
    const w = await makeProviderWorld({ ...LOOPBACK_OK, webhookTimeoutMs: 400 });
    const endpoint = await register(w.app, w.keyA, '/hooks/removed-midway');
    const c = await customer(w.app, w.db, w.acme.id, w.ids.acmeCompany);
    await act(w.app, 'acme', c.token, 'POST', 'jobs', { title: 'In flight', address: '1 Way' });
    receiver.state.mode = 'hang';
    const flushing = w.app.deps.webhooks.flush();
    while (receiver.hits.length === 0) await sleep(10);
    assert.equal((await papi(w.app, w.keyA, 'DELETE', `/webhooks/endpoints/${endpoint.id}`)).status, 204);
    assert.equal(await flushing, 0);
    assert.deepEqual(
      deliveries(w.db).map((r) => [r.status, r.last_error]),
      [['failed', 'endpoint removed']],
      'still closed: a pending delivery to a removed endpoint would never be picked up again',
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('endpoint URLs and receivers that misbehave', () => {
  test('only http(s) URLs are accepted; bad URLs and event names are 400 naming the field, nothing written', async () => {
    const w = await makeProviderWorld(LOOPBACK_OK);
    const before = snapshot(w.db);
    for (const url of [
      'ftp://files.example/hooks',
      'javascript:alert(1)',
      'JavaScript:fetch("//evil")',
      'file:///etc/passwd',
      'data:text/plain,hello',
      'ws://hooks.example/socket',
      'gopher://hooks.example:70/',
      'mailto:office@example.com',
      '//hooks.example/in',
      '/relative/path',
      'not a url',
      'http://',
      '',
      `https://hooks.example/${'x'.repeat(2001)}`,
      'https://hooks.example/\u0000',
      'https://hooks.example/a b',
    ]) {
      const error = await expectError(await papi(w.app, w.keyA, 'POST', '/webhooks/endpoints', { url }), 400, 'validation_failed');
      assert.ok(error.fields?.url, `${JSON.stringify(url)}: names url (${JSON.stringify(error)})`);
    }
    for (const events of [[], ['job.exploded'], 'job.created', ['*', 42]]) {
      await expectError(await papi(w.app, w.keyA, 'POST', '/webhooks/endpoints', { url: 'https://hooks.example/in', events }), 400, 'validation_failed');
    }
    await expectError(await papi(w.app, w.keyA, 'POST', '/webhooks/endpoints', { url: 'https://hooks.example/in', secret: 'mine' }), 400, 'validation_failed');
    assertUnchanged(w.db, before, 'refused endpoints');
    for (const url of ['http://127.0.0.1:59999/in', 'https://hooks.example/in?x=1']) {
      assert.equal((await papi(w.app, w.keyA, 'POST', '/webhooks/endpoints', { url })).status, 201, url);
    }
  });

  test(`a receiver that hangs past webhookTimeoutMs is a failed attempt "timed out", and the worker moves on`, async () => {
    const w = await makeProviderWorld({ ...LOOPBACK_OK, webhookTimeoutMs: 300 });
    await register(w.app, w.keyA, '/hooks/slow');
    const c = await customer(w.app, w.db, w.acme.id, w.ids.acmeCompany);
    await act(w.app, 'acme', c.token, 'POST', 'jobs', { title: 'Slow receiver', address: '1 Way' });
    await act(w.app, 'acme', c.token, 'POST', 'quotes', { title: 'Slow receiver too' });
    receiver.state.mode = 'hang';
    const started = performance.now();
    assert.equal(await w.app.deps.webhooks.flush(), 0);
    const took = performance.now() - started;
    assert.ok(took >= 2 * 250 && took < 5000, `two deliveries, each given up after ~300 ms (took ${took.toFixed(0)} ms)`);
    assert.equal(receiver.hits.length, 2, 'the receiver got both requests');
    for (const r of deliveries(w.db)) assert.deepEqual([r.status, r.attempts, r.last_status, r.last_error], ['pending', 1, null, 'timed out']);
    const listed = (await json(await papi(w.app, w.keyA, 'GET', '/webhooks/deliveries'))).items;
    assert.ok(listed.every((d: any) => d.lastError === 'timed out' && d.status === 'pending'), 'listed as timed out, pending');

    receiver.state.mode = 'ok';
    makeDue(w.db);
    assert.equal(await w.app.deps.webhooks.flush(), 2, 'the next round delivers');
    assert.deepEqual(deliveries(w.db).map((r) => [r.status, r.attempts]), [['delivered', 2], ['delivered', 2]]);
  });

  test('a huge answer is not read into memory: the error kept is short, the download stopped early', async () => {
    const w = await makeProviderWorld({ ...LOOPBACK_OK, webhookTimeoutMs: 5000 });
    await register(w.app, w.keyA, '/hooks/huge');
    const c = await customer(w.app, w.db, w.acme.id, w.ids.acmeCompany);
    await act(w.app, 'acme', c.token, 'POST', 'jobs', { title: 'Huge answer', address: '1 Way' });
    receiver.state.mode = 'huge-error';
    const rss = process.memoryUsage().rss;
    const started = performance.now();
    assert.equal(await w.app.deps.webhooks.flush(), 0);
    assert.ok(performance.now() - started < 8000, 'not waiting for the whole answer');
    const r = deliveries(w.db)[0]!;
    assert.equal(r.last_status, 500);
    assert.match(r.last_error ?? '', /^HTTP 500$/);
    assert.ok(r.last_error!.length <= 500, `last_error is bounded (${r.last_error!.length} characters)`);
    await sleep(50);
    assert.ok(receiver.state.hugeSent < 64 * 1024 * 1024, `the download stopped early (${(receiver.state.hugeSent / 1048576).toFixed(1)} MB of ${HUGE / 1048576} MB sent)`);
    assert.ok(process.memoryUsage().rss - rss < 128 * 1024 * 1024, 'memory did not grow with the answer');

    // A huge 2xx answer is an acknowledgement like any other.
    receiver.state.mode = 'huge-ok';
    receiver.state.hugeSent = 0;
    makeDue(w.db);
    assert.equal(await w.app.deps.webhooks.flush(), 1);
    assert.deepEqual([deliveries(w.db)[0]!.status, deliveries(w.db)[0]!.last_error], ['delivered', null]);
  });

  test('redirects are not followed: a 3xx is a failed attempt', async () => {
    const w = await makeProviderWorld(LOOPBACK_OK);
    await register(w.app, w.keyA, '/hooks/moved');
    const c = await customer(w.app, w.db, w.acme.id, w.ids.acmeCompany);
    await act(w.app, 'acme', c.token, 'POST', 'jobs', { title: 'Redirected', address: '1 Way' });
    receiver.state.mode = 'redirect';
    assert.equal(await w.app.deps.webhooks.flush(), 0);
    const r = deliveries(w.db)[0]!;
    assert.deepEqual([r.status, r.last_status], ['pending', 302]);
    assert.match(r.last_error ?? '', /^HTTP 302/);
    assert.deepEqual(receiver.hits.map((h) => h.path), ['/hooks/moved'], 'the Location was not fetched');
  });

  test('an unreachable receiver is a failed attempt with the reason', async () => {
    const w = await makeProviderWorld(LOOPBACK_OK);
    assert.equal((await papi(w.app, w.keyA, 'POST', '/webhooks/endpoints', { url: 'http://127.0.0.1:59999/nothing-listens' })).status, 201);
    const c = await customer(w.app, w.db, w.acme.id, w.ids.acmeCompany);
    await act(w.app, 'acme', c.token, 'POST', 'jobs', { title: 'Nobody home', address: '1 Way' });
    assert.equal(await w.app.deps.webhooks.flush(), 0);
    const r = deliveries(w.db)[0]!;
    assert.deepEqual([r.status, r.attempts, r.last_status], ['pending', 1, null]);
    assert.ok((r.last_error ?? '').length > 0, 'the reason is kept');
  });
});

// ---------------------------------------------------------------------------------------------

describe('the delivery list', () => {
  test('GET /webhooks/deliveries: newest first, status and attempts, filter by status, limit', async () => {
    const w = await makeProviderWorld(LOOPBACK_OK);
    const endpoint = await register(w.app, w.keyA, '/hooks/list');
    const c = await customer(w.app, w.db, w.acme.id, w.ids.acmeCompany);
    for (const title of ['One', 'Two', 'Three']) await act(w.app, 'acme', c.token, 'POST', 'jobs', { title, address: '1 Way' });
    receiver.state.failNext = 1;
    await w.app.deps.webhooks.flush();
    // The third as if it had failed every attempt.
    w.db.prepare("UPDATE webhook_deliveries SET status = 'failed', attempts = ?, last_status = 500, last_error = 'HTTP 500', delivered_at = NULL WHERE id = 3").run(MAX_ATTEMPTS);

    const all = (await json(await papi(w.app, w.keyA, 'GET', '/webhooks/deliveries'))).items;
    assert.deepEqual(all.map((d: any) => [d.id, d.type, d.status, d.attempts, d.endpointId, d.url]), [
      [3, 'job.created', 'failed', MAX_ATTEMPTS, endpoint.id, `${receiver.url}/hooks/list`],
      [2, 'job.created', 'delivered', 1, endpoint.id, `${receiver.url}/hooks/list`],
      [1, 'job.created', 'pending', 1, endpoint.id, `${receiver.url}/hooks/list`],
    ]);
    for (const d of all) {
      assert.deepEqual(Object.keys(d).sort(), ['attempts', 'createdAt', 'deliveredAt', 'endpointId', 'eventId', 'id', 'lastError', 'lastStatus', 'nextAttemptAt', 'status', 'type', 'url']);
    }
    assert.ok(all[1].deliveredAt && !all[0].deliveredAt && all[2].nextAttemptAt && !all[1].nextAttemptAt, 'deliveredAt only when delivered; nextAttemptAt only when pending');
    assert.equal(all[2].lastError, 'HTTP 500');
    for (const status of ['pending', 'delivered', 'failed']) {
      const items = (await json(await papi(w.app, w.keyA, 'GET', `/webhooks/deliveries?status=${status}`))).items;
      assert.deepEqual(items.map((d: any) => d.status), [status]);
    }
    assert.equal((await json(await papi(w.app, w.keyA, 'GET', '/webhooks/deliveries?limit=2'))).items.length, 2);
    await expectError(await papi(w.app, w.keyA, 'GET', '/webhooks/deliveries?status=lost'), 400, 'validation_failed');
    await expectError(await papi(w.app, null, 'GET', '/webhooks/deliveries'), 401, 'invalid_api_key');
  });
});

// ---------------------------------------------------------------------------------------------

describe('redelivery', () => {
  const retry = (w: ProviderWorld, id: number | string, key = w.keyA) => papi(w.app, key, 'POST', `/webhooks/deliveries/${id}/retry`);

  test('a failed delivery sent again through the API: the running worker sends it exactly once more, signed, then never again', async () => {
    const w = await makeProviderWorld(LOOPBACK_OK);
    const endpoint = await register(w.app, w.keyA, '/hooks/down-then-up');
    const c = await customer(w.app, w.db, w.acme.id, w.ids.acmeCompany);
    assert.equal((await act(w.app, 'acme', c.token, 'POST', 'jobs', { title: 'Sent while the office was down', address: '1 Way' })).status, 201);
    receiver.state.failPaths.add('/hooks/down-then-up');
    await attemptAll(w.app, w.db);
    const [failed] = deliveries(w.db);
    assert.deepEqual([failed!.status, failed!.attempts, failed!.last_status, failed!.last_error], ['failed', MAX_ATTEMPTS, 500, 'HTTP 500']);
    assert.equal(receiver.hits.length, MAX_ATTEMPTS);

    // The receiver is fixed; a failed delivery stays failed until the provider asks.
    receiver.state.failPaths.clear();
    w.db.prepare('UPDATE webhook_deliveries SET next_attempt_at = 0').run();
    assert.equal(await w.app.deps.webhooks.flush(), 0);
    assert.equal(receiver.hits.length, MAX_ATTEMPTS);

    const asked = nowSeconds();
    const res = await retry(w, failed!.id);
    assert.equal(res.status, 200, await res.clone().text());
    const answer = await json(res);
    const [listed] = (await json(await papi(w.app, w.keyA, 'GET', '/webhooks/deliveries'))).items;
    assert.deepEqual(answer, listed, 'answered as the delivery list shows it');
    assert.deepEqual(
      [answer.id, answer.eventId, answer.endpointId, answer.status, answer.attempts, answer.lastStatus, answer.lastError, answer.deliveredAt],
      [failed!.id, failed!.event_id, endpoint.id, 'pending', 0, 500, 'HTTP 500', null],
      'pending with its attempts reset; the last error kept until the next attempt',
    );
    const due = Date.parse(answer.nextAttemptAt) / 1000;
    assert.ok(due >= asked && due <= nowSeconds(), `due now (${answer.nextAttemptAt})`);

    // The worker as the server runs it, on its timer: no test hand moves the clock.
    w.app.deps.webhooks.start(25);
    try {
      await waitFor('the redelivery', () => receiver.hits.length > MAX_ATTEMPTS);
      await sleep(200); // several more rounds: nothing more is sent
    } finally {
      await w.app.deps.webhooks.stop();
    }
    assert.equal(receiver.hits.length, MAX_ATTEMPTS + 1, 'sent exactly once more');
    const hit = receiver.hits.at(-1)!;
    assert.equal(hit.status, 200);
    assert.ok(verify(endpoint.secret, hit.headers['portal-signature'], hit.body), 'the redelivery is signed with the endpoint secret');
    assert.equal(hit.headers['portal-event-id'], failed!.event_id, 'the same event id: receivers can tell it is a redelivery');
    assert.equal(hit.body, receiver.hits[0]!.body, 'the same event, byte for byte');
    const [row] = deliveries(w.db);
    assert.deepEqual([row!.status, row!.attempts, row!.last_status, row!.last_error], ['delivered', 1, 200, null], 'the attempt overwrote the old error');

    // Delivered: a second retry is refused and changes nothing; nothing is ever sent again.
    const before = snapshot(w.db);
    const refused = await expectError(await retry(w, failed!.id), 409, 'delivery_delivered');
    assert.match(refused.message, /never sent twice/);
    assertUnchanged(w.db, before, 'a retry of a delivered delivery');
    w.db.prepare('UPDATE webhook_deliveries SET next_attempt_at = 0').run();
    assert.equal(await w.app.deps.webhooks.flush(), 0);
    assert.equal(receiver.hits.length, MAX_ATTEMPTS + 1);
  });

  test('refused with 409 and nothing changed: a delivery still pending, one to a removed endpoint; unknown ids 404, no key 401', async () => {
    const w = await makeProviderWorld(LOOPBACK_OK);
    await register(w.app, w.keyA, '/hooks/up');
    const gone = await register(w.app, w.keyA, '/hooks/gone');
    const closed = await register(w.app, w.keyA, '/hooks/closed');
    const c = await customer(w.app, w.db, w.acme.id, w.ids.acmeCompany);
    assert.equal((await act(w.app, 'acme', c.token, 'POST', 'jobs', { title: 'To three endpoints', address: '1 Way' })).status, 201);
    receiver.state.failPaths.add('/hooks/gone');
    await attemptAll(w.app, w.db);
    const id = (endpointId: number) => deliveries(w.db).find((d) => d.endpoint_id === endpointId)!.id;
    // /hooks/gone failed every attempt, then was removed; /hooks/closed was removed while a delivery was pending.
    assert.equal((await papi(w.app, w.keyA, 'DELETE', `/webhooks/endpoints/${gone.id}`)).status, 204);
    assert.equal((await act(w.app, 'acme', c.token, 'POST', 'jobs', { title: 'Pending at removal', address: '1 Way' })).status, 201);
    receiver.state.failPaths.clear();
    receiver.state.failNext = 99;
    await w.app.deps.webhooks.flush();
    assert.equal((await papi(w.app, w.keyA, 'DELETE', `/webhooks/endpoints/${closed.id}`)).status, 204);
    const pending = deliveries(w.db).find((d) => d.status === 'pending')!;
    const closedAtRemoval = deliveries(w.db).find((d) => d.last_error === 'endpoint removed')!;
    assert.equal(closedAtRemoval.status, 'failed');
    assert.equal(deliveries(w.db).find((d) => d.id === id(gone.id))!.status, 'failed');
    receiver.state.failNext = 0;
    const hits = receiver.hits.length;

    const before = snapshot(w.db);
    const refusal = await expectError(await retry(w, pending.id), 409, 'delivery_pending');
    assert.match(refusal.message, /already pending/);
    for (const removed of [id(gone.id), closedAtRemoval.id]) {
      const e = await expectError(await retry(w, removed), 409, 'endpoint_removed');
      assert.match(e.message, /removed/);
    }
    await expectError(await retry(w, 424242), 404, 'not_found');
    await expectError(await retry(w, pending.id, 'pk_not-a-key'), 401, 'invalid_api_key');
    await expectError(await papi(w.app, null, 'POST', `/webhooks/deliveries/${pending.id}/retry`), 401, 'invalid_api_key');
    assertUnchanged(w.db, before, 'refused retries');
    makeDue(w.db);
    await w.app.deps.webhooks.flush();
    assert.equal(receiver.hits.length, hits + 1, 'only the pending delivery is sent, to the endpoint still active');
    assert.equal(receiver.hits.at(-1)!.path, '/hooks/up');
  });
});

// ---------------------------------------------------------------------------------------------

describe('the running server', () => {
  test("startServer's worker delivers on its own, and picks up after a restart where it stopped", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'portal-webhooks-server-'));
    const seed = openDatabase(join(dataDir, 'portal.db'));
    const acme = createProvider(seed, { slug: 'acme', name: 'Acme Plumbing' });
    const company = createCompany(seed, acme.id, { name: 'Harbour View' });
    const { a } = await fixtureHashes();
    createContact(seed, acme.id, { companyId: company, email: 'quinn@example.com', name: 'Quinn', passwordHash: a, permissions: { jobs: 'edit_all' } });
    const { key } = createApiKey(seed, acme.id, 'office');
    seed.close();

    const options = { dataDir, port: 0, settings: { ...LOOPBACK_OK, log: () => {}, webhookTimeoutMs: 1000 } };
    let server = await startServer(options);
    const call = (path: string, init: RequestInit & { token?: string } = {}) =>
      fetch(`${server.url}${path}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${init.token}`, ...(init.headers as Record<string, string>) } });
    const endpoint = await json(await call('/api/provider/v1/webhooks/endpoints', { method: 'POST', token: key, body: JSON.stringify({ url: `${receiver.url}/hooks/server` }) }));
    const login = await json(await call('/api/portal/acme/session', { method: 'POST', body: JSON.stringify({ email: 'quinn@example.com', password: PASSWORD_A }) }));
    receiver.state.failPaths.add('/hooks/server');
    assert.equal((await call('/api/portal/acme/jobs', { method: 'POST', token: login.token, body: JSON.stringify({ title: 'Over real HTTP', address: '1 Way' }) })).status, 201);

    await waitFor('the first attempt', () => receiver.hits.length >= 1);
    await server.close();

    // While it is down, the receiver recovers; the retry is due.
    receiver.state.failPaths.clear();
    const db = openDatabase(join(dataDir, 'portal.db'));
    assert.deepEqual(db.prepare('SELECT status, attempts FROM webhook_deliveries').get(), { status: 'pending', attempts: 1 });
    makeDue(db);
    db.close();

    server = await startServer(options);
    await waitFor('the delivery after the restart', () => receiver.hits.some((h) => h.status === 200));
    await sleep(2500); // another round of the worker: nothing more is sent
    const listed = await json(await call('/api/provider/v1/webhooks/deliveries', { token: key }));
    await server.close();
    assert.deepEqual(receiver.hits.map((h) => h.status), [500, 200]);
    assert.ok(verify(endpoint.secret, receiver.hits[1]!.headers['portal-signature'], receiver.hits[1]!.body), 'the delivery after the restart is signed');
    assert.deepEqual(listed.items.map((d: any) => [d.status, d.attempts]), [['delivered', 2]]);
  });
});
