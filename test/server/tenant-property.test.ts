/**
 * Tenant isolation as a property: random (contact, route, record) triples over two providers,
 * three companies and a contact at every permission level. Each answer is checked against the
 * permission rules, restated here from the README rather than taken from server/permissions.ts:
 * another provider's or company's record does not exist for the contact (404, never listed);
 * "none" refuses the kind of record (403); "own" sees what the contact created or is named on,
 * "all" the whole company; "edit_*" may change what it sees ("edit_own" only its own), else 403.
 * A session never works at another provider (401). The contact's permissions come from GET /me.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Permissions } from '../../server/sessions/schemas.js';
import type { RecordAccess } from '../../server/contract.js';
import { call, makePortalWorld, MISSING_ID, type ContactKey, type PortalWorld } from './portal-world.js';

interface Row {
  id: number;
  provider_id: number;
  company_id: number;
  created_by_contact_id: number | null;
  contact_id: number | null;
}

interface Who {
  key: ContactKey;
  id: number;
  providerId: number;
  companyId: number;
  permissions: Permissions;
}

type Kind = 'jobs' | 'quotes';
const ROUTES = ['get', 'list', 'patch', 'accept', 'decline', 'equipment', 'otherProvider'] as const;
type Route = (typeof ROUTES)[number];

/** What the rules say a contact may do with a record: 'invisible', 'forbidden', 'view' or 'edit'. */
function expected(who: Who, access: RecordAccess, row: Row | undefined): 'forbidden' | 'invisible' | 'view' | 'edit' {
  if (access === 'none') return 'forbidden';
  if (!row || row.provider_id !== who.providerId || row.company_id !== who.companyId) return 'invisible';
  const own = row.created_by_contact_id === who.id || row.contact_id === who.id;
  const all = access === 'view_all' || access === 'edit_all';
  if (!all && !own) return 'invisible';
  return access === 'edit_all' || (access === 'edit_own' && own) ? 'edit' : 'view';
}

async function people(w: PortalWorld): Promise<Who[]> {
  const out: Who[] = [];
  for (const key of Object.keys(w.contact) as ContactKey[]) {
    const me = await (await call(w, key, 'GET', 'me')).json();
    const row = w.db.prepare('SELECT provider_id, company_id FROM contacts WHERE id = ?').get(w.contact[key]) as { provider_id: number; company_id: number };
    out.push({ key, id: w.contact[key], providerId: row.provider_id, companyId: row.company_id, permissions: me.permissions });
  }
  return out;
}

describe('tenant isolation, as a property', () => {
  test('random (contact, route, record) triples: every answer agrees with the permission rules', async () => {
    const w = await makePortalWorld();
    const everyone = await people(w);
    const levels = new Set(everyone.map((p) => p.permissions.jobs));
    assert.equal(levels.size, 5, 'every permission level is among the contacts');
    const rows = (kind: Kind): Row[] => w.db.prepare(`SELECT id, provider_id, company_id, created_by_contact_id, contact_id FROM ${kind}`).all() as Row[];
    const jobIds = [...rows('jobs').map((r) => r.id), MISSING_ID];
    const quoteIds = [...rows('quotes').map((r) => r.id), MISSING_ID];
    const equipment = w.db.prepare('SELECT id, provider_id, company_id FROM equipment').all() as { id: number; provider_id: number; company_id: number }[];
    const counts: Record<string, number> = {};

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...everyone),
        fc.constantFrom(...ROUTES),
        fc.constantFrom<Kind>('jobs', 'quotes'),
        fc.nat(),
        async (who, route, kindDrawn, pick) => {
          // Accepting and declining are for quotes only.
          const kind: Kind = route === 'accept' || route === 'decline' ? 'quotes' : kindDrawn;
          const ids = kind === 'jobs' ? jobIds : quoteIds;
          const id = ids[pick % ids.length]!;
          const row = w.db.prepare(`SELECT id, provider_id, company_id, created_by_contact_id, contact_id FROM ${kind} WHERE id = ?`).get(id) as Row | undefined;
          const access = who.permissions[kind];
          const rule = expected(who, access, row);
          const label = `${who.key} ${route} ${kind}/${id} (${access}) → expected ${rule}`;

          if (route === 'otherProvider') {
            // The same session at the other provider: not logged in there.
            const other = w.slug[who.key] === 'acme' ? 'bright' : 'acme';
            const res = await call(w, who.key, 'GET', `${kind}/${id}`, undefined, other);
            assert.equal(res.status, 401, label);
            counts['401'] = (counts['401'] ?? 0) + 1;
            return;
          }
          if (route === 'equipment') {
            const item = equipment[pick % equipment.length]!;
            const res = await call(w, who.key, 'GET', 'equipment?limit=100');
            if (who.permissions.equipment === 'none') return void assert.equal(res.status, 403, label);
            assert.equal(res.status, 200, label);
            const listed = ((await res.json()).items as { id: number }[]).some((e) => e.id === item.id);
            assert.equal(listed, item.provider_id === who.providerId && item.company_id === who.companyId, `${label}: equipment ${item.id} listed`);
            return;
          }
          if (route === 'list') {
            const res = await call(w, who.key, 'GET', `${kind}?limit=100`);
            if (rule === 'forbidden') return void assert.equal(res.status, 403, label);
            assert.equal(res.status, 200, label);
            const listed = ((await res.json()).items as { id: number }[]).some((r) => r.id === id);
            assert.equal(listed, rule === 'view' || rule === 'edit', `${label}: listed`);
            return;
          }
          const res =
            route === 'get'
              ? await call(w, who.key, 'GET', `${kind}/${id}`)
              : route === 'patch'
                ? await call(w, who.key, kind === 'jobs' ? 'PATCH' : 'POST', kind === 'jobs' ? `jobs/${id}` : `quotes/${id}/decline`, kind === 'jobs' ? { siteContact: `Desk ${pick % 100}` } : { note: '' })
                : await call(w, who.key, 'POST', `quotes/${id}/${route}`, { note: '' });
          counts[String(res.status)] = (counts[String(res.status)] ?? 0) + 1;
          const text = await res.text();
          const want =
            rule === 'forbidden' ? [403] : rule === 'invisible' ? [404] : route === 'get' || rule === 'edit' ? (route === 'get' ? [200] : [200, 409]) : [403];
          assert.ok(want.includes(res.status), `${label}: got ${res.status} ${text.slice(0, 200)}`);
          if (res.status === 200) assert.equal(JSON.parse(text).id, id, `${label}: the record asked for`);
        },
      ),
      { numRuns: 1_500 },
    );
    for (const status of ['200', '403', '404', '401']) assert.ok((counts[status] ?? 0) > 0, `some answers were ${status}: ${JSON.stringify(counts)}`);
  });
});
