/**
 * A fresh in-memory world for the jobs, quotes, equipment and details tests: two providers,
 * provider "acme" with companies A1 and A2, provider "bright" with B1; a contact in A1 at every
 * permission level; jobs, quotes and equipment created by and naming different contacts.
 *
 * Sessions are created through the app's own auth (no argon2 hashing, no login round trip), so
 * a world costs a few milliseconds and a test that writes can have one to itself.
 */
import assert from 'node:assert/strict';
import { createApp } from '../../server/app.js';
import { createCompany, createContact } from '../../server/companies/data.js';
import { insertEquipment } from '../../server/equipment/data.js';
import { insertJob } from '../../server/jobs/data.js';
import { insertQuote } from '../../server/quotes/data.js';
import { createProvider, type Provider } from '../../server/providers/data.js';
import { openDatabase, type Db } from '../../server/db/index.js';
import { RECORD_ACCESS, type JobStatus, type QuoteStatus, type RecordAccess } from '../../server/contract.js';
import { type Permissions } from '../../server/sessions/schemas.js';
import { defaultSettings, type Settings } from '../../server/settings.js';
import type { App } from './helpers.js';

export { RECORD_ACCESS };
export const DAY = 86_400;

/** A1 contacts whose jobs and quotes access is `level`, with or without the create permissions. */
export type RecordContact = `rec:${RecordAccess}` | `rec:${RecordAccess}:nocreate`;
export type ContactKey =
  | RecordContact
  | 'eq:none'
  | 'eq:view'
  | 'eq:add'
  | 'det:view'
  | 'det:edit'
  /** A1: jobs edit_all and may create jobs; quotes none and may not create quotes. */
  | 'mixed:jobs'
  /** A1: jobs none and may not create jobs; quotes edit_all and may create quotes. */
  | 'mixed:quotes'
  /** A1, full permissions: creates the jobs and quotes that are "the colleague's". */
  | 'colleague'
  /** A2 (same provider, other company), full permissions. */
  | 'otherCompany'
  /** B1 (other provider), full permissions. */
  | 'otherProvider';

/** Every record contact: each level, with and without createJobs/createQuotes. */
export const RECORD_CONTACTS: RecordContact[] = RECORD_ACCESS.flatMap((l) => [`rec:${l}`, `rec:${l}:nocreate`] as RecordContact[]);

export const levelOf = (k: RecordContact): RecordAccess => k.split(':')[1] as RecordAccess;
export const canCreate = (k: RecordContact): boolean => !k.endsWith(':nocreate');

const FULL: Partial<Permissions> = { jobs: 'edit_all', quotes: 'edit_all', createJobs: true, createQuotes: true, equipment: 'add', details: 'edit' };

/**
 * How a job or quote relates to a viewer, for the permission matrix:
 * own: created by the viewer (naming the colleague); named: an office record naming the viewer;
 * colleague: created by and naming another A1 contact; unnamed: an A1 office record naming nobody;
 * otherCompany: in A2; otherProvider: in B1; missing: an id that does not exist.
 */
export const TARGETS = ['own', 'named', 'colleague', 'unnamed', 'otherCompany', 'otherProvider', 'missing'] as const;
export type Target = (typeof TARGETS)[number];

export const MISSING_ID = 987_654_321;

export interface PortalWorld {
  app: App;
  db: Db;
  acme: Provider;
  bright: Provider;
  company: { a1: number; a2: number; b1: number };
  contact: Record<ContactKey, number>;
  /** Bearer tokens, each a live session at the contact's own provider. */
  token: Record<ContactKey, string>;
  /** The provider slug each contact belongs to. */
  slug: Record<ContactKey, string>;
  /** Open ("scheduled") jobs: `own`/`named` per record contact, and the shared ones. */
  jobs: { own: Record<RecordContact, number>; named: Record<RecordContact, number>; colleague: number; unnamed: number; otherCompany: number; otherProvider: number };
  /** Sent quotes (valid for 30 more days, with lines), in the same arrangement. */
  quotes: { own: Record<RecordContact, number>; named: Record<RecordContact, number>; colleague: number; unnamed: number; otherCompany: number; otherProvider: number };
  equipment: { a1: number[]; a2: number[]; b1: number[] };
  logs: string[];
}

const now = (): number => Math.floor(Date.now() / 1000);

