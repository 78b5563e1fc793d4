import type { MiddlewareHandler } from 'hono';
import type { Deps, PortalEnv } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { writeLimit } from '../http/write-limit.js';
import { idempotency } from '../http/idempotency.js';
import { isFileUpload } from '../files/upload-routes.js';

/**
 * Requires `Authorization: Bearer <token>` of a live session at this provider. Writes behind it
 * take an `Idempotency-Key`, the contact's own (see idempotency): a draft the widget sends again
 * after a lost answer is done once, and two contacts' keys never meet.
 */
export function requireSession(deps: Deps): MiddlewareHandler<PortalEnv> {
  const idempotent = idempotency(deps.db, (c) => ({ providerId: c.get('provider').id, contactId: c.get('contact').id }), isFileUpload);
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer ([^\s]+)$/i.exec(header);
    if (!match) throw new ApiError(401, 'unauthenticated', 'Log in first.', undefined, { 'WWW-Authenticate': 'Bearer' });
    const session = await deps.auth.validate(match[1]!);
    if (!session || session.providerId !== c.get('provider').id) {
      throw new ApiError(401, 'session_expired', 'Your session has ended. Please log in again.', undefined, {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      });
    }
    c.set('session', session);
    c.set('contact', session.contact);
    c.set('token', match[1]!);
    await writeLimit(c, deps.limits, async () => void (await idempotent(c, next)));
  };
}

