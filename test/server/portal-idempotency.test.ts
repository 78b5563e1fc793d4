/**
 * `Idempotency-Key` on the customer API's writes: what the widget's offline drafts rely on to be
 * sent again after a lost answer without being done twice. Keys are per provider and contact.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertUnchanged, count, makePortalWorld, snapshot, type ContactKey, type PortalWorld } from './portal-world.js';
import { expectError, json } from './helpers.js';

/** A request as `who` with an Idempotency-Key (or none when `key` is undefined). */
async function send(w: PortalWorld, who: ContactKey, method: string, path: string, body: unknown, key: string | undefined, headers: Record<string, string> = {}): Promise<Response> {
  return w.app.request(`/api/portal/${w.slug[who]}/${path}`, {
    method,
    headers: { Authorization: `Bearer ${w.token[who]}`, 'Content-Type': 'application/json', ...(key === undefined ? {} : { 'Idempotency-Key': key }), ...headers },
    body: JSON.stringify(body),
  });
}

interface Write {
  name: string;
  who: ContactKey;
  method: string;
  path: (w: PortalWorld) => string;
  body: unknown;
  other: unknown;
  status: number;
}

const WRITES: Write[] = [
  { name: 'POST jobs', who: 'rec:edit_all', method: 'POST', path: () => 'jobs', body: { title: 'Leaking tap', address: '12 Quay St' }, other: { title: 'Blocked drain', address: '12 Quay St' }, status: 201 },
  { name: 'PATCH jobs/:id', who: 'rec:edit_all', method: 'PATCH', path: (w) => `jobs/${w.jobs.colleague}`, body: { title: 'Renamed once' }, other: { title: 'Renamed twice' }, status: 200 },
  { name: 'POST quotes', who: 'rec:edit_all', method: 'POST', path: () => 'quotes', body: { title: 'New boiler', description: 'Combi, 30 kW' }, other: { title: 'New sink', description: 'Steel' }, status: 201 },
  { name: 'POST quotes/:id/accept', who: 'rec:edit_all', method: 'POST', path: (w) => `quotes/${w.quotes.colleague}/accept`, body: { note: 'Go ahead' }, other: { note: 'Go ahead, quickly' }, status: 200 },
  { name: 'POST quotes/:id/decline', who: 'rec:edit_all', method: 'POST', path: (w) => `quotes/${w.quotes.colleague}/decline`, body: {}, other: { note: 'Too dear' }, status: 200 },
  { name: 'POST equipment', who: 'eq:add', method: 'POST', path: () => 'equipment', body: { name: 'Heat pump' }, other: { name: 'Water softener' }, status: 201 },
  { name: 'PATCH details', who: 'det:edit', method: 'PATCH', path: () => 'details', body: { contact: { phone: '+1 555 0199' } }, other: { contact: { phone: '+1 555 0188' } }, status: 200 },
];

