/**
 * The customer's side of alerts: their destinations (addresses and phones, with confirmation),
 * their subscriptions, and the links that work without a login (confirm, unsubscribe, STOP).
 * Every query is scoped by the viewer's provider and contact.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { type Db, stmt, nowSeconds } from '../db/index.js';
import type { Provider } from '../providers/data.js';
import { iso } from '../db/paging.js';
import { ApiError } from '../http/errors.js';
import { forbidden, notFound, recordScope, type Viewer } from '../permissions.js';
import { dropPendingOfSubscription, queueDirect, scheduleDestinationReminders, scheduleSubscriptionReminders } from './outbox.js';
import { alertSettings } from './provider-data.js';
import type { AlertsOverviewView, DestinationCreate, DestinationView, SubscriptionCreate, SubscriptionUpdate, SubscriptionView } from './schemas.js';

export const CODE_TTL_SECONDS = 10 * 60;
export const LINK_TTL_SECONDS = 3 * 24 * 3600;
export const RESEND_COOLDOWN_SECONDS = 60;
export const SENDS_PER_HOUR = 5;
export const MAX_CODE_CHECKS = 5;
const MAX_DESTINATIONS = 10;
const MAX_SUBSCRIPTIONS = 50;

const hash = (s: string): string => createHash('sha256').update(s).digest('hex');
const sameHash = (a: string, b: string): boolean => timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Alerts are on for the provider and for this contact; otherwise 403. */
export function requireAlerts(provider: Provider, viewer: Viewer): void {
  if (!provider.features.alerts || !viewer.permissions.alerts) throw forbidden('use alerts');
}

interface DestinationRow {
  id: number;
  channel: 'email' | 'sms';
  address: string;
  is_login: number;
  verified_at: number | null;
  secret_hash: string | null;
  secret_expires_at: number | null;
  failed_checks: number;
  sends_in_window: number;
  window_started_at: number | null;
  last_sent_at: number | null;
  opted_out_at: number | null;
}

const destinationView = (r: DestinationRow): DestinationView => ({
  id: r.id,
  channel: r.channel,
  address: r.address,
  login: r.is_login === 1,
  status: r.opted_out_at !== null ? 'opted_out' : r.verified_at !== null ? 'verified' : 'pending',
  resendAt: r.verified_at === null && r.last_sent_at !== null ? iso(r.last_sent_at + RESEND_COOLDOWN_SECONDS) : null,
});

interface SubscriptionRow {
  id: number;
  job_id: number | null;
  job_number: string | null;
  events: string;
  destination_ids: string;
  reminder_hours: number | null;
  paused: number;
  created_at: number;
  updated_at: number;
}

const subscriptionView = (r: SubscriptionRow): SubscriptionView => ({
  id: r.id,
  jobId: r.job_id,
  jobNumber: r.job_number,
  events: JSON.parse(r.events),
  destinationIds: (JSON.parse(r.destination_ids) as (number | null)[]).filter((d): d is number => d !== null).sort((a, b) => a - b),
  reminderHours: r.reminder_hours,
  paused: r.paused === 1,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
});

const SUBSCRIPTIONS = `SELECT s.id, s.job_id, j.number AS job_number, s.events, s.reminder_hours, s.paused, s.created_at, s.updated_at,
    (SELECT json_group_array(sd.destination_id) FROM alert_subscription_destinations sd WHERE sd.subscription_id = s.id) AS destination_ids
  FROM alert_subscriptions s LEFT JOIN jobs j ON j.id = s.job_id
 WHERE s.provider_id = ? AND s.contact_id = ?`;

function destinations(db: Db, viewer: Viewer): DestinationRow[] {
  return stmt<[number, number], DestinationRow>(db, 'SELECT * FROM alert_destinations WHERE provider_id = ? AND contact_id = ? ORDER BY id').all(viewer.providerId, viewer.contactId);
}

function destination(db: Db, viewer: Viewer, id: number): DestinationRow {
  const r = stmt<[number, number, number], DestinationRow>(db, 'SELECT * FROM alert_destinations WHERE provider_id = ? AND contact_id = ? AND id = ?').get(viewer.providerId, viewer.contactId, id);
  if (!r) throw notFound('destination');
  return r;
}

