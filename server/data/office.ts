/**
 * The office's side of the data: what the provider API reads and writes. Every function takes
 * the provider id and scopes by it; another provider's ids answer as "not found".
 */
import type { z } from 'zod';
import { type Db, stmt, nowSeconds } from '../db/index.js';
import { ApiError } from '../http/errors.js';
import { notFound } from '../permissions.js';
import type { CompanyUpdate, ContactUpdate, EquipmentUpdateOffice, JobUpdate, QuoteSend, SyncQuery } from '../provider-schemas.js';
import type { JobStatus, Permissions, QuoteStatus } from '../schemas.js';
import { permissionsOf, type ContactRow } from './contacts.js';
import type { EquipmentRow as CustomerEquipmentRow } from './equipment.js';
import { addJobEvent, STATUS_MESSAGES, type JobRow } from './jobs.js';
import { decodeCursor, encodeCursor, iso } from './paging.js';
import type { QuoteRow } from './quotes.js';

// Companies ------------------------------------------------------------------------------------

interface CompanyRow {
  id: number;
  name: string;
  address: string;
  phone: string;
  email: string;
  created_at: number;
  updated_at: number;
}
const company = (r: CompanyRow) => ({ id: r.id, name: r.name, address: r.address, phone: r.phone, email: r.email, createdAt: iso(r.created_at)!, updatedAt: iso(r.updated_at)! });
export type OfficeCompany = ReturnType<typeof company>;

export function officeCompany(db: Db, providerId: number, id: number): OfficeCompany {
  const r = stmt<[number, number], CompanyRow>(db, 'SELECT * FROM companies WHERE provider_id = ? AND id = ?').get(providerId, id);
  if (!r) throw notFound('company');
  return company(r);
}

export function updateCompany(db: Db, providerId: number, id: number, b: z.output<typeof CompanyUpdate>): OfficeCompany {
  officeCompany(db, providerId, id);
  stmt(
    db,
    'UPDATE companies SET name = coalesce(?, name), address = coalesce(?, address), phone = coalesce(?, phone), email = coalesce(?, email), updated_at = ? WHERE provider_id = ? AND id = ?',
  ).run(b.name ?? null, b.address ?? null, b.phone ?? null, b.email ?? null, nowSeconds(), providerId, id);
  return officeCompany(db, providerId, id);
}

export function listCompanies(db: Db, providerId: number, q: z.output<typeof SyncQuery>) {
  return page(db, 'companies', providerId, q, company);
}

/** Keyset page over (updated_at, id) ascending, for syncing with `updated_since`. */
function page<R extends { id: number; updated_at: number }, T>(db: Db, table: string, providerId: number, q: z.output<typeof SyncQuery>, map: (r: R) => T) {
  const where = ['provider_id = ?'];
  const params: number[] = [providerId];
  if (q.updated_since !== undefined) {
    where.push('updated_at >= ?');
    params.push(q.updated_since);
  }
  if (q.cursor) {
    const [k, id] = decodeCursor(q.cursor, 'number');
    where.push('(updated_at, id) > (?, ?)');
    params.push(k, id);
  }
  params.push(q.limit + 1);
  const rows = stmt<number[], R>(db, `SELECT * FROM ${table} WHERE ${where.join(' AND ')} ORDER BY updated_at, id LIMIT ?`).all(...params);
  const more = rows.length > q.limit;
  const items = more ? rows.slice(0, q.limit) : rows;
  const last = items.at(-1);
  return { items: items.map(map), nextCursor: more && last ? encodeCursor(last.updated_at, last.id) : null };
}

// Contacts -------------------------------------------------------------------------------------

const contact = (r: ContactRow) => ({
  id: r.id,
  companyId: r.company_id,
  email: r.email,
  name: r.name,
  phone: r.phone,
  disabled: r.disabled === 1,
  hasPassword: r.password_hash !== null,
  permissions: permissionsOf(r),
});
export type OfficeContact = ReturnType<typeof contact>;

export function officeContact(db: Db, providerId: number, id: number): OfficeContact {
  const r = stmt<[number, number], ContactRow>(db, 'SELECT * FROM contacts WHERE provider_id = ? AND id = ?').get(providerId, id);
  if (!r) throw notFound('contact');
  return contact(r);
}

const PERM_COLUMNS: Record<keyof Permissions, [string, (v: unknown) => unknown]> = {
  jobs: ['perm_jobs', (v) => v],
  quotes: ['perm_quotes', (v) => v],
  createJobs: ['perm_create_jobs', (v) => (v ? 1 : 0)],
  createQuotes: ['perm_create_quotes', (v) => (v ? 1 : 0)],
  equipment: ['perm_equipment', (v) => v],
  details: ['perm_details', (v) => v],
  map: ['perm_map', (v) => (v ? 1 : 0)],
  alerts: ['perm_alerts', (v) => (v ? 1 : 0)],
};

