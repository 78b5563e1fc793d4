/** Equipment of a company: listed for contacts with equipment access, added by those with "add". */
import type { z } from 'zod';
import { type Db, stmt, nowSeconds } from '../db/index.js';
import { forbidden, type Viewer } from '../permissions.js';
import type { Equipment, EquipmentCreateBody, EquipmentListQuery } from './schemas.js';
import type { Page } from '../http/fields.js';
import { decodeCursor, encodeCursor, iso, likeContains } from '../db/paging.js';

/** The equipment columns the customer sees (the provider's rows add company, source and updated_at). */
export interface EquipmentRow {
  id: number;
  name: string;
  make: string;
  model: string;
  serial: string;
  location: string;
  installed_on: string | null;
  last_service_on: string | null;
  next_service_on: string | null;
  created_at: number;
}

export const toEquipment = (r: EquipmentRow): Equipment => ({
  id: r.id,
  name: r.name,
  make: r.make,
  model: r.model,
  serial: r.serial,
  location: r.location,
  installedOn: r.installed_on,
  lastServiceOn: r.last_service_on,
  nextServiceOn: r.next_service_on,
  createdAt: iso(r.created_at)!,
});

const COLUMNS = 'id, name, make, model, serial, location, installed_on, last_service_on, next_service_on, created_at';

/** Alphabetical by name, keyset-paged. */
export function listEquipment(db: Db, viewer: Viewer, q: z.output<typeof EquipmentListQuery>): Page<Equipment> {
  if (viewer.permissions.equipment === 'none') throw forbidden('see equipment');
  const where = ['provider_id = ?', 'company_id = ?'];
  const params: (number | string)[] = [viewer.providerId, viewer.companyId];
  if (q.q) {
    where.push("lower(name || ' ' || make || ' ' || model || ' ' || serial || ' ' || location) LIKE ? ESCAPE '\\'");
    params.push(likeContains(q.q));
  }
  if (q.cursor) {
    const [name, id] = decodeCursor(q.cursor, 'string');
    where.push('(name, id) > (?, ?)');
    params.push(name, id);
  }
  params.push(q.limit + 1);
  const rows = stmt<(number | string)[], EquipmentRow>(db, `SELECT ${COLUMNS} FROM equipment WHERE ${where.join(' AND ')} ORDER BY name, id LIMIT ?`).all(...params);
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page.at(-1);
  return { items: page.map(toEquipment), nextCursor: more && last ? encodeCursor(last.name, last.id) : null };
}

export interface NewEquipment {
  companyId: number;
  name: string;
  make?: string;
  model?: string;
  serial?: string;
  location?: string;
  installedOn?: string | null;
  lastServiceOn?: string | null;
  nextServiceOn?: string | null;
  source: 'portal' | 'office';
  createdByContactId?: number | null;
}

export function insertEquipment(db: Db, providerId: number, e: NewEquipment): number {
  const now = nowSeconds();
  return Number(
    stmt(
      db,
      `INSERT INTO equipment (provider_id, company_id, name, make, model, serial, location, installed_on, last_service_on,
         next_service_on, source, created_by_contact_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      providerId,
      e.companyId,
      e.name,
      e.make ?? '',
      e.model ?? '',
      e.serial ?? '',
      e.location ?? '',
      e.installedOn ?? null,
      e.lastServiceOn ?? null,
      e.nextServiceOn ?? null,
      e.source,
      e.createdByContactId ?? null,
      now,
      now,
    ).lastInsertRowid,
  );
}

export function addEquipment(db: Db, viewer: Viewer, body: z.output<typeof EquipmentCreateBody>): Equipment {
  if (viewer.permissions.equipment !== 'add') throw forbidden('add equipment');
  const id = insertEquipment(db, viewer.providerId, { companyId: viewer.companyId, ...body, source: 'portal', createdByContactId: viewer.contactId });
  return toEquipment(stmt<[number], EquipmentRow>(db, `SELECT ${COLUMNS} FROM equipment WHERE id = ?`).get(id)!);
}
