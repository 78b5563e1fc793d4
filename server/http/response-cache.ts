import type { Context, MiddlewareHandler, TypedResponse } from 'hono';
import type { PortalEnv } from '../deps.js';
import { completeJson } from './api-middleware.js';

interface Entry {
  version: number;
  body: string;
}

/**
 * Finished JSON bodies of the portal's read routes, per contact and URL, each valid while its
 * company's change counter (migration 6) stands where it stood when the body was made. Any write
 * to the company's records, its contacts (permissions) or the company itself moves the counter,
 * from whatever connection or process, so a stale body is never served: it is simply not found.
 *
 * Only bodies are kept: status 200 and per-request headers (CORS, request id) are made afresh.
 * Bounded by characters held (about bytes, for JSON); the least recently used go first.
 */
export class ResponseCache {
  readonly #entries = new Map<string, Entry>();
  #size = 0;
  hits = 0;
  misses = 0;

  constructor(readonly maxChars: number) {}

  get enabled(): boolean {
    return this.maxChars > 0;
  }

  get size(): { entries: number; chars: number } {
    return { entries: this.#entries.size, chars: this.#size };
  }

  get(key: string, version: number): string | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.version !== version) {
      this.misses++;
      if (entry) this.#delete(key, entry);
      return undefined;
    }
    this.hits++;
    // Most recently used last, so eviction takes from the front.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.body;
  }

  set(key: string, version: number, body: string): void {
    // One body may take at most an eighth, so a few huge pages cannot flush everyone else's.
    if (body.length > this.maxChars / 8) return;
    const old = this.#entries.get(key);
    if (old) this.#delete(key, old);
    this.#entries.set(key, { version, body });
    this.#size += body.length;
    for (const [k, e] of this.#entries) {
      if (this.#size <= this.maxChars) break;
      this.#delete(k, e);
    }
  }

  clear(): void {
    this.#entries.clear();
    this.#size = 0;
  }

  #delete(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#size -= entry.body.length;
  }
}

const BODY = 'cacheableBody';

/**
 * Serves a read route from the cache (after requireSession, which reads the contact's company's
 * version with the session), or runs it and keeps the body it answered with `cacheableJson`.
 * The key is the contact and the URL as sent: the same contact asking the same thing again; or,
 * where a route says its answer is the same for a group of contacts (`sharedBy`: the job list
 * of everyone who sees all of their company's jobs), the group and the URL. A group's name never
 * looks like a contact id (it is not only digits), so the two kinds of key never meet.
 * A hit skips validation too, which is sound: only answers that passed it are kept.
 */
export function cachedRead(cache: ResponseCache, sharedBy?: (c: Context<PortalEnv>) => string | null): MiddlewareHandler<PortalEnv> {
  return async (c, next) => {
    if (!cache.enabled) return next();
    const url = c.req.url;
    const whose = sharedBy?.(c) ?? String(c.get('contact').id);
    const key = `${whose} ${url.slice(url.indexOf('/', url.indexOf('//') + 2))}`;
    const version = c.get('session').version;
    const body = cache.get(key, version);
    if (body !== undefined) return completeJson(c, body, c.get('cors'));
    await next();
    const made = c.get(BODY);
    if (made !== undefined && c.res.status === 200) cache.set(key, version, made);
  };
}

/** `c.json(data)` that also hands the body to `cachedRead`. */
/** Typed like `c.json(data)`, so the route's answer type reaches the client's types. */
export function cacheableJson<T>(c: Context<PortalEnv>, data: T): Response & TypedResponse<T, 200, 'json'> {
  const body = JSON.stringify(data);
  c.set(BODY, body);
  return completeJson(c, body, c.get('cors')) as Response & TypedResponse<T, 200, 'json'>;
}
