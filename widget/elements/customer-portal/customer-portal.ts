import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { consume } from '@lit/context';
import type { Me } from '../../api/client.js';
import { portalContext, type PortalState } from '../../context.js';
import { emit, type PortalEvent, type PortalTab } from '../../events.js';
import { historyUrl, readRoute, writeRoute, type PortalRoute, type RouteMode } from './route.js';
import { loading } from '../../ui/states.js';
import { styles } from './styles.js';
import type { Renders } from '../../define.js';
import { EquipmentList } from '../equipment-list/equipment-list.js';
import { JobList } from '../job-list/job-list.js';
import { OSM_ATTRIBUTION, OSM_TILES, loadJobMap } from '../../lazy.js';
import { MyDetails } from '../my-details/my-details.js';
import { PortalLogin } from '../portal-login/portal-login.js';
import { QuoteList } from '../quote-list/quote-list.js';
import { AlertSettings } from '../alert-settings/alert-settings.js';

/** A list the portal can put into a view from its URL (job-list, quote-list, equipment-list). */
type Routable = HTMLElement & { query: string; status?: string; updateComplete: Promise<boolean>; open?(id: number | null): Promise<void> };

/**
 * The tabs, one entry each: who may use it and what its panel holds. A tab's element stays in
 * the page once opened (hidden when another tab is open), so its search, filter, open item and
 * loaded pages are still there on coming back.
 */
const TABS: { id: PortalTab; label: string; allowed: (me: Me) => boolean; panel: (portal: CustomerPortal) => TemplateResult }[] = [
  { id: 'jobs', label: 'Jobs', allowed: (me) => me.permissions.jobs !== 'none', panel: () => html`<job-list></job-list>` },
  { id: 'quotes', label: 'Quotes', allowed: (me) => me.permissions.quotes !== 'none', panel: () => html`<quote-list></quote-list>` },
  { id: 'equipment', label: 'Equipment', allowed: (me) => me.permissions.equipment !== 'none', panel: () => html`<equipment-list></equipment-list>` },
  {
    id: 'map',
    label: 'Map',
    allowed: (me) => me.permissions.jobs !== 'none' && me.permissions.map && me.provider.features.map,
    // job-map's code (and Leaflet's) is fetched when the tab first opens.
    panel: (portal) => (void loadJobMap().catch(() => undefined), html`<job-map tile-url=${portal.tileUrl} attribution=${portal.attribution}></job-map>`),
  },
  { id: 'details', label: 'My details', allowed: () => true, panel: () => html`<my-details></my-details>` },
  // Only where the provider offers alerts and the contact may use them.
  { id: 'alerts', label: 'Alerts', allowed: (me) => me.permissions.alerts && me.provider.features.alerts, panel: () => html`<alert-settings></alert-settings>` },
];

const ROUTE_MODES: readonly RouteMode[] = ['hash', 'query', 'none'];

/**
 * @tagname customer-portal
 * @summary The whole portal: log in, then tabs for jobs, the map, quotes, equipment, my details and alerts,
 * showing only the tabs the contact's permissions allow. Built from the other elements.
 *
 * Keyboard: the tabs follow the WAI-ARIA tabs pattern (Left/Right, Home/End; the panel is next
 * in the tab order).
 *
 * @fires portal-tab-change - Cancelable, before another tab opens. `detail: { tab }`. Setting `tab` in code fires nothing.
 *
 * @csspart header - The account card (portal-login) above the tabs.
 * @csspart tabs - The tab list.
 * @csspart tab - Each tab.
 * @csspart panel - The open tab's panel.
 *
 * @cssprop --customer-portal-max-width - Width of the whole portal (default 64rem).
 */
export class CustomerPortal extends LitElement {
  static override styles = styles;
  /** The elements it renders: defining this tag defines them too. */
  static renders: Renders = {
    'portal-login': PortalLogin,
    'job-list': JobList,
    'quote-list': QuoteList,
    'equipment-list': EquipmentList,
    'my-details': MyDetails,
    'alert-settings': AlertSettings,
  };

  /** The open tab: `jobs`, `map`, `quotes`, `equipment`, `details` or `alerts`. Reflected. */
  @property({ reflect: true }) tab: PortalTab = 'jobs';
  /** The Map tab's tiles (see job-map); empty or `none`: no tiles. */
  @property({ attribute: 'map-tile-url' }) tileUrl = OSM_TILES;
  /** The Map tab's tile attribution. */
  @property({ attribute: 'map-attribution' }) attribution = OSM_ATTRIBUTION;
  /**
   * Where the view (tab, open job or quote, search, filter) is kept, so Back, Forward, reload and
   * links open it again: `hash` (`#portal/jobs/42`, the default), `query` (`?portal=jobs%2F42`) or
   * `none`.
   */
  @property({ attribute: 'route' }) route: RouteMode = 'hash';

  @consume({ context: portalContext, subscribe: true })
  @state()
  protected portal?: PortalState;

  /** Tabs opened since logging in: their elements stay in the page. */
  @state() private opened = new Set<PortalTab>();
  /** Each tab's last view, to put back in the URL on returning to it. */
  private views = new Map<string, PortalRoute>();
  /** A view from the URL, waiting for its tab's element to be there. */
  private pending: PortalRoute | null = null;
  private wasSignedIn = false;
  private readonly onPopState = (): void => this.readUrl(true);

