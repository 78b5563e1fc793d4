import { Hono } from 'hono';
import { createAuth } from './auth/index.js';
import type { Db } from './db/index.js';
import { answerCheck } from './http/answer-check.js';
import { apiHeaders, requestBodyLimit } from './http/api-middleware.js';
import { errorBody, onError } from './http/errors.js';
import { rejectMalformedUrl } from './http/path.js';
import { RateLimiter } from './http/rate-limit.js';
import { ResponseCache } from './http/response-cache.js';
import { Mailer } from './mail/mailer.js';
import { documented, openApiDocument, OpenApiDocumentSchema } from './http/openapi.js';
import { mailboxRoutes } from './mail/mailbox-routes.js';
import { providerApp } from './provider-app.js';
import { WebhookDeliverer } from './webhooks/deliverer.js';
import { LiveHub } from './live/hub.js';
import { publishJob } from './live/publish.js';
import { portalApp } from './portal-app.js';
import type { Deps } from './deps.js';
import { AlertWorker } from './alerts/worker.js';
import { smsSender } from './sms/sender.js';
import { smsInboundRoutes } from './sms/inbound-routes.js';
import { Files } from './files/service.js';
import { isFileUpload } from './files/upload-routes.js';
import type { Settings } from './settings.js';
import { HealthSchema, type HealthResponse } from './sessions/schemas.js';

/** The API as a Hono app over a given database: tests build one per fresh database. */
export function createApp(db: Db, settings: Settings) {
  const limiter = (l: { limit: number; windowMs: number }): RateLimiter => new RateLimiter(l.limit, l.windowMs, Date.now, settings.limiterCapacity);
  const mailer = new Mailer(db, { smtpUrl: settings.smtpUrl, from: settings.mailFrom, log: settings.log });
  const sms = smsSender(settings.smsGateway);
  const deps: Deps = {
    db,
    settings,
    auth: createAuth(db, { sessionTtlMs: settings.sessionTtlMs }),
    mailer,
    sms,
    alerts: new AlertWorker(db, { sms, settings }),
    webhooks: new WebhookDeliverer(db, {
      log: settings.log,
      timeoutMs: settings.webhookTimeoutMs,
      concurrency: settings.webhookConcurrency,
      allowPrivate: settings.webhookPrivateTargets,
    }),
    cache: new ResponseCache(settings.responseCacheChars),
    live: new LiveHub(db, () => settings.live),
    files: new Files(db, settings),
    limits: {
      loginAccount: limiter(settings.loginLimits.perAccount),
      loginIp: limiter(settings.loginLimits.perIp),
      resetAddress: limiter(settings.resetLimits.perAddress),
      resetIp: limiter(settings.resetLimits.perIp),
      resetLink: limiter(settings.resetLimits.perLink),
      address: limiter(settings.addressLimit),
      contactWrites: limiter(settings.writeLimits.perContact),
      providerWrites: limiter(settings.writeLimits.perProvider),
    },
  };
  // Generated from the routes on first request, then kept: the routes do not change while running.
  let openapi: ReturnType<typeof openApiDocument> | undefined;
  const routes: { app?: Hono<any, any, any> } = {};

  // A file made viewable is news for whoever may see the job: the stream says which job changed.
  deps.files.onViewable((f) => publishJob(db, f.providerId, f.jobId, ['files']));
  const base = new Hono();
  const check = answerCheck();
  if (check) base.use('*', check(() => routes.app!));
  const app = base
    .use('*', apiHeaders(settings.log))
    .use('*', rejectMalformedUrl)
    .use('/api/*', requestBodyLimit(settings.bodyLimitBytes, isFileUpload))
    .get('/api/health', documented({ summary: 'Liveness and version', responses: { 200: HealthSchema } }), (c) =>
      c.json<HealthResponse>({ status: 'ok', version: settings.version }),
    )
    .get('/api/openapi.json', documented({ summary: 'This document (OpenAPI 3.1)', responses: { 200: OpenApiDocumentSchema } }), async (c) =>
      // Typed as a plain object: the document type is too deep for the app type to carry.
      c.json((await (openapi ??= openApiDocument(routes.app!, settings.version))) as object),
    )
    .route('/api/portal/:provider', portalApp(deps))
    .route('/api/provider/v1', providerApp(deps))
    .route('/api/sms', smsInboundRoutes(deps));
  // The demo mailbox exists only while mail is kept locally (no SMTP configured).
  if (deps.mailer.local && settings.demoMailbox) app.route('/api/dev', mailboxRoutes(deps));

  routes.app = app;
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}.`), 404));
  app.onError(onError(settings.log));
  return Object.assign(app, { deps });
}

export type AppType = ReturnType<typeof createApp>;
