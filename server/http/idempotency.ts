import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { type Db, stmt, nowSeconds } from '../db/index.js';
import { ApiError } from './errors.js';

const KEY = /^[\x21-\x7e]{1,255}$/;
const DAY = 86_400;

/**
 * `Idempotency-Key` on writes: the first answer (any status below 500) is kept for a day and
 * replayed for a retry of the same request; the same key with a different request is refused.
 */
export function idempotency(db: Db, providerId: (c: Parameters<MiddlewareHandler>[0]) => number): MiddlewareHandler {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined || c.req.method === 'GET') return next();
    if (!KEY.test(key)) throw new ApiError(400, 'validation_failed', 'Idempotency-Key must be 1 to 255 visible ASCII characters.', { 'Idempotency-Key': 'is not valid' });
    const pid = providerId(c);
    const hash = createHash('sha256').update(`${c.req.method} ${c.req.path}\n${await c.req.text()}`).digest('hex');
    stmt(db, 'DELETE FROM idempotency_keys WHERE created_at < ?').run(nowSeconds() - DAY);
    const seen = stmt<[number, string], { request_hash: string; status: number; body: string }>(
      db,
      'SELECT request_hash, status, body FROM idempotency_keys WHERE provider_id = ? AND key = ?',
    ).get(pid, key);
    if (seen) {
      if (seen.request_hash !== hash) {
        throw new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was used for a different request.');
      }
      c.header('Idempotent-Replayed', 'true');
      return c.body(seen.body, seen.status as 200, { 'Content-Type': 'application/json' });
    }
    await next();
    if (c.res.status < 500) {
      const body = await c.res.clone().text();
      stmt(db, 'INSERT OR IGNORE INTO idempotency_keys (provider_id, key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        pid,
        key,
        hash,
        c.res.status,
        body,
        nowSeconds(),
      );
    }
  };
}
