/** Equipment (adding, paging by name, search) and my details (partial updates), beyond the permission matrix. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { insertEquipment } from '../../server/equipment/data.js';
import { encodeCursor } from '../../server/db/paging.js';
import { expectError, json } from './helpers.js';
import { assertUnchanged, call, makePortalWorld, snapshot, type PortalWorld } from './portal-world.js';

describe('equipment', () => {
  test('POST /equipment stores every field and answers it back', async () => {
    const w = await makePortalWorld();
    const body = { name: 'Heat pump', make: 'Daikin', model: 'Altherma 3', serial: 'DK-1234', location: 'Roof', installedOn: '2021-03-15', lastServiceOn: '2025-09-01', nextServiceOn: '2026-09-01' };
    const res = await call(w, 'eq:add', 'POST', 'equipment', body);
    assert.equal(res.status, 201);
    const item = await json(res);
    const { id, createdAt, ...rest } = item;
    assert.deepEqual(rest, body);
    assert.ok(Number.isInteger(id) && Date.parse(createdAt) > 0);
    const listed = await json(await call(w, 'eq:view', 'GET', 'equipment?q=daikin'));
    assert.deepEqual(listed.items, [item], 'a colleague with view access sees it');
  });

  test('optional fields default to empty text and null dates', async () => {
    const w = await makePortalWorld();
    const item = await json(await call(w, 'eq:add', 'POST', 'equipment', { name: 'Fan coil' }));
    assert.deepEqual([item.make, item.model, item.serial, item.location, item.installedOn, item.lastServiceOn, item.nextServiceOn], ['', '', '', '', null, null, null]);
  });

  /** Equipment with repeated names (ties on the sort key) and names with % and _. */
  function addMany(w: PortalWorld): void {
    const names = ['Boiler', 'Boiler', 'Boiler', 'Chiller', 'Pump 10%', 'Pump 100', 'Valve a_b', 'Valve axb', 'Zone controller'];
    for (let i = 0; i < 40; i++) insertEquipment(w.db, w.acme.id, { companyId: w.company.a1, name: names[i % names.length]!, serial: `S${i}`, source: 'office' });
  }

  async function pageAll(w: PortalWorld, q: string, limit: number): Promise<{ id: number; name: string }[]> {
    const out: { id: number; name: string }[] = [];
    let cursor: string | null = null;
    do {
      const qs = new URLSearchParams({ limit: String(limit), ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) });
      const res = await call(w, 'eq:view', 'GET', `equipment?${qs}`);
      assert.equal(res.status, 200, await res.clone().text());
      const page = await json(res);
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  test('the keyset cursor pages alphabetically through all equipment, no duplicates or gaps, also inside ties of name', async () => {
    const w = await makePortalWorld();
    addMany(w);
    const want = (w.db.prepare('SELECT id, name FROM equipment WHERE provider_id = ? AND company_id = ? ORDER BY name, id').all(w.acme.id, w.company.a1) as { id: number; name: string }[]).map((r) => r.id);
    for (const limit of [1, 4, 50]) {
      const got = (await pageAll(w, '', limit)).map((i) => i.id);
      assert.equal(new Set(got).size, got.length);
      assert.deepEqual(got, want, `limit ${limit}`);
    }
  });

  test('search takes "%" and "_" literally', async () => {
    const w = await makePortalWorld();
    addMany(w);
    const names = async (q: string) => [...new Set((await pageAll(w, q, 3)).map((i) => i.name))];
    assert.deepEqual(await names('10%'), ['Pump 10%']);
    assert.deepEqual(await names('a_b'), ['Valve a_b']);
    assert.deepEqual(await names('_'), ['Valve a_b']);
  });

  test('a tampered cursor → 400 naming cursor (a number where a name belongs, garbage)', async () => {
    const w = await makePortalWorld();
    for (const cursor of [encodeCursor(12345, 3), 'AAAA', Buffer.from('["Boiler"]').toString('base64url')]) {
      const err = await expectError(await call(w, 'eq:view', 'GET', `equipment?cursor=${cursor}`), 400, 'validation_failed');
      assert.ok('cursor' in err.fields!);
    }
  });
});

describe('my details', () => {
  test('PATCH of only the contact phone keeps every other field', async () => {
    const w = await makePortalWorld();
    const before = await json(await call(w, 'det:edit', 'GET', 'details'));
    const after = await json(await call(w, 'det:edit', 'PATCH', 'details', { contact: { phone: '+1 (555) 010-9999' } }));
    assert.deepEqual(after, { ...before, contact: { ...before.contact, phone: '+1 (555) 010-9999' } });
  });

  test('company email and phone can be cleared with ""', async () => {
    const w = await makePortalWorld();
    const after = await json(await call(w, 'det:edit', 'PATCH', 'details', { company: { email: '', phone: '' } }));
    assert.equal(after.company.email, '');
    assert.equal(after.company.phone, '');
    assert.equal(after.company.name, 'Harbour View');
  });

  test('text is trimmed and stored verbatim otherwise (markup is data)', async () => {
    const w = await makePortalWorld();
    const name = '<img src=x onerror=alert(1)> Ltd';
    const after = await json(await call(w, 'det:edit', 'PATCH', 'details', { company: { name: `  ${name}  ` } }));
    assert.equal(after.company.name, name);
    assert.equal(w.db.prepare('SELECT name FROM companies WHERE id = ?').pluck().get(w.company.a1), name);
  });

  test('a contact with view access cannot change even their own phone', async () => {
    const w = await makePortalWorld();
    const before = snapshot(w.db);
    await expectError(await call(w, 'det:view', 'PATCH', 'details', { contact: { phone: '+1 555 0000' } }), 403, 'forbidden');
    assertUnchanged(w.db, before, 'refused PATCH /details');
  });
});
