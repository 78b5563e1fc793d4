/**
 * The permission matrix: every jobs, quotes, equipment and details route under
 * /api/portal/:provider/, against every permission level and against contacts of another
 * company and another provider. Expected outcomes come from the tables below; each cell is a test.
 *
 * 403: the contact's permissions forbid it (the same answer whatever the id).
 * 404: not visible to them (another company's or provider's record, or not their own for an
 *      "own" contact), answered exactly like an id that does not exist.
 * Every refused write is checked to have changed nothing.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { RecordAccess } from '../../server/contract.js';
import { expectError, json } from './helpers.js';
import {
  MISSING_ID,
  RECORD_ACCESS,
  RECORD_CONTACTS,
  TARGETS,
  assertUnchanged,
  call,
  canCreate,
  levelOf,
  makePortalWorld,
  snapshot,
  sortedIds,
  targetId,
  visibleIds,
  type ContactKey,
  type PortalWorld,
  type RecordContact,
  type Target,
} from './portal-world.js';

type Outcome = 200 | 403 | 404;

// Columns follow TARGETS: own (created by the viewer), named (office record naming the viewer),
// colleague (another A1 contact's), unnamed (A1 office record naming nobody), A2, B1, missing id.
//                                        own  named colleague unnamed A2   B1   missing
const READ_ONE: Record<RecordAccess, Outcome[]> = {
  none:     [403, 403,  403,      403,    403, 403, 403],
  view_own: [200, 200,  404,      404,    404, 404, 404],
  view_all: [200, 200,  200,      200,    404, 404, 404],
  edit_own: [200, 200,  404,      404,    404, 404, 404],
  edit_all: [200, 200,  200,      200,    404, 404, 404],
};
/** PATCH /jobs/:id, POST /quotes/:id/accept and /decline. */
const WRITE_ONE: Record<RecordAccess, Outcome[]> = {
  none:     [403, 403,  403,      403,    403, 403, 403],
  view_own: [403, 403,  404,      404,    404, 404, 404],
  view_all: [403, 403,  403,      403,    404, 404, 404],
  edit_own: [200, 200,  404,      404,    404, 404, 404],
  edit_all: [200, 200,  200,      200,    404, 404, 404],
};
/** GET /jobs and GET /quotes: which of the A1 records the list holds. */
const LIST: Record<RecordAccess, 403 | 'own' | 'all'> = { none: 403, view_own: 'own', view_all: 'all', edit_own: 'own', edit_all: 'all' };

const EQUIPMENT: Record<'none' | 'view' | 'add', { list: 200 | 403; add: 201 | 403 }> = {
  none: { list: 403, add: 403 },
  view: { list: 200, add: 403 },
  add: { list: 200, add: 201 },
};
const DETAILS: Record<'view' | 'edit', { get: 200; patch: 200 | 403 }> = { view: { get: 200, patch: 403 }, edit: { get: 200, patch: 200 } };

/** Every route the matrix covers, with a valid body for each write. */
const ROUTES: { method: string; path: string; body?: unknown }[] = [
  { method: 'GET', path: 'jobs' },
  { method: 'POST', path: 'jobs', body: { title: 'New job', address: '1 New St' } },
  { method: 'GET', path: 'jobs/:id' },
  { method: 'PATCH', path: 'jobs/:id', body: { title: 'Changed title' } },
  { method: 'GET', path: 'quotes' },
  { method: 'POST', path: 'quotes', body: { title: 'New quote' } },
  { method: 'GET', path: 'quotes/:id' },
  { method: 'POST', path: 'quotes/:id/accept', body: { note: 'Go ahead' } },
  { method: 'POST', path: 'quotes/:id/decline', body: {} },
  { method: 'GET', path: 'equipment' },
  { method: 'POST', path: 'equipment', body: { name: 'New boiler' } },
  { method: 'GET', path: 'details' },
  { method: 'PATCH', path: 'details', body: { company: { name: 'Renamed' } } },
  // Job files: their matrix by level and target is in files-permissions.test.ts.
  { method: 'GET', path: 'jobs/:id/files' },
  { method: 'POST', path: 'jobs/:id/files', body: {} },
  { method: 'DELETE', path: 'jobs/:id/files/:fileId' },
];
const routeOf = (method: string, path: string) => ROUTES.find((r) => r.method === method && r.path === path)!;

