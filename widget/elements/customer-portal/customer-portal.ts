import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { Permissions } from '../../api/client.js';
import { portalContext, type PortalState } from '../../context.js';
import { emit, type PortalTab } from '../../events.js';
import { loading } from '../../ui/states.js';
import { styles } from './styles.js';
import type { Renders } from '../../define.js';
import { EquipmentList } from '../equipment-list/equipment-list.js';
import { JobList } from '../job-list/job-list.js';
import { MyDetails } from '../my-details/my-details.js';
import { PortalLogin } from '../portal-login/portal-login.js';
import { QuoteList } from '../quote-list/quote-list.js';

const TABS: { id: PortalTab; label: string; allowed: (p: Permissions) => boolean }[] = [
  { id: 'jobs', label: 'Jobs', allowed: (p) => p.jobs !== 'none' },
  { id: 'quotes', label: 'Quotes', allowed: (p) => p.quotes !== 'none' },
  { id: 'equipment', label: 'Equipment', allowed: (p) => p.equipment !== 'none' },
  { id: 'details', label: 'My details', allowed: () => true },
];

/**
 * @tagname customer-portal
 * @summary The whole portal: log in, then tabs for jobs, quotes, equipment and my details,
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
  };

  /** The open tab: `jobs`, `quotes`, `equipment` or `details`. Reflected. */
  @property({ reflect: true }) tab: PortalTab = 'jobs';

  @consume({ context: portalContext, subscribe: true })
  @state()
  protected portal?: PortalState;

  /** The tabs this contact may use. */
  get tabs(): PortalTab[] {
    const p = this.portal?.me?.permissions;
    return p ? TABS.filter((t) => t.allowed(p)).map((t) => t.id) : [];
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
