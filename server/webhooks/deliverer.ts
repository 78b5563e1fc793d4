/**
 * Drains the webhook outbox: POSTs each event to its endpoint, signed, with retries and
 * exponential backoff. State lives in the database, so a restart resumes where it stopped; a
 * delivery acknowledged with a 2xx is never sent again.
 *
 * Fair across endpoints (issue 15: one never-answering receiver delayed every provider's
 * webhooks): each endpoint has at most one delivery in flight, in order, and at most
 * `concurrency` endpoints are served at once; an endpoint gives up its turn after a batch, so
 * a long queue at one cannot keep the others waiting. A stuck receiver holds only its own turn.
 *
 * Signature: `Portal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * Receivers recompute it over the raw body and reject timestamps older than a few minutes.
 */
import { createHmac } from 'node:crypto';
import { type Db, stmt, nowSeconds } from '../db/index.js';
import { postWebhook } from './post.js';
import type { TargetPolicy } from './target.js';

export const MAX_ATTEMPTS = 10;
export const backoffSeconds = (attempt: number): number => Math.min(6 * 3600, 10 * 2 ** (attempt - 1));

export function sign(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

interface Due {
  id: number;
  event_id: string;
  type: string;
  payload: string;
  url: string;
  secret: string;
  attempts: number;
}

export interface DelivererOptions {
  log: (line: string) => void;
  timeoutMs?: number;
  /** Endpoints served at once (each with one delivery in flight). */
  concurrency?: number;
  /** Private networks and loopback allowed as targets (settings.webhookPrivateTargets). */
  allowPrivate?: boolean;
  now?: () => number;
}

/** Deliveries one endpoint sends in a turn before the others get theirs. */
const TURN = 20;

export class WebhookDeliverer {
  /** Endpoint id → its running turn, resolving with how many it delivered. */
  private readonly turns = new Map<number, Promise<number>>();
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    private readonly db: Db,
    private readonly options: DelivererOptions,
  ) {}

  private get policy(): TargetPolicy {
    return { allowPrivate: this.options.allowPrivate ?? false };
  }

  /**
   * Delivers everything due now, endpoint by endpoint in parallel; resolves with how many were
   * acknowledged, once every turn started meanwhile has ended. Never throws.
   */
  async flush(): Promise<number> {
    let delivered = 0;
    for (;;) {
      this.schedule();
      if (!this.turns.size) return delivered;
      delivered += (await Promise.all([...this.turns.values()])).reduce((a, b) => a + b, 0);
    }
  }

  start(intervalMs = 2_000): void {
    this.stopping = false;
    this.timer ??= setInterval(() => this.schedule(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all([...this.turns.values()]);
    this.stopping = false;
  }

  private now(): number {
    return this.options.now?.() ?? nowSeconds();
  }

  /** Starts a turn for each endpoint with due work that has none running, oldest waiting first, while slots are free. */
  private schedule(): void {
    if (this.stopping) return;
    const free = (this.options.concurrency ?? 8) - this.turns.size;
    if (free <= 0) return;
    try {
      const busy = JSON.stringify([...this.turns.keys()]);
      const endpoints = stmt<[number, string, number], number>(
        this.db,
        `SELECT d.endpoint_id FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
          WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND w.active = 1
            AND d.endpoint_id NOT IN (SELECT value FROM json_each(?))
          GROUP BY d.endpoint_id ORDER BY min(d.id) LIMIT ?`,
      )
        .pluck()
        .all(this.now(), busy, free);
      for (const id of endpoints) {
        const turn = this.turn(id).finally(() => {
          this.turns.delete(id);
          // A slot came free: whoever waits for one goes next (flush() runs its own rounds).
          if (this.timer && !this.stopping) setImmediate(() => this.schedule());
        });
        this.turns.set(id, turn);
      }
    } catch (error) {
      this.options.log(`webhooks: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Up to TURN due deliveries of one endpoint, one after another, in order. */
  private async turn(endpointId: number): Promise<number> {
    let delivered = 0;
    try {
      for (let i = 0; i < TURN && !this.stopping; i++) {
        const d = stmt<[number, number], Due>(
          this.db,
          `SELECT d.id, d.event_id, e.type, e.payload, w.url, w.secret, d.attempts
             FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id JOIN webhook_endpoints w ON w.id = d.endpoint_id
            WHERE d.endpoint_id = ? AND d.status = 'pending' AND d.next_attempt_at <= ? AND w.active = 1 ORDER BY d.id LIMIT 1`,
        ).get(endpointId, this.now());
        if (!d) break;
        if (await this.deliver(d)) delivered++;
      }
    } catch (error) {
      this.options.log(`webhooks: ${error instanceof Error ? error.message : String(error)}`);
    }
    return delivered;
  }

  private async deliver(d: Due): Promise<boolean> {
    const t = this.now();
    const result = await postWebhook(
      d.url,
      {
        'Content-Type': 'application/json',
        'User-Agent': 'customer-portal-webhooks/1',
        'Portal-Event-Id': d.event_id,
        'Portal-Event-Type': d.type,
        'Portal-Timestamp': String(t),
        'Portal-Signature': sign(d.secret, t, d.payload),
      },
      d.payload,
      { timeoutMs: this.options.timeoutMs ?? 10_000, policy: this.policy },
    );
    const attempts = d.attempts + 1;
    if (result.ok) {
      stmt(
        this.db,
        "UPDATE webhook_deliveries SET status = 'delivered', attempts = ?, last_status = ?, last_error = NULL, delivered_at = ? WHERE id = ? AND status = 'pending'",
      ).run(attempts, result.status, this.now(), d.id);
      return true;
    }
    // Only while still pending: a delivery closed meanwhile (its endpoint removed) stays closed.
    stmt(
      this.db,
      "UPDATE webhook_deliveries SET status = ?, attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ? AND status = 'pending'",
    ).run(attempts >= MAX_ATTEMPTS ? 'failed' : 'pending', attempts, result.status, result.problem, this.now() + backoffSeconds(attempts), d.id);
    this.options.log(`webhook ${d.event_id} to ${new URL(d.url).host}: attempt ${attempts} failed after ${result.ms} ms (${result.problem})`);
    return false;
  }
}