let shared: PortalWorld;
before(async () => {
  shared = await makePortalWorld();
});

/** A fresh world for a write that is expected to succeed; the shared one otherwise (a refusal changes nothing, which is asserted). */
const worldFor = async (outcome: number): Promise<PortalWorld> => (outcome < 300 ? makePortalWorld() : shared);

/** The 404 for a record the viewer may not see must be indistinguishable from the 404 for an id that does not exist. */
async function expectHidden(w: PortalWorld, who: ContactKey, method: string, path: (id: number) => string, res: Response, body?: unknown): Promise<void> {
  const err = await expectError(res, 404, 'not_found');
  const missing = await expectError(await call(w, who, method, path(MISSING_ID), body), 404, 'not_found');
  assert.deepEqual(err, missing, 'same answer as for an id that does not exist');
}

describe('the matrix covers every jobs, quotes, equipment and details route', () => {
  test('ROUTES is exactly the set the app serves under /api/portal/:provider/ for these resources', () => {
    const served = new Set<string>();
    for (const r of shared.app.routes) {
      const m = /^\/api\/portal\/:provider\/((?:jobs|quotes|equipment|details)(?:\/.*)?)$/.exec(r.path);
      if (m && r.method !== 'ALL') served.add(`${r.method} ${m[1]}`);
    }
    assert.deepEqual([...served].sort(), ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  test('every route needs a session; a token from the other provider is refused there (401) and nothing is written', async () => {
    const w = shared;
    const before = snapshot(w.db);
    for (const r of ROUTES) {
      const path = r.path.replace(':id', String(w.jobs.colleague));
      const init: RequestInit = { method: r.method, headers: { 'Content-Type': 'application/json' } };
      if (r.body) init.body = JSON.stringify(r.body);
      await expectError(await w.app.request(`/api/portal/acme/${path}`, init), 401, 'unauthenticated');
      await expectError(await call(w, 'otherProvider', r.method, path, r.body, 'acme'), 401, 'session_expired');
      await expectError(await call(w, 'colleague', r.method, path, r.body, 'bright'), 401, 'session_expired');
    }
    assertUnchanged(w.db, before, 'unauthenticated and cross-provider requests');
  });
});

for (const kind of ['jobs', 'quotes'] as const) {
  const one = kind === 'jobs' ? 'job' : 'quote';
  describe(`${kind}: lists and single records by permission level`, () => {
    for (const who of RECORD_CONTACTS) {
      const expected = LIST[levelOf(who)];
      test(`GET /${kind} as ${who} → ${expected === 403 ? '403' : `exactly the ${expected === 'own' ? 'own' : "company's"} ${kind}`}`, async () => {
        const res = await call(shared, who, 'GET', `${kind}?limit=100`);
        if (expected === 403) return void (await expectError(res, 403, 'forbidden'));
        assert.equal(res.status, 200);
        const page = await json(res);
        assert.deepEqual(sortedIds(page.items), visibleIds(shared, shared[kind], who));
        assert.equal(page.nextCursor, null);
      });

      TARGETS.forEach((target: Target, i) => {
        const outcome = READ_ONE[levelOf(who)][i]!;
        test(`GET /${kind}/:id (${target}) as ${who} → ${outcome}`, async () => {
          const w = shared;
          const id = targetId(w[kind], who, target);
          const res = await call(w, who, 'GET', `${kind}/${id}`);
          if (outcome === 403) return void (await expectError(res, 403, 'forbidden'));
          if (outcome === 404) return expectHidden(w, who, 'GET', (x) => `${kind}/${x}`, res);
          assert.equal(res.status, 200);
          const body = await json(res);
          assert.equal(body.id, id);
          // The edit flag the UI shows agrees with what the write route allows.
          const mayWrite = WRITE_ONE[levelOf(who)][i] === 200;
          assert.equal(kind === 'jobs' ? body.canEdit : body.canAnswer, mayWrite, 'canEdit/canAnswer matches the write matrix');
        });
      });
    }

    for (const viewer of ['otherCompany', 'otherProvider'] as const) {
      test(`GET /${kind} as a contact of ${viewer === 'otherCompany' ? 'another company' : 'another provider'} (edit_all) → only their own tenant's, never A1's`, async () => {
        const w = shared;
        const page = await json(await call(w, viewer, 'GET', `${kind}?limit=100`));
        assert.deepEqual(sortedIds(page.items), [w[kind][viewer]]);
        for (const id of [w[kind].colleague, w[kind].unnamed, w[kind].own['rec:edit_all']]) {
          await expectHidden(w, viewer, 'GET', (x) => `${kind}/${x}`, await call(w, viewer, 'GET', `${kind}/${id}`));
        }
        assert.equal((await call(w, viewer, 'GET', `${kind}/${w[kind][viewer]}`)).status, 200, `their own ${one} is there`);
      });
    }
  });
}

describe('jobs and quotes: writes to one record by permission level', () => {
  const writes = [
    { kind: 'jobs', method: 'PATCH', path: (id: number) => `jobs/${id}`, body: routeOf('PATCH', 'jobs/:id').body },
    { kind: 'quotes', method: 'POST', path: (id: number) => `quotes/${id}/accept`, body: routeOf('POST', 'quotes/:id/accept').body },
    { kind: 'quotes', method: 'POST', path: (id: number) => `quotes/${id}/decline`, body: routeOf('POST', 'quotes/:id/decline').body },
  ] as const;
  for (const write of writes) {
    const label = `${write.method} /${write.path(0).replace('0', ':id')}`;
    for (const who of RECORD_CONTACTS) {
      TARGETS.forEach((target, i) => {
        const outcome = WRITE_ONE[levelOf(who)][i]!;
        test(`${label} (${target}) as ${who} → ${outcome}`, async () => {
          const w = await worldFor(outcome);
          const id = targetId(w[write.kind], who, target);
          const before = snapshot(w.db);
          const res = await call(w, who, write.method, write.path(id), write.body);
          if (outcome === 403) await expectError(res, 403, 'forbidden');
          else if (outcome === 404) await expectHidden(w, who, write.method, write.path, res, write.body);
          if (outcome !== 200) return assertUnchanged(w.db, before, `refused ${label}`);

          assert.equal(res.status, 200);
          const body = await json(res);
          assert.equal(body.id, id);
          if (write.kind === 'jobs') {
            assert.equal(body.title, 'Changed title');
            assert.equal(w.db.prepare('SELECT title FROM jobs WHERE id = ?').pluck().get(id), 'Changed title');
          } else {
            const status = write.path(id).endsWith('accept') ? 'accepted' : 'declined';
            assert.equal(body.status, status);
            const row = w.db.prepare('SELECT status, responded_by_contact_id AS by FROM quotes WHERE id = ?').get(id);
            assert.deepEqual(row, { status, by: w.contact[who] });
          }
        });
      });
    }

    for (const viewer of ['otherCompany', 'otherProvider'] as const) {
      test(`${label} of A1 records as a contact of ${viewer === 'otherCompany' ? 'another company' : 'another provider'} (edit_all) → 404, nothing written`, async () => {
        const w = shared;
        const before = snapshot(w.db);
        for (const id of [w[write.kind].colleague, w[write.kind].unnamed, w[write.kind].own['rec:edit_all'], w[write.kind].named['rec:edit_all']]) {
          await expectHidden(w, viewer, write.method, write.path, await call(w, viewer, write.method, write.path(id), write.body), write.body);
        }
        assertUnchanged(w.db, before, `${label} across tenants`);
      });
    }
  }
});

describe('jobs and quotes: creating', () => {
  for (const kind of ['jobs', 'quotes'] as const) {
    const body = routeOf('POST', kind).body;
    const flag = kind === 'jobs' ? 'createJobs' : 'createQuotes';
    for (const who of RECORD_CONTACTS) {
      const outcome = canCreate(who) ? 201 : 403;
      test(`POST /${kind} as ${who} (${flag} ${canCreate(who)}) → ${outcome}`, async () => {
        const w = await worldFor(outcome);
        const before = snapshot(w.db);
        const res = await call(w, who, 'POST', kind, body);
        if (outcome === 403) {
          await expectError(res, 403, 'forbidden');
          return assertUnchanged(w.db, before, `refused POST /${kind}`);
        }
        assert.equal(res.status, 201);
        const created = await json(res);
        const row = w.db.prepare(`SELECT provider_id, company_id, created_by_contact_id FROM ${kind} WHERE id = ?`).get(created.id);
        assert.deepEqual(row, { provider_id: w.acme.id, company_id: w.company.a1, created_by_contact_id: w.contact[who] });
      });
    }
    for (const viewer of ['otherCompany', 'otherProvider'] as const) {
      test(`POST /${kind} as a contact of ${viewer === 'otherCompany' ? 'another company' : 'another provider'} lands in their own company, not A1`, async () => {
        const w = await makePortalWorld();
        const created = await json(await call(w, viewer, 'POST', kind, body));
        const row = w.db.prepare(`SELECT provider_id, company_id FROM ${kind} WHERE id = ?`).get(created.id);
        const expected = viewer === 'otherCompany' ? { provider_id: w.acme.id, company_id: w.company.a2 } : { provider_id: w.bright.id, company_id: w.company.b1 };
        assert.deepEqual(row, expected);
        const a1 = await json(await call(w, 'rec:edit_all', 'GET', `${kind}?limit=100`));
        assert.ok(!a1.items.some((i: { id: number }) => i.id === created.id), 'A1 does not see it');
      });
    }
  }
});

describe('jobs and quotes permissions are independent', () => {
  for (const [who, allowed, refused] of [['mixed:jobs', 'jobs', 'quotes'], ['mixed:quotes', 'quotes', 'jobs']] as const) {
    test(`${who}: ${allowed} edit_all and may create them; ${refused} none and may not create them`, async () => {
      const w = await makePortalWorld();
      assert.equal((await call(w, who, 'GET', allowed)).status, 200);
      assert.equal((await call(w, who, 'GET', `${allowed}/${w[allowed].colleague}`)).status, 200);
      assert.equal((await call(w, who, 'POST', allowed, routeOf('POST', allowed).body)).status, 201);
      const before = snapshot(w.db);
      await expectError(await call(w, who, 'GET', refused), 403, 'forbidden');
      await expectError(await call(w, who, 'GET', `${refused}/${w[refused].colleague}`), 403, 'forbidden');
      await expectError(await call(w, who, 'POST', refused, routeOf('POST', refused).body), 403, 'forbidden');
      const write = refused === 'jobs' ? call(w, who, 'PATCH', `jobs/${w.jobs.colleague}`, { title: 'x' }) : call(w, who, 'POST', `quotes/${w.quotes.colleague}/accept`, {});
      await expectError(await write, 403, 'forbidden');
      assertUnchanged(w.db, before, `refused ${refused} requests`);
    });
  }
});

describe('equipment by permission level', () => {
  for (const level of ['none', 'view', 'add'] as const) {
    const who = `eq:${level}` as const;
    const expected = EQUIPMENT[level];
    test(`GET /equipment as ${who} → ${expected.list === 403 ? '403' : "exactly the company's equipment"}`, async () => {
      const res = await call(shared, who, 'GET', 'equipment');
      if (expected.list === 403) return void (await expectError(res, 403, 'forbidden'));
      assert.equal(res.status, 200);
      assert.deepEqual(sortedIds((await json(res)).items), shared.equipment.a1);
    });
    test(`POST /equipment as ${who} → ${expected.add}`, async () => {
      const w = await worldFor(expected.add);
      const before = snapshot(w.db);
      const res = await call(w, who, 'POST', 'equipment', routeOf('POST', 'equipment').body);
      if (expected.add === 403) {
        await expectError(res, 403, 'forbidden');
        return assertUnchanged(w.db, before, 'refused POST /equipment');
      }
      assert.equal(res.status, 201);
      const created = await json(res);
      assert.equal(created.name, 'New boiler');
      const row = w.db.prepare('SELECT provider_id, company_id, source, created_by_contact_id AS by FROM equipment WHERE id = ?').get(created.id);
      assert.deepEqual(row, { provider_id: w.acme.id, company_id: w.company.a1, source: 'portal', by: w.contact[who] });
    });
  }
  for (const viewer of ['otherCompany', 'otherProvider'] as const) {
    test(`GET /equipment as a contact of ${viewer === 'otherCompany' ? 'another company' : 'another provider'} → only theirs`, async () => {
      const page = await json(await call(shared, viewer, 'GET', 'equipment'));
      assert.deepEqual(sortedIds(page.items), viewer === 'otherCompany' ? shared.equipment.a2 : shared.equipment.b1);
    });
  }
});

describe('my details by permission level', () => {
  for (const level of ['view', 'edit'] as const) {
    const who = `det:${level}` as const;
    const expected = DETAILS[level];
    test(`GET /details as ${who} → their company and themselves, canEdit ${level === 'edit'}`, async () => {
      const res = await call(shared, who, 'GET', 'details');
      assert.equal(res.status, expected.get);
      assert.deepEqual(await json(res), {
        company: { id: shared.company.a1, name: 'Harbour View', address: '12 Quay St', phone: '+1 555 0100', email: 'office@harbour.example' },
        contact: { id: shared.contact[who], name: `Contact ${who}`, email: `det.${level}@example.com`, phone: '' },
        canEdit: level === 'edit',
      });
    });
    test(`PATCH /details as ${who} → ${expected.patch}`, async () => {
      const w = await worldFor(expected.patch);
      const before = snapshot(w.db);
      const res = await call(w, who, 'PATCH', 'details', { company: { name: 'Renamed', phone: '+1 555 0111' }, contact: { name: 'New Name' } });
      if (expected.patch === 403) {
        await expectError(res, 403, 'forbidden');
        return assertUnchanged(w.db, before, 'refused PATCH /details');
      }
      assert.equal(res.status, 200);
      const body = await json(res);
      assert.equal(body.company.name, 'Renamed');
      assert.equal(body.company.phone, '+1 555 0111');
      assert.equal(body.company.address, '12 Quay St', 'fields not sent are kept');
      assert.equal(body.contact.name, 'New Name');
      const names = w.db.prepare('SELECT id, name FROM contacts WHERE name = ?').all('New Name');
      assert.deepEqual(names, [{ id: w.contact[who], name: 'New Name' }], 'only this contact is renamed');
      assert.deepEqual(w.db.prepare('SELECT id FROM companies WHERE name = ?').pluck().all('Renamed'), [w.company.a1], 'only their company is renamed');
    });
  }
  for (const viewer of ['otherCompany', 'otherProvider'] as const) {
    test(`GET and PATCH /details as a contact of ${viewer === 'otherCompany' ? 'another company' : 'another provider'} reach only their own company`, async () => {
      const w = await makePortalWorld();
      const own = viewer === 'otherCompany' ? w.company.a2 : w.company.b1;
      assert.equal((await json(await call(w, viewer, 'GET', 'details'))).company.id, own);
      const a1Before = w.db.prepare('SELECT * FROM companies WHERE id = ?').get(w.company.a1);
      const res = await call(w, viewer, 'PATCH', 'details', { company: { name: 'Taken over' } });
      assert.equal(res.status, 200);
      assert.equal((await json(res)).company.id, own);
      assert.deepEqual(w.db.prepare('SELECT * FROM companies WHERE id = ?').get(w.company.a1), a1Before, 'A1 is untouched');
      assert.deepEqual(w.db.prepare('SELECT id FROM companies WHERE name = ?').pluck().all('Taken over'), [own]);
    });
  }
});

test('sanity: every permission level is in every table', () => {
  for (const table of [READ_ONE, WRITE_ONE, LIST]) assert.deepEqual(Object.keys(table).sort(), [...RECORD_ACCESS].sort());
  for (const row of [...Object.values(READ_ONE), ...Object.values(WRITE_ONE)]) assert.equal(row.length, TARGETS.length);
});
