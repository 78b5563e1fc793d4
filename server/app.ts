import { Hono } from 'hono';
import { createAuth } from './auth/index.js';
import type { Db } from './db/index.js';
import { apiHeaders, requestBodyLimit } from './http/api-middleware.js';
import { errorBody, onError } from './http/errors.js';
import { RateLimiter } from './http/rate-limit.js';
import { ResponseCache } from './http/response-cache.js';
import { Mailer } from './mail/mailer.js';
import { openApiDocument } from './openapi.js';
import { devRoutes } from './routes/dev.js';
import { providerApp } from './routes/provider/index.js';
import { WebhookDeliverer } from './webhooks/deliverer.js';
import { Files } from './files/service.js';
import { filesOpenApi, withFilesDocumented } from './files/openapi-bridge.js';
import { isFileUpload } from './files/upload-routes.js';
import { portalApp } from './routes/portal.js';
import type { Deps } from './routes/env.js';
import type { Settings } from './settings.js';
import type { HealthResponse } from './schemas.js';

/** The API as a Hono app over a given database: tests build one per fresh database. */
export function createApp(db: Db, settings: Settings) {
  const limiter = (l: { limit: number; windowMs: number }): RateLimiter => new RateLimiter(l.limit, l.windowMs);
  const deps: Deps = {
    db,
    settings,
    auth: createAuth(db, { sessionTtlMs: settings.sessionTtlMs }),
    mailer: new Mailer(db, { smtpUrl: settings.smtpUrl, from: settings.mailFrom, log: settings.log }),
    webhooks: new WebhookDeliverer(db, { log: settings.log, timeoutMs: settings.webhookTimeoutMs }),
    cache: new ResponseCache(settings.responseCacheChars),
    files: new Files(db, settings),
    limits: {
      loginAccount: limiter(settings.loginLimits.perAccount),
      loginIp: limiter(settings.loginLimits.perIp),
      resetAddress: limiter(settings.resetLimits.perAddress),
      resetIp: limiter(settings.resetLimits.perIp),
      resetLink: limiter(settings.resetLimits.perLink),
    },
  };
  const openapi = openApiDocument(settings.version);
  let documentedFiles: Promise<object> | null = null;

  const app = new Hono()
    .use('*', apiHeaders(settings.log))
    .use('/api/*', requestBodyLimit(settings.bodyLimitBytes, isFileUpload))
    .get('/api/health', (c) => c.json<HealthResponse>({ status: 'ok', version: settings.version }))
    .get('/api/openapi.json', async (c) => c.json(withFilesDocumented(openapi, await (documentedFiles ??= filesOpenApi(deps, settings.version)))))
    .route('/api/portal/:provider', portalApp(deps))
    .route('/api/provider/v1', providerApp(deps));
  // The demo mailbox exists only while mail is kept locally (no SMTP configured).
  if (deps.mailer.local && settings.demoMailbox) app.route('/api/dev', devRoutes(deps));

  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}.`), 404));
  app.onError(onError(settings.log));
  return Object.assign(app, { deps });
}

export type AppType = ReturnType<typeof createApp>;
