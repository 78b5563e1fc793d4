import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task, TaskStatus, initialState } from '@lit/task';
import type { Map as LeafletMap, Marker } from 'leaflet';
import type { LiveEvent, MapJob } from '../../api/client.js';
import { portalContext, type PortalState } from '../../context.js';
import { LiveController } from '../../live/controller.js';
import { asApiError } from '../../ui/form.js';
import { JOB_STATUS_LABELS, JOB_STATUS_TONES, formatDateTime } from '../../ui/format.js';
import { badge, empty, failed, loading, notAllowed, offlineNote, reportError } from '../../ui/states.js';
import { loadLeaflet, type Leaflet } from './leaflet.js';
import { at, label, lastSeen, popupContent, siteIcon, siteLabel, technicianIcon, technicianLabel } from './markers.js';
import { styles } from './styles.js';

import { OSM_ATTRIBUTION, OSM_TILES } from '../../lazy.js';
const STARTED = new Set(['on_the_way', 'in_progress']);

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * @tagname job-map
 * @summary The jobs under way (technician on the way or at work) that have coordinates, on a map,
 * with each technician's position moving live; the same jobs as a list for keyboard and screen
 * reader users. With `job-id`, one job (nothing at all when it is not under way or has no coordinates).
 *
 * Leaflet is loaded with `import()` the first time a map is drawn, in its own chunk. Technician
 * positions come coarsened to about 500 m unless the provider allows the exact one on the way.
 * Without tiles (`tile-url=""`) the markers stand on a plain background, with a note.
 *
 * @fires portal-error - Loading the jobs failed. `detail: { code, message, status, action }`.
 *
 * @csspart base - The card around the map and the list.
 * @csspart map - The map.
 * @csspart list - The list of the same jobs.
 * @csspart item - One job in the list.
 * @csspart badge - A status badge.
 * @csspart button - "Show on map".
 * @csspart note - The note shown when there are no tiles.
 *
 * @cssprop --job-map-height - Height of the map (default 22rem; 14rem with `job-id`).
 * @cssprop --job-map-max-width - Width of the element (default 64rem).
 */
export class JobMap extends LitElement {
  static override styles = styles;

  /** Tile URL template (`{z}/{x}/{y}`, optional `{s}`); empty or `none`: no tiles. */
  @property({ attribute: 'tile-url' }) tileUrl = OSM_TILES;
  /** Attribution shown for the tiles (as text). */
  @property() attribution = OSM_ATTRIBUTION;
  /** Show only this job. */
  @property({ type: Number, attribute: 'job-id' }) jobId: number | null = null;
  /** True once the map is drawn (Leaflet loaded). Reflected; set by the element. */
  @property({ type: Boolean, reflect: true }) ready = false;

  @consume({ context: portalContext, subscribe: true })
  @state()
  protected portal?: PortalState;

  @state() private items: MapJob[] = [];
  /** Ticks every half minute, so "last seen … ago" stays true. */
  @state() private now = Date.now();

  private L: Leaflet | null = null;
  private map: LeafletMap | null = null;
  private readonly markers = new Map<number, { site: Marker; technician: Marker | null }>();
  private shownIds = '';
  private drawing = false;
  private resize?: ResizeObserver;
  private clock?: ReturnType<typeof setInterval>;
  private refetchQueued = false;

  private get allowed(): boolean {
    const me = this.portal?.me;
    return !!me && me.permissions.map && me.provider.features.map && me.permissions.jobs !== 'none';
  }

  private readonly task = new Task(this, {
    task: async ([client, signedIn, allowed, jobId], { signal }) => {
      if (!client || !signedIn || !allowed) return initialState;
      try {
        return await client.map(jobId ? { job: jobId } : {}, signal);
      } catch (error) {
        reportError(this, this.portal, 'load-map', error);
        throw error;
      }
    },
    args: () => [this.portal?.client, this.portal?.status === 'signed-in', this.allowed, this.jobId, this.portal?.me?.contact.id] as const,
    onComplete: (page) => (this.items = page.items),
  });

