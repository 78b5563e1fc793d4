/**
 * Webhook targets (issue 15): a provider key could make this server call loopback, the cloud
 * metadata address or the office network, and read the answers back. Now refused at
 * registration and on every delivery after DNS resolution; the answer's body is never kept;
 * and one stuck receiver delays only itself.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { stmt, nowSeconds } from '../../server/db/index.js';
import { WebhookDeliverer } from '../../server/webhooks/deliverer.js';
import { addWebhookEndpoint, emitWebhook } from '../../server/webhooks/outbox.js';
import { classifyAddress } from '../../server/webhooks/target.js';
import { expectError, json, sleep } from './helpers.js';
import { assertUnchanged, makeProviderWorld, papi, snapshot } from './provider-helpers.js';
import { startReceiver, type Receiver } from './webhook-receiver.js';

let receiver: Receiver;
before(async () => {
  receiver = await startReceiver();
});
after(() => receiver.close());

const port = () => new URL(receiver.url).port;

/** Every spelling of a loopback, internal or reserved address the attack used, and more. */
const REFUSED_BY_DEFAULT = () => [
  `http://127.0.0.1:${port()}/in`,
  `http://127.1.2.3:${port()}/in`,
  `http://[::1]:${port()}/in`,
  `http://0.0.0.0:${port()}/in`,
  `http://2130706433:${port()}/in`,
  `http://0x7f.1:${port()}/in`,
  `http://017700000001:${port()}/in`,
  `http://[::ffff:127.0.0.1]:${port()}/in`,
  `http://[::ffff:7f00:1]:${port()}/in`,
  `http://[64:ff9b::127.0.0.1]:${port()}/in`,
  `http://[2002:7f00:1::]:${port()}/in`,
  `http://localhost:${port()}/in`,
  'http://169.254.169.254/latest/meta-data/',
  'http://[fe80::1]:8080/in',
  'http://10.0.0.5:8080/in',
  'http://172.16.3.4:8080/in',
  'http://192.168.1.10:8080/in',
  'http://100.64.0.1:8080/in',
  'http://[fd00::1]:8080/in',
  'http://224.0.0.1:8080/in',
  'http://255.255.255.255:8080/in',
  'http://[ff02::1]:8080/in',
  'http://[::]:8080/in',
  'https://hooks.example:22/in',
  'http://hooks.example:25/in',
  'https://user:pass@hooks.example/in',
];

describe('registering an endpoint', () => {
  test('loopback, private, link-local, CGNAT, multicast, unspecified, IPv4-mapped and odd ports: 400 naming url, nothing written', async () => {
    const w = await makeProviderWorld();
    const before = snapshot(w.db);
    for (const url of REFUSED_BY_DEFAULT()) {
      const error = await expectError(await papi(w.app, w.keyA, 'POST', '/webhooks/endpoints', { url }), 400, 'validation_failed');
      assert.ok(error.fields?.url, `${url}: names url`);
    }
    assertUnchanged(w.db, before, 'refused targets');
    // A public name that does not resolve here is accepted (checked again when delivering).
    assert.equal((await papi(w.app, w.keyA, 'POST', '/webhooks/endpoints', { url: 'https://hooks.example/in' })).status, 201);
    assert.equal((await papi(w.app, w.keyA, 'POST', '/webhooks/endpoints', { url: 'https://hooks.example:8443/in' })).status, 201);
  });

  test('with webhookPrivateTargets the office network and loopback are allowed; metadata, multicast and unspecified are not', async () => {
    const w = await makeProviderWorld({ webhookPrivateTargets: true });
    for (const url of [`http://127.0.0.1:${port()}/in`, `http://localhost:${port()}/in`, 'http://10.0.0.5:8080/in', 'http://[fd00::1]:8080/in', 'http://192.168.1.10/in']) {
      const res = await papi(w.app, w.keyA, 'POST', '/webhooks/endpoints', { url });
      assert.equal(res.status, 201, `${url}: ${await res.clone().text()}`);
    }
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://0.0.0.0:8080/', 'http://224.0.0.1:8080/', 'http://[fe80::1]:8080/', 'http://10.0.0.5:22/']) {
      await expectError(await papi(w.app, w.keyA, 'POST', '/webhooks/endpoints', { url }), 400, 'validation_failed');
    }
  });

  test('address classes', () => {
    const cases: [string, string][] = [
      ['8.8.8.8', 'public'],
      ['2606:4700::1111', 'public'],
      ['127.0.0.1', 'private'],
      ['::1', 'private'],
      ['::ffff:10.1.1.1', 'private'],
      ['169.254.169.254', 'reserved'],
      ['::ffff:169.254.169.254', 'reserved'],
      ['0.0.0.0', 'reserved'],
      ['::', 'reserved'],
      ['fe80::1%eth0', 'reserved'],
      ['ff02::1', 'reserved'],
      ['64:ff9b::8.8.8.8', 'public'],
    ];
    for (const [ip, kind] of cases) assert.equal(classifyAddress(ip), kind, ip);
    assert.equal(classifyAddress('hooks.example'), null);
  });
});

