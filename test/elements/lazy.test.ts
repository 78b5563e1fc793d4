/**
 * Elements loaded only when drawn (widget/lazy.ts): job-map's code (and Leaflet's) is not in what
 * portal.js loads at once; a <job-map> in the page's own markup is found and defined, and a
 * fetch that failed (offline) is tried again on the next call.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { loadTag, whenInDocument, loadJobMap } from '../../widget/lazy.js';
import '../../widget/index.js';

describe('lazily loaded elements', () => {
  it('portal.js does not define job-map until one is in the page; then it is defined and drawn', async () => {
    expect(customElements.get('job-map')).to.equal(undefined, 'not loaded with the rest');
    whenInDocument('job-map', loadJobMap);
    const holder = document.createElement('div');
    holder.innerHTML = '<section><job-map tile-url=""></job-map></section>';
    document.body.append(holder);
    await customElements.whenDefined('job-map');
    const map = holder.querySelector('job-map')!;
    await waitUntil(() => map.shadowRoot !== null, 'the map never upgraded');
    expect(map.shadowRoot!.textContent).to.not.equal(null);
    // Outside a portal-root it says so, accessibly, rather than throwing.
    await expect(map).to.be.accessible();
    holder.remove();
  });

  it('a fetch that failed is tried again: the next call loads and defines the tag', async () => {
    let calls = 0;
    class Later extends HTMLElement {}
    const load = (): Promise<CustomElementConstructor> => (++calls === 1 ? Promise.reject(new TypeError('Failed to fetch')) : Promise.resolve(Later));
    let failed = false;
    await loadTag('lazy-later', load).catch(() => (failed = true));
    expect(failed).to.equal(true);
    expect(customElements.get('lazy-later')).to.equal(undefined);
    await loadTag('lazy-later', load);
    expect(customElements.get('lazy-later')).to.equal(Later);
    await loadTag('lazy-later', load);
    expect(calls).to.equal(2, 'once defined, not fetched again');
  });
});
