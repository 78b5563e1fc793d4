/**
 * Loaded before every server test file (scripts/test.mjs: `--import`): every answer of every app
 * the tests make is checked against the OpenAPI document generated from that app's routes. The
 * status must be one the route documents, and a JSON body must match the documented schema. A
 * mismatch turns the answer into a 500 naming the route and the field (so the test that made the
 * request fails there), is printed, and fails the test file at exit.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Hono, MiddlewareHandler } from 'hono';
import { registerAnswerCheck } from '../../server/http/answer-check.js';
import { openApiDocument } from '../../server/http/openapi.js';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: object }> }>;
}
interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  params: number;
  operation: Operation;
}

const violations: string[] = [];

/** The violations seen so far, forgotten: for the test that proves the check catches one. */
export const takeViolations = (): string[] => violations.splice(0);

export async function routesOf(app: Hono<any, any, any>): Promise<{ routes: Route[]; validate: (schema: object) => ValidateFunction }> {
  const doc = (await openApiDocument(app, 'check')) as unknown as { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, object> } };
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: 'doc', components: doc.components ?? {} });
  const compiled = new Map<object, ValidateFunction>();
  const validate = (schema: object): ValidateFunction => {
    let v = compiled.get(schema);
    if (!v) {
      // Refs point into the document's components: resolve them against the registered 'doc'.
      const rebased = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/'));
      compiled.set(schema, (v = ajv.compile(rebased)));
    }
    return v;
  };
  const routes: Route[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
      routes.push({ method: method.toUpperCase(), template, pattern: new RegExp(`^${source}$`), params: (template.match(/\{/g) ?? []).length, operation });
    }
  }
  // The most specific template first: /jobs/{id}/notes before /jobs/{id}.
  routes.sort((a, b) => a.params - b.params);
  return { routes, validate };
}

function checker(getApp: () => Hono<any, any, any>): MiddlewareHandler {
  let ready: ReturnType<typeof routesOf> | undefined;
  return async (c, next) => {
    await next();
    if (c.req.method === 'OPTIONS' || c.req.method === 'HEAD') return;
    const { routes, validate } = await (ready ??= routesOf(getApp()));
    const route = routes.find((r) => r.method === c.req.method && r.pattern.test(c.req.path));
    if (!route) return; // no such route: the app's 404, not a documented answer
    const name = `${route.method} ${route.template}`;
    const status = String(c.res.status);
    const documented = route.operation.responses?.[status];
    let problem: string | null = null;
    if (!documented) problem = `answered ${status}, which it does not document (documents ${Object.keys(route.operation.responses ?? {}).join(', ')})`;
    else if ((c.res.headers.get('content-type') ?? '').startsWith('application/json')) {
      const schema = documented.content?.['application/json']?.schema;
      if (!schema) problem = `answered ${status} with a JSON body it does not document`;
      else {
        const body: unknown = await c.res.clone().json();
        const v = validate(schema);
        if (!v(body)) problem = `${status} body does not match its schema: ${(v.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '(root)'} ${e.message}`).join('; ')}`;
      }
    }
    if (problem) {
      const line = `contract: ${name} ${problem}`;
      violations.push(line);
      console.error(line);
      c.res = new Response(JSON.stringify({ error: { code: 'contract_violation', message: line } }), { status: 500, headers: { 'content-type': 'application/json' } });
    }
  };
}

registerAnswerCheck(checker);
process.on('exit', () => {
  if (violations.length) {
    console.error(`\n${violations.length} answer(s) did not match the OpenAPI document:\n${[...new Set(violations)].join('\n')}`);
    process.exitCode = 1;
  }
});