/** Name, phone, permissions; disabling also ends every session of the contact. */
export function updateContact(db: Db, providerId: number, id: number, b: z.output<typeof ContactUpdate>): OfficeContact {
  officeContact(db, providerId, id);
  const sets: string[] = [];
  const params: unknown[] = [];
  if (b.name !== undefined) sets.push('name = ?'), params.push(b.name);
  if (b.phone !== undefined) sets.push('phone = ?'), params.push(b.phone);
  if (b.disabled !== undefined) sets.push('disabled = ?'), params.push(b.disabled ? 1 : 0);
  for (const [k, v] of Object.entries(b.permissions ?? {}) as [keyof Permissions, unknown][]) {
    const [column, convert] = PERM_COLUMNS[k];
    sets.push(`${column} = ?`);
    params.push(convert(v));
  }
  db.transaction(() => {
    stmt(db, `UPDATE contacts SET ${sets.join(', ')}, updated_at = ? WHERE provider_id = ? AND id = ?`).run(...params, nowSeconds(), providerId, id);
    if (b.disabled) stmt(db, 'DELETE FROM sessions WHERE contact_id = ?').run(id);
  })();
  return officeContact(db, providerId, id);
}

/** A company of this provider, or 404 (never another provider's). */
export function requireCompany(db: Db, providerId: number, companyId: number): void {
  if (!stmt<[number, number], { id: number }>(db, 'SELECT id FROM companies WHERE provider_id = ? AND id = ?').get(providerId, companyId)) {
    throw new ApiError(404, 'not_found', `No company ${companyId}.`, { companyId: 'no such company' });
  }
}

/** A contact of that company of this provider, or 404. */
export function requireContactOf(db: Db, providerId: number, companyId: number, contactId: number): void {
  if (!stmt<[number, number, number], { id: number }>(db, 'SELECT id FROM contacts WHERE provider_id = ? AND company_id = ? AND id = ?').get(providerId, companyId, contactId)) {
    throw new ApiError(404, 'not_found', `No contact ${contactId} at company ${companyId}.`, { contactId: 'no such contact at that company' });
  }
}

// Jobs -----------------------------------------------------------------------------------------

const job = (r: JobRow) => ({
  id: r.id,
  number: r.number,
  companyId: r.company_id,
  contactId: r.contact_id,
  createdByContactId: r.created_by_contact_id,
  source: r.source,
  title: r.title,
  description: r.description,
  status: r.status,
  address: r.address,
  latitude: r.latitude,
  longitude: r.longitude,
  preferredDates: r.preferred_dates,
  siteContact: r.site_contact,
  scheduledStart: iso(r.scheduled_start),
  scheduledEnd: iso(r.scheduled_end),
  technician: r.technician,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
});
export type OfficeJob = ReturnType<typeof job>;

export function jobRow(db: Db, providerId: number, id: number): JobRow {
  const r = stmt<[number, number], JobRow>(db, 'SELECT * FROM jobs WHERE provider_id = ? AND id = ?').get(providerId, id);
  if (!r) throw notFound('job');
  return r;
}

export function officeJob(db: Db, providerId: number, id: number) {
  const r = jobRow(db, providerId, id);
  const timeline = stmt<[number], { id: number; type: string; status: string | null; message: string; actor: string; created_at: number }>(
    db,
    'SELECT id, type, status, message, actor, created_at FROM job_events WHERE job_id = ? ORDER BY id',
  )
    .all(id)
    .map((e) => ({ id: e.id, type: e.type, status: e.status, message: e.message, actor: e.actor, at: iso(e.created_at)! }));
  return { ...job(r), timeline };
}

export function listJobsOffice(db: Db, providerId: number, q: z.output<typeof SyncQuery>) {
  return page(db, 'jobs', providerId, q, job);
}


