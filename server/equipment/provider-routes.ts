import { Hono } from 'hono';
import { documented, errors } from '../http/openapi.js';
import { requireCompany } from '../companies/provider-data.js';
import type { Deps, ProviderEnv } from '../deps.js';
import { idParam, jsonBody } from '../http/validate.js';
import { insertEquipment } from './data.js';
import { providerEquipment, updateProviderEquipment } from './provider-data.js';
import { EquipmentCreateProvider, EquipmentUpdateProvider, ProviderEquipmentSchema } from './schemas.js';

export function equipmentProviderRoutes(deps: Deps) {
  const { db } = deps;
  return new Hono<ProviderEnv>()
    .post('/equipment', documented({ summary: 'Add equipment to a company', auth: 'apiKey', responses: { 201: ProviderEquipmentSchema, ...errors(400, 401, 404, 415) } }), jsonBody(EquipmentCreateProvider), (c) => {
      const provider = c.get('provider');
      const b = c.req.valid('json');
      requireCompany(db, provider.id, b.companyId);
      const id = insertEquipment(db, provider.id, { ...b, source: 'office' });
      return c.json(providerEquipment(db, provider.id, id), 201);
    })
    .get('/equipment/:id', documented({ summary: 'One piece of equipment', auth: 'apiKey', responses: { 200: ProviderEquipmentSchema, ...errors(400, 401, 404) } }), idParam, (c) => c.json(providerEquipment(db, c.get('provider').id, c.req.valid('param').id)))
    .patch('/equipment/:id', documented({ summary: 'Change equipment (service dates, location, ...)', auth: 'apiKey', responses: { 200: ProviderEquipmentSchema, ...errors(400, 401, 404, 415) } }), idParam, jsonBody(EquipmentUpdateProvider), (c) =>
      c.json(updateProviderEquipment(db, c.get('provider').id, c.req.valid('param').id, c.req.valid('json'))),
    );
}
