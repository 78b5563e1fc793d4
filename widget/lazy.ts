/**
 * Elements whose code loads only when one is drawn (job-map, which brings Leaflet): the page and
 * the elements that show one call `loadJobMap()`; `<job-map>` in the page's own markup is found
 * by `whenInDocument`. The element upgrades in place once its code has arrived.
 */
import { defineTag } from './define.js';

/** OpenStreetMap's tiles and attribution, job-map's (and customer-portal's Map tab's) default. */
export const OSM_TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const OSM_ATTRIBUTION = '© OpenStreetMap contributors';

const pending = new Map<string, Promise<void>>();

/** Fetches and defines `tag` once; a failed fetch (offline) is tried again on the next call. */
export function loadTag(tag: string, load: () => Promise<CustomElementConstructor>): Promise<void> {
  let p = pending.get(tag);
  if (!p) {
    p = load().then((element) => defineTag(tag, element));
    p.catch(() => pending.delete(tag));
    pending.set(tag, p);
  }
  return p;
}

export const loadJobMap = (): Promise<void> => loadTag('job-map', async () => (await import('./elements/job-map/job-map.js')).JobMap);

/** Runs `load` once an element named `tag` is in the document (not inside shadow roots: their elements load what they draw). */
export function whenInDocument(tag: string, load: () => Promise<void>): void {
  if (typeof document === 'undefined') return;
  const run = (): void => void load().catch(() => undefined);
  if (document.querySelector(tag)) return run();
  const has = (n: Node): boolean => n instanceof Element && (n.localName === tag || n.querySelector(tag) !== null);
  const observer = new MutationObserver((records) => {
    if (!records.some((r) => Array.from(r.addedNodes).some(has))) return;
    observer.disconnect();
    run();
  });
  observer.observe(document, { childList: true, subtree: true });
}
