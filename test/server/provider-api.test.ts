/**
 * The provider API (/api/provider/v1): API keys, tenant isolation, companies, contacts (with
 * the invitation sent through a real SMTP server on loopback), jobs, quotes, equipment, bad
 * input on every write route, and Idempotency-Key.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createApiKey, revokeApiKey } from '../../server/providers/api-keys.js';
import { createContact } from '../../server/companies/data.js';
import { insertEquipment } from '../../server/equipment/data.js';
import { insertJob } from '../../server/jobs/data.js';
import { setPortalUrl } from '../../server/providers/data.js';
import { insertQuote } from '../../server/quotes/data.js';
import { JOB_STATUSES } from '../../server/contract.js';
import { addWebhookEndpoint, emitWebhook } from '../../server/webhooks/outbox.js';
import { authed, expectError, fixtureHashes, json, nowSeconds, PASSWORD_A, post, sha256Hex, sleep, tokenFor } from './helpers.js';
import { assertUnchanged, count, makeProviderWorld, papi, snapshot, type ProviderWorld } from './provider-helpers.js';
import { linkToken, startSmtp, type Inbox } from './smtp.js';

let inbox: Inbox;
before(async () => {
  inbox = await startSmtp();
});
after(async () => {
  await inbox.close();
});

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();
const unique = (): string => randomBytes(4).toString('hex');
const portal = (w: ProviderWorld, token: string, path: string, init: RequestInit = {}) => authed(w.app, `/api/portal/acme/${path}`, token, init);

/** A contact of acme's main company who may do everything in the portal, logged in. */
async function customer(w: ProviderWorld): Promise<{ id: number; token: string; email: string }> {
  const { a } = await fixtureHashes();
  const email = `quinn-${unique()}@example.com`;
  const id = createContact(w.db, w.acme.id, {
    companyId: w.ids.acmeCompany,
    email,
    name: 'Quinn Customer',
    passwordHash: a,
    permissions: { jobs: 'edit_all', quotes: 'edit_all', equipment: 'add', details: 'edit' },
  });
  return { id, email, token: await tokenFor(w.app, 'acme', email, PASSWORD_A) };
}

// ---------------------------------------------------------------------------------------------

describe('API keys', () => {
  test('missing, malformed, wrong or revoked key: 401 with the JSON error shape, and nothing written', async () => {
    const w = await makeProviderWorld();
    const ok = await papi(w.app, w.keyA, 'GET', '/companies');
    assert.equal(ok.status, 200);

    const before = snapshot(w.db);
    const wrongKey = `pk_${randomBytes(32).toString('base64url')}`;
    const attempts: [string, Record<string, string>][] = [
      ['missing', {}],
      ['empty', { authorization: '' }],
      ['not bearer', { authorization: `Basic ${Buffer.from('acme:secret').toString('base64')}` }],
      ['bearer without key', { authorization: 'Bearer ' }],
      ['malformed key', { authorization: 'Bearer pk_short' }],
      ['key with trailing junk', { authorization: `Bearer ${w.keyA} x` }],
      ['wrong key of the right shape', { authorization: `Bearer ${wrongKey}` }],
      ['hash of a key instead of the key', { authorization: `Bearer ${sha256Hex(w.keyA)}` }],
      ['a portal session token', { authorization: `Bearer ${await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A)}` }],
    ];
    const afterLogin = snapshot(w.db);
    for (const [what, headers] of attempts) {
      for (const [method, path, body] of [
        ['GET', '/companies', undefined],
        ['POST', '/companies', { name: 'Sneaky Ltd' }],
        ['GET', `/jobs/1`, undefined],
      ] as const) {
        const res = await papi(w.app, null, method, path, body, headers);
        await expectError(res, 401, 'invalid_api_key');
        assert.equal(res.headers.get('www-authenticate'), 'Bearer', `${what}: WWW-Authenticate`);
      }
    }
    assert.notDeepEqual(before.sessions, afterLogin.sessions, 'sanity: the login wrote a session');
    assertUnchanged(w.db, afterLogin, 'requests without a live key');

    // Revoked: by id, then by prefix. Other keys keep working.
    const second = createApiKey(w.db, w.acme.id, 'script');
    assert.equal((await papi(w.app, second.key, 'GET', '/companies')).status, 200);
    assert.equal(revokeApiKey(w.db, w.acme.id, String(second.id)), true);
    await expectError(await papi(w.app, second.key, 'GET', '/companies'), 401, 'invalid_api_key');
    await expectError(await papi(w.app, second.key, 'POST', '/companies', { name: 'After revoke' }), 401, 'invalid_api_key');
    assert.equal(count(w.db, "SELECT count(*) FROM companies WHERE name = 'After revoke'"), 0);
    assert.equal((await papi(w.app, w.keyA, 'GET', '/companies')).status, 200, 'the other key of the provider still works');

    assert.equal(revokeApiKey(w.db, w.bright.id, w.keyA.slice(0, 10)), false, 'a provider cannot revoke another provider\'s key');
    assert.equal((await papi(w.app, w.keyA, 'GET', '/companies')).status, 200);
    assert.equal(revokeApiKey(w.db, w.acme.id, w.keyA.slice(0, 10)), true);
    await expectError(await papi(w.app, w.keyA, 'GET', '/companies'), 401, 'invalid_api_key');
    assert.equal((await papi(w.app, w.keyB, 'GET', '/companies')).status, 200, "bright's key is unaffected");
  });

  test('only the SHA-256 of a key is stored; the key reaches neither the database nor the log', async () => {
    const w = await makeProviderWorld();
    const { id, key } = createApiKey(w.db, w.acme.id, 'billing');
    assert.match(key, /^pk_[A-Za-z0-9_-]{43}$/);
    assert.equal((await papi(w.app, key, 'GET', '/companies')).status, 200);
    const row = w.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as { key_hash: string; prefix: string; last_used_at: number | null };
    assert.equal(row.key_hash, sha256Hex(key));
    assert.equal(row.prefix, key.slice(0, 10));
    assert.ok(row.last_used_at !== null && Math.abs(row.last_used_at - nowSeconds()) < 5, 'its use is recorded');
    const everything = JSON.stringify(w.db.prepare('SELECT * FROM api_keys').all()) + JSON.stringify(w.db.prepare('SELECT * FROM audit_log').all());
    assert.ok(!everything.includes(key.slice(10)), 'the secret part of the key is stored nowhere');
    assert.ok(!w.logs.join('\n').includes(key.slice(10)), 'nor logged');
  });
});

/** A webhook delivery of the provider that used up its attempts; its id. */
function failedDelivery(w: ProviderWorld, providerId: number): number {
  const endpoint = addWebhookEndpoint(w.db, providerId, 'https://hooks.example/in', ['*']).id;
  emitWebhook(w.db, providerId, 'job.created', { job: { id: 1 } });
  return w.db
    .prepare("UPDATE webhook_deliveries SET status = 'failed', attempts = 10, last_status = 500, last_error = 'HTTP 500: boom' WHERE endpoint_id = ? RETURNING id")
    .pluck()
    .get(endpoint) as number;
}

// ---------------------------------------------------------------------------------------------

