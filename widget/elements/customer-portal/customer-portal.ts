import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { Me } from '../../api/client.js';
import { portalContext, type PortalState } from '../../context.js';
import { emit, type PortalTab } from '../../events.js';
import { loading } from '../../ui/states.js';
import { styles } from './styles.js';
import type { Renders } from '../../define.js';
import { EquipmentList } from '../equipment-list/equipment-list.js';
import { JobList } from '../job-list/job-list.js';
import { JobMap, OSM_ATTRIBUTION, OSM_TILES } from '../job-map/job-map.js';
import { MyDetails } from '../my-details/my-details.js';
import { PortalLogin } from '../portal-login/portal-login.js';
import { QuoteList } from '../quote-list/quote-list.js';
import { AlertSettings } from '../alert-settings/alert-settings.js';

const TABS: { id: PortalTab; label: string; allowed: (me: Me) => boolean }[] = [
  { id: 'jobs', label: 'Jobs', allowed: (me) => me.permissions.jobs !== 'none' },
  { id: 'quotes', label: 'Quotes', allowed: (me) => me.permissions.quotes !== 'none' },
  { id: 'equipment', label: 'Equipment', allowed: (me) => me.permissions.equipment !== 'none' },
  { id: 'map', label: 'Map', allowed: (me) => me.permissions.jobs !== 'none' && me.permissions.map && me.provider.features.map },
  { id: 'details', label: 'My details', allowed: () => true },
  // Only where the provider offers alerts and the contact may use them.
  { id: 'alerts', label: 'Alerts', allowed: (me) => me.permissions.alerts && me.provider.features.alerts },
];

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
    'job-map': JobMap,
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

  @consume({ context: portalContext, subscribe: true })
  @state()
  protected portal?: PortalState;

  /** The tabs this contact may use. */
  get tabs(): PortalTab[] {
    const me = this.portal?.me;
    return me ? TABS.filter((t) => t.allowed(me)).map((t) => t.id) : [];
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    const tabs = this.tabs;
    // A tab the contact may not use (or one set in code before login) falls back to the first allowed.
    if (tabs.length && !tabs.includes(this.tab)) this.tab = tabs[0]!;
  }

  private select(tab: PortalTab, focus: boolean): void {
    if (tab === this.tab) return;
    if (!emit(this, 'portal-tab-change', { tab }, { cancelable: true })) return;
    this.tab = tab;
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

  private panel() {
    switch (this.tab) {
      case 'jobs':
        return html`<job-list></job-list>`;
      case 'quotes':
        return html`<quote-list></quote-list>`;
      case 'equipment':
        return html`<equipment-list></equipment-list>`;
      case 'details':
        return html`<my-details></my-details>`;
      case 'map':
        return html`<job-map tile-url=${this.tileUrl} attribution=${this.attribution}></job-map>`;
      case 'alerts':
        return html`<alert-settings></alert-settings>`;
    }
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
                    aria-controls="panel"
                    tabindex=${t.id === this.tab ? '0' : '-1'}
                    @click=${() => this.select(t.id, false)}
                  >
                    ${t.label}
                  </button>`,
                )}
              </div>
              <section role="tabpanel" part="panel" id="panel" aria-labelledby="tab-${this.tab}" tabindex="0">${this.panel()}</section>
            `
          : nothing}
      </div>
    `;
  }
}
