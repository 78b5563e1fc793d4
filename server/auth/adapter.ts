import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';
import { type Db, stmt } from '../db/index.js';

interface Row {
  id: string;
  contact_id: number;
  provider_id: number;
  expires_at: number;
}

const toSession = (r: Row): DatabaseSession => ({
  id: r.id,
  userId: r.contact_id,
  expiresAt: new Date(r.expires_at * 1000),
  attributes: { providerId: r.provider_id },
});

const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/**
 * Lucia's adapter over our better-sqlite3 handle (the published sqlite adapter pins an older
 * better-sqlite3). A disabled contact has no "user", so lucia ends the session on sight.
 */
export class SqliteSessionAdapter implements Adapter {
  constructor(private readonly db: Db) {}

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = stmt<[string], Row & { company_id: number | null; c_provider: number | null }>(
      this.db,
      `SELECT s.id, s.contact_id, s.provider_id, s.expires_at, c.company_id, c.provider_id AS c_provider
         FROM sessions s LEFT JOIN contacts c ON c.id = s.contact_id AND c.disabled = 0
        WHERE s.id = ?`,
    ).get(sessionId);
    if (!row) return [null, null];
    const user: DatabaseUser | null =
      row.company_id === null || row.c_provider === null
        ? null
        : { id: row.contact_id, attributes: { providerId: row.c_provider, companyId: row.company_id } };
    return [toSession(row), user];
  }

  async getUserSessions(userId: number): Promise<DatabaseSession[]> {
    return stmt<[number], Row>(this.db, 'SELECT * FROM sessions WHERE contact_id = ?').all(userId).map(toSession);
  }

  async setSession(s: DatabaseSession): Promise<void> {
    stmt(
      this.db,
      'INSERT INTO sessions (id, contact_id, provider_id, expires_at, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(s.id, s.userId, s.attributes.providerId, seconds(s.expiresAt), seconds(new Date()));
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    stmt(this.db, 'UPDATE sessions SET expires_at = ? WHERE id = ?').run(seconds(expiresAt), sessionId);
  }

  async deleteSession(sessionId: string): Promise<void> {
    stmt(this.db, 'DELETE FROM sessions WHERE id = ?').run(sessionId);
  }

  async deleteUserSessions(userId: number): Promise<void> {
    stmt(this.db, 'DELETE FROM sessions WHERE contact_id = ?').run(userId);
  }

  async deleteExpiredSessions(): Promise<void> {
    stmt(this.db, 'DELETE FROM sessions WHERE expires_at <= ?').run(seconds(new Date()));
  }
}
