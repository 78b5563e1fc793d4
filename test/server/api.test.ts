/** /api/health and the OpenAPI document, which must list every route the app serves. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { z } from 'zod';
import { createApp } from '../../server/app.js';
import { documented } from '../../server/http/openapi.js';
import { takeViolations } from './contract-check.js';
import { openDatabase } from '../../server/db/index.js';
import { defaultSettings } from '../../server/settings.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// With the demo mailbox on (and no SMTP), the app serves every route it can.
function freshApp(version = '0.1.0') {
  return createApp(openDatabase(':memory:'), defaultSettings({ log: () => {}, version, demoMailbox: true }));
}

/** Hono's `/a/:id` (or `/a/:id{[0-9]+}`) as OpenAPI's `/a/{id}`. */
const toOpenApiPath = (path: string): string => path.replace(/:(\w+)(?:\{[^}]*\})?/g, '{$1}');

/** "METHOD /path" of every API route the app serves (middleware, registered as ALL, excluded). */
function servedRoutes(app: ReturnType<typeof freshApp>): string[] {
  const served = new Set<string>();
  for (const r of app.routes) {
    if (r.method === 'ALL' || !r.path.startsWith('/api')) continue;
    served.add(`${r.method.toUpperCase()} ${toOpenApiPath(r.path)}`);
  }
  return [...served].sort();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

function documentedRoutes(doc: Doc): string[] {
  const documented: string[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(item)) if (METHODS.includes(method)) documented.push(`${method.toUpperCase()} ${path}`);
  }
  return documented.sort();
}

describe('/api/health', () => {
  test('200 {status: "ok"} with the version', async () => {
    const res = await freshApp('9.8.7').request('/api/health');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await res.json(), { status: 'ok', version: '9.8.7' });
  });

  test('API answers carry security headers', async () => {
    const res = await freshApp().request('/api/health');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(res.headers.get('x-request-id'), 'a request id for correlating logs');
  });
});

