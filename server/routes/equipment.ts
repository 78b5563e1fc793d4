import { Hono } from 'hono';
import { addEquipment, listEquipment } from '../data/equipment.js';
import { officeEquipment } from '../data/office.js';
import { cacheableJson, cachedRead } from '../http/response-cache.js';
import { jsonBody, query } from '../http/validate.js';
import { emitWebhook } from '../webhooks/outbox.js';
import { viewerOf } from '../permissions.js';
import { EquipmentCreateBody, EquipmentListQuery, type Equipment, type Page } from '../schemas.js';
import type { Deps, PortalEnv } from './env.js';
import { requireSession } from './portal.js';

export function equipmentRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<PortalEnv>()
    .use('/equipment', requireSession(deps))
    .get('/equipment', cachedRead(deps.cache), query(EquipmentListQuery), (c) =>
      cacheableJson<Page<Equipment>>(c, listEquipment(db, viewerOf(c.get('contact')), c.req.valid('query'))),
    )
    .post('/equipment', jsonBody(EquipmentCreateBody), (c) => {
      const viewer = viewerOf(c.get('contact'));
      const equipment = db.transaction(() => {
        const added = addEquipment(db, viewer, c.req.valid('json'));
        emitWebhook(db, viewer.providerId, 'equipment.added', { equipment: officeEquipment(db, viewer.providerId, added.id), addedByContactId: viewer.contactId });
        return added;
      })();
      return c.json<Equipment>(equipment, 201);
    });
}
