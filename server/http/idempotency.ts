import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { type Db, stmt, nowSeconds } from '../db/index.js';
import { ApiError } from './errors.js';

const KEY = /^[\x21-\x7e]{1,255}$/;
const DAY = 86_400;
const IN_PROGRESS_TIMEOUT = 60;

/** Whose keys a request's key is one of: a provider's API, or one contact at a provider. */
export interface KeyScope {
  providerId: number;
  /** Set for the customer API: each contact has keys of their own. */
  contactId?: number;
}

/**
 * `Idempotency-Key` on writes: the first answer (any status below 500) is kept for a day and
 * replayed for a retry of the same request; the same key with a different request is refused.
 * Keys are per provider, and on the customer API per contact too: two contacts choosing the same
 * key (a widget's counter, say) never get each other's answer.
 */
export function idempotency(
  db: Db,
  scopeOf: (c: Context) => KeyScope,
  exempt: (method: string, path: string) => boolean = () => false,
): MiddlewareHandler {
  return async (c, next) => {
    const sent = c.req.header('idempotency-key');
    // Exempt routes (file uploads) are not read whole to hash them; they are idempotent by content.
    if (sent === undefined || c.req.method === 'GET' || exempt(c.req.method, c.req.path)) return next();
    if (!KEY.test(sent)) throw new ApiError(400, 'validation_failed', 'Idempotency-Key must be 1 to 255 visible ASCII characters.', { 'Idempotency-Key': 'is not valid' });
    const scope = scopeOf(c);
    const pid = scope.providerId;
    // A contact's keys are stored behind "c<id> ": a sent key has no space in it, so no provider
    // API key and no other contact's key can ever equal it (no extra column, same primary key).
    const key = scope.contactId === undefined ? sent : `c${scope.contactId} ${sent}`;
    const hash = createHash('sha256').update(`${c.req.method} ${c.req.path}\n${await c.req.text()}`).digest('hex');
    const now = nowSeconds();
    stmt(db, 'DELETE FROM idempotency_keys WHERE created_at < ?').run(now - DAY);
    // Claim the key before running the request (status 0: in progress), so retries sent while it
    // runs cannot run it again. A claim left by a crash is taken over after a minute.
    const claimed =
      stmt(
        db,
        `INSERT INTO idempotency_keys (provider_id, key, request_hash, status, body, created_at) VALUES (?, ?, ?, 0, '', ?)
         ON CONFLICT (provider_id, key) DO UPDATE SET created_at = excluded.created_at
         WHERE status = 0 AND created_at < ? AND request_hash = excluded.request_hash`,
      ).run(pid, key, hash, now, now - IN_PROGRESS_TIMEOUT).changes === 1;
    if (!claimed) {
      const seen = stmt<[number, string], { request_hash: string; status: number; body: string }>(
        db,
        'SELECT request_hash, status, body FROM idempotency_keys WHERE provider_id = ? AND key = ?',
      ).get(pid, key);
      // Released by another process between the two statements: as good as in progress.
      if (!seen) throw new ApiError(409, 'idempotency_request_in_progress', 'A request with this Idempotency-Key is still being processed; retry in a moment.', undefined, { 'Retry-After': '1' });
      if (seen.request_hash !== hash) {
        throw new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was used for a different request.');
      }
      if (seen.status === 0) {
        throw new ApiError(409, 'idempotency_request_in_progress', 'A request with this Idempotency-Key is still being processed; retry in a moment.', undefined, { 'Retry-After': '1' });
      }
      c.header('Idempotent-Replayed', 'true');
      // A 204 has no body (a Response with one, even '', cannot be built). Set as the answer, not
      // only returned, so a middleware around this one that does not pass the return on keeps it.
      c.res = seen.status === 204 ? c.body(null, 204) : c.body(seen.body, seen.status as 200, { 'Content-Type': 'application/json' });
      return c.res;
    }
    const release = () => stmt(db, 'DELETE FROM idempotency_keys WHERE provider_id = ? AND key = ? AND status = 0').run(pid, key);
    try {
      await next();
    } catch (error) {
      release();
      throw error;
    }
    if (c.res.status < 500) {
      const body = await c.res.clone().text();
      stmt(db, 'UPDATE idempotency_keys SET status = ?, body = ? WHERE provider_id = ? AND key = ?').run(c.res.status, body, pid, key);
    } else {
      // A server error is not an answer to keep: the retry runs the request again.
      release();
    }
  };
}
