/** Provider API keys: `pk_` + 32 random bytes; only the SHA-256 is stored, the key is shown once. */
import { createHash, randomBytes } from 'node:crypto';
import { type Db, stmt, nowSeconds } from '../db/index.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const KEY_SHAPE = /^pk_[A-Za-z0-9_-]{43}$/;

export interface ApiKeyInfo {
  id: number;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function createApiKey(db: Db, providerId: number, name: string): { id: number; key: string } {
  const key = `pk_${randomBytes(32).toString('base64url')}`;
  const id = Number(
    stmt(db, 'INSERT INTO api_keys (provider_id, name, prefix, key_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(
      providerId,
      name,
      key.slice(0, 10),
      sha256(key),
      nowSeconds(),
    ).lastInsertRowid,
  );
  return { id, key };
}

/** The provider a live key belongs to; records its use (at most once a minute). */
export function providerIdForKey(db: Db, key: string): number | null {
  if (!KEY_SHAPE.test(key)) return null;
  const row = stmt<[string], { id: number; provider_id: number; last_used_at: number | null }>(
    db,
    'SELECT id, provider_id, last_used_at FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL',
  ).get(sha256(key));
  if (!row) return null;
  const now = nowSeconds();
  if (row.last_used_at === null || now - row.last_used_at >= 60) stmt(db, 'UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(now, row.id);
  return row.provider_id;
}

export function revokeApiKey(db: Db, providerId: number, idOrPrefix: string): boolean {
  const r = stmt(db, 'UPDATE api_keys SET revoked_at = ? WHERE provider_id = ? AND revoked_at IS NULL AND (id = ? OR prefix = ?)').run(
    nowSeconds(),
    providerId,
    /^\d+$/.test(idOrPrefix) ? Number(idOrPrefix) : -1,
    idOrPrefix,
  );
  return r.changes > 0;
}

export function listApiKeys(db: Db, providerId: number): ApiKeyInfo[] {
  const iso = (s: number | null) => (s === null ? null : new Date(s * 1000).toISOString());
  return stmt<[number], { id: number; name: string; prefix: string; created_at: number; last_used_at: number | null; revoked_at: number | null }>(
    db,
    'SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_keys WHERE provider_id = ? ORDER BY id',
  )
    .all(providerId)
    .map((r) => ({ id: r.id, name: r.name, prefix: r.prefix, createdAt: iso(r.created_at)!, lastUsedAt: iso(r.last_used_at), revokedAt: iso(r.revoked_at) }));
}
