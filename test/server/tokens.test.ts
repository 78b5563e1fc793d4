/** Bearer tokens: forged and malformed tokens, expiry, sliding expiry. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import {
  PASSWORD_A,
  authed,
  countSessions,
  expectError,
  fixtureHashes,
  json,
  login,
  makeWorld,
  nowSeconds,
  sessionRows,
  sleep,
  tokenFor,
} from './helpers.js';

before(fixtureHashes);

const ME = '/api/portal/acme/me';

describe('forged and malformed tokens', () => {
  test('a random token of the right shape → 401 session_expired, and nothing is written', async () => {
    const w = await makeWorld();
    await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const before = sessionRows(w.db);
    for (let i = 0; i < 5; i++) {
      const forged = randomBytes(32).toString('base64url');
      assert.equal(forged.length, 43);
      const res = await authed(w.app, ME, forged);
      await expectError(res, 401, 'session_expired');
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
    }
    assert.deepEqual(sessionRows(w.db), before);
  });

  test('garbage and near-miss tokens → 401', async () => {
    const w = await makeWorld();
    const token = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const swapped = [...token].map((ch) => (ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase())).join('');
    const garbage = [
      'garbage',
      'null',
      'undefined',
      token.slice(0, 42),
      `${token}x`,
      `${token}=`,
      swapped,
      'a'.repeat(4096),
      "' OR 1=1 --",
      '%00',
      Buffer.from(token).toString('base64'),
    ];
    for (const t of garbage) {
      if (t === token) continue;
      const res = await authed(w.app, ME, t);
      // A token with a space in it is not even a bearer credential; either way it is a 401.
      await expectError(res, 401, /\s/.test(t) ? 'unauthenticated' : 'session_expired');
    }
    assert.equal(countSessions(w.db), 1);
    assert.equal((await authed(w.app, ME, token)).status, 200, 'the real token still works');
  });

  test('no Bearer scheme → 401 unauthenticated with WWW-Authenticate: Bearer', async () => {
    const w = await makeWorld();
    const token = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const headers = [
      token,
      `Basic ${Buffer.from(`alice@example.com:${PASSWORD_A}`).toString('base64')}`,
      `Token ${token}`,
      'Bearer',
      'Bearer ',
      `Bearer  ${token}`,
      `Bearer ${token} extra`,
      `Bearer${token}`,
      '',
    ];
    for (const authorization of headers) {
      const res = await w.app.request(ME, { headers: { Authorization: authorization } });
      await expectError(res, 401, 'unauthenticated');
      assert.equal(res.headers.get('www-authenticate'), 'Bearer', JSON.stringify(authorization));
    }
    // A token elsewhere than the Authorization header is not a credential.
    await expectError(await w.app.request(`${ME}?token=${token}`), 401, 'unauthenticated');
    await expectError(await w.app.request(ME, { headers: { Cookie: `token=${token}; session=${token}` } }), 401, 'unauthenticated');
    await expectError(await w.app.request(ME, { headers: { 'X-Auth-Token': token } }), 401, 'unauthenticated');
  });
});

describe('expiry', () => {
  test('a session past its TTL → 401 and its row is deleted (real clock, 1 s TTL)', async () => {
    const w = await makeWorld({ sessionTtlMs: 1000 });
    const res = await login(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const { token, expiresAt } = await json(res);
    assert.ok(Date.parse(expiresAt) <= Date.now() + 1000, 'expiresAt reflects the short TTL');
    assert.equal(countSessions(w.db), 1);
    await sleep(1100);
    await expectError(await authed(w.app, ME, token), 401, 'session_expired');
    assert.equal(countSessions(w.db), 0, 'the expired row is deleted');
  });

  test('a session whose expires_at is in the past → 401 and its row is deleted; others stay', async () => {
    const w = await makeWorld();
    const old = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const fresh = await tokenFor(w.app, 'acme', 'bob@example.com', 'tr0ub4dor&3-but-longer');
    w.db.prepare('UPDATE sessions SET expires_at = ? WHERE contact_id = ?').run(nowSeconds() - 1, w.ids.alice);
    await expectError(await authed(w.app, ME, old), 401, 'session_expired');
    assert.deepEqual(
      sessionRows(w.db).map((r) => r.contact_id),
      [w.ids.bob],
    );
    // Logging out with an expired token is refused the same way.
    await expectError(await authed(w.app, '/api/portal/acme/session', old, { method: 'DELETE' }), 401, 'session_expired');
    assert.equal((await authed(w.app, ME, fresh)).status, 200);
  });
});

describe('sweeping expired sessions', () => {
  test('deleteExpired removes expired rows only', async () => {
    const w = await makeWorld();
    await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const live = await tokenFor(w.app, 'acme', 'bob@example.com', 'tr0ub4dor&3-but-longer');
    w.db.prepare('UPDATE sessions SET expires_at = ? WHERE contact_id = ?').run(nowSeconds() - 60, w.ids.alice);
    await w.app.deps.auth.deleteExpired();
    assert.deepEqual(
      sessionRows(w.db).map((r) => r.contact_id),
      [w.ids.bob],
    );
    assert.equal((await authed(w.app, ME, live)).status, 200);
  });
});

describe('sliding expiry', () => {
  test('a use in the first half of the TTL does not touch expires_at; a use after half extends it', async () => {
    const ttl = 60_000;
    const w = await makeWorld({ sessionTtlMs: ttl });
    const token = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const created = sessionRows(w.db)[0]!.expires_at;
    assert.ok(Math.abs(created - (nowSeconds() + 60)) <= 1, 'expires one TTL after login');

    // 20 s of 60 s used: too early to extend.
    const early = nowSeconds() + 40;
    w.db.prepare('UPDATE sessions SET expires_at = ?').run(early);
    assert.equal((await authed(w.app, ME, token)).status, 200);
    assert.equal(sessionRows(w.db)[0]!.expires_at, early);

    // 40 s of 60 s used: past half, the use extends it by a full TTL from now.
    w.db.prepare('UPDATE sessions SET expires_at = ?').run(nowSeconds() + 20);
    const before = nowSeconds();
    assert.equal((await authed(w.app, ME, token)).status, 200);
    const extended = sessionRows(w.db)[0]!.expires_at;
    assert.ok(extended >= before + 59 && extended <= nowSeconds() + 60, `extended to now + TTL (${extended - before} s)`);
  });

  test('with a short TTL, steady use keeps the session alive past its first expiry; idleness ends it', async (t) => {
    const start = 1_800_000_000_000;
    t.mock.timers.enable({ apis: ['Date'], now: start });
    const w = await makeWorld({ sessionTtlMs: 10_000 });
    const res = await login(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const { token, expiresAt } = await json(res);
    assert.equal(Date.parse(expiresAt), start + 10_000);
    assert.equal(sessionRows(w.db)[0]!.expires_at, (start + 10_000) / 1000);

    t.mock.timers.tick(6_000); // past half the TTL
    assert.equal((await authed(w.app, ME, token)).status, 200);
    assert.equal(sessionRows(w.db)[0]!.expires_at, (start + 16_000) / 1000, 'extended to the use + TTL');

    t.mock.timers.tick(6_000); // 12 s after login: beyond the original expiry, within the extended one
    assert.equal((await authed(w.app, ME, token)).status, 200);
    assert.equal(sessionRows(w.db)[0]!.expires_at, (start + 22_000) / 1000);

    t.mock.timers.tick(10_000); // idle for a whole TTL
    await expectError(await authed(w.app, ME, token), 401, 'session_expired');
    assert.equal(countSessions(w.db), 0);
  });
});
