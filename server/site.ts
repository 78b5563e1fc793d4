/**
 * Static files: the built widget under /widget/ and the demo site. The demo pages are
 * templates so the same page can be served from a second origin that calls the API across
 * origins, as it will on a provider's own website.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Context, Hono } from 'hono';
import { MALFORMED, malformedEscapes } from './http/path.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
};

interface Found {
  body: Buffer;
  type: string;
  /** A validator from the file's size and modification time. */
  etag: string;
}

/** The file under root, or null; `malformed` when the path's escapes do not decode. */
async function readSafe(root: string, path: string): Promise<Found | null | 'malformed'> {
  if (malformedEscapes(path)) return 'malformed';
  const base = resolve(root);
  const file = resolve(base, '.' + normalize('/' + decodeURIComponent(path)));
  if (file !== base && !file.startsWith(base + sep)) return null;
  try {
    const s = await stat(file);
    const target = s.isDirectory() ? join(file, 'index.html') : file;
    const t = target === file ? s : await stat(target);
    return { body: await readFile(target), type: TYPES[extname(target)] ?? 'application/octet-stream', etag: `W/"${t.size.toString(36)}-${Math.floor(t.mtimeMs).toString(36)}"` };
  } catch {
    return null;
  }
}

// Rollup's chunk names (rollup.config.mjs: chunks/[name]-[hash].js): the content never changes under one.
const HASHED = /^\/chunks\/[^/]+-[A-Za-z0-9_-]{8,}\.js(?:\.map)?$/;

/**
 * Hashed chunks are cached for a year without asking again; the entry files (portal.js and the
 * per-element ones, whose names stay the same across releases) and the demo assets are
 * revalidated on each use, answered 304 while unchanged.
 */
export function assetCacheControl(strip: string, rel: string): string {
  return strip === '/widget' && HASHED.test(rel) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

export interface SiteOptions {
  distDir: string;
  demoDir: string;
  /** API origin the demo pages talk to; '' means their own origin. */
  apiOrigin: () => string;
}

/** A strict CSP on the demo pages proves the widget needs no inline script or style. */
function csp(apiOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data:${apiOrigin ? ' ' + apiOrigin : ''}`, // the provider's logo is served by the API's origin
    `connect-src 'self'${apiOrigin ? ' ' + apiOrigin : ''}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

export function mountSite(app: Hono, options: SiteOptions): void {
  const serve = (root: string, strip: string) => async (c: Context) => {
    const rel = c.req.path.slice(strip.length) || '/';
    const found = await readSafe(root, rel);
    if (found === 'malformed') return c.json(MALFORMED, 400);
    if (!found) return c.notFound();
    c.header('Content-Type', found.type);
    c.header('X-Content-Type-Options', 'nosniff');
    if (found.type.startsWith('text/html')) {
      const api = options.apiOrigin();
      c.header('Content-Security-Policy', csp(api));
      c.header('Referrer-Policy', 'no-referrer');
      c.header('Cache-Control', 'no-store');
      return c.body(found.body.toString('utf8').replaceAll('{{api}}', api));
    }
    // Provider sites load the public bundle from here as a cross-origin module script, which needs CORS.
    if (strip === '/widget') c.header('Access-Control-Allow-Origin', '*');
    c.header('Cache-Control', assetCacheControl(strip, rel));
    c.header('ETag', found.etag);
    if (c.req.header('if-none-match')?.split(/\s*,\s*/).includes(found.etag)) return c.body(null, 304);
    return c.body(new Uint8Array(found.body));
  };
  app.get('/widget/*', serve(options.distDir, '/widget'));
  app.get('/demo/*', serve(join(options.demoDir, 'assets'), '/demo'));
  app.get('/*', serve(options.demoDir, ''));
}
