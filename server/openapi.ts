import type { Hono } from 'hono';
import { z } from 'zod';
import { openApiDocument as generatedDocument } from './http/openapi.js';
import {
  ChangePasswordBody,
  DetailsUpdateBody,
  EquipmentCreateBody,
  EquipmentListQuery,
  ForgotPasswordBody,
  JobCreateBody,
  JobListQuery,
  JobUpdateBody,
  LinkBody,
  LoginBody,
  QuoteAnswerBody,
  QuoteListQuery,
  QuoteRequestBody,
  SetPasswordBody,
} from './schemas.js';
import {
  CompanyCreate,
  CompanyUpdate,
  ContactCreate,
  ContactUpdate,
  DeliveriesQuery,
  EquipmentCreateOffice,
  EquipmentUpdateOffice,
  JobCreate,
  JobNote,
  JobUpdate,
  Position,
  QuoteCreate,
  QuoteSend,
  SyncQuery,
  WebhookEndpointCreate,
} from './provider-schemas.js';

interface RouteDoc {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** Hono path syntax (`:param`); converted to OpenAPI's `{param}`. */
  path: string;
  summary: string;
  auth?: 'session' | 'apiKey';
  body?: z.ZodType;
  query?: z.ZodObject;
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
  ...(
    [
      ['get', '/jobs', "One page of the contact's jobs (own or all of the company, per permission); search, status filter, sort, keyset paging", { query: JobListQuery }],
      ['post', '/jobs', 'Create a job (status requested, from the portal); needs "create jobs"', { body: JobCreateBody, created: true }],
      ['get', '/jobs/:id', 'A job with its timeline', {}],
      ['patch', '/jobs/:id', 'Edit a job the contact may edit, while it is open', { body: JobUpdateBody, conflict: true }],
      ['get', '/quotes', "One page of the contact's quotes; search, status filter, keyset paging", { query: QuoteListQuery }],
      ['post', '/quotes', 'Request a quote; needs "create quotes"', { body: QuoteRequestBody, created: true }],
      ['get', '/quotes/:id', 'A quote with its lines', {}],
      ['post', '/quotes/:id/accept', 'Accept a sent quote, once, before it expires', { body: QuoteAnswerBody, conflict: true }],
      ['post', '/quotes/:id/decline', 'Decline a sent quote, once, before it expires', { body: QuoteAnswerBody, conflict: true }],
      ['get', '/equipment', "The company's equipment, by name; search, keyset paging", { query: EquipmentListQuery }],
      ['post', '/equipment', 'Add equipment; needs equipment "add"', { body: EquipmentCreateBody, created: true }],
      ['get', '/details', "The company's and the contact's details", {}],
      ['patch', '/details', "Edit the company's and the contact's details; needs details \"edit\"", { body: DetailsUpdateBody }],
    ] as const
  ).map(([method, path, summary, o]): RouteDoc => {
    const extra = o as { body?: z.ZodType; query?: z.ZodObject; created?: boolean; conflict?: boolean };
    return {
      method,
      path: `${PORTAL}${path}`,
      summary,
      auth: 'session',
      ...(extra.body ? { body: extra.body } : {}),
      ...(extra.query ? { query: extra.query } : {}),
      responses: Object.fromEntries(
        [
          [extra.created ? 201 : 200, 'OK'],
          [400, 'Invalid input (fields named)'],
          [401, 'No live session'],
          [403, "Not allowed by the contact's permissions"],
          ...(path.includes(':id') ? [[404, 'No such record visible to this contact']] : []),
          ...(extra.conflict ? [[409, 'Not possible in its current state']] : []),
        ],
      ),
    };
  }),
  ...(
    [
      ['get', '/companies', 'Companies, oldest change first; `updated_since` and keyset paging for syncing', { query: SyncQuery }],
      ['post', '/companies', 'Create a company (a customer of the provider)', { body: CompanyCreate, created: true }],
      ['get', '/companies/:id', 'A company', {}],
      ['patch', '/companies/:id', 'Update a company', { body: CompanyUpdate }],
      ['post', '/contacts', 'Create a portal contact of a company, with permissions; sends the invitation email unless "invite": false', { body: ContactCreate, created: true, conflict: true }],
      ['get', '/contacts/:id', 'A contact and their permissions', {}],
      ['patch', '/contacts/:id', 'Update a contact: name, phone, permissions, disabled (disabling ends their sessions)', { body: ContactUpdate }],
      ['post', '/contacts/:id/invite', 'Send (again) the invitation email; replaces the previous link', { accepted: true, conflict: true }],
      ['get', '/jobs', 'Jobs, oldest change first; `updated_since` and keyset paging for syncing (portal-created jobs included)', { query: SyncQuery }],
      ['post', '/jobs', 'Create a job for a company', { body: JobCreate, created: true, conflict: true }],
      ['get', '/jobs/:id', 'A job with its timeline', {}],
      ['patch', '/jobs/:id', 'Update a job: status (with a note), schedule, technician, address and coordinates, details', { body: JobUpdate }],
      ['post', '/jobs/:id/notes', "Add a note to the job's timeline (the customer sees it)", { body: JobNote, created: true }],
      ['post', '/jobs/:id/position', "Record the technician's position for the job (for the live map)", { body: Position, created: true }],
      ['get', '/quotes', 'Quotes with the customer\'s answers, oldest change first; `updated_since` and keyset paging', { query: SyncQuery }],
      ['post', '/quotes', 'Create a quote (optionally sent at once with lines and validUntil)', { body: QuoteCreate, created: true }],
      ['get', '/quotes/:id', "A quote with its lines and the customer's answer", {}],
      ['post', '/quotes/:id/send', 'Send a quote: lines, validity', { body: QuoteSend, conflict: true }],
      ['post', '/quotes/:id/expire', 'Mark a quote expired', { conflict: true }],
      ['post', '/equipment', "Add equipment to a company's list", { body: EquipmentCreateOffice, created: true }],
      ['get', '/equipment/:id', 'One piece of equipment', {}],
      ['patch', '/equipment/:id', 'Update equipment (service dates, location, …)', { body: EquipmentUpdateOffice }],
      ['get', '/webhooks/endpoints', 'Registered webhook endpoints', {}],
      ['post', '/webhooks/endpoints', 'Register an endpoint; the answer holds its signing secret, shown once', { body: WebhookEndpointCreate, created: true }],
      ['delete', '/webhooks/endpoints/:id', 'Stop delivering to an endpoint', { noContent: true }],
      ['get', '/webhooks/deliveries', 'Recent webhook deliveries with their status, attempts and last error', { query: DeliveriesQuery }],
      [
        'post',
        '/webhooks/deliveries/:id/retry',
        'Send a failed delivery again: pending, attempts from 0, due now; answers the delivery as listed. 409 when it was delivered, is already pending or its endpoint was removed',
        { conflict: true },
      ],
    ] as const
  ).map(([method, path, summary, o]): RouteDoc => {
    const extra = o as { body?: z.ZodType; query?: z.ZodObject; created?: boolean; accepted?: boolean; conflict?: boolean; noContent?: boolean };
    return {
      method,
      path: `/api/provider/v1${path}`,
      summary,
      auth: 'apiKey',
      ...(extra.body ? { body: extra.body } : {}),
      ...(extra.query ? { query: extra.query } : {}),
      responses: Object.fromEntries([
        [extra.created ? 201 : extra.accepted ? 202 : extra.noContent ? 204 : 200, 'OK'],
        [400, 'Invalid input (fields named)'],
        [401, 'Missing, wrong or revoked API key'],
        ...(path.includes(':id') || extra.body ? [[404, "No such record of this provider (another provider's ids too)"]] : []),
        ...(extra.conflict || method !== 'get'
          ? [[409, [extra.conflict ? 'Not possible in its current state' : '', method !== 'get' ? 'A request with this Idempotency-Key is still running (Retry-After)' : ''].filter(Boolean).join('; ')]]
          : []),
        ...(method !== 'get' ? [[422, 'Idempotency-Key reused with a different request']] : []),
      ]),
    };
  }),
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
    const params: object[] = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: m[1] === 'id' ? { type: 'integer', minimum: 1 } : { type: 'string' },
    }));
    if (r.query) {
      const schema = z.toJSONSchema(r.query, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, object> };
      for (const [name, s] of Object.entries(schema.properties ?? {})) params.push({ name, in: 'query', required: false, schema: s });
    }
    paths[path] ??= {};
    paths[path][r.method] = {
      summary: r.summary,
      ...(params.length ? { parameters: params } : {}),
      ...(r.auth ? { security: [{ [r.auth]: [] }] } : {}),
      ...(r.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(r.body, { io: 'input', unrepresentable: 'any' }) } } } }
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

/**
 * The listed routes plus those documented from their definitions (`documented`/`describe`),
 * while the routes move over to the generated document.
 */
export async function withGeneratedRoutes(listed: object, app: Hono<any, any, any>, version: string): Promise<object> {
  const doc = listed as { paths: Record<string, object>; components: { schemas: Record<string, object> } };
  const generated = await generatedDocument(app, version);
  return {
    ...doc,
    paths: { ...doc.paths, ...generated.paths },
    components: { ...doc.components, schemas: { ...doc.components.schemas, ...(generated.components?.schemas ?? {}) } },
  };
}
