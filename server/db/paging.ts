/** Keyset paging: the cursor carries the last row's sort key and id, so pages stay fast at any depth. */
import type { z } from 'zod';
import { ApiError } from '../http/errors.js';
import type { SyncQuery } from '../http/fields.js';
import { type Db, stmt } from './index.js';

export function encodeCursor(key: number | string, id: number): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

/**
 * The [key, id] a cursor carries. `key` is the type of the list's sort key: a cursor whose key has
 * another type was not made by this list (a string where a number belongs would bind as NaN and
 * quietly end the list), so it is refused like any other tampered cursor.
 */
export function decodeCursor(cursor: string, key: 'number'): [number, number];
export function decodeCursor(cursor: string, key: 'string'): [string, number];
export function decodeCursor(cursor: string, key: 'number' | 'string'): [number | string, number] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === key &&
      (key === 'string' || Number.isFinite(value[0])) &&
      Number.isSafeInteger(value[1])
    ) {
      return value as [number | string, number];
    }
  } catch {
    /* fall through */
  }
  throw new ApiError(400, 'validation_failed', 'Invalid query: cursor: is not a valid cursor', { cursor: 'is not a valid cursor' });
}

/** `%`, `_` and `\` taken literally in a LIKE pattern (with ESCAPE '\'). */
export const likeContains = (q: string): string => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const YEAR_10000 = 253_402_300_800;

/**
 * Stored seconds as ISO 8601 UTC, the same string `Date#toISOString` gives, made with integer
 * arithmetic (days to civil date, after Howard Hinnant's `civil_from_days`). A page of jobs
 * carries about 80 dates, and on small machines `new Date(...).toISOString()` took a quarter of
 * the list's time. Outside whole seconds in years 1970 to 9999, Date does it.
 */
export function iso(seconds: number | null): string | null {
  if (seconds === null) return null;
  if (!Number.isInteger(seconds) || seconds < 0 || seconds >= YEAR_10000) return new Date(seconds * 1000).toISOString();
  const days = Math.floor(seconds / 86_400);
  const secs = seconds - days * 86_400;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097; // day of era, 0..146096
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100)); // day of year from March 1st
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs - h * 3600) / 60);
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(h)}:${pad2(m)}:${pad2(secs % 60)}.000Z`;
}

/** Keyset page over (updated_at, id) ascending, for syncing with `updated_since`. */
export function syncPage<R extends { id: number; updated_at: number }, T>(db: Db, table: string, providerId: number, q: z.output<typeof SyncQuery>, map: (r: R) => T) {
  const where = ['provider_id = ?'];
  const params: number[] = [providerId];
  if (q.updated_since !== undefined) {
    where.push('updated_at >= ?');
    params.push(q.updated_since);
  }
  if (q.cursor) {
    const [k, id] = decodeCursor(q.cursor, 'number');
    where.push('(updated_at, id) > (?, ?)');
    params.push(k, id);
  }
  params.push(q.limit + 1);
  const rows = stmt<number[], R>(db, `SELECT * FROM ${table} WHERE ${where.join(' AND ')} ORDER BY updated_at, id LIMIT ?`).all(...params);
  const more = rows.length > q.limit;
  const items = more ? rows.slice(0, q.limit) : rows;
  const last = items.at(-1);
  return { items: items.map(map), nextCursor: more && last ? encodeCursor(last.updated_at, last.id) : null };
}

