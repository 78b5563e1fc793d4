/** Jobs: the customer's view (scoped by permissions) and the provider's writes. */
import { type Db, stmt, rawStmt, nowSeconds } from '../db/index.js';
import { ApiError } from '../http/errors.js';
import { canEdit, forbidden, isOwn, notFound, recordScope, type Viewer } from '../permissions.js';
import type { JobCreateBody, JobDetail, JobEvent, JobListQuery, JobSummary, JobUpdateBody } from './schemas.js';
import type { JobStatus } from '../contract.js';
import { getCompany } from '../companies/data.js';
import type { Page } from '../http/fields.js';
import type { Fragments, JsonText } from '../http/response-cache.js';
import type { z } from 'zod';
import { decodeCursor, encodeCursor, iso, likeContains } from '../db/paging.js';

export interface JobRow {
  id: number;
  provider_id: number;
  company_id: number;
  number: string;
  title: string;
  description: string;
  status: JobStatus;
  address: string;
  latitude: number | null;
  longitude: number | null;
  preferred_dates: string;
  preferred_date: string | null;
  preferred_window: 'morning' | 'afternoon' | 'any' | null;
  site_contact: string;
  scheduled_start: number | null;
  scheduled_end: number | null;
  technician: string | null;
  source: 'portal' | 'office';
  created_by_contact_id: number | null;
  contact_id: number | null;
  created_at: number;
  updated_at: number;
}

interface EventRow {
  id: number;
  type: JobEvent['type'];
  status: JobStatus | null;
  message: string;
  actor: JobEvent['actor'];
  created_at: number;
  scheduled_start: number | null;
  scheduled_end: number | null;
  technician: string | null;
  note: string | null;
}

/** A job's timeline, oldest first: the same entries for the customer and the provider. */
export function timelineOf(db: Db, jobId: number): JobEvent[] {
  return stmt<[number], EventRow>(
    db,
    'SELECT id, type, status, message, actor, created_at, scheduled_start, scheduled_end, technician, note FROM job_events WHERE job_id = ? ORDER BY id',
  )
    .all(jobId)
    .map((e) => ({
      id: e.id,
      type: e.type,
      status: e.status,
      message: e.message,
      actor: e.actor,
      at: iso(e.created_at)!,
      scheduledStart: iso(e.scheduled_start),
      scheduledEnd: iso(e.scheduled_end),
      technician: e.technician,
      note: e.note,
    }));
}

