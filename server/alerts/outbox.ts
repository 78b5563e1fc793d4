/**
 * The alerts outbox: queueing (in the transaction of the change that causes it), reminders
 * (rows that wait for their due time), claiming and closing rows for the worker.
 *
 * Queueing is set-based: one INSERT … SELECT finds every alert that a change concerns, with the
 * permission rules in SQL, so a job change costs the same few statements whether it concerns no
 * alert or a thousand. The dedupe key names the occurrence, so queueing it again is a no-op.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/index.js';
import { stmt, nowSeconds } from '../db/index.js';
import type { JobRow } from '../jobs/data.js';
import { DEFAULT_CHANNELS_JSON, DEFAULT_EVENTS_JSON } from './provider-data.js';
import type { AlertEvent } from './schemas.js';

/** The contact `c` may see job `j`, wants alerts, and the provider `p` has them on. */
const MAY_SEE_JOB = `c.disabled = 0 AND c.perm_alerts = 1 AND c.company_id = j.company_id
  AND (c.perm_jobs IN ('view_all', 'edit_all') OR (c.perm_jobs IN ('view_own', 'edit_own') AND (j.created_by_contact_id = c.id OR j.contact_id = c.id)))`;
const MAY_SEE_QUOTE = `c.disabled = 0 AND c.perm_alerts = 1 AND c.company_id = q.company_id
  AND (c.perm_quotes IN ('view_all', 'edit_all') OR (c.perm_quotes IN ('view_own', 'edit_own') AND (q.created_by_contact_id = c.id OR q.contact_id = c.id)))`;
const ALERTS_ON = `coalesce(json_extract(p.features, '$.alerts'), 1) = 1`;
/** Destination `d` may receive, and the provider offers `event` on its channel. */
const deliverable = (event: string) => `d.verified_at IS NOT NULL AND d.opted_out_at IS NULL
  AND ${event} IN (SELECT value FROM json_each(coalesce(ps.events, '${DEFAULT_EVENTS_JSON}')))
  AND d.channel IN (SELECT value FROM json_each(coalesce(ps.channels, '${DEFAULT_CHANNELS_JSON}')))`;
const wants = (event: string) => `EXISTS (SELECT 1 FROM json_each(s.events) WHERE value = ${event})`;

/** From subscriptions `s` to their deliverable destinations `d`, contacts `c`, provider `p` and its settings `ps`. */
const FANOUT = `JOIN contacts c ON c.id = s.contact_id
  JOIN alert_subscription_destinations sd ON sd.subscription_id = s.id
  JOIN alert_destinations d ON d.id = sd.destination_id
  JOIN providers p ON p.id = s.provider_id
  LEFT JOIN alert_provider_settings ps ON ps.provider_id = s.provider_id`;

const INSERT = `INSERT INTO alert_outbox (provider_id, company_id, contact_id, destination_id, subscription_id, kind, event, job_id, quote_id, data, dedupe_key, channel, due_at, created_at)`;

/** Job alerts for the events of one change, all in one statement. */
const QUEUE_JOB = `${INSERT}
  SELECT s.provider_id, s.company_id, s.contact_id, d.id, s.id, 'alert', e.value, j.id, NULL, :data,
         'a:' || s.id || ':' || d.id || ':j' || j.id || ':' || e.value || ':' ||
           CASE WHEN e.value = 'job_scheduled' AND j.scheduled_start IS NOT NULL THEN 'at' || j.scheduled_start
                ELSE 'ev' || coalesce((SELECT max(id) FROM job_events WHERE job_id = j.id), 0) END,
         d.channel, :now, :now
    FROM jobs j
    JOIN alert_subscriptions s ON s.provider_id = j.provider_id AND s.company_id = j.company_id AND s.paused = 0 AND (s.job_id IS NULL OR s.job_id = j.id)
    JOIN json_each(:events) e ON ${wants('e.value')}
    ${FANOUT}
   WHERE j.id = :job AND j.provider_id = :provider AND ${MAY_SEE_JOB} AND ${ALERTS_ON} AND ${deliverable('e.value')}
  ON CONFLICT (dedupe_key) DO NOTHING`;

