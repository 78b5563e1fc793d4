/**
 * Technician positions as customers may see them. A position is snapped to the centre of a grid
 * cell about 500 m on a side, so the customer sees roughly where the technician is, never where
 * they parked; a provider may allow the exact position while the technician is on the way.
 */
import type { JobStatus } from '../contract.js';

/** About 500 m of latitude (1° ≈ 111 km). */
export const CELL_DEGREES = 0.0045;

const round = (x: number): number => Math.round(x * 1e5) / 1e5;

export function coarsen(latitude: number, longitude: number): { latitude: number; longitude: number } {
  const lat = (Math.floor(latitude / CELL_DEGREES) + 0.5) * CELL_DEGREES;
  // Degrees of longitude shrink toward the poles: a wider cell in degrees keeps it ~500 m wide.
  const lngCell = CELL_DEGREES / Math.max(Math.cos((lat * Math.PI) / 180), 0.05);
  const lng = (Math.floor(longitude / lngCell) + 0.5) * lngCell;
  return { latitude: round(Math.min(90, Math.max(-90, lat))), longitude: round(Math.min(180, Math.max(-180, lng))) };
}

export interface CustomerPosition {
  latitude: number;
  longitude: number;
  precision: 'approximate' | 'exact';
}

export function customerPosition(latitude: number, longitude: number, status: JobStatus, exactOnTheWay: boolean): CustomerPosition {
  if (exactOnTheWay && status === 'on_the_way') return { latitude, longitude, precision: 'exact' };
  return { ...coarsen(latitude, longitude), precision: 'approximate' };
}

/** Great-circle distance in metres. */
export function distanceMetres(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLng = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}
