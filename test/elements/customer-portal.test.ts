import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { CustomerPortal, PortalRoot } from '../../widget/index.js';
import '../../widget/index.js';
import { clearStoredSessions, recordOnDocument, signInAs } from './helpers.js';

const ACME = 'acme-plumbing';

async function mount(tab?: string, route = 'hash') {
  const root = await fixture<PortalRoot>(
    tab
      ? html`<portal-root provider=${ACME}><customer-portal tab=${tab} route=${route}></customer-portal></portal-root>`
      : html`<portal-root provider=${ACME}><customer-portal route=${route}></customer-portal></portal-root>`,
  );
  const portal = root.querySelector('customer-portal') as CustomerPortal;
  const $$ = (s: string) => [...portal.shadowRoot!.querySelectorAll<HTMLElement>(s)];
  return {
    root,
    portal,
    tabs: () => $$('[role=tab]').map((t) => t.textContent!.trim()),
    selected: () => $$('[role=tab][aria-selected=true]').map((t) => t.textContent!.trim()).join(),
    panelChild: () => portal.shadowRoot!.querySelector('[role=tabpanel]:not([hidden])')?.firstElementChild?.localName ?? null,
    focusedTab: () => (portal.shadowRoot!.activeElement as HTMLElement | null)?.textContent?.trim() ?? null,
    tab: (label: string) => $$('[role=tab]').find((t) => t.textContent!.trim() === label)!,
  };
}

const signedIn = (m: Awaited<ReturnType<typeof mount>>) =>
  waitUntil(() => m.portal.shadowRoot!.querySelector('[role=tablist]'), 'the tabs never appeared');

/** The page's address as the test started it, put back after each test. */
const START = location.pathname + location.search;
const resetUrl = () => history.replaceState(null, '', START);

describe('customer-portal', () => {
  beforeEach(clearStoredSessions);
  beforeEach(resetUrl);
  afterEach(clearStoredSessions);
  afterEach(resetUrl);

  it('signed out, it shows the login form and no tabs', async () => {
    const m = await mount();
    await waitUntil(() => m.portal.shadowRoot!.querySelector('portal-login'), 'no login form');
    const login = m.portal.shadowRoot!.querySelector('portal-login')!;
    await waitUntil(() => login.status === 'signed-out');
    expect(m.portal.shadowRoot!.querySelector('[role=tablist]')).to.equal(null);
    await expect(m.portal).to.be.accessible();
  });

  it('shows every tab to a contact with full permissions, with the jobs list first', async () => {
    await signInAs(ACME, 'alex@example.com', 'portal-demo-1');
    const m = await mount();
    await signedIn(m);
    expect(m.tabs()).to.deep.equal(['Jobs', 'Quotes', 'Equipment', 'Map', 'My details', 'Alerts']);
    expect(m.selected()).to.equal('Jobs');
    expect(m.panelChild()).to.equal('job-list');
    expect(m.portal.getAttribute('tab')).to.equal('jobs');
    await expect(m.portal).to.be.accessible();
  });

  it('shows only the tabs the contact may use', async () => {
    await signInAs(ACME, 'jordan@example.com', 'portal-demo-3'); // quotes: none, equipment: none
    const m = await mount('quotes');
    await signedIn(m);
    expect(m.tabs()).to.deep.equal(['Jobs', 'My details', 'Alerts']);
    expect(m.selected()).to.equal('Jobs', 'a tab the contact may not use falls back to the first allowed');
    expect(m.panelChild()).to.equal('job-list');
  });

  it('the Map tab shows the jobs under way on a job-map, with the tiles customer-portal is given', async () => {
    await signInAs(ACME, 'alex@example.com', 'portal-demo-1');
    const root = await fixture<PortalRoot>(html`<portal-root provider=${ACME}><customer-portal tab="map" map-tile-url=""></customer-portal></portal-root>`);
    const portal = root.querySelector('customer-portal') as CustomerPortal;
    await waitUntil(() => portal.shadowRoot!.querySelector('job-map[ready]'), 'the map never showed', { timeout: 8000 });
    const map = portal.shadowRoot!.querySelector('job-map')!;
    expect(map.getAttribute('tile-url')).to.equal('');
    expect(map.shadowRoot!.querySelectorAll('[part=item]').length).to.be.greaterThan(0);
    await expect(portal).to.be.accessible();
  });

  it('keyboard: arrows, Home and End move between tabs and open them', async () => {
    await signInAs(ACME, 'alex@example.com', 'portal-demo-1');
    const m = await mount();
    await signedIn(m);
    m.tab('Jobs').focus();
    await sendKeys({ press: 'ArrowRight' });
    await m.portal.updateComplete;
    expect(m.selected()).to.equal('Quotes');
    expect(m.focusedTab()).to.equal('Quotes');
    expect(m.panelChild()).to.equal('quote-list');
    await sendKeys({ press: 'End' });
    await m.portal.updateComplete;
    expect(m.selected()).to.equal('Alerts');
    await sendKeys({ press: 'ArrowRight' });
    await m.portal.updateComplete;
    expect(m.selected()).to.equal('Jobs', 'wraps around');
    await sendKeys({ press: 'ArrowLeft' });
    await m.portal.updateComplete;
    expect(m.selected()).to.equal('Alerts');
    await sendKeys({ press: 'Home' });
    await m.portal.updateComplete;
    expect(m.selected()).to.equal('Jobs');
    // Only the selected tab is in the tab order; the panel comes next.
    expect(m.portal.shadowRoot!.querySelectorAll('[role=tab][tabindex="0"]').length).to.equal(1);
  });

  it('fires a cancelable portal-tab-change; cancelling keeps the tab; setting tab in code fires nothing', async () => {
    await signInAs(ACME, 'alex@example.com', 'portal-demo-1');
    const m = await mount();
    await signedIn(m);
    const rec = recordOnDocument(['portal-tab-change']);
    m.tab('Equipment').click();
    await m.portal.updateComplete;
    expect(rec.events.map((e) => e.detail.tab)).to.deep.equal(['equipment']);
    expect(rec.events[0]!.bubbles && rec.events[0]!.composed && rec.events[0]!.cancelable).to.equal(true);
    expect(m.panelChild()).to.equal('equipment-list');

    const stop = (e: Event) => e.preventDefault();
    document.addEventListener('portal-tab-change', stop);
    m.tab('Quotes').click();
    await m.portal.updateComplete;
    document.removeEventListener('portal-tab-change', stop);
    expect(m.selected()).to.equal('Equipment');

    m.portal.tab = 'details';
    await m.portal.updateComplete;
    expect(m.selected()).to.equal('My details');
    expect(rec.events.length).to.equal(2, 'no event for a change made in code');
    rec.stop();
  });

  it('logging out from the account card returns to the login form', async () => {
    await signInAs(ACME, 'alex@example.com', 'portal-demo-1');
    const m = await mount();
    await signedIn(m);
    const login = m.portal.shadowRoot!.querySelector('portal-login')!;
    await waitUntil(() => login.status === 'signed-in');
    const button = [...login.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Log out')!;
    button.click();
    await waitUntil(() => !m.portal.shadowRoot!.querySelector('[role=tablist]'), 'the tabs stayed after logout');
    await waitUntil(() => login.status === 'signed-out');
  });
});
