import { expect, html, waitUntil } from '@open-wc/testing';
import type { JobDetailElement } from '../../widget/index.js';
import { eachTest, queries } from './helpers.js';
import { Net, text } from './jobs-helpers.js';
import { mountLive, office, providerJob } from './live-helpers.js';

describe('job-detail: live updates', () => {
  eachTest(() => new Net());

  it('status and timeline change in place when the office moves the job along, announced politely, focus kept', async () => {
    const job = await providerJob('detail', 'Live detail job');
    const root = await mountLive('detail', html`<job-detail job-id=${job.id}></job-detail>`);
    const detail = root.querySelector('job-detail') as JobDetailElement;
    await waitUntil(() => detail.shadowRoot?.querySelector('h2'), 'the job never showed', { timeout: 5000 });
    const { $, $$ } = queries(detail.shadowRoot!);
    const heading = $('h2')!;
    heading.focus();
    const entries = $$('ol.timeline li').length;
    await office('PATCH', `/jobs/${job.id}`, { status: 'on_the_way', note: 'Leaving the depot now' });
    await waitUntil(() => text($('.badge')) === 'Technician on the way', 'the status did not change', { timeout: 5000 });
    await waitUntil(() => $$('ol.timeline li').length === entries + 1, 'the timeline did not grow');
    expect(text($$('ol.timeline li').at(-1)!.querySelector('.what'))).to.equal('Technician on the way: Leaving the depot now');
    expect($('h2')).to.equal(heading);
    expect(detail.shadowRoot!.activeElement).to.equal(heading);
    expect(text($('p.live-note'))).to.equal('Status: Technician on the way.');
    await expect(detail).to.be.accessible();

    await office('POST', `/jobs/${job.id}/notes`, { message: 'Ten minutes away' });
    await waitUntil(() => text($('p.live-note')) === 'New on the timeline: Ten minutes away', 'the note was not announced', { timeout: 5000 });
  });

  it('once the job is under way with coordinates, a small map of it appears', async () => {
    const job = await providerJob('detail', 'Live detail with a map');
    const root = await mountLive('detail', html`<job-detail job-id=${job.id} map-tile-url=""></job-detail>`);
    const detail = root.querySelector('job-detail') as JobDetailElement;
    await waitUntil(() => detail.shadowRoot?.querySelector('h2'), 'the job never showed', { timeout: 5000 });
    expect(detail.shadowRoot!.querySelector('job-map')).to.equal(null, 'no map while only scheduled');
    await office('PATCH', `/jobs/${job.id}`, { status: 'on_the_way', latitude: -33.87, longitude: 151.21 });
    await waitUntil(() => detail.shadowRoot!.querySelector('job-map[ready]'), 'the map did not appear', { timeout: 8000 });
    const map = detail.shadowRoot!.querySelector('job-map')!;
    expect(map.getAttribute('job-id')).to.equal(String(job.id));
    expect(map.shadowRoot!.querySelectorAll('[part=item]').length).to.equal(1);
    await expect(detail).to.be.accessible();
  });

  it("another job's changes leave it alone", async () => {
    const job = await providerJob('detail', 'Live detail quiet');
    const other = await providerJob('detail', 'Live detail other');
    const net = new Net();
    const root = await mountLive('detail', html`<job-detail job-id=${job.id}></job-detail>`);
    const detail = root.querySelector('job-detail') as JobDetailElement;
    await waitUntil(() => detail.shadowRoot?.querySelector('h2'), 'the job never showed', { timeout: 5000 });
    const loads = () => net.to('GET', new RegExp(`/jobs/${job.id}$`)).length;
    const before = loads();
    await office('PATCH', `/jobs/${other.id}`, { status: 'on_the_way' });
    await new Promise((r) => setTimeout(r, 400));
    expect(loads()).to.equal(before);
    net.restore();
  });
});
