/**
 * The OpenAPI 3.1 document, generated from the route definitions: each route's validators
 * (`jsonBody`, `query`, `idParam` in ./validate.ts) carry their request schema, and its handler
 * carries its summary and response schemas (`documented`). Nothing about a route is written
 * twice: add a route with `documented(...)` and it is in the document.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import { generateSpecs, resolver, uniqueSymbol } from 'hono-openapi';
import type { OpenAPIV3_1 } from 'openapi-types';
import { z } from 'zod';
import { ErrorBody } from './errors.js';

const REASONS: Record<number, string> = {
  400: 'Invalid request (the fields say which and why)',
  401: 'Not logged in, or the session or key is not valid',
  403: 'Not allowed',
  404: 'No such record (or not one this caller may see)',
  409: 'Conflicts with the current state',
  422: 'Idempotency-Key reused with a different request',
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
  const schema = spec.schema ?? (status >= 400 && !spec.content ? ErrorBody : undefined);
  if (!schema) {
    if (!spec.content) return { description: spec.description };
    // A page or the bytes of a file: described as text, or as binary.
    const text = spec.content.startsWith('text/');
    return { description: spec.description, content: { [spec.content]: { schema: text ? { type: 'string' } : { type: 'string', format: 'binary' } } } };
  }
  return { description: spec.description, content: { [spec.content ?? 'application/json']: { schema: resolver(schema) } } };
}

/**
 * A route's OpenAPI description, as the first middleware of the route: `.get(path, documented({...}),
 * validators…, handler)`. It does nothing per request but pass on; generateSpecs reads it from
 * the route. (Attached to the handler instead, it would hide the validators' types from it.)
 */
export function documented(spec: RouteSpec): MiddlewareHandler {
  const responses = Object.fromEntries(Object.entries(spec.responses).map(([status, r]) => [status, response(Number(status), r)]));
  const passOn: MiddlewareHandler = (_c, next) => next();
  return Object.assign(passOn, {
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

/** The document itself, as far as a reader relies on it. */
export const OpenApiDocumentSchema = z
  .looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) })
  .meta({ id: 'OpenApiDocument' });

/** Shorthand for the error statuses a route may answer: `errors(400, 404)`. */
export const errors = (...statuses: number[]): Record<number, string> => Object.fromEntries(statuses.map((s) => [s, REASONS[s] ?? 'Error']));

export async function openApiDocument(app: Hono<any, any, any>, version: string): Promise<OpenAPIV3_1.Document> {
  const doc = await generateSpecs(app, {
    // Its default leaves out paths with a dot, which would drop /api/openapi.json itself.
    excludeStaticFile: false,
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
  addSharedAnswers(doc as OpenAPIV3_1.Document);
  return doc as OpenAPIV3_1.Document;
}

const IDEMPOTENCY_KEY: OpenAPIV3_1.ParameterObject = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe: the first answer (below 500) is kept for a day and given again for the same request with the same key; the same key with another request answers 422. Keys are per provider, and on the customer API per contact.',
  schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
};
const REPLAYED: OpenAPIV3_1.HeaderObject = { description: '"true" when this is the kept answer of an earlier request with the same Idempotency-Key', schema: { type: 'string', enum: ['true'] } };

/**
 * Answers the shared middleware gives on every route it guards, documented here once rather
 * than on each route: the portal's provider and origin check, the body size limit, and the
 * Idempotency-Key of provider writes and of customer writes behind a session.
 */
function addSharedAnswers(doc: OpenAPIV3_1.Document): void {
  const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item ?? {}) as [string, OpenAPIV3_1.OperationObject][]) {
      if (typeof op !== 'object' || !op.responses) continue;
      const add = (status: number, description: string) => (op.responses![status] ??= error(description));
      // Where a route answers errors as a page (a link opened in a browser), the shared middleware
      // before it still answers in the JSON shape.
      for (const [status, r] of Object.entries(op.responses)) {
        const content = (r as OpenAPIV3_1.ResponseObject).content;
        if (Number(status) >= 400 && content && !content['application/json']) content['application/json'] = error('').content['application/json'];
      }
      // Any path can be malformed (bad percent-encoding), and any caller can hit a limit: the
      // per-address limit counts failed authentication too, and writes have their own limits.
      add(400, 'Malformed path, or invalid request');
      if (path.startsWith('/api/portal/') || path.startsWith('/api/provider/')) add(429, REASONS[429]!);
      if (path.startsWith('/api/portal/{provider}')) {
        add(404, 'No such provider (or record)');
        add(403, 'Origin not registered for this provider');
      }
      if (op.requestBody) {
        add(413, REASONS[413]!);
        add(415, REASONS[415]!);
        add(400, REASONS[400]!);
      }
      // Provider writes, and customer writes behind a session (requireSession), take a key.
      const session = op.security?.some((s) => 'session' in s) ?? false;
      if (method !== 'get' && (path.startsWith('/api/provider/v1') || (path.startsWith('/api/portal/{provider}') && session))) {
        add(409, 'Conflicts with the current state, or the same Idempotency-Key is still being answered');
        add(422, REASONS[422]!);
        (op.parameters ??= []).push(IDEMPOTENCY_KEY);
        for (const [status, answer] of Object.entries(op.responses)) {
          if (Number(status) < 500 && !('$ref' in answer)) answer.headers = { ...answer.headers, 'Idempotent-Replayed': REPLAYED };
        }
      }
    }
  }
}
