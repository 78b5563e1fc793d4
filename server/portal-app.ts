import { Hono, type MiddlewareHandler } from 'hono';
import type { ExtractSchema } from 'hono/types';
import { getProviderBySlug } from './providers/data.js';
import { isComplete } from './http/api-middleware.js';
import { ApiError } from './http/errors.js';
import { portalAddressLimit } from './http/ip-limit.js';
import type { Deps, PortalEnv } from './deps.js';
import { detailsPortalRoutes } from './details/portal-routes.js';
import { equipmentPortalRoutes } from './equipment/portal-routes.js';
import { jobPortalRoutes } from './jobs/portal-routes.js';
import { passwordPortalRoutes } from './sessions/password-routes.js';
import { quotePortalRoutes } from './quotes/portal-routes.js';
import { sessionPortalRoutes } from './sessions/portal-routes.js';
import { livePortalRoutes } from './live/portal-routes.js';
import { mapPortalRoutes } from './map/portal-routes.js';
import { alertPortalRoutes } from './alerts/portal-routes.js';
import { filePortalRoutes } from './files/portal-routes.js';

const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, Last-Event-ID';
const EXPOSED_HEADERS = 'Retry-After, X-Request-Id, Idempotent-Replayed';
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
        // The refusal itself is readable by the page (so the widget can say "this website is not
        // registered" instead of "cannot reach the server"); a preflight gets no grant, so no request
        // with a token or a JSON body is ever sent from there.
        const readable = c.req.method === 'OPTIONS' || origin === 'null' ? VARY_ORIGIN : { ...VARY_ORIGIN, 'Access-Control-Allow-Origin': origin };
        throw new ApiError(403, 'origin_not_allowed', `Origin ${origin} is not registered for this provider.`, undefined, readable);
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

export function portalApp(deps: Deps) {
  return new Hono<PortalEnv>()
    .use('*', providerScope(deps))
    .use('*', portalAddressLimit(deps.limits.address, deps.settings.trustProxy))
    .route('/', sessionPortalRoutes(deps))
    .route('/', passwordPortalRoutes(deps))
    .route('/', jobPortalRoutes(deps))
    .route('/', quotePortalRoutes(deps))
    .route('/', equipmentPortalRoutes(deps))
    .route('/', detailsPortalRoutes(deps))
    .route('/', livePortalRoutes(deps))
    .route('/', mapPortalRoutes(deps))
    .route('/', alertPortalRoutes(deps))
    .route('/', filePortalRoutes(deps));
}

/**
 * The customer API's routes as types: path → method → input, output and status. The widget's
 * client is typed against it (type-only), so a path or a field renamed here breaks its build.
 */
export type PortalRoutes = ExtractSchema<ReturnType<typeof portalApp>>;