/** "Scheduled for 2026-09-14 17:00 UTC": the entry's text for clients that show `message` as it is. */
export const scheduledMessage = (start: number): string => `Scheduled for ${new Date(start * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export const CLOSED: JobStatus[] = ['completed', 'cancelled'];
/** The columns of a job summary, in this order (summaryOfTuple reads them by position). */
const SUMMARY_COLUMNS =
  'r.id, r.number, r.title, r.status, r.address, r.scheduled_start, r.scheduled_end, r.technician, r.created_at, r.updated_at';

const searchText = (j: { number: string; title: string; address: string }): string =>
  `${j.number} ${j.title} ${j.address}`.toLowerCase();

export function toSummary(r: Pick<JobRow, 'id' | 'number' | 'title' | 'status' | 'address' | 'scheduled_start' | 'scheduled_end' | 'technician' | 'created_at' | 'updated_at'>): JobSummary {
  return {
    id: r.id,
    number: r.number,
    title: r.title,
    status: r.status,
    address: r.address,
    scheduledStart: iso(r.scheduled_start),
    scheduledEnd: iso(r.scheduled_end),
    technician: r.technician,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

/**
 * One page of the jobs the viewer may see, as the JSON text of a `Page<JobSummary>`.
 *
 * The page is found on the list indexes alone (migration 14: they carry the search text, the
 * status and the owner columns): its ids and sort keys. The summaries come from `kept`, the
 * company's record fragments at its current change counter, where it has them; the rest are read
 * by id in one more statement and kept. Most of a miss's time was turning table rows into
 * strings and objects and back into JSON, about 2.5 µs a row; a kept row costs a lookup. Without
 * `kept` (the response cache off) it is one statement that reads the rows whole.
 * Either way the number of statements does not grow with the page size.
 */
export function listJobs(db: Db, viewer: Viewer, q: z.output<typeof JobListQuery>, kept?: Fragments): JsonText<Page<JobSummary>> {
  const scope = recordScope(viewer, viewer.permissions.jobs, 'jobs');
  const key = q.sort === 'created' ? 'created_at' : 'updated_at';
  const where = [scope.sql];
  const params: (number | string)[] = [...scope.params];
  if (q.status) {
    where.push('r.status = ?');
    params.push(q.status);
  }
  if (q.q) {
    where.push("r.search LIKE ? ESCAPE '\\'");
    params.push(likeContains(q.q));
  }
  if (q.cursor) {
    const [k, id] = decodeCursor(q.cursor, 'number');
    where.push(`(r.${key}, r.id) < (?, ?)`);
    params.push(k, id);
  }
  params.push(q.limit + 1);
  const order = `ORDER BY r.${key} DESC, r.id DESC LIMIT ?`;
  let items: string[];
  let more: boolean;
  let last: [number, number] | undefined;
  if (!kept) {
    // Rows as arrays (SUMMARY_COLUMNS in order): the hottest read of the portal builds no row objects.
    const rows = rawStmt<(number | string)[], SummaryTuple>(db, `SELECT ${SUMMARY_COLUMNS} FROM jobs r WHERE ${where.join(' AND ')} ${order}`).all(...params);
    more = rows.length > q.limit;
    const page = more ? rows.slice(0, q.limit) : rows;
    items = page.map((t) => JSON.stringify(summaryOfTuple(t)));
    const t = page.at(-1);
    last = t && [t[0], key === 'created_at' ? t[8] : t[9]];
  } else {
    const found = rawStmt<(number | string)[], [number, number]>(db, `SELECT r.id, r.${key} FROM jobs r WHERE ${where.join(' AND ')} ${order}`).all(...params);
    more = found.length > q.limit;
    const page = more ? found.slice(0, q.limit) : found;
    last = page.at(-1);
    items = summariesOf(db, viewer, page, kept);
  }
  const nextCursor = more && last ? encodeCursor(last[1], last[0]) : null;
  return `{"items":[${items.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}` as JsonText<Page<JobSummary>>;
}

/** A row of SUMMARY_COLUMNS as `rawStmt` gives it. */
type SummaryTuple = [number, string, string, JobStatus, string, number | null, number | null, string | null, number, number];

const summaryOfTuple = (t: SummaryTuple): JobSummary => ({
  id: t[0],
  number: t[1],
  title: t[2],
  status: t[3],
  address: t[4],
  scheduledStart: iso(t[5]),
  scheduledEnd: iso(t[6]),
  technician: t[7],
  createdAt: iso(t[8])!,
  updatedAt: iso(t[9])!,
});

/**
 * The JSON summaries of a page's jobs, in the page's order: kept ones as they are, the others read
 * in one statement (still scoped to the viewer's provider and company) and kept. A job gone between
 * the two statements (deleted by another process) is left out of the page.
 */
function summariesOf(db: Db, viewer: Viewer, page: [number, number][], kept: Fragments): string[] {
  const items: (string | undefined)[] = page.map(([id]) => kept.get(id));
  const missing = page.filter((_, i) => items[i] === undefined).map(([id]) => id);
  if (!missing.length) return items as string[];
  const rows = rawStmt<[number, number, string], SummaryTuple>(
    db,
    `SELECT ${SUMMARY_COLUMNS} FROM jobs r WHERE r.provider_id = ? AND r.company_id = ? AND r.id IN (SELECT value FROM json_each(?))`,
  ).all(viewer.providerId, viewer.companyId, JSON.stringify(missing));
  const read = new Map<number, string>();
  for (const t of rows) {
    const json = JSON.stringify(summaryOfTuple(t));
    read.set(t[0], json);
    kept.set(t[0], json);
  }
  const out: string[] = [];
  page.forEach(([id], i) => {
    const json = items[i] ?? read.get(id);
    if (json !== undefined) out.push(json);
  });
  return out;
}

/** The job if the viewer may see it; 404 otherwise (also for other companies' and providers' jobs). */
export function visibleJob(db: Db, viewer: Viewer, id: number): JobRow {
  const scope = recordScope(viewer, viewer.permissions.jobs, 'jobs');
  const row = stmt<(number | string)[], JobRow>(db, `SELECT * FROM jobs r WHERE r.id = ? AND ${scope.sql}`).get(id, ...scope.params);
  if (!row) throw notFound('job');
  return row;
}

function detail(db: Db, viewer: Viewer, row: JobRow): JobDetail {
  return {
    ...toSummary(row),
    description: row.description,
    preferredDate: row.preferred_date,
    preferredWindow: row.preferred_window,
    preferredDates: row.preferred_dates,
    siteContact: row.site_contact,
    source: row.source,
    canEdit: canEdit(viewer.permissions.jobs, isOwn(viewer, row)) && !CLOSED.includes(row.status),
    timeline: timelineOf(db, row.id),
  };
}

export function getJob(db: Db, viewer: Viewer, id: number): JobDetail {
  return detail(db, viewer, visibleJob(db, viewer, id));
}

export function addJobEvent(
  db: Db,
  jobId: number,
  e: {
    type: JobEvent['type'];
    message: string;
    actor: JobEvent['actor'];
    status?: JobStatus | null;
    at?: number;
    scheduledStart?: number | null;
    scheduledEnd?: number | null;
    technician?: string | null;
    note?: string | null;
  },
): void {
  stmt(
    db,
    'INSERT INTO job_events (job_id, type, status, message, actor, created_at, scheduled_start, scheduled_end, technician, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(jobId, e.type, e.status ?? null, e.message, e.actor, e.at ?? nowSeconds(), e.scheduledStart ?? null, e.scheduledEnd ?? null, e.technician ?? null, e.note ?? null);
}

export interface NewJob {
  companyId: number;
  title: string;
  description?: string;
  address?: string;
  preferredDates?: string;
  preferredDate?: string | null;
  preferredWindow?: 'morning' | 'afternoon' | 'any' | null;
  siteContact?: string;
  status?: JobStatus;
  source: 'portal' | 'office';
  createdByContactId?: number | null;
  contactId?: number | null;
  scheduledStart?: number | null;
  scheduledEnd?: number | null;
  technician?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  number?: string;
  /** Seconds; for demo and benchmark data with a history. */
  createdAt?: number;
}

function nextNumber(db: Db, providerId: number, column: 'next_job_number' | 'next_quote_number', prefix: string): string {
  const n = stmt<[number], { n: number }>(db, `UPDATE providers SET ${column} = ${column} + 1 WHERE id = ? RETURNING ${column} - 1 AS n`).get(providerId);
  if (!n) throw new Error(`no provider ${providerId}`);
  return `${prefix}-${n.n}`;
}

export { nextNumber };

/** Inserts a job (any source) with its "created" timeline entry; returns its id. */
export function insertJob(db: Db, providerId: number, j: NewJob): number {
  return db.transaction(() => {
    const number = j.number ?? nextNumber(db, providerId, 'next_job_number', 'J');
    const at = j.createdAt ?? nowSeconds();
    const row = {
      number,
      title: j.title,
      address: j.address ?? '',
    };
    const id = Number(
      stmt(
        db,
        `INSERT INTO jobs (provider_id, company_id, number, title, description, status, address, latitude, longitude,
           preferred_dates, site_contact, scheduled_start, scheduled_end, technician, source, created_by_contact_id,
           contact_id, search, created_at, updated_at, preferred_date, preferred_window)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        providerId,
        j.companyId,
        number,
        j.title,
        j.description ?? '',
        j.status ?? 'requested',
        row.address,
        j.latitude ?? null,
        j.longitude ?? null,
        j.preferredDates ?? '',
        j.siteContact ?? '',
        j.scheduledStart ?? null,
        j.scheduledEnd ?? null,
        j.technician ?? null,
        j.source,
        j.createdByContactId ?? null,
        j.contactId ?? null,
        searchText(row),
        at,
        at,
        j.preferredDate ?? null,
        j.preferredWindow ?? null,
      ).lastInsertRowid,
    );
    addJobEvent(db, id, {
      type: 'created',
      status: j.status ?? 'requested',
      message: j.source === 'portal' ? 'Requested in the customer portal' : 'Job created',
      actor: j.source === 'portal' ? 'customer' : 'office',
      at,
    });
    return id;
  })();
}

