import type { Auth, SessionInfo } from '../auth/index.js';
import type { ContactRow } from '../data/contacts.js';
import type { Provider } from '../data/providers.js';
import type { Db } from '../db/index.js';
import type { Settings } from '../settings.js';
import type { RateLimiter } from '../http/rate-limit.js';
import type { ResponseCache } from '../http/response-cache.js';
import type { Mailer } from '../mail/mailer.js';
import type { WebhookDeliverer } from '../webhooks/deliverer.js';
import type { Files } from '../files/service.js';

export interface Deps {
  db: Db;
  settings: Settings;
  auth: Auth;
  mailer: Mailer;
  webhooks: WebhookDeliverer;
  /** Job files: storage, signed URLs, limits, the "made viewable" call point. */
  files: Files;
  /** Finished answers of the portal's read routes (see cachedRead). */
  cache: ResponseCache;
  limits: {
    loginAccount: RateLimiter;
    loginIp: RateLimiter;
    resetAddress: RateLimiter;
    resetIp: RateLimiter;
    resetLink: RateLimiter;
  };
}

/** Hono environment of everything under /api/portal/:provider. */
export interface PortalEnv {
  Variables: {
    requestId: string;
    provider: Provider;
    session: SessionInfo;
    contact: ContactRow;
    token: string;
    /** The CORS headers this request's answer carries (set by providerScope). */
    cors: Readonly<Record<string, string>>;
    /** The body `cacheableJson` answered with, for `cachedRead` to keep. */
    cacheableBody: string | undefined;
  };
}
