/**
 * The limiters under a flood of distinct keys (issue 15: past 50,000 keys every record walked
 * the whole map): memory stays within the configured capacity, and recording stays constant
 * work. And the limits in front of the unauthenticated routes, which is what stops a flood.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { addressKey } from '../../server/http/client-ip.js';
import { RateLimiter } from '../../server/http/rate-limit.js';
import { expectError, fixtureHashes, makeWorld, post } from './helpers.js';

before(fixtureHashes);

const FLOOD = 200_000;

describe('a flood of 200,000 distinct keys', () => {
  test('every limiter of the app holds at most its capacity, dropping one key per record', async () => {
    const w = await makeWorld({ limiterCapacity: 5_000 });
    for (const [name, limiter] of Object.entries(w.app.deps.limits)) {
      const l = limiter as RateLimiter;
      for (let i = 0; i < FLOOD; i++) l.record(`${name}-${i}`);
      assert.equal(l.size, 5_000, `${name} holds exactly its capacity`);
      assert.equal(l.evicted, FLOOD - 5_000, `${name} evicted one key per record past capacity`);
      // The newest keys are the ones kept: a key in use is not the one dropped.
      assert.equal(l.retryAfter(`${name}-${FLOOD - 1}`), 0);
    }
  });

  test('recording a key never walks the keys held: 200,000 records cost what 20,000 cost, per record', () => {
    // Work is counted, not timed: keys examined per record, via a Map that counts its iterations.
    let examined = 0;
    const limiter = new RateLimiter(10, 60 * 60_000, Date.now, 10_000);
    const map = (limiter as unknown as { hits: Map<string, number[]> }).hits;
    const keys = map.keys.bind(map);
    map.keys = () => {
      const it = keys();
      return Object.assign(it, {
        next: () => {
          examined++;
          return Object.getPrototypeOf(it).next.call(it);
        },
      });
    };
    for (let i = 0; i < FLOOD; i++) limiter.record(`k${i}`);
    assert.ok(examined <= FLOOD - 10_000, `at most one key examined per eviction (${examined} for ${FLOOD} records)`);
    assert.equal(limiter.size, 10_000);
  });

  test('a key keeps at most `limit` timestamps however often it is recorded', () => {
    const limiter = new RateLimiter(3, 60_000);
    for (let i = 0; i < 10_000; i++) limiter.record('k');
    const held = (limiter as unknown as { hits: Map<string, number[]> }).hits.get('k')!;
    assert.equal(held.length, 3);
    assert.ok(limiter.retryAfter('k') > 0);
  });

  test('keys whose window passed are dropped when next looked at', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 1_000, () => now);
    limiter.record('a');
    now = 5_000;
    assert.equal(limiter.retryAfter('a'), 0);
    assert.equal(limiter.size, 0);
  });
});

describe('set-password with guessed tokens', () => {
  test('unknown tokens fill no per-link limiter; the per-address limit answers 429 with Retry-After once it is used up', async () => {
    const w = await makeWorld({ addressLimit: { limit: 25, windowMs: 60_000 } });
    for (let i = 0; i < 25; i++) {
      const res = await post(w.app, '/api/portal/acme/password/set', { token: randomBytes(32).toString('base64url'), password: 'a fine long passphrase' });
      await expectError(res, 400, 'invalid_link');
    }
    assert.equal((w.app.deps.limits.resetLink as RateLimiter).size, 0, 'no key recorded for a token that names no link');
    const limited = await post(w.app, '/api/portal/acme/password/set', { token: randomBytes(32).toString('base64url'), password: 'a fine long passphrase' });
    await expectError(limited, 429, 'rate_limited');
    assert.match(limited.headers.get('retry-after') ?? '', /^\d+$/);
    // The same address is refused on the other public routes too, and a logged-in customer is not.
    await expectError(await post(w.app, '/api/portal/acme/session', { email: 'alice@example.com', password: 'x' }), 429, 'rate_limited');
    await expectError(await w.app.request('/api/portal/acme/config'), 429, 'rate_limited');
  });

  test('a wrong API key counts against the address; a right one does not', async () => {
    const w = await makeWorld({ addressLimit: { limit: 3, windowMs: 60_000 } });
    const call = (key: string) => w.app.request('/api/provider/v1/companies', { headers: { authorization: `Bearer ${key}` } });
    for (let i = 0; i < 3; i++) await expectError(await call(`pk_guess${i}`), 401, 'invalid_api_key');
    await expectError(await call('pk_guess-more'), 429, 'rate_limited');
  });

  test('a 401 on a customer route counts, a signed-in read does not', async () => {
    const w = await makeWorld({ addressLimit: { limit: 2, windowMs: 60_000 } });
    const jobs = (token: string) => w.app.request('/api/portal/acme/jobs', { headers: { authorization: `Bearer ${token}` } });
    await expectError(await jobs('guess-1'), 401, 'session_expired');
    await expectError(await jobs('guess-2'), 401, 'session_expired');
    await expectError(await jobs('guess-3'), 429, 'rate_limited');
  });
});

describe('addresses as limiter keys', () => {
  test('IPv6 by /64, in any spelling; IPv4 as is, also when IPv4-mapped', () => {
    assert.equal(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:0db8:0001:0002::1'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('2001:DB8:0:0:ffff::1%eth0'), '2001:db8:0:0::/64');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.notEqual(addressKey('2001:db8:1:3::1'), addressKey('2001:db8:1:2::1'));
    assert.equal(addressKey('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(addressKey('203.0.113.7'), '203.0.113.7');
  });

  test('a client rotating addresses inside one /64 shares one login limit', async () => {
    const w = await makeWorld({ trustProxy: true, loginLimits: { perAccount: { limit: 50, windowMs: 60_000 }, perIp: { limit: 3, windowMs: 60_000 } } });
    for (let i = 1; i <= 3; i++) {
      const res = await post(w.app, '/api/portal/acme/session', { email: `u${i}@example.com`, password: 'x' }, { 'X-Forwarded-For': `2001:db8:7:7::${i}` });
      await expectError(res, 401, 'invalid_credentials');
    }
    const res = await post(w.app, '/api/portal/acme/session', { email: 'u9@example.com', password: 'x' }, { 'X-Forwarded-For': '2001:db8:7:7:ffff::9' });
    await expectError(res, 429, 'rate_limited');
    const other = await post(w.app, '/api/portal/acme/session', { email: 'u9@example.com', password: 'x' }, { 'X-Forwarded-For': '2001:db8:7:8::1' });
    await expectError(other, 401, 'invalid_credentials');
  });
});
