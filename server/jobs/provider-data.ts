/** The provider's side of jobs: every function takes the provider id and scopes by it. */
import type { z } from 'zod';
import { type Db, stmt, nowSeconds } from '../db/index.js';
import { ApiError } from '../http/errors.js';
import { notFound } from '../permissions.js';
import { decodeCursor, encodeCursor, iso, syncPage } from '../db/paging.js';
import type { SyncQuery } from '../http/fields.js';
import { addJobEvent, scheduledMessage, STATUS_MESSAGES, timelineOf, type JobRow } from './data.js';
import type { JobUpdate } from './schemas.js';
import { publishJob, publishPosition } from '../live/publish.js';
import { queueJobAlerts } from '../alerts/outbox.js';

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
  preferredDate: r.preferred_date,
  preferredWindow: r.preferred_window,
  preferredDates: r.preferred_dates,
  siteContact: r.site_contact,
  scheduledStart: iso(r.scheduled_start),
  scheduledEnd: iso(r.scheduled_end),
  technician: r.technician,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
});
export type ProviderJob = ReturnType<typeof job>;

export function jobRow(db: Db, providerId: number, id: number): JobRow {
  const r = stmt<[number, number], JobRow>(db, 'SELECT * FROM jobs WHERE provider_id = ? AND id = ?').get(providerId, id);
  if (!r) throw notFound('job');
  return r;
}

export function providerJob(db: Db, providerId: number, id: number) {
  const r = jobRow(db, providerId, id);
  return { ...job(r), timeline: timelineOf(db, id) };
}

export function listProviderJobs(db: Db, providerId: number, q: z.output<typeof SyncQuery>) {
  return syncPage(db, 'jobs', providerId, q, job);
}


/** The provider changes a job; each kind of change lands on the customer's timeline. */
export function updateProviderJob(db: Db, providerId: number, id: number, b: z.output<typeof JobUpdate>) {
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
  if (!differs && !b.note) return providerJob(db, providerId, id);
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
      const when = scheduledMessage(next.scheduled_start!);
      const withNote = scheduledCoversStatus && b.note;
      addJobEvent(db, id, {
        type: 'scheduled',
        status: scheduledCoversStatus ? 'scheduled' : null,
        message: withNote ? `${when}: ${b.note}` : when,
        actor: 'office',
        scheduledStart: next.scheduled_start,
        scheduledEnd: next.scheduled_end,
        technician: next.technician,
        note: withNote ? b.note : null,
      });
    }
    if (b.technician && b.technician !== r.technician) addJobEvent(db, id, { type: 'technician_assigned', message: `Technician: ${b.technician}`, actor: 'office', technician: b.technician });
    if (statusChanged && !scheduledCoversStatus) {
      addJobEvent(db, id, { type: 'status_changed', status: next.status, message: b.note ? `${STATUS_MESSAGES[next.status]}: ${b.note}` : STATUS_MESSAGES[next.status], actor: 'office', note: b.note ?? null });
    } else if (b.note && !statusChanged) {
      addJobEvent(db, id, { type: 'note', message: b.note, actor: 'office', note: b.note });
    }
    const details = (['title', 'description', 'address'] as const).filter((k) => next[k] !== r[k]);
    if (details.length) addJobEvent(db, id, { type: 'updated', message: `Updated by the office: ${details.join(', ')}`, actor: 'office' });
    publishJob(db, providerId, id, r);
    queueJobAlerts(db, r, { ...next, eta: b.eta });
  })();
  return providerJob(db, providerId, id);
}

export function addJobNote(db: Db, providerId: number, id: number, message: string) {
  const before = jobRow(db, providerId, id);
  db.transaction(() => {
    addJobEvent(db, id, { type: 'note', message, actor: 'office' });
    stmt(db, 'UPDATE jobs SET updated_at = ? WHERE id = ?').run(nowSeconds(), id);
    publishJob(db, providerId, id, before);
  })();
  return providerJob(db, providerId, id);
}

export function recordPosition(db: Db, providerId: number, jobId: number, latitude: number, longitude: number, at: number) {
  jobRow(db, providerId, jobId);
  db.transaction(() => {
    stmt(db, 'INSERT INTO technician_positions (provider_id, job_id, latitude, longitude, recorded_at, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      providerId,
      jobId,
      latitude,
      longitude,
      at,
      nowSeconds(),
    );
    publishPosition(db, providerId, jobId, latitude, longitude, at);
  })();
  return { jobId, latitude, longitude, at: iso(at)! };
}