/** A customer creates a job in the portal: stored as requested, from the portal, theirs. */
export function createJobFromPortal(db: Db, viewer: Viewer, body: z.output<typeof JobCreateBody>): JobDetail {
  if (!viewer.permissions.createJobs) throw forbidden('create jobs');
  // No address given: the work is at the company's address on file.
  const address = body.address.trim() || (getCompany(db, viewer.providerId, viewer.companyId)?.address ?? '');
  if (!address) throw new ApiError(400, 'validation_failed', 'Invalid body: address: enter the address where the work is', { address: 'enter the address where the work is' });
  const id = insertJob(db, viewer.providerId, {
    companyId: viewer.companyId,
    ...body,
    address,
    source: 'portal',
    createdByContactId: viewer.contactId,
    contactId: viewer.contactId,
  });
  const row = stmt<[number], JobRow>(db, 'SELECT * FROM jobs WHERE id = ?').get(id)!;
  return detail(db, viewer, row);
}

const FIELD_LABELS: Record<string, string> = {
  title: 'what needs doing',
  description: 'description',
  address: 'address',
  preferredDates: 'preferred dates',
  siteContact: 'contact on site',
};

/**
 * A customer edits a job they may edit, while it is still open. Records what changed; `changed`
 * names the fields (as the API spells them) whose value differs, empty when the edit changed
 * nothing, in which case nothing is written.
 */
