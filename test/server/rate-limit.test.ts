/** Login rate limits: per account (provider + email) and per client address. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { RateLimiter } from '../../server/http/rate-limit.js';
import { defaultSettings } from '../../server/settings.js';
import { PASSWORD_A, PASSWORD_B, countSessions, expectError, fixtureHashes, json, login, makeWorld } from './helpers.js';

before(fixtureHashes);

/** Asserts a 429 rate_limited answer with a Retry-After of whole seconds within the window. */
async function expectLimited(res: Response, windowMs: number): Promise<number> {
  await expectError(res, 429, 'rate_limited');
  const retryAfter = res.headers.get('retry-after');
  assert.match(retryAfter ?? '', /^\d+$/, `Retry-After is a number of seconds, got ${retryAfter}`);
  const seconds = Number(retryAfter);
  assert.ok(seconds >= 1 && seconds <= Math.ceil(windowMs / 1000), `Retry-After ${seconds} s is within the window`);
  return seconds;
}

describe('per account', () => {
  test('20 wrong passwords in a row: the later ones get 429 with Retry-After; even the right password is refused', async () => {
    const w = await makeWorld();
    const { limit, windowMs } = w.settings.loginLimits.perAccount;
    assert.ok(limit < 20, 'the default limit is below 20 attempts');
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await login(w.app, 'acme', 'alice@example.com', `wrong-${i}`);
      statuses.push(res.status);
      if (i < limit) await expectError(res, 401, 'invalid_credentials');
      else await expectLimited(res, windowMs);
    }
    assert.deepEqual(statuses.slice(-5), [429, 429, 429, 429, 429]);

    await expectLimited(await login(w.app, 'acme', 'alice@example.com', PASSWORD_A), windowMs);
    assert.equal(countSessions(w.db), 0, 'no session while limited');
  });

  test('parallel guesses cannot slip past the limit while the password checks are running', async () => {
    const w = await makeWorld();
    const { limit, windowMs } = w.settings.loginLimits.perAccount;
    const guesses = await Promise.all(
      Array.from({ length: 3 * limit }, (_, i) => login(w.app, 'acme', 'alice@example.com', `parallel-${i}`)),
    );
    const checked = guesses.filter((r) => r.status === 401).length;
    assert.ok(checked <= limit, `at most ${limit} passwords are tried, not ${checked}`);
    for (const res of guesses) if (res.status !== 401) await expectLimited(res, windowMs);
    await expectLimited(await login(w.app, 'acme', 'alice@example.com', PASSWORD_A), windowMs);
    assert.equal(countSessions(w.db), 0);
  });

  test('the account key ignores the case of the email', async () => {
    const w = await makeWorld();
    const { limit, windowMs } = w.settings.loginLimits.perAccount;
    for (let i = 0; i < limit; i++) {
      const email = i % 2 ? 'ALICE@example.com' : 'alice@EXAMPLE.com';
      await expectError(await login(w.app, 'acme', email, `wrong-${i}`), 401, 'invalid_credentials');
    }
    await expectLimited(await login(w.app, 'acme', 'Alice@Example.Com', PASSWORD_A), windowMs);
    await expectLimited(await login(w.app, 'acme', 'alice@example.com', PASSWORD_A), windowMs);
    assert.equal(countSessions(w.db), 0);
  });

  test('unknown emails are limited the same way as known ones (no enumeration through the limiter)', async () => {
    const w = await makeWorld();
    const { limit, windowMs } = w.settings.loginLimits.perAccount;
    for (let i = 0; i < limit; i++) {
      await expectError(await login(w.app, 'acme', 'nobody@example.com', `wrong-${i}`), 401, 'invalid_credentials');
    }
    await expectLimited(await login(w.app, 'acme', 'nobody@example.com', 'wrong'), windowMs);
  });

  test('locking one account leaves other accounts and the same email at another provider alone', async () => {
    const w = await makeWorld();
    const { limit } = w.settings.loginLimits.perAccount;
    for (let i = 0; i < limit + 2; i++) await login(w.app, 'acme', 'shared@example.com', `wrong-${i}`);
    assert.equal((await login(w.app, 'acme', 'shared@example.com', PASSWORD_A)).status, 429);

    assert.equal((await login(w.app, 'acme', 'alice@example.com', PASSWORD_A)).status, 201);
    assert.equal((await login(w.app, 'bright', 'shared@example.com', PASSWORD_B)).status, 201);
  });

  test('a successful login forgives earlier failures of that account', async () => {
    const w = await makeWorld();
    const { limit, windowMs } = w.settings.loginLimits.perAccount;
    for (let i = 0; i < limit - 1; i++) await login(w.app, 'acme', 'alice@example.com', `wrong-${i}`);
    assert.equal((await login(w.app, 'acme', 'alice@example.com', PASSWORD_A)).status, 201);
    for (let i = 0; i < limit - 1; i++) {
      await expectError(await login(w.app, 'acme', 'alice@example.com', `again-${i}`), 401, 'invalid_credentials');
    }
    assert.equal((await login(w.app, 'acme', 'alice@example.com', PASSWORD_A)).status, 201);
    // …but not a fresh run of `limit` failures.
    for (let i = 0; i < limit; i++) await login(w.app, 'acme', 'alice@example.com', `more-${i}`);
    await expectLimited(await login(w.app, 'acme', 'alice@example.com', PASSWORD_A), windowMs);
  });

  test('the lock lifts once the window has passed', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: 1_800_000_000_000 });
    const w = await makeWorld();
    const { limit, windowMs } = w.settings.loginLimits.perAccount;
    for (let i = 0; i < limit; i++) await login(w.app, 'acme', 'alice@example.com', `wrong-${i}`);
    const seconds = await expectLimited(await login(w.app, 'acme', 'alice@example.com', PASSWORD_A), windowMs);
    assert.equal(seconds, windowMs / 1000, 'all attempts at one instant: the whole window to wait');
    t.mock.timers.tick(windowMs - 1_000);
    assert.equal(await expectLimited(await login(w.app, 'acme', 'alice@example.com', PASSWORD_A), windowMs), 1);
    t.mock.timers.tick(1_000);
    assert.equal((await login(w.app, 'acme', 'alice@example.com', PASSWORD_A)).status, 201);
  });

  test('the limit and window come from settings.loginLimits.perAccount', async () => {
    const w = await makeWorld({
      loginLimits: { perAccount: { limit: 2, windowMs: 30_000 }, perIp: { limit: 100, windowMs: 60_000 } },
    });
    await expectError(await login(w.app, 'acme', 'alice@example.com', 'wrong-1'), 401, 'invalid_credentials');
    await expectError(await login(w.app, 'acme', 'alice@example.com', 'wrong-2'), 401, 'invalid_credentials');
    const seconds = await expectLimited(await login(w.app, 'acme', 'alice@example.com', PASSWORD_A), 30_000);
    assert.ok(seconds > 25, `Retry-After counts down from the 30 s window (${seconds})`);
  });
});

