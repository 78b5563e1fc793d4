/**
 * Element-test data for equipment-list and my-details (Node side; called from fixtures.ts).
 * All at acme-plumbing, in companies of their own, so no other test file's data shows up here
 * and no test here changes what another one counts. The browser tests name these contacts by
 * email (they cannot import this Node module); keep both in step.
 */
import type { Db } from '../../server/db/index.js';
import { hashPassword } from '../../server/auth/password.js';
import { createCompany, createContact } from '../../server/companies/data.js';
import { insertEquipment } from '../../server/equipment/data.js';
import { getProviderBySlug } from '../../server/providers/data.js';
import type { Permissions } from '../../server/sessions/schemas.js';

/** Same as FIXTURE_PASSWORD in fixtures.ts (and PASSWORD in helpers.ts). */
const PASSWORD = 'element-test-1';

/** Rows in the paging company besides the named ones below: more than one page of 50. */
export const PAGING_PUMPS = 62;
export const XSS_NAME = '<img src=x onerror=alert(1)>';

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export async function seedEquipmentFixtures(db: Db): Promise<void> {
  const acme = getProviderBySlug(db, 'acme-plumbing')!;
  const hash = await hashPassword(PASSWORD);
  const contact = (companyId: number, email: string, name: string, permissions: Partial<Permissions>, phone = ''): number =>
    createContact(db, acme.id, { companyId, email, name, phone, passwordHash: hash, permissions });
  const equipment = (companyId: number, e: Omit<Parameters<typeof insertEquipment>[2], 'companyId' | 'source'>): number =>
    insertEquipment(db, acme.id, { companyId, source: 'office', ...e });

  // --- equipment-list -------------------------------------------------------------------------
  // "Equipment Paging Co": 62 pumps, a boiler overdue for service, a chiller due in the future,
  // and an item whose name is markup. Read-only tests only.
  const paging = createCompany(db, acme.id, { name: 'Equipment Paging Co' });
  for (let i = 1; i <= PAGING_PUMPS; i++) {
    equipment(paging, {
      name: `Pump ${String(i).padStart(2, '0')}`,
      make: 'Grundfos',
      model: i % 2 ? 'CR 5' : 'CM 3',
      serial: `GF-${1000 + i}`,
      location: `Plant room ${1 + (i % 3)}`,
      installedOn: '2019-04-02',
      lastServiceOn: '2025-01-15',
      nextServiceOn: day(200 + i),
    });
  }
  equipment(paging, {
    name: 'Boiler overdue',
    make: 'Vaillant',
    model: 'ecoTEC plus',
    serial: 'VA-OVERDUE-1',
    location: 'Basement',
    installedOn: '2016-09-30',
    lastServiceOn: '2023-02-01',
    nextServiceOn: day(-30),
  });
  equipment(paging, { name: 'Chiller future', make: 'Carrier', model: '30RB', serial: 'CA-FUTURE-1', location: 'Roof', nextServiceOn: day(90) });
  equipment(paging, { name: XSS_NAME, make: '<script>window.__equipmentXss = 1</script>', model: 'M', serial: 'XSS-1', location: '<b>Roof</b>' });
  for (const [email, name, access] of [
    ['eq-view@equipment.test', 'Equipment viewer', 'view'],
    ['eq-search@equipment.test', 'Equipment searcher', 'view'],
    ['eq-paging@equipment.test', 'Equipment pager', 'view'],
    ['eq-narrow@equipment.test', 'Equipment narrow', 'view'],
    ['eq-errors@equipment.test', 'Equipment errors', 'view'],
    ['eq-add-paging@equipment.test', 'Equipment adder paging', 'add'],
  ] as const) {
    contact(paging, email, name, { equipment: access });
  }
  contact(paging, 'eq-none@equipment.test', 'Equipment none', { equipment: 'none' });

  // "Equipment Other Co": another company of the same provider. Its equipment must never show.
  const other = createCompany(db, acme.id, { name: 'Equipment Other Co' });
  equipment(other, { name: 'Other Co secret pump', make: 'Grundfos', model: 'CR 5', serial: 'OTHER-1', location: 'Plant room 1' });
  equipment(other, { name: 'Pump 00 of another company', make: 'Grundfos', serial: 'OTHER-2' });

  // One company per adding test, so counts before and after are the test's own.
  for (const slug of ['add', 'cancel', 'bad', 'server', 'keys']) {
    const company = createCompany(db, acme.id, { name: `Equipment Add Co ${slug}` });
    equipment(company, { name: 'Existing heater', make: 'Rheem', model: 'Stellar', serial: `RH-${slug}`, location: 'Garage' });
    contact(company, `eq-${slug}@equipment.test`, `Equipment ${slug}`, { equipment: 'add' });
  }
  // Two rows, for a page size of one: a row added here also comes back on the next page.
  const dedupe = createCompany(db, acme.id, { name: 'Equipment Add Co dedupe' });
  equipment(dedupe, { name: 'Existing heater', make: 'Rheem', model: 'Stellar', serial: 'RH-dedupe', location: 'Garage' });
  equipment(dedupe, { name: 'Zeta pump', make: 'Grundfos', model: 'CR 5', serial: 'GF-dedupe', location: 'Garage' });
  contact(dedupe, 'eq-dedupe@equipment.test', 'Equipment dedupe', { equipment: 'add' });
  const empty = createCompany(db, acme.id, { name: 'Equipment Empty Co' });
  contact(empty, 'eq-empty@equipment.test', 'Equipment empty', { equipment: 'view' });

  // --- my-details -----------------------------------------------------------------------------
  const details = (slug: string, access: Permissions['details'], company: { name: string; address: string; phone: string; email: string }, name: string) => {
    const id = createCompany(db, acme.id, company);
    contact(id, `details-${slug}@details.test`, name, { details: access }, '+61 400 000 001');
  };
  const office = (n: string) => ({ name: `Details ${n} Pty Ltd`, address: `${n.length} Harbour Street, Sydney NSW 2000`, phone: '(02) 9000 0000', email: `office@${n.toLowerCase()}.example` });
  details('view', 'view', office('View'), 'Dana Viewer');
  details('read', 'edit', office('Read'), 'Robin Reader');
  details('edit', 'edit', office('Edit'), 'Eddie Editor');
  details('cancel', 'edit', office('Cancel'), 'Cass Canceller');
  details('bad', 'edit', office('Bad'), 'Bea Badinput');
  details('server', 'edit', office('Server'), 'Sergio Server');
  details('keys', 'edit', office('Keys'), 'Kim Keyboard');
  details('login', 'edit', office('Login'), 'Lou Login');
  details('xss', 'edit', { name: XSS_NAME, address: '<script>window.__detailsXss = 1</script>', phone: '', email: '' }, '<b id="evil-contact">Evil</b>');
}