export function updateJobFromPortal(db: Db, viewer: Viewer, id: number, body: z.output<typeof JobUpdateBody>): { job: JobDetail; changed: string[] } {
  const row = visibleJob(db, viewer, id);
  if (!canEdit(viewer.permissions.jobs, isOwn(viewer, row))) throw forbidden('edit this job');
  if (CLOSED.includes(row.status)) throw new ApiError(409, 'job_closed', `This job is ${row.status} and can no longer be changed.`);
  const next = {
    title: body.title ?? row.title,
    description: body.description ?? row.description,
    address: body.address ?? row.address,
    preferred_dates: body.preferredDates ?? row.preferred_dates,
    site_contact: body.siteContact ?? row.site_contact,
  };
  const changed = Object.entries(body)
    .filter(([k, v]) => v !== undefined && v !== (row as unknown as Record<string, unknown>)[k === 'preferredDates' ? 'preferred_dates' : k === 'siteContact' ? 'site_contact' : k])
    .map(([k]) => k);
  if (changed.length) {
    db.transaction(() => {
      stmt(
        db,
        `UPDATE jobs SET title = ?, description = ?, address = ?, preferred_dates = ?, site_contact = ?, search = ?, updated_at = ?
          WHERE id = ? AND provider_id = ?`,
      ).run(next.title, next.description, next.address, next.preferred_dates, next.site_contact, searchText({ number: row.number, ...next }), nowSeconds(), id, viewer.providerId);
      addJobEvent(db, id, { type: 'updated', message: `Changed in the customer portal: ${changed.map((k) => FIELD_LABELS[k]).join(', ')}`, actor: 'customer' });
    })();
  }
  return { job: detail(db, viewer, stmt<[number], JobRow>(db, 'SELECT * FROM jobs WHERE id = ?').get(id)!), changed };
}

/** How a status reads on the customer's timeline. */
export const STATUS_MESSAGES: Record<JobStatus, string> = {
  requested: 'Requested',
  scheduled: 'Scheduled',
  on_the_way: 'Technician on the way',
  in_progress: 'Work started',
  on_hold: 'On hold',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

/** The provider moves a job along (provider API, simulator, demo data). */
export function setJobStatus(db: Db, providerId: number, id: number, status: JobStatus, opts: { note?: string; at?: number } = {}): boolean {
  const at = opts.at ?? nowSeconds();
  return db.transaction(() => {
    const r = stmt(db, 'UPDATE jobs SET status = ?, updated_at = ? WHERE id = ? AND provider_id = ?').run(status, at, id, providerId);
    if (r.changes !== 1) return false;
    addJobEvent(db, id, { type: 'status_changed', status, message: opts.note ? `${STATUS_MESSAGES[status]}: ${opts.note}` : STATUS_MESSAGES[status], actor: 'office', at, note: opts.note ?? null });
    return true;
  })();
}

export function scheduleJob(db: Db, providerId: number, id: number, start: number, end: number | null, technician: string | null, at = nowSeconds()): boolean {
  return db.transaction(() => {
    const r = stmt(
      db,
      "UPDATE jobs SET scheduled_start = ?, scheduled_end = ?, technician = ?, status = CASE WHEN status = 'requested' THEN 'scheduled' ELSE status END, updated_at = ? WHERE id = ? AND provider_id = ?",
    ).run(start, end, technician, at, id, providerId);
    if (r.changes !== 1) return false;
    addJobEvent(db, id, { type: 'scheduled', status: 'scheduled', message: scheduledMessage(start), actor: 'office', at, scheduledStart: start, scheduledEnd: end, technician });
    if (technician) addJobEvent(db, id, { type: 'technician_assigned', message: `Technician: ${technician}`, actor: 'office', at, technician });
    return true;
  })();
}