/** The login email is a destination from the start: logging in proved the contact reads it. */
function ensureLoginDestination(db: Db, viewer: Viewer): void {
  stmt(
    db,
    `INSERT INTO alert_destinations (provider_id, company_id, contact_id, channel, address, is_login, verified_at, created_at)
     SELECT provider_id, company_id, id, 'email', lower(email), 1, ?, ? FROM contacts WHERE provider_id = ? AND id = ?
     ON CONFLICT (contact_id, channel, address) DO NOTHING`,
  ).run(nowSeconds(), nowSeconds(), viewer.providerId, viewer.contactId);
}

export function alertsOverview(db: Db, provider: Provider, viewer: Viewer): AlertsOverviewView {
  requireAlerts(provider, viewer);
  ensureLoginDestination(db, viewer);
  return {
    offer: alertSettings(db, provider.id),
    destinations: destinations(db, viewer).map(destinationView),
    subscriptions: stmt<[number, number], SubscriptionRow>(db, `${SUBSCRIPTIONS} ORDER BY s.id`).all(viewer.providerId, viewer.contactId).map(subscriptionView),
  };
}

// Destinations ------------------------------------------------------------------------------------

/** A new confirmation secret for a destination: a link token for email, a 6-digit code for SMS. Queues its message. */
function sendSecret(db: Db, viewer: Viewer, d: Pick<DestinationRow, 'id' | 'channel'>, now: number): void {
  const secret = d.channel === 'sms' ? String(randomInt(0, 1_000_000)).padStart(6, '0') : `${d.id}.${randomBytes(24).toString('base64url')}`;
  const ttl = d.channel === 'sms' ? CODE_TTL_SECONDS : LINK_TTL_SECONDS;
  stmt(
    db,
    `UPDATE alert_destinations SET secret_hash = ?, secret_expires_at = ?, failed_checks = 0, last_sent_at = ?,
       sends_in_window = CASE WHEN window_started_at IS NULL OR window_started_at <= ? THEN 1 ELSE sends_in_window + 1 END,
       window_started_at = CASE WHEN window_started_at IS NULL OR window_started_at <= ? THEN ? ELSE window_started_at END
     WHERE id = ?`,
  ).run(hash(secret), now + ttl, now, now - 3600, now - 3600, now, d.id);
  queueDirect(db, { providerId: viewer.providerId, companyId: viewer.companyId, contactId: viewer.contactId, destinationId: d.id, channel: d.channel, kind: 'verify', event: `verify_${d.channel}`, body: secret }, now);
}

export function addDestination(db: Db, provider: Provider, viewer: Viewer, b: z.output<typeof DestinationCreate>): DestinationView {
  requireAlerts(provider, viewer);
  if (!alertSettings(db, provider.id).channels.includes(b.channel)) {
    throw new ApiError(400, 'validation_failed', `${provider.name} does not offer alerts by ${b.channel}.`, { channel: 'is not offered' });
  }
  const address = b.channel === 'email' ? b.address.toLowerCase() : b.address;
  const now = nowSeconds();
  return db.transaction(() => {
    ensureLoginDestination(db, viewer);
    const mine = destinations(db, viewer);
    if (mine.some((d) => d.channel === b.channel && d.address === address)) {
      throw new ApiError(409, 'destination_exists', 'You already have this address.', { address: 'is already added' });
    }
    if (mine.length >= MAX_DESTINATIONS) throw new ApiError(409, 'too_many_destinations', `You can have at most ${MAX_DESTINATIONS} addresses and phones.`);
    const id = Number(
      // A number that sent STOP stays stopped, whoever adds it again.
      stmt(
        db,
        `INSERT INTO alert_destinations (provider_id, company_id, contact_id, channel, address, created_at, opted_out_at)
         VALUES (?, ?, ?, ?, ?, ?, (SELECT max(opted_out_at) FROM alert_destinations WHERE channel = 'sms' AND ? = 'sms' AND address = ?))`,
      ).run(viewer.providerId, viewer.companyId, viewer.contactId, b.channel, address, now, b.channel, address).lastInsertRowid,
    );
    sendSecret(db, viewer, { id, channel: b.channel }, now);
    return destinationView(destination(db, viewer, id));
  })();
}

