import { expect, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { JobMap } from '../../widget/index.js';
import { eachTest, Net, queries } from './helpers.js';
import { MAP_JOBS } from './fixtures-live.js';
import { text } from './jobs-helpers.js';
import { mountLive, office } from './live-helpers.js';

const leafletRequested = (): boolean => performance.getEntriesByType('resource').some((e) => /leaflet-src|leaflet\.css/.test(e.name));

async function mount(who: 'map' | 'map-off', attrs = html`<job-map tile-url=""></job-map>`) {
  const root = await mountLive(who, attrs);
  const map = root.querySelector('job-map') as JobMap;
  await waitUntil(() => map.shadowRoot && !map.shadowRoot.querySelector('.loading'), 'the map never loaded', { timeout: 5000 });
  return { root, map, ...queries(map.shadowRoot!) };
}

const drawn = (map: JobMap) => waitUntil(() => map.ready, 'the map was never drawn', { timeout: 8000 });

describe('job-map', () => {
  const t = eachTest(() => new Net());

  it('with the map switched off for the contact: a note, no request for jobs, and Leaflet is never loaded', async () => {
    const m = await mount('map-off');
    expect(text(m.$('.state'))).to.equal('Your account does not have access to the map. Ask your provider if you need it.');
    expect(t.net.to('GET', /\/map$/).length).to.equal(0);
    expect(leafletRequested()).to.equal(false);
    await expect(m.map).to.be.accessible();
  });

  it('shows the jobs under way on a plain background with a note, the same jobs as a list, and loads Leaflet for it', async () => {
    const m = await mount('map');
    await drawn(m.map);
    expect(leafletRequested()).to.equal(true);
    expect(text(m.$('[part=note]'))).to.equal('Map tiles are off: the markers are shown on a plain background.');
    expect(m.$$('img.leaflet-tile').length).to.equal(0);
    // Two jobs under way with coordinates; the scheduled one is not on the map.
    expect(m.$$('.marker.site').length).to.equal(2);
    expect(m.$$('.marker.technician').length).to.equal(1, 'one technician has a position');
    const items = m.$$('[part=item]').map((li) => text(li.querySelector('.what')));
    expect(items.map((s) => s.replace(/^J-\d+ /, '')).sort()).to.deep.equal([MAP_JOBS.onTheWay.title, MAP_JOBS.working.title].sort());
    const onTheWay = m.$$('[part=item]').find((li) => text(li).includes(MAP_JOBS.onTheWay.title))!;
    // The demo provider shows technicians exactly while on the way (its map setting); others see ~500 m.
    expect(text(onTheWay.querySelector('.seen'))).to.match(/^Last seen [67] min ago$/);
    expect(text(onTheWay.querySelector('.who'))).to.equal(`Technician: ${MAP_JOBS.onTheWay.technician}`);
    expect(onTheWay.querySelector('.eta')).not.to.equal(null);
    // The map's own CSS is inside the shadow root (Leaflet's rules take effect there).
    expect(getComputedStyle(m.$('.leaflet-pane')!).position).to.equal('absolute');
    await expect(m.map).to.be.accessible();
  });

  it('markers are reachable by keyboard and open a popup with number, title, status, technician and last update', async () => {
    const m = await mount('map');
    await drawn(m.map);
    const markers = m.$$('.marker.site');
    for (const marker of markers) {
      expect(marker.getAttribute('tabindex')).to.equal('0');
      expect(marker.getAttribute('role')).to.equal('button');
      expect(marker.getAttribute('aria-label')).to.match(/^Job J-\d+: Map: /);
    }
    const working = markers.find((el) => el.getAttribute('aria-label')!.includes(MAP_JOBS.working.title))!;
    working.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => m.$('.leaflet-popup .popup'), 'no popup opened');
    const popup = m.$('.leaflet-popup .popup')!;
    expect(text(popup.querySelector('.popup-title'))).to.match(new RegExp(`^J-\\d+ ${MAP_JOBS.working.title}$`));
    expect(text(popup.querySelector('.popup-status'))).to.equal('In progress');
    expect(text(popup.querySelector('.popup-technician'))).to.equal(`Technician: ${MAP_JOBS.working.technician}`);
    expect(text(popup.querySelector('.popup-updated'))).to.match(/^Updated /);
    await expect(m.map).to.be.accessible();
  });

  it('"Show on map" in the list opens the job\'s popup and puts focus on its marker', async () => {
    const m = await mount('map');
    await drawn(m.map);
    const item = m.$$('[part=item]').find((li) => text(li).includes(MAP_JOBS.onTheWay.title))!;
    item.querySelector<HTMLButtonElement>('button.show')!.click();
    await waitUntil(() => m.$('.leaflet-popup .popup'), 'no popup opened');
    expect(text(m.$('.leaflet-popup .popup-title'))).to.include(MAP_JOBS.onTheWay.title);
    expect(m.map.shadowRoot!.activeElement?.getAttribute('aria-label')).to.include(MAP_JOBS.onTheWay.title);
  });

  it('the technician marker moves live when the office posts a position, and "last seen" catches up', async () => {
    const m = await mount('map');
    await drawn(m.map);
    const item = m.$$('[part=item]').find((li) => text(li).includes(MAP_JOBS.onTheWay.title))!;
    const jobId = item.dataset.id!;
    const marker = m.$('.marker.technician')!;
    const before = marker.style.transform;
    // About 2 km north: another ~500 m cell.
    await office('POST', `/jobs/${jobId}/position`, { latitude: MAP_JOBS.onTheWay.latitude + 0.02, longitude: MAP_JOBS.onTheWay.longitude });
    await waitUntil(() => m.$('.marker.technician')!.style.transform !== before, 'the marker did not move', { timeout: 5000 });
    expect(m.$$('.marker.technician').length).to.equal(1);
    await waitUntil(() => text(item.querySelector('.seen')) === 'Last seen just now', 'last seen did not update');
    expect(m.$('.marker.technician')!.getAttribute('aria-label')).to.include('last seen just now');
  });

  it('with job-id: one job; nothing at all for a job that is not under way', async () => {
    const all = await mount('map');
    const ids = Object.fromEntries(all.$$('[part=item]').map((li) => [text(li.querySelector('.what')).replace(/^J-\d+ /, ''), li.dataset.id!]));
    const one = await mount('map', html`<job-map tile-url="" job-id=${ids[MAP_JOBS.working.title]!}></job-map>`);
    await drawn(one.map);
    expect(one.$$('[part=item]').length).to.equal(1);
    expect(text(one.$('h3'))).to.equal('Where the technician is');
    await expect(one.map).to.be.accessible();

    const token = sessionStorage.getItem(Object.keys(sessionStorage).find((k) => k.startsWith('portal-session'))!)!;
    const jobs = (await (await fetch('/api/portal/acme-plumbing/jobs?limit=100&q=annual', { headers: { Authorization: `Bearer ${token}` } })).json()) as { items: { id: number; title: string }[] };
    const later = jobs.items.find((j) => j.title === MAP_JOBS.later.title)!;
    const none = await mount('map', html`<job-map tile-url="" job-id=${later.id}></job-map>`);
    await waitUntil(() => t.net.to('GET', /\/map$/).some((c) => c.params.get('job') === String(later.id)), 'never asked');
    await none.map.updateComplete;
    await new Promise((r) => setTimeout(r, 200));
    expect(none.map.shadowRoot!.textContent!.trim()).to.equal('');
  });
});
