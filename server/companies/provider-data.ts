/**
 * The provider's side of companies and contacts. Every function takes the provider id and scopes
 * by it; another provider's ids answer as "not found".
 */
import type { z } from 'zod';
import { type Db, stmt, nowSeconds } from '../db/index.js';
import { ApiError } from '../http/errors.js';
import { notFound } from '../permissions.js';
import { iso, syncPage } from '../db/paging.js';
import type { SyncQuery } from '../http/fields.js';
import type { Permissions } from '../sessions/schemas.js';
import { permissionsOf, type ContactRow } from './data.js';
import type { CompanyUpdate, ContactUpdate } from './schemas.js';

// Companies ------------------------------------------------------------------------------------

interface CompanyRow {
  id: number;
  name: string;
  address: string;
  phone: string;
  email: string;
  created_at: number;
  updated_at: number;
}
const company = (r: CompanyRow) => ({ id: r.id, name: r.name, address: r.address, phone: r.phone, email: r.email, createdAt: iso(r.created_at)!, updatedAt: iso(r.updated_at)! });
export type ProviderCompany = ReturnType<typeof company>;

export function providerCompany(db: Db, providerId: number, id: number): ProviderCompany {
  const r = stmt<[number, number], CompanyRow>(db, 'SELECT * FROM companies WHERE provider_id = ? AND id = ?').get(providerId, id);
  if (!r) throw notFound('company');
  return company(r);
}

export function updateCompany(db: Db, providerId: number, id: number, b: z.output<typeof CompanyUpdate>): ProviderCompany {
  providerCompany(db, providerId, id);
  stmt(
    db,
    'UPDATE companies SET name = coalesce(?, name), address = coalesce(?, address), phone = coalesce(?, phone), email = coalesce(?, email), updated_at = ? WHERE provider_id = ? AND id = ?',
  ).run(b.name ?? null, b.address ?? null, b.phone ?? null, b.email ?? null, nowSeconds(), providerId, id);
  return providerCompany(db, providerId, id);
}

export function listCompanies(db: Db, providerId: number, q: z.output<typeof SyncQuery>) {
  return syncPage(db, 'companies', providerId, q, company);
}

// Contacts -------------------------------------------------------------------------------------

const contact = (r: ContactRow) => ({
  id: r.id,
  companyId: r.company_id,
  email: r.email,
  name: r.name,
  phone: r.phone,
  disabled: r.disabled === 1,
  hasPassword: r.password_hash !== null,
  permissions: permissionsOf(r),
});
export type ProviderContact = ReturnType<typeof contact>;

export function providerContact(db: Db, providerId: number, id: number): ProviderContact {
  const r = stmt<[number, number], ContactRow>(db, 'SELECT * FROM contacts WHERE provider_id = ? AND id = ?').get(providerId, id);
  if (!r) throw notFound('contact');
  return contact(r);
}

const PERM_COLUMNS: Record<keyof Permissions, [string, (v: unknown) => unknown]> = {
  jobs: ['perm_jobs', (v) => v],
  quotes: ['perm_quotes', (v) => v],
  createJobs: ['perm_create_jobs', (v) => (v ? 1 : 0)],
  createQuotes: ['perm_create_quotes', (v) => (v ? 1 : 0)],
  equipment: ['perm_equipment', (v) => v],
  details: ['perm_details', (v) => v],
  map: ['perm_map', (v) => (v ? 1 : 0)],
  alerts: ['perm_alerts', (v) => (v ? 1 : 0)],
};

/** Name, phone, permissions; disabling also ends every session of the contact. */
export function updateContact(db: Db, providerId: number, id: number, b: z.output<typeof ContactUpdate>): ProviderContact {
  providerContact(db, providerId, id);
  const sets: string[] = [];
  const params: unknown[] = [];
  if (b.name !== undefined) sets.push('name = ?'), params.push(b.name);
  if (b.phone !== undefined) sets.push('phone = ?'), params.push(b.phone);
  if (b.disabled !== undefined) sets.push('disabled = ?'), params.push(b.disabled ? 1 : 0);
  for (const [k, v] of Object.entries(b.permissions ?? {}) as [keyof Permissions, unknown][]) {
    const [column, convert] = PERM_COLUMNS[k];
    sets.push(`${column} = ?`);
    params.push(convert(v));
  }
  db.transaction(() => {
    stmt(db, `UPDATE contacts SET ${sets.join(', ')}, updated_at = ? WHERE provider_id = ? AND id = ?`).run(...params, nowSeconds(), providerId, id);
    if (b.disabled) stmt(db, 'DELETE FROM sessions WHERE contact_id = ?').run(id);
  })();
  return providerContact(db, providerId, id);
}

/** A company of this provider, or 404 (never another provider's). */
export function requireCompany(db: Db, providerId: number, companyId: number): void {
  if (!stmt<[number, number], { id: number }>(db, 'SELECT id FROM companies WHERE provider_id = ? AND id = ?').get(providerId, companyId)) {
    throw new ApiError(404, 'not_found', `No company ${companyId}.`, { companyId: 'no such company' });
  }
}

/** A contact of that company of this provider, or 404. */
export function requireContactOf(db: Db, providerId: number, companyId: number, contactId: number): void {
  if (!stmt<[number, number, number], { id: number }>(db, 'SELECT id FROM contacts WHERE provider_id = ? AND company_id = ? AND id = ?').get(providerId, companyId, contactId)) {
    throw new ApiError(404, 'not_found', `No contact ${contactId} at company ${companyId}.`, { contactId: 'no such contact at that company' });
  }
}

