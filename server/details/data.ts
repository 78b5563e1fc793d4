/** "My details": the contact's company and their own name and phone. */
import type { z } from 'zod';
import { type Db, stmt, nowSeconds } from '../db/index.js';
import { forbidden, type Viewer } from '../permissions.js';
import type { Details, DetailsUpdateBody } from './schemas.js';

export function getDetails(db: Db, viewer: Viewer): Details {
  const company = stmt<[number, number], Details['company']>(
    db,
    'SELECT id, name, address, phone, email FROM companies WHERE provider_id = ? AND id = ?',
  ).get(viewer.providerId, viewer.companyId)!;
  const contact = stmt<[number, number], Details['contact']>(
    db,
    'SELECT id, name, email, phone FROM contacts WHERE provider_id = ? AND id = ?',
  ).get(viewer.providerId, viewer.contactId)!;
  return { company, contact, canEdit: viewer.permissions.details === 'edit' };
}

export function updateDetails(db: Db, viewer: Viewer, body: z.output<typeof DetailsUpdateBody>): Details {
  if (viewer.permissions.details !== 'edit') throw forbidden('edit these details');
  const now = nowSeconds();
  db.transaction(() => {
    const c = body.company ?? {};
    if (Object.keys(c).length) {
      stmt(
        db,
        `UPDATE companies SET name = coalesce(?, name), address = coalesce(?, address), phone = coalesce(?, phone),
           email = coalesce(?, email), updated_at = ? WHERE provider_id = ? AND id = ?`,
      ).run(c.name ?? null, c.address ?? null, c.phone ?? null, c.email ?? null, now, viewer.providerId, viewer.companyId);
    }
    const p = body.contact ?? {};
    if (Object.keys(p).length) {
      stmt(
        db,
        'UPDATE contacts SET name = coalesce(?, name), phone = coalesce(?, phone), updated_at = ? WHERE provider_id = ? AND id = ?',
      ).run(p.name ?? null, p.phone ?? null, now, viewer.providerId, viewer.contactId);
    }
  })();
  return getDetails(db, viewer);
}
