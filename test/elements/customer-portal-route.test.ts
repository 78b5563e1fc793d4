import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { CustomerPortal, PortalRoot } from '../../widget/index.js';
import '../../widget/index.js';
import { historyUrl, readRoute, writeRoute } from '../../widget/elements/customer-portal/route.js';
import { clearStoredSessions, signInAs } from './helpers.js';

const ACME = 'acme-plumbing';
const START = location.pathname + location.search;
const resetUrl = () => history.replaceState(null, '', START);

async function firstJobs(token: string): Promise<{ id: number; title: string }[]> {
  const r = await fetch(`/api/portal/${ACME}/jobs?limit=3`, { headers: { Authorization: `Bearer ${token}` } });
  return ((await r.json()) as { items: { id: number; title: string }[] }).items;
}

async function mount(route = 'hash') {
  const root = await fixture<PortalRoot>(html`<portal-root provider=${ACME}><customer-portal route=${route}></customer-portal></portal-root>`);
  const portal = root.querySelector('customer-portal') as CustomerPortal;
  await waitUntil(() => portal.shadowRoot!.querySelector('[role=tablist]'), 'the tabs never appeared');
  const jobs = () => portal.shadowRoot!.querySelector('job-list')!;
  const inJobs = <E extends Element = HTMLElement>(s: string) => jobs().shadowRoot!.querySelector<E & HTMLElement>(s);
  const detailTitle = () => jobs().shadowRoot!.querySelector('job-detail')?.shadowRoot!.querySelector('h2')?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
  const tab = (label: string) => [...portal.shadowRoot!.querySelectorAll<HTMLElement>('[role=tab]')].find((t) => t.textContent!.trim() === label)!;
  return { root, portal, jobs, inJobs, detailTitle, tab };
}

const popTo = async (go: () => void) => {
  const popped = new Promise((r) => window.addEventListener('popstate', r, { once: true }));
  go();
  await popped;
};

