/**
 * The admin command line for a provider running the portal: spawned for real on a temporary
 * DATA_DIR, its effects checked through the API of an app opened on the same database file.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createApp } from '../../server/app.js';
import { getProviderBySlug } from '../../server/providers/data.js';
import { openDatabase, type Db } from '../../server/db/index.js';
import { defaultSettings, type Settings } from '../../server/settings.js';
import { MAX_ATTEMPTS } from '../../server/webhooks/deliverer.js';
import { emitWebhook } from '../../server/webhooks/outbox.js';
import { expectError, json, nowSeconds, sha256Hex } from './helpers.js';
import { papi } from './provider-helpers.js';
import { startReceiver, verify } from './webhook-receiver.js';

const run = promisify(execFile);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(dataDir: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, ...extraEnv };
  delete env.SMTP_URL;
  return run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { env }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

/** Runs a command that must succeed; returns its output. */
async function ok(dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await cli(dataDir, args, env);
  assert.equal(r.code, 0, `${args.join(' ')} → exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** Runs a command that must fail with this exit code and a message matching `message`. */
async function fails(dataDir: string, args: string[], code: number, message: RegExp): Promise<Result> {
  const r = await cli(dataDir, args);
  assert.equal(r.code, code, `${args.join(' ')} → exit ${r.code} (want ${code}): ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, message, `${args.join(' ')}: message`);
  return r;
}

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'portal-admin-'));

/** Opens the database the CLI wrote, runs `f`, closes it. */
async function withDb<T>(dataDir: string, f: (db: Db) => T | Promise<T>): Promise<T> {
  const db = openDatabase(join(dataDir, 'portal.db'));
  try {
    return await f(db);
  } finally {
    db.close();
  }
}

/** An app over the database the CLI wrote, as the server would open it. */
async function withApp<T>(dataDir: string, f: (app: ReturnType<typeof createApp>, db: Db) => T | Promise<T>, settings: Partial<Settings> = {}): Promise<T> {
  return withDb(dataDir, (db) => f(createApp(db, defaultSettings({ log: () => {}, ...settings })), db));
}

const show = async (dir: string, slug: string) => JSON.parse(await ok(dir, ['provider', 'show', '--slug', slug]));