describe('/api/openapi.json', () => {
  test('200, an OpenAPI 3.1 document with this version', async () => {
    const res = await freshApp('2.3.4').request('/api/openapi.json');
    assert.equal(res.status, 200);
    const doc: Doc = await res.json();
    assert.match(doc.openapi, /^3\.1\.\d+$/);
    assert.equal(typeof doc.info?.title, 'string');
    assert.equal(doc.info.version, '2.3.4');
    assert.equal(typeof doc.paths, 'object');
  });

  test('every route the app serves is documented, with the same method and path', async () => {
    const app = freshApp();
    const doc: Doc = await (await app.request('/api/openapi.json')).json();
    const served = servedRoutes(app);
    assert.ok(served.includes('POST /api/portal/{provider}/session'), `sanity: the route list is read (${served.join(', ')})`);
    const documented = new Set(documentedRoutes(doc));
    const missing = served.filter((r) => !documented.has(r));
    assert.deepEqual(missing, [], `served but not in the OpenAPI document: ${missing.join(', ')}`);
  });

  test('every documented route is served (the document does not promise routes that do not exist)', async () => {
    const app = freshApp();
    const doc: Doc = await (await app.request('/api/openapi.json')).json();
    const served = new Set(servedRoutes(app));
    const extra = documentedRoutes(doc).filter((r) => !served.has(r));
    assert.deepEqual(extra, [], `documented but not served: ${extra.join(', ')}`);
  });

  test('the route check itself catches an undocumented route', async () => {
    // Guard against the comparison above silently passing: a route added after the fact shows up.
    const app = freshApp();
    app.get('/api/portal/:provider/undocumented', (c) => c.text('x'));
    const doc: Doc = await (await app.request('/api/openapi.json')).json();
    const documented = new Set(documentedRoutes(doc));
    assert.deepEqual(
      servedRoutes(app).filter((r) => !documented.has(r)),
      ['GET /api/portal/{provider}/undocumented'],
    );
  });

  test('each operation declares its path parameters, responses, and only known security schemes and refs', async () => {
    const doc: Doc = await (await freshApp().request('/api/openapi.json')).json();
    const schemes = Object.keys(doc.components?.securitySchemes ?? {});
    const schemas = doc.components?.schemas ?? {};
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Doc>>)) {
      const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.includes(method)) continue;
        const where = `${method.toUpperCase()} ${path}`;
        const declared = (op.parameters ?? []).filter((p: Doc) => p.in === 'path').map((p: Doc) => p.name);
        assert.deepEqual(declared.sort(), [...params].sort(), `${where}: path parameters`);
        for (const p of op.parameters ?? []) if (p.in === 'path') assert.equal(p.required, true, `${where}: ${p.name} is required`);
        assert.ok(Object.keys(op.responses ?? {}).length > 0, `${where}: has responses`);
        for (const status of Object.keys(op.responses)) assert.match(status, /^[1-5]\d\d$/, `${where}: status ${status}`);
        for (const req of op.security ?? []) {
          for (const name of Object.keys(req)) assert.ok(schemes.includes(name), `${where}: security scheme ${name} is defined`);
        }
      }
    }
    for (const [, ref] of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
      assert.ok(ref && ref in schemas, `$ref to ${ref} resolves`);
    }
  });

  test('routes behind a session are documented as needing one', async () => {
    const doc: Doc = await (await freshApp().request('/api/openapi.json')).json();
    for (const [method, path] of [
      ['get', '/api/portal/{provider}/me'],
      ['delete', '/api/portal/{provider}/session'],
    ] as const) {
      const op = doc.paths[path]?.[method];
      assert.ok(op, `${method} ${path} is documented`);
      assert.ok((op.security ?? []).some((s: Doc) => 'session' in s), `${method} ${path} needs a session`);
      assert.ok('401' in op.responses);
    }
    const login = doc.paths['/api/portal/{provider}/session'].post;
    assert.equal(login.security, undefined, 'logging in needs no session');
    const schema = login.requestBody?.content?.['application/json']?.schema;
    assert.deepEqual([...(schema?.required ?? [])].sort(), ['email', 'password']);
  });

  test('is a valid OpenAPI 3.1 document (checked against the specification\'s own JSON schema)', async () => {
    const doc: Doc = await (await freshApp().request('/api/openapi.json')).json();
    const result = await new Validator().validate(doc);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1)?.slice(0, 2000));
  });

  test('every success answer is documented with a schema (nothing answers an undescribed body)', async () => {
    const doc: Doc = await (await freshApp().request('/api/openapi.json')).json();
    const missing: string[] = [];
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Doc>>)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, r] of Object.entries(op.responses as Record<string, Doc>)) {
          if (status === '204') continue;
          if (!Object.values((r.content ?? {}) as Record<string, Doc>).some((media) => media.schema)) missing.push(`${method.toUpperCase()} ${path} ${status}`);
        }
        const bodies = Object.values((op.requestBody?.content ?? {}) as Record<string, Doc>);
        if (op.requestBody && !bodies.some((media) => media.schema)) missing.push(`${method.toUpperCase()} ${path} request body`);
      }
    }
    assert.deepEqual(missing, []);
  });

  test('the answer check that runs under every server test catches an answer that breaks its documented schema', async () => {
    const app = freshApp();
    const Thing = z.object({ count: z.number().int() });
    app.get('/api/thing', documented({ summary: 'a thing', responses: { 200: Thing } }), (c) => c.json({ count: 'three' }));
    app.get('/api/other', documented({ summary: 'other', responses: { 200: Thing } }), (c) => c.json({ count: 3 }, 201));
    const res = await app.request('/api/thing');
    assert.equal(res.status, 500);
    const other = await app.request('/api/other');
    assert.equal(other.status, 500);
    const seen = takeViolations();
    assert.equal(seen.length, 2);
    assert.match(seen[0]!, /GET \/api\/thing 200 body does not match its schema: \/count must be integer/);
    assert.match(seen[1]!, /GET \/api\/other answered 201, which it does not document/);
  });
});
