import type { MiddlewareHandler } from 'hono';
import { errorBody } from './errors.js';

/** Whether a path or query has a percent-escape that does not decode (bad UTF-8, a cut-off %E0%A4%A). */
export function malformedEscapes(text: string): boolean {
  if (!text.includes('%')) return false;
  try {
    decodeURIComponent(text);
    return false;
  } catch {
    return true;
  }
}

export const MALFORMED = errorBody('malformed_path', 'The request path or query has a malformed percent-encoding.');

/**
 * 400 for a URL whose percent-escapes do not decode, before any route sees it: the routes, the
 * static files and Hono's own parameter decoding each met them differently, and some with a
 * URIError (a 500). A URL without "%" costs one indexOf.
 */
export const rejectMalformedUrl: MiddlewareHandler = async (c, next) => {
  const url = c.req.url;
  if (url.includes('%')) {
    const start = url.indexOf('/', url.indexOf('//') + 2);
    if (start >= 0 && malformedEscapes(url.slice(start).replaceAll('+', ' '))) return c.json(MALFORMED, 400);
  }
  await next();
};
