/**
 * Geocoding through the outbox (geocode_queue): addresses of jobs the office gave no coordinates
 * are looked up with a Nominatim-compatible geocoder (`GET <url>/search?format=jsonv2&limit=1&q=…`),
 * at most one request per `minIntervalMs` (Nominatim's usage policy: 1 per second), cached per
 * provider and address, retried with backoff. A found place becomes the job's coordinates (unless
 * the office set some meanwhile) and a live `job.updated` (changed: location) puts it on the map.
 * Without a geocoder URL this never runs: only coordinates the office gives are used.
 */
import { z } from 'zod';
import type { Db } from '../db/index.js';
import { nowSeconds } from '../db/index.js';
import { publishJob } from '../live/publish.js';
import { applyCoordinates, cacheGeocode, cachedGeocode, finishGeocode, geocodeQuery, nextGeocodeTask, retryGeocodeLater, type GeocodeTask } from './data.js';

const Places = z.array(z.object({ lat: z.coerce.number().min(-90).max(90), lon: z.coerce.number().min(-180).max(180) }));

export interface GeocoderOptions {
  /** Base URL of the geocoder; `/search` is appended. */
  url: string;
  userAgent: string;
  log: (line: string) => void;
  /** At most one request this often. */
  minIntervalMs?: number;
  /** How long an idle worker waits before looking at the queue again. */
  idleMs?: number;
  timeoutMs?: number;
  maxAttempts?: number;
  /** First retry after this long, doubling. */
  retryBaseSeconds?: number;
}

export class Geocoder {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private lastRequest = 0;
  private readonly o: Required<GeocoderOptions>;

  constructor(
    private readonly db: Db,
    options: GeocoderOptions,
  ) {
    this.o = { minIntervalMs: 1000, idleMs: 2000, timeoutMs: 10_000, maxAttempts: 5, retryBaseSeconds: 10, ...options };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => void this.step(), ms);
    this.timer.unref();
  }

  /** Works one queued address; schedules the next step (at once after a cache hit, else after the rate limit). */
  private async step(): Promise<void> {
    const task = nextGeocodeTask(this.db);
    if (!task) return this.schedule(this.o.idleMs);
    const query = geocodeQuery(task.address);
    const cached = cachedGeocode(this.db, task.provider_id, query);
    if (cached) {
      this.settle(task, cached.found && cached.latitude !== null && cached.longitude !== null ? { latitude: cached.latitude, longitude: cached.longitude } : null);
      return this.schedule(0);
    }
    const wait = this.lastRequest + this.o.minIntervalMs - Date.now();
    if (wait > 0) return this.schedule(wait);
    this.lastRequest = Date.now();
    try {
      const place = await this.lookUp(task.address);
      cacheGeocode(this.db, task.provider_id, query, place);
      this.settle(task, place);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (task.attempts + 1 >= this.o.maxAttempts) finishGeocode(this.db, task.id, 'failed', message);
      else retryGeocodeLater(this.db, task.id, nowSeconds() + this.o.retryBaseSeconds * 2 ** task.attempts, message);
      this.o.log(`geocoder: job ${task.job_id}: ${message}`);
    }
    this.schedule(this.o.minIntervalMs);
  }

  private async lookUp(address: string): Promise<{ latitude: number; longitude: number } | null> {
    const url = new URL(`${this.o.url.replace(/\/+$/, '')}/search`);
    url.search = new URLSearchParams({ format: 'jsonv2', limit: '1', q: address }).toString();
    const res = await fetch(url, { headers: { 'User-Agent': this.o.userAgent, Accept: 'application/json' }, signal: AbortSignal.timeout(this.o.timeoutMs) });
    if (!res.ok) throw new Error(`the geocoder answered ${res.status}`);
    const places = Places.safeParse(await res.json().catch(() => null));
    if (!places.success) throw new Error('the geocoder answered something other than a list of places');
    const first = places.data[0];
    return first ? { latitude: first.lat, longitude: first.lon } : null;
  }

  /** Applies an answer: coordinates and their live event, and the queue entry closed, in one transaction. */
  private settle(task: GeocodeTask, place: { latitude: number; longitude: number } | null): void {
    this.db.transaction(() => {
      if (place) {
        const before = applyCoordinates(this.db, task.provider_id, task.job_id, task.address, place.latitude, place.longitude);
        if (before) publishJob(this.db, task.provider_id, task.job_id, before, []);
      }
      finishGeocode(this.db, task.id, place ? 'done' : 'not_found');
    })();
  }
}