describe('tenant isolation', () => {
  /** bright's records of every kind. */
  function brightRecords(w: ProviderWorld) {
    const company = w.ids.brightCompany;
    const contact = w.ids.sharedAtBright;
    const job = insertJob(w.db, w.bright.id, { companyId: company, title: 'Rewire the mill', source: 'office' });
    const quote = insertQuote(w.db, w.bright.id, { companyId: company, title: 'New switchboard', source: 'office' });
    const equipment = insertEquipment(w.db, w.bright.id, { companyId: company, name: 'Switchboard', source: 'office' });
    const endpoint = addWebhookEndpoint(w.db, w.bright.id, 'https://bright.example/hooks', ['*']).id;
    w.db.prepare('INSERT INTO technician_positions (provider_id, job_id, latitude, longitude, recorded_at, created_at) VALUES (?, ?, 1, 2, 3, 4)').run(w.bright.id, job);
    return { company, contact, job, quote, equipment, endpoint };
  }

  test("every id of provider B answers 404 at provider A, for reads and writes, and nothing is written", async () => {
    const w = await makeProviderWorld();
    const b = brightRecords(w);
    const inFuture = iso(nowSeconds() + 30 * 86_400);
    const routes: [string, string, unknown?][] = [
      ['GET', `/companies/${b.company}`],
      ['PATCH', `/companies/${b.company}`, { name: 'Taken over' }],
      ['GET', `/contacts/${b.contact}`],
      ['PATCH', `/contacts/${b.contact}`, { permissions: { jobs: 'edit_all' } }],
      ['PATCH', `/contacts/${b.contact}`, { disabled: true }],
      ['POST', `/contacts/${b.contact}/invite`],
      ['GET', `/jobs/${b.job}`],
      ['PATCH', `/jobs/${b.job}`, { status: 'cancelled', note: 'by A' }],
      ['POST', `/jobs/${b.job}/notes`, { message: 'hello from A' }],
      ['POST', `/jobs/${b.job}/position`, { latitude: 10, longitude: 10 }],
      ['GET', `/quotes/${b.quote}`],
      ['POST', `/quotes/${b.quote}/send`, { lines: [{ description: 'x', quantity: 1, unitPriceCents: 100 }], validUntil: inFuture }],
      ['POST', `/quotes/${b.quote}/expire`],
      ['GET', `/equipment/${b.equipment}`],
      ['PATCH', `/equipment/${b.equipment}`, { location: 'Roof' }],
      ['DELETE', `/webhooks/endpoints/${b.endpoint}`],
    ];
    const before = snapshot(w.db);
    for (const [method, path, body] of routes) {
      await expectError(await papi(w.app, w.keyA, method, path, body), 404, 'not_found');
    }
    assertUnchanged(w.db, before, "A touching B's ids");
    // Sanity: the same ids exist, at B.
    for (const [method, path] of routes.filter(([m]) => m === 'GET')) assert.equal((await papi(w.app, w.keyB, method, path)).status, 200, path);
    assert.equal((await papi(w.app, w.keyB, 'DELETE', `/webhooks/endpoints/${b.endpoint}`)).status, 204);
  });

  test("another provider's companyId or contactId in a create: 404 naming the field, nothing written", async () => {
    const w = await makeProviderWorld();
    const b = brightRecords(w);
    const a = w.ids.acmeCompany;
    const creates: [string, Record<string, unknown>, string][] = [
      ['/contacts', { companyId: b.company, email: `x-${unique()}@example.com`, name: 'X', invite: false }, 'companyId'],
      ['/jobs', { companyId: b.company, title: 'Mine now' }, 'companyId'],
      ['/jobs', { companyId: a, title: 'For their contact', contactId: b.contact }, 'contactId'],
      // A contact of A, but of another company of A.
      ['/jobs', { companyId: a, title: 'For the wrong company', contactId: w.ids.bob }, 'contactId'],
      ['/quotes', { companyId: b.company, title: 'Mine now' }, 'companyId'],
      ['/quotes', { companyId: a, title: 'For their contact', contactId: b.contact }, 'contactId'],
      ['/equipment', { companyId: b.company, name: 'Their boiler' }, 'companyId'],
    ];
    const before = snapshot(w.db);
    for (const [path, body, field] of creates) {
      const error = await expectError(await papi(w.app, w.keyA, 'POST', path, body), 404, 'not_found');
      assert.ok(error.fields?.[field], `${path}: names ${field}`);
    }
    assertUnchanged(w.db, before, "creates with B's ids at A");
  });

  test("lists at A never hold B's records", async () => {
    const w = await makeProviderWorld();
    const b = brightRecords(w);
    insertJob(w.db, w.acme.id, { companyId: w.ids.acmeCompany, title: 'Ours', source: 'office' });
    const ids = async (path: string) => ((await json(await papi(w.app, w.keyA, 'GET', path))).items as { id: number }[]).map((i) => i.id);
    assert.deepEqual((await ids('/companies?limit=500')).sort(), [w.ids.acmeCompany, w.ids.acmeOtherCompany].sort());
    assert.ok(!(await ids('/jobs?limit=500')).includes(b.job), "B's job is not listed at A");
    assert.equal((await ids('/jobs?limit=500')).length, 1);
    assert.deepEqual(await ids('/quotes?limit=500'), []);
    assert.deepEqual(await ids('/webhooks/endpoints'), []);
    assert.deepEqual(await ids('/webhooks/deliveries'), []);
  });

  test("retrying B's webhook delivery at A answers 404 exactly like an unknown id, and nothing is written", async () => {
    const w = await makeProviderWorld();
    const theirs = failedDelivery(w, w.bright.id);
    const before = snapshot(w.db);
    const atA = await papi(w.app, w.keyA, 'POST', `/webhooks/deliveries/${theirs}/retry`);
    const unknown = await papi(w.app, w.keyA, 'POST', `/webhooks/deliveries/${theirs + 1000}/retry`);
    await expectError(atA.clone(), 404, 'not_found');
    assert.equal(unknown.status, 404);
    assert.equal(await atA.text(), await unknown.text(), 'the same answer: nothing tells A that the id exists');
    assertUnchanged(w.db, before, "A retrying B's delivery");
    // Sanity: the id is B's, and B may retry it.
    const atB = await papi(w.app, w.keyB, 'POST', `/webhooks/deliveries/${theirs}/retry`);
    assert.equal(atB.status, 200, await atB.clone().text());
    const retried = await json(atB);
    assert.deepEqual([retried.id, retried.status], [theirs, 'pending']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('companies', () => {
  test('create, read, update one field (the others stay), bad email refused', async () => {
    const w = await makeProviderWorld();
    const res = await papi(w.app, w.keyA, 'POST', '/companies', { name: '  Seaside Hotel ', phone: '+1 555 0199' });
    assert.equal(res.status, 201);
    const created = await json(res);
    assert.deepEqual({ ...created, id: 0, createdAt: '', updatedAt: '' }, { id: 0, name: 'Seaside Hotel', address: '', phone: '+1 555 0199', email: '', createdAt: '', updatedAt: '' });
    assert.deepEqual(await json(await papi(w.app, w.keyA, 'GET', `/companies/${created.id}`)), created);

    const updated = await json(await papi(w.app, w.keyA, 'PATCH', `/companies/${created.id}`, { address: '1 Beach Rd' }));
    assert.deepEqual({ ...updated, updatedAt: '' }, { ...created, address: '1 Beach Rd', updatedAt: '' });
    const cleared = await json(await papi(w.app, w.keyA, 'PATCH', `/companies/${created.id}`, { phone: '', email: 'desk@seaside.example' }));
    assert.equal(cleared.phone, '');
    assert.equal(cleared.email, 'desk@seaside.example');
    assert.equal(cleared.address, '1 Beach Rd');

    const before = snapshot(w.db);
    for (const body of [{}, { email: 'not an email' }, { name: '' }, { phone: 'call me' }]) {
      await expectError(await papi(w.app, w.keyA, 'PATCH', `/companies/${created.id}`, body), 400, 'validation_failed');
    }
    assertUnchanged(w.db, before, 'refused company updates');
  });

  test('list: oldest change first, keyset pages with no duplicates and no gaps, updated_since filters', async () => {
    const w = await makeProviderWorld();
    for (let i = 0; i < 23; i++) assert.equal((await papi(w.app, w.keyA, 'POST', '/companies', { name: `Company ${i}` })).status, 201);
    // Deterministic change times, three companies per second (ties broken by id), newest first by id.
    const base = nowSeconds() - 10_000;
    const all = w.db.prepare('SELECT id FROM companies WHERE provider_id = ? ORDER BY id DESC').pluck().all(w.acme.id) as number[];
    all.forEach((id, i) => w.db.prepare('UPDATE companies SET updated_at = ? WHERE id = ?').run(base + Math.floor(i / 3), id));
    const expected = w.db.prepare('SELECT id FROM companies WHERE provider_id = ? ORDER BY updated_at, id').pluck().all(w.acme.id) as number[];
    assert.equal(expected.length, 25);

    async function readAll(query: string, limit: number): Promise<number[]> {
      const seen: number[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 100; pages++) {
        const page = await json(await papi(w.app, w.keyA, 'GET', `/companies?${query}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`));
        assert.ok(page.items.length <= limit, 'a page is at most the limit');
        seen.push(...page.items.map((c: { id: number }) => c.id));
        cursor = page.nextCursor;
        if (!cursor) return seen;
        assert.equal(page.items.length, limit, 'only the last page is short');
      }
      throw new Error('paging did not end');
    }
    for (const limit of [1, 3, 4, 7, 25, 100]) assert.deepEqual(await readAll('', limit), expected, `limit ${limit}`);

    const since = base + 4;
    const recent = w.db.prepare('SELECT id FROM companies WHERE provider_id = ? AND updated_at >= ? ORDER BY updated_at, id').pluck().all(w.acme.id, since) as number[];
    assert.ok(recent.length > 0 && recent.length < 25, 'sanity: updated_since splits the list');
    assert.deepEqual(await readAll(`updated_since=${encodeURIComponent(iso(since))}&`, 4), recent);
    assert.deepEqual(await readAll(`updated_since=${encodeURIComponent(iso(nowSeconds() + 3600))}&`, 4), []);

    // Changes while a sync pages through: nothing is skipped; a changed company comes again, changed.
    const first = await json(await papi(w.app, w.keyA, 'GET', '/companies?limit=5'));
    const read = first.items.map((c: { id: number }) => c.id) as number[];
    const unread = expected[12]!;
    await papi(w.app, w.keyA, 'PATCH', `/companies/${unread}`, { name: 'Renamed while paging' });
    await papi(w.app, w.keyA, 'PATCH', `/companies/${read[0]}`, { name: 'Renamed after being read' });
    let cursor = first.nextCursor as string | null;
    const rest: { id: number; name: string }[] = [];
    while (cursor) {
      const page = await json(await papi(w.app, w.keyA, 'GET', `/companies?limit=5&cursor=${cursor}`));
      rest.push(...page.items);
      cursor = page.nextCursor;
    }
    assert.deepEqual([...new Set([...read, ...rest.map((c) => c.id)])].sort((x, y) => x - y), [...expected].sort((x, y) => x - y), 'no gaps');
    assert.equal(rest.filter((c) => c.id === unread).length, 1, 'the company changed ahead of the cursor comes once');
    assert.equal(rest.find((c) => c.id === unread)?.name, 'Renamed while paging');
    assert.equal(rest.at(-1)?.name, 'Renamed after being read');
  });

  test('bad list queries: 400 naming the parameter', async () => {
    const w = await makeProviderWorld();
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=ten', 'limit'],
      ['updated_since=yesterday', 'updated_since'],
      ['updated_since=2026-02-30T00:00:00Z', 'updated_since'],
      ['cursor=%21%21', 'cursor'],
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify(['x', 1])).toString('base64url')}`, 'cursor'],
    ] as const) {
      for (const list of ['/companies', '/jobs', '/quotes']) {
        const error = await expectError(await papi(w.app, w.keyA, 'GET', `${list}?${query}`), 400, 'validation_failed');
        assert.ok(error.fields?.[field], `${list}?${query} names ${field}: ${JSON.stringify(error)}`);
      }
    }
    const unknown = await expectError(await papi(w.app, w.keyA, 'GET', '/companies?colour=red'), 400, 'validation_failed');
    assert.match(unknown.message, /colour/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('contacts', () => {
  async function mailWorld() {
    const w = await makeProviderWorld({ smtpUrl: inbox.url, publicUrl: 'https://portal.example' });
    setPortalUrl(w.db, w.acme.id, 'https://acme.example/portal');
    return w;
  }

  test('create with an invitation: the email arrives by SMTP and its link sets the password; permissions as given', async () => {
    const w = await mailWorld();
    const email = `new-${unique()}@example.com`;
    const res = await papi(w.app, w.keyA, 'POST', '/contacts', {
      companyId: w.ids.acmeCompany,
      email,
      name: 'Nina New',
      phone: '+1 555 0123',
      permissions: { jobs: 'view_all', createQuotes: false, map: false },
    });
    assert.equal(res.status, 201);
    const contact = await json(res);
    assert.equal(contact.email, email);
    assert.equal(contact.companyId, w.ids.acmeCompany);
    assert.equal(contact.hasPassword, false);
    assert.equal(contact.disabled, false);
    assert.ok(Date.parse(contact.invitationExpiresAt) > Date.now() + 6 * 86_400_000, 'invitation valid about a week');
    assert.deepEqual(contact.permissions, { jobs: 'view_all', quotes: 'view_own', createJobs: true, createQuotes: false, equipment: 'view', details: 'view', map: false, alerts: true });

    const mail = await inbox.next(email);
    assert.match(mail.subject ?? '', /Acme Plumbing/);
    const token = linkToken(mail, 'invite');
    assert.ok(mail.text!.includes(`https://acme.example/portal#portal-invite=${token}`), 'the link goes to the portal page');
    const set = await post(w.app, '/api/portal/acme/password/set', { token, password: 'a long enough passphrase' });
    assert.equal(set.status, 200);
    const session = await json(set);
    const me = await json(await authed(w.app, '/api/portal/acme/me', session.token));
    assert.deepEqual(me.permissions, contact.permissions);
    assert.equal((await json(await papi(w.app, w.keyA, 'GET', `/contacts/${contact.id}`))).hasPassword, true);

    // Sending the invitation again: a new mail, 202.
    const again = await papi(w.app, w.keyA, 'POST', `/contacts/${contact.id}/invite`);
    assert.equal(again.status, 202);
    assert.ok((await json(again)).invitationExpiresAt, 'a new expiry');
    assert.ok(linkToken(await inbox.next(email), 'invite'), 'a new invitation mail');
    w.app.deps.mailer.stop();
  });

  test('"invite": false sends nothing', async () => {
    const w = await mailWorld();
    const email = `quiet-${unique()}@example.com`;
    const res = await papi(w.app, w.keyA, 'POST', '/contacts', { companyId: w.ids.acmeCompany, email, name: 'Quiet Q', invite: false });
    assert.equal(res.status, 201);
    assert.equal((await json(res)).invitationExpiresAt, null);
    await sleep(50);
    await w.app.deps.mailer.flush();
    assert.equal(count(w.db, 'SELECT count(*) FROM mail_outbox WHERE recipient = ?', email), 0);
    assert.equal(count(w.db, 'SELECT count(*) FROM auth_links'), 0);
    assert.equal(inbox.messages.filter((m) => JSON.stringify(m.to).includes(email)).length, 0);
    w.app.deps.mailer.stop();
  });

  test('a duplicate email (any case) is 409 naming the field; nothing written', async () => {
    const w = await mailWorld();
    const before = snapshot(w.db);
    const res = await papi(w.app, w.keyA, 'POST', '/contacts', { companyId: w.ids.acmeOtherCompany, email: 'ALICE@example.com', name: 'Alice Again' });
    const error = await expectError(res, 409, 'contact_exists');
    assert.ok(error.fields?.email, 'names email');
    await sleep(20);
    assertUnchanged(w.db, before, 'duplicate contact');
    // The same address at another provider is another account.
    assert.equal((await papi(w.app, w.keyB, 'POST', '/contacts', { companyId: w.ids.brightCompany, email: 'alice@example.com', name: 'Alice B', invite: false })).status, 201);
    w.app.deps.mailer.stop();
  });

  test('an invitation without a portal URL is 409 and writes nothing; without invitation it works', async () => {
    const w = await mailWorld();
    const email = `nolink-${unique()}@example.com`;
    const before = snapshot(w.db);
    // bright has no portal URL.
    await expectError(await papi(w.app, w.keyB, 'POST', '/contacts', { companyId: w.ids.brightCompany, email, name: 'No Link' }), 409, 'portal_url_missing');
    await sleep(20);
    assertUnchanged(w.db, before, 'invitation without a portal URL');
    assert.equal((await papi(w.app, w.keyB, 'POST', '/contacts', { companyId: w.ids.brightCompany, email, name: 'No Link', invite: false })).status, 201);
    w.app.deps.mailer.stop();
  });

  test("updating permissions changes what the contact's running session sees at /me; the portal enforces them", async () => {
    const w = await makeProviderWorld();
    const token = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const before = await json(await authed(w.app, '/api/portal/acme/me', token));
    assert.equal(before.permissions.jobs, 'edit_all');
    assert.equal((await authed(w.app, '/api/portal/acme/jobs', token)).status, 200);

    const res = await papi(w.app, w.keyA, 'PATCH', `/contacts/${w.ids.alice}`, { permissions: { jobs: 'none', equipment: 'none', map: false } });
    assert.equal(res.status, 200);
    const updated = await json(res);
    const expected = { ...before.permissions, jobs: 'none', equipment: 'none', map: false };
    assert.deepEqual(updated.permissions, expected);
    assert.deepEqual((await json(await authed(w.app, '/api/portal/acme/me', token))).permissions, expected);
    await expectError(await authed(w.app, '/api/portal/acme/jobs', token), 403, 'forbidden');
    await expectError(await authed(w.app, '/api/portal/acme/equipment', token), 403, 'forbidden');

    const renamed = await json(await papi(w.app, w.keyA, 'PATCH', `/contacts/${w.ids.alice}`, { name: 'Alice A. Archer', phone: '' }));
    assert.deepEqual([renamed.name, renamed.phone, renamed.email], ['Alice A. Archer', '', 'alice@example.com']);
    assert.deepEqual(renamed.permissions, expected, 'a rename leaves the permissions');

    const unchanged = snapshot(w.db);
    for (const body of [{}, { permissions: {} }, { permissions: { jobs: 'everything' } }, { permissions: { superuser: true } }, { permissions: { map: 'yes' } }, { email: 'new@example.com' }, { disabled: 'yes' }]) {
      await expectError(await papi(w.app, w.keyA, 'PATCH', `/contacts/${w.ids.alice}`, body), 400, 'validation_failed');
    }
    assertUnchanged(w.db, unchanged, 'refused contact updates');
  });

  test('disabling a contact ends their sessions and stops logins; enabling lets them back in', async () => {
    const w = await makeProviderWorld();
    const token = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const other = await tokenFor(w.app, 'acme', 'shared@example.com', PASSWORD_A);
    const res = await papi(w.app, w.keyA, 'PATCH', `/contacts/${w.ids.alice}`, { disabled: true });
    assert.equal(res.status, 200);
    assert.equal((await json(res)).disabled, true);
    await expectError(await authed(w.app, '/api/portal/acme/me', token), 401, 'session_expired');
    assert.equal(count(w.db, 'SELECT count(*) FROM sessions WHERE contact_id = ?', w.ids.alice), 0);
    assert.equal((await authed(w.app, '/api/portal/acme/me', other)).status, 200, 'other contacts stay logged in');
    await expectError(await post(w.app, '/api/portal/acme/session', { email: 'alice@example.com', password: PASSWORD_A }), 403, 'account_disabled');

    assert.equal((await json(await papi(w.app, w.keyA, 'PATCH', `/contacts/${w.ids.alice}`, { disabled: false }))).disabled, false);
    assert.ok(await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A), 'logs in again');
  });
});

// ---------------------------------------------------------------------------------------------

describe('jobs', () => {
  test('create: source office, status requested, a "created" timeline entry; optional fields stored', async () => {
    const w = await makeProviderWorld();
    const start = nowSeconds() + 86_400;
    const res = await papi(w.app, w.keyA, 'POST', '/jobs', {
      companyId: w.ids.acmeCompany,
      contactId: w.ids.alice,
      title: 'Annual boiler service',
      address: '12 Quay St',
      latitude: -36.84,
      longitude: 174.76,
      scheduledStart: iso(start),
      technician: 'Sam',
    });
    assert.equal(res.status, 201);
    const job = await json(res);
    assert.equal(job.source, 'office');
    assert.equal(job.status, 'requested');
    assert.match(job.number, /^J-\d+$/);
    assert.deepEqual([job.companyId, job.contactId, job.latitude, job.longitude, job.scheduledStart, job.technician], [w.ids.acmeCompany, w.ids.alice, -36.84, 174.76, iso(start), 'Sam']);
    assert.deepEqual(job.timeline.map((e: { type: string; actor: string; status: string }) => [e.type, e.actor, e.status]), [['created', 'office', 'requested']]);
    assert.deepEqual(await json(await papi(w.app, w.keyA, 'GET', `/jobs/${job.id}`)), job);

    const own = await json(await papi(w.app, w.keyA, 'POST', '/jobs', { companyId: w.ids.acmeCompany, title: 'Numbered', number: 'WO-77', status: 'scheduled' }));
    assert.equal(own.number, 'WO-77');
    assert.equal(own.status, 'scheduled');
    const before = snapshot(w.db);
    const taken = await expectError(await papi(w.app, w.keyA, 'POST', '/jobs', { companyId: w.ids.acmeCompany, title: 'Again', number: 'WO-77' }), 409, 'job_number_taken');
    assert.ok(taken.fields?.number, 'names number');
    assertUnchanged(w.db, before, 'a taken job number');
    assert.equal((await papi(w.app, w.keyB, 'POST', '/jobs', { companyId: w.ids.brightCompany, title: 'Theirs', number: 'WO-77' })).status, 201, 'numbers are per provider');
  });

  test('status through every JOB_STATUS with a note: each change is on the timeline the customer sees', async () => {
    const w = await makeProviderWorld();
    const token = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const job = await json(await papi(w.app, w.keyA, 'POST', '/jobs', { companyId: w.ids.acmeCompany, title: 'Blocked drain' }));
    const walk = [...JOB_STATUSES.filter((s) => s !== 'requested'), 'requested' as const];
    assert.equal(walk.length, JOB_STATUSES.length);
    for (const status of walk) {
      const res = await papi(w.app, w.keyA, 'PATCH', `/jobs/${job.id}`, { status, note: `note for ${status}` });
      assert.equal(res.status, 200, status);
      assert.equal((await json(res)).status, status);
      const seen = await json(await portal(w, token, `jobs/${job.id}`));
      assert.equal(seen.status, status, 'the customer sees the status');
      const last = seen.timeline.at(-1);
      assert.equal(last.type, 'status_changed');
      assert.equal(last.status, status);
      assert.equal(last.actor, 'office');
      assert.ok(last.message.endsWith(`note for ${status}`), last.message);
    }
    const timeline = (await json(await portal(w, token, `jobs/${job.id}`))).timeline as { type: string; status: string }[];
    assert.deepEqual(timeline.map((e) => e.status), ['requested', ...walk]);

    // A note without a status change is a note.
    await papi(w.app, w.keyA, 'PATCH', `/jobs/${job.id}`, { status: 'requested', note: 'still waiting for parts' });
    const last = (await json(await portal(w, token, `jobs/${job.id}`))).timeline.at(-1);
    assert.deepEqual([last.type, last.message], ['note', 'still waiting for parts']);

    const before = snapshot(w.db);
    for (const status of ['done', 'REQUESTED', '', 3, null]) {
      const error = await expectError(await papi(w.app, w.keyA, 'PATCH', `/jobs/${job.id}`, { status }), 400, 'validation_failed');
      assert.match(error.fields?.status ?? '', /must be one of/);
    }
    assertUnchanged(w.db, before, 'unknown statuses');
  });

  test('schedule and technician: the job becomes scheduled and the customer sees when and who', async () => {
    const w = await makeProviderWorld();
    const token = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const job = await json(await papi(w.app, w.keyA, 'POST', '/jobs', { companyId: w.ids.acmeCompany, title: 'Fit new tap' }));
    const start = Math.floor(nowSeconds() / 60) * 60 + 2 * 86_400;
    const res = await papi(w.app, w.keyA, 'PATCH', `/jobs/${job.id}`, { scheduledStart: iso(start), scheduledEnd: iso(start + 7200), technician: 'Sam Spanner' });
    assert.equal(res.status, 200);
    const office = await json(res);
    assert.deepEqual([office.status, office.scheduledStart, office.scheduledEnd, office.technician], ['scheduled', iso(start), iso(start + 7200), 'Sam Spanner']);
    const seen = await json(await portal(w, token, `jobs/${job.id}`));
    assert.deepEqual([seen.status, seen.scheduledStart, seen.scheduledEnd, seen.technician], ['scheduled', iso(start), iso(start + 7200), 'Sam Spanner']);
    const types = seen.timeline.map((e: { type: string }) => e.type);
    assert.ok(types.includes('scheduled'), types.join());
    assert.ok(types.includes('technician_assigned'), types.join());
    assert.ok(seen.timeline.some((e: { message: string }) => e.message.includes('Sam Spanner')), 'the technician is named on the timeline');

    const cleared = await json(await papi(w.app, w.keyA, 'PATCH', `/jobs/${job.id}`, { technician: null, scheduledEnd: null }));
    assert.deepEqual([cleared.technician, cleared.scheduledEnd, cleared.scheduledStart], [null, null, iso(start)]);
    const before = snapshot(w.db);
    for (const body of [{ scheduledStart: 'tomorrow' }, { scheduledStart: null }, { scheduledStart: '2026-13-01T00:00:00Z' }, { technician: 'x'.repeat(201) }]) {
      await expectError(await papi(w.app, w.keyA, 'PATCH', `/jobs/${job.id}`, body), 400, 'validation_failed');
    }
    assertUnchanged(w.db, before, 'bad schedules');
  });

  test('coordinates: out of range is 400 naming the field; latitude without longitude is 400; null clears both', async () => {
    const w = await makeProviderWorld();
    const job = await json(await papi(w.app, w.keyA, 'POST', '/jobs', { companyId: w.ids.acmeCompany, title: 'Roof leak' }));
    const before = snapshot(w.db);
    for (const [body, field] of [
      [{ latitude: 90.0001, longitude: 0 }, 'latitude'],
      [{ latitude: -91, longitude: 0 }, 'latitude'],
      [{ latitude: 0, longitude: 180.5 }, 'longitude'],
      [{ latitude: 0, longitude: -181 }, 'longitude'],
      [{ latitude: '51.5', longitude: 0 }, 'latitude'],
    ] as const) {
      const patch = await expectError(await papi(w.app, w.keyA, 'PATCH', `/jobs/${job.id}`, body), 400, 'validation_failed');
      assert.ok(patch.fields?.[field], `PATCH ${JSON.stringify(body)} names ${field}: ${JSON.stringify(patch)}`);
      const create = await expectError(await papi(w.app, w.keyA, 'POST', '/jobs', { companyId: w.ids.acmeCompany, title: 'x', ...body }), 400, 'validation_failed');
      assert.ok(create.fields?.[field], `POST names ${field}`);
    }
    for (const half of [{ latitude: 10 }, { longitude: 10 }, { latitude: 10, longitude: null }]) {
      await expectError(await papi(w.app, w.keyA, 'PATCH', `/jobs/${job.id}`, half), 400, 'validation_failed');
      await expectError(await papi(w.app, w.keyA, 'POST', '/jobs', { companyId: w.ids.acmeCompany, title: 'x', ...half }), 400, 'validation_failed');
    }
    assertUnchanged(w.db, before, 'bad coordinates');

    const placed = await json(await papi(w.app, w.keyA, 'PATCH', `/jobs/${job.id}`, { latitude: 90, longitude: -180 }));
    assert.deepEqual([placed.latitude, placed.longitude], [90, -180]);
    const cleared = await json(await papi(w.app, w.keyA, 'PATCH', `/jobs/${job.id}`, { latitude: null, longitude: null }));
    assert.deepEqual([cleared.latitude, cleared.longitude], [null, null]);
  });

  test('notes go on the timeline the customer sees', async () => {
    const w = await makeProviderWorld();
    const token = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const job = await json(await papi(w.app, w.keyA, 'POST', '/jobs', { companyId: w.ids.acmeCompany, title: 'Hot water' }));
    const res = await papi(w.app, w.keyA, 'POST', `/jobs/${job.id}/notes`, { message: '  Parts ordered, back Tuesday.  ' });
    assert.equal(res.status, 201);
    assert.deepEqual((await json(res)).timeline.at(-1).message, 'Parts ordered, back Tuesday.');
    const last = (await json(await portal(w, token, `jobs/${job.id}`))).timeline.at(-1);
    assert.deepEqual([last.type, last.actor, last.message], ['note', 'office', 'Parts ordered, back Tuesday.']);
    const before = snapshot(w.db);
    for (const body of [{}, { message: '' }, { message: '   ' }, { message: 'x'.repeat(2001) }, { message: 'bell\u0007' }, { message: 'x', extra: 1 }]) {
      await expectError(await papi(w.app, w.keyA, 'POST', `/jobs/${job.id}/notes`, body), 400, 'validation_failed');
    }
    assertUnchanged(w.db, before, 'bad notes');
  });

  test("the technician's position is recorded; out of range is 400 naming the field", async () => {
    const w = await makeProviderWorld();
    const job = await json(await papi(w.app, w.keyA, 'POST', '/jobs', { companyId: w.ids.acmeCompany, title: 'On the map' }));
    const at = nowSeconds() - 30;
    const res = await papi(w.app, w.keyA, 'POST', `/jobs/${job.id}/position`, { latitude: -36.85, longitude: 174.76, at: iso(at) });
    assert.equal(res.status, 201);
    assert.deepEqual(await json(res), { jobId: job.id, latitude: -36.85, longitude: 174.76, at: iso(at) });
    const now = await json(await papi(w.app, w.keyA, 'POST', `/jobs/${job.id}/position`, { latitude: 0, longitude: 0 }));
    assert.ok(Math.abs(Date.parse(now.at) / 1000 - nowSeconds()) < 5, 'at defaults to now');
    assert.deepEqual(w.db.prepare('SELECT provider_id, latitude, longitude, recorded_at FROM technician_positions WHERE job_id = ? ORDER BY id LIMIT 1').get(job.id), {
      provider_id: w.acme.id,
      latitude: -36.85,
      longitude: 174.76,
      recorded_at: at,
    });
    const before = snapshot(w.db);
    for (const [body, field] of [
      [{ latitude: 91, longitude: 0 }, 'latitude'],
      [{ latitude: 0, longitude: 200 }, 'longitude'],
      [{ latitude: 0 }, 'longitude'],
      [{ latitude: 0, longitude: 0, at: 'now' }, 'at'],
      [{ latitude: null, longitude: 0 }, 'latitude'],
    ] as const) {
      const error = await expectError(await papi(w.app, w.keyA, 'POST', `/jobs/${job.id}/position`, body), 400, 'validation_failed');
      assert.ok(error.fields?.[field], `${JSON.stringify(body)} names ${field}`);
    }
    await expectError(await papi(w.app, w.keyA, 'POST', '/jobs/999999/position', { latitude: 0, longitude: 0 }), 404, 'not_found');
    assertUnchanged(w.db, before, 'bad positions');
  });

  test('GET /jobs?updated_since includes jobs created in the portal, with source portal', async () => {
    const w = await makeProviderWorld();
    const since = nowSeconds();
    const old = insertJob(w.db, w.acme.id, { companyId: w.ids.acmeCompany, title: 'Old job', source: 'office', createdAt: since - 3600 });
    const token = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const created = await portal(w, token, 'jobs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Dripping tap', address: '12 Quay St' }),
    });
    assert.equal(created.status, 201);
    const portalJob = await json(created);
    const page = await json(await papi(w.app, w.keyA, 'GET', `/jobs?updated_since=${encodeURIComponent(iso(since))}`));
    const ids = page.items.map((j: { id: number }) => j.id);
    assert.ok(!ids.includes(old), 'older jobs are left out');
    const found = page.items.find((j: { id: number }) => j.id === portalJob.id);
    assert.ok(found, 'the portal job is there');
    assert.deepEqual([found.source, found.createdByContactId, found.contactId, found.title], ['portal', w.ids.alice, w.ids.alice, 'Dripping tap']);
    assert.equal((await json(await papi(w.app, w.keyA, 'GET', `/jobs/${portalJob.id}`))).timeline[0].actor, 'customer');
  });
});