/** A reminder per (alert, destination, job, start time, lead time), due `reminder_hours` before the start. */
const reminderSelect = (from: string, where: string) => `${INSERT}
  SELECT s.provider_id, s.company_id, s.contact_id, d.id, s.id, 'reminder', 'start_reminder', j.id, NULL,
         json_object('scheduledStart', j.scheduled_start, 'hours', s.reminder_hours),
         'r:' || s.id || ':' || d.id || ':j' || j.id || ':' || j.scheduled_start || ':' || s.reminder_hours,
         d.channel, j.scheduled_start - s.reminder_hours * 3600, :now
    ${from}
    ${FANOUT}
   WHERE ${where} AND j.status = 'scheduled' AND j.scheduled_start IS NOT NULL AND s.paused = 0 AND s.reminder_hours IS NOT NULL
     AND j.scheduled_start - s.reminder_hours * 3600 > :now
     AND ${wants("'start_reminder'")} AND ${MAY_SEE_JOB} AND ${ALERTS_ON} AND ${deliverable("'start_reminder'")}
  ON CONFLICT (dedupe_key) DO NOTHING`;
const REMIND_FOR_JOB = reminderSelect(
  `FROM jobs j JOIN alert_subscriptions s ON s.provider_id = j.provider_id AND s.company_id = j.company_id AND (s.job_id IS NULL OR s.job_id = j.id)`,
  'j.id = :job AND j.provider_id = :provider',
);
const REMIND_FOR_SUBSCRIPTION = reminderSelect(
  `FROM alert_subscriptions s JOIN jobs j ON j.provider_id = s.provider_id AND j.company_id = s.company_id AND j.status = 'scheduled' AND (s.job_id IS NULL OR s.job_id = j.id)`,
  's.id = :subscription AND s.provider_id = :provider',
);

type JobState = Pick<JobRow, 'status' | 'scheduled_start' | 'technician'>;

/** Which alert events a change of a job's state makes. */
function jobEvents(before: JobState, after: JobState): AlertEvent[] {
  const events = new Set<AlertEvent>();
  if (after.scheduled_start !== null && after.scheduled_start !== before.scheduled_start && after.status === 'scheduled') events.add('job_scheduled');
  if (after.status !== before.status) {
    const byStatus: Partial<Record<JobRow['status'], AlertEvent>> = { scheduled: 'job_scheduled', on_the_way: 'on_the_way', in_progress: 'job_started', completed: 'job_completed' };
    const e = byStatus[after.status];
    if (e) events.add(e);
  }
  return [...events];
}

/**
 * The change point for jobs (the provider API's status, schedule and technician changes): queues
 * the alerts the change makes, and moves or drops the job's pending reminders. Call it inside the
 * change's transaction, after the job row and its timeline are written. At most three statements.
 */
export function queueJobAlerts(db: Db, before: JobRow, after: JobState & { eta?: number }, now = nowSeconds()): void {
  const events = jobEvents(before, after);
  if (events.length) {
    const data = JSON.stringify({ status: after.status, scheduledStart: after.scheduled_start, technician: after.technician, eta: after.eta ?? null });
    stmt(db, QUEUE_JOB).run({ data, events: JSON.stringify(events), job: before.id, provider: before.provider_id, now });
  }
  if (after.scheduled_start !== before.scheduled_start || after.status !== before.status) {
    // A reminder belongs to one start time of a scheduled job: moved with the schedule, gone with the status.
    stmt(db, "DELETE FROM alert_outbox WHERE job_id = ? AND kind = 'reminder' AND status = 'pending'").run(before.id);
    if (after.status === 'scheduled' && after.scheduled_start !== null) stmt(db, REMIND_FOR_JOB).run({ job: before.id, provider: before.provider_id, now });
  }
}

