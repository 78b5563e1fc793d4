import type { Auth, SessionInfo } from './auth/index.js';
import type { ContactRow } from './companies/data.js';
import type { Provider } from './providers/data.js';
import type { Db } from './db/index.js';
import type { Settings } from './settings.js';
import type { Limiter } from './http/rate-limit.js';
import type { ResponseCache } from './http/response-cache.js';
import type { Mailer } from './mail/mailer.js';
import type { WebhookDeliverer } from './webhooks/deliverer.js';
import type { LiveHub } from './live/hub.js';
import type { AlertWorker } from './alerts/worker.js';
import type { SmsSender } from './sms/sender.js';
import type { Files } from './files/service.js';

export interface Deps {
  db: Db;
  settings: Settings;
  auth: Auth;
  mailer: Mailer;
  webhooks: WebhookDeliverer;
  /** Drains the alerts outbox (and fires due reminders). */
  alerts: AlertWorker;
  sms: SmsSender;
  /** Job files: storage, signed URLs, limits, the "made viewable" call point. */
  files: Files;
  /** The open live streams (server/live/). */
  live: LiveHub;
  /** Finished answers of the portal's read routes (see cachedRead). */
  cache: ResponseCache;
  limits: {
    loginAccount: Limiter;
    loginIp: Limiter;
    resetAddress: Limiter;
    resetIp: Limiter;
    resetLink: Limiter;
    /** Unauthenticated requests and 401 answers per client address (server/http/ip-limit.ts). */
    address: Limiter;
    /** Customer writes per contact and per provider (server/http/write-limit.ts). */
    contactWrites: Limiter;
    providerWrites: Limiter;
  };
}

/** Hono environment of the provider API: every handler runs for exactly one provider. */
export interface ProviderEnv {
  Variables: { requestId: string; provider: Provider };
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
