/** Keyset paging: the cursor carries the last row's sort key and id, so pages stay fast at any depth. */
import { ApiError } from '../http/errors.js';

export function encodeCursor(key: number | string, id: number): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [number | string, number] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      (typeof value[0] === 'number' || typeof value[0] === 'string') &&
      Number.isInteger(value[1])
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
