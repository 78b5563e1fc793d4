import { z } from 'zod';
import { ChangePasswordBody, ForgotPasswordBody, LinkBody, LoginBody, SetPasswordBody } from './schemas.js';

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
  {
    method: 'post',
    path: `${PORTAL}/password/forgot`,
    summary: 'Ask for a password-reset link by email. Answers the same whether or not the address is known',
    body: ForgotPasswordBody,
    responses: { 202: 'Accepted (a link is sent if the address is known)', 400: 'Invalid body', 429: 'Too many requests' },
  },
  {
    method: 'post',
    path: `${PORTAL}/password/link`,
    summary: 'Check an invitation or reset link before asking for a password',
    body: LinkBody,
    responses: { 200: 'The link is live: its purpose and the contact', 400: 'Not a valid link', 403: 'Account disabled', 410: 'Used or expired' },
  },
  {
    method: 'post',
    path: `${PORTAL}/password/set`,
    summary: 'Set a password with an invitation or reset link (once); ends every other session and logs in',
    body: SetPasswordBody,
    responses: { 200: 'Password set; logged in', 400: 'Invalid link or weak password', 410: 'Used or expired', 429: 'Too many attempts on this link' },
  },
  {
    method: 'post',
    path: `${PORTAL}/password/change`,
    summary: 'Change the password of the logged-in contact; ends every other session',
    auth: 'session',
    body: ChangePasswordBody,
    responses: { 200: 'Changed', 400: 'Wrong current password or weak new password', 401: 'No live session', 429: 'Too many attempts' },
  },
  {
    method: 'delete',
    path: `${PORTAL}/sessions`,
    summary: "Log out everywhere: ends all of the contact's sessions",
    auth: 'session',
    responses: { 204: 'Logged out everywhere', 401: 'No live session' },
  },
  {
    method: 'get',
    path: '/api/dev/mailbox',
    summary: 'Demo mailbox: mail kept locally when no SMTP server is configured (absent otherwise; this machine only)',
    responses: { 200: 'The latest 100 messages', 403: 'Not from this machine' },
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
