/**
 * Drains the webhook outbox: POSTs each event to its endpoint, signed, with retries and
 * exponential backoff. State lives in the database, so a restart resumes where it stopped; a
 * delivery acknowledged with a 2xx is never sent again.
 *
 * Signature: `Portal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * Receivers recompute it over the raw body and reject timestamps older than a few minutes.
 */
import { createHmac } from 'node:crypto';
import { type Db, stmt, nowSeconds } from '../db/index.js';

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
  /** Bytes of a receiver's answer that are read (and kept in the error); the rest is dropped. */
  maxResponseBytes?: number;
  now?: () => number;
}

export class WebhookDeliverer {
  private running: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly options: DelivererOptions,
  ) {}

  /** Delivers everything due now; resolves with how many were acknowledged. Never throws. */
  flush(): Promise<number> {
    this.running ??= this.deliverDue().finally(() => (this.running = null));
    return this.running;
  }

  start(intervalMs = 2_000): void {
    this.timer ??= setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private now(): number {
    return this.options.now?.() ?? nowSeconds();
  }

  private async deliverDue(): Promise<number> {
    let delivered = 0;
    try {
      const due = stmt<[number], Due>(
        this.db,
        `SELECT d.id, d.event_id, e.type, e.payload, w.url, w.secret, d.attempts
           FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id JOIN webhook_endpoints w ON w.id = d.endpoint_id
          WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND w.active = 1 ORDER BY d.id LIMIT 100`,
      ).all(this.now());
      for (const d of due) if (await this.deliver(d)) delivered++;
    } catch (error) {
      this.options.log(`webhooks: ${error instanceof Error ? error.message : String(error)}`);
    }
    return delivered;
  }

  private async deliver(d: Due): Promise<boolean> {
    const t = this.now();
    let status: number | null = null;
    let problem: string | null = null;
    try {
      const response = await fetch(d.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'customer-portal-webhooks/1',
          'Portal-Event-Id': d.event_id,
          'Portal-Event-Type': d.type,
          'Portal-Timestamp': String(t),
          'Portal-Signature': sign(d.secret, t, d.payload),
        },
        body: d.payload,
      });
      status = response.status;
      const answer = await readBounded(response, this.options.maxResponseBytes ?? 16 * 1024);
      if (status < 200 || status >= 300) problem = `HTTP ${status}${answer ? `: ${answer.slice(0, 200)}` : ''}`;
    } catch (error) {
      problem = error instanceof Error ? (error.name === 'TimeoutError' ? 'timed out' : error.message) : String(error);
    }
    const attempts = d.attempts + 1;
    if (!problem) {
      stmt(this.db, "UPDATE webhook_deliveries SET status = 'delivered', attempts = ?, last_status = ?, last_error = NULL, delivered_at = ? WHERE id = ? AND status = 'pending'").run(
        attempts,
        status,
        this.now(),
        d.id,
      );
      return true;
    }
    // Only while still pending: a delivery closed meanwhile (its endpoint removed) stays closed.
    stmt(this.db, "UPDATE webhook_deliveries SET status = ?, attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ? AND status = 'pending'").run(
      attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
      attempts,
      status,
      problem.slice(0, 500),
      this.now() + backoffSeconds(attempts),
      d.id,
    );
    this.options.log(`webhook ${d.event_id} to ${new URL(d.url).host}: attempt ${attempts} failed (${problem.slice(0, 120)})`);
    return false;
  }
}

/** Reads at most `limit` bytes of the body, then stops the download. */
async function readBounded(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}