  protected readonly live = new LiveController(this, () => this.portal?.live, {
    event: (e) => this.onLive(e),
    reload: () => this.refetch(),
  });

  private onLive(e: LiveEvent): void {
    if (e.type === 'job.position') {
      const { jobId, latitude, longitude, at: when, precision } = e.data;
      if (!this.items.some((j) => j.id === jobId)) return;
      this.items = this.items.map((j) => (j.id === jobId ? { ...j, position: { latitude, longitude, at: when, precision } } : j));
      this.placeTechnician(this.items.find((j) => j.id === jobId)!);
      return;
    }
    if (e.type !== 'job.updated' && e.type !== 'job.created') return;
    if (this.jobId && e.data.job.id !== this.jobId) return;
    const known = this.items.find((j) => j.id === e.data.job.id);
    const started = STARTED.has(e.data.job.status);
    // Joining or leaving the map, or moved: ask the server (it has the coordinates); else update in place.
    if (!known || !started || e.data.changed.includes('location')) {
      if (known || started) this.refetch();
      return;
    }
    const { status, technician, scheduledStart, updatedAt, title } = e.data.job;
    this.items = this.items.map((j) => (j.id === known.id ? { ...j, status, technician, scheduledStart, updatedAt, title } : j));
  }

  /** One reload at a time: changes arriving during one are covered by the next. */
  private refetch(): void {
    if (this.task.status === TaskStatus.PENDING) {
      this.refetchQueued = true;
      return;
    }
    void this.task.run().finally(() => {
      if (!this.refetchQueued) return;
      this.refetchQueued = false;
      this.refetch();
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.clock = setInterval(() => (this.now = Date.now()), 30_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.clock);
    this.destroyMap();
  }

  protected override updated(changed: PropertyValues<this>): void {
    const canvas = this.renderRoot.querySelector<HTMLElement>('.canvas');
    if (!canvas) {
      this.destroyMap();
      return;
    }
    if (changed.has('tileUrl') || changed.has('attribution')) this.destroyMap();
    if (!this.map) void this.draw(canvas);
    else this.sync();
  }

  private async draw(canvas: HTMLElement): Promise<void> {
    if (this.drawing) return;
    this.drawing = true;
    try {
      const { L, sheet } = await loadLeaflet();
      const root = this.renderRoot as ShadowRoot;
      if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [sheet, ...root.adoptedStyleSheets];
      if (!canvas.isConnected || this.map) return;
      this.L = L;
      // No zoom or fade animations: a map removed mid-animation (a tab switched, a list re-rendered)
      // would otherwise throw from Leaflet's transition end; markers jump to new positions at once.
      const map = (this.map = L.map(canvas, { attributionControl: false, zoomControl: true, keyboard: true, zoomAnimation: false, fadeAnimation: false, markerZoomAnimation: false }));
      const tiles = this.tileUrl.trim();
      if (tiles && tiles !== 'none') {
        L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
        L.control.attribution({ prefix: false }).addAttribution(escapeHtml(this.attribution)).addTo(map);
      }
      this.resize = new ResizeObserver(() => map.invalidateSize());
      this.resize.observe(canvas);
      this.shownIds = '';
      this.sync();
      this.ready = true;
    } catch (error) {
      reportError(this, this.portal, 'load-map-library', error);
    } finally {
      this.drawing = false;
    }
  }

  private destroyMap(): void {
    this.resize?.disconnect();
    this.map?.remove();
    this.map = null;
    this.markers.clear();
    this.ready = false;
  }

  /** Markers to match the jobs; the view fits them whenever the set of jobs changes. */
  private sync(): void {
    const { L, map } = this;
    if (!L || !map) return;
    const ids = new Set(this.items.map((j) => j.id));
    for (const [id, m] of this.markers) {
      if (ids.has(id)) continue;
      m.site.remove();
      m.technician?.remove();
      this.markers.delete(id);
    }
    for (const job of this.items) {
      let m = this.markers.get(job.id);
      if (!m) {
        const site = L.marker(at(job), { icon: siteIcon(L), keyboard: true, riseOnHover: true }).addTo(map);
        m = { site, technician: null };
        this.markers.set(job.id, m);
      }
      m.site.setLatLng(at(job));
      m.site.bindPopup(popupContent(job));
      label(m.site, siteLabel(job));
      this.placeTechnician(job);
    }
    const key = [...ids].sort().join(',');
    if (key !== this.shownIds) {
      this.shownIds = key;
      const points = this.items.flatMap((j) => (j.position ? [at(j), at(j.position)] : [at(j)]));
      if (points.length) map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 15 });
    }
  }

