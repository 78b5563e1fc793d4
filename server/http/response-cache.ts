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
 * Bounded by characters held (about bytes, for JSON); the least recently used go first. Beside the
 * bodies, record fragments (`fragments`: single job summaries as JSON, under the same counter),
 * within a quarter of that bound more.
 */
export class ResponseCache {
  readonly #entries = new Map<string, Entry>();
  #size = 0;
  readonly #scopes = new Map<string, Fragments>();
  #fragmentChars = 0;
  /** Characters the record fragments may hold, beside the bodies: a quarter of the bodies' bound. */
  readonly maxFragmentChars: number;
  hits = 0;
  misses = 0;

  constructor(readonly maxChars: number) {
    this.maxFragmentChars = Math.floor(maxChars / 4);
  }

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
    this.#scopes.clear();
    this.#fragmentChars = 0;
  }

  /**
   * The finished JSON of single records under `scope` (one company's job summaries), valid while
   * the company's change counter stands at `version`, as the bodies are: a list page that is not
   * in the cache is put together from them, and only the records missing here are read in full.
   * A scope at another version starts empty. Undefined when the cache is off.
   */
  fragments(scope: string, version: number): Fragments | undefined {
    if (!this.enabled) return undefined;
    let kept = this.#scopes.get(scope);
    if (kept !== undefined) this.#scopes.delete(scope);
    if (kept === undefined || kept.version !== version) {
      if (kept) this.#fragmentChars -= kept.chars;
      kept = new Fragments(version, this.maxFragmentChars / 8, (chars) => this.#grew(chars));
    }
    // Most recently used last, as the bodies.
    this.#scopes.set(scope, kept);
    return kept;
  }

  get fragmentSize(): { scopes: number; chars: number } {
    return { scopes: this.#scopes.size, chars: this.#fragmentChars };
  }

  #grew(chars: number): void {
    this.#fragmentChars += chars;
    // The scope that grew is the last; the least recently used go first, never the one in use.
    for (const [scope, kept] of this.#scopes) {
      if (this.#fragmentChars <= this.maxFragmentChars || this.#scopes.size === 1) break;
      this.#scopes.delete(scope);
      this.#fragmentChars -= kept.chars;
    }
  }

  #delete(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#size -= entry.body.length;
  }
}

/** One scope's record fragments (see ResponseCache.fragments), by record id. */
export class Fragments {
  readonly #items = new Map<number, string>();
  chars = 0;

  constructor(
    readonly version: number,
    readonly maxChars: number,
    readonly grew: (chars: number) => void,
  ) {}

  get(id: number): string | undefined {
    return this.#items.get(id);
  }

  /** Keeps a record's JSON; a scope already at its bound keeps what it has. */
  set(id: number, json: string): void {
    if (this.chars + json.length > this.maxChars || this.#items.has(id)) return;
    this.#items.set(id, json);
    this.chars += json.length;
    this.grew(json.length);
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

/**
 * `c.json(data)` that also hands the body to `cachedRead`. Typed like `c.json(data)`, so the
 * route's answer type reaches the client's types.
 */
export function cacheableJson<T>(c: Context<PortalEnv>, data: T): Response & TypedResponse<T, 200, 'json'> {
  return cacheableText(c, JSON.stringify(data) as JsonText<T>);
}

/** JSON text of a T: made by `JSON.stringify` of a T, or joined from such texts. */
export type JsonText<T> = string & { readonly jsonOf?: T };

/** `cacheableJson` for a body already made as text (a job list page joined from fragments). */
export function cacheableText<T>(c: Context<PortalEnv>, body: JsonText<T>): Response & TypedResponse<T, 200, 'json'> {
  c.set(BODY, body);
  return completeJson(c, body, c.get('cors')) as Response & TypedResponse<T, 200, 'json'>;
}
