/**
 * Sessions, behind one small interface so the session library can be swapped:
 * lucia v3 is deprecated upstream. Nothing outside this folder imports lucia.
 *
 * The client holds a random token; the database holds only its SHA-256 (the session id),
 * so a leaked database or backup cannot be replayed as sessions.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Lucia, TimeSpan } from 'lucia';
import type { ContactRow } from '../companies/data.js';
import { type Db, stmt } from '../db/index.js';
import { SqliteSessionAdapter } from './adapter.js';

declare module 'lucia' {
  interface Register {
    Lucia: Lucia<{ providerId: number }, { providerId: number; companyId: number }>;
    UserId: number;
    DatabaseSessionAttributes: { providerId: number };
    DatabaseUserAttributes: { providerId: number; companyId: number };
  }
}

export interface SessionInfo {
  contactId: number;
  providerId: number;
  companyId: number;
  expiresAt: Date;
  /** SHA-256 of the token: the stored id. */
  id: string;
  /** The contact, read in the same statement as the session. */
  contact: ContactRow;
  /**
   * The contact's company's change counter (migration 6), from that same statement: answers
   * cached under this version show the contact's records as they stand now, permissions included.
   */
  version: number;
}

export interface Auth {
  create(contactId: number, providerId: number): Promise<{ token: string; expiresAt: Date }>;
  /**
   * The live session of a token with its contact, extending it (sliding expiry); null when
   * unknown, expired, or the contact is disabled. Every call reads the session, the contact's
   * state and its company's change counter from the database (the full contact row is reused
   * while that counter stands), so a logout, a disabled contact or a changed permission counts at
   * once, whichever process wrote it.
   */
  validate(token: string): Promise<SessionInfo | null>;
  invalidate(token: string): Promise<void>;
  invalidateAll(contactId: number): Promise<void>;
  deleteExpired(): Promise<void>;
}

interface SnapshotRow {
  provider_id: number;
  expires_at: number;
  contact_id: number;
  contact_provider_id: number;
  company_id: number;
  disabled: 0 | 1;
  version: number;
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

// 32 random bytes, base64url: 43 characters. Anything else is not a token we issued.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function createAuth(db: Db, options: { sessionTtlMs: number }): Auth {
  const lucia = new Lucia(new SqliteSessionAdapter(db), {
    sessionExpiresIn: new TimeSpan(Math.max(1, Math.round(options.sessionTtlMs / 1000)), 's'),
    getSessionAttributes: (a) => ({ providerId: a.providerId }),
    getUserAttributes: (a) => ({ providerId: a.providerId, companyId: a.companyId }),
  });
  // lucia extends a session in the second half of its life.
  const renewWithinMs = Math.max(1, Math.round(options.sessionTtlMs / 1000)) * 500;
  // The session, whether its contact may use it, and the company's change counter: one statement.
  const snapshot = (id: string): SnapshotRow | undefined =>
    stmt<[string], SnapshotRow>(
      db,
      `SELECT s.provider_id, s.expires_at, s.contact_id, c.provider_id AS contact_provider_id, c.company_id, c.disabled, v.version
         FROM sessions s JOIN contacts c ON c.id = s.contact_id JOIN company_versions v ON v.company_id = c.company_id
        WHERE s.id = ?`,
    ).get(id);
  // Contact rows as read at a company version. Any write to a contact moves its company's version
  // (migration 6), so a row kept at the version just read is the row as it stands. The row is
  // read after the version, so it is never older than the version it is kept under.
  const contacts = new Map<number, { version: number; row: ContactRow }>();
  const contactAt = (contactId: number, version: number): ContactRow | undefined => {
    const known = contacts.get(contactId);
    if (known && known.version === version) return known.row;
    const row = stmt<[number], ContactRow>(db, 'SELECT * FROM contacts WHERE id = ?').get(contactId);
    if (!row) return undefined;
    if (contacts.size >= 10_000) contacts.clear();
    contacts.set(contactId, { version, row: Object.freeze(row) });
    return row;
  };
  return {
    async create(contactId, providerId) {
      const token = randomBytes(32).toString('base64url');
      const session = await lucia.createSession(contactId, { providerId }, { sessionId: hashToken(token) });
      return { token, expiresAt: session.expiresAt };
    },
    async validate(token) {
      if (!TOKEN_SHAPE.test(token)) return null;
      const id = hashToken(token);
      let row = snapshot(id);
      if (!row) return null;
      // Expired or due for renewal: lucia decides (deletes or extends), then read again. Otherwise
      // the one statement above is the whole check, which is what most requests need.
      if (Date.now() >= row.expires_at * 1000 - renewWithinMs) {
        const { session } = await lucia.validateSession(id);
        row = session ? snapshot(id) : undefined;
        if (!row) return null;
      }
      // A disabled contact's sessions end on sight, however it was disabled.
      if (row.disabled) {
        await lucia.invalidateSession(id);
        return null;
      }
      // A session is bound to the provider it was created at, and so is its contact.
      if (row.contact_provider_id !== row.provider_id) return null;
      const contact = contactAt(row.contact_id, row.version);
      if (!contact) return null;
      return {
        id,
        contactId: row.contact_id,
        providerId: row.provider_id,
        companyId: row.company_id,
        expiresAt: new Date(row.expires_at * 1000),
        contact,
        version: row.version,
      };
    },
    async invalidate(token) {
      if (TOKEN_SHAPE.test(token)) await lucia.invalidateSession(hashToken(token));
    },
    invalidateAll: (contactId) => lucia.invalidateUserSessions(contactId),
    deleteExpired: () => lucia.deleteExpiredSessions(),
  };
}
