/**
 * Element-test data for the jobs elements. The seed runs in Node (called from fixtures.ts); the
 * description of the data below is plain data, so the browser-side tests import it too and
 * derive what they expect from it. Server modules are therefore imported inside the seed only.
 */
import type { Db } from '../../server/db/index.js';
import type { JobStatus } from '../../server/contract.js';
import type { Permissions } from '../../server/sessions/schemas.js';

export const JOBS_PROVIDER = 'acme-plumbing';
/** Same password as every other element-test contact. */
export const JOBS_PASSWORD = 'element-test-1';

/** The contacts, by role. Read-only tests use the first company; tests that write use the second. */
export const JOB_CONTACTS = {
  /** edit_all, may create jobs: sees every job of "Jobs Test Co" (like alex in the demo). */
  all: { email: 'jobs-all@elements.test', name: 'Jobs All', company: 'test', permissions: { jobs: 'edit_all', createJobs: true } },
  /** view_own: sees only the jobs they asked for or are the contact of (like jordan in the demo). */
  own: { email: 'jobs-own@elements.test', name: 'Jobs Own', company: 'test', permissions: { jobs: 'view_own', createJobs: true } },
  /** No access to jobs at all. */
  none: { email: 'jobs-none@elements.test', name: 'Jobs None', company: 'test', permissions: { jobs: 'none', createJobs: false } },
  /** view_all without createJobs: sees every job, may neither create nor edit. */
  viewer: { email: 'jobs-viewer@elements.test', name: 'Jobs Viewer', company: 'test', permissions: { jobs: 'view_all', createJobs: false } },
  /** edit_all, may create: the one whose tests create and change jobs (in "Jobs Writers Co"). */
  writer: { email: 'jobs-writer@elements.test', name: 'Jobs Writer', company: 'writers', permissions: { jobs: 'edit_all', createJobs: true } },
} as const satisfies Record<string, { email: string; name: string; company: 'test' | 'writers'; permissions: Partial<Permissions> }>;

export type JobContactRole = keyof typeof JOB_CONTACTS;

export interface FixtureJob {
  title: string;
  status: JobStatus;
  company: 'test' | 'writers';
  /** The contact the job is for (and, when `portal`, who asked for it); null: an office job for nobody. */
  contact: JobContactRole | null;
  portal?: boolean;
  /** Hours before the seed ran that the job was created; every job has its own, so the order is known. */
  createdHoursAgo: number;
  /** Hours ago of the last change, when it is not right after creation. */
  updatedHoursAgo?: number;
  address?: string;
  description?: string;
  preferredDates?: string;
  siteContact?: string;
  /** Scheduled (hours from creation) with a technician. */
  scheduled?: { technician: string };
  /** An extra office note in the timeline. */
  note?: string;
}

const CYCLE: JobStatus[] = ['requested', 'scheduled', 'on_the_way', 'in_progress', 'on_hold', 'completed', 'cancelled'];

/** Text that looks like markup; it must show as text. */
export const XSS_TITLE = '<img src=x onerror=alert(1)>';
export const XSS_DESCRIPTION = '<script>window.__jobsXss = true</script>';
export const XSS_NOTE = '<img src=x onerror="window.__jobsXss = true">';

/** One job found by search only ("zebra"): created long ago, changed most recently. */
export const ZEBRA_TITLE = 'Zebra crossing repaint';

export const OWN_DETAIL = {
  title: 'Own: leaking roof',
  address: '4 Harbour Road, Springfield',
  description: 'Water comes through the ceiling in the hallway.\nWorst after heavy rain.',
  preferredDates: 'Weekday mornings',
  siteContact: 'Robin at reception, +1 555 0133',
  technician: 'Dana Reyes',
  note: 'Bring the long ladder',
};