/** The office changes a job; each kind of change lands on the customer's timeline. */
export function updateJobOffice(db: Db, providerId: number, id: number, b: z.output<typeof JobUpdate>) {
  const r = jobRow(db, providerId, id);
  const now = nowSeconds();
  const next = {
    title: b.title ?? r.title,
    description: b.description ?? r.description,
    address: b.address ?? r.address,
    latitude: b.latitude !== undefined ? b.latitude : r.latitude,
    longitude: b.longitude !== undefined ? b.longitude : r.longitude,
    scheduled_start: b.scheduledStart ?? r.scheduled_start,
    scheduled_end: b.scheduledEnd !== undefined ? b.scheduledEnd : r.scheduled_end,
    technician: b.technician !== undefined ? b.technician : r.technician,
    status: b.status ?? (b.scheduledStart !== undefined && r.status === 'requested' ? 'scheduled' : r.status),
  };
  const differs = (Object.keys(next) as (keyof typeof next)[]).some((k) => next[k] !== r[k]);
  // Nothing to change and nothing to say: no write, so updated_since syncs are not sent it again.
  if (!differs && !b.note) return officeJob(db, providerId, id);
  db.transaction(() => {
    stmt(
      db,
      `UPDATE jobs SET title = ?, description = ?, address = ?, latitude = ?, longitude = ?, scheduled_start = ?, scheduled_end = ?,
         technician = ?, status = ?, search = ?, updated_at = ? WHERE id = ? AND provider_id = ?`,
    ).run(next.title, next.description, next.address, next.latitude, next.longitude, next.scheduled_start, next.scheduled_end, next.technician, next.status, `${r.number} ${next.title} ${next.address}`.toLowerCase(), now, id, providerId);
    const rescheduled = next.scheduled_start !== r.scheduled_start && next.scheduled_start !== null;
    const statusChanged = next.status !== r.status;
    // Scheduling a requested job is one step on the timeline, not "Scheduled for …" and then "Scheduled".
    const scheduledCoversStatus = rescheduled && statusChanged && next.status === 'scheduled';
    if (rescheduled) {
      const when = `Scheduled for ${new Date(next.scheduled_start! * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
      addJobEvent(db, id, {
        type: 'scheduled',
        status: scheduledCoversStatus ? 'scheduled' : null,
        message: scheduledCoversStatus && b.note ? `${when}: ${b.note}` : when,
        actor: 'office',
      });
    }
    if (b.technician && b.technician !== r.technician) addJobEvent(db, id, { type: 'technician_assigned', message: `Technician: ${b.technician}`, actor: 'office' });
    if (statusChanged && !scheduledCoversStatus) {
      addJobEvent(db, id, { type: 'status_changed', status: next.status, message: b.note ? `${STATUS_MESSAGES[next.status]}: ${b.note}` : STATUS_MESSAGES[next.status], actor: 'office' });
    } else if (b.note && !statusChanged) {
      addJobEvent(db, id, { type: 'note', message: b.note, actor: 'office' });
    }
    const details = (['title', 'description', 'address'] as const).filter((k) => next[k] !== r[k]);
    if (details.length) addJobEvent(db, id, { type: 'updated', message: `Updated by the office: ${details.join(', ')}`, actor: 'office' });
  })();
  return officeJob(db, providerId, id);
}

export function addJobNote(db: Db, providerId: number, id: number, message: string) {
  jobRow(db, providerId, id);
  db.transaction(() => {
    addJobEvent(db, id, { type: 'note', message, actor: 'office' });
    stmt(db, 'UPDATE jobs SET updated_at = ? WHERE id = ?').run(nowSeconds(), id);
  })();
  return officeJob(db, providerId, id);
}

export function recordPosition(db: Db, providerId: number, jobId: number, latitude: number, longitude: number, at: number) {
  jobRow(db, providerId, jobId);
  stmt(db, 'INSERT INTO technician_positions (provider_id, job_id, latitude, longitude, recorded_at, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    providerId,
    jobId,
    latitude,
    longitude,
    at,
    nowSeconds(),
  );
  return { jobId, latitude, longitude, at: iso(at)! };
}

// Quotes ---------------------------------------------------------------------------------------

function quoteRow(db: Db, providerId: number, id: number): QuoteRow {
  const r = stmt<[number, number], QuoteRow>(db, 'SELECT * FROM quotes WHERE provider_id = ? AND id = ?').get(providerId, id);
  if (!r) throw notFound('quote');
  return r;
}

interface LineRow {
  quote_id: number;
  description: string;
  quantity: number;
  unit_price_cents: number;
}

function quoteFrom(r: QuoteRow, lines: LineRow[], now = nowSeconds()) {
  const expired = r.status === 'sent' && r.valid_until !== null && r.valid_until <= now;
  return {
    id: r.id,
    number: r.number,
    companyId: r.company_id,
    contactId: r.contact_id,
    createdByContactId: r.created_by_contact_id,
    title: r.title,
    description: r.description,
    address: r.address,
    status: (expired ? 'expired' : r.status) as QuoteStatus,
    currency: r.currency,
    totalCents: r.total_cents,
    lines: lines.map((l) => ({ description: l.description, quantity: l.quantity, unitPriceCents: l.unit_price_cents })),
    validUntil: iso(r.valid_until),
    sentAt: iso(r.sent_at),
    /** The customer's answer, once given. */
    response: r.responded_at === null ? null : { status: r.status, note: r.response_note, at: iso(r.responded_at)! },
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

export function officeQuote(db: Db, providerId: number, id: number) {
  const r = quoteRow(db, providerId, id);
  const lines = stmt<[number], LineRow>(db, 'SELECT quote_id, description, quantity, unit_price_cents FROM quote_lines WHERE quote_id = ? ORDER BY position').all(id);
  return quoteFrom(r, lines);
}

/** A sync page of quotes with their lines: two statements, whatever the page size. */
export function listQuotesOffice(db: Db, providerId: number, q: z.output<typeof SyncQuery>) {
  const p = page(db, 'quotes', providerId, q, (r: QuoteRow) => r);
  const lines = new Map<number, LineRow[]>(p.items.map((r) => [r.id, []]));
  if (p.items.length) {
    const rows = stmt<[string], LineRow>(
      db,
      'SELECT quote_id, description, quantity, unit_price_cents FROM quote_lines WHERE quote_id IN (SELECT value FROM json_each(?)) ORDER BY quote_id, position',
    ).all(JSON.stringify(p.items.map((r) => r.id)));
    for (const l of rows) lines.get(l.quote_id)!.push(l);
  }
  const now = nowSeconds();
  return { items: p.items.map((r) => quoteFrom(r, lines.get(r.id)!, now)), nextCursor: p.nextCursor };
}

/** Sends (or re-sends with new lines) a quote that is requested or sent and not yet answered. */
export function sendQuote(db: Db, providerId: number, id: number, b: z.output<typeof QuoteSend>) {
  const r = quoteRow(db, providerId, id);
  if (!['requested', 'sent', 'expired'].includes(r.status)) throw new ApiError(409, `quote_${r.status}`, `This quote was already ${r.status} by the customer.`);
  if (b.validUntil <= nowSeconds()) throw new ApiError(400, 'validation_failed', 'validUntil must be in the future.', { validUntil: 'must be in the future' });
  const total = Math.round(b.lines.reduce((s, l) => s + l.quantity * l.unitPriceCents, 0));
  const now = nowSeconds();
  db.transaction(() => {
    stmt(db, 'DELETE FROM quote_lines WHERE quote_id = ?').run(id);
    b.lines.forEach((l, i) => stmt(db, 'INSERT INTO quote_lines (quote_id, position, description, quantity, unit_price_cents) VALUES (?, ?, ?, ?, ?)').run(id, i, l.description, l.quantity, l.unitPriceCents));
    stmt(db, "UPDATE quotes SET status = 'sent', total_cents = ?, currency = coalesce(?, currency), valid_until = ?, sent_at = ?, updated_at = ? WHERE id = ? AND provider_id = ?").run(total, b.currency ?? null, b.validUntil, now, now, id, providerId);
  })();
  return officeQuote(db, providerId, id);
}

export function expireQuote(db: Db, providerId: number, id: number) {
  const r = quoteRow(db, providerId, id);
  if (r.status !== 'sent' && r.status !== 'requested') throw new ApiError(409, `quote_${r.status}`, `This quote is ${r.status} and cannot expire.`);
  stmt(db, "UPDATE quotes SET status = 'expired', updated_at = ? WHERE id = ? AND provider_id = ?").run(nowSeconds(), id, providerId);
  return officeQuote(db, providerId, id);
}

// Equipment ------------------------------------------------------------------------------------

interface EquipmentRow extends CustomerEquipmentRow {
  company_id: number;
  source: string;
  updated_at: number;
}

export function officeEquipment(db: Db, providerId: number, id: number) {
  const r = stmt<[number, number], EquipmentRow>(db, 'SELECT * FROM equipment WHERE provider_id = ? AND id = ?').get(providerId, id);
  if (!r) throw notFound('equipment');
  return {
    id: r.id,
    companyId: r.company_id,
    name: r.name,
    make: r.make,
    model: r.model,
    serial: r.serial,
    location: r.location,
    installedOn: r.installed_on,
    lastServiceOn: r.last_service_on,
    nextServiceOn: r.next_service_on,
    source: r.source,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

export function updateEquipmentOffice(db: Db, providerId: number, id: number, b: z.output<typeof EquipmentUpdateOffice>) {
  officeEquipment(db, providerId, id);
  const columns: Record<string, string> = { name: 'name', make: 'make', model: 'model', serial: 'serial', location: 'location', installedOn: 'installed_on', lastServiceOn: 'last_service_on', nextServiceOn: 'next_service_on' };
  const entries = Object.entries(b).filter(([, v]) => v !== undefined);
  stmt(db, `UPDATE equipment SET ${entries.map(([k]) => `${columns[k]} = ?`).join(', ')}, updated_at = ? WHERE provider_id = ? AND id = ?`).run(...entries.map(([, v]) => v), nowSeconds(), providerId, id);
  return officeEquipment(db, providerId, id);
}
