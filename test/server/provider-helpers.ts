/**
 * Fixtures for the provider API tests: the two-provider world of helpers.ts with an API key
 * per provider, a request helper for /api/provider/v1, and whole-table snapshots for
 * "nothing was written".
 */
import assert from 'node:assert/strict';
import { createApiKey } from '../../server/providers/api-keys.js';
import type { Db } from '../../server/db/index.js';
import type { Settings } from '../../server/settings.js';
import { makeWorld, type App, type World } from './helpers.js';

export interface ProviderWorld extends World {
  /** A live key of acme. */
  keyA: string;
  /** A live key of bright. */
  keyB: string;
}

export async function makeProviderWorld(overrides: Partial<Settings> = {}): Promise<ProviderWorld> {
  const w = await makeWorld(overrides);
  return { ...w, keyA: createApiKey(w.db, w.acme.id, 'office A').key, keyB: createApiKey(w.db, w.bright.id, 'office B').key };
}

/**
 * A provider API request. `body`: a value is sent as JSON; a string is sent as is (for
 * malformed JSON), with Content-Type application/json unless `headers` says otherwise.
 */
export async function papi(app: App, key: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return app.request(`/api/provider/v1${path}`, {
    method,
    headers: {
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Every table a provider API write could touch (api_keys excluded: it records last use). */
export const WRITTEN_TABLES = [
  'providers',
  'companies',
  'contacts',
  'sessions',
  'auth_links',
  'mail_outbox',
  'jobs',
  'job_events',
  'quotes',
  'quote_lines',
  'equipment',
  'technician_positions',
  'webhook_endpoints',
  'webhook_events',
  'webhook_deliveries',
  'idempotency_keys',
] as const;

export function snapshot(db: Db): Record<string, unknown[]> {
  return Object.fromEntries(WRITTEN_TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]));
}

export function assertUnchanged(db: Db, before: Record<string, unknown[]>, what: string): void {
  const after = snapshot(db);
  for (const t of WRITTEN_TABLES) assert.deepEqual(after[t], before[t], `${what}: table ${t} is unchanged`);
}

export function count(db: Db, sql: string, ...args: unknown[]): number {
  return db.prepare(sql).pluck().get(...args) as number;
}
