/**
 * Element-test data for live updates and the job map: a company per test file (so one file's
 * changes never reach another's streams), a contact in each, and a provider API key the browser
 * tests use to play the office. Plain data at the top (the browser imports it); the seed runs in
 * Node and imports the server inside.
 */
import type { Db } from '../../server/db/index.js';

export const LIVE_PROVIDER = 'acme-plumbing';
export const LIVE_PASSWORD = 'element-test-1';
/** A provider API key of acme-plumbing (only its SHA-256 is stored, as for any key). */
export const OFFICE_KEY = 'pk_elementTestsPlayTheOffice0123456789abcdefgh';

export const LIVE_COMPANIES = {
  list: 'Live List Co',
  detail: 'Live Detail Co',
  quotes: 'Live Quotes Co',
  root: 'Live Root Co',
  map: 'Live Map Co',
} as const;
export type LiveCompany = keyof typeof LIVE_COMPANIES;

/** `live-<company>@elements.test`: jobs and quotes edit_all, map on. `live-map-off@…`: the map switched off. `live-own@…`: jobs view_own in the list company. */
export const liveEmail = (c: LiveCompany | 'map-off' | 'own'): string => `live-${c}@elements.test`;

/** Jobs on the map company's map (started, with coordinates) and one that is not (scheduled). */
export const MAP_JOBS = {
  onTheWay: { title: 'Map: burst pipe', status: 'on_the_way', latitude: -33.8688, longitude: 151.2093, technician: 'Dana Reyes' },
  working: { title: 'Map: new hot water unit', status: 'in_progress', latitude: -33.8915, longitude: 151.2767, technician: 'Luis Ortega' },
  later: { title: 'Map: annual service', status: 'scheduled', latitude: -33.8, longitude: 151.1, technician: 'Priya Shah' },
} as const;
/** The technician's last position for the on-the-way job, before coarsening. */
export const MAP_POSITION = { latitude: -33.8731, longitude: 151.2058 };

export async function seedLiveFixtures(db: Db): Promise<void> {
  const { createHash } = await import('node:crypto');
  const { hashPassword } = await import('../../server/auth/password.js');
  const { createCompany, createContact } = await import('../../server/companies/data.js');
  const { insertJob } = await import('../../server/jobs/data.js');
  const { getProviderBySlug } = await import('../../server/providers/data.js');
  const { nowSeconds, stmt } = await import('../../server/db/index.js');

  const acme = getProviderBySlug(db, LIVE_PROVIDER)!;
  const hash = await hashPassword(LIVE_PASSWORD);
  const now = nowSeconds();
  stmt(db, 'INSERT INTO api_keys (provider_id, name, prefix, key_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(
    acme.id,
    'element tests',
    OFFICE_KEY.slice(0, 10),
    createHash('sha256').update(OFFICE_KEY).digest('hex'),
    now,
  );
  const everything = { jobs: 'edit_all', quotes: 'edit_all', createJobs: true, createQuotes: true, map: true } as const;
  const ids = {} as Record<LiveCompany, number>;
  for (const [key, name] of Object.entries(LIVE_COMPANIES) as [LiveCompany, string][]) {
    ids[key] = createCompany(db, acme.id, { name });
    createContact(db, acme.id, { companyId: ids[key], email: liveEmail(key), name: `Live ${key}`, passwordHash: hash, permissions: everything });
  }
  createContact(db, acme.id, { companyId: ids.map, email: liveEmail('map-off'), name: 'Live map off', passwordHash: hash, permissions: { ...everything, map: false } });
  createContact(db, acme.id, { companyId: ids.list, email: liveEmail('own'), name: 'Live own', passwordHash: hash, permissions: { jobs: 'view_own' } });
  for (const j of Object.values(MAP_JOBS)) {
    const id = insertJob(db, acme.id, { companyId: ids.map, title: j.title, address: '1 George Street, Sydney', status: j.status, technician: j.technician, latitude: j.latitude, longitude: j.longitude, source: 'office' });
    if (j.status === 'on_the_way') {
      stmt(db, 'INSERT INTO technician_positions (provider_id, job_id, latitude, longitude, recorded_at, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        acme.id,
        id,
        MAP_POSITION.latitude,
        MAP_POSITION.longitude,
        now - 6 * 60,
        now,
      );
    }
  }
}
