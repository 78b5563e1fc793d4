import { Hono, type MiddlewareHandler } from 'hono';
import { providerIdForKey } from './providers/api-keys.js';
import { getProviderById } from './providers/data.js';
import { ApiError } from './http/errors.js';
import { idempotency } from './http/idempotency.js';
import { addressLimit } from './http/ip-limit.js';
import type { Deps } from './deps.js';
import { companyProviderRoutes } from './companies/provider-routes.js';
import type { ProviderEnv } from './deps.js';
import { equipmentProviderRoutes } from './equipment/provider-routes.js';
import { jobProviderRoutes } from './jobs/provider-routes.js';
import { quoteProviderRoutes } from './quotes/provider-routes.js';
import { webhookProviderRoutes } from './webhooks/provider-routes.js';
import { mapProviderRoutes } from './map/provider-routes.js';
import { alertProviderRoutes } from './alerts/provider-routes.js';
import { fileProviderRoutes } from './files/provider-routes.js';
import { isFileUpload } from './files/upload-routes.js';

/** `Authorization: Bearer pk_…`: the key decides the provider; nothing in the request can. */
function apiKey(deps: Deps): MiddlewareHandler<ProviderEnv> {
  return async (c, next) => {
    const match = /^Bearer (\S+)$/i.exec(c.req.header('authorization') ?? '');
    const providerId = match ? providerIdForKey(deps.db, match[1]!) : null;
    const provider = providerId === null ? undefined : getProviderById(deps.db, providerId);
    if (!provider) {
      throw new ApiError(401, 'invalid_api_key', 'Send a live API key as "Authorization: Bearer pk_…".', undefined, { 'WWW-Authenticate': 'Bearer' });
    }
    c.set('provider', provider);
    await next();
  };
}

/** The provider API, `/api/provider/v1`: what the provider's office systems call. */
export function providerApp(deps: Deps) {
  return new Hono<ProviderEnv>()
    .use('*', addressLimit(deps.limits.address, deps.settings.trustProxy, () => false))
    .use('*', apiKey(deps))
    .use('*', idempotency(deps.db, (c) => ({ providerId: (c.get('provider') as { id: number }).id }), isFileUpload))
    .route('/', companyProviderRoutes(deps))
    .route('/', jobProviderRoutes(deps))
    .route('/', quoteProviderRoutes(deps))
    .route('/', equipmentProviderRoutes(deps))
    .route('/', webhookProviderRoutes(deps))
    .route('/', mapProviderRoutes(deps))
    .route('/', alertProviderRoutes(deps))
    .route('/', fileProviderRoutes(deps));
}
