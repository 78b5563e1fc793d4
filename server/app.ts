import { Hono } from 'hono';
import { createAuth } from './auth/index.js';
import type { Db } from './db/index.js';
import { apiHeaders, requestBodyLimit } from './http/api-middleware.js';
import { errorBody, onError } from './http/errors.js';
import { RateLimiter } from './http/rate-limit.js';
import { ResponseCache } from './http/response-cache.js';
import { Mailer } from './mail/mailer.js';
import { openApiDocument, withGeneratedRoutes } from './openapi.js';
import { alertPortalRoutes } from './alerts/portal-routes.js';
import { alertProviderRoutes } from './alerts/provider-routes.js';
import { devRoutes } from './routes/dev.js';
import { providerApp } from './routes/provider/index.js';
import { WebhookDeliverer } from './webhooks/deliverer.js';
import { AlertWorker } from './alerts/worker.js';
import { smsSender } from './sms/sender.js';
import { smsInboundRoutes } from './sms/inbound-routes.js';
import { portalApp } from './routes/portal.js';
import type { Deps } from './routes/env.js';
import type { Settings } from './settings.js';
import type { HealthResponse } from './schemas.js';

/** The API as a Hono app over a given database: tests build one per fresh database. */
export function createApp(db: Db, settings: Settings) {
  const limiter = (l: { limit: number; windowMs: number }): RateLimiter => new RateLimiter(l.limit, l.windowMs);
  const mailer = new Mailer(db, { smtpUrl: settings.smtpUrl, from: settings.mailFrom, log: settings.log });
  const sms = smsSender(settings.smsGateway);
  const deps: Deps = {
    db,
    settings,
    auth: createAuth(db, { sessionTtlMs: settings.sessionTtlMs }),
    mailer,
    sms,
    alerts: new AlertWorker(db, { sms, settings }),
    webhooks: new WebhookDeliverer(db, { log: settings.log, timeoutMs: settings.webhookTimeoutMs }),
    cache: new ResponseCache(settings.responseCacheChars),
    limits: {
      loginAccount: limiter(settings.loginLimits.perAccount),
      loginIp: limiter(settings.loginLimits.perIp),
      resetAddress: limiter(settings.resetLimits.perAddress),
      resetIp: limiter(settings.resetLimits.perIp),
      resetLink: limiter(settings.resetLimits.perLink),
    },
  };
  // Routes documented from their definitions (server/http/openapi.ts) join the listed ones.
  const generated = new Hono()
    .route('/api/portal/:provider', alertPortalRoutes(deps))
    .route('/api/provider/v1', alertProviderRoutes(deps))
    .route('/api/sms', smsInboundRoutes(deps));
  const openapi = withGeneratedRoutes(openApiDocument(settings.version), generated, settings.version);

  const app = new Hono()
    .use('*', apiHeaders(settings.log))
    .use('/api/*', requestBodyLimit(settings.bodyLimitBytes))
    .get('/api/health', (c) => c.json<HealthResponse>({ status: 'ok', version: settings.version }))
    .get('/api/openapi.json', async (c) => c.json(await openapi))
    .route('/api/portal/:provider', portalApp(deps))
    .route('/api/provider/v1', providerApp(deps))
    .route('/api/sms', smsInboundRoutes(deps));
  // The demo mailbox exists only while mail is kept locally (no SMTP configured).
  if (deps.mailer.local && settings.demoMailbox) app.route('/api/dev', devRoutes(deps));

  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}.`), 404));
  app.onError(onError(settings.log));
  return Object.assign(app, { deps });
}

export type AppType = ReturnType<typeof createApp>;