/** The change point for jobs the provider creates: one booked at once is news (and gets its reminders). Returns the job id, to wrap the insert. */
export function queueNewJobAlerts(db: Db, providerId: number, jobId: number, now = nowSeconds()): number {
  const job = stmt<[number, number], JobRow>(db, 'SELECT * FROM jobs WHERE id = ? AND provider_id = ?').get(jobId, providerId);
  if (job) queueJobAlerts(db, { ...job, status: 'requested', scheduled_start: null, technician: null }, job, now);
  return jobId;
}

/** Reminders of one alert, for the jobs it covers that are scheduled far enough ahead. */
export function scheduleSubscriptionReminders(db: Db, providerId: number, subscriptionId: number, now = nowSeconds()): void {
  stmt(db, "DELETE FROM alert_outbox WHERE subscription_id = ? AND kind = 'reminder' AND status = 'pending'").run(subscriptionId);
  stmt(db, REMIND_FOR_SUBSCRIPTION).run({ subscription: subscriptionId, provider: providerId, now });
}

/** A destination that starts receiving (verified, turned back on) gets the reminders of its alerts. */
export function scheduleDestinationReminders(db: Db, providerId: number, destinationId: number, now = nowSeconds()): void {
  const subscriptions = stmt<[number], number>(db, 'SELECT subscription_id FROM alert_subscription_destinations WHERE destination_id = ?').pluck().all(destinationId);
  for (const id of subscriptions) scheduleSubscriptionReminders(db, providerId, id, now);
}

const QUEUE_QUOTE = `${INSERT}
  SELECT s.provider_id, s.company_id, s.contact_id, d.id, s.id, 'alert', 'quote_ready', NULL, q.id,
         json_object('totalCents', q.total_cents, 'currency', q.currency, 'validUntil', q.valid_until),
         'a:' || s.id || ':' || d.id || ':q' || q.id || ':quote_ready:' || q.sent_at || ':' || coalesce(q.total_cents, 0),
         d.channel, :now, :now
    FROM quotes q
    JOIN alert_subscriptions s ON s.provider_id = q.provider_id AND s.company_id = q.company_id AND s.paused = 0 AND s.job_id IS NULL
    ${FANOUT}
   WHERE q.id = :quote AND q.provider_id = :provider AND q.status = 'sent' AND ${wants("'quote_ready'")}
     AND ${MAY_SEE_QUOTE} AND ${ALERTS_ON} AND ${deliverable("'quote_ready'")}
  ON CONFLICT (dedupe_key) DO NOTHING`;

/** The change point for quotes sent to the customer; returns the quote id so it can wrap an insert. One statement. */
export function queueQuoteAlerts(db: Db, providerId: number, quoteId: number, now = nowSeconds()): number {
  stmt(db, QUEUE_QUOTE).run({ quote: quoteId, provider: providerId, now });
  return quoteId;
}