// Each test has its own DATA_DIR. Every command is a process start (~1 s), so the tests are few and full.
describe('admin CLI', () => {
  describe('provider', () => {
    test('create with theme options; invalid values exit 2 naming the option; a duplicate slug exits 1', async () => {
      const dir = tempDir();
      const out = await ok(dir, [
        'provider', 'create', '--slug', 'acme', '--name', 'Acme Plumbing',
        '--portal-url', 'https://www.acme.example/portal', '--origin', 'https://www.acme.example',
        '--brand-color', '#0b5cab', '--accent-color', '#f80', '--font-family', "'Inter', sans-serif",
        '--radius', '0.5rem', '--color-scheme', 'dark', '--logo', '/logos/acme.svg', '--time-zone', 'Europe/London',
      ]);
      assert.match(out, /Created provider acme \(Acme Plumbing\)/);
      assert.doesNotMatch(out, /No --origin|No --portal-url/);
      const expected = {
        slug: 'acme',
        name: 'Acme Plumbing',
        portalUrl: 'https://www.acme.example/portal',
        allowedOrigins: ['https://www.acme.example'],
        theme: { brandColor: '#0b5cab', accentColor: '#f80', fontFamily: "'Inter', sans-serif", radius: '0.5rem', colorScheme: 'dark', logoUrl: '/logos/acme.svg' },
        features: { map: true, alerts: true },
        timeZone: 'Europe/London',
      };
      assert.deepEqual(await show(dir, 'acme'), expected);
      // What the portal's elements are themed with.
      await withApp(dir, async (app) => {
        const config = await json(await app.request('/api/portal/acme/config'));
        assert.deepEqual(config, { slug: 'acme', name: 'Acme Plumbing', theme: expected.theme, features: expected.features, timeZone: 'Europe/London' });
      });

      const bare = await ok(dir, ['provider', 'create', '--slug', 'bare', '--name', 'Bare Ltd']);
      assert.match(bare, /No --origin given/);
      assert.match(bare, /No --portal-url given/);

      for (const [flag, value] of [
        ['--brand-color', 'red'],
        ['--brand-color', '#12345'],
        ['--accent-color', 'rgb(0,0,0)'],
        ['--radius', '10'],
        ['--time-zone', 'Mars/Olympus'],
        ['--color-scheme', 'blue'],
        ['--font-family', 'x;}body{display:none'],
        ['--logo', 'javascript:alert(1)'],
        ['--origin', 'https://www.acme.example/path'],
        ['--origin', 'ftp://acme.example'],
        ['--portal-url', 'javascript:alert(1)'],
      ] as const) {
        const r = await fails(dir, ['provider', 'create', '--slug', 'wrong', '--name', 'Wrong', flag, value], 2, new RegExp(flag));
        assert.match(r.stderr, /Usage:/, 'usage follows');
      }
      await fails(dir, ['provider', 'create', '--slug', 'Not A Slug', '--name', 'X'], 2, /--slug/);
      await fails(dir, ['provider', 'create', '--slug', 'noname'], 2, /--name is required/);
      await fails(dir, ['provider', 'create', '--slug', 'x1', '--name', 'X', '--colour', 'red'], 2, /colour/);
      const dup = await fails(dir, ['provider', 'create', '--slug', 'acme', '--name', 'Another Acme'], 1, /already exists/);
      assert.doesNotMatch(dup.stderr, /Usage:/);
      assert.equal((await show(dir, 'acme')).name, 'Acme Plumbing', 'the first provider is untouched');
      await withDb(dir, (db) => {
        assert.equal(getProviderBySlug(db, 'wrong'), undefined, 'nothing created by refused commands');
        assert.equal(db.prepare('SELECT count(*) FROM providers').pluck().get(), 2);
      });
    });

    test('update: --origin replaces the list (and CORS follows); theme options merge; features; show', async () => {
      const dir = tempDir();
      await ok(dir, ['provider', 'create', '--slug', 'acme', '--name', 'Acme', '--origin', 'https://old.example', '--brand-color', '#111111', '--radius', '4px']);
      await ok(dir, ['provider', 'update', '--slug', 'acme', '--origin', 'https://new.example', '--origin', 'http://localhost:8080', '--accent-color', '#222222']);
      let p = await show(dir, 'acme');
      assert.deepEqual(p.allowedOrigins, ['https://new.example', 'http://localhost:8080']);
      assert.deepEqual(p.theme, { brandColor: '#111111', radius: '4px', accentColor: '#222222' });
      await withApp(dir, async (app) => {
        const from = (origin: string) => app.request('/api/portal/acme/config', { headers: { origin } });
        await expectError(await from('https://old.example'), 403, 'origin_not_allowed');
        const allowed = await from('https://new.example');
        assert.equal(allowed.status, 200);
        assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://new.example');
        assert.equal((await from('http://localhost:8080')).status, 200);
      });

      await ok(dir, ['provider', 'update', '--slug', 'acme', '--name', 'Acme Plumbing', '--portal-url', 'https://new.example/portal']);
      p = await show(dir, 'acme');
      assert.deepEqual([p.name, p.portalUrl, p.allowedOrigins], ['Acme Plumbing', 'https://new.example/portal', ['https://new.example', 'http://localhost:8080']], 'origins stay without --origin');
      await fails(dir, ['provider', 'update', '--slug', 'acme', '--brand-color', 'blue'], 2, /--brand-color/);
      await fails(dir, ['provider', 'update', '--slug', 'acme', '--origin', 'new.example'], 2, /--origin/);
      assert.deepEqual(await show(dir, 'acme'), p, 'refused updates change nothing');
      await fails(dir, ['provider', 'update', '--slug', 'nobody', '--name', 'X'], 1, /No provider "nobody"/);

      assert.match(await ok(dir, ['provider', 'features', '--slug', 'acme', '--map', 'off']), /map off, alerts on/);
      assert.match(await ok(dir, ['provider', 'features', '--slug', 'acme', '--alerts', 'off']), /map off, alerts off/);
      assert.match(await ok(dir, ['provider', 'features', '--slug', 'acme', '--map', 'on']), /map on, alerts off/);
      assert.deepEqual((await show(dir, 'acme')).features, { map: true, alerts: false });
      await fails(dir, ['provider', 'features', '--slug', 'acme', '--map', 'yes'], 2, /--map must be on or off/);
      await withApp(dir, async (app) => assert.deepEqual((await json(await app.request('/api/portal/acme/config'))).features, { map: true, alerts: false }));
      await fails(dir, ['provider', 'show', '--slug', 'nobody'], 1, /No provider "nobody"/);
      await fails(dir, ['provider', 'show'], 2, /--slug is required/);
    });
  });

  describe('API keys', () => {
    test('key create prints a key that works against the API; list; revoke makes it 401', async () => {
      const dir = tempDir();
      await ok(dir, ['provider', 'create', '--slug', 'acme', '--name', 'Acme']);
      await ok(dir, ['provider', 'create', '--slug', 'bright', '--name', 'Bright']);
      const companyOut = await ok(dir, ['company', 'add', '--provider', 'acme', '--name', 'Harbour View', '--address', '12 Quay St', '--phone', '+1 555 0100', '--email', 'office@harbour.example']);
      const companyId = Number(/Created company (\d+) at acme/.exec(companyOut)?.[1]);
      assert.ok(companyId > 0, companyOut);
      await ok(dir, ['company', 'add', '--provider', 'bright', '--name', 'Old Mill']);

      const created = await ok(dir, ['key', 'create', '--provider', 'acme', '--name', 'office sync']);
      const key = /\b(pk_[A-Za-z0-9_-]{43})\b/.exec(created)?.[1];
      assert.ok(key, `a key is printed: ${created}`);
      assert.match(created, /not shown again/);
      const keyId = /API key (\d+) for acme/.exec(created)?.[1];
      assert.ok(keyId, 'the key id is printed');
      const second = /\b(pk_[A-Za-z0-9_-]{43})\b/.exec(await ok(dir, ['key', 'create', '--provider', 'acme', '--name', 'billing']))?.[1];
      assert.ok(second && second !== key, 'each key is new');

      await withApp(dir, async (app, db) => {
        const res = await papi(app, key, 'GET', '/companies');
        assert.equal(res.status, 200);
        const items = (await json(res)).items;
        assert.deepEqual(items.map((c: { id: number; name: string; address: string; phone: string; email: string }) => [c.id, c.name, c.address, c.phone, c.email]), [
          [companyId, 'Harbour View', '12 Quay St', '+1 555 0100', 'office@harbour.example'],
        ], "the key sees its provider's companies, and only those");
        assert.equal(db.prepare('SELECT count(*) FROM api_keys WHERE key_hash = ?').pluck().get(sha256Hex(key)), 1);
        assert.ok(!JSON.stringify(db.prepare('SELECT * FROM api_keys').all()).includes(key.slice(10)), 'only the hash is stored');
      });

      const list = await ok(dir, ['key', 'list', '--provider', 'acme']);
      assert.match(list, new RegExp(`^${keyId}\\t${key.slice(0, 10)}…\\toffice sync\\tcreated .*\\tlast used `, 'm'));
      assert.match(list, /\tbilling\tcreated .*\tnever used/);
      assert.ok(!list.includes(key.slice(10)), 'the list never shows a key');
      assert.match(await ok(dir, ['key', 'list', '--provider', 'bright']), /No API keys/);

      await fails(dir, ['key', 'revoke', '--provider', 'bright', '--key', keyId], 1, /No live key/);
      assert.match(await ok(dir, ['key', 'revoke', '--provider', 'acme', '--key', keyId]), /Revoked key/);
      await ok(dir, ['key', 'revoke', '--provider', 'acme', '--key', second.slice(0, 10)]);
      await withApp(dir, async (app) => {
        await expectError(await papi(app, key, 'GET', '/companies'), 401, 'invalid_api_key');
        await expectError(await papi(app, second, 'GET', '/companies'), 401, 'invalid_api_key');
      });
      assert.match(await ok(dir, ['key', 'list', '--provider', 'acme']), new RegExp(`^${keyId}\\t.*\\trevoked `, 'm'));
      await fails(dir, ['key', 'revoke', '--provider', 'acme', '--key', keyId], 1, /No live key/);
      await fails(dir, ['key', 'create', '--provider', 'acme'], 2, /--name is required/);
      await fails(dir, ['key', 'create', '--provider', 'nobody', '--name', 'x'], 1, /No provider "nobody"/);
    });
  });

  describe('company and webhooks', () => {
    test('company add validates; webhook add (http(s) only) / list / remove; deliveries lists the outbox', async () => {
      const dir = tempDir();
      await ok(dir, ['provider', 'create', '--slug', 'acme', '--name', 'Acme']);
      await fails(dir, ['company', 'add', '--provider', 'acme', '--name', 'X', '--email', 'not-an-email'], 2, /--email/);
      await fails(dir, ['company', 'add', '--provider', 'acme'], 2, /--name is required/);
      await fails(dir, ['company', 'add', '--provider', 'nobody', '--name', 'X'], 1, /No provider/);
      await withDb(dir, (db) => assert.equal(db.prepare('SELECT count(*) FROM companies').pluck().get(), 0, 'refused adds wrote nothing'));

      for (const url of ['ftp://hooks.example/in', 'javascript:alert(1)', 'file:///etc/passwd', 'not a url']) {
        await fails(dir, ['webhook', 'add', '--provider', 'acme', '--url', url], 2, /--url/);
      }
      await fails(dir, ['webhook', 'add', '--provider', 'acme', '--url', 'https://hooks.example/in', '--events', 'job.created,job.exploded'], 2, /--events/);
      await fails(dir, ['webhook', 'add', '--provider', 'acme'], 2, /--url is required/);
      assert.match(await ok(dir, ['webhook', 'list', '--provider', 'acme']), /No webhook endpoints/);

      const added = await ok(dir, ['webhook', 'add', '--provider', 'acme', '--url', 'https://hooks.example/in', '--events', 'job.created, quote.accepted']);
      const endpointId = Number(/Webhook endpoint (\d+)/.exec(added)?.[1]);
      const secret = /(whsec_[A-Za-z0-9_-]+)/.exec(added)?.[1];
      assert.ok(endpointId > 0 && secret, added);
      assert.match(added, /\(job\.created, quote\.accepted\)/);
      // Loopback and the metadata address are refused unless the operator allows private targets.
      for (const url of ['http://127.0.0.1:8080/hooks', 'http://169.254.169.254/latest/meta-data/']) {
        await fails(dir, ['webhook', 'add', '--provider', 'acme', '--url', url], 2, /--url must not point to/);
      }
      const all = await ok(dir, ['webhook', 'add', '--provider', 'acme', '--url', 'https://other-hooks.example/hooks']);
      assert.match(all, /\(\*\)/, 'all events by default');
      const list = await ok(dir, ['webhook', 'list', '--provider', 'acme']);
      assert.match(list, new RegExp(`^${endpointId}\\tactive\\thttps://hooks.example/in\\tjob.created,quote.accepted$`, 'm'));
      assert.ok(!list.includes(secret), 'the secret is shown once only');

      await withApp(dir, async (app, db) => {
        const key = /\b(pk_[A-Za-z0-9_-]{43})\b/.exec(await ok(dir, ['key', 'create', '--provider', 'acme', '--name', 'k']))![1]!;
        const endpoints = (await json(await papi(app, key, 'GET', '/webhooks/endpoints'))).items;
        assert.deepEqual(endpoints.map((e: { id: number; events: string[] }) => [e.id, e.events]), [[endpointId, ['job.created', 'quote.accepted']], [endpointId + 1, ['*']]]);
        assert.equal(db.prepare('SELECT secret FROM webhook_endpoints WHERE id = ?').pluck().get(endpointId), secret);
        // An event for the deliveries list.
        const acme = getProviderBySlug(db, 'acme')!;
        emitWebhook(db, acme.id, 'job.created', { job: { id: 1 } });
      });
      const deliveries = await ok(dir, ['deliveries', '--provider', 'acme']);
      const lines = deliveries.trim().split('\n');
      assert.equal(lines.length, 2, deliveries);
      for (const line of lines) assert.match(line, /^\d+\t\S+\tjob\.created\tpending\t0 attempt\(s\)\thttps?:\/\/\S+\tnext \S+$/);
      assert.match(await ok(dir, ['deliveries', '--provider', 'acme', '--status', 'delivered']), /No webhook deliveries/);
      assert.equal((await ok(dir, ['deliveries', '--provider', 'acme', '--status', 'pending', '--limit', '1'])).trim().split('\n').length, 1);
      await fails(dir, ['deliveries', '--provider', 'acme', '--status', 'lost'], 2, /--status/);
      await fails(dir, ['deliveries', '--provider', 'acme', '--limit', '0'], 2, /--limit/);

      assert.match(await ok(dir, ['webhook', 'remove', '--provider', 'acme', '--id', String(endpointId)]), /will receive nothing more/);
      assert.match(await ok(dir, ['webhook', 'list', '--provider', 'acme']), new RegExp(`^${endpointId}\\tremoved\\t`, 'm'));
      await fails(dir, ['webhook', 'remove', '--provider', 'acme', '--id', '999'], 1, /No endpoint 999/);
      await fails(dir, ['webhook', 'remove', '--provider', 'acme', '--id', 'abc'], 2, /--id/);
    });

    test('deliveries retry: a failed delivery, or all failed ones (of an endpoint), reach the receiver exactly once more; refusals exit 1 and change nothing', async () => {
      const dir = tempDir();
      const receiver = await startReceiver();
      try {
        await ok(dir, ['provider', 'create', '--slug', 'acme', '--name', 'Acme']);
        await ok(dir, ['provider', 'create', '--slug', 'bright', '--name', 'Bright']);
        const endpoint = async (slug: string, path: string) => {
          // The receiver is on loopback: the operator allows private targets, to the CLI and the server.
          const out = await ok(dir, ['webhook', 'add', '--provider', slug, '--url', `${receiver.url}${path}`], { WEBHOOK_PRIVATE_TARGETS: '1' });
          return { id: Number(/Webhook endpoint (\d+)/.exec(out)![1]), secret: /(whsec_[A-Za-z0-9_-]+)/.exec(out)![1]! };
        };
        const one = await endpoint('acme', '/cli/one');
        const two = await endpoint('acme', '/cli/two');
        await endpoint('bright', '/cli/bright');
        // Two events of acme (to both endpoints: deliveries 1 to 4) and one of bright (5), while every receiver is down.
        for (const path of ['/cli/one', '/cli/two', '/cli/bright']) receiver.state.failPaths.add(path);
        const deliveries = (db: Db) => db.prepare('SELECT id, endpoint_id, status, attempts FROM webhook_deliveries ORDER BY id').all() as { id: number; endpoint_id: number; status: string; attempts: number }[];
        /** The worker as the server runs it: every round due now, until nothing is pending. */
        const work = () =>
          withApp(dir, async (app, db) => {
            for (let i = 0; i < MAX_ATTEMPTS; i++) {
              db.prepare("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE status = 'pending'").run(nowSeconds());
              await app.deps.webhooks.flush();
            }
            return deliveries(db);
          }, { webhookPrivateTargets: true });
        await withDb(dir, (db) => {
          for (const slug of ['acme', 'acme', 'bright']) emitWebhook(db, getProviderBySlug(db, slug)!.id, 'job.created', { job: { title: `${slug} job` } });
        });
        assert.deepEqual((await work()).map((d) => [d.id, d.status, d.attempts]), [1, 2, 3, 4, 5].map((id) => [id, 'failed', MAX_ATTEMPTS]));
        receiver.state.failPaths.clear();
        receiver.hits.length = 0;

        // One by id.
        const single = await ok(dir, ['deliveries', 'retry', '--provider', 'acme', '--id', '1']);
        assert.match(single, /Queued again/);
        assert.match(single, /^1\t\S+\tjob\.created\tpending\t0 attempt\(s\)\t\S+\/cli\/one\t\(HTTP 500\)\tnext \S+$/m);
        let rows = await work();
        assert.deepEqual(receiver.hits.map((h) => [h.path, h.status]), [['/cli/one', 200]], 'sent exactly once more');
        assert.ok(verify(one.secret, receiver.hits[0]!.headers['portal-signature'], receiver.hits[0]!.body), 'signed with the endpoint secret');
        assert.deepEqual(rows.map((d) => d.status), ['delivered', 'failed', 'failed', 'failed', 'failed']);

        // Refusals: exit 1 for what cannot be done, 2 for what is not a command; nothing changes.
        const before = await withDb(dir, (db) => db.prepare('SELECT * FROM webhook_deliveries ORDER BY id').all());
        await fails(dir, ['deliveries', 'retry', '--provider', 'acme', '--id', '1'], 1, /never sent twice/);
        await fails(dir, ['deliveries', 'retry', '--provider', 'acme', '--id', '5'], 1, /^Error: No delivery 5 at acme\.$/m);
        await fails(dir, ['deliveries', 'retry', '--provider', 'acme', '--id', '999'], 1, /^Error: No delivery 999 at acme\.$/m);
        await fails(dir, ['deliveries', 'retry', '--provider', 'acme', '--all-failed', '--endpoint', '999'], 1, /No endpoint 999 at acme/);
        await fails(dir, ['deliveries', 'retry', '--provider', 'nobody', '--id', '1'], 1, /No provider "nobody"/);
        for (const id of ['abc', '-1', '99999999999999999999']) {
          await fails(dir, ['deliveries', 'retry', '--provider', 'acme', `--id=${id}`], 2, /--id must be the number of a delivery/);
        }
        await fails(dir, ['deliveries', 'retry', '--provider', 'acme'], 2, /either --id .* or --all-failed/);
        await fails(dir, ['deliveries', 'retry', '--provider', 'acme', '--id', '2', '--all-failed'], 2, /either --id/);
        await fails(dir, ['deliveries', 'retry', '--provider', 'acme', '--id', '2', '--endpoint', String(two.id)], 2, /--endpoint goes with --all-failed/);
        await fails(dir, ['deliveries', 'retry', '--provider', 'acme', '--all-failed', '--endpoint', 'x'], 2, /--endpoint must be the number of an endpoint/);
        await withDb(dir, (db) => assert.deepEqual(db.prepare('SELECT * FROM webhook_deliveries ORDER BY id').all(), before, 'refused retries changed nothing'));

        // All failed of one endpoint; then pending ones are refused; then all failed of the provider.
        const ofTwo = await ok(dir, ['deliveries', 'retry', '--provider', 'acme', '--all-failed', '--endpoint', String(two.id)]);
        assert.deepEqual(ofTwo.trim().split('\n').slice(1).map((l) => l.split('\t')[0]), ['2', '4']);
        await fails(dir, ['deliveries', 'retry', '--provider', 'acme', '--id', '2'], 1, /already pending/);
        const rest = await ok(dir, ['deliveries', 'retry', '--provider', 'acme', '--all-failed']);
        assert.deepEqual(rest.trim().split('\n').slice(1).map((l) => l.split('\t')[0]), ['3'], "acme's last failed one; bright's is not acme's");
        rows = await work();
        assert.deepEqual(rows.map((d) => d.status), ['delivered', 'delivered', 'delivered', 'delivered', 'failed']);
        assert.deepEqual(receiver.hits.map((h) => h.path).sort(), ['/cli/one', '/cli/one', '/cli/two', '/cli/two']);
        for (const h of receiver.hits) assert.ok(verify(h.path === '/cli/one' ? one.secret : two.secret, h.headers['portal-signature'], h.body));
        assert.equal(new Set(receiver.hits.map((h) => h.headers['portal-event-id'])).size, 2, 'each event once per endpoint');
        assert.match(await ok(dir, ['deliveries', 'retry', '--provider', 'acme', '--all-failed']), /No failed deliveries/);

        // A removed endpoint receives nothing, by id or by endpoint.
        receiver.state.failPaths.add('/cli/two');
        await withDb(dir, (db) => void emitWebhook(db, getProviderBySlug(db, 'acme')!.id, 'job.created', { job: { title: 'late' } }));
        rows = await work();
        const lost = rows.find((d) => d.endpoint_id === two.id && d.status === 'failed')!;
        await ok(dir, ['webhook', 'remove', '--provider', 'acme', '--id', String(two.id)]);
        receiver.state.failPaths.clear();
        const hits = receiver.hits.length;
        await fails(dir, ['deliveries', 'retry', '--provider', 'acme', '--id', String(lost.id)], 1, /endpoint of this delivery was removed/);
        await fails(dir, ['deliveries', 'retry', '--provider', 'acme', '--all-failed', '--endpoint', String(two.id)], 1, /endpoint was removed/);
        assert.match(await ok(dir, ['deliveries', 'retry', '--provider', 'acme', '--all-failed']), /No failed deliveries to an active endpoint/);
        await work();
        assert.equal(receiver.hits.length, hits, 'nothing sent to the removed endpoint');
      } finally {
        await receiver.close();
      }
    });
  });

  describe('usage', () => {
    test('an unknown command, a missing command or an unknown option exits 2 with the usage', async () => {
      const dir = tempDir();
      const unknown = await fails(dir, ['frobnicate'], 2, /Unknown command "frobnicate"/);
      assert.match(unknown.stderr, /Usage: npm run admin/);
      assert.match(unknown.stderr, /provider create --slug/);
      assert.match(unknown.stderr, /webhook add/);
      await fails(dir, ['key'], 2, /Unknown command "key"/);
      await fails(dir, ['provider', 'delete', '--slug', 'acme'], 2, /Unknown command "provider"/);
      const none = await cli(dir, []);
      assert.equal(none.code, 2);
      assert.match(none.stdout + none.stderr, /Usage:/);
      const help = await cli(dir, ['help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /deliveries --provider/);
      assert.match(help.stdout, /deliveries retry --provider <slug> \(--id <delivery id> \| --all-failed \[--endpoint <id>\]\)/);
      await fails(dir, ['provider', 'show', '--slug', 'acme', '--verbose'], 2, /verbose/);
    });
  });
});

describe('alerts', () => {
  test('alerts lists the outbox with its dead letters; alerts retry sends one again, never another provider’s', async () => {
    const dir = tempDir();
    await ok(dir, ['provider', 'create', '--slug', 'acme', '--name', 'Acme']);
    await ok(dir, ['provider', 'create', '--slug', 'bright', '--name', 'Bright']);
    const id = await withDb(dir, async (db) => {
      const { createCompany, createContact, getContact } = await import('../../server/companies/data.js');
      const { alertsOverview, queueTest } = await import('../../server/alerts/data.js');
      const { viewerOf } = await import('../../server/permissions.js');
      const p = getProviderBySlug(db, 'acme')!;
      const company = createCompany(db, p.id, { name: 'Co' });
      const viewer = viewerOf(getContact(db, p.id, createContact(db, p.id, { companyId: company, email: 'kim@example.com', name: 'Kim', passwordHash: null }))!);
      queueTest(db, p, viewer, alertsOverview(db, p, viewer).destinations[0]!.id);
      db.prepare("UPDATE alert_outbox SET status = 'failed', attempts = 8, last_error = 'SMTP refused'").run();
      return db.prepare('SELECT id FROM alert_outbox').pluck().get() as number;
    });
    assert.match(await ok(dir, ['alerts', '--provider', 'acme', '--status', 'failed']), new RegExp(`^${id}\\t.*\\ttest\\ttest\\temail\\tfailed\\t8 attempt\\(s\\).*\\(SMTP refused\\)$`, 'm'));
    assert.match(await ok(dir, ['alerts', '--provider', 'bright']), /The alerts outbox is empty/);
    await fails(dir, ['alerts', 'retry', '--provider', 'bright', '--id', String(id)], 1, new RegExp(`No alert ${id} at bright`));
    assert.match(await ok(dir, ['alerts', 'retry', '--provider', 'acme', '--id', String(id)]), /Queued again/);
    await fails(dir, ['alerts', 'retry', '--provider', 'acme', '--id', String(id)], 1, /only failed alerts are sent again/);
    await fails(dir, ['alerts', '--status', 'lost'], 2, /--status must be one of/);
    await fails(dir, ['alerts', 'retry', '--provider', 'acme'], 2, /--id <alert id> or --all-failed/);
    await withDb(dir, (db) => assert.deepEqual(db.prepare('SELECT status, attempts FROM alert_outbox').all(), [{ status: 'pending', attempts: 0 }]));
  });
});
