import { expect, html, waitUntil } from '@open-wc/testing';
import type { QuoteList } from '../../widget/index.js';
import { eachTest, Net, queries } from './helpers.js';
import { text } from './jobs-helpers.js';
import { companyId, mountLive, office } from './live-helpers.js';

describe('quote-list: live updates', () => {
  eachTest(() => new Net());

  it('a quote the office adds appears, then changes in place as it is sent and expires (the open one reloads)', async () => {
    const root = await mountLive('quotes', html`<quote-list></quote-list>`);
    const list = root.querySelector('quote-list') as QuoteList;
    await waitUntil(() => list.shadowRoot?.querySelector('ul.list, .empty'), 'the list never loaded', { timeout: 5000 });
    const { $ } = queries(list.shadowRoot!);
    const quote = await office('POST', '/quotes', { companyId: await companyId('quotes'), title: 'Live quote for a new roof' });
    const item = () => $(`[part~=item][data-id="${quote.id}"]`);
    await waitUntil(() => item(), 'the new quote did not appear', { timeout: 5000 });
    expect(text(item()!.querySelector('.badge'))).to.equal('Requested');

    await office('POST', `/quotes/${quote.id}/send`, {
      lines: [{ description: 'Roofing', quantity: 1, unitPriceCents: 250000 }],
      validUntil: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    });
    await waitUntil(() => text(item()?.querySelector('.badge')) === 'Awaiting answer', 'the badge did not change', { timeout: 5000 });
    expect(text($('p.live-note'))).to.equal(`Quote ${quote.number} is awaiting answer.`);
    await expect(list).to.be.accessible();

    item()!.click();
    await waitUntil(() => $('[part=facts]'), 'the quote did not open', { timeout: 5000 });
    await office('POST', `/quotes/${quote.id}/expire`);
    await waitUntil(() => text($('[part=facts]')).includes('Expired'), 'the open quote did not reload', { timeout: 5000 });
    await expect(list).to.be.accessible();
  });
});
