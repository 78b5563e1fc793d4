import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorBody } from './errors.js';

/**
 * What every API answer carries: hono/secure-headers' defaults for an API that other origins
 * call (so no Cross-Origin-Resource-Policy), plus `Cache-Control: no-store`: the answers are a
 * customer's own records and must not sit in a shared or browser cache.
 */
export const API_HEADERS: readonly (readonly [string, string])[] = [
  ['Cache-Control', 'no-store'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

declare module 'hono' {
  interface ContextVariableMap {
    requestId: string;
  }
}

// A caller's own id is kept when it is short and plain, so it can be followed through our logs.
const CALLER_ID = /^[\w\-=]{1,255}$/;

/**
 * One pass per request instead of three library middlewares (request id, secure headers, log
 * line): the request id (`X-Request-Id`), the headers above, and one log line with method, path,
 * status, time and id; never headers, bodies or query strings, so no secret reaches a log.
 */
export function apiHeaders(log: (line: string) => void): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const given = c.req.header('x-request-id');
    const id = given !== undefined && CALLER_ID.test(given) ? given : randomUUID();
    c.set('requestId', id);
    await next();
    if (!complete.has(c.res)) {
      const headers = c.res.headers;
      // A Cache-Control the handler chose stands (the static files': issue 15, the widget bundle
      // was served no-store and never cached); everything else answers no-store.
      for (const [name, value] of API_HEADERS) if (name !== 'Cache-Control' || !headers.has(name)) headers.set(name, value);
      headers.set('X-Request-Id', id);
    }
    log(`${c.req.method} ${redactPath(c.req.path)} ${c.res.status} ${(performance.now() - started).toFixed(1)}ms ${id}`);
  };
}

// Answers made by completeJson: every header already in place.
const complete = new WeakSet<Response>();

export const isComplete = (res: Response): boolean => complete.has(res);

/**
 * A 200 JSON answer made whole at once: content type, the API headers, the request id and
 * `extra` (the CORS headers), as a plain object. The middlewares leave it alone on the way out,
 * and @hono/node-server writes a plain-object answer without building a web Headers; on the job
 * list that was an eighth of a cached answer's time. Only for answers no later middleware needs
 * to add to.
 */
export function completeJson(c: Context, body: string, extra: Readonly<Record<string, string>>): Response {
  return completeResponse(c, body, { 'Content-Type': 'application/json', ...extra });
}

/**
 * An answer made whole at once with the API headers under `headers`, which win over them (a
 * file answer's own Cache-Control and framing rules).
 */
export function completeResponse(c: Context, body: BodyInit | null, headers: Readonly<Record<string, string>>, status = 200): Response {
  const all: Record<string, string> = {};
  for (const [name, value] of API_HEADERS) all[name] = value;
  all['X-Request-Id'] = c.get('requestId');
  Object.assign(all, headers);
  const res = new Response(body, { status, headers: all });
  complete.add(res);
  return res;
}

/**
 * A streamed answer (the live event stream) made whole at once, like completeJson: its own
 * Cache-Control (`no-cache, no-transform`: nothing may buffer or compress a stream) stays as given.
 */
export function completeStream(c: Context, body: ReadableStream<Uint8Array>, headers: Readonly<Record<string, string>>): Response {
  const all: Record<string, string> = {};
  for (const [name, value] of API_HEADERS) all[name] = value;
  all['X-Request-Id'] = c.get('requestId');
  Object.assign(all, headers);
  const res = new Response(body, { status: 200, headers: all });
  complete.add(res);
  return res;
}

const WITHOUT_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * hono/body-limit for requests that may carry a body. GET, HEAD and OPTIONS pass straight on:
 * asking for their body makes @hono/node-server build a whole web Request, which cost the job
 * list half its throughput for nothing.
 */
export function requestBodyLimit(maxSize: number, exempt: (method: string, path: string) => boolean = () => false): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize,
    onError: (c) => c.json(errorBody('payload_too_large', `The request body is larger than ${maxSize} bytes.`), 413),
  });
  // Exempt routes (file uploads) stream their body and enforce their own, larger limit.
  return (c, next) => (WITHOUT_BODY.has(c.req.method) || exempt(c.req.method, c.req.path) ? next() : limit(c, next));
}

/** Paths that carry a secret (the alert emails' confirm and unsubscribe links) are logged without it. */
export const redactPath = (path: string): string => path.replace(/(\/alert-links\/[a-z]+\/)[^/]+/, '$1…');