describe('customer-portal: views in the URL', () => {
  beforeEach(clearStoredSessions);
  beforeEach(resetUrl);
  afterEach(clearStoredSessions);
  afterEach(resetUrl);

  it('reads and writes views under its own prefix, leaving the page’s own parts alone', () => {
    const base = new URL('https://shop.example/help?lang=en#top');
    expect(readRoute(base, 'hash')).to.equal(null, 'a host page’s own fragment is not a view');
    expect(readRoute(new URL('https://x.example/#portal-invite=abcdefghijklmnopqrstuvwxyz'), 'hash')).to.equal(null);
    const route = { tab: 'jobs', id: 42, query: 'blocked drain', status: 'scheduled' };
    const hashed = writeRoute(base, 'hash', route);
    expect(historyUrl(hashed)).to.equal('/help?lang=en#portal/jobs/42?q=blocked+drain&status=scheduled');
    expect(readRoute(hashed, 'hash')).to.deep.equal(route);
    const queried = writeRoute(base, 'query', route);
    expect(queried.searchParams.get('lang')).to.equal('en');
    expect(queried.hash).to.equal('#top');
    expect(readRoute(queried, 'query')).to.deep.equal(route);
    expect(historyUrl(writeRoute(hashed, 'hash', null))).to.equal('/help?lang=en');
    expect(readRoute(new URL('https://x.example/#portal/jobs/0'), 'hash')).to.deep.equal({ tab: 'jobs', id: null, query: '', status: '' });
    expect(readRoute(new URL('https://x.example/#portal/../etc'), 'hash')).to.equal(null);
    expect(writeRoute(base, 'none', route).href).to.equal(base.href);
  });

  it('a link such as #portal/jobs/42 opens that job; Back returns to the list and Forward to the job', async () => {
    const token = await signInAs(ACME, 'alex@example.com', 'portal-demo-1');
    const [job] = await firstJobs(token);
    history.replaceState(null, '', `${START}#portal/jobs/${job!.id}`);
    const m = await mount();
    await waitUntil(() => m.detailTitle()?.includes(job!.title), 'the linked job did not open');
    await expect(m.portal).to.be.accessible();

    m.inJobs('button.back')!.click();
    await waitUntil(() => m.inJobs('ul.jobs'), 'the list did not come back');
    expect(location.hash).to.equal('#portal/jobs');
    await popTo(() => history.back());
    await waitUntil(() => m.detailTitle()?.includes(job!.title), 'Back did not reopen the job');
    await popTo(() => history.forward());
    await waitUntil(() => m.inJobs('ul.jobs') && !m.inJobs('job-detail'), 'Forward did not return to the list');
  });

  it('a link such as #portal/quotes/7 opens that quote on the Quotes tab', async () => {
    const token = await signInAs(ACME, 'alex@example.com', 'portal-demo-1');
    const r = await fetch(`/api/portal/${ACME}/quotes?limit=1`, { headers: { Authorization: `Bearer ${token}` } });
    const [quote] = ((await r.json()) as { items: { id: number; title: string }[] }).items;
    history.replaceState(null, '', `${START}#portal/quotes/${quote!.id}`);
    const m = await mount();
    expect(m.portal.tab).to.equal('quotes');
    const quotes = () => m.portal.shadowRoot!.querySelector('quote-list')!;
    await waitUntil(() => quotes().shadowRoot!.querySelector('#detail-heading')?.textContent?.includes(quote!.title), 'the linked quote did not open');
    await expect(m.portal).to.be.accessible();
  });

  it('opening a job puts it in the URL, and a reload (a new portal) opens it again', async () => {
    await signInAs(ACME, 'alex@example.com', 'portal-demo-1');
    const m = await mount();
    await waitUntil(() => m.inJobs('button.open'), 'no jobs');
    const open = m.inJobs<HTMLButtonElement>('button.open')!;
    const id = open.dataset.id!;
    open.click();
    await waitUntil(() => m.inJobs('job-detail'));
    expect(location.hash).to.equal(`#portal/jobs/${id}`);
    m.root.remove();
    const again = await mount();
    await waitUntil(() => again.inJobs('job-detail')?.getAttribute('job-id') === id || (again.inJobs('job-detail') as { jobId?: number } | null)?.jobId === Number(id), 'the reload lost the open job');
  });

  it('the lists keep their search and results across tab switches, and the search is in the URL', async () => {
    await signInAs(ACME, 'alex@example.com', 'portal-demo-1');
    const m = await mount();
    await waitUntil(() => m.inJobs('button.open'), 'no jobs');
    const list = m.jobs();
    const box = m.inJobs<HTMLInputElement>('#search')!;
    box.value = 'drain';
    box.form!.requestSubmit();
    await waitUntil(() => list.query === 'drain');
    expect(location.hash).to.equal('#portal/jobs?q=drain');
    m.tab('Quotes').click();
    await m.portal.updateComplete;
    expect(location.hash).to.equal('#portal/quotes');
    m.tab('Jobs').click();
    await m.portal.updateComplete;
    expect(m.jobs()).to.equal(list, 'the same list element, with what it had loaded');
    expect(m.inJobs<HTMLInputElement>('#search')!.value).to.equal('drain');
    expect(location.hash).to.equal('#portal/jobs?q=drain', 'the tab comes back with its own view');
    await expect(m.portal).to.be.accessible();
  });

  it('route="query" keeps the view in a query parameter; route="none" leaves the URL alone', async () => {
    await signInAs(ACME, 'alex@example.com', 'portal-demo-1');
    const q = await mount('query');
    q.tab('Equipment').click();
    await q.portal.updateComplete;
    expect(new URL(location.href).searchParams.get('portal')).to.equal('equipment');
    expect(location.hash).to.equal('');
    q.root.remove();
    resetUrl();
    const n = await mount('none');
    n.tab('Quotes').click();
    await n.portal.updateComplete;
    expect(location.pathname + location.search + location.hash).to.equal(START);
  });

  it('after logging out, the next contact starts on the first tab and the URL forgets the view', async () => {
    await signInAs(ACME, 'alex@example.com', 'portal-demo-1');
    const m = await mount();
    m.tab('My details').click();
    await m.portal.updateComplete;
    expect(location.hash).to.equal('#portal/details');
    const login = m.portal.shadowRoot!.querySelector('portal-login')!;
    await m.root.querySelector('customer-portal')!.updateComplete;
    await (m.root as unknown as { state: { signOut(): Promise<void> } }).state.signOut();
    await waitUntil(() => !m.portal.shadowRoot!.querySelector('[role=tablist]'));
    expect(location.hash).to.equal('');
    await waitUntil(() => login.status === 'signed-out');
    await (m.root as unknown as { state: { signIn(e: string, p: string, r: boolean): Promise<unknown> } }).state.signIn('alex@example.com', 'portal-demo-1', false);
    await waitUntil(() => m.portal.shadowRoot!.querySelector('[role=tablist]'));
    expect(m.portal.tab).to.equal('jobs');
    expect(m.portal.shadowRoot!.querySelector('my-details')).to.equal(null, 'no element of the last contact is left');
  });
});
