/**
 * The map's markers and popups, built as DOM with text nodes only (job titles and technician
 * names are user text, never HTML). Icons are explicit divIcons: Leaflet's default icon guesses
 * image paths from its CSS, which break inside a bundle and a shadow root.
 */
import type { DivIcon, LatLngExpression, Marker } from 'leaflet';
import type { MapJob } from '../../api/client.js';
import { JOB_STATUS_LABELS, formatDateTime } from '../../ui/format.js';
import type { Leaflet } from './leaflet.js';

const PIN = '<svg viewBox="0 0 24 32" width="24" height="32" aria-hidden="true" focusable="false"><path d="M12 0C5.4 0 0 5.3 0 11.9 0 20.8 12 32 12 32s12-11.2 12-20.1C24 5.3 18.6 0 12 0z"/><circle cx="12" cy="12" r="4.5" fill="#fff"/></svg>';

export function siteIcon(L: Leaflet): DivIcon {
  return L.divIcon({ className: 'marker site', html: PIN, iconSize: [24, 32], iconAnchor: [12, 32], popupAnchor: [0, -28] });
}

export function technicianIcon(L: Leaflet, precision: 'approximate' | 'exact'): DivIcon {
  return L.divIcon({ className: `marker technician ${precision}`, html: '<span class="dot" aria-hidden="true"></span>', iconSize: [22, 22], iconAnchor: [11, 11], popupAnchor: [0, -10] });
}

/** "just now", "6 min ago", "2 h ago". */
export function ago(at: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(at)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.floor(minutes / 60)} h ago`;
}

export function lastSeen(job: MapJob, now = Date.now()): string {
  if (!job.position) return 'No position yet';
  return `${job.position.precision === 'exact' ? 'Last seen' : 'Last seen (approximately)'} ${ago(job.position.at, now)}`;
}

/** The popup of a job: number, title, status, technician, ETA where known, last update. */
export function popupContent(job: MapJob): HTMLElement {
  const root = document.createElement('div');
  root.className = 'popup';
  const line = (cls: string, text: string, tag = 'p'): void => {
    const el = document.createElement(tag);
    el.className = cls;
    el.textContent = text;
    root.append(el);
  };
  line('popup-title', `${job.number} ${job.title}`, 'strong');
  line('popup-status', JOB_STATUS_LABELS[job.status] ?? job.status);
  line('popup-technician', job.technician ? `Technician: ${job.technician}` : 'No technician assigned yet');
  if (job.eta) line('popup-eta', `Expected around ${formatDateTime(job.eta)}`);
  line('popup-updated', job.position ? lastSeen(job) : `Updated ${formatDateTime(job.updatedAt)}`);
  return root;
}

export const siteLabel = (job: MapJob): string => `Job ${job.number}: ${job.title}, ${JOB_STATUS_LABELS[job.status] ?? job.status}`;
export const technicianLabel = (job: MapJob): string => `Technician ${job.technician ?? ''} for job ${job.number}, ${lastSeen(job).toLowerCase()}`.replace(/\s+/g, ' ');

/** Gives a marker's icon an accessible name and role (Leaflet makes it focusable; Enter opens its popup). */
export function label(marker: Marker, text: string): void {
  const el = marker.getElement();
  if (!el) return;
  el.setAttribute('role', 'button');
  el.setAttribute('aria-label', text);
  el.removeAttribute('title');
}

export const at = (p: { latitude: number; longitude: number }): LatLngExpression => [p.latitude, p.longitude];
