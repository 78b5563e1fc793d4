import { Hono } from 'hono';
import { ApiError } from '../http/errors.js';
import { documented, errors } from '../http/openapi.js';
import { query } from '../http/validate.js';
import { viewerOf } from '../permissions.js';
import type { Deps, PortalEnv } from '../deps.js';
import { requireSession } from '../sessions/require-session.js';
import { mapJobs } from './data.js';
import { MapJobList, MapQuery } from './schemas.js';

/** GET map: the started jobs with coordinates the contact may see, with their technicians' positions. */
export function mapPortalRoutes(deps: Deps) {
  return new Hono<PortalEnv>().get(
    '/map',
    documented({
      summary: "Jobs on the map: on the way or in progress, with coordinates; the technician's position coarsened to about 500 m",
      auth: 'session',
      responses: { 200: MapJobList, ...errors(400, 401, 403) },
    }),
    requireSession(deps),
    query(MapQuery),
    (c) => {
      const contact = c.get('contact');
      if (!c.get('provider').features.map || contact.perm_map !== 1) {
        throw new ApiError(403, 'map_disabled', 'The map is not available for your account.');
      }
      return c.json<MapJobList, 200>({ items: mapJobs(deps.db, viewerOf(contact), c.req.valid('query').job) }, 200);
    },
  );
}
