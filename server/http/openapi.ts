/**
 * The OpenAPI 3.1 document, generated from the route definitions: each route's validators
 * (`jsonBody`, `query`, `idParam` in ./validate.ts) carry their request schema, and its handler
 * carries its summary and response schemas (`documented`). Nothing about a route is written
 * twice: add a route with `documented(...)` and it is in the document.
 */
import type { Hono } from 'hono';
import { generateSpecs, resolver, uniqueSymbol } from 'hono-openapi';
import type { OpenAPIV3_1 } from 'openapi-types';
import { z } from 'zod';

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

const REASONS: Record<number, string> = {
  400: 'Invalid request (the fields say which and why)',
  401: 'Not logged in, or the session or key is not valid',
  403: 'Not allowed',
  404: 'No such record (or not one this caller may see)',
  409: 'Conflicts with the current state',
  413: 'Body too large',
  415: 'Body is not JSON',
  429: 'Too many requests (see Retry-After)',
};

/** A response: its schema (JSON body), a description alone (no body), or both. */
export type ResponseSpec = z.ZodType | string | { description: string; schema?: z.ZodType; content?: string };

export interface RouteSpec {
  summary: string;
  description?: string;
  /** Which credential the route needs: a customer session token or a provider API key. */
  auth?: 'session' | 'apiKey';
  tags?: string[];
  /** A body that is not JSON (the bytes of an upload): its media type and what it is. */
  rawBody?: { content: string; description: string };
  /** Status → response. Error statuses need no schema: they answer `Error`. */
  responses: Record<number, ResponseSpec>;
}

function response(status: number, spec: ResponseSpec) {
  if (typeof spec === 'string') {
    return status >= 400 ? { description: spec, content: { 'application/json': { schema: resolver(ErrorBody) } } } : { description: spec };
  }
  if (spec instanceof z.ZodType) return { description: 'OK', content: { 'application/json': { schema: resolver(spec) } } };
  const schema = spec.schema ?? (status >= 400 ? ErrorBody : undefined);
  if (!schema) return { description: spec.description };
  return { description: spec.description, content: { [spec.content ?? 'application/json']: { schema: resolver(schema) } } };
}

/**
 * Attaches a route's OpenAPI description to its handler: no middleware, so nothing runs per
 * request. Error statuses without a description get the usual one.
 */
export function documented<H extends object>(spec: RouteSpec, handler: H): H {
  const responses = Object.fromEntries(Object.entries(spec.responses).map(([status, r]) => [status, response(Number(status), r)]));
  return Object.assign(handler, {
    [uniqueSymbol]: {
      spec: {
        summary: spec.summary,
        ...(spec.description ? { description: spec.description } : {}),
        ...(spec.tags ? { tags: spec.tags } : {}),
        ...(spec.auth ? { security: [{ [spec.auth]: [] }] } : {}),
        ...(spec.rawBody
          ? { requestBody: { required: true, description: spec.rawBody.description, content: { [spec.rawBody.content]: { schema: { type: 'string', format: 'binary' } } } } }
          : {}),
        responses,
      },
    },
  });
}

/** Marks a validator middleware with the schema it checks, for the document. */
export function describesInput<M extends object>(middleware: M, target: 'json' | 'query' | 'param', schema: z.ZodType): M {
  return Object.assign(middleware, { [uniqueSymbol]: { target, ...resolver(schema) } });
}

/** Shorthand for the error statuses a route may answer: `errors(400, 404)`. */
export const errors = (...statuses: number[]): Record<number, string> => Object.fromEntries(statuses.map((s) => [s, REASONS[s] ?? 'Error']));

export async function openApiDocument(app: Hono<any, any, any>, version: string): Promise<OpenAPIV3_1.Document> {
  const doc = await generateSpecs(app, {
    documentation: {
      openapi: '3.1.0',
      info: {
        title: 'Customer portal API',
        version,
        description:
          'Customer API under /api/portal/{provider} (bearer session token from POST session); provider API under /api/provider/v1 (bearer API key pk_…). Every error answers `Error`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'http', scheme: 'bearer', description: 'Session token from POST /api/portal/{provider}/session' },
          apiKey: { type: 'http', scheme: 'bearer', description: 'Provider API key (pk_…)' },
        },
      },
    },
  });
  return doc as OpenAPIV3_1.Document;
}
