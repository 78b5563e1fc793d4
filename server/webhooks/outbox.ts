/**
 * Webhook events go into the outbox in the same transaction as the change they describe, so a
 * crash can neither lose an event nor announce a change that was rolled back.
 */
import { randomBytes } from 'node:crypto';
import { type Db, stmt, nowSeconds } from '../db/index.js';
import { ApiError } from '../http/errors.js';
import type { WebhookEventType } from './schemas.js';

/** Records the event for every active endpoint of the provider that subscribed to it. Returns its id, or null when none listens. */
export function emitWebhook(db: Db, providerId: number, type: WebhookEventType, data: unknown): string | null {
  const endpoints = stmt<[number], { id: number; events: string }>(
    db,
    'SELECT id, events FROM webhook_endpoints WHERE provider_id = ? AND active = 1',
  )
    .all(providerId)
    .filter((e) => {
      const events = JSON.parse(e.events) as string[];
      return events.includes('*') || events.includes(type);
    });
  if (!endpoints.length) return null;
  const id = `evt_${randomBytes(16).toString('base64url')}`;
  const now = nowSeconds();
  stmt(db, 'INSERT INTO webhook_events (id, provider_id, type, payload, created_at) VALUES (?, ?, ?, ?, ?)').run(
    id,
    providerId,
    type,
    JSON.stringify({ id, type, createdAt: new Date(now * 1000).toISOString(), data }),
    now,
  );
  for (const e of endpoints) {
    stmt(db, 'INSERT INTO webhook_deliveries (event_id, endpoint_id, next_attempt_at, created_at) VALUES (?, ?, ?, ?)').run(id, e.id, now, now);
  }
  return id;
}

export interface EndpointInfo {
  id: number;
  url: string;
  events: string[];
  active: boolean;
  createdAt: string;
}

export function addWebhookEndpoint(db: Db, providerId: number, url: string, events: string[]): { id: number; secret: string } {
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const id = Number(
    stmt(db, 'INSERT INTO webhook_endpoints (provider_id, url, secret, events, created_at) VALUES (?, ?, ?, ?, ?)').run(
      providerId,
      url,
      secret,
      JSON.stringify(events),
      nowSeconds(),
    ).lastInsertRowid,
  );
  return { id, secret };
}

export function listWebhookEndpoints(db: Db, providerId: number): EndpointInfo[] {
  return stmt<[number], { id: number; url: string; events: string; active: number; created_at: number }>(
    db,
    'SELECT id, url, events, active, created_at FROM webhook_endpoints WHERE provider_id = ? ORDER BY id',
  )
    .all(providerId)
    .map((r) => ({ id: r.id, url: r.url, events: JSON.parse(r.events), active: r.active === 1, createdAt: new Date(r.created_at * 1000).toISOString() }));
}

/** Deactivates an endpoint; what was still waiting for it is closed as failed, not left pending. */
export function removeWebhookEndpoint(db: Db, providerId: number, id: number): boolean {
  return db.transaction(() => {
    const removed = stmt(db, 'UPDATE webhook_endpoints SET active = 0 WHERE provider_id = ? AND id = ? AND active = 1').run(providerId, id).changes === 1;
    if (removed) {
      stmt(db, "UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint removed' WHERE endpoint_id = ? AND status = 'pending'").run(id);
    }
    return removed;
  })();
}

