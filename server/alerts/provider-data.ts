/** The provider's side of alerts: what it offers, and its alerts outbox (dead letters included). */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { type Db, stmt, nowSeconds } from '../db/index.js';
import { ApiError } from '../http/errors.js';
import { iso } from '../db/paging.js';
import type { MailboxEntry } from '../mail/schemas.js';
import { ALERT_CHANNELS, ALERT_EVENTS, type AlertSettingsValue, type OutboxItemView, type ProviderAlertSettingsUpdate } from './schemas.js';

export const DEFAULT_ALERT_SETTINGS: AlertSettingsValue = {
  events: [...ALERT_EVENTS],
  channels: [...ALERT_CHANNELS],
  reminderHours: { min: 1, max: 48 },
  timeZone: 'UTC',
  quietHours: null,
};
/** The defaults as the queueing SQL reads them when a provider has no settings row. */
export const DEFAULT_EVENTS_JSON = JSON.stringify(DEFAULT_ALERT_SETTINGS.events);
export const DEFAULT_CHANNELS_JSON = JSON.stringify(DEFAULT_ALERT_SETTINGS.channels);

interface SettingsRow {
  events: string;
  channels: string;
  reminder_min_hours: number;
  reminder_max_hours: number;
  time_zone: string;
  quiet_start: string | null;
  quiet_end: string | null;
}

export function alertSettings(db: Db, providerId: number): AlertSettingsValue {
  const r = stmt<[number], SettingsRow>(db, 'SELECT * FROM alert_provider_settings WHERE provider_id = ?').get(providerId);
  if (!r) return DEFAULT_ALERT_SETTINGS;
  return {
    events: JSON.parse(r.events),
    channels: JSON.parse(r.channels),
    reminderHours: { min: r.reminder_min_hours, max: r.reminder_max_hours },
    timeZone: r.time_zone,
    quietHours: r.quiet_start && r.quiet_end ? { start: r.quiet_start, end: r.quiet_end } : null,
  };
}

/** Creates the row with the defaults (and a signing secret) when the provider has none yet. */
function ensureRow(db: Db, providerId: number): void {
  const d = DEFAULT_ALERT_SETTINGS;
  stmt(
    db,
    `INSERT INTO alert_provider_settings (provider_id, events, channels, reminder_min_hours, reminder_max_hours, time_zone, signing_secret, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (provider_id) DO NOTHING`,
  ).run(providerId, DEFAULT_EVENTS_JSON, DEFAULT_CHANNELS_JSON, d.reminderHours.min, d.reminderHours.max, d.timeZone, randomBytes(32).toString('base64url'), nowSeconds());
}

export function updateAlertSettings(db: Db, providerId: number, b: z.output<typeof ProviderAlertSettingsUpdate>): AlertSettingsValue {
  return db.transaction(() => {
    ensureRow(db, providerId);
    const next = { ...alertSettings(db, providerId), ...b };
    stmt(
      db,
      `UPDATE alert_provider_settings SET events = ?, channels = ?, reminder_min_hours = ?, reminder_max_hours = ?, time_zone = ?,
         quiet_start = ?, quiet_end = ?, updated_at = ? WHERE provider_id = ?`,
    ).run(
      JSON.stringify(next.events),
      JSON.stringify(next.channels),
      next.reminderHours.min,
      next.reminderHours.max,
      next.timeZone,
      next.quietHours?.start ?? null,
      next.quietHours?.end ?? null,
      nowSeconds(),
      providerId,
    );
    return alertSettings(db, providerId);
  })();
}

/** The provider's key for signing unsubscribe links (made on first use, shared by every process). */
export function signingSecret(db: Db, providerId: number): string {
  const read = () => stmt<[number], string>(db, 'SELECT signing_secret FROM alert_provider_settings WHERE provider_id = ?').pluck().get(providerId);
  const secret = read();
  if (secret) return secret;
  ensureRow(db, providerId);
  return read()!;
}

// The outbox, as the provider API and the admin CLI show it --------------------------------------

