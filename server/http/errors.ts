import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ZodError, z } from 'zod';

/** The one error shape of every 4xx/5xx answer. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ApiErrorBody = z.infer<typeof ErrorBody>;

/** A client-facing error: status, a stable machine code, a human message, and per-field problems. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export function validationError(error: ZodError, where = 'body'): ApiError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : where;
    fields[key] ??= issue.message;
  }
  const summary = Object.entries(fields)
    .map(([f, m]) => `${f}: ${m}`)
    .join('; ');
  return new ApiError(400, 'validation_failed', `Invalid ${where}: ${summary}`, fields);
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

export function errorBody(code: string, message: string, fields?: Record<string, string>): ApiErrorBody {
  return { error: fields ? { code, message, fields } : { code, message } };
}

export function onError(log: (line: string) => void) {
  return (err: Error, c: Context): Response => {
    if (err instanceof ApiError) {
      if (err.headers) for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
      return c.json(errorBody(err.code, err.message, err.fields), err.status);
    }
    if (err instanceof HTTPException && err.status < 500) {
      const code = /malformed json/i.test(err.message) ? 'invalid_json' : (CODES[err.status] ?? 'bad_request');
      return c.json(errorBody(code, err.message || code), err.status as ContentfulStatusCode);
    }
    // Unexpected: log with the request id for correlation; the client learns nothing internal.
    log(`error ${c.get('requestId') ?? '-'} ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`);
    return c.json(errorBody('internal_error', 'Something went wrong on our side. Please try again.'), 500);
  };
}