export interface DeliveryInfo {
  id: number;
  eventId: string;
  type: string;
  endpointId: number;
  url: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  /** The last attempt's outcome when it was not a 2xx: "HTTP 503", "timed out", "connection refused"…; never the receiver's words. */
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

interface DeliveryRow {
  id: number;
  event_id: string;
  type: string;
  endpoint_id: number;
  url: string;
  active: number;
  status: DeliveryInfo['status'];
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: number;
  delivered_at: number | null;
  created_at: number;
}

/** The provider's deliveries; callers add their conditions after `WHERE w.provider_id = ?`. */
const DELIVERIES = `SELECT d.id, d.event_id, e.type, d.endpoint_id, w.url, w.active, d.status, d.attempts, d.last_status, d.last_error, d.next_attempt_at, d.delivered_at, d.created_at
  FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id JOIN webhook_endpoints w ON w.id = d.endpoint_id
 WHERE w.provider_id = ?`;

const iso = (s: number | null) => (s === null ? null : new Date(s * 1000).toISOString());

function deliveryInfo(r: DeliveryRow): DeliveryInfo {
  return {
    id: r.id,
    eventId: r.event_id,
    type: r.type,
    endpointId: r.endpoint_id,
    url: r.url,
    status: r.status,
    attempts: r.attempts,
    lastStatus: r.last_status,
    // Rows from before the receiver's answer was dropped may still hold some of it.
    lastError: r.last_error?.replace(/^(HTTP \d+):[\s\S]*$/, '$1') ?? null,
    nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
    deliveredAt: iso(r.delivered_at),
    createdAt: iso(r.created_at)!,
  };
}

export function listDeliveries(db: Db, providerId: number, limit = 50, status?: string): DeliveryInfo[] {
  return stmt<(number | string | null)[], DeliveryRow>(db, `${DELIVERIES} AND (? IS NULL OR d.status = ?) ORDER BY d.id DESC LIMIT ?`)
    .all(providerId, status ?? null, status ?? null, limit)
    .map(deliveryInfo);
}

/** Which deliveries to send again: one by id, or every failed one (of one endpoint). */
export type RetryTarget = { id: number } | { allFailed: true; endpointId?: number };

/**
 * Sends failed deliveries again: each goes back to pending with its attempts reset and due now,
 * so the running deliverer picks it up; last_status and last_error stay until that attempt
 * overwrites them. Only a failed delivery to an endpoint still active qualifies: an
 * acknowledged event is never sent again. One delivery asked for by id, or the endpoint asked
 * for, is refused with 404 when it is not the provider's (whether or not it exists) and 409 when
 * it cannot be sent; "all failed" skips those of removed endpoints. Returns what was queued
 * again, as listDeliveries shows it.
 */
export function retryDeliveries(db: Db, providerId: number, target: RetryTarget): DeliveryInfo[] {
  // Immediate: the checks and the update see the same rows even with a server writing alongside.
  return db.transaction(() => {
    if ('id' in target) {
      const d = stmt<[number, number], DeliveryRow>(db, `${DELIVERIES} AND d.id = ?`).get(providerId, target.id);
      if (!d) throw new ApiError(404, 'not_found', 'No such delivery.');
      if (d.status === 'delivered') throw new ApiError(409, 'delivery_delivered', 'This delivery was acknowledged by its endpoint; an event is never sent twice.');
      if (d.status === 'pending') throw new ApiError(409, 'delivery_pending', 'This delivery is already pending: it is sent on its next attempt.');
      if (!d.active) throw new ApiError(409, 'endpoint_removed', 'The endpoint of this delivery was removed; nothing is sent to it.');
    } else if (target.endpointId !== undefined) {
      const e = stmt<[number, number], { active: number }>(db, 'SELECT active FROM webhook_endpoints WHERE provider_id = ? AND id = ?').get(providerId, target.endpointId);
      if (!e) throw new ApiError(404, 'not_found', 'No such endpoint.');
      if (!e.active) throw new ApiError(409, 'endpoint_removed', 'This endpoint was removed; nothing is sent to it.');
    }
    const id = 'id' in target ? target.id : null;
    const endpointId = 'id' in target ? null : (target.endpointId ?? null);
    const ids = stmt<(number | null)[], number>(
      db,
      `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?
        WHERE status = 'failed' AND (? IS NULL OR id = ?)
          AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE provider_id = ? AND active = 1 AND (? IS NULL OR id = ?))
        RETURNING id`,
    )
      .pluck()
      .all(nowSeconds(), id, id, providerId, endpointId, endpointId);
    if (!ids.length) return [];
    return stmt<[number, string], DeliveryRow>(db, `${DELIVERIES} AND d.id IN (SELECT value FROM json_each(?)) ORDER BY d.id`)
      .all(providerId, JSON.stringify(ids))
      .map(deliveryInfo);
  }).immediate();
}