// ---------------------------------------------------------------------------------------------

describe('quotes', () => {
  const LINES = [
    { description: 'Labour', quantity: 2.5, unitPriceCents: 9000 },
    { description: 'Valve', quantity: 1, unitPriceCents: 4550 },
  ];
  const TOTAL = 2.5 * 9000 + 4550;

  test('create, send with lines; validUntil in the past or no lines is 400 and writes nothing', async () => {
    const w = await makeProviderWorld();
    const future = iso(nowSeconds() + 14 * 86_400);
    const draft = await json(await papi(w.app, w.keyA, 'POST', '/quotes', { companyId: w.ids.acmeCompany, title: 'Replace cylinder', contactId: w.ids.alice }));
    assert.deepEqual([draft.status, draft.lines, draft.totalCents, draft.response, draft.sentAt], ['requested', [], null, null, null]);
    assert.match(draft.number, /^Q-\d+$/);

    const before = snapshot(w.db);
    for (const [body, field] of [
      [{ lines: LINES, validUntil: iso(nowSeconds() - 60) }, 'validUntil'],
      [{ lines: [], validUntil: future }, 'lines'],
      [{ validUntil: future }, 'lines'],
      [{ lines: LINES }, 'validUntil'],
      [{ lines: [{ description: 'Free', quantity: 0, unitPriceCents: 0 }], validUntil: future }, 'lines.0.quantity'],
      [{ lines: [{ description: 'Refund', quantity: 1, unitPriceCents: -5 }], validUntil: future }, 'lines.0.unitPriceCents'],
      [{ lines: LINES, validUntil: future, currency: 'usd' }, 'currency'],
    ] as const) {
      const error = await expectError(await papi(w.app, w.keyA, 'POST', `/quotes/${draft.id}/send`, body), 400, 'validation_failed');
      assert.ok(error.fields?.[field], `${JSON.stringify(body)} names ${field}: ${JSON.stringify(error)}`);
    }
    for (const body of [
      { companyId: w.ids.acmeCompany, title: 'Past', lines: LINES, validUntil: iso(nowSeconds() - 60) },
      { companyId: w.ids.acmeCompany, title: 'Send without lines', send: true, validUntil: future },
      { companyId: w.ids.acmeCompany, title: 'Send without validity', send: true, lines: LINES },
    ]) {
      await expectError(await papi(w.app, w.keyA, 'POST', '/quotes', body), 400, 'validation_failed');
    }
    assertUnchanged(w.db, before, 'refused sends');

    const sent = await json(await papi(w.app, w.keyA, 'POST', `/quotes/${draft.id}/send`, { lines: LINES, validUntil: future, currency: 'NZD' }));
    assert.deepEqual([sent.status, sent.lines, sent.totalCents, sent.validUntil, sent.currency], ['sent', LINES, TOTAL, future, 'NZD']);
    assert.ok(sent.sentAt, 'sentAt is set');

    const atOnce = await json(await papi(w.app, w.keyA, 'POST', '/quotes', { companyId: w.ids.acmeCompany, title: 'At once', lines: LINES, validUntil: future, send: true }));
    assert.deepEqual([atOnce.status, atOnce.totalCents], ['sent', TOTAL]);
  });

  test("the customer's accept and decline show in GET /quotes/:id response; answered quotes cannot be re-sent or expired", async () => {
    const w = await makeProviderWorld();
    const c = await customer(w);
    const future = iso(nowSeconds() + 14 * 86_400);
    const make = async (title: string) =>
      json(await papi(w.app, w.keyA, 'POST', '/quotes', { companyId: w.ids.acmeCompany, contactId: c.id, title, lines: LINES, validUntil: future, send: true }));
    const one = await make('Accept me');
    const two = await make('Decline me');
    const answer = (id: number, verb: string, note: string) =>
      portal(w, c.token, `quotes/${id}/${verb}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ note }) });
    assert.equal((await answer(one.id, 'accept', 'Go ahead')).status, 200);
    assert.equal((await answer(two.id, 'decline', 'Too dear')).status, 200);

    const accepted = await json(await papi(w.app, w.keyA, 'GET', `/quotes/${one.id}`));
    assert.equal(accepted.status, 'accepted');
    assert.deepEqual({ ...accepted.response, at: undefined }, { status: 'accepted', note: 'Go ahead', at: undefined });
    assert.ok(Math.abs(Date.parse(accepted.response.at) / 1000 - nowSeconds()) < 5, 'answered just now');
    const declined = await json(await papi(w.app, w.keyA, 'GET', `/quotes/${two.id}`));
    assert.deepEqual([declined.status, declined.response.status, declined.response.note], ['declined', 'declined', 'Too dear']);

    const list = await json(await papi(w.app, w.keyA, 'GET', '/quotes'));
    assert.deepEqual(list.items.map((q: { id: number; status: string }) => [q.id, q.status]).sort(), [[one.id, 'accepted'], [two.id, 'declined']].sort());

    const before = snapshot(w.db);
    await expectError(await papi(w.app, w.keyA, 'POST', `/quotes/${one.id}/send`, { lines: LINES, validUntil: future }), 409, 'quote_accepted');
    await expectError(await papi(w.app, w.keyA, 'POST', `/quotes/${two.id}/expire`), 409, 'quote_declined');
    assertUnchanged(w.db, before, 'changing answered quotes');
  });

  test('expire: the customer sees it expired and can no longer accept it', async () => {
    const w = await makeProviderWorld();
    const c = await customer(w);
    const q = await json(
      await papi(w.app, w.keyA, 'POST', '/quotes', { companyId: w.ids.acmeCompany, contactId: c.id, title: 'Short offer', lines: LINES, validUntil: iso(nowSeconds() + 86_400), send: true }),
    );
    const res = await papi(w.app, w.keyA, 'POST', `/quotes/${q.id}/expire`);
    assert.equal(res.status, 200);
    assert.equal((await json(res)).status, 'expired');
    const seen = await json(await portal(w, c.token, `quotes/${q.id}`));
    assert.deepEqual([seen.status, seen.canAnswer], ['expired', false]);
    const accept = await portal(w, c.token, `quotes/${q.id}/accept`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await expectError(accept, 409, 'quote_expired');
    assert.equal((await json(await papi(w.app, w.keyA, 'GET', `/quotes/${q.id}`))).response, null);
    await expectError(await papi(w.app, w.keyA, 'POST', `/quotes/${q.id}/expire`), 409, 'quote_expired');
    // An expired quote may be sent again with a new validity.
    const again = await json(await papi(w.app, w.keyA, 'POST', `/quotes/${q.id}/send`, { lines: LINES, validUntil: iso(nowSeconds() + 86_400) }));
    assert.equal(again.status, 'sent');
  });
});

// ---------------------------------------------------------------------------------------------

describe('equipment', () => {
  test('create with defaults; a PATCH of one field leaves the others as they were; the customer sees it', async () => {
    const w = await makeProviderWorld();
    const token = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const res = await papi(w.app, w.keyA, 'POST', '/equipment', {
      companyId: w.ids.acmeCompany,
      name: 'Boiler',
      make: 'Vaillant',
      model: 'ecoTEC',
      serial: 'SN-1',
      location: 'Basement',
      installedOn: '2019-05-01',
      lastServiceOn: '2025-05-01',
      nextServiceOn: '2026-05-01',
    });
    assert.equal(res.status, 201);
    const eq = await json(res);
    assert.equal(eq.source, 'office');
    const bare = await json(await papi(w.app, w.keyA, 'POST', '/equipment', { companyId: w.ids.acmeCompany, name: 'Heat pump' }));
    assert.deepEqual([bare.make, bare.model, bare.serial, bare.location, bare.installedOn, bare.lastServiceOn, bare.nextServiceOn], ['', '', '', '', null, null, null]);

    const strip = (e: Record<string, unknown>) => ({ ...e, updatedAt: '' });
    const moved = await json(await papi(w.app, w.keyA, 'PATCH', `/equipment/${eq.id}`, { location: 'Garage' }));
    assert.deepEqual(strip(moved), strip({ ...eq, location: 'Garage' }));
    const serviced = await json(await papi(w.app, w.keyA, 'PATCH', `/equipment/${eq.id}`, { lastServiceOn: '2026-01-10', nextServiceOn: null }));
    assert.deepEqual(strip(serviced), strip({ ...eq, location: 'Garage', lastServiceOn: '2026-01-10', nextServiceOn: null }));
    assert.deepEqual(await json(await papi(w.app, w.keyA, 'GET', `/equipment/${eq.id}`)), serviced);

    const listed = await json(await portal(w, token, 'equipment'));
    const mine = listed.items.find((e: { id: number }) => e.id === eq.id);
    assert.deepEqual([mine.location, mine.lastServiceOn, mine.nextServiceOn], ['Garage', '2026-01-10', null]);

    const before = snapshot(w.db);
    for (const [body, field] of [
      [{}, 'body'],
      [{ installedOn: '2026-02-30' }, 'installedOn'],
      [{ installedOn: '1 May 2019' }, 'installedOn'],
      [{ name: '' }, 'name'],
      [{ serial: 'x'.repeat(101) }, 'serial'],
      [{ companyId: w.ids.acmeOtherCompany }, 'body'],
    ] as const) {
      const error = await expectError(await papi(w.app, w.keyA, 'PATCH', `/equipment/${eq.id}`, body), 400, 'validation_failed');
      assert.ok(error.fields?.[field] || JSON.stringify(error).includes('companyId'), `${JSON.stringify(body)}: ${JSON.stringify(error)}`);
    }
    assertUnchanged(w.db, before, 'bad equipment updates');
  });
});

// ---------------------------------------------------------------------------------------------

describe('bad input on every write route', () => {
  test('malformed JSON, not JSON, unknown keys, wrong types, oversized text, control characters, bodies over the limit: clear 4xx, nothing written', async () => {
    const w = await makeProviderWorld();
    const company = w.ids.acmeCompany;
    const job = insertJob(w.db, w.acme.id, { companyId: company, title: 'Target job', source: 'office' });
    const quote = insertQuote(w.db, w.acme.id, { companyId: company, title: 'Target quote', source: 'office' });
    const equipment = insertEquipment(w.db, w.acme.id, { companyId: company, name: 'Target boiler', source: 'office' });
    const future = iso(nowSeconds() + 86_400);
    const line = { description: 'Labour', quantity: 1, unitPriceCents: 100 };
    const routes: { method: string; path: string; valid: Record<string, unknown>; wrongType: Record<string, unknown>; tooLong: Record<string, unknown> }[] = [
      { method: 'POST', path: '/companies', valid: { name: 'Fine Co' }, wrongType: { name: 42 }, tooLong: { name: 'x'.repeat(201) } },
      { method: 'PATCH', path: `/companies/${company}`, valid: { name: 'Fine Co' }, wrongType: { address: ['1', '2'] }, tooLong: { address: 'x'.repeat(501) } },
      { method: 'POST', path: '/contacts', valid: { companyId: company, email: 'fine@example.com', name: 'Fine', invite: false }, wrongType: { companyId: String(company), email: 'fine@example.com', name: 'Fine', invite: false }, tooLong: { companyId: company, email: 'fine@example.com', name: 'x'.repeat(201), invite: false } },
      { method: 'PATCH', path: `/contacts/${w.ids.alice}`, valid: { name: 'Fine' }, wrongType: { permissions: 'all' }, tooLong: { phone: '1'.repeat(41) } },
      { method: 'POST', path: '/jobs', valid: { companyId: company, title: 'Fine' }, wrongType: { companyId: company, title: 'Fine', status: 'done' }, tooLong: { companyId: company, title: 'Fine', description: 'x'.repeat(5001) } },
      { method: 'PATCH', path: `/jobs/${job}`, valid: { title: 'Fine' }, wrongType: { status: 'finished' }, tooLong: { status: 'scheduled', note: 'x'.repeat(1001) } },
      { method: 'POST', path: `/jobs/${job}/notes`, valid: { message: 'Fine' }, wrongType: { message: 7 }, tooLong: { message: 'x'.repeat(2001) } },
      { method: 'POST', path: `/jobs/${job}/position`, valid: { latitude: 1, longitude: 1 }, wrongType: { latitude: '1', longitude: 1 }, tooLong: { latitude: 1e300, longitude: 1 } },
      { method: 'POST', path: '/quotes', valid: { companyId: company, title: 'Fine' }, wrongType: { companyId: company, title: 'Fine', send: 'yes' }, tooLong: { companyId: company, title: 'Fine', lines: Array(201).fill(line) } },
      { method: 'POST', path: `/quotes/${quote}/send`, valid: { lines: [line], validUntil: future }, wrongType: { lines: line, validUntil: future }, tooLong: { lines: [{ ...line, description: 'x'.repeat(501) }], validUntil: future } },
      { method: 'POST', path: '/equipment', valid: { companyId: company, name: 'Fine' }, wrongType: { companyId: company, name: 'Fine', installedOn: 20190501 }, tooLong: { companyId: company, name: 'Fine', location: 'x'.repeat(301) } },
      { method: 'PATCH', path: `/equipment/${equipment}`, valid: { name: 'Fine' }, wrongType: { make: false }, tooLong: { model: 'x'.repeat(101) } },
      { method: 'POST', path: '/webhooks/endpoints', valid: { url: 'https://hooks.example/in' }, wrongType: { url: 'https://hooks.example/in', events: 'job.created' }, tooLong: { url: `https://hooks.example/${'x'.repeat(2000)}` } },
    ];
    const before = snapshot(w.db);
    const huge = JSON.stringify({ name: 'x'.repeat(w.settings.bodyLimitBytes) });
    for (const r of routes) {
      const where = `${r.method} ${r.path}`;
      const firstText = Object.entries(r.valid).find(([, v]) => typeof v === 'string')?.[0];
      const cases: [string, unknown, number, string, Record<string, string>?][] = [
        ['malformed JSON', '{"name": "Fine",', 400, 'invalid_json'],
        ['not an object', '[]', 400, 'validation_failed'],
        ['null', 'null', 400, 'validation_failed'],
        ['empty body', '', 400, 'invalid_json'],
        ['unknown key', { ...r.valid, isAdmin: true }, 400, 'validation_failed'],
        ['wrong type', r.wrongType, 400, 'validation_failed'],
        ['oversized text', r.tooLong, 400, 'validation_failed'],
        ...(firstText ? [['control characters', { ...r.valid, [firstText]: 'Fine\u0000\u001b[31m' }, 400, 'validation_failed'] as [string, unknown, number, string]] : []),
        ['form-encoded', 'name=Fine', 415, 'unsupported_media_type', { 'content-type': 'application/x-www-form-urlencoded' }],
        ['over the size limit', huge, 413, 'payload_too_large'],
      ];
      for (const [what, body, status, code, headers] of cases) {
        const res = await papi(w.app, w.keyA, r.method, r.path, body, headers);
        assert.equal(res.status, status, `${where} ${what}: ${await res.clone().text()}`);
        const error = await expectError(res, status, code);
        if (what === 'unknown key') assert.match(error.message, /isAdmin/, `${where}: names the unknown key`);
        if (status === 400 && code === 'validation_failed') assert.ok(error.fields && Object.keys(error.fields).length > 0, `${where} ${what}: names a field`);
      }
      // Over the limit without a Content-Length (chunked): refused the same.
      const chunked = await w.app.request(`/api/provider/v1${r.path}`, {
        method: r.method,
        headers: { authorization: `Bearer ${w.keyA}`, 'content-type': 'application/json' },
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(huge));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      await expectError(chunked, 413, 'payload_too_large');
    }
    assertUnchanged(w.db, before, 'bad input');
    assert.ok(!w.logs.some((l) => / 500 /.test(l)), 'no 500 on bad input');
    // Sanity: the valid bodies are accepted.
    for (const r of routes) assert.ok((await papi(w.app, w.keyA, r.method, r.path, r.valid)).status < 300, `${r.method} ${r.path} accepts its valid body`);
  });

  test('bad ids in the path and bad delivery filters: 400 or 404, never 500', async () => {
    const w = await makeProviderWorld();
    for (const path of ['/jobs/abc', '/jobs/0', '/jobs/-1', '/jobs/1.5', '/jobs/99999999999999999999', '/companies/x', '/equipment/%20']) {
      await expectError(await papi(w.app, w.keyA, 'GET', path), 400, 'validation_failed');
    }
    await expectError(await papi(w.app, w.keyA, 'GET', '/jobs/424242'), 404, 'not_found');
    await expectError(await papi(w.app, w.keyA, 'GET', '/nothing-here'), 404, 'not_found');
    await expectError(await papi(w.app, w.keyA, 'GET', '/webhooks/deliveries?status=lost'), 400, 'validation_failed');
    await expectError(await papi(w.app, w.keyA, 'GET', '/webhooks/deliveries?limit=0'), 400, 'validation_failed');
  });

  test('retrying a delivery by a bad id: 400 naming the id, nothing written', async () => {
    const w = await makeProviderWorld();
    const ours = failedDelivery(w, w.acme.id);
    const before = snapshot(w.db);
    for (const id of ['abc', '0', '-1', `-${ours}`, '1.5', '1e3', '0x10', '%20', `${ours} `, '99999999999999999999', '9007199254740993']) {
      const error = await expectError(await papi(w.app, w.keyA, 'POST', `/webhooks/deliveries/${id}/retry`), 400, 'validation_failed');
      assert.ok(error.fields?.id, `${id}: names the id (${JSON.stringify(error)})`);
    }
    assertUnchanged(w.db, before, 'retries with bad ids');
    assert.equal((await papi(w.app, w.keyA, 'POST', `/webhooks/deliveries/${ours}/retry`)).status, 200, 'sanity: the good id is retried');
  });
});

// ---------------------------------------------------------------------------------------------

describe('Idempotency-Key', () => {
  const jobCount = (w: ProviderWorld, providerId: number) => count(w.db, 'SELECT count(*) FROM jobs WHERE provider_id = ?', providerId);

  test('a retried POST /jobs with the same key and body gets the same answer, marked replayed; one job is stored', async () => {
    const w = await makeProviderWorld();
    const body = { companyId: w.ids.acmeCompany, title: 'Retry-safe job' };
    const key = { 'idempotency-key': `job-${unique()}` };
    const first = await papi(w.app, w.keyA, 'POST', '/jobs', body, key);
    assert.equal(first.status, 201);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const firstBody = await first.text();
    for (let i = 0; i < 3; i++) {
      const again = await papi(w.app, w.keyA, 'POST', '/jobs', body, key);
      assert.equal(again.status, 201);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.match(again.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(await again.text(), firstBody);
    }
    assert.equal(jobCount(w, w.acme.id), 1);
    assert.equal(count(w.db, 'SELECT count(*) FROM job_events'), 1);
    // Without a key, the same request is a new job.
    assert.equal((await papi(w.app, w.keyA, 'POST', '/jobs', body)).status, 201);
    assert.equal(jobCount(w, w.acme.id), 2);
  });

  test('retries sent at the same time still store one job', async () => {
    const w = await makeProviderWorld();
    const body = { companyId: w.ids.acmeCompany, title: 'Impatient client' };
    const key = { 'idempotency-key': `race-${unique()}` };
    const answers = await Promise.all(Array.from({ length: 5 }, () => papi(w.app, w.keyA, 'POST', '/jobs', body, key)));
    assert.equal(jobCount(w, w.acme.id), 1, `statuses ${answers.map((a) => a.status).join(', ')}`);
    assert.ok(answers.some((a) => a.status === 201), 'one of them created the job');
    for (const a of answers) assert.ok(a.status === 201 || a.status === 409, `each retry is the answer or a "still in progress" 409, not ${a.status}`);
    const later = await papi(w.app, w.keyA, 'POST', '/jobs', body, key);
    assert.equal(later.status, 201);
    assert.equal(later.headers.get('idempotent-replayed'), 'true');
  });

  test('the same key with a different body or path is 422 and writes nothing', async () => {
    const w = await makeProviderWorld();
    const key = { 'idempotency-key': `k-${unique()}` };
    assert.equal((await papi(w.app, w.keyA, 'POST', '/jobs', { companyId: w.ids.acmeCompany, title: 'First' }, key)).status, 201);
    const before = snapshot(w.db);
    await expectError(await papi(w.app, w.keyA, 'POST', '/jobs', { companyId: w.ids.acmeCompany, title: 'Second' }, key), 422, 'idempotency_key_reused');
    await expectError(await papi(w.app, w.keyA, 'POST', '/companies', { name: 'Other' }, key), 422, 'idempotency_key_reused');
    assertUnchanged(w.db, before, 'a reused key');
  });

  test('a 4xx answer is replayed too', async () => {
    const w = await makeProviderWorld();
    const key = { 'idempotency-key': `bad-${unique()}` };
    const body = { companyId: w.ids.acmeCompany, title: 'Bad status', status: 'done' };
    const first = await papi(w.app, w.keyA, 'POST', '/jobs', body, key);
    const firstText = await first.clone().text();
    await expectError(first, 400, 'validation_failed');
    const again = await papi(w.app, w.keyA, 'POST', '/jobs', body, key);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(await again.clone().text(), firstText);
    await expectError(again, 400, 'validation_failed');

    const missing = { 'idempotency-key': `missing-${unique()}` };
    await expectError(await papi(w.app, w.keyA, 'POST', '/jobs', { companyId: 999_999, title: 'Nowhere' }, missing), 404, 'not_found');
    const replayed = await papi(w.app, w.keyA, 'POST', '/jobs', { companyId: 999_999, title: 'Nowhere' }, missing);
    assert.equal(replayed.headers.get('idempotent-replayed'), 'true');
    await expectError(replayed, 404, 'not_found');
    assert.equal(jobCount(w, w.acme.id), 0);
  });

  test('different providers may use the same key independently', async () => {
    const w = await makeProviderWorld();
    const key = { 'idempotency-key': 'order-1001' };
    const a = await papi(w.app, w.keyA, 'POST', '/jobs', { companyId: w.ids.acmeCompany, title: 'A job' }, key);
    const b = await papi(w.app, w.keyB, 'POST', '/jobs', { companyId: w.ids.brightCompany, title: 'B job' }, key);
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.equal(b.headers.get('idempotent-replayed'), null, "B does not get A's answer");
    assert.equal((await json(b)).title, 'B job');
    // Even with a byte-identical request, each provider gets its own answer.
    const sameBody = { name: 'Same Co' };
    const ca = await json(await papi(w.app, w.keyA, 'POST', '/companies', sameBody, { 'idempotency-key': 'same' }));
    const cb = await json(await papi(w.app, w.keyB, 'POST', '/companies', sameBody, { 'idempotency-key': 'same' }));
    assert.notEqual(ca.id, cb.id);
    assert.deepEqual([jobCount(w, w.acme.id), jobCount(w, w.bright.id)], [1, 1]);
    const replay = await papi(w.app, w.keyA, 'POST', '/jobs', { companyId: w.ids.acmeCompany, title: 'A job' }, key);
    assert.equal((await json(replay)).title, 'A job');
  });

  test('a retried DELETE (204, no body) is replayed too', async () => {
    const w = await makeProviderWorld();
    const endpoint = await json(await papi(w.app, w.keyA, 'POST', '/webhooks/endpoints', { url: 'https://hooks.example/in' }));
    const key = { 'idempotency-key': `del-${unique()}` };
    const first = await papi(w.app, w.keyA, 'DELETE', `/webhooks/endpoints/${endpoint.id}`, undefined, key);
    assert.equal(first.status, 204);
    const again = await papi(w.app, w.keyA, 'DELETE', `/webhooks/endpoints/${endpoint.id}`, undefined, key);
    assert.equal(again.status, 204, await again.clone().text());
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(await again.text(), '');
  });

  test('a retried POST /webhooks/deliveries/:id/retry gets the first answer again, not "already pending"; it is queued once', async () => {
    const w = await makeProviderWorld();
    const id = failedDelivery(w, w.acme.id);
    const key = { 'idempotency-key': `retry-${unique()}` };
    const first = await papi(w.app, w.keyA, 'POST', `/webhooks/deliveries/${id}/retry`, undefined, key);
    assert.equal(first.status, 200, await first.clone().text());
    const firstBody = await first.text();
    assert.equal(JSON.parse(firstBody).status, 'pending');
    const before = snapshot(w.db);
    const again = await papi(w.app, w.keyA, 'POST', `/webhooks/deliveries/${id}/retry`, undefined, key);
    assert.equal(again.status, 200);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(await again.text(), firstBody);
    assertUnchanged(w.db, before, 'a replayed retry');
    // A new request (no key) sees the delivery as it now is: queued.
    await expectError(await papi(w.app, w.keyA, 'POST', `/webhooks/deliveries/${id}/retry`), 409, 'delivery_pending');
  });

  test('a malformed key is 400; GETs ignore the key', async () => {
    const w = await makeProviderWorld();
    for (const bad of ['x'.repeat(256), 'has space', 'tab\there', 'ünïcode']) {
      const res = await papi(w.app, w.keyA, 'POST', '/companies', { name: 'K' }, { 'idempotency-key': bad }).catch(() => null);
      // Headers that fetch itself refuses (non-ASCII) never reach the server; that is fine too.
      if (res) await expectError(res, 400, 'validation_failed');
    }
    assert.equal(count(w.db, "SELECT count(*) FROM companies WHERE name = 'K'"), 0);
    const key = { 'idempotency-key': 'reading' };
    const one = await json(await papi(w.app, w.keyA, 'GET', '/companies', undefined, key));
    await papi(w.app, w.keyA, 'POST', '/companies', { name: 'Added between reads' });
    const two = await papi(w.app, w.keyA, 'GET', '/companies', undefined, key);
    assert.equal(two.headers.get('idempotent-replayed'), null);
    assert.equal((await json(two)).items.length, one.items.length + 1);
    assert.equal(count(w.db, 'SELECT count(*) FROM idempotency_keys'), 0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('OpenAPI', () => {
  test('every provider route is documented, behind the API key', async () => {
    const w = await makeProviderWorld();
    const doc = await json(await w.app.request('/api/openapi.json'));
    const served = new Set<string>();
    for (const r of w.app.routes) {
      if (r.method === 'ALL' || !r.path.startsWith('/api/provider/v1')) continue;
      served.add(`${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    }
    assert.ok(served.size >= 25, `sanity: ${served.size} provider routes`);
    for (const route of served) {
      const [method, path] = route.split(' ') as [string, string];
      const op = doc.paths[path]?.[method];
      assert.ok(op, `${route} is documented`);
      assert.deepEqual(op.security, [{ apiKey: [] }], `${route} needs the API key`);
      assert.ok('401' in op.responses, `${route} documents 401`);
    }
  });
});
