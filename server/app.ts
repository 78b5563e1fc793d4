import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { createAuth } from './auth/index.js';
import type { Db } from './db/index.js';
import { errorBody, onError } from './http/errors.js';
import { RateLimiter } from './http/rate-limit.js';
import { openApiDocument } from './openapi.js';
import { portalApp } from './routes/portal.js';
import type { Deps } from './routes/env.js';
import type { Settings } from './settings.js';
import type { HealthResponse } from './schemas.js';

/** The API as a Hono app over a given database: tests build one per fresh database. */
export function createApp(db: Db, settings: Settings) {
  const { perAccount, perIp } = settings.loginLimits;
  const deps: Deps = {
    db,
    settings,
    auth: createAuth(db, { sessionTtlMs: settings.sessionTtlMs }),
    limits: {
      loginAccount: new RateLimiter(perAccount.limit, perAccount.windowMs),
      loginIp: new RateLimiter(perIp.limit, perIp.windowMs),
    },
  };
  const openapi = openApiDocument(settings.version);

  const app = new Hono()
    .use('*', requestId())
    .use('/api/*', secureHeaders({ crossOriginResourcePolicy: false }))
    .use('/api/*', async (c, next) => {
      const started = performance.now();
      await next();
      // Method, path and status only: no headers, bodies or query strings, so no secret reaches a log.
      settings.log(
        `${c.req.method} ${c.req.path} ${c.res.status} ${(performance.now() - started).toFixed(1)}ms ${c.get('requestId')}`,
      );
    })
    .use(
      '/api/*',
      bodyLimit({
        maxSize: settings.bodyLimitBytes,
        onError: (c) =>
          c.json(errorBody('payload_too_large', `The request body is larger than ${settings.bodyLimitBytes} bytes.`), 413),
      }),
    )
    .get('/api/health', (c) => c.json<HealthResponse>({ status: 'ok', version: settings.version }))
    .get('/api/openapi.json', (c) => c.json(openapi))
    .route('/api/portal/:provider', portalApp(deps));

  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}.`), 404));
  app.onError(onError(settings.log));
  return Object.assign(app, { deps });
}

export type AppType = ReturnType<typeof createApp>;
