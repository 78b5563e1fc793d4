import type { Context, MiddlewareHandler } from 'hono';
import { clientKey } from './client-ip.js';
import { ApiError } from './errors.js';
import type { Limiter } from './rate-limit.js';

/** The portal routes anyone may call without a session, after `/api/portal/:provider`. */
const PUBLIC_PORTAL = new Set(['GET /config', 'POST /session', 'POST /password/forgot', 'POST /password/link', 'POST /password/set']);

export const isPublicPortalRoute = (method: string, pathAfterProvider: string): boolean => PUBLIC_PORTAL.has(`${method} ${pathAfterProvider}`);

export function tooMany(seconds: number): ApiError {
  return new ApiError(429, 'rate_limited', `Too many requests. Try again in ${Math.ceil(seconds / 60)} minute(s).`, undefined, {
    'Retry-After': String(seconds),
  });
}

/** Refuses with 429 while the key is over its limit, else counts this request. */
export async function take(limiter: Limiter, key: string): Promise<void> {
  const wait = await limiter.take(key);
  if (wait > 0) throw tooMany(wait);
}

/**
 * The per-address limit in front of everything a caller can reach without being someone: each
 * request to a public route counts, and so does each answer 401 anywhere (a guessed session
 * token or API key). An address over the limit gets 429 before any work is done for it.
 * `isPublic` says which requests count up front.
 */
export function addressLimit(limiter: Limiter, trustProxy: boolean, isPublic: (c: Context) => boolean): MiddlewareHandler {
  return async (c, next) => {
    const key = clientKey(c, trustProxy);
    const counted = isPublic(c);
    const wait = await (counted ? limiter.take(key) : limiter.retryAfter(key));
    if (wait > 0) throw tooMany(wait);
    await next();
    if (!counted && c.res.status === 401) await limiter.record(key);
  };
}

/** addressLimit for the customer API, mounted inside `/api/portal/:provider`. */
export const portalAddressLimit = (limiter: Limiter, trustProxy: boolean): MiddlewareHandler =>
  addressLimit(limiter, trustProxy, (c) => isPublicPortalRoute(c.req.method, c.req.path.replace(/^\/api\/portal\/[^/]+/, '')));
