/**
 * The large data set: one provider with 100,000 jobs over 1,000 companies, each job with its
 * timeline, loaded fast (one transaction, prepared statements, numbers assigned up front).
 *
 * One company is a big customer (10% of all jobs, the benchmark contact's company); the rest
 * share the remainder. Deterministic: the same options always make the same rows.
 */
import { hashPassword } from '../server/auth/password.js';
import { createCompany, createContact } from '../server/companies/data.js';
import { createProvider } from '../server/providers/data.js';
import type { Db } from '../server/db/index.js';
import type { JobStatus } from '../server/contract.js';

export interface LargeDataOptions {
  slug?: string;
  jobs?: number;
  companies?: number;
  /** Share of all jobs that belong to the benchmark contact's company. */
  bigCompanyShare?: number;
  /** Login of the benchmark contact (jobs: view_all). */
  email?: string;
  password?: string;
}

export interface LargeData {
  providerId: number;
  slug: string;
  /** The benchmark contact's company (the big customer). */
  companyId: number;
  contactId: number;
  email: string;
  password: string;
  companies: number;
  jobs: number;
  events: number;
  /** Milliseconds spent inserting (password hashing excluded). */
  ms: number;
}

export const LARGE_DEFAULTS = {
  slug: 'bench-co',
  jobs: 100_000,
  companies: 1_000,
  bigCompanyShare: 0.1,
  email: 'bench@example.com',
  password: 'bench-portal-password-1',
} satisfies Required<LargeDataOptions>;

const TITLES = [
  'Leaking kitchen tap', 'Blocked shower drain', 'Hot water cylinder service', 'Burst pipe under sink',
  'Toilet cistern running', 'Replace outdoor tap', 'Low water pressure', 'Install dishwasher', 'Gas hob connection',
  'Annual backflow test', 'Radiator bleed and balance', 'Sewer camera inspection', 'Leak in ceiling',
  'Replace pressure valve', 'Storm water drain cleared', 'Boiler not firing',
];
const STREETS = ['Quay Street', 'Harbour Road', 'Elm Street', 'Mill Lane', 'Station Road', 'Park Avenue', 'King Street', 'Bridge Road'];
const TECHS = ['Dana Reyes', 'Luis Ortega', 'Priya Shah', 'Chris Wong', 'Ava Thompson'];
// Roughly how a provider's book looks: most jobs are history.
const STATUS_WEIGHTS: [JobStatus, number][] = [
  ['completed', 0.55], ['cancelled', 0.05], ['requested', 0.08], ['scheduled', 0.12], ['on_the_way', 0.03], ['in_progress', 0.07], ['on_hold', 0.1],
];
// Status changes after scheduling, as the timeline records them.
const PATHS: Record<JobStatus, JobStatus[]> = {
  requested: [], scheduled: [], on_the_way: ['on_the_way'], in_progress: ['on_the_way', 'in_progress'],
  on_hold: ['on_the_way', 'in_progress', 'on_hold'], completed: ['on_the_way', 'in_progress', 'completed'], cancelled: ['cancelled'],
};
const STATUS_TEXT: Record<JobStatus, string> = {
  requested: 'Requested', scheduled: 'Scheduled', on_the_way: 'Technician on the way', in_progress: 'Work started',
  on_hold: 'On hold', completed: 'Completed', cancelled: 'Cancelled',
};

