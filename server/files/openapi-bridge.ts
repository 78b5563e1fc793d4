/**
 * Until every route is documented from its definition (issue 9), /api/openapi.json is the
 * hand-kept table of server/openapi.ts; the file routes are documented with `documented()`, and
 * their generated paths are added to it here. Goes away once the whole document is generated.
 */
import { Hono } from 'hono';
import { openApiDocument } from '../http/openapi.js';
import type { Deps } from '../routes/env.js';
import { filePortalRoutes } from './portal-routes.js';
import { fileProviderRoutes } from './provider-routes.js';

export function filesOpenApi(deps: Deps, version: string): Promise<object> {
  const app = new Hono().route('/api/portal/:provider', filePortalRoutes(deps)).route('/api/provider/v1', fileProviderRoutes(deps));
  return openApiDocument(app, version);
}

interface Doc {
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown> };
}

export function withFilesDocumented(base: object, files: object): object {
  const b = base as Doc;
  const f = files as Doc;
  const paths: Record<string, Record<string, unknown>> = { ...b.paths };
  for (const [path, item] of Object.entries(f.paths ?? {})) paths[path] = { ...paths[path], ...item };
  return { ...b, paths, components: { ...b.components, schemas: { ...b.components?.schemas, ...f.components?.schemas } } };
}
