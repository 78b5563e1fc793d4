/**
 * What a logged-in contact may do, decided in one place per kind of record. Routes pass the
 * viewer to the data functions, which scope every query with these rules: the UI hides what is
 * not allowed, but nothing relies on that.
 */
import type { ContactRow } from './companies/data.js';
import { permissionsOf } from './companies/data.js';
import { ApiError } from './http/errors.js';
import type { Permissions } from './sessions/schemas.js';
import type { RecordAccess } from './contract.js';

export interface Viewer {
  providerId: number;
  companyId: number;
  contactId: number;
  permissions: Permissions;
}

export function viewerOf(contact: ContactRow): Viewer {
  return {
    providerId: contact.provider_id,
    companyId: contact.company_id,
    contactId: contact.id,
    permissions: permissionsOf(contact),
  };
}

/** How far a contact's view of jobs or quotes reaches. */
export type Reach = 'none' | 'own' | 'all';

export function reach(access: RecordAccess): Reach {
  if (access === 'none') return 'none';
  return access === 'view_all' || access === 'edit_all' ? 'all' : 'own';
}

/** Whether a record the contact can see may also be changed by them. */
export function canEdit(access: RecordAccess, own: boolean): boolean {
  return access === 'edit_all' || (access === 'edit_own' && own);
}

export const isOwn = (viewer: Viewer, row: { created_by_contact_id: number | null; contact_id: number | null }): boolean =>
  row.created_by_contact_id === viewer.contactId || row.contact_id === viewer.contactId;

export function forbidden(what: string): ApiError {
  return new ApiError(403, 'forbidden', `Your account may not ${what}.`);
}

/** Same answer for "does not exist" and "not yours": existence is not revealed. */
export function notFound(what: string): ApiError {
  return new ApiError(404, 'not_found', `No such ${what}.`);
}

/**
 * The WHERE clause (alias `r`) limiting jobs or quotes to what the viewer may see, with its
 * parameters. Throws 403 when the viewer may see none at all.
 */
export function recordScope(viewer: Viewer, access: RecordAccess, what: string): { sql: string; params: number[] } {
  const r = reach(access);
  if (r === 'none') throw forbidden(`see ${what}`);
  const base = 'r.provider_id = ? AND r.company_id = ?';
  return r === 'all'
    ? { sql: base, params: [viewer.providerId, viewer.companyId] }
    : {
        sql: `${base} AND (r.created_by_contact_id = ? OR r.contact_id = ?)`,
        params: [viewer.providerId, viewer.companyId, viewer.contactId, viewer.contactId],
      };
}
