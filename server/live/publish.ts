/**
 * Recording live events. Call these inside the transaction of the change they describe (beside
 * emitWebhook): the event commits with the change or not at all. Every process's hub reads the
 * log by id, so an event recorded by the admin CLI, the office simulator or a second server
 * reaches every stream; a hub on this very connection is woken at once instead of at its next poll.
 *
 * `publishLive` is the generic one for new kinds of event (a file made viewable, …): give the
 * record's scope and owners, and the stream applies the REST permission rules to them.
 */
import type { Db } from '../db/index.js';
import { toSummary as jobSummary, type JobRow } from '../jobs/data.js';
import { toSummary as quoteSummary } from '../quotes/data.js';
import { iso } from '../db/paging.js';
import { enqueueGeocode } from '../geocoding/data.js';
import { customerPosition } from '../map/coarsen.js';
import { mapSettings } from '../map/data.js';
import type { StoredLiveEvent } from './filter.js';
import { insertLiveEvent, jobRowForLive, quoteRowForLive } from './data.js';
import type { LiveEvent } from './schemas.js';

export interface LiveRecord {
  providerId: number;
  companyId: number;
  type: string;
  /** Who may hear of it: `job`/`quote` records by the contact's reach over the owners, `position` also needs the map, `company` every contact of the company, `contact` only `owners.contactId`. */
  scope: StoredLiveEvent['scope'];
  owners?: { createdByContactId: number | null; contactId: number | null };
  data: unknown;
}

const listeners = new WeakMap<Db, Set<() => void>>();

/** Called (soon after commit) whenever this connection records an event. */
export function onPublish(db: Db, fn: () => void): () => void {
  let set = listeners.get(db);
  if (!set) listeners.set(db, (set = new Set()));
  set.add(fn);
  return () => set.delete(fn);
}

export function publishLive(db: Db, r: LiveRecord): number {
  const id = insertLiveEvent(db, {
    provider_id: r.providerId,
    company_id: r.companyId,
    type: r.type,
    scope: r.scope,
    created_by_contact_id: r.owners?.createdByContactId ?? null,
    contact_id: r.owners?.contactId ?? null,
    data: JSON.stringify(r.data),
  });
  // After the current synchronous transaction has committed (or rolled back: then the hub finds nothing).
  const set = listeners.get(db);
  if (set?.size) setImmediate(() => set.forEach((fn) => fn()));
  return id;
}

type Data<T extends LiveEvent['type']> = Extract<LiveEvent, { type: T }>['data'];
const typed = <T extends LiveEvent['type']>(type: T, data: Data<T>) => ({ type, data });

const owners = (r: { created_by_contact_id: number | null; contact_id: number | null }) => ({ createdByContactId: r.created_by_contact_id, contactId: r.contact_id });

const COMPARED: [keyof JobRow, string][] = [
  ['status', 'status'],
  ['scheduled_start', 'scheduledStart'],
  ['scheduled_end', 'scheduledEnd'],
  ['technician', 'technician'],
  ['title', 'title'],
  ['description', 'description'],
  ['address', 'address'],
  ['preferred_dates', 'preferredDates'],
  ['site_contact', 'siteContact'],
  ['latitude', 'location'],
  ['longitude', 'location'],
];

/**
 * A job was created (`change` null), or changed: from `change` (the row as it was: the event
 * names what differs) or as `change` names it; plus `extra` (what the row does not show, such as
 * a timeline entry). Also queues the address for
 * the geocoder when the job has an address but no coordinates.
 */
export function publishJob(db: Db, providerId: number, jobId: number, change: JobRow | string[] | null, extra: string[] = change ? ['timeline'] : []): void {
  const row = jobRowForLive(db, providerId, jobId);
  if (!row) return;
  const before = Array.isArray(change) ? null : change;
  const named = Array.isArray(change) ? change : before ? COMPARED.filter(([k]) => before[k] !== row[k]).map(([, name]) => name) : [];
  const changed = change ? [...new Set([...named, ...extra])] : [];
  publishLive(db, {
    providerId,
    companyId: row.company_id,
    scope: 'job',
    owners: owners(row),
    ...typed(change ? 'job.updated' : 'job.created', { job: jobSummary(row), changed }),
  });
  const addressNew = !change || (Array.isArray(change) ? change.includes('address') : change.address !== row.address);
  if (row.latitude === null && row.address.trim() && addressNew) enqueueGeocode(db, providerId, jobId, row.address);
}

/** A technician's position, as the job's customers may see it (see map/coarsen.ts). */
export function publishPosition(db: Db, providerId: number, jobId: number, latitude: number, longitude: number, at: number): void {
  const row = jobRowForLive(db, providerId, jobId);
  if (!row) return;
  const shown = customerPosition(latitude, longitude, row.status, mapSettings(db, providerId).exactPositionOnTheWay);
  publishLive(db, { providerId, companyId: row.company_id, scope: 'position', owners: owners(row), ...typed('job.position', { jobId, ...shown, at: iso(at)! }) });
}

export function publishQuote(db: Db, providerId: number, quoteId: number, type: 'quote.requested' | 'quote.sent' | 'quote.expired' | 'quote.accepted' | 'quote.declined'): void {
  const row = quoteRowForLive(db, providerId, quoteId);
  if (row) publishLive(db, { providerId, companyId: row.company_id, scope: 'quote', owners: owners(row), ...typed(type, { quote: quoteSummary(row) }) });
}

/** The company's details (every contact of it sees them) or a contact's own changed. */
export function publishDetails(db: Db, providerId: number, companyId: number, contactId: number, changed: { company: string[]; contact: string[] }): void {
  publishLive(db, {
    providerId,
    companyId,
    scope: changed.company.length ? 'company' : 'contact',
    owners: { createdByContactId: null, contactId },
    ...typed('details.changed', { contactId, changed }),
  });
}