/** A small seeded generator (mulberry32). */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills `db` (already migrated) with the large data set for a new provider. */
export async function loadLargeData(db: Db, options: LargeDataOptions = {}): Promise<LargeData> {
  const o = { ...LARGE_DEFAULTS, ...options };
  const passwordHash = await hashPassword(o.password);
  const started = performance.now();
  const rnd = random(20_260_331);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const pickStatus = (): JobStatus => {
    let r = rnd();
    for (const [s, w] of STATUS_WEIGHTS) if ((r -= w) < 0) return s;
    return 'completed';
  };

  const DAY = 86_400;
  const now = Math.floor(Date.now() / 1000);
  const firstNumber = 1001;
  let events = 0;

  // A big page cache while loading: the index B-trees are updated out of order, and with the
  // default 2 MB cache most of the time goes to spilling and re-reading pages.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('cache_size = -524288');
  // The jobs and timeline indexes are dropped while loading and built again afterwards, from
  // their own definitions: one sort per index is far cheaper than 100,000 out-of-order inserts.
  const indexes = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('jobs', 'job_events') AND sql IS NOT NULL")
    .all() as { name: string; sql: string }[];
  // Every reference below is to a row made just before it; checking each one would double the work.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  const result = db.transaction(() => {
    for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
    const provider = createProvider(db, { slug: o.slug, name: 'Bench Co Plumbing', features: { map: true, alerts: true } });
    const companyIds: number[] = [];
    const contactIds: number[] = [];
    for (let c = 0; c < o.companies; c++) {
      const id = createCompany(db, provider.id, { name: `Customer ${c + 1}`, address: `${c + 1} ${pick(STREETS)}, Springfield` });
      companyIds.push(id);
      contactIds.push(createContact(db, provider.id, { companyId: id, email: `contact${c + 1}@bench.example`, name: `Contact ${c + 1}`, permissions: { jobs: 'view_own' } }));
    }
    const bigCompany = companyIds[0]!;
    const contactId = createContact(db, provider.id, {
      companyId: bigCompany,
      email: o.email,
      name: 'Bench Contact',
      passwordHash,
      permissions: { jobs: 'view_all', quotes: 'view_all', createJobs: true, equipment: 'view', details: 'view' },
    });

    const insertJob = db.prepare(
      `INSERT INTO jobs (provider_id, company_id, number, title, description, status, address, latitude, longitude,
         preferred_dates, site_contact, scheduled_start, scheduled_end, technician, source, created_by_contact_id,
         contact_id, search, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertEvent = db.prepare('INSERT INTO job_events (job_id, type, status, message, actor, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    // The first of every `companies` jobs goes to the big company, and then enough of the rest to reach its share.
    const bigShareOfRest = Math.max(0, (o.bigCompanyShare - 1 / o.companies) / (1 - 1 / o.companies));

    // Jobs are numbered in the order they were created, as an office books them, so the
    // time-ordered indexes mostly grow at their ends.
    const span = 3 * 365 * DAY;
    for (let i = 0; i < o.jobs; i++) {
      const c = i % o.companies === 0 || rnd() < bigShareOfRest ? 0 : 1 + Math.floor(rnd() * (o.companies - 1));
      const companyId = companyIds[c]!;
      const contact = contactIds[c]!;
      const status = pickStatus();
      const number = `J-${firstNumber + i}`;
      const title = pick(TITLES);
      const address = `${1 + Math.floor(rnd() * 250)} ${pick(STREETS)}, Springfield`;
      const fromPortal = rnd() < 0.4;
      const created = now - span + Math.floor((i * span) / o.jobs + rnd() * 3600);
      const path = PATHS[status];
      const scheduled = status !== 'requested';
      const start = created + DAY + Math.floor(rnd() * 5 * DAY);
      const tech = scheduled ? pick(TECHS) : null;
      const updated = scheduled ? Math.min(now, start + path.length * 1800) : created;
      const id = Number(
        insertJob.run(
          provider.id, companyId, number, title, 'Reported by the customer. Access through the side gate.', status, address,
          -41.29 + (rnd() - 0.5) * 0.2, 174.78 + (rnd() - 0.5) * 0.2, rnd() < 0.5 ? 'Weekday mornings' : 'Any time after 2 pm', 'Front desk',
          scheduled ? start : null, scheduled ? start + 7200 : null, tech, fromPortal ? 'portal' : 'office', fromPortal ? contact : null,
          contact, `${number} ${title} ${address}`.toLowerCase(), created, updated,
        ).lastInsertRowid,
      );
      insertEvent.run(id, 'created', 'requested', fromPortal ? 'Requested in the customer portal' : 'Job created', fromPortal ? 'customer' : 'office', created);
      events++;
      if (!scheduled) continue;
      insertEvent.run(id, 'scheduled', 'scheduled', `Scheduled for ${new Date(start * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`, 'office', created + 3600);
      insertEvent.run(id, 'technician_assigned', null, `Technician: ${tech}`, 'office', created + 3600);
      events += 2;
      path.forEach((s, n) => insertEvent.run(id, 'status_changed', s, STATUS_TEXT[s], 'office', Math.min(now, start + n * 1800)));
      events += path.length;
    }
    db.prepare('UPDATE providers SET next_job_number = ? WHERE id = ?').run(firstNumber + o.jobs, provider.id);
    for (const index of indexes) db.exec(index.sql);
    return { providerId: provider.id, companyId: bigCompany, contactId };
  })();
  db.pragma(`cache_size = ${cacheSize}`);
  db.pragma(`foreign_keys = ${foreignKeys}`);
  db.pragma('optimize');

  return { ...result, slug: o.slug, email: o.email, password: o.password, companies: o.companies, jobs: o.jobs, events, ms: performance.now() - started };
}