interface OutboxRow {
  id: number;
  kind: OutboxItemView['kind'];
  event: string;
  channel: OutboxItemView['channel'];
  status: OutboxItemView['status'];
  attempts: number;
  contact_id: number;
  job_id: number | null;
  quote_id: number | null;
  last_error: string | null;
  due_at: number;
  sent_at: number | null;
  created_at: number;
}

const OUTBOX_COLUMNS = 'id, kind, event, channel, status, attempts, contact_id, job_id, quote_id, last_error, due_at, sent_at, created_at';

const outboxItem = (r: OutboxRow): OutboxItemView => ({
  id: r.id,
  kind: r.kind,
  event: r.event,
  channel: r.channel,
  status: r.status,
  attempts: r.attempts,
  contactId: r.contact_id,
  jobId: r.job_id,
  quoteId: r.quote_id,
  lastError: r.last_error,
  dueAt: iso(r.due_at)!,
  sentAt: iso(r.sent_at),
  createdAt: iso(r.created_at)!,
});

/** Newest first; `providerId` null lists every provider's (the admin CLI without --provider). */
export function listAlertOutbox(db: Db, providerId: number | null, status: string | undefined, limit: number): OutboxItemView[] {
  return stmt<(number | string | null)[], OutboxRow>(
    db,
    `SELECT ${OUTBOX_COLUMNS} FROM alert_outbox WHERE (? IS NULL OR provider_id = ?) AND (? IS NULL OR status = ?) ORDER BY id DESC LIMIT ?`,
  )
    .all(providerId, providerId, status ?? null, status ?? null, limit)
    .map(outboxItem);
}

/**
 * Sends dead letters again: a failed row goes back to pending, due now, attempts reset. Only
 * failed rows qualify: a sent alert is never sent again. One by id (404 when not the provider's,
 * 409 when not failed), or all of the provider's failed ones.
 */
export function retryAlertOutbox(db: Db, providerId: number, target: { id: number } | { allFailed: true }): OutboxItemView[] {
  return db.transaction(() => {
    if ('id' in target) {
      const r = stmt<[number, number], { status: string; kind: string }>(db, 'SELECT status, kind FROM alert_outbox WHERE provider_id = ? AND id = ?').get(providerId, target.id);
      if (!r) throw new ApiError(404, 'not_found', 'No such alert.');
      // A code or link that failed is not kept: the contact asks for a new one.
      if (r.kind === 'verify') throw new ApiError(409, 'alert_verification', 'This was a confirmation code or link; the contact can ask for a new one.');
      if (r.status !== 'failed') throw new ApiError(409, `alert_${r.status}`, `This alert is ${r.status}; only failed alerts are sent again.`);
    }
    const id = 'id' in target ? target.id : null;
    return stmt<(number | null)[], OutboxRow>(
      db,
      `UPDATE alert_outbox SET status = 'pending', attempts = 0, due_at = ?, claim_token = NULL
        WHERE provider_id = ? AND status = 'failed' AND kind <> 'verify' AND (? IS NULL OR id = ?) RETURNING ${OUTBOX_COLUMNS}`,
    )
      .all(nowSeconds(), providerId, id, id)
      .map(outboxItem);
  }).immediate();
}

/** SMS kept locally (no gateway), newest first, for the demo mailbox. */
export function keptSms(db: Db, limit: number): MailboxEntry[] {
  return stmt<[number], { id: number; slug: string; recipient: string; subject: string; kind: string; body: string; created_at: number }>(
    db,
    `SELECT o.id, p.slug, o.recipient, o.subject, o.kind, o.body, o.created_at FROM alert_outbox o JOIN providers p ON p.id = o.provider_id
      WHERE o.status = 'kept' AND o.channel = 'sms' ORDER BY o.id DESC LIMIT ?`,
  )
    .all(limit)
    .map((r) => ({ id: r.id, channel: 'sms', provider: r.slug, to: r.recipient, subject: r.subject, kind: `alert ${r.kind}`, text: r.body, status: 'kept', createdAt: iso(r.created_at)! }));
}