describe('per client address', () => {
  const perIp = (limit: number) => ({
    trustProxy: true,
    loginLimits: { perAccount: { limit: 10, windowMs: 60_000 }, perIp: { limit, windowMs: 60_000 } },
  });

  test('attempts from one X-Forwarded-For address across different emails get 429; another address still works', async () => {
    const w = await makeWorld(perIp(3));
    const from = (ip: string) => ({ 'X-Forwarded-For': ip });
    await expectError(await login(w.app, 'acme', 'one@example.com', 'x', from('203.0.113.7')), 401, 'invalid_credentials');
    await expectError(await login(w.app, 'acme', 'two@example.com', 'x', from('203.0.113.7')), 401, 'invalid_credentials');
    await expectError(await login(w.app, 'acme', 'three@example.com', 'x', from('203.0.113.7')), 401, 'invalid_credentials');
    await expectLimited(await login(w.app, 'acme', 'four@example.com', 'x', from('203.0.113.7')), 60_000);
    await expectLimited(await login(w.app, 'acme', 'alice@example.com', PASSWORD_A, from('203.0.113.7')), 60_000);
    await expectLimited(await login(w.app, 'bright', 'shared@example.com', PASSWORD_B, from('203.0.113.7')), 60_000);
    assert.equal(countSessions(w.db), 0);

    const ok = await login(w.app, 'acme', 'alice@example.com', PASSWORD_A, from('198.51.100.20'));
    assert.equal(ok.status, 201);
    assert.equal((await json(ok)).me.contact.id, w.ids.alice);
  });

  test('a client cannot dodge the per-address limit by prepending its own X-Forwarded-For entries', async () => {
    const w = await makeWorld(perIp(3));
    // The trusted proxy appends the address it saw; anything before it came from the client.
    const spoofed = (i: number) => ({ 'X-Forwarded-For': `10.0.0.${i}, 203.0.113.7` });
    for (let i = 0; i < 3; i++) {
      await expectError(await login(w.app, 'acme', `user${i}@example.com`, 'x', spoofed(i)), 401, 'invalid_credentials');
    }
    await expectLimited(await login(w.app, 'acme', 'alice@example.com', PASSWORD_A, spoofed(99)), 60_000);
    await expectLimited(await login(w.app, 'acme', 'alice@example.com', PASSWORD_A, { 'X-Forwarded-For': '203.0.113.7' }), 60_000);
    assert.equal(countSessions(w.db), 0);
  });

  test('without trustProxy, X-Forwarded-For is ignored: varying it does not reset the limit', async () => {
    const w = await makeWorld({ ...perIp(3), trustProxy: false });
    for (let i = 0; i < 3; i++) {
      await login(w.app, 'acme', `user${i}@example.com`, 'x', { 'X-Forwarded-For': `198.51.100.${i}` });
    }
    await expectLimited(await login(w.app, 'acme', 'alice@example.com', PASSWORD_A, { 'X-Forwarded-For': '198.51.100.250' }), 60_000);
    assert.equal(countSessions(w.db), 0);
  });
});

describe('RateLimiter', () => {
  test('a sliding window: attempts age out and Retry-After counts down to the oldest one leaving', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(3, 60_000, () => now);
    assert.equal(limiter.retryAfter('k'), 0);
    limiter.record('k');
    now += 10_000;
    limiter.record('k');
    limiter.record('k');
    assert.equal(limiter.retryAfter('k'), 50, 'the first attempt leaves the window in 50 s');
    assert.equal(limiter.retryAfter('other'), 0);
    now += 50_001;
    assert.equal(limiter.retryAfter('k'), 0);
    limiter.record('k');
    assert.equal(limiter.retryAfter('k'), 10);
    limiter.reset('k');
    assert.equal(limiter.retryAfter('k'), 0);
  });

  test('the defaults limit accounts and addresses', () => {
    const { perAccount, perIp } = defaultSettings().loginLimits;
    assert.ok(perAccount.limit > 0 && perAccount.limit <= 20 && perAccount.windowMs >= 60_000);
    assert.ok(perIp.limit >= perAccount.limit && perIp.windowMs >= 60_000);
  });
});