describe('delivering', () => {
  test('an endpoint stored before the check (or while private targets were allowed) is refused at delivery: the receiver is never called', async () => {
    const w = await makeProviderWorld();
    receiver.hits.length = 0;
    // As a stored row: registration would refuse both.
    addWebhookEndpoint(w.db, w.acme.id, `${receiver.url}/literal`, ['*']);
    addWebhookEndpoint(w.db, w.acme.id, `http://localhost:${port()}/by-name`, ['*']);
    emitWebhook(w.db, w.acme.id, 'job.created', { job: { title: 'x' } });
    assert.equal(await w.app.deps.webhooks.flush(), 0);
    assert.deepEqual(receiver.hits, [], 'nothing reached the loopback receiver');
    const rows = w.db.prepare('SELECT last_status, last_error, attempts FROM webhook_deliveries ORDER BY id').all() as { last_status: null; last_error: string; attempts: number }[];
    assert.deepEqual(rows.map((r) => [r.last_status, r.attempts]), [[null, 1], [null, 1]]);
    assert.match(rows[0]!.last_error, /^refused: the URL must not point to/);
    // The name is refused after it was resolved, on the addresses the connection would use.
    assert.equal(rows[1]!.last_error, 'refused: the name resolves to an address that may not be called');
  });

  test("the receiver's answer is never kept nor listed: status only", async () => {
    const w = await makeProviderWorld({ webhookPrivateTargets: true });
    receiver.hits.length = 0;
    receiver.state.failPaths.add('/secret-page');
    await papi(w.app, w.keyA, 'POST', '/webhooks/endpoints', { url: `${receiver.url}/secret-page` });
    emitWebhook(w.db, w.acme.id, 'job.created', { job: { title: 'x' } });
    await w.app.deps.webhooks.flush();
    receiver.state.failPaths.clear();
    const listed = await json(await papi(w.app, w.keyA, 'GET', '/webhooks/deliveries'));
    assert.deepEqual(listed.items.map((d: { lastStatus: number; lastError: string }) => [d.lastStatus, d.lastError]), [[500, 'HTTP 500']]);
    assert.ok(!JSON.stringify(listed).includes('boom'), 'the body "boom" is not listed');
    assert.equal(w.db.prepare("SELECT count(*) FROM webhook_deliveries WHERE last_error LIKE '%boom%'").pluck().get(), 0, 'nor stored');
    // A row kept by an earlier version, with some of the answer in it, is listed without it.
    w.db.prepare("UPDATE webhook_deliveries SET last_error = 'HTTP 500: <html>internal</html>'").run();
    const old = await json(await papi(w.app, w.keyA, 'GET', '/webhooks/deliveries'));
    assert.equal(old.items[0].lastError, 'HTTP 500');
  });
});

describe('fair delivery', () => {
  async function twoProviders(settings: { webhookTimeoutMs: number; webhookConcurrency: number }) {
    const w = await makeProviderWorld({ webhookPrivateTargets: true, ...settings });
    const stuck = await startReceiver();
    stuck.state.mode = 'hang';
    const quick = await startReceiver();
    await papi(w.app, w.keyA, 'POST', '/webhooks/endpoints', { url: `${stuck.url}/acme` });
    await papi(w.app, w.keyB, 'POST', '/webhooks/endpoints', { url: `${quick.url}/bright` });
    // Three of acme's first, then one of bright's: strictly in order, bright's would wait for all three.
    for (let i = 0; i < 3; i++) emitWebhook(w.db, w.acme.id, 'job.created', { job: { title: `acme ${i}` } });
    emitWebhook(w.db, w.bright.id, 'job.created', { job: { title: 'bright' } });
    const attempts = (providerId: number): number[] =>
      stmt<[number], number>(w.db, 'SELECT d.attempts FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE e.provider_id = ? ORDER BY d.id')
        .pluck()
        .all(providerId);
    const close = async () => {
      await stuck.close();
      await quick.close();
    };
    return { w, stuck, quick, attempts, close };
  }

  async function until(what: () => boolean): Promise<void> {
    for (let i = 0; i < 1000 && !what(); i++) await sleep(10);
    assert.ok(what(), 'the condition was reached');
  }

  test('a receiver that never answers delays only itself: another provider is delivered while its first attempt still hangs', async () => {
    const t = await twoProviders({ webhookTimeoutMs: 3_000, webhookConcurrency: 8 });
    try {
      const flushing = t.w.app.deps.webhooks.flush();
      await until(() => t.quick.hits.length === 1);
      assert.deepEqual(t.attempts(t.w.bright.id), [1], "bright's delivery is done");
      assert.deepEqual(t.attempts(t.w.acme.id), [0, 0, 0], "while acme's first attempt has not ended");
      await until(() => t.stuck.hits.length >= 1);
      assert.equal(t.stuck.hits.length, 1, 'one delivery in flight per endpoint, not three');
      await flushing;
      assert.deepEqual(t.attempts(t.w.acme.id), [1, 1, 1], 'each of acme’s timed out once, in turn');
    } finally {
      await t.close();
    }
  });

  test('the total is bounded: with one slot, the other endpoint waits for it', async () => {
    const t = await twoProviders({ webhookTimeoutMs: 300, webhookConcurrency: 1 });
    try {
      const flushing = t.w.app.deps.webhooks.flush();
      await until(() => t.quick.hits.length === 1);
      assert.ok(t.attempts(t.w.acme.id)[0]! >= 1, 'bright waited for the one slot, held by acme');
      await flushing;
    } finally {
      await t.close();
    }
  });

  test('stop() waits for the deliveries in flight and starts no more', async () => {
    const w = await makeProviderWorld({ webhookPrivateTargets: true });
    const d = new WebhookDeliverer(w.db, { log: () => {}, allowPrivate: true, timeoutMs: 2_000 });
    await papi(w.app, w.keyA, 'POST', '/webhooks/endpoints', { url: `${receiver.url}/stop` });
    emitWebhook(w.db, w.acme.id, 'job.created', { job: {} });
    d.start(10);
    await sleep(200);
    await d.stop();
    const delivered = w.db.prepare("SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered'").pluck().get();
    assert.equal(delivered, 1);
    emitWebhook(w.db, w.acme.id, 'job.created', { job: {} });
    await sleep(100);
    assert.equal(w.db.prepare("SELECT count(*) FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?").pluck().get(nowSeconds()), 1, 'nothing sent after stop');
  });
});
