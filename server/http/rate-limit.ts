/**
 * Rate limits. The routes use the `Limiter` interface, whose methods may answer with promises,
 * so a store shared by several server processes (Redis, a table) can replace the in-memory one
 * without touching them. Across processes such a store has to give each key one counter that
 * every process increments atomically (a sorted set or a counter per window with an expiry),
 * evict on its own (expiry, a bounded size), and answer within the request's budget; otherwise
 * each process grants the full limit and an attacker gets it once per process.
 */
export type MaybePromise<T> = T | Promise<T>;

export interface Limiter {
  readonly limit: number;
  readonly windowMs: number;
  /** Seconds until the key may try again, or 0 when it may now. */
  retryAfter(key: string): MaybePromise<number>;
  record(key: string): MaybePromise<void>;
  /**
   * Check and record in one step: 0 when the attempt was counted, else the seconds to wait
   * (nothing counted). One step, so parallel requests cannot all pass the check before any
   * records; a shared store must do it atomically too.
   */
  take(key: string): MaybePromise<number>;
  reset(key: string): MaybePromise<void>;
}

/** Keys held per limiter unless told otherwise: about 100,000 × (key + `limit` numbers). */
export const DEFAULT_CAPACITY = 100_000;

/**
 * An exact sliding window kept in memory, bounded in memory and in work per request whatever
 * keys arrive: a key holds at most `limit` timestamps (older ones cannot matter), and once
 * `capacity` keys are held, recording a new one evicts the key used longest ago (Map order is
 * use order), one per record. Nothing walks the keys, so a flood of distinct keys costs the
 * attacker a request per key and the server a constant amount each. Eviction forgives the
 * least recently active key; per-address limits in front keep one client from doing that at will.
 */
export class RateLimiter implements Limiter {
  private readonly hits = new Map<string, number[]>();
  /** Keys evicted to stay within capacity (a sign of a flood when it grows). */
  evicted = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
    readonly capacity: number = DEFAULT_CAPACITY,
  ) {}

  /** Keys held now: never more than `capacity`. */
  get size(): number {
    return this.hits.size;
  }

  retryAfter(key: string): number {
    const recent = this.recent(key);
    if (!recent || recent.length < this.limit) return 0;
    return Math.max(1, Math.ceil((recent[recent.length - this.limit]! + this.windowMs - this.now()) / 1000));
  }

  record(key: string): void {
    const recent = this.recent(key) ?? [];
    recent.push(this.now());
    if (recent.length > this.limit) recent.shift();
    // Delete and set again: the key moves to the end, the most recently used.
    this.hits.delete(key);
    this.hits.set(key, recent);
    if (this.hits.size > this.capacity) {
      this.hits.delete(this.hits.keys().next().value!);
      this.evicted++;
    }
  }

  take(key: string): number {
    const wait = this.retryAfter(key);
    if (wait === 0) this.record(key);
    return wait;
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  /** The key's timestamps inside the window (expired ones dropped from the front), or undefined. */
  private recent(key: string): number[] | undefined {
    const times = this.hits.get(key);
    if (!times) return undefined;
    const since = this.now() - this.windowMs;
    let old = 0;
    while (old < times.length && times[old]! <= since) old++;
    if (old === times.length) {
      this.hits.delete(key);
      return undefined;
    }
    if (old) times.splice(0, old);
    return times;
  }
}
