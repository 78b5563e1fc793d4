/**
 * Property-based fuzz over every route of the OpenAPI document the running app serves (read at
 * run time, so it follows the routes as they change): random valid and invalid paths, queries
 * and bodies, as customers of both providers, as both providers' API keys, and as nobody.
 * Never a 5xx; every 4xx in the one error shape; nothing written on a 4xx.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { createApiKey } from '../../server/providers/api-keys.js';
import { insertJob } from '../../server/jobs/data.js';
import { fixtureHashes, makeWorld, type World } from './helpers.js';
import { bodyText, queryValue, type Schema } from './openapi-arbitraries.js';
import { snapshot } from './provider-helpers.js';

before(fixtureHashes);

/** Requests per operation: ~50 operations, so about 2,500 requests in all. */
const RUNS = 50;
const UNLIMITED = { limit: 1_000_000, windowMs: 60_000 };

interface Operation {
  method: string;
  path: string;
  auth: 'session' | 'apiKey' | null;
  parameters: { name: string; in: string; schema: Schema }[];
  body: Schema | null;
  /** Error statuses the route documents as an HTML page (a link opened in a browser), not the JSON shape. */
  htmlErrors: string[];
}

/** The operations listed in the document, as served by the app itself. */
async function operations(w: World): Promise<Operation[]> {
  const res = await w.app.request('/api/openapi.json');
  assert.equal(res.status, 200);
  const doc = (await res.json()) as { paths: Record<string, Record<string, Schema>> };
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const security = (op.security?.[0] ? Object.keys(op.security[0])[0] : null) as Operation['auth'];
      ops.push({
        method: method.toUpperCase(),
        path,
        auth: security,
        parameters: op.parameters ?? [],
        body: op.requestBody?.content?.['application/json']?.schema ?? null,
        htmlErrors: Object.entries((op.responses ?? {}) as Record<string, Schema>).filter(([, r]) => r.content?.['text/html']).map(([status]) => status),
      });
    }
  }
  return ops;
}

interface Fixture {
  w: World;
  ids: number[];
  contacts: { id: number; providerId: number; slug: string }[];
  keys: string[];
}

async function fixture(): Promise<Fixture> {
  const w = await makeWorld({
    log: () => {},
    loginLimits: { perAccount: UNLIMITED, perIp: UNLIMITED },
    resetLimits: { perAddress: UNLIMITED, perIp: UNLIMITED, perLink: UNLIMITED },
    writeLimits: { perContact: UNLIMITED, perProvider: UNLIMITED },
    addressLimit: UNLIMITED,
  });
  for (const [providerId, companyId, by] of [
    [w.acme.id, w.ids.acmeCompany, w.ids.alice],
    [w.acme.id, w.ids.acmeOtherCompany, w.ids.bob],
    [w.bright.id, w.ids.brightCompany, w.ids.sharedAtBright],
  ] as const) {
    insertJob(w.db, providerId, { companyId, title: 'Fuzz job', createdByContactId: by, contactId: by, status: 'scheduled', source: 'office' });
  }
  const keys = [createApiKey(w.db, w.acme.id, 'fuzz A').key, createApiKey(w.db, w.bright.id, 'fuzz B').key];
  const ids = w.db.prepare('SELECT id FROM jobs UNION SELECT id FROM companies UNION SELECT id FROM contacts').pluck().all() as number[];
  const contacts = [w.ids.alice, w.ids.bob, w.ids.sharedAtAcme, w.ids.sharedAtBright].map((id) => ({
    id,
    providerId: w.db.prepare('SELECT provider_id FROM contacts WHERE id = ?').pluck().get(id) as number,
    slug: w.db.prepare('SELECT p.slug FROM contacts c JOIN providers p ON p.id = c.provider_id WHERE c.id = ?').pluck().get(id) as string,
  }));
  return { w, ids, contacts, keys };
}

type Who = { kind: 'contact'; index: number } | { kind: 'key'; index: number } | { kind: 'none' } | { kind: 'garbage'; value: string };

interface Drawn {
  path: string;
  /** Send it to the customer's own provider (most sessions are used there). */
  ownProvider: boolean;
  query: string;
  body: string | null;
  contentType: string;
  who: Who;
}

