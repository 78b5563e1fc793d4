import { Hono, type MiddlewareHandler } from 'hono';
import { providerIdForKey } from '../../data/api-keys.js';
import { getProviderById } from '../../data/providers.js';
import { ApiError } from '../../http/errors.js';
import { idempotency } from '../../http/idempotency.js';
import type { Deps } from '../env.js';
import { companyRoutes } from './companies.js';
import type { ProviderEnv } from './env.js';
import { jobRoutes } from './jobs.js';
import { quoteAndEquipmentRoutes } from './quotes.js';
import { webhookRoutes } from './webhooks.js';
import { fileProviderRoutes } from '../../files/provider-routes.js';
import { isFileUpload } from '../../files/upload-routes.js';

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
    .use('*', apiKey(deps))
    .use('*', idempotency(deps.db, (c) => (c.get('provider') as { id: number }).id, isFileUpload))
    .route('/', companyRoutes(deps))
    .route('/', jobRoutes(deps))
    .route('/', quoteAndEquipmentRoutes(deps))
    .route('/', webhookRoutes(deps))
    .route('/', fileProviderRoutes(deps));
}