/** Another code or link: not within the cooldown, and at most SENDS_PER_HOUR an hour (429 with Retry-After). */
export function resendVerification(db: Db, provider: Provider, viewer: Viewer, id: number): DestinationView {
  requireAlerts(provider, viewer);
  const now = nowSeconds();
  return db.transaction(() => {
    const d = destination(db, viewer, id);
    if (d.verified_at !== null) throw new ApiError(409, 'already_verified', 'This address is already confirmed.');
    const cooldown = d.last_sent_at === null ? 0 : d.last_sent_at + RESEND_COOLDOWN_SECONDS - now;
    const windowOpen = d.window_started_at !== null && d.window_started_at > now - 3600;
    const hourly = windowOpen && d.sends_in_window >= SENDS_PER_HOUR ? d.window_started_at! + 3600 - now : 0;
    const wait = Math.max(cooldown, hourly);
    if (wait > 0) {
      throw new ApiError(429, 'rate_limited', `Please wait ${wait} seconds before asking for another ${d.channel === 'sms' ? 'code' : 'link'}.`, undefined, { 'Retry-After': String(wait) });
    }
    sendSecret(db, viewer, d, now);
    return destinationView(destination(db, viewer, id));
  }).immediate();
}

/** Checks a phone's code: expired (410), too many wrong tries (429: ask for a new code), wrong (400). */
export function verifyPhone(db: Db, provider: Provider, viewer: Viewer, id: number, code: string): DestinationView {
  requireAlerts(provider, viewer);
  const now = nowSeconds();
  // A wrong code is counted, so the check commits before the answer is an error.
  const result = db.transaction((): 'ok' | 'wrong' => {
    const d = destination(db, viewer, id);
    if (d.channel !== 'sms') throw new ApiError(409, 'not_a_phone', 'Email addresses are confirmed with the link we sent.');
    if (d.verified_at !== null) throw new ApiError(409, 'already_verified', 'This phone is already verified.');
    if (!d.secret_hash || d.secret_expires_at === null || d.secret_expires_at <= now) throw new ApiError(410, 'code_expired', 'This code has expired. Ask for a new one.');
    if (d.failed_checks >= MAX_CODE_CHECKS) throw new ApiError(429, 'too_many_attempts', 'Too many wrong codes. Ask for a new one.');
    if (!sameHash(hash(code), d.secret_hash)) {
      stmt(db, 'UPDATE alert_destinations SET failed_checks = failed_checks + 1 WHERE id = ?').run(id);
      return 'wrong';
    }
    stmt(db, 'UPDATE alert_destinations SET verified_at = ?, secret_hash = NULL, secret_expires_at = NULL, failed_checks = 0 WHERE id = ?').run(now, id);
    scheduleDestinationReminders(db, viewer.providerId, id, now);
    return 'ok';
  }).immediate();
  if (result === 'wrong') throw new ApiError(400, 'wrong_code', 'That code is not right.', { code: 'is not the code we sent' });
  return destinationView(destination(db, viewer, id));
}

export function removeDestination(db: Db, provider: Provider, viewer: Viewer, id: number): void {
  requireAlerts(provider, viewer);
  const d = destination(db, viewer, id);
  if (d.is_login) throw new ApiError(409, 'login_address', 'Your login email cannot be removed; take it off your alerts instead.');
  stmt(db, 'DELETE FROM alert_destinations WHERE id = ? AND contact_id = ?').run(id, viewer.contactId);
}

/** An email address comes back after an unsubscribe when the contact turns it on again. */
export function resumeDestination(db: Db, provider: Provider, viewer: Viewer, id: number): DestinationView {
  requireAlerts(provider, viewer);
  const d = destination(db, viewer, id);
  if (d.channel === 'sms' && d.opted_out_at !== null) throw new ApiError(409, 'sms_stopped', 'You sent STOP from this phone: send START to it to receive SMS again.');
  db.transaction(() => {
    stmt(db, 'UPDATE alert_destinations SET opted_out_at = NULL WHERE id = ?').run(id);
    scheduleDestinationReminders(db, viewer.providerId, id);
  })();
  return destinationView(destination(db, viewer, id));
}

/** Confirms an extra email address from its link (no login). False when the link is unknown, used or expired. */
export function confirmEmail(db: Db, providerId: number, token: string): boolean {
  const m = /^([1-9]\d{0,15})\.[A-Za-z0-9_-]{32}$/.exec(token);
  if (!m) return false;
  const d = stmt<[number, number], DestinationRow>(db, "SELECT * FROM alert_destinations WHERE provider_id = ? AND id = ? AND channel = 'email'").get(providerId, Number(m[1]));
  if (!d || !d.secret_hash || d.secret_expires_at === null || d.secret_expires_at <= nowSeconds() || !sameHash(hash(token), d.secret_hash)) return false;
  db.transaction(() => {
    stmt(db, 'UPDATE alert_destinations SET verified_at = ?, secret_hash = NULL, secret_expires_at = NULL WHERE id = ?').run(nowSeconds(), d.id);
    scheduleDestinationReminders(db, providerId, d.id);
  })();
  return true;
}

