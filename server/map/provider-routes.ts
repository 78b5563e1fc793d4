import { Hono } from 'hono';
import { documented, errors } from '../http/openapi.js';
import { jsonBody } from '../http/validate.js';
import type { Deps, ProviderEnv } from '../deps.js';
import { mapSettings, setMapSettings } from './data.js';
import { MapSettings, MapSettingsBody } from './schemas.js';

export function mapProviderRoutes(deps: Deps) {
  return new Hono<ProviderEnv>()
    .get('/map/settings', documented({ summary: 'How technician positions are shown to customers', auth: 'apiKey', responses: { 200: MapSettings, ...errors(401) } }), (c) =>
      c.json<MapSettings>(mapSettings(deps.db, c.get('provider').id)),
    )
    .put(
      '/map/settings',
      documented({
        summary: 'Allow (or stop) showing the exact technician position while on the way; otherwise it is coarsened to about 500 m',
        auth: 'apiKey',
        responses: { 200: MapSettings, ...errors(400, 401, 415) },
      }),
      jsonBody(MapSettingsBody),
      (c) => c.json<MapSettings>(setMapSettings(deps.db, c.get('provider').id, c.req.valid('json'))),
    );
}
