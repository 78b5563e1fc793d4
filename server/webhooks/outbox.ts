/**
 * Webhook events go into the outbox in the same transaction as the change they describe, so a
 * crash can neither lose an event nor announce a change that was rolled back.
 */
import { randomBytes } from 'node:crypto';
import { type Db, stmt, nowSeconds } from '../db/index.js';
import type { WebhookEventType } from '../provider-schemas.js';

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
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export function listDeliveries(db: Db, providerId: number, limit = 50, status?: string): DeliveryInfo[] {
  const iso = (s: number | null) => (s === null ? null : new Date(s * 1000).toISOString());
  return stmt<(number | string | null)[], { id: number; event_id: string; type: string; endpoint_id: number; url: string; status: DeliveryInfo['status']; attempts: number; last_status: number | null; last_error: string | null; next_attempt_at: number; delivered_at: number | null; created_at: number }>(
    db,
    `SELECT d.id, d.event_id, e.type, d.endpoint_id, w.url, d.status, d.attempts, d.last_status, d.last_error, d.next_attempt_at, d.delivered_at, d.created_at
       FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id JOIN webhook_endpoints w ON w.id = d.endpoint_id
      WHERE w.provider_id = ? AND (? IS NULL OR d.status = ?) ORDER BY d.id DESC LIMIT ?`,
  )
    .all(providerId, status ?? null, status ?? null, limit)
    .map((r) => ({
      id: r.id,
      eventId: r.event_id,
      type: r.type,
      endpointId: r.endpoint_id,
      url: r.url,
      status: r.status,
      attempts: r.attempts,
      lastStatus: r.last_status,
      lastError: r.last_error,
      nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
      deliveredAt: iso(r.delivered_at),
      createdAt: iso(r.created_at)!,
    }));
}