/** The one-click unsubscribe: that address gets no more alert emails. */
export function optOutDestination(db: Db, providerId: number, destinationId: number): boolean {
  return stmt(db, 'UPDATE alert_destinations SET opted_out_at = coalesce(opted_out_at, ?) WHERE provider_id = ? AND id = ?').run(nowSeconds(), providerId, destinationId).changes === 1;
}

/** STOP (or START) from a phone: every provider's alerts to that number stop (or may resume). */
export function setPhoneStopped(db: Db, phone: string, stopped: boolean): number {
  return stopped
    ? stmt(db, "UPDATE alert_destinations SET opted_out_at = coalesce(opted_out_at, ?) WHERE channel = 'sms' AND address = ?").run(nowSeconds(), phone).changes
    : stmt(db, "UPDATE alert_destinations SET opted_out_at = NULL WHERE channel = 'sms' AND address = ?").run(phone).changes;
}

// Subscriptions -----------------------------------------------------------------------------------

function subscription(db: Db, viewer: Viewer, id: number): SubscriptionView {
  const r = stmt<[number, number, number], SubscriptionRow>(db, `${SUBSCRIPTIONS} AND s.id = ?`).get(viewer.providerId, viewer.contactId, id);
  if (!r) throw notFound('alert');
  return subscriptionView(r);
}

/** The rules a subscription must keep, on create and on every edit (the merged result). */
function check(db: Db, provider: Provider, viewer: Viewer, s: { jobId: number | null; events: string[]; destinationIds: number[]; reminderHours: number | null }): void {
  const offer = alertSettings(db, provider.id);
  const fields: Record<string, string> = {};
  const notOffered = s.events.filter((e) => !offer.events.includes(e as never));
  if (notOffered.length) fields.events = `not offered: ${notOffered.join(', ')}`;
  if (s.events.includes('start_reminder')) {
    const { min, max } = offer.reminderHours;
    if (s.reminderHours === null) fields.reminderHours = 'is required for a start reminder';
    else if (s.reminderHours < min || s.reminderHours > max) fields.reminderHours = `must be from ${min} to ${max} hours`;
  }
  if (s.jobId !== null && s.events.includes('quote_ready')) fields.events = 'quote alerts cannot be limited to one job';
  const mine = new Map(destinations(db, viewer).map((d) => [d.id, d]));
  const unknown = s.destinationIds.filter((id) => !mine.has(id));
  if (unknown.length) fields.destinationIds = `unknown: ${unknown.join(', ')}`;
  else if (s.destinationIds.some((id) => !offer.channels.includes(mine.get(id)!.channel))) fields.destinationIds = 'includes a channel that is not offered';
  if (Object.keys(fields).length) throw new ApiError(400, 'validation_failed', `Invalid alert: ${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; ')}`, fields);
  const needsJobs = s.jobId !== null || s.events.some((e) => e !== 'quote_ready');
  if (needsJobs && viewer.permissions.jobs === 'none') throw forbidden('see jobs');
  if (s.events.includes('quote_ready') && viewer.permissions.quotes === 'none') throw forbidden('see quotes');
  if (s.jobId !== null) {
    const scope = recordScope(viewer, viewer.permissions.jobs, 'jobs');
    if (!stmt<unknown[], number>(db, `SELECT 1 FROM jobs r WHERE ${scope.sql} AND r.id = ?`).pluck().get(...scope.params, s.jobId)) throw notFound('job');
  }
}

function setDestinations(db: Db, subscriptionId: number, ids: number[]): void {
  stmt(db, 'DELETE FROM alert_subscription_destinations WHERE subscription_id = ?').run(subscriptionId);
  stmt(db, 'INSERT INTO alert_subscription_destinations (subscription_id, destination_id) SELECT ?, value FROM json_each(?)').run(subscriptionId, JSON.stringify(ids));
}