/** A message for one destination outside the alerts (a code, a link, a test), due now. */
export function queueDirect(
  db: Db,
  m: { providerId: number; companyId: number; contactId: number; destinationId: number; channel: string; kind: 'verify' | 'test'; event: string; subject?: string; body?: string },
  now = nowSeconds(),
): number {
  return Number(
    stmt(
      db,
      `INSERT INTO alert_outbox (provider_id, company_id, contact_id, destination_id, kind, event, dedupe_key, channel, subject, body, due_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(m.providerId, m.companyId, m.contactId, m.destinationId, m.kind, m.event, `${m.kind}:${m.destinationId}:${randomBytes(9).toString('base64url')}`, m.channel, m.subject ?? null, m.body ?? null, now, now).lastInsertRowid,
  );
}

/** Pending alerts of a subscription that is deleted or paused: they are no longer wanted. */
export function dropPendingOfSubscription(db: Db, subscriptionId: number): void {
  stmt(db, "UPDATE alert_outbox SET status = 'dropped', last_error = 'alert removed or paused', body = NULL WHERE subscription_id = ? AND status = 'pending'").run(subscriptionId);
}

// The worker's side -------------------------------------------------------------------------------

export interface ClaimedRow {
  id: number;
  provider_id: number;
  contact_id: number;
  destination_id: number;
  subscription_id: number | null;
  kind: 'alert' | 'reminder' | 'verify' | 'test';
  event: string;
  job_id: number | null;
  quote_id: number | null;
  data: string;
  dedupe_key: string;
  channel: 'email' | 'sms';
  attempts: number;
  subject: string | null;
  body: string | null;
  claim_token: string;
}

/**
 * Takes up to `limit` due rows for this worker: one UPDATE, so two processes on one database
 * never take the same row. A row is due when pending and its time has come, or when another
 * worker's lease on it ran out (that process died mid-send). The lease end is the new due time.
 */
export function claimDue(db: Db, token: string, now: number, leaseSeconds: number, limit: number): ClaimedRow[] {
  return stmt<[string, number, number, number], ClaimedRow>(
    db,
    `UPDATE alert_outbox SET status = 'sending', claim_token = ?, due_at = ?, attempts = attempts + 1
      WHERE id IN (SELECT id FROM alert_outbox WHERE status IN ('pending', 'sending') AND due_at <= ? ORDER BY due_at, id LIMIT ?)
      RETURNING id, provider_id, contact_id, destination_id, subscription_id, kind, event, job_id, quote_id, data, dedupe_key, channel, attempts, subject, body, claim_token`,
  ).all(token, now + leaseSeconds, now, limit);
}

/**
 * Renews this worker's lease on a row right before sending it, or says the row is no longer
 * ours (the lease ran out while it waited its turn and another worker may have taken it): then
 * it must not be sent from here. A send takes far less than a lease (SMTP and gateway timeouts).
 */
export function renewClaim(db: Db, row: ClaimedRow, now: number, leaseSeconds: number): boolean {
  return (
    stmt(db, "UPDATE alert_outbox SET due_at = ? WHERE id = ? AND claim_token = ? AND status = 'sending' AND due_at > ?").run(now + leaseSeconds, row.id, row.claim_token, now)
      .changes === 1
  );
}

/** Closes a claimed row as sent (or kept locally); only the claimant can. The text stays only when kept, for the demo mailbox. */
export function markDelivered(db: Db, row: ClaimedRow, status: 'sent' | 'kept', recipient: string, subject: string, keptBody: string | null, now: number): boolean {
  return (
    stmt(
      db,
      `UPDATE alert_outbox SET status = ?, recipient = ?, subject = ?, body = ?, sent_at = ?, last_error = NULL, claim_token = NULL
        WHERE id = ? AND claim_token = ? AND status = 'sending'`,
    ).run(status, recipient, subject, status === 'kept' ? keptBody : null, now, row.id, row.claim_token).changes === 1
  );
}

/** An attempt failed: due again after `retryAt`, or a dead letter ('failed') when `final` (a code it held is not kept). */
export function markFailed(db: Db, row: ClaimedRow, error: string, final: boolean, retryAt: number): void {
  stmt(
    db,
    `UPDATE alert_outbox SET status = ?, due_at = ?, last_error = ?, claim_token = NULL, body = CASE WHEN ? AND kind = 'verify' THEN NULL ELSE body END
      WHERE id = ? AND claim_token = ? AND status = 'sending'`,
  ).run(final ? 'failed' : 'pending', retryAt, error.slice(0, 500), final ? 1 : 0, row.id, row.claim_token);
}

/** Not to be sent (any more): the contact lost access, the alert went, the address opted out. */
export function markDropped(db: Db, row: ClaimedRow, reason: string): void {
  stmt(db, "UPDATE alert_outbox SET status = 'dropped', last_error = ?, body = NULL, claim_token = NULL WHERE id = ? AND claim_token = ?").run(reason, row.id, row.claim_token);
}

/** Not now (SMS quiet hours): back to pending until `at`, and this was not an attempt. */
export function markDeferred(db: Db, row: ClaimedRow, at: number): void {
  stmt(db, "UPDATE alert_outbox SET status = 'pending', due_at = ?, attempts = attempts - 1, claim_token = NULL WHERE id = ? AND claim_token = ?").run(at, row.id, row.claim_token);
}

export interface SendContext {
  address: string;
  contact_name: string;
  company_id: number;
  job_number: string | null;
  job_title: string | null;
  job_address: string | null;
  job_status: string | null;
  job_start: number | null;
  job_technician: string | null;
  quote_number: string | null;
  quote_title: string | null;
  perm_map: number;
}

const CONTEXT_COLUMNS = `d.address, c.name AS contact_name, c.company_id, c.perm_map`;
const NO_JOB = `NULL AS job_number, NULL AS job_title, NULL AS job_address, NULL AS job_status, NULL AS job_start, NULL AS job_technician`;

/**
 * What a claimed row needs to be rendered, read at send time, or undefined when it may no
 * longer be sent: the same rules as at queueing (the contact may still see the job or quote,
 * still wants alerts, the alert still exists and asks for the event, the destination still
 * receives), so no alert reaches someone who lost access meanwhile.
 */
export function sendContext(db: Db, row: ClaimedRow): SendContext | undefined {
  if (row.kind === 'verify') {
    return stmt<[number], SendContext>(
      db,
      `SELECT ${CONTEXT_COLUMNS}, ${NO_JOB}, NULL AS quote_number, NULL AS quote_title FROM alert_destinations d JOIN contacts c ON c.id = d.contact_id
        WHERE d.id = ? AND d.opted_out_at IS NULL AND c.disabled = 0`,
    ).get(row.destination_id);
  }
  if (row.kind === 'test') {
    return stmt<[number], SendContext>(
      db,
      `SELECT ${CONTEXT_COLUMNS}, ${NO_JOB}, NULL AS quote_number, NULL AS quote_title FROM alert_destinations d JOIN contacts c ON c.id = d.contact_id
         JOIN providers p ON p.id = c.provider_id
        WHERE d.id = ? AND d.verified_at IS NOT NULL AND d.opted_out_at IS NULL AND c.disabled = 0 AND c.perm_alerts = 1 AND ${ALERTS_ON}`,
    ).get(row.destination_id);
  }
  const event = `'${row.event.replace(/[^a-z_]/g, '')}'`;
  if (row.quote_id !== null) {
    return stmt<[number, number, number], SendContext>(
      db,
      `SELECT ${CONTEXT_COLUMNS}, ${NO_JOB}, q.number AS quote_number, q.title AS quote_title
         FROM alert_subscriptions s JOIN quotes q ON q.id = ? AND q.provider_id = s.provider_id AND q.company_id = s.company_id
         ${FANOUT}
        WHERE s.id = ? AND d.id = ? AND s.paused = 0 AND ${wants(event)} AND ${MAY_SEE_QUOTE} AND ${ALERTS_ON} AND ${deliverable(event)}`,
    ).get(row.quote_id, row.subscription_id ?? 0, row.destination_id);
  }
  return stmt<[number, number, number], SendContext>(
    db,
    `SELECT ${CONTEXT_COLUMNS}, j.number AS job_number, j.title AS job_title, j.address AS job_address, j.status AS job_status,
            j.scheduled_start AS job_start, j.technician AS job_technician, NULL AS quote_number, NULL AS quote_title
       FROM alert_subscriptions s JOIN jobs j ON j.id = ? AND j.provider_id = s.provider_id AND j.company_id = s.company_id AND (s.job_id IS NULL OR s.job_id = j.id)
       ${FANOUT}
      WHERE s.id = ? AND d.id = ? AND s.paused = 0 AND ${wants(event)} AND ${MAY_SEE_JOB} AND ${ALERTS_ON} AND ${deliverable(event)}`,
  ).get(row.job_id ?? 0, row.subscription_id ?? 0, row.destination_id);
}
