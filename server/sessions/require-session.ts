import type { MiddlewareHandler } from 'hono';
import type { Deps, PortalEnv } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { writeLimit } from '../http/write-limit.js';

/** Requires `Authorization: Bearer <token>` of a live session at this provider. */
export function requireSession(deps: Deps): MiddlewareHandler<PortalEnv> {
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
    await writeLimit(c, deps.limits, next);
  };
}
