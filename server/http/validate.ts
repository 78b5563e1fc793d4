import { validator } from 'hono/validator';
import type { z } from 'zod';
import { ApiError, validationError } from './errors.js';

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json$/i;

/** Validates a JSON body with zod: 415 when it is not JSON, 400 when malformed or invalid. */
export function jsonBody<S extends z.ZodType>(schema: S) {
  return validator('json', (value, c): z.output<S> => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
    if (!JSON_TYPE.test(type)) throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json.');
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw validationError(parsed.error, 'body');
    return parsed.data;
  });
}

export function query<S extends z.ZodType>(schema: S) {
  return validator('query', (value): z.output<S> => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw validationError(parsed.error, 'query');
    return parsed.data;
  });
}