  private placeTechnician(job: MapJob): void {
    const { L, map } = this;
    const m = this.markers.get(job.id);
    if (!L || !map || !m || !job.position) return;
    if (!m.technician) {
      m.technician = L.marker(at(job.position), { icon: technicianIcon(L, job.position.precision), keyboard: true, zIndexOffset: 500 }).addTo(map);
    } else {
      m.technician.setLatLng(at(job.position));
      m.technician.setIcon(technicianIcon(L, job.position.precision));
    }
    m.technician.bindPopup(popupContent(job));
    label(m.technician, technicianLabel(job));
  }

  /** "Show on map": centres the job, opens its popup and puts focus on its marker. */
  private show(job: MapJob): void {
    const m = this.markers.get(job.id);
    if (!this.map || !m) return;
    this.map.setView(at(job), Math.max(this.map.getZoom(), 14));
    m.site.openPopup();
    (m.site.getElement() as HTMLElement | undefined)?.focus();
  }

  private renderItem(job: MapJob) {
    return html`<li part="item" class="item" data-id=${job.id}>
      <span class="what"><span class="number">${job.number}</span> ${job.title}</span>
      ${badge(JOB_STATUS_LABELS[job.status] ?? job.status, JOB_STATUS_TONES[job.status] ?? 'neutral')}
      <span class="who">${job.technician ? `Technician: ${job.technician}` : 'No technician assigned yet'}</span>
      ${job.eta ? html`<span class="eta">Expected around <time datetime=${job.eta}>${formatDateTime(job.eta)}</time></span>` : nothing}
      <span class="seen">${lastSeen(job, this.now)}</span>
      <button part="button" class="secondary show" type="button" @click=${() => this.show(job)}>Show <span class="visually-hidden">job ${job.number} </span>on map</button>
    </li>`;
  }

  private renderMap() {
    const single = !!this.jobId;
    const tiles = this.tileUrl.trim() && this.tileUrl.trim() !== 'none';
    return html`<section part="base" class="card ${single ? 'single' : ''}" aria-labelledby="map-heading">
      ${single ? html`<h3 id="map-heading">Where the technician is</h3>` : html`<h2 id="map-heading">Jobs on the map</h2>`}
      ${tiles ? nothing : html`<p part="note" class="note">Map tiles are off: the markers are shown on a plain background.</p>`}
      <div part="map" class="canvas ${tiles ? '' : 'no-tiles'}" role="region" aria-label=${single ? 'Map of this job' : 'Map of the jobs under way'}></div>
      <ul part="list" class="jobs" aria-label=${single ? 'This job' : 'Jobs under way'}>
        ${this.items.map((j) => this.renderItem(j))}
      </ul>
    </section>`;
  }

  private renderBody() {
    const portal = this.portal;
    const single = !!this.jobId;
    if (!portal || portal.status === 'loading') return single ? nothing : loading();
    if (portal.status !== 'signed-in' || !portal.me) return single ? nothing : html`<p class="state">Log in to see the map.</p>`;
    if (!this.allowed) return single ? nothing : notAllowed('the map');
    if (this.task.status === TaskStatus.ERROR) {
      return single ? nothing : failed(asApiError(this.task.error).message, () => this.refetch());
    }
    if (this.task.status !== TaskStatus.COMPLETE && !this.items.length) return single ? nothing : loading('Loading the map…');
    if (!this.items.length) return single ? nothing : empty('No jobs are under way right now. They show here once a technician is on the way.');
    return this.renderMap();
  }

  override render() {
    return html`${this.jobId ? nothing : offlineNote(this.portal)}${this.renderBody()}`;
  }
}