function requestArb(op: Operation, f: Fixture): fc.Arbitrary<Drawn> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const param = (name: string): fc.Arbitrary<string> =>
    name === 'provider'
      ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom('acme', 'bright') }, { weight: 1, arbitrary: fc.constantFrom('nope', 'ACME', '..', 'a', '%E0%A4%A', 'acme%2Fjobs', '%00', 'x'.repeat(70)) })
      : fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...f.ids).map(String) },
          { weight: 1, arbitrary: fc.integer({ min: -3, max: 2_000_000 }).map(String) },
          { weight: 1, arbitrary: fc.constantFrom('0', '-1', '1e3', '0x10', '1.5', '99999999999999999999', 'abc', '%ff', '%2e%2e', ' 1') },
        );
  const who: fc.Arbitrary<Who> = fc.oneof(
    { weight: 4, arbitrary: op.auth === 'apiKey' ? fc.integer({ min: 0, max: f.keys.length - 1 }).map((index) => ({ kind: 'key' as const, index })) : fc.integer({ min: 0, max: f.contacts.length - 1 }).map((index) => ({ kind: 'contact' as const, index })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 1, arbitrary: fc.constantFrom('pk_guess', 'not-a-token', '', 'x'.repeat(300)).map((value) => ({ kind: 'garbage' as const, value })) },
  );
  return fc.record({
    path: fc.tuple(...pathParams.map((p) => param(p.name))).map((values) => {
      let path = op.path;
      pathParams.forEach((p, i) => (path = path.replace(`{${p.name}}`, values[i]!)));
      return path;
    }),
    query: fc
      .tuple(...queryParams.map((p) => fc.option(queryValue(p.schema), { nil: undefined })), fc.option(fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 })), { nil: undefined }))
      .map((values) => {
        const q = new URLSearchParams();
        queryParams.forEach((p, i) => values[i] !== undefined && q.set(p.name, values[i] as string));
        const extra = values[queryParams.length] as [string, string] | undefined;
        if (extra) q.set(extra[0], extra[1]);
        const s = q.toString();
        return s ? `?${s}` : '';
      }),
    ownProvider: fc.boolean(),
    body: op.body ? bodyText(op.body) : fc.option(fc.constantFrom('{}', 'x'), { nil: null }),
    contentType: fc.oneof({ weight: 8, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', '') }),
    who,
  });
}

/** Lets what a request scheduled for later (a reset mail, the local mailer) happen before the next snapshot. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
};

describe('fuzz over every route in /api/openapi.json', () => {
  test('never a 5xx, every error in the one shape, nothing written on a 4xx', async (t) => {
    const f = await fixture();
    const ops = await operations(f.w);
    assert.ok(ops.length >= 40, `the document lists the routes (${ops.length})`);
    const seen = new Map<number, number>();
    for (const op of ops) {
      await fc.assert(
        fc.asyncProperty(requestArb(op, f), async (d) => {
          await settle();
          const auth = d.who.kind === 'contact' ? f.contacts[d.who.index]! : null;
          const token = auth ? (await f.w.app.deps.auth.create(auth.id, auth.providerId)).token : null;
          // Sessions are created before the snapshot: a request is judged by what it writes itself.
          const before = snapshot(f.w.db);
          const headers: Record<string, string> = {};
          if (token) headers.authorization = `Bearer ${token}`;
          else if (d.who.kind === 'key') headers.authorization = `Bearer ${f.keys[d.who.index]}`;
          else if (d.who.kind === 'garbage') headers.authorization = `Bearer ${d.who.value}`;
          const init: RequestInit = { method: op.method, headers };
          if (d.body !== null && op.method !== 'GET') {
            if (d.contentType) headers['content-type'] = d.contentType;
            init.body = d.body;
          }
          const path = auth && d.ownProvider ? d.path.replace(/^\/api\/portal\/(?:acme|bright)\//, `/api/portal/${auth.slug}/`) : d.path;
          const res = await f.w.app.request(path + d.query, init);
          // An event stream answers for as long as it is open: judged by its status alone.
          const streaming = (res.headers.get('content-type') ?? '').startsWith('text/event-stream');
          if (streaming) await res.body?.cancel();
          const text = streaming ? '' : await res.text();
          await settle();
          seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
          const what = `${op.method} ${path}${d.query} → ${res.status} ${text.slice(0, 300)}`;
          assert.ok(res.status < 500, what);
          if (res.status >= 400 && op.htmlErrors.includes(String(res.status)) && /^text\/html/.test(res.headers.get('content-type') ?? '')) {
            assert.deepEqual(snapshot(f.w.db), before, `nothing written: ${what}`);
          } else if (res.status >= 400) {
            assert.match(res.headers.get('content-type') ?? '', /^application\/json/, what);
            const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; fields?: unknown } };
            assert.deepEqual(Object.keys(body), ['error'], what);
            assert.equal(typeof body.error?.code, 'string', what);
            assert.equal(typeof body.error?.message, 'string', what);
            for (const key of Object.keys(body.error ?? {})) assert.ok(['code', 'message', 'fields'].includes(key), what);
            if (body.error?.fields !== undefined) {
              for (const v of Object.values(body.error.fields as object)) assert.equal(typeof v, 'string', what);
            }
            assert.doesNotMatch(text, /\bat .+\.(?:ts|js):\d+/, `no stack trace: ${what}`);
            assert.deepEqual(snapshot(f.w.db), before, `nothing written: ${what}`);
          }
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    }
    t.diagnostic(`answers by status: ${JSON.stringify(Object.fromEntries([...seen].sort((a, b) => a[0] - b[0])))}`);
    // The fuzz reached past validation: successes and refusals of several kinds.
    for (const status of [200, 400, 401, 404]) assert.ok((seen.get(status) ?? 0) > 0, `some answers were ${status}: ${JSON.stringify([...seen])}`);
  });
});
