/**
 * Bad input on the login endpoint and unknown routes: every answer is a 4xx in the one JSON
 * error shape, and none of them writes a session. Where possible the bad request carries the
 * right credentials, so that dropping the check would let it log in and fail the test.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { PASSWORD_A, countSessions, expectError, fixtureHashes, makeWorld, post, type World } from './helpers.js';

before(fixtureHashes);

const SESSION = '/api/portal/acme/session';
const good = { email: 'alice@example.com', password: PASSWORD_A };

function raw(w: World, body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) {
  return w.app.request(SESSION, { method: 'POST', headers, body });
}

describe('malformed and invalid bodies', () => {
  test('the well-formed request logs in (control for the cases below)', async () => {
    const w = await makeWorld();
    assert.equal((await post(w.app, SESSION, good)).status, 201);
    assert.equal(countSessions(w.db), 1);
  });

  test('malformed JSON → 400 invalid_json', async () => {
    const w = await makeWorld();
    for (const body of ['{"email": "alice@example.com", "password": ', "{'email': 'alice@example.com'}", '', 'null,', '{"a":1}}']) {
      await expectError(await raw(w, body), 400, 'invalid_json');
    }
    assert.equal(countSessions(w.db), 0);
  });

  test('missing fields → 400 validation_failed naming each field', async () => {
    const w = await makeWorld();
    const both = await expectError(await post(w.app, SESSION, {}), 400, 'validation_failed');
    assert.deepEqual(Object.keys(both.fields ?? {}).sort(), ['email', 'password']);
    assert.match(both.message, /email/);
    assert.match(both.message, /password/);

    const noPassword = await expectError(await post(w.app, SESSION, { email: good.email }), 400, 'validation_failed');
    assert.deepEqual(Object.keys(noPassword.fields ?? {}), ['password']);
    assert.equal(typeof noPassword.fields!.password, 'string');

    const noEmail = await expectError(await post(w.app, SESSION, { password: good.password }), 400, 'validation_failed');
    assert.deepEqual(Object.keys(noEmail.fields ?? {}), ['email']);

    const emptyPassword = await expectError(await post(w.app, SESSION, { email: good.email, password: '' }), 400, 'validation_failed');
    assert.deepEqual(Object.keys(emptyPassword.fields ?? {}), ['password']);
    assert.equal(countSessions(w.db), 0);
  });

  test('wrong types → 400 validation_failed naming the field', async () => {
    const w = await makeWorld();
    const cases: [unknown, string[]][] = [
      [{ email: 42, password: good.password }, ['email']],
      [{ email: good.email, password: 12345678 }, ['password']],
      [{ email: good.email, password: [PASSWORD_A] }, ['password']],
      [{ email: [good.email], password: good.password }, ['email']],
      [{ email: null, password: null }, ['email', 'password']],
      [{ email: { $ne: '' }, password: { $ne: '' } }, ['email', 'password']],
    ];
    for (const [body, fields] of cases) {
      const err = await expectError(await post(w.app, SESSION, body), 400, 'validation_failed');
      assert.deepEqual(Object.keys(err.fields ?? {}).sort(), fields, JSON.stringify(body));
    }
    assert.equal(countSessions(w.db), 0);
  });

  test('a body that is not an object → 400 validation_failed on "body"', async () => {
    const w = await makeWorld();
    for (const body of [null, [good], 'alice@example.com', 7, true]) {
      const err = await expectError(await post(w.app, SESSION, body), 400, 'validation_failed');
      assert.ok(err.fields && 'body' in err.fields, `${JSON.stringify(body)} blames the body: ${JSON.stringify(err)}`);
    }
    assert.equal(countSessions(w.db), 0);
  });

  test('a password over 200 characters → 400 on "password" (argon2 is never fed huge input); 200 is fine', async () => {
    const w = await makeWorld();
    const long = await expectError(await post(w.app, SESSION, { email: good.email, password: 'x'.repeat(201) }), 400, 'validation_failed');
    assert.deepEqual(Object.keys(long.fields ?? {}), ['password']);
    // Even when the long password starts with the right one.
    const padded = await expectError(
      await post(w.app, SESSION, { email: good.email, password: PASSWORD_A + ' '.repeat(201 - PASSWORD_A.length) }),
      400,
      'validation_failed',
    );
    assert.deepEqual(Object.keys(padded.fields ?? {}), ['password']);
    // 200 characters is still a password, just a wrong one.
    await expectError(await post(w.app, SESSION, { email: good.email, password: 'x'.repeat(200) }), 401, 'invalid_credentials');
    assert.equal(countSessions(w.db), 0);
  });

  test('a bad or overlong email → 400 on "email"', async () => {
    const w = await makeWorld();
    for (const email of ['alice', 'alice@', '@example.com', 'alice example.com', 'alice@example.com\n', `${'a'.repeat(250)}@example.com`]) {
      const err = await expectError(await post(w.app, SESSION, { email, password: good.password }), 400, 'validation_failed');
      assert.deepEqual(Object.keys(err.fields ?? {}), ['email'], JSON.stringify(email));
    }
    assert.equal(countSessions(w.db), 0);
  });
});

describe('content type and size', () => {
  test('a body that is not declared as JSON → 415, even with the right credentials inside', async () => {
    const w = await makeWorld();
    const body = JSON.stringify(good);
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp']) {
      await expectError(await raw(w, body, { 'Content-Type': type }), 415, 'unsupported_media_type');
    }
    await expectError(await raw(w, body, {}), 415, 'unsupported_media_type');
    assert.equal(countSessions(w.db), 0);
  });

  test('JSON with a charset or a +json type is accepted', async () => {
    const w = await makeWorld();
    const body = JSON.stringify(good);
    assert.equal((await raw(w, body, { 'Content-Type': 'application/json; charset=utf-8' })).status, 201);
    assert.equal((await raw(w, body, { 'Content-Type': 'application/vnd.api+json' })).status, 201);
  });

  test('a body larger than bodyLimitBytes → 413 payload_too_large, even streamed without a length', async () => {
    const w = await makeWorld();
    const limit = w.settings.bodyLimitBytes;
    // Valid JSON with the right credentials: only the size limit stands in the way.
    const big = JSON.stringify({ ...good, padding: 'x'.repeat(limit) });
    assert.ok(Buffer.byteLength(big) > limit);

    const streamed = await raw(w, big);
    await expectError(streamed, 413, 'payload_too_large');

    const declared = await raw(w, big, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(big)) });
    await expectError(declared, 413, 'payload_too_large');
    assert.equal(countSessions(w.db), 0);

    // Just under the limit is read normally.
    const fits = JSON.stringify({ ...good, padding: '' });
    const padded = JSON.stringify({ ...good, padding: 'x'.repeat(limit - Buffer.byteLength(fits)) });
    assert.equal(Buffer.byteLength(padded), limit);
    assert.equal((await raw(w, padded)).status, 201);
  });

  test('the limit comes from settings.bodyLimitBytes', async () => {
    const w = await makeWorld({ bodyLimitBytes: 100 });
    const body = JSON.stringify({ ...good, padding: 'x'.repeat(60) });
    assert.ok(Buffer.byteLength(body) > 100 && Buffer.byteLength(body) < 64 * 1024);
    const err = await expectError(await raw(w, body), 413, 'payload_too_large');
    assert.match(err.message, /100 bytes/);
    assert.equal(countSessions(w.db), 0);
  });
});

describe('unknown providers and routes', () => {
  test('unknown provider → 404 provider_not_found, on every route', async () => {
    const w = await makeWorld();
    for (const slug of ['nobody', 'ACME', 'acme-', 'a', 'acme%20', 'acme.example', 'acme_plumbing']) {
      await expectError(await post(w.app, `/api/portal/${slug}/session`, good), 404, 'provider_not_found');
    }
    await expectError(await w.app.request('/api/portal/nobody/config'), 404, 'provider_not_found');
    await expectError(await w.app.request('/api/portal/nobody/me'), 404, 'provider_not_found');
    assert.equal(countSessions(w.db), 0);
  });

  test('an unknown route under /api → 404 JSON not_found', async () => {
    const w = await makeWorld();
    await expectError(await w.app.request('/api/nothing-here'), 404, 'not_found');
    await expectError(await w.app.request('/api'), 404, 'not_found');
    await expectError(await w.app.request('/api/portal'), 404, 'not_found');
    await expectError(await post(w.app, '/api/portal/acme/sessions', good), 404, 'not_found');
    await expectError(await post(w.app, '/api/portal/acme/login', good), 404, 'not_found');
    // A known path with a method it does not serve.
    await expectError(await w.app.request(SESSION, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(good) }), 404, 'not_found');
    await expectError(await w.app.request('/api/health', { method: 'POST' }), 404, 'not_found');
    assert.equal(countSessions(w.db), 0);
  });
});
