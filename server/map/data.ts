/** The job map's SQL: started jobs with coordinates as a contact may see them, and the provider's map settings. */
import { type Db, stmt, nowSeconds } from '../db/index.js';
import { iso } from '../db/paging.js';
import { recordScope, type Viewer } from '../permissions.js';
import type { JobStatus } from '../contract.js';
import { customerPosition, distanceMetres } from './coarsen.js';
import type { MapJob, MapSettings } from './schemas.js';

/** Statuses in which a job is on the map: the technician is on the way or at work. */
export const STARTED: readonly JobStatus[] = ['on_the_way', 'in_progress'];
/** Town driving, for a rough arrival estimate. */
const SPEED_M_PER_S = 30_000 / 3600;
const MAX_JOBS = 500;

export function mapSettings(db: Db, providerId: number): MapSettings {
  const r = stmt<[number], { exact_position_on_the_way: number }>(db, 'SELECT exact_position_on_the_way FROM provider_map_settings WHERE provider_id = ?').get(providerId);
  return { exactPositionOnTheWay: r?.exact_position_on_the_way === 1 };
}

export function setMapSettings(db: Db, providerId: number, s: MapSettings): MapSettings {
  stmt(
    db,
    `INSERT INTO provider_map_settings (provider_id, exact_position_on_the_way, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (provider_id) DO UPDATE SET exact_position_on_the_way = excluded.exact_position_on_the_way, updated_at = excluded.updated_at`,
  ).run(providerId, s.exactPositionOnTheWay ? 1 : 0, nowSeconds());
  return mapSettings(db, providerId);
}

interface MapRow {
  id: number;
  number: string;
  title: string;
  status: JobStatus;
  address: string;
  latitude: number;
  longitude: number;
  technician: string | null;
  scheduled_start: number | null;
  updated_at: number;
}

interface PositionRow {
  job_id: number;
  latitude: number;
  longitude: number;
  recorded_at: number;
}

/** The started jobs with coordinates the viewer may see (one job with `jobId`), each with its last position: two statements. */
export function mapJobs(db: Db, viewer: Viewer, jobId?: number): MapJob[] {
  const scope = recordScope(viewer, viewer.permissions.jobs, 'jobs');
  const rows = stmt<(number | string)[], MapRow>(
    db,
    `SELECT r.id, r.number, r.title, r.status, r.address, r.latitude, r.longitude, r.technician, r.scheduled_start, r.updated_at
       FROM jobs r WHERE ${scope.sql} AND r.status IN ('on_the_way', 'in_progress') AND r.latitude IS NOT NULL AND r.longitude IS NOT NULL
        AND (? = 0 OR r.id = ?) ORDER BY r.updated_at DESC, r.id DESC LIMIT ?`,
  ).all(...scope.params, jobId ?? 0, jobId ?? 0, MAX_JOBS);
  if (!rows.length) return [];
  const positions = new Map(
    stmt<[string], PositionRow>(
      db,
      `SELECT job_id, latitude, longitude, recorded_at FROM technician_positions WHERE id IN (
         SELECT (SELECT p.id FROM technician_positions p WHERE p.job_id = j.value ORDER BY p.recorded_at DESC, p.id DESC LIMIT 1) FROM json_each(?) j)`,
    )
      .all(JSON.stringify(rows.map((r) => r.id)))
      .map((p) => [p.job_id, p]),
  );
  const { exactPositionOnTheWay } = mapSettings(db, viewer.providerId);
  return rows.map((r) => {
    const p = positions.get(r.id);
    const site = { latitude: r.latitude, longitude: r.longitude };
    const eta = p && r.status === 'on_the_way' ? iso(p.recorded_at + Math.round(distanceMetres(p, site) / SPEED_M_PER_S)) : null;
    return {
      id: r.id,
      number: r.number,
      title: r.title,
      status: r.status,
      address: r.address,
      ...site,
      technician: r.technician,
      scheduledStart: iso(r.scheduled_start),
      eta,
      updatedAt: iso(r.updated_at)!,
      position: p ? { ...customerPosition(p.latitude, p.longitude, r.status, exactPositionOnTheWay), at: iso(p.recorded_at)! } : null,
    };
  });
}
