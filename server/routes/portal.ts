import { Hono, type MiddlewareHandler } from 'hono';
import { getProviderBySlug } from '../data/providers.js';
import { isComplete } from '../http/api-middleware.js';
import { ApiError } from '../http/errors.js';
import type { Deps, PortalEnv } from './env.js';
import { detailsRoutes } from './details.js';
import { equipmentRoutes } from './equipment.js';
import { jobRoutes } from './jobs.js';
import { passwordRoutes } from './password.js';
import { quoteRoutes } from './quotes.js';
import { sessionRoutes } from './session.js';
import { filePortalRoutes } from '../files/portal-routes.js';

const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key';
const EXPOSED_HEADERS = 'Retry-After, X-Request-Id';
const VARY_ORIGIN: Readonly<Record<string, string>> = Object.freeze({ Vary: 'Origin' });

/**
 * Resolves the provider named in the path and answers CORS for it: only the provider's
 * registered origins (and the API's own origin) may call. Everything below runs scoped to
 * `c.var.provider`. The CORS headers are kept in `c.var.cors` and added to the answer on the way
 * out, unless it was made complete (`completeJson`, the read routes' fast path) with them in it.
 */
function providerScope(deps: Deps): MiddlewareHandler<PortalEnv> {
  return async (c, next) => {
    const slug = c.req.param('provider') ?? '';
    const provider = /^[a-z0-9-]{2,64}$/.test(slug) ? getProviderBySlug(deps.db, slug) : undefined;
    if (!provider) throw new ApiError(404, 'provider_not_found', `No provider called "${slug}".`);

    // Answers differ by Origin, so shared caches must key on it, Origin or not.
    let cors = VARY_ORIGIN;
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      const self = new URL(c.req.url).origin;
      if (origin !== self && !provider.allowedOrigins.includes(origin)) {
        throw new ApiError(403, 'origin_not_allowed', `Origin ${origin} is not registered for this provider.`, undefined, VARY_ORIGIN);
      }
      cors = { ...VARY_ORIGIN, 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED_HEADERS };
    }
    if (c.req.method === 'OPTIONS') {
      return c.body(null, 204, {
        ...cors,
        'Access-Control-Allow-Methods': 'GET, POST, PATCH, PUT, DELETE',
        'Access-Control-Allow-Headers': ALLOWED_HEADERS,
        'Access-Control-Max-Age': '600',
      });
    }
    c.set('provider', provider);
    c.set('cors', cors);
    await next();
    if (!isComplete(c.res)) {
      const headers = c.res.headers;
      for (const [name, value] of Object.entries(cors)) {
        if (name === 'Vary') headers.append(name, value);
        else headers.set(name, value);
      }
    }
  };
}

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
    await next();
  };
}

export function portalApp(deps: Deps) {
  return new Hono<PortalEnv>().use('*', providerScope(deps)).route('/', sessionRoutes(deps))
    .route('/', passwordRoutes(deps))
    .route('/', jobRoutes(deps))
    .route('/', quoteRoutes(deps))
    .route('/', equipmentRoutes(deps))
    .route('/', detailsRoutes(deps))
    .route('/', filePortalRoutes(deps));
}
