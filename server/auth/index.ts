/**
 * Sessions, behind one small interface so the session library can be swapped:
 * lucia v3 is deprecated upstream. Nothing outside this folder imports lucia.
 *
 * The client holds a random token; the database holds only its SHA-256 (the session id),
 * so a leaked database or backup cannot be replayed as sessions.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Lucia, TimeSpan } from 'lucia';
import type { Db } from '../db/index.js';
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
}

export interface Auth {
  create(contactId: number, providerId: number): Promise<{ token: string; expiresAt: Date }>;
  /** The live session of a token, extending it (sliding expiry); null when unknown, expired or the contact is disabled. */
  validate(token: string): Promise<SessionInfo | null>;
  invalidate(token: string): Promise<void>;
  invalidateAll(contactId: number): Promise<void>;
  deleteExpired(): Promise<void>;
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
  return {
    async create(contactId, providerId) {
      const token = randomBytes(32).toString('base64url');
      const session = await lucia.createSession(contactId, { providerId }, { sessionId: hashToken(token) });
      return { token, expiresAt: session.expiresAt };
    },
    async validate(token) {
      if (!TOKEN_SHAPE.test(token)) return null;
      const { session, user } = await lucia.validateSession(hashToken(token));
      if (!session) return null;
      // A session is bound to the provider it was created at, and so is its contact.
      if (user.providerId !== session.providerId) return null;
      return {
        id: session.id,
        contactId: user.id,
        providerId: session.providerId,
        companyId: user.companyId,
        expiresAt: session.expiresAt,
      };
    },
    async invalidate(token) {
      if (TOKEN_SHAPE.test(token)) await lucia.invalidateSession(hashToken(token));
    },
    invalidateAll: (contactId) => lucia.invalidateUserSessions(contactId),
    deleteExpired: () => lucia.deleteExpiredSessions(),
  };
}