export const FIXTURE_JOBS: FixtureJob[] = [
  // 30 routine jobs for `all`, in every status in turn, one hour apart: enough for two pages.
  ...Array.from({ length: 30 }, (_, i): FixtureJob => ({
    title: `Routine check ${String(i + 1).padStart(2, '0')}`,
    status: CYCLE[i % CYCLE.length]!,
    company: 'test',
    contact: 'all',
    createdHoursAgo: 100 + i,
    address: `${i + 1} Quay Street, Springfield`,
    ...(i % CYCLE.length !== 0 ? { scheduled: { technician: 'Luis Ortega' } } : {}),
  })),
  {
    ...OWN_DETAIL,
    status: 'scheduled',
    company: 'test',
    contact: 'own',
    portal: true,
    createdHoursAgo: 10,
    scheduled: { technician: OWN_DETAIL.technician },
  },
  { title: 'Own: garden tap', status: 'requested', company: 'test', contact: 'own', portal: true, createdHoursAgo: 11, address: '4 Harbour Road, Springfield' },
  { title: 'Own: blocked gutter', status: 'completed', company: 'test', contact: 'own', createdHoursAgo: 12, address: '4 Harbour Road, Springfield', scheduled: { technician: 'Priya Shah' } },
  { title: ZEBRA_TITLE, status: 'on_hold', company: 'test', contact: null, createdHoursAgo: 2000, updatedHoursAgo: 1, address: 'Corner of Elm Street and Mill Lane', scheduled: { technician: 'Priya Shah' } },
  {
    title: XSS_TITLE,
    status: 'requested',
    company: 'test',
    contact: 'all',
    portal: true,
    createdHoursAgo: 20,
    address: '<b id="evil-address">1</b> Evil Street',
    description: XSS_DESCRIPTION,
    preferredDates: '<i>never</i>',
    siteContact: '"><svg onload=alert(1)>',
    note: XSS_NOTE,
  },
  // The writer's jobs: each test that writes has its own.
  { title: 'Writer: fix the fence', status: 'requested', company: 'writers', contact: 'writer', portal: true, createdHoursAgo: 30, address: '9 Mill Lane, Springfield', preferredDates: 'Any afternoon', siteContact: 'Sam, +1 555 0144', description: 'The gate post is loose.' },
  { title: 'Writer: paint the door', status: 'scheduled', company: 'writers', contact: 'writer', createdHoursAgo: 31, address: '9 Mill Lane, Springfield', scheduled: { technician: 'Dana Reyes' } },
  { title: 'Writer: check the meter', status: 'requested', company: 'writers', contact: 'writer', createdHoursAgo: 32, address: '9 Mill Lane, Springfield' },
  { title: 'Writer: loose tiles', status: 'requested', company: 'writers', contact: 'writer', createdHoursAgo: 33, address: '9 Mill Lane, Springfield' },
  { title: 'Writer: list edit target', status: 'requested', company: 'writers', contact: 'writer', createdHoursAgo: 34, address: '9 Mill Lane, Springfield' },
  { title: 'Finished: boiler repair', status: 'completed', company: 'writers', contact: 'writer', createdHoursAgo: 40, address: '9 Mill Lane, Springfield', scheduled: { technician: 'Luis Ortega' } },
];

/** What a contact of the given role sees in "Jobs Test Co" (view_own: the jobs that are theirs). */
export function visibleTo(role: JobContactRole): FixtureJob[] {
  const c = JOB_CONTACTS[role];
  if (c.permissions.jobs === 'none') return [];
  const own = c.permissions.jobs === 'view_own' || (c.permissions.jobs as string) === 'edit_own';
  return FIXTURE_JOBS.filter((j) => j.company === c.company && (!own || j.contact === role));
}

const HOUR = 3600;

export async function seedJobsFixtures(db: Db): Promise<void> {
  // Imported here, not at the top: the browser tests import this module for its data.
  const { hashPassword } = await import('../../server/auth/password.js');
  const { createCompany, createContact } = await import('../../server/companies/data.js');
  const { addJobEvent, insertJob, scheduleJob, setJobStatus } = await import('../../server/jobs/data.js');
  const { getProviderBySlug } = await import('../../server/providers/data.js');
  const { nowSeconds } = await import('../../server/db/index.js');

  const acme = getProviderBySlug(db, JOBS_PROVIDER)!;
  const hash = await hashPassword(JOBS_PASSWORD);
  const companies = {
    test: createCompany(db, acme.id, { name: 'Jobs Test Co' }),
    writers: createCompany(db, acme.id, { name: 'Jobs Writers Co', address: '9 Mill Lane, Springfield' }),
  };
  const ids = {} as Record<JobContactRole, number>;
  for (const [role, c] of Object.entries(JOB_CONTACTS) as [JobContactRole, (typeof JOB_CONTACTS)[JobContactRole]][]) {
    ids[role] = createContact(db, acme.id, { companyId: companies[c.company], email: c.email, name: c.name, passwordHash: hash, permissions: c.permissions });
  }
  const now = nowSeconds();
  db.transaction(() => {
    for (const j of FIXTURE_JOBS) {
      const created = now - j.createdHoursAgo * HOUR;
      const contactId = j.contact ? ids[j.contact] : null;
      const id = insertJob(db, acme.id, {
        companyId: companies[j.company],
        title: j.title,
        description: j.description ?? '',
        address: j.address ?? '',
        preferredDates: j.preferredDates ?? '',
        siteContact: j.siteContact ?? '',
        source: j.portal ? 'portal' : 'office',
        createdByContactId: j.portal ? contactId : null,
        contactId,
        createdAt: created,
      });
      const changed = j.updatedHoursAgo === undefined ? created + 60 : now - j.updatedHoursAgo * HOUR;
      if (j.scheduled) {
        const start = created + 24 * HOUR;
        scheduleJob(db, acme.id, id, start, start + 2 * HOUR, j.scheduled.technician, changed - 2);
      }
      if (j.note) addJobEvent(db, id, { type: 'note', message: j.note, actor: 'office', at: changed - 1 });
      if (j.status !== 'requested' && j.status !== 'scheduled') setJobStatus(db, acme.id, id, j.status, { at: changed });
      else if (j.updatedHoursAgo !== undefined) setJobStatus(db, acme.id, id, j.status, { at: changed });
    }
  })();
}
