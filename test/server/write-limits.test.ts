/** Customer writes per contact and per provider (issue 15: one contact made 24,218 jobs in 30 s). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectError, json } from './helpers.js';
import { call, makePortalWorld } from './portal-world.js';

const JOB = { title: 'Leaking tap', address: '12 Quay St' };
const jobCount = (w: { db: { prepare(s: string): { pluck(): { get(): unknown } } } }): number => w.db.prepare('SELECT count(*) FROM jobs').pluck().get() as number;

describe('write limits on the customer API', () => {
  test('past its limit a contact gets 429 with Retry-After, nothing is written, and it may still read', async () => {
    const w = await makePortalWorld({ settings: { writeLimits: { perContact: { limit: 5, windowMs: 60_000 }, perProvider: { limit: 1000, windowMs: 60_000 } } } });
    for (let i = 0; i < 5; i++) assert.equal((await call(w, 'colleague', 'POST', 'jobs', JOB)).status, 201);
    const before = jobCount(w);
    const refused = await call(w, 'colleague', 'POST', 'jobs', JOB);
    await expectError(refused, 429, 'rate_limited');
    const seconds = Number(refused.headers.get('retry-after'));
    assert.ok(Number.isInteger(seconds) && seconds >= 1 && seconds <= 60, `Retry-After within the window: ${seconds}`);
    await expectError(await call(w, 'colleague', 'PATCH', `jobs/${w.jobs.colleague}`, { title: 'x' }), 429, 'rate_limited');
    assert.equal(jobCount(w), before, 'nothing written');
    assert.equal((await call(w, 'colleague', 'GET', 'jobs')).status, 200, 'reads are not limited');
    // Another contact of the same provider is not affected.
    assert.equal((await call(w, 'rec:edit_all', 'POST', 'jobs', JOB)).status, 201);
  });

  test('refused writes do not count: bad input can be corrected without being locked out', async () => {
    const w = await makePortalWorld({ settings: { writeLimits: { perContact: { limit: 2, windowMs: 60_000 }, perProvider: { limit: 1000, windowMs: 60_000 } } } });
    for (let i = 0; i < 10; i++) await expectError(await call(w, 'colleague', 'POST', 'jobs', { title: '' }), 400, 'validation_failed');
    assert.equal((await call(w, 'colleague', 'POST', 'jobs', JOB)).status, 201);
  });

  test("the provider's limit holds across its contacts, and another provider's customers are not affected", async () => {
    const w = await makePortalWorld({ settings: { writeLimits: { perContact: { limit: 100, windowMs: 60_000 }, perProvider: { limit: 4, windowMs: 60_000 } } } });
    for (const who of ['colleague', 'rec:edit_all', 'rec:edit_own', 'mixed:jobs'] as const) assert.equal((await call(w, who, 'POST', 'jobs', JOB)).status, 201);
    await expectError(await call(w, 'rec:view_all', 'POST', 'jobs', JOB), 429, 'rate_limited');
    const other = await call(w, 'otherProvider', 'POST', 'jobs', JOB);
    assert.equal(other.status, 201, await other.clone().text());
    assert.equal((await json(other)).title, JOB.title);
  });

  test('the defaults allow a busy customer and stop a flood', async () => {
    const w = await makePortalWorld();
    const { perContact, perProvider } = w.app.deps.settings.writeLimits;
    assert.ok(perContact.limit >= 20 && perContact.limit <= 600 && perContact.windowMs <= 60 * 60_000);
    assert.ok(perProvider.limit >= perContact.limit);
  });
});
