/** Keyset paging: the cursor carries the last row's sort key and id, so pages stay fast at any depth. */
import { ApiError } from '../http/errors.js';

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

export const iso = (seconds: number | null): string | null => (seconds === null ? null : new Date(seconds * 1000).toISOString());
