/** GET map: started jobs with coordinates as the contact may see them, positions coarsened, the map switches. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createContact } from '../../server/companies/data.js';
import { insertJob } from '../../server/jobs/data.js';
import { authed, expectError, json } from './helpers.js';
import { makeProviderWorld, papi, type ProviderWorld } from './provider-helpers.js';

const SITE = { latitude: -33.865, longitude: 151.209 };

function job(w: ProviderWorld, status: 'scheduled' | 'on_the_way' | 'in_progress' | 'completed', o: { contact?: number; company?: number; coords?: boolean } = {}): number {
  return insertJob(w.db, w.acme.id, {
    companyId: o.company ?? w.ids.acmeCompany,
    title: `Job ${status}`,
    address: '12 Quay St',
    status,
    source: 'office',
    contactId: o.contact ?? null,
    technician: 'Dana Reyes',
    ...(o.coords === false ? {} : SITE),
  });
}

const map = async (w: ProviderWorld, contactId: number, query = '') =>
  authed(w.app, `/api/portal/acme/map${query}`, (await w.app.deps.auth.create(contactId, w.acme.id)).token);

describe('GET map', () => {
  test('lists only started jobs with coordinates, with the last position coarsened and an ETA while on the way', async () => {
    const w = await makeProviderWorld();
    const onTheWay = job(w, 'on_the_way');
    const working = job(w, 'in_progress');
    job(w, 'scheduled');
    job(w, 'completed');
    job(w, 'on_the_way', { coords: false });
    job(w, 'in_progress', { company: w.ids.acmeOtherCompany });
    const before = await json(await map(w, w.ids.alice));
    assert.deepEqual(before.items.map((j: { id: number }) => j.id).sort(), [onTheWay, working].sort());
    assert.equal(before.items.find((j: { id: number }) => j.id === onTheWay).position, null);

    const exact = { latitude: -33.8745, longitude: 151.2012 };
    assert.equal((await papi(w.app, w.keyA, 'POST', `/jobs/${onTheWay}/position`, exact)).status, 201);
    const items = (await json(await map(w, w.ids.alice, `?job=${onTheWay}`))).items;
    assert.equal(items.length, 1);
    const [j] = items;
    assert.equal(j.technician, 'Dana Reyes');
    assert.equal(j.position.precision, 'approximate');
    assert.notEqual(j.position.latitude, exact.latitude);
    assert.ok(Math.abs(j.position.latitude - exact.latitude) < 0.0025 && Math.abs(j.position.longitude - exact.longitude) < 0.005, 'near, within ~500 m');
    assert.ok(Date.parse(j.eta) > Date.parse(j.position.at), 'arrival after the last position');
  });

  test("view_own sees its own jobs only; another company's job id answers an empty list", async () => {
    const w = await makeProviderWorld();
    const mine = job(w, 'on_the_way', { contact: w.ids.sharedAtAcme });
    job(w, 'on_the_way');
    const other = job(w, 'on_the_way', { company: w.ids.acmeOtherCompany });
    assert.deepEqual((await json(await map(w, w.ids.sharedAtAcme))).items.map((j: { id: number }) => j.id), [mine]);
    assert.deepEqual((await json(await map(w, w.ids.alice, `?job=${other}`))).items, []);
  });

  test("the contact's and the provider's map switches, jobs none and bad input", async () => {
    const w = await makeProviderWorld();
    const noMap = createContact(w.db, w.acme.id, { companyId: w.ids.acmeCompany, email: 'nm@example.com', name: 'N', permissions: { map: false, jobs: 'view_all' } });
    await expectError(await map(w, noMap), 403, 'map_disabled');
    const noJobs = createContact(w.db, w.acme.id, { companyId: w.ids.acmeCompany, email: 'nj@example.com', name: 'J', permissions: { jobs: 'none' } });
    await expectError(await map(w, noJobs), 403, 'forbidden');
    for (const bad of ['?job=abc', '?job=0', '?other=1']) await expectError(await map(w, w.ids.alice, bad), 400, 'validation_failed');
    w.db.prepare(`UPDATE providers SET features = '{"map":false,"alerts":true}' WHERE id = ?`).run(w.acme.id);
    await expectError(await map(w, w.ids.alice), 403, 'map_disabled');
    await expectError(await w.app.request('/api/portal/acme/map'), 401, 'unauthenticated');
  });

  test("provider map settings: read, set, and only the provider's own", async () => {
    const w = await makeProviderWorld();
    assert.deepEqual(await json(await papi(w.app, w.keyA, 'GET', '/map/settings')), { exactPositionOnTheWay: false });
    assert.deepEqual(await json(await papi(w.app, w.keyA, 'PUT', '/map/settings', { exactPositionOnTheWay: true })), { exactPositionOnTheWay: true });
    assert.deepEqual(await json(await papi(w.app, w.keyB, 'GET', '/map/settings')), { exactPositionOnTheWay: false }, 'bright is untouched');
    await expectError(await papi(w.app, w.keyA, 'PUT', '/map/settings', {}), 400, 'validation_failed');
    await expectError(await papi(w.app, w.keyA, 'PUT', '/map/settings', { exactPositionOnTheWay: true, extra: 1 }), 400, 'validation_failed');
    await expectError(await papi(w.app, null, 'GET', '/map/settings'), 401, 'invalid_api_key');
  });
});
