import { Hono } from 'hono';
import { getDetails, updateDetails } from '../data/details.js';
import { jsonBody } from '../http/validate.js';
import { viewerOf } from '../permissions.js';
import { DetailsUpdateBody, type Details } from '../schemas.js';
import type { Deps, PortalEnv } from './env.js';
import { requireSession } from './portal.js';

export function detailsRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<PortalEnv>()
    .use('/details', requireSession(deps))
    .get('/details', (c) => c.json<Details>(getDetails(db, viewerOf(c.get('contact')))))
    .patch('/details', jsonBody(DetailsUpdateBody), (c) => c.json<Details>(updateDetails(db, viewerOf(c.get('contact')), c.req.valid('json'))));
}