/** `file`: a database file instead of memory (for a second connection, as another process would open). */
export async function makePortalWorld(options: { file?: string; settings?: Partial<Settings> } = {}): Promise<PortalWorld> {
  const db = openDatabase(options.file ?? ':memory:');
  const logs: string[] = [];
  const app = createApp(db, defaultSettings({ log: (l) => logs.push(l), ...options.settings }));

  const acme = createProvider(db, { slug: 'acme', name: 'Acme Plumbing' });
  const bright = createProvider(db, { slug: 'bright', name: 'Bright Electric' });
  const company = {
    a1: createCompany(db, acme.id, { name: 'Harbour View', address: '12 Quay St', phone: '+1 555 0100', email: 'office@harbour.example' }),
    a2: createCompany(db, acme.id, { name: 'Elm Street', address: '3 Elm St' }),
    b1: createCompany(db, bright.id, { name: 'Old Mill', address: '1 Mill Lane' }),
  };

  const contact = {} as Record<ContactKey, number>;
  const slug = {} as Record<ContactKey, string>;
  const add = (key: ContactKey, providerId: number, companyId: number, permissions: Partial<Permissions>): void => {
    const email = `${key.replace(/:/g, '.')}@example.com`;
    contact[key] = createContact(db, providerId, { companyId, email, name: `Contact ${key}`, permissions });
    slug[key] = providerId === acme.id ? 'acme' : 'bright';
  };
  add('colleague', acme.id, company.a1, FULL);
  for (const key of RECORD_CONTACTS) {
    const level = levelOf(key);
    const create = canCreate(key);
    add(key, acme.id, company.a1, { jobs: level, quotes: level, createJobs: create, createQuotes: create });
  }
  for (const equipment of ['none', 'view', 'add'] as const) add(`eq:${equipment}`, acme.id, company.a1, { equipment });
  for (const details of ['view', 'edit'] as const) add(`det:${details}`, acme.id, company.a1, { details });
  add('mixed:jobs', acme.id, company.a1, { jobs: 'edit_all', createJobs: true, quotes: 'none', createQuotes: false });
  add('mixed:quotes', acme.id, company.a1, { jobs: 'none', createJobs: false, quotes: 'edit_all', createQuotes: true });
  add('otherCompany', acme.id, company.a2, FULL);
  add('otherProvider', bright.id, company.b1, FULL);

  // Jobs. Provider acme's come first, so bright's numbering proves it is per provider.
  let t = now() - 400 * DAY;
  const job = (providerId: number, companyId: number, title: string, by: number | null, naming: number | null, status: JobStatus = 'scheduled'): number =>
    insertJob(db, providerId, {
      companyId,
      title,
      address: `${title} street`,
      description: `About ${title}`,
      preferredDates: 'Mornings',
      siteContact: 'Front desk',
      status,
      source: by === null ? 'office' : 'portal',
      createdByContactId: by,
      contactId: naming,
      createdAt: (t += 3600),
    });
  const ownJobs = {} as Record<RecordContact, number>;
  const namedJobs = {} as Record<RecordContact, number>;
  for (const key of RECORD_CONTACTS) {
    ownJobs[key] = job(acme.id, company.a1, `job by ${key}`, contact[key], contact.colleague);
    namedJobs[key] = job(acme.id, company.a1, `job naming ${key}`, null, contact[key]);
  }
  const jobs = {
    own: ownJobs,
    named: namedJobs,
    colleague: job(acme.id, company.a1, 'job by colleague', contact.colleague, contact.colleague),
    unnamed: job(acme.id, company.a1, 'office job naming nobody', null, null),
    otherCompany: job(acme.id, company.a2, 'job in A2', contact.otherCompany, contact.otherCompany),
    otherProvider: job(bright.id, company.b1, 'job in B1', contact.otherProvider, contact.otherProvider),
  };

  const quote = (providerId: number, companyId: number, title: string, by: number | null, naming: number | null, status: QuoteStatus = 'sent'): number =>
    insertQuote(db, providerId, {
      companyId,
      title,
      description: `About ${title}`,
      address: '12 Quay St',
      status,
      source: by === null ? 'office' : 'portal',
      createdByContactId: by,
      contactId: naming,
      lines: [
        { description: 'Labour (hours)', quantity: 3, unitPriceCents: 9500 },
        { description: 'Materials', quantity: 1, unitPriceCents: 12000 },
      ],
      sentAt: status === 'requested' ? null : now() - DAY,
      validUntil: status === 'requested' ? null : now() + 30 * DAY,
      createdAt: (t += 3600),
    });
  const ownQuotes = {} as Record<RecordContact, number>;
  const namedQuotes = {} as Record<RecordContact, number>;
  for (const key of RECORD_CONTACTS) {
    ownQuotes[key] = quote(acme.id, company.a1, `quote by ${key}`, contact[key], contact.colleague);
    namedQuotes[key] = quote(acme.id, company.a1, `quote naming ${key}`, null, contact[key]);
  }
  const quotes = {
    own: ownQuotes,
    named: namedQuotes,
    colleague: quote(acme.id, company.a1, 'quote by colleague', contact.colleague, contact.colleague),
    unnamed: quote(acme.id, company.a1, 'office quote naming nobody', null, null),
    otherCompany: quote(acme.id, company.a2, 'quote in A2', contact.otherCompany, contact.otherCompany),
    otherProvider: quote(bright.id, company.b1, 'quote in B1', contact.otherProvider, contact.otherProvider),
  };

  const item = (providerId: number, companyId: number, name: string): number =>
    insertEquipment(db, providerId, { companyId, name, make: 'Rheem', model: 'Stellar', serial: `SN-${name}`, location: 'Plant room', installedOn: '2020-05-01', source: 'office' });
  const equipment = {
    a1: [item(acme.id, company.a1, 'Boiler'), item(acme.id, company.a1, 'Hot water cylinder'), item(acme.id, company.a1, 'Sump pump')],
    a2: [item(acme.id, company.a2, 'Backflow preventer')],
    b1: [item(bright.id, company.b1, 'Switchboard')],
  };

  const token = {} as Record<ContactKey, string>;
  for (const key of Object.keys(contact) as ContactKey[]) {
    token[key] = (await app.deps.auth.create(contact[key], slug[key] === 'acme' ? acme.id : bright.id)).token;
  }
  return { app, db, acme, bright, company, contact, token, slug, jobs, quotes, equipment, logs };
}

