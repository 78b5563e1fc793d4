/**
 * Leaflet, loaded on first use: only job-map imports this module, and only with import(), so
 * Leaflet and its CSS sit in their own chunk that pages without a map never download.
 */
export type Leaflet = typeof import('leaflet');

let loading: Promise<{ L: Leaflet; sheet: CSSStyleSheet }> | null = null;

export function loadLeaflet(): Promise<{ L: Leaflet; sheet: CSSStyleSheet }> {
  loading ??= Promise.all([import('leaflet/dist/leaflet-src.esm.js'), import('leaflet/dist/leaflet.css')]).then(([L, css]) => {
    // Leaflet's CSS goes into each map's shadow root (adoptedStyleSheets: allowed under a strict
    // style-src CSP, and invisible to the host page's own CSS).
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css.default);
    return { L: L as unknown as Leaflet, sheet };
  });
  loading.catch(() => (loading = null)); // a failed download may be retried
  return loading;
}
