/**
 * Shared fixtures for the server tests: a fresh in-memory database per world, two providers
 * (tenants) with their own companies and contacts, and small request helpers.
 *
 * Argon2 costs ~50 ms per hash, so the fixture passwords are hashed once per test file
 * (each file runs in its own process) and the hashes reused by every world.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createApp } from '../../server/app.js';
import { hashPassword } from '../../server/auth/password.js';
import { createCompany, createContact } from '../../server/companies/data.js';
import { createProvider, type Provider } from '../../server/providers/data.js';
import { openDatabase, type Db } from '../../server/db/index.js';
import { defaultSettings, type Settings } from '../../server/settings.js';
import type { ApiErrorBody } from '../../server/http/errors.js';

export const PASSWORD_A = 'correct horse battery staple';
export const PASSWORD_B = 'tr0ub4dor&3-but-longer';

export const ORIGIN_A = 'https://www.acme-plumbing.example';
export const ORIGIN_B = 'https://bright-electric.example';

let hashes: Promise<{ a: string; b: string }> | undefined;
/** The fixture password hashes, computed once per file. */
export function fixtureHashes(): Promise<{ a: string; b: string }> {
  hashes ??= Promise.all([hashPassword(PASSWORD_A), hashPassword(PASSWORD_B)]).then(([a, b]) => ({ a, b }));
  return hashes;
}

export type App = ReturnType<typeof createApp>;

export interface World {
  app: App;
  db: Db;
  settings: Settings;
  /** Every line the app logged. */
  logs: string[];
  acme: Provider;
  bright: Provider;
  ids: {
    acmeCompany: number;
    acmeOtherCompany: number;
    brightCompany: number;
    /** alice@example.com at acme only, password A. */
    alice: number;
    /** bob@example.com at acme, other company, password B. */
    bob: number;
    /** shared@example.com at acme, password A. */
    sharedAtAcme: number;
    /** shared@example.com at bright too, password B. */
    sharedAtBright: number;
    /** invited@example.com at acme, no password set yet. */
    invited: number;
  };
}

/**
 * A fresh database and app: provider "acme" (origin ORIGIN_A) and provider "bright" (origin
 * ORIGIN_B), each with companies and contacts. Settings overrides are applied on top of the
 * defaults; logging is captured into `logs`.
 */
export async function makeWorld(overrides: Partial<Settings> = {}): Promise<World> {
  const { a, b } = await fixtureHashes();
  const db = openDatabase(':memory:');
  const logs: string[] = [];
  const settings = defaultSettings({ log: (line) => logs.push(line), ...overrides });

  const acme = createProvider(db, {
    slug: 'acme',
    name: 'Acme Plumbing',
    allowedOrigins: [ORIGIN_A],
    theme: { brandColor: '#0b5cab', radius: '10px', colorScheme: 'light' },
    features: { map: true, alerts: false },
  });
  const bright = createProvider(db, {
    slug: 'bright',
    name: 'Bright Electric',
    allowedOrigins: [ORIGIN_B],
    theme: { brandColor: '#ffc629', colorScheme: 'dark' },
  });
  const acmeCompany = createCompany(db, acme.id, { name: 'Harbour View', address: '12 Quay St', phone: '+1 555 0100', email: 'office@harbour.example' });
  const acmeOtherCompany = createCompany(db, acme.id, { name: 'Elm Street' });
  const brightCompany = createCompany(db, bright.id, { name: 'Old Mill' });

  const ids = {
    acmeCompany,
    acmeOtherCompany,
    brightCompany,
    alice: createContact(db, acme.id, {
      companyId: acmeCompany,
      email: 'alice@example.com',
      name: 'Alice Archer',
      phone: '+1 555 0101',
      passwordHash: a,
      permissions: { jobs: 'edit_all', quotes: 'view_own', equipment: 'add', details: 'edit', alerts: false },
    }),
    bob: createContact(db, acme.id, { companyId: acmeOtherCompany, email: 'bob@example.com', name: 'Bob Baker', passwordHash: b }),
    sharedAtAcme: createContact(db, acme.id, { companyId: acmeCompany, email: 'shared@example.com', name: 'Shared A', passwordHash: a }),
    sharedAtBright: createContact(db, bright.id, { companyId: brightCompany, email: 'shared@example.com', name: 'Shared B', passwordHash: b }),
    invited: createContact(db, acme.id, { companyId: acmeCompany, email: 'invited@example.com', name: 'Ivy Invited', passwordHash: null }),
  };

  const app = createApp(db, settings);
  return { app, db, settings, logs, acme, bright, ids };
}

type Headers = Record<string, string>;

/** POST /api/portal/:provider/session with a JSON body. */
export function login(app: App, provider: string, email: string, password: string, headers: Headers = {}): Promise<Response> {
  return post(app, `/api/portal/${provider}/session`, { email, password }, headers);
}

/** POST a JSON value (serialised here) to a path. */
export async function post(app: App, path: string, body: unknown, headers: Headers = {}): Promise<Response> {
  return app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Logs in and returns the token; fails the test unless the login succeeds. */
export async function tokenFor(app: App, provider: string, email: string, password: string): Promise<string> {
  const res = await login(app, provider, email, password);
  assert.equal(res.status, 201, `login of ${email} at ${provider} should succeed`);
  const body = await json(res);
  assert.equal(typeof body.token, 'string');
  return body.token as string;
}

/** A request with `Authorization: Bearer <token>`. */
export async function authed(app: App, path: string, token: string, init: RequestInit = {}): Promise<Response> {
  return app.request(path, { ...init, headers: { ...(init.headers as Headers | undefined), Authorization: `Bearer ${token}` } });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function json(res: Response): Promise<any> {
  const type = res.headers.get('content-type') ?? '';
  assert.match(type, /^application\/json/, `expected a JSON response, got "${type}" (status ${res.status})`);
  return res.json();
}

/**
 * Asserts an error response: the status, and the one error shape
 * `{ error: { code, message, fields? } }` with the given code and a non-empty message.
 */
export async function expectError(res: Response, status: number, code: string): Promise<ApiErrorBody['error']> {
  const text = await res.clone().text();
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}: ${text}`);
  const body = (await json(res)) as ApiErrorBody;
  assert.deepEqual(Object.keys(body), ['error'], `error body has only "error": ${text}`);
  assert.equal(body.error.code, code, `error code: ${text}`);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.message.length > 0, 'error message is not empty');
  for (const key of Object.keys(body.error)) assert.ok(['code', 'message', 'fields'].includes(key), `unexpected key ${key}`);
  assert.doesNotMatch(text, /\bat .+\.(?:ts|js):\d+/, 'no stack trace reaches the client');
  return body.error;
}

export function countSessions(db: Db): number {
  return db.prepare('SELECT count(*) FROM sessions').pluck().get() as number;
}

export interface SessionRow {
  id: string;
  contact_id: number;
  provider_id: number;
  expires_at: number;
  created_at: number;
}

export function sessionRows(db: Db): SessionRow[] {
  return db.prepare('SELECT * FROM sessions ORDER BY created_at, id').all() as SessionRow[];
}

export const sha256Hex = (s: string): string => createHash('sha256').update(s).digest('hex');

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
