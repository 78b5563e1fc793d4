/** Log in, who am I, log out; credentials; tenant isolation; disabled contacts; secrets in logs. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { setContactDisabled } from '../../server/companies/data.js';
import {
  PASSWORD_A,
  PASSWORD_B,
  authed,
  countSessions,
  expectError,
  fixtureHashes,
  json,
  login,
  makeWorld,
  sessionRows,
  sha256Hex,
  tokenFor,
} from './helpers.js';

before(fixtureHashes);

describe('login, me, logout', () => {
  test('POST /session returns a token, its expiry and the contact, company, permissions and provider', async () => {
    const w = await makeWorld();
    const started = Date.now();
    const res = await login(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    assert.equal(res.status, 201);
    const body = await json(res);

    assert.match(body.token, /^[A-Za-z0-9_-]{43}$/, 'a 32-byte base64url token');
    const expiresAt = Date.parse(body.expiresAt);
    assert.ok(Number.isFinite(expiresAt), 'expiresAt is an ISO date');
    const ttl = w.settings.sessionTtlMs;
    assert.ok(expiresAt > started + ttl - 5_000 && expiresAt <= Date.now() + ttl + 1_000, 'expires one TTL from now');

    assert.deepEqual(body.me, {
      contact: { id: w.ids.alice, name: 'Alice Archer', email: 'alice@example.com', phone: '+1 555 0101' },
      company: { id: w.ids.acmeCompany, name: 'Harbour View', address: '12 Quay St', phone: '+1 555 0100', email: 'office@harbour.example' },
      permissions: {
        jobs: 'edit_all',
        quotes: 'view_own',
        createJobs: true,
        createQuotes: true,
        equipment: 'add',
        details: 'edit',
        map: true,
        alerts: false,
      },
      provider: {
        slug: 'acme',
        name: 'Acme Plumbing',
        theme: { brandColor: '#0b5cab', radius: '10px', colorScheme: 'light' },
        features: { map: true, alerts: false },
        timeZone: 'UTC',
      },
    });
    assert.equal(countSessions(w.db), 1);
  });

  test('GET /me with the bearer token answers the same "me"; DELETE /session ends it', async () => {
    const w = await makeWorld();
    const res = await login(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const { token, me } = await json(res);

    const meRes = await authed(w.app, '/api/portal/acme/me', token);
    assert.equal(meRes.status, 200);
    assert.deepEqual(await json(meRes), me);

    const out = await authed(w.app, '/api/portal/acme/session', token, { method: 'DELETE' });
    assert.equal(out.status, 204);
    assert.equal(await out.text(), '');
    assert.equal(countSessions(w.db), 0, 'the session row is gone');

    await expectError(await authed(w.app, '/api/portal/acme/me', token), 401, 'session_expired');
    // Logging out twice is not possible either: the token is dead.
    await expectError(await authed(w.app, '/api/portal/acme/session', token, { method: 'DELETE' }), 401, 'session_expired');
  });

  test('logging out ends only this session, not the contact\'s other sessions', async () => {
    const w = await makeWorld();
    const first = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const second = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    assert.notEqual(first, second);
    assert.equal(countSessions(w.db), 2);

    assert.equal((await authed(w.app, '/api/portal/acme/session', first, { method: 'DELETE' })).status, 204);
    assert.equal((await authed(w.app, '/api/portal/acme/me', first)).status, 401);
    assert.equal((await authed(w.app, '/api/portal/acme/me', second)).status, 200);
    assert.equal(countSessions(w.db), 1);
  });

  test('GET /me and DELETE /session without a token → 401 unauthenticated with WWW-Authenticate', async () => {
    const w = await makeWorld();
    const me = await w.app.request('/api/portal/acme/me');
    await expectError(me, 401, 'unauthenticated');
    assert.equal(me.headers.get('www-authenticate'), 'Bearer');
    await expectError(await w.app.request('/api/portal/acme/session', { method: 'DELETE' }), 401, 'unauthenticated');
  });

  test('email matching is case-insensitive', async () => {
    const w = await makeWorld();
    const res = await login(w.app, 'acme', 'ALICE@Example.COM', PASSWORD_A);
    assert.equal(res.status, 201);
    const body = await json(res);
    assert.equal(body.me.contact.id, w.ids.alice);
    assert.equal(body.me.contact.email, 'alice@example.com', 'the stored address is answered');
  });

  test('only the SHA-256 of the token is stored; the raw token is nowhere in the table', async () => {
    const w = await makeWorld();
    const token = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const rows = sessionRows(w.db);
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    assert.equal(row.id, sha256Hex(token));
    assert.equal(row.contact_id, w.ids.alice);
    assert.equal(row.provider_id, w.acme.id);
    for (const [column, value] of Object.entries(row)) {
      assert.ok(!String(value).includes(token), `sessions.${column} does not hold the raw token`);
    }
    // The stored hash is not a usable token: a leaked database cannot be replayed.
    await expectError(await authed(w.app, '/api/portal/acme/me', row.id), 401, 'session_expired');
    assert.equal(countSessions(w.db), 1);
  });

  test('GET /config is public and exposes only the public provider configuration', async () => {
    const w = await makeWorld();
    const res = await w.app.request('/api/portal/acme/config');
    assert.equal(res.status, 200);
    const body = await json(res);
    assert.deepEqual(body, {
      slug: 'acme',
      name: 'Acme Plumbing',
      theme: { brandColor: '#0b5cab', radius: '10px', colorScheme: 'light' },
      features: { map: true, alerts: false },
      timeZone: 'UTC',
    });
    await expectError(await w.app.request('/api/portal/nobody/config'), 404, 'provider_not_found');
  });
});

describe('wrong credentials', () => {
  test('wrong password and unknown email get the same status, code and message', async () => {
    const w = await makeWorld();
    const wrong = await login(w.app, 'acme', 'alice@example.com', 'not-the-password');
    const unknown = await login(w.app, 'acme', 'nobody@example.com', PASSWORD_A);
    const wrongErr = await expectError(wrong, 401, 'invalid_credentials');
    const unknownErr = await expectError(unknown, 401, 'invalid_credentials');
    assert.deepEqual(unknownErr, wrongErr);
    assert.equal(wrongErr.fields, undefined, 'no field is blamed: that would tell which one was wrong');
    assert.equal(wrong.headers.get('retry-after'), null);
    assert.equal(countSessions(w.db), 0);
  });

  test('a contact who has not set a password yet cannot log in, with the same answer', async () => {
    const w = await makeWorld();
    const wrong = await expectError(await login(w.app, 'acme', 'alice@example.com', 'nope-nope'), 401, 'invalid_credentials');
    for (const password of [PASSWORD_A, 'null', 'undefined']) {
      const err = await expectError(await login(w.app, 'acme', 'invited@example.com', password), 401, 'invalid_credentials');
      assert.deepEqual(err, wrong);
    }
    assert.equal(countSessions(w.db), 0);
  });

  test('a corrupt stored hash is a failed login, never a crash', async () => {
    const w = await makeWorld();
    w.db.prepare("UPDATE contacts SET password_hash = 'not-an-argon2-hash' WHERE id = ?").run(w.ids.alice);
    await expectError(await login(w.app, 'acme', 'alice@example.com', PASSWORD_A), 401, 'invalid_credentials');
    await expectError(await login(w.app, 'acme', 'alice@example.com', 'not-an-argon2-hash'), 401, 'invalid_credentials');
    assert.equal(countSessions(w.db), 0);
  });

  test('passwords are stored as argon2id hashes with the OWASP parameters', async () => {
    const w = await makeWorld();
    const stored = w.db.prepare('SELECT password_hash FROM contacts WHERE id = ?').pluck().get(w.ids.alice) as string;
    assert.match(stored, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.ok(!stored.includes(PASSWORD_A));
  });

  test('another contact\'s password does not open this account', async () => {
    const w = await makeWorld();
    await expectError(await login(w.app, 'acme', 'alice@example.com', PASSWORD_B), 401, 'invalid_credentials');
    await expectError(await login(w.app, 'acme', 'bob@example.com', PASSWORD_A), 401, 'invalid_credentials');
    assert.equal(countSessions(w.db), 0);
  });
});

describe('tenant isolation', () => {
  test('a contact of provider A cannot log in at provider B with the same email and password', async () => {
    const w = await makeWorld();
    const atB = await login(w.app, 'bright', 'alice@example.com', PASSWORD_A);
    const err = await expectError(atB, 401, 'invalid_credentials');
    const unknownAtB = await expectError(await login(w.app, 'bright', 'nobody@example.com', PASSWORD_A), 401, 'invalid_credentials');
    assert.deepEqual(err, unknownAtB, 'indistinguishable from an unknown email');
    assert.equal(countSessions(w.db), 0);
  });

  test('the same email at two providers: each password works only at its own provider', async () => {
    const w = await makeWorld();
    await expectError(await login(w.app, 'bright', 'shared@example.com', PASSWORD_A), 401, 'invalid_credentials');
    await expectError(await login(w.app, 'acme', 'shared@example.com', PASSWORD_B), 401, 'invalid_credentials');
    assert.equal(countSessions(w.db), 0);

    const a = await json(await login(w.app, 'acme', 'shared@example.com', PASSWORD_A));
    const b = await json(await login(w.app, 'bright', 'shared@example.com', PASSWORD_B));
    assert.equal(a.me.contact.id, w.ids.sharedAtAcme);
    assert.equal(a.me.provider.slug, 'acme');
    assert.equal(b.me.contact.id, w.ids.sharedAtBright);
    assert.equal(b.me.provider.slug, 'bright');
    assert.equal(b.me.company.id, w.ids.brightCompany);
  });

  test("A's token used at /api/portal/B/me → 401, and it still works at A", async () => {
    const w = await makeWorld();
    const token = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    await expectError(await authed(w.app, '/api/portal/bright/me', token), 401, 'session_expired');
    await expectError(await authed(w.app, '/api/portal/bright/session', token, { method: 'DELETE' }), 401, 'session_expired');
    assert.equal(countSessions(w.db), 1, 'trying it elsewhere does not end it either');
    const me = await json(await authed(w.app, '/api/portal/acme/me', token));
    assert.equal(me.contact.id, w.ids.alice);
  });

  test('a token of the same email at the other provider does not cross over either', async () => {
    const w = await makeWorld();
    const tokenB = await tokenFor(w.app, 'bright', 'shared@example.com', PASSWORD_B);
    await expectError(await authed(w.app, '/api/portal/acme/me', tokenB), 401, 'session_expired');
    assert.equal((await authed(w.app, '/api/portal/bright/me', tokenB)).status, 200);
  });
});

describe('disabled contacts', () => {
  test('cannot log in: 403 account_disabled and no session row written', async () => {
    const w = await makeWorld();
    assert.equal(setContactDisabled(w.db, w.acme.id, w.ids.alice, true), true);
    const err = await expectError(await login(w.app, 'acme', 'alice@example.com', PASSWORD_A), 403, 'account_disabled');
    assert.match(err.message, /Acme Plumbing/);
    assert.equal(countSessions(w.db), 0);
    // A wrong password for a disabled account says no more than for any other account.
    await expectError(await login(w.app, 'acme', 'alice@example.com', 'wrong-password'), 401, 'invalid_credentials');
    assert.equal(countSessions(w.db), 0);
  });

  test('disabling a logged-in contact ends all of their sessions', async () => {
    const w = await makeWorld();
    const t1 = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const t2 = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const bobToken = await tokenFor(w.app, 'acme', 'bob@example.com', PASSWORD_B);
    assert.equal(countSessions(w.db), 3);

    setContactDisabled(w.db, w.acme.id, w.ids.alice, true);
    assert.deepEqual(
      sessionRows(w.db).map((r) => r.contact_id),
      [w.ids.bob],
      "alice's session rows are gone, bob's remains",
    );
    await expectError(await authed(w.app, '/api/portal/acme/me', t1), 401, 'session_expired');
    await expectError(await authed(w.app, '/api/portal/acme/me', t2), 401, 'session_expired');
    assert.equal((await authed(w.app, '/api/portal/acme/me', bobToken)).status, 200);

    // Enabling again does not revive old tokens; a new login works.
    setContactDisabled(w.db, w.acme.id, w.ids.alice, false);
    assert.equal((await authed(w.app, '/api/portal/acme/me', t1)).status, 401);
    await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
  });

  test('a contact disabled behind the API\'s back (direct UPDATE) is refused and the session deleted', async () => {
    const w = await makeWorld();
    const token = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    w.db.prepare('UPDATE contacts SET disabled = 1 WHERE id = ?').run(w.ids.alice);
    assert.equal(countSessions(w.db), 1);
    await expectError(await authed(w.app, '/api/portal/acme/me', token), 401, 'session_expired');
    assert.equal(countSessions(w.db), 0, 'the session row is deleted on sight');
  });

  test('setContactDisabled is scoped to the provider: another provider cannot disable this contact', async () => {
    const w = await makeWorld();
    const token = await tokenFor(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    assert.equal(setContactDisabled(w.db, w.bright.id, w.ids.alice, true), false);
    assert.equal(countSessions(w.db), 1);
    assert.equal((await authed(w.app, '/api/portal/acme/me', token)).status, 200);
  });
});

describe('secrets never reach the log', () => {
  test('neither the password nor the token appears in any log line', async () => {
    const w = await makeWorld();
    const failed = await login(w.app, 'acme', 'alice@example.com', `${PASSWORD_A}-typo`);
    assert.equal(failed.status, 401);
    const res = await login(w.app, 'acme', 'alice@example.com', PASSWORD_A);
    const { token } = await json(res);
    assert.equal((await authed(w.app, '/api/portal/acme/me', token)).status, 200);
    assert.equal((await authed(w.app, '/api/portal/acme/session', token, { method: 'DELETE' })).status, 204);
    assert.equal((await authed(w.app, '/api/portal/acme/me', token)).status, 401);
    // A request that carries the token in the query string must not log it either.
    await w.app.request(`/api/portal/acme/me?access_token=${token}&password=${encodeURIComponent(PASSWORD_A)}`);

    assert.ok(w.logs.length >= 6, `requests are logged (${w.logs.length} lines)`);
    assert.ok(w.logs.some((l) => l.includes('/api/portal/acme/session') && l.includes('201')), 'the login is logged');
    const all = w.logs.join('\n');
    assert.ok(!all.includes(PASSWORD_A), 'the password is not logged');
    assert.ok(!all.includes(encodeURIComponent(PASSWORD_A)), 'the encoded password is not logged');
    assert.ok(!all.includes(token), 'the token is not logged');
    assert.ok(!all.includes(sha256Hex(token)), 'the session id is not logged');
  });
});
