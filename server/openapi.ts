import { z } from 'zod';
import { LoginBody } from './schemas.js';

interface RouteDoc {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** Hono path syntax (`:param`); converted to OpenAPI's `{param}`. */
  path: string;
  summary: string;
  auth?: 'session' | 'apiKey';
  body?: z.ZodType;
  responses: Record<number, string>;
}

const PORTAL = '/api/portal/:provider';

/** Every API route. A test fails when a route is served that is not listed here. */
export const routeDocs: RouteDoc[] = [
  { method: 'get', path: '/api/health', summary: 'Liveness and version', responses: { 200: 'Healthy' } },
  { method: 'get', path: '/api/openapi.json', summary: 'This document', responses: { 200: 'OpenAPI 3.1 document' } },
  {
    method: 'get',
    path: `${PORTAL}/config`,
    summary: "The provider's public portal configuration: name, theme, feature switches",
    responses: { 200: 'Configuration', 404: 'Unknown provider' },
  },
  {
    method: 'post',
    path: `${PORTAL}/session`,
    summary: 'Log in with email and password; returns a bearer token',
    body: LoginBody,
    responses: { 201: 'Logged in', 400: 'Invalid body', 401: 'Wrong email or password', 403: 'Account disabled', 429: 'Too many attempts' },
  },
  {
    method: 'delete',
    path: `${PORTAL}/session`,
    summary: 'Log out: ends this session',
    auth: 'session',
    responses: { 204: 'Logged out', 401: 'No live session' },
  },
  {
    method: 'get',
    path: `${PORTAL}/me`,
    summary: 'The logged-in contact, their company, permissions and the provider configuration',
    auth: 'session',
    responses: { 200: 'Who am I', 401: 'No live session' },
  },
];

const ERROR = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        fields: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  },
};

export function openApiDocument(version: string): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routeDocs) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    paths[path] ??= {};
    paths[path][r.method] = {
      summary: r.summary,
      ...(params.length ? { parameters: params } : {}),
      ...(r.auth ? { security: [{ [r.auth]: [] }] } : {}),
      ...(r.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(r.body) } } } }
        : {}),
      responses: Object.fromEntries(
        Object.entries(r.responses).map(([status, description]) => [
          status,
          Number(status) >= 400
            ? { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
            : { description },
        ]),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Customer portal API', version },
    paths,
    components: {
      schemas: { Error: ERROR },
      securitySchemes: {
        session: { type: 'http', scheme: 'bearer', description: 'Session token from POST /session' },
        apiKey: { type: 'http', scheme: 'bearer', description: 'Provider API key (pk_…)' },
      },
    },
  };
}
