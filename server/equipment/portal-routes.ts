import { Hono } from 'hono';
import { documented, errors } from '../http/openapi.js';
import { addEquipment, listEquipment } from './data.js';
import { providerEquipment } from './provider-data.js';
import { cacheableJson, cachedRead } from '../http/response-cache.js';
import { jsonBody, query } from '../http/validate.js';
import { emitWebhook } from '../webhooks/outbox.js';
import { viewerOf } from '../permissions.js';
import { type Equipment, EquipmentCreateBody, EquipmentListQuery, EquipmentPageSchema, EquipmentSchema } from './schemas.js';
import { type Page } from '../http/fields.js';
import type { Deps, PortalEnv } from '../deps.js';
import { requireSession } from '../sessions/require-session.js';

export function equipmentPortalRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<PortalEnv>()
    .use('/equipment', requireSession(deps))
    .get('/equipment', documented({ summary: "One page of the company's equipment; search, keyset paging", auth: 'session', responses: { 200: EquipmentPageSchema, ...errors(400, 401, 403) } }), cachedRead(deps.cache), query(EquipmentListQuery), (c) =>
      cacheableJson<Page<Equipment>>(c, listEquipment(db, viewerOf(c.get('contact')), c.req.valid('query'))),
    )
    .post('/equipment', documented({ summary: 'Add equipment; needs equipment "add"', auth: 'session', responses: { 201: EquipmentSchema, ...errors(400, 401, 403, 415) } }), jsonBody(EquipmentCreateBody), (c) => {
      const viewer = viewerOf(c.get('contact'));
      const equipment = db.transaction(() => {
        const added = addEquipment(db, viewer, c.req.valid('json'));
        emitWebhook(db, viewer.providerId, 'equipment.added', { equipment: providerEquipment(db, viewer.providerId, added.id), addedByContactId: viewer.contactId });
        return added;
      })();
      return c.json<Equipment>(equipment, 201);
    });
}