describe('Idempotency-Key on customer writes', () => {
  for (const write of WRITES) {
    test(`${write.name}: a retry gets the first answer, marked replayed, and writes nothing`, async () => {
      const w = await makePortalWorld();
      const first = await send(w, write.who, write.method, write.path(w), write.body, `draft-${write.name.replace(/\W+/g, "-")}`);
      assert.equal(first.status, write.status, await first.clone().text());
      assert.equal(first.headers.get('idempotent-replayed'), null, 'the first answer is not a replay');
      const firstBody = await json(first);
      const after = snapshot(w.db);

      const again = await send(w, write.who, write.method, write.path(w), write.body, `draft-${write.name.replace(/\W+/g, "-")}`);
      assert.equal(again.status, write.status);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(await json(again), firstBody, 'the same answer, ids and times included');
      assertUnchanged(w.db, after, 'the retry');
    });

    test(`${write.name}: the same key with a different body is refused (422) and writes nothing`, async () => {
      const w = await makePortalWorld();
      assert.equal((await send(w, write.who, write.method, write.path(w), write.body, 'reused')).status, write.status);
      const after = snapshot(w.db);
      await expectError(await send(w, write.who, write.method, write.path(w), write.other, 'reused'), 422, 'idempotency_key_reused');
      assertUnchanged(w.db, after, 'the reused key');
    });
  }

  test('two contacts choosing the same key each get their own job; neither sees the other\'s answer', async () => {
    const w = await makePortalWorld();
    const body = { title: 'Same title', address: 'Same street' };
    const mine = await send(w, 'rec:edit_all', 'POST', 'jobs', body, 'draft-1');
    const theirs = await send(w, 'colleague', 'POST', 'jobs', body, 'draft-1');
    assert.equal(mine.status, 201);
    assert.equal(theirs.status, 201);
    assert.equal(theirs.headers.get('idempotent-replayed'), null, "the colleague does not get the first contact's answer");
    const [a, b] = [await json(mine), await json(theirs)];
    assert.notEqual(a.id, b.id);
    assert.equal(count(w.db, 'idempotency_keys'), 2);
  });

  test("a key of another provider's contact, and a provider API key, are separate too", async () => {
    const w = await makePortalWorld();
    const body = { title: 'Same title', address: 'Same street' };
    assert.equal((await send(w, 'rec:edit_all', 'POST', 'jobs', body, 'k')).status, 201);
    const other = await send(w, 'otherProvider', 'POST', 'jobs', body, 'k');
    assert.equal(other.status, 201);
    assert.equal(other.headers.get('idempotent-replayed'), null);
    // The provider API's keys live in the same table: a contact's stored key can never equal one.
    const stored = w.db.prepare('SELECT key FROM idempotency_keys').pluck().all() as string[];
    assert.ok(stored.every((k) => /^c\d+ k$/.test(k)), stored.join(', '));
  });

  test('without a key, the same request twice is done twice', async () => {
    const w = await makePortalWorld();
    const before = count(w.db, 'jobs');
    for (let i = 0; i < 2; i++) assert.equal((await send(w, 'rec:edit_all', 'POST', 'jobs', { title: 'Twice', address: 'x' }, undefined)).status, 201);
    assert.equal(count(w.db, 'jobs'), before + 2);
    assert.equal(count(w.db, 'idempotency_keys'), 0);
  });

  test('a refusal is kept too: the retry gets the same 403 and nothing is written', async () => {
    const w = await makePortalWorld();
    const before = snapshot(w.db);
    await expectError(await send(w, 'rec:edit_all:nocreate', 'POST', 'jobs', { title: 'Not allowed', address: 'x' }, 'refused'), 403, 'forbidden');
    const again = await send(w, 'rec:edit_all:nocreate', 'POST', 'jobs', { title: 'Not allowed', address: 'x' }, 'refused');
    assert.equal(again.status, 403);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(count(w.db, 'jobs'), before.jobs!.length);
  });

  test('a bad key is a 400 naming the header, and nothing is written', async () => {
    const w = await makePortalWorld();
    const before = snapshot(w.db);
    for (const bad of ['has space', 'x'.repeat(256), 'ümlaut']) {
      const res = await send(w, 'rec:edit_all', 'POST', 'jobs', { title: 'Bad key', address: 'x' }, bad).catch(() => null);
      // A header value outside Latin-1 cannot even be sent; the others are refused.
      if (res === null) continue;
      const error = await expectError(res, 400, 'validation_failed');
      assert.ok(error.fields?.['Idempotency-Key']);
    }
    assertUnchanged(w.db, before, 'bad keys');
  });

  test('no session: 401 before any key is kept', async () => {
    const w = await makePortalWorld();
    const res = await w.app.request('/api/portal/acme/jobs', {
      method: 'POST',
      headers: { Authorization: 'Bearer not-a-session', 'Content-Type': 'application/json', 'Idempotency-Key': 'k' },
      body: JSON.stringify({ title: 'x', address: 'y' }),
    });
    await expectError(res, 401, 'session_expired');
    assert.equal(count(w.db, 'idempotency_keys'), 0);
  });

  test('reads ignore the key', async () => {
    const w = await makePortalWorld();
    const res = await w.app.request('/api/portal/acme/jobs', { headers: { Authorization: `Bearer ${w.token['rec:view_all']}`, 'Idempotency-Key': 'r' } });
    assert.equal(res.status, 200);
    assert.equal(count(w.db, 'idempotency_keys'), 0);
  });

  test('a browser on a registered origin may send the key and read Idempotent-Replayed', async () => {
    const w = await makePortalWorld();
    w.db.prepare("UPDATE providers SET allowed_origins = '[\"https://shop.example\"]' WHERE id = ?").run(w.acme.id);
    const pre = await w.app.request('/api/portal/acme/jobs', { method: 'OPTIONS', headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST' } });
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /Idempotency-Key/i);
    const res = await send(w, 'rec:edit_all', 'POST', 'jobs', { title: 'From the shop', address: 'x' }, 'cors', { Origin: 'https://shop.example' });
    assert.equal(res.status, 201);
    assert.match(res.headers.get('access-control-expose-headers') ?? '', /Idempotent-Replayed/i);
  });

  test('the OpenAPI document gives every customer write behind a session the key, its 409 and 422, and the replay header; login has none', async () => {
    const w = await makePortalWorld();
    const doc = await json(await w.app.request('/api/openapi.json'));
    const ops = doc.paths as Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, { headers?: Record<string, unknown> }> }>>;
    const keyed = (path: string, method: string) => ops[path]![method]!.parameters?.some((p) => p.name === 'Idempotency-Key' && p.in === 'header') ?? false;
    for (const [path, method] of [
      ['/api/portal/{provider}/jobs', 'post'],
      ['/api/portal/{provider}/jobs/{id}', 'patch'],
      ['/api/portal/{provider}/quotes', 'post'],
      ['/api/portal/{provider}/quotes/{id}/accept', 'post'],
      ['/api/portal/{provider}/quotes/{id}/decline', 'post'],
      ['/api/portal/{provider}/equipment', 'post'],
      ['/api/portal/{provider}/details', 'patch'],
    ] as const) {
      assert.ok(keyed(path, method), `${method} ${path} takes Idempotency-Key`);
      const responses = ops[path]![method]!.responses;
      assert.ok(responses['422'] && responses['409'], `${method} ${path} documents 409 and 422`);
      const success = Object.entries(responses).find(([s]) => s.startsWith('2'))![1];
      assert.ok(success.headers?.['Idempotent-Replayed'], `${method} ${path} documents Idempotent-Replayed`);
    }
    assert.equal(keyed('/api/portal/{provider}/session', 'post'), false, 'login is not behind a session');
    assert.equal(keyed('/api/portal/{provider}/jobs', 'get'), false, 'reads take no key');
  });
});