  /** The tabs this contact may use. */
  get tabs(): PortalTab[] {
    const me = this.portal?.me;
    return me ? TABS.filter((t) => t.allowed(me)).map((t) => t.id) : [];
  }

  private get mode(): RouteMode {
    return ROUTE_MODES.includes(this.route) ? this.route : 'hash';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back, Forward, and a link to a view clicked on the same page (a new fragment fires popstate too).
    window.addEventListener('popstate', this.onPopState);
    this.readUrl();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.onPopState);
  }

  private readUrl(fromHistory = false): void {
    let route = readRoute(new URL(location.href), this.mode);
    // Back to the page's entry from before the portal wrote one (not the host page's own `#section`):
    // the view the portal opened with.
    if (!route && fromHistory && this.views.size && (this.mode !== 'hash' || !location.hash)) route = { tab: this.tabs[0] ?? 'jobs', id: null, query: '', status: '' };
    if (!route) return;
    this.pending = route;
    if (TABS.some((t) => t.id === route.tab)) this.tab = route.tab as PortalTab;
    this.requestUpdate();
  }

  private writeUrl(route: PortalRoute | null, push: boolean): void {
    if (this.mode === 'none') return;
    const here = new URL(location.href);
    const next = historyUrl(writeRoute(here, this.mode, route));
    if (next === historyUrl(here)) return;
    if (push) history.pushState(history.state, '', next);
    else history.replaceState(history.state, '', next);
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    const signedIn = this.portal?.status === 'signed-in';
    if (this.wasSignedIn && !signedIn) {
      // The next contact starts afresh: the first tab, no elements or views of the last one.
      this.opened = new Set();
      this.views.clear();
      this.pending = null;
      this.tab = 'jobs';
      this.writeUrl(null, false);
    }
    this.wasSignedIn = signedIn;
    const tabs = this.tabs;
    // A tab the contact may not use (or one set in code before login) falls back to the first allowed.
    if (tabs.length && !tabs.includes(this.tab)) this.tab = tabs[0]!;
    if (signedIn && !this.opened.has(this.tab)) this.opened = new Set([...this.opened, this.tab]);
  }

  protected override updated(): void {
    const route = this.pending;
    if (!route || this.portal?.status !== 'signed-in') return;
    this.pending = null;
    if (route.tab !== this.tab) return; // a tab this contact may not use
    void this.applyRoute(route);
  }

  /** Puts the tab's element into the view the URL names. */
  private async applyRoute(route: PortalRoute): Promise<void> {
    const el = this.renderRoot.querySelector<Routable>(`#panel-${route.tab} > *`);
    if (!el) return;
    this.views.set(route.tab, route);
    // After its first update, which clears whatever a previous contact had open.
    await el.updateComplete;
    if ('query' in el) el.query = route.query;
    if (el.status !== undefined) el.status = route.status;
    await el.open?.(route.id);
  }

  private onViewChange(event: PortalEvent<'portal-view-change'>): void {
    const { id, query, status } = event.detail;
    const before = this.views.get(this.tab);
    const route: PortalRoute = { tab: this.tab, id, query, status };
    this.views.set(this.tab, route);
    // Opening or leaving an item is a step Back can undo; a new search replaces the entry.
    this.writeUrl(route, (before?.id ?? null) !== id);
  }

  private select(tab: PortalTab, focus: boolean): void {
    if (tab === this.tab) return;
    if (!emit(this, 'portal-tab-change', { tab }, { cancelable: true })) return;
    this.tab = tab;
    this.writeUrl(this.views.get(tab) ?? { tab, id: null, query: '', status: '' }, true);
    if (focus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`)?.focus());
  }

  private onKeydown(event: KeyboardEvent): void {
    const tabs = this.tabs;
    const i = tabs.indexOf(this.tab);
    const next: Record<string, number> = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 };
    if (!(event.key in next)) return;
    event.preventDefault();
    const target = tabs[(next[event.key]! + tabs.length) % tabs.length];
    if (target) this.select(target, true);
  }

  override render() {
    const status = this.portal?.status ?? 'loading';
    if (status === 'loading') return loading();
    const tabs = TABS.filter((t) => this.tabs.includes(t.id));
    return html`
      <div class="portal">
        <portal-login part="header" class=${status === 'signed-in' ? 'account' : 'login'}></portal-login>
        ${status === 'signed-in'
          ? html`
              <div role="tablist" part="tabs" aria-label="Portal sections" @keydown=${this.onKeydown}>
                ${tabs.map(
                  (t) => html`<button
                    role="tab"
                    part="tab"
                    id="tab-${t.id}"
                    type="button"
                    aria-selected=${t.id === this.tab ? 'true' : 'false'}
                    aria-controls=${this.opened.has(t.id) ? `panel-${t.id}` : nothing}
                    tabindex=${t.id === this.tab ? '0' : '-1'}
                    @click=${() => this.select(t.id, false)}
                  >
                    ${t.label}
                  </button>`,
                )}
              </div>
              ${repeat(
                tabs.filter((t) => this.opened.has(t.id)),
                (t) => t.id,
                (t) => html`<section role="tabpanel" part="panel" id="panel-${t.id}" aria-labelledby="tab-${t.id}" tabindex="0"
                    ?hidden=${t.id !== this.tab} @portal-view-change=${this.onViewChange}>${t.panel(this)}</section>`,
              )}
            `
          : nothing}
      </div>
    `;
  }
}