export function createSubscription(db: Db, provider: Provider, viewer: Viewer, b: z.output<typeof SubscriptionCreate>): SubscriptionView {
  requireAlerts(provider, viewer);
  return db.transaction(() => {
    ensureLoginDestination(db, viewer);
    check(db, provider, viewer, b);
    const count = stmt<[number, number], number>(db, 'SELECT count(*) FROM alert_subscriptions WHERE provider_id = ? AND contact_id = ?').pluck().get(viewer.providerId, viewer.contactId)!;
    if (count >= MAX_SUBSCRIPTIONS) throw new ApiError(409, 'too_many_alerts', `You can have at most ${MAX_SUBSCRIPTIONS} alerts.`);
    const now = nowSeconds();
    const id = Number(
      stmt(db, 'INSERT INTO alert_subscriptions (provider_id, company_id, contact_id, job_id, events, reminder_hours, paused, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
        viewer.providerId,
        viewer.companyId,
        viewer.contactId,
        b.jobId,
        JSON.stringify(b.events),
        b.events.includes('start_reminder') ? b.reminderHours : null,
        b.paused ? 1 : 0,
        now,
        now,
      ).lastInsertRowid,
    );
    setDestinations(db, id, b.destinationIds);
    scheduleSubscriptionReminders(db, viewer.providerId, id, now);
    return subscription(db, viewer, id);
  }).immediate();
}

export function updateSubscription(db: Db, provider: Provider, viewer: Viewer, id: number, b: z.output<typeof SubscriptionUpdate>): SubscriptionView {
  requireAlerts(provider, viewer);
  return db.transaction(() => {
    const current = subscription(db, viewer, id);
    const next = {
      jobId: current.jobId,
      events: b.events ?? current.events,
      destinationIds: b.destinationIds ?? current.destinationIds,
      reminderHours: b.reminderHours !== undefined ? b.reminderHours : current.reminderHours,
      paused: b.paused ?? current.paused,
    };
    check(db, provider, viewer, next);
    stmt(db, 'UPDATE alert_subscriptions SET events = ?, reminder_hours = ?, paused = ?, updated_at = ? WHERE id = ? AND contact_id = ?').run(
      JSON.stringify(next.events),
      next.events.includes('start_reminder') ? next.reminderHours : null,
      next.paused ? 1 : 0,
      nowSeconds(),
      id,
      viewer.contactId,
    );
    if (b.destinationIds) setDestinations(db, id, next.destinationIds);
    if (next.paused) dropPendingOfSubscription(db, id);
    scheduleSubscriptionReminders(db, viewer.providerId, id);
    return subscription(db, viewer, id);
  }).immediate();
}

export function deleteSubscription(db: Db, provider: Provider, viewer: Viewer, id: number): void {
  requireAlerts(provider, viewer);
  db.transaction(() => {
    subscription(db, viewer, id);
    dropPendingOfSubscription(db, id);
    stmt(db, 'DELETE FROM alert_subscriptions WHERE id = ? AND contact_id = ?').run(id, viewer.contactId);
  })();
}

/** "Send me a test": to one confirmed destination, at most 5 an hour. */
export function queueTest(db: Db, provider: Provider, viewer: Viewer, destinationId: number): void {
  requireAlerts(provider, viewer);
  const d = destination(db, viewer, destinationId);
  if (d.verified_at === null || d.opted_out_at !== null) throw new ApiError(409, 'destination_not_ready', 'Confirm this address (or turn it back on) first.');
  const recent = stmt<[number, number], number>(db, "SELECT count(*) FROM alert_outbox WHERE destination_id = ? AND kind = 'test' AND created_at > ?").pluck().get(d.id, nowSeconds() - 3600)!;
  if (recent >= SENDS_PER_HOUR) throw new ApiError(429, 'rate_limited', 'You have sent several tests already; try again in an hour.', undefined, { 'Retry-After': '3600' });
  queueDirect(db, { providerId: viewer.providerId, companyId: viewer.companyId, contactId: viewer.contactId, destinationId: d.id, channel: d.channel, kind: 'test', event: 'test' });
}

/** The job a preview is made for: one the viewer may see, or undefined for a made-up example. */
export function previewJob(db: Db, viewer: Viewer, jobId: number) {
  const scope = recordScope(viewer, viewer.permissions.jobs, 'jobs');
  const r = stmt<unknown[], { number: string; title: string; address: string; scheduled_start: number | null; technician: string | null }>(
    db,
    `SELECT r.number, r.title, r.address, r.scheduled_start, r.technician FROM jobs r WHERE ${scope.sql} AND r.id = ?`,
  ).get(...scope.params, jobId);
  if (!r) throw notFound('job');
  return r;
}
