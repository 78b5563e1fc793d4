/** CORS: each provider answers only its own registered origins (and the API's own origin). */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  ORIGIN_A,
  ORIGIN_B,
  PASSWORD_A,
  authed,
  countSessions,
  expectError,
  fixtureHashes,
  json,
  login,
  makeWorld,
  tokenFor,
  type World,
} from './helpers.js';

before(fixtureHashes);

function preflight(w: World, path: string, origin: string, headers: Record<string, string> = {}) {
  return w.app.request(path, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization, content-type',
      ...headers,
    },
  });
}

const list = (value: string | null): string[] => (value ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);

describe('actual requests', () => {
  test('a login POST from an origin the provider did not register → 403 origin_not_allowed, no session', async () => {
    const w = await makeWorld();
    for (const origin of ['https://evil.example', ORIGIN_B, 'http://www.acme-plumbing.example', `${ORIGIN_A}:8443`, 'null']) {
      const res = await login(w.app, 'acme', 'alice@example.com', PASSWORD_A, { Origin: origin });
      await expectError(res, 403, 'origin_not_allowed');
      // Only the refusal is readable there (so the widget can say why), never for an opaque "null" origin.
      assert.equal(res.headers.get('access-control-allow-origin'), origin === 'null' ? null : origin, origin);
      assert.equal(res.headers.get('access-control-allow-methods'), null);
      assert.equal(res.headers.get('access-control-allow-headers'), null);
    }
    assert.equal(countSessions(w.db), 0);
  });

  test('a registered origin is echoed in Access-Control-Allow-Origin, with Vary: Origin', async () => {
    const w = await makeWorld();
    const res = await login(w.app, 'acme', 'alice@example.com', PASSWORD_A, { Origin: ORIGIN_A });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN_A);
    assert.ok(list(res.headers.get('vary')).includes('origin'), 'caches keep answers per origin');
    assert.ok(list(res.headers.get('access-control-expose-headers')).includes('retry-after'), 'the widget can read Retry-After');
    const { token } = await json(res);

    const me = await authed(w.app, '/api/portal/acme/me', token, { headers: { Origin: ORIGIN_A } });
    assert.equal(me.status, 200);
    assert.equal(me.headers.get('access-control-allow-origin'), ORIGIN_A);

    const config = await w.app.request('/api/portal/bright/config', { headers: { Origin: ORIGIN_B } });
    assert.equal(config.status, 200);
    assert.equal(config.headers.get('access-control-allow-origin'), ORIGIN_B);
  });

  test("error answers to a registered origin carry the CORS grant, so the widget can read them", async () => {
    const w = await makeWorld();
    const res = await login(w.app, 'acme', 'alice@example.com', 'wrong-password', { Origin: ORIGIN_A });
    await expectError(res, 401, 'invalid_credentials');
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN_A);
    const me = await w.app.request('/api/portal/acme/me', { headers: { Origin: ORIGIN_A } });
    await expectError(me, 401, 'unauthenticated');
    assert.equal(me.headers.get('access-control-allow-origin'), ORIGIN_A);
  });

  test("one provider's origin cannot use another provider's API, even with a valid token", async () => {
    const w = await makeWorld();
    const token = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const res = await authed(w.app, '/api/portal/acme/me', token, { headers: { Origin: ORIGIN_B } });
    await expectError(res, 403, 'origin_not_allowed');
    // The refusal is readable there (the widget says why), and it is all that page gets: no data, no methods or headers granted.
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN_B);
    assert.equal(res.headers.get('access-control-allow-headers'), null);
    assert.equal(res.headers.get('access-control-expose-headers'), null);
    // Nor log out on its behalf.
    const out = await authed(w.app, '/api/portal/acme/session', token, { method: 'DELETE', headers: { Origin: 'https://evil.example' } });
    await expectError(out, 403, 'origin_not_allowed');
    assert.equal(countSessions(w.db), 1);
  });

  test("the API's own origin and requests without Origin (server to server) are allowed", async () => {
    const w = await makeWorld();
    const same = await login(w.app, 'acme', 'alice@example.com', PASSWORD_A, { Origin: 'http://localhost' });
    assert.equal(same.status, 201);
    const none = await login(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    assert.equal(none.status, 201);
    assert.equal(none.headers.get('access-control-allow-origin'), null, 'no CORS headers without an Origin');
  });
});

describe('preflight', () => {
  test('OPTIONS from a registered origin → 204 allowing the methods and the Authorization header', async () => {
    const w = await makeWorld();
    for (const path of ['/api/portal/acme/session', '/api/portal/acme/me']) {
      const res = await preflight(w, path, ORIGIN_A);
      assert.equal(res.status, 204, path);
      assert.equal(await res.text(), '');
      assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN_A);
      const methods = list(res.headers.get('access-control-allow-methods'));
      for (const m of ['get', 'post', 'delete']) assert.ok(methods.includes(m), `allows ${m}: ${methods}`);
      const headers = list(res.headers.get('access-control-allow-headers'));
      assert.ok(headers.includes('authorization'), `allows Authorization: ${headers}`);
      assert.ok(headers.includes('content-type'), `allows Content-Type: ${headers}`);
      assert.ok(list(res.headers.get('vary')).includes('origin'));
      assert.match(res.headers.get('access-control-max-age') ?? '', /^\d+$/);
    }
    assert.equal(countSessions(w.db), 0);
  });

  test('OPTIONS from an unregistered origin → 403 without any CORS grant', async () => {
    const w = await makeWorld();
    for (const origin of ['https://evil.example', ORIGIN_B]) {
      const res = await preflight(w, '/api/portal/acme/session', origin);
      await expectError(res, 403, 'origin_not_allowed');
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      assert.equal(res.headers.get('access-control-allow-methods'), null);
      assert.equal(res.headers.get('access-control-allow-headers'), null);
    }
    // Each provider's own origin works at that provider only.
    assert.equal((await preflight(w, '/api/portal/bright/session', ORIGIN_B)).status, 204);
    await expectError(await preflight(w, '/api/portal/bright/session', ORIGIN_A), 403, 'origin_not_allowed');
  });

  test('OPTIONS for an unknown provider → 404 provider_not_found', async () => {
    const w = await makeWorld();
    await expectError(await preflight(w, '/api/portal/nobody/session', ORIGIN_A), 404, 'provider_not_found');
  });
});
