import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from '../http/errors.js';
import { documented, errors } from '../http/openapi.js';
import { query } from '../http/validate.js';
import { viewerOf } from '../permissions.js';
import type { Deps, PortalEnv } from '../routes/env.js';
import { requireSession } from '../routes/portal.js';
import { mapJobs } from './data.js';
import { MapJobList, MapQuery } from './schemas.js';

/** GET map: the started jobs with coordinates the contact may see, with their technicians' positions. */
export function mapPortalRoutes(deps: Deps) {
  return new Hono<PortalEnv>().get(
    '/map',
    requireSession(deps),
    query(MapQuery),
    documented(
      {
        summary: 'Jobs on the map: on the way or in progress, with coordinates; the technician\'s position coarsened to about 500 m',
        auth: 'session',
        responses: { 200: MapJobList, ...errors(400, 401, 403) },
      },
      // Typed here: documented() hides the validator's output type from inference.
      (c: Context<PortalEnv, '/map', { out: { query: z.output<typeof MapQuery> } }>) => {
        const contact = c.get('contact');
        if (!c.get('provider').features.map || contact.perm_map !== 1) {
          throw new ApiError(403, 'map_disabled', 'The map is not available for your account.');
        }
        return c.json<MapJobList>({ items: mapJobs(deps.db, viewerOf(contact), c.req.valid('query').job) });
      },
    ),
  );
}
