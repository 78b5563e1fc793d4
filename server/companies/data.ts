import { type Db, stmt, nowSeconds } from '../db/index.js';
import type { Me, Permissions } from '../sessions/schemas.js';
import type { RecordAccess } from '../contract.js';

export interface ContactRow {
  id: number;
  provider_id: number;
  company_id: number;
  email: string;
  name: string;
  phone: string;
  password_hash: string | null;
  disabled: 0 | 1;
  perm_jobs: RecordAccess;
  perm_quotes: RecordAccess;
  perm_create_jobs: 0 | 1;
  perm_create_quotes: 0 | 1;
  perm_equipment: Permissions['equipment'];
  perm_details: Permissions['details'];
  perm_map: 0 | 1;
  perm_alerts: 0 | 1;
}

export function permissionsOf(row: ContactRow): Permissions {
  return {
    jobs: row.perm_jobs,
    quotes: row.perm_quotes,
    createJobs: row.perm_create_jobs === 1,
    createQuotes: row.perm_create_quotes === 1,
    equipment: row.perm_equipment,
    details: row.perm_details,
    map: row.perm_map === 1,
    alerts: row.perm_alerts === 1,
  };
}

/** Login lookup: always scoped to one provider, so a contact of another provider does not exist here. */
export function findContactByEmail(db: Db, providerId: number, email: string): ContactRow | undefined {
  return stmt<[number, string], ContactRow>(db, 'SELECT * FROM contacts WHERE provider_id = ? AND email = ?').get(
    providerId,
    email,
  );
}

export function getContact(db: Db, providerId: number, contactId: number): ContactRow | undefined {
  return stmt<[number, number], ContactRow>(db, 'SELECT * FROM contacts WHERE provider_id = ? AND id = ?').get(
    providerId,
    contactId,
  );
}

interface CompanyRow {
  id: number;
  name: string;
  address: string;
  phone: string;
  email: string;
}

export function getCompany(db: Db, providerId: number, companyId: number): CompanyRow | undefined {
  return stmt<[number, number], CompanyRow>(
    db,
    'SELECT id, name, address, phone, email FROM companies WHERE provider_id = ? AND id = ?',
  ).get(providerId, companyId);
}

export function contactView(db: Db, contact: ContactRow): Omit<Me, 'provider'> {
  const company = getCompany(db, contact.provider_id, contact.company_id);
  if (!company) throw new Error(`contact ${contact.id} has no company`); // impossible: enforced by a foreign key
  return {
    contact: { id: contact.id, name: contact.name, email: contact.email, phone: contact.phone },
    company,
    permissions: permissionsOf(contact),
  };
}

export interface NewCompany {
  name: string;
  address?: string;
  phone?: string;
  email?: string;
}

export function createCompany(db: Db, providerId: number, c: NewCompany): number {
  const now = nowSeconds();
  return Number(
    stmt(
      db,
      `INSERT INTO companies (provider_id, name, address, phone, email, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(providerId, c.name, c.address ?? '', c.phone ?? '', c.email ?? '', now, now).lastInsertRowid,
  );
}

export interface NewContact {
  companyId: number;
  email: string;
  name: string;
  phone?: string;
  passwordHash?: string | null;
  permissions?: Partial<Permissions>;
}

export function createContact(db: Db, providerId: number, c: NewContact): number {
  const p = c.permissions ?? {};
  const bit = (v: boolean | undefined, fallback: 0 | 1): 0 | 1 => (v === undefined ? fallback : v ? 1 : 0);
  const now = nowSeconds();
  return Number(
    stmt(
      db,
      `INSERT INTO contacts (provider_id, company_id, email, name, phone, password_hash,
         perm_jobs, perm_quotes, perm_create_jobs, perm_create_quotes, perm_equipment, perm_details,
         perm_map, perm_alerts, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      providerId,
      c.companyId,
      c.email,
      c.name,
      c.phone ?? '',
      c.passwordHash ?? null,
      p.jobs ?? 'view_own',
      p.quotes ?? 'view_own',
      bit(p.createJobs, 1),
      bit(p.createQuotes, 1),
      p.equipment ?? 'view',
      p.details ?? 'view',
      bit(p.map, 1),
      bit(p.alerts, 1),
      now,
      now,
    ).lastInsertRowid,
  );
}

export function setContactDisabled(db: Db, providerId: number, contactId: number, disabled: boolean): boolean {
  const r = stmt(db, 'UPDATE contacts SET disabled = ?, updated_at = ? WHERE provider_id = ? AND id = ?').run(
    disabled ? 1 : 0,
    nowSeconds(),
    providerId,
    contactId,
  );
  if (disabled) stmt(db, 'DELETE FROM sessions WHERE contact_id = ? AND provider_id = ?').run(contactId, providerId);
  return r.changes === 1;
}