/** The id of a job or quote target as seen by `viewer`. */
export function targetId(records: PortalWorld['jobs'] | PortalWorld['quotes'], viewer: RecordContact, target: Target): number {
  if (target === 'own') return records.own[viewer];
  if (target === 'named') return records.named[viewer];
  if (target === 'missing') return MISSING_ID;
  return records[target];
}

type Body = unknown;

/**
 * A request as `who`, at their own provider unless `provider` is given. `path` is relative to
 * /api/portal/:provider/. A string body is sent as-is (for malformed JSON), anything else as JSON.
 */
export async function call(w: PortalWorld, who: ContactKey, method: string, path: string, body?: Body, provider = w.slug[who]): Promise<Response> {
  const init: RequestInit = { method, headers: { Authorization: `Bearer ${w.token[who]}` } };
  if (body !== undefined) {
    init.headers = { ...init.headers, 'Content-Type': 'application/json' };
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  return w.app.request(`/api/portal/${provider}/${path}`, init);
}

/** Everything a portal write could touch, to prove a refused write changed nothing. */
const TABLES = [
  'providers', 'companies', 'contacts', 'jobs', 'job_events', 'quotes', 'quote_lines', 'equipment', 'audit_log', 'mail_outbox',
  'webhook_events', 'webhook_deliveries', 'idempotency_keys', 'technician_positions', 'company_versions', 'job_files',
];

export function snapshot(db: Db): Record<string, unknown[]> {
  return Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]));
}

export function assertUnchanged(db: Db, before: Record<string, unknown[]>, what: string): void {
  const after = snapshot(db);
  for (const t of TABLES) assert.deepEqual(after[t], before[t], `${what}: table ${t} is unchanged`);
}

export function count(db: Db, table: string): number {
  return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

/** Ids of the A1 jobs (or quotes) a viewer with this reach may see. */
export function visibleIds(w: PortalWorld, records: PortalWorld['jobs'] | PortalWorld['quotes'], viewer: RecordContact): number[] {
  const level = levelOf(viewer);
  if (level === 'none') return [];
  if (level === 'view_own' || level === 'edit_own') return [records.own[viewer], records.named[viewer]].sort((a, b) => a - b);
  return [...Object.values(records.own), ...Object.values(records.named), records.colleague, records.unnamed].sort((a, b) => a - b);
}

export const sortedIds = (items: { id: number }[]): number[] => items.map((i) => i.id).sort((a, b) => a - b);
