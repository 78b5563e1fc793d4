import { Hono } from 'hono';
import { addEquipment, listEquipment } from '../data/equipment.js';
import { jsonBody, query } from '../http/validate.js';
import { viewerOf } from '../permissions.js';
import { EquipmentCreateBody, EquipmentListQuery, type Equipment, type Page } from '../schemas.js';
import type { Deps, PortalEnv } from './env.js';
import { requireSession } from './portal.js';

export function equipmentRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<PortalEnv>()
    .use('/equipment', requireSession(deps))
    .get('/equipment', query(EquipmentListQuery), (c) => c.json<Page<Equipment>>(listEquipment(db, viewerOf(c.get('contact')), c.req.valid('query'))))
    .post('/equipment', jsonBody(EquipmentCreateBody), (c) => c.json<Equipment>(addEquipment(db, viewerOf(c.get('contact')), c.req.valid('json')), 201));
}
