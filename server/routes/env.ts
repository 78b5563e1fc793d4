import type { Auth, SessionInfo } from '../auth/index.js';
import type { ContactRow } from '../data/contacts.js';
import type { Provider } from '../data/providers.js';
import type { Db } from '../db/index.js';
import type { Settings } from '../settings.js';
import type { RateLimiter } from '../http/rate-limit.js';
import type { Mailer } from '../mail/mailer.js';
import type { WebhookDeliverer } from '../webhooks/deliverer.js';

export interface Deps {
  db: Db;
  settings: Settings;
  auth: Auth;
  mailer: Mailer;
  webhooks: WebhookDeliverer;
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
  };
}
