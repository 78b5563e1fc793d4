/** The geocoding outbox and cache: every SQL statement of server/geocoding/. */
import { type Db, stmt, nowSeconds } from '../db/index.js';
import type { JobRow } from '../jobs/data.js';

export interface GeocodeTask {
  id: number;
  provider_id: number;
  job_id: number;
  address: string;
  attempts: number;
}

/** How an address is looked up and cached: case and spacing do not make another place. */
export const geocodeQuery = (address: string): string => address.trim().replace(/\s+/g, ' ').toLowerCase();

/** Queues a job's address; an earlier address of the same job still waiting is dropped. */
export function enqueueGeocode(db: Db, providerId: number, jobId: number, address: string): void {
  const now = nowSeconds();
  stmt(db, "UPDATE geocode_queue SET status = 'failed', last_error = 'address changed' WHERE job_id = ? AND status = 'pending'").run(jobId);
  stmt(db, 'INSERT INTO geocode_queue (provider_id, job_id, address, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)').run(providerId, jobId, address, now, now);
}

export function nextGeocodeTask(db: Db, now = nowSeconds()): GeocodeTask | undefined {
  return stmt<[number], GeocodeTask>(
    db,
    "SELECT id, provider_id, job_id, address, attempts FROM geocode_queue WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1",
  ).get(now);
}

export function cachedGeocode(db: Db, providerId: number, query: string): { found: number; latitude: number | null; longitude: number | null } | undefined {
  return stmt<[number, string], { found: number; latitude: number | null; longitude: number | null }>(
    db,
    'SELECT found, latitude, longitude FROM geocode_cache WHERE provider_id = ? AND query = ?',
  ).get(providerId, query);
}

export function cacheGeocode(db: Db, providerId: number, query: string, place: { latitude: number; longitude: number } | null): void {
  stmt(db, 'INSERT OR REPLACE INTO geocode_cache (provider_id, query, found, latitude, longitude, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    providerId,
    query,
    place ? 1 : 0,
    place?.latitude ?? null,
    place?.longitude ?? null,
    nowSeconds(),
  );
}

export function finishGeocode(db: Db, id: number, status: 'done' | 'not_found' | 'failed', error: string | null = null): void {
  stmt(db, 'UPDATE geocode_queue SET status = ?, attempts = attempts + 1, last_error = ? WHERE id = ?').run(status, error, id);
}

export function retryGeocodeLater(db: Db, id: number, at: number, error: string): void {
  stmt(db, 'UPDATE geocode_queue SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?').run(at, error, id);
}

/**
 * Gives the job the coordinates of `address`, unless the office set some meanwhile or the
 * address has changed since it was queued. Returns the row as it was when they were applied.
 */
export function applyCoordinates(db: Db, providerId: number, jobId: number, address: string, latitude: number, longitude: number): JobRow | null {
  const before = stmt<[number, number], JobRow>(db, 'SELECT * FROM jobs WHERE provider_id = ? AND id = ?').get(providerId, jobId);
  if (!before || before.latitude !== null || before.address !== address) return null;
  stmt(db, 'UPDATE jobs SET latitude = ?, longitude = ?, updated_at = ? WHERE id = ? AND provider_id = ?').run(latitude, longitude, nowSeconds(), jobId, providerId);
  return before;
}

export function geocodeQueueCounts(db: Db): Record<string, number> {
  return Object.fromEntries(
    stmt<[], { status: string; n: number }>(db, 'SELECT status, count(*) AS n FROM geocode_queue GROUP BY status').all().map((r) => [r.status, r.n]),
  );
}
