import { validator } from 'hono/validator';
import { z } from 'zod';
import { ApiError, validationError } from './errors.js';
import { describesInput } from './openapi.js';

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json$/i;

/** Validates a JSON body with zod: 415 when it is not JSON, 400 when malformed or invalid. */
export function jsonBody<S extends z.ZodType>(schema: S) {
  return describesInput(validator('json', (value, c): z.output<S> => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
    if (!JSON_TYPE.test(type)) throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json.');
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw validationError(parsed.error, 'body');
    return parsed.data;
  }), 'json', schema);
}

export function query<S extends z.ZodType>(schema: S) {
  return describesInput(validator('query', (value): z.output<S> => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw validationError(parsed.error, 'query');
    return parsed.data;
  }), 'query', schema);
}

/** Path parameters checked with zod (routes with more than one, or not only `:id`); 400 otherwise. */
export function pathParams<S extends z.ZodType>(schema: S) {
  return describesInput(validator('param', (value): z.output<S> => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw validationError(parsed.error, 'path');
    return parsed.data;
  }), 'param', schema);
}

// Digits only: Number() would also read 1e3 or 0x10 as ids.
const Id = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'must be a positive whole number')
    .transform(Number)
    .refine(Number.isSafeInteger, 'is too large'),
});

/** `:id` in the path as a positive integer; 400 otherwise. */
export const idParam = describesInput(
  validator('param', (value): { id: number } => {
    const parsed = Id.safeParse(value);
    if (!parsed.success) throw validationError(parsed.error, 'path');
    return parsed.data;
  }),
  'param',
  Id,
);
