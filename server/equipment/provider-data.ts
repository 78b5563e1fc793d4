/** The provider's side of equipment: every function takes the provider id and scopes by it. */
import type { z } from 'zod';
import { type Db, stmt, nowSeconds } from '../db/index.js';
import { ApiError } from '../http/errors.js';
import { notFound } from '../permissions.js';
import { iso } from '../db/paging.js';
import { toEquipment, type EquipmentRow as CustomerEquipmentRow } from './data.js';
import type { EquipmentUpdateProvider } from './schemas.js';

// Equipment ------------------------------------------------------------------------------------

interface EquipmentRow extends CustomerEquipmentRow {
  company_id: number;
  source: string;
  updated_at: number;
}

export function providerEquipment(db: Db, providerId: number, id: number) {
  const r = stmt<[number, number], EquipmentRow>(db, 'SELECT * FROM equipment WHERE provider_id = ? AND id = ?').get(providerId, id);
  if (!r) throw notFound('equipment');
  return { ...toEquipment(r), companyId: r.company_id, source: r.source, updatedAt: iso(r.updated_at)! };
}

export function updateProviderEquipment(db: Db, providerId: number, id: number, b: z.output<typeof EquipmentUpdateProvider>) {
  providerEquipment(db, providerId, id);
  const columns: Record<string, string> = { name: 'name', make: 'make', model: 'model', serial: 'serial', location: 'location', installedOn: 'installed_on', lastServiceOn: 'last_service_on', nextServiceOn: 'next_service_on' };
  const entries = Object.entries(b).filter(([, v]) => v !== undefined);
  stmt(db, `UPDATE equipment SET ${entries.map(([k]) => `${columns[k]} = ?`).join(', ')}, updated_at = ? WHERE provider_id = ? AND id = ?`).run(...entries.map(([, v]) => v), nowSeconds(), providerId, id);
  return providerEquipment(db, providerId, id);
}
