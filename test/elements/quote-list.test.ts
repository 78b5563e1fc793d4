import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import type { PortalApiError, QuoteDetail, QuoteSummary } from '../../widget/api/client.js';
import type { PortalRoot, QuoteForm, QuoteList } from '../../widget/index.js';
import { QUOTE_STATUS_LABELS, formatDate, formatMoney } from '../../widget/ui/format.js';
import { Net, PASSWORD, type Call, type TestPortalConsumer, eachTest, signInAs, queries, whileOffline } from './helpers.js';

const ACME = 'acme-plumbing';
/** Contacts from fixtures-quotes.ts. */
const ALL = 'quotes-all@quotes.test';
const VIEW_OWN = 'quotes-view-own@quotes.test';
const EDIT_OWN = 'quotes-edit-own@quotes.test';
const NONE = 'quotes-none@quotes.test';
const NO_CREATE = 'quotes-no-create@quotes.test';
const FORM_LIST = 'quote-form-list@quotes.test';
const XSS_TITLE = '<img src=x onerror=alert(1)>';

type Mounted = Awaited<ReturnType<typeof mount>>;

/** Signs in as `email` (unless null) and mounts a quote-list, with a consumer for the client. */
async function mount(email: string | null, attrs: TemplateResult | null = null, template?: TemplateResult) {
  if (email) await signInAs(ACME, email, PASSWORD);
  const root = await fixture<PortalRoot>(
    template ??
      html`<portal-root provider=${ACME}>${attrs ?? html`<quote-list></quote-list>`}<test-portal-consumer></test-portal-consumer></portal-root>`,
  );
  const el = root.querySelector('quote-list')!;
  const consumer = root.querySelector<TestPortalConsumer>('test-portal-consumer')!;
  const m = { root, el, consumer, ...parts(el) };
  await waitUntil(() => m.settled(), 'quote-list never showed its content');
  await el.updateComplete;
  return m;
}

function parts(el: QuoteList) {
  const { $, $$ } = queries(el.shadowRoot!);
  const text = (s: string): string => ($(s)?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const button = (label: string): HTMLButtonElement | undefined =>
    $$<HTMLButtonElement>('button').find((b) => b.textContent!.replace(/\s+/g, ' ').trim() === label);
  return {
    $,
    $$,
    text,
    button,
    items: () => $$<HTMLButtonElement>('[part~=open]'),
    titles: () => $$('[part~=open] .title').map((t) => t.textContent!),
    item: (title: string) => $$<HTMLButtonElement>('[part~=open]').find((b) => b.querySelector('.title')!.textContent === title),
    /** Something other than a loading message is shown. */
    settled: () => !!el.shadowRoot?.firstElementChild && !$('.loading') && !!el.shadowRoot!.textContent!.trim(),
    /** What has focus inside the element, as a short string (chai hangs printing DOM nodes). */
    focused: () => describe$(el.shadowRoot!.activeElement),
  };
}

function describe$(e: Element | null): string {
  if (!e) return 'nothing';
  const id = e.id ? `#${e.id}` : '';
  const data = e.getAttribute('data-id') ? `[data-id=${e.getAttribute('data-id')}]` : '';
  return `${e.localName}${id}${data}${[...e.classList].map((c) => `.${c}`).join('')}`;
}

async function settle(m: Mounted): Promise<void> {
  await waitUntil(() => m.settled(), 'still loading');
  await m.el.updateComplete;
}

/** Narrows the list to quotes matching `query` (the attribute), waiting for the result. */
async function narrow(m: Mounted, query: string): Promise<void> {
  m.el.query = query;
  await m.el.updateComplete;
  await settle(m);
}

/** Opens the quote with this title from the list and waits for its detail. */
async function open(m: Mounted, title: string): Promise<QuoteDetail> {
  if (!m.item(title)) await narrow(m, title);
  const item = m.item(title);
  expect(item, `no list item "${title}"`).to.exist;
  const id = Number(item!.dataset.id);
  item!.click();
  await waitUntil(() => !!m.$('[part=facts]'), `the detail of "${title}" never showed`);
  await m.el.updateComplete;
  return m.consumer.portal!.client.getQuote(id);
}

async function serverQuote(m: Mounted, id: number): Promise<QuoteDetail> {
  return m.consumer.portal!.client.getQuote(id);
}

async function rejection(p: Promise<unknown>): Promise<PortalApiError> {
  try {
    await p;
  } catch (error) {
    return error as PortalApiError;
  }
  throw new Error('expected the request to fail');
}

/** The whole list as the API gives it to this contact. */
async function allQuotes(m: Mounted): Promise<QuoteSummary[]> {
  return (await m.consumer.portal!.client.listQuotes({ limit: 100 })).items;
}

/** Accept, then "Yes, accept": accepting is final, so the element asks first. */
async function acceptConfirmed(m: Awaited<ReturnType<typeof mount>>): Promise<void> {
  m.button('Accept')!.click();
  await m.el.updateComplete;
  m.button('Yes, accept')!.click();
}

describe('quote-list', () => {
  const t = eachTest(() => new Net());

  describe('the list', () => {
    it('shows number, title, status badge, total with currency, valid until and last update', async () => {
      const m = await mount(ALL);
      const page = (await m.consumer.portal!.client.listQuotes({ limit: 20 })).items;
      expect(m.items().length).to.equal(20);
      expect(m.text('h2')).to.equal('Quotes');
      m.items().forEach((item, i) => {
        const q = page[i]!;
        expect(item.dataset.id).to.equal(String(q.id));
        expect(item.querySelector('.number')!.textContent).to.equal(q.number);
        expect(item.querySelector('.title')!.textContent).to.equal(q.title);
        expect(item.querySelector('[part=badge]')!.textContent).to.equal(QUOTE_STATUS_LABELS[q.status]);
        expect(item.querySelector('[part=badge]')!.getAttribute('data-tone')).to.be.a('string');
        expect(item.querySelector('.total')?.textContent ?? '').to.equal(formatMoney(q.totalCents, q.currency));
        expect(item.querySelector('.valid')?.textContent ?? '').to.equal(q.validUntil ? `Valid until ${formatDate(q.validUntil)}` : '');
        expect(item.querySelector('.updated')!.textContent).to.equal(`Updated ${formatDate(q.updatedAt)}`);
      });
      // A list of buttons, newest first.
      expect(m.$('ul[part=list]')).to.exist;
      expect(m.items().every((b) => b.localName === 'button' && b.type === 'button')).to.equal(true);
      // A priced quote in another currency shows that currency.
      const eur = page.find((q) => q.currency === 'EUR')!;
      expect(m.items().find((b) => b.dataset.id === String(eur.id))!.querySelector('.total')!.textContent).to.equal(
        formatMoney(eur.totalCents, 'EUR'),
      );
      expect(m.button('Request a quote')).to.exist;
      await expect(m.el).to.be.accessible();
    });

    it('pages with "Load more" on the keyset cursor until the last page', async () => {
      const m = await mount(ALL, html`<quote-list page-size="10"></quote-list>`);
      const all = await allQuotes(m);
      expect(all.length).to.be.at.least(25);
      expect(m.items().length).to.equal(10);
      let requests = t.net.to('GET', /\/quotes$/).length;
      let pages = 1;
      while (m.$('[part~=load-more]')) {
        const before = m.items().length;
        m.$<HTMLButtonElement>('[part~=load-more]')!.click();
        await waitUntil(() => m.items().length > before, 'Load more added nothing');
        await m.el.updateComplete;
        expect(t.net.to('GET', /\/quotes$/).length).to.equal(++requests);
        pages++;
        // Focus goes on to the first quote of the new page.
        expect(m.focused()).to.equal(`button[data-id=${m.items()[before]!.dataset.id}].item`);
      }
      const ids = m.items().map((b) => Number(b.dataset.id));
      expect(ids).to.deep.equal(all.map((q) => q.id));
      expect(new Set(ids).size).to.equal(ids.length);
      expect(pages).to.equal(Math.ceil(all.length / 10));
      await expect(m.el).to.be.accessible();
    });

    it('searches as you type, debounced, aborting the request it replaces', async () => {
      // The last request the page made, with the signal it can be aborted by.
      const last = (): Call => t.net.calls.at(-1)!;
      const m = await mount(ALL);
      const search = m.$<HTMLInputElement>('input[part=search]')!;
      expect(search.labels![0]!.textContent).to.equal('Search quotes');
      const initial = t.net.to('GET', /\/quotes$/).length;
      search.focus();
      await sendKeys({ type: 'heat pump' });
      // Nothing yet: the search waits for a pause in typing.
      expect(t.net.to('GET', /\/quotes$/).length).to.equal(initial);
      await waitUntil(() => m.titles().length === 1, 'the search never narrowed the list');
      expect(t.net.to('GET', /\/quotes$/).length).to.equal(initial + 1);
      expect(m.titles()).to.deep.equal(['Accept once: hot water heat pump']);
      expect(last().url.href).to.contain('q=heat+pump');

      // A slow request is aborted when the text changes again.
      const release = t.net.hold((c) => c.method === 'GET' && c.path.endsWith('/quotes'));
      search.value = '';
      search.dispatchEvent(new InputEvent('input'));
      await sendKeys({ type: 'gutter' });
      await waitUntil(() => last().url.href.includes('q=gutter'), 'no request for "gutter"');
      const slow = last();
      await sendKeys({ type: ' guards' });
      await waitUntil(() => last().url.href.includes('q=gutter+guards'), 'no request for "gutter guards"');
      expect(slow.signal!.aborted).to.equal(true);
      expect(last().signal!.aborted).to.equal(false);
      release();
      await waitUntil(() => m.titles().length === 1 && m.titles()[0] === 'Decline with note: gutter guards', 'wrong search result');
      expect(search.value).to.equal('gutter guards');
      expect(m.el.query).to.equal('gutter guards');
    });

    it('filters by status; "expired" includes a sent quote past its validity; setting properties fires nothing', async () => {
      const recorder = t.record(['portal-quote-select', 'portal-error']);
      const m = await mount(ALL);
      const select = m.$<HTMLSelectElement>('select[part=filter]')!;
      expect(select.labels![0]!.textContent).to.equal('Status');
      expect([...select.options].map((o) => o.value)).to.deep.equal(['', 'requested', 'sent', 'accepted', 'declined', 'expired']);
      select.value = 'expired';
      select.dispatchEvent(new Event('change'));
      await m.el.updateComplete;
      await settle(m);
      expect(m.el.getAttribute('status')).to.equal('expired');
      expect(m.titles()).to.include.members(['Expired: water softener', 'Lapsed: sewer camera inspection']);
      expect(m.items().every((b) => b.querySelector('[part=badge]')!.textContent === 'Expired')).to.equal(true);

      m.el.status = 'accepted';
      await m.el.updateComplete;
      await settle(m);
      expect(select.value).to.equal('accepted');
      expect(m.titles()).to.include('Accepted: kitchen tap');
      expect(m.items().every((b) => b.querySelector('[part=badge]')!.textContent === 'Accepted')).to.equal(true);
      expect(recorder.events.length).to.equal(0);
      await expect(m.el).to.be.accessible();
    });

    it('reads status and query from attributes', async () => {
      const m = await mount(ALL, html`<quote-list status="declined" query="garden"></quote-list>`);
      expect(m.titles()).to.deep.equal(['Declined: garden irrigation']);
      expect(m.$<HTMLInputElement>('input[part=search]')!.value).to.equal('garden');
      expect(m.$<HTMLSelectElement>('select[part=filter]')!.value).to.equal('declined');
    });

    it('says when nothing matches', async () => {
      const m = await mount(ALL, html`<quote-list query="no such quote anywhere"></quote-list>`);
      expect(m.items().length).to.equal(0);
      expect(m.text('[role=status].empty')).to.equal('No quotes match your search. Try other words, or choose “All statuses”.');
      await expect(m.el).to.be.accessible();
    });

    it('markup in quote text is shown as text', async () => {
      const m = await mount(ALL, html`<quote-list query="onerror"></quote-list>`);
      expect(m.titles()).to.deep.equal([XSS_TITLE]);
      expect(m.$('img')).to.equal(null);
      await open(m, XSS_TITLE);
      expect(m.text('#detail-heading .title')).to.equal(XSS_TITLE);
      expect(m.text('.description')).to.equal('<script>window.__quoteXss = 1</script>');
      expect(m.text('.address dd')).to.equal('<b>Bold Street</b>');
      expect(m.text('[part=lines] tbody td')).to.equal('<img src=x onerror=alert(2)>');
      expect(m.$$('img, script, b').length).to.equal(0);
      expect((window as { __quoteXss?: number }).__quoteXss).to.equal(undefined);
      await expect(m.el).to.be.accessible();
    });

    it('a failed load shows the error with "Try again" and fires portal-error', async () => {
      t.net.cut = (c) => c.url.href.includes('/quotes');
      const error = oneEvent(document, 'portal-error');
      const m = await mount(ALL);
      const event = await error;
      expect(event.detail).to.deep.include({ code: 'network_error', status: 0, action: 'list-quotes' });
      expect(m.text('[role=alert] p')).to.contain('Cannot reach the server');
      await expect(m.el).to.be.accessible();
      t.net.cut = null;
      m.button('Try again')!.click();
      await waitUntil(() => m.items().length > 0, 'Try again did not load the list');
    });

    it('says so when offline', async () => {
      const m = await mount(ALL);
      await whileOffline([m.root, m.el], async () => {
        expect(m.text('.offline')).to.contain('You are offline');
        expect(m.items().length).to.equal(20);
        await expect(m.el).to.be.accessible();
      });
    });

    it('is accessible in the dark scheme: list, detail with the decline confirmation, and the form', async () => {
      await signInAs(ACME, ALL, PASSWORD);
      const m = await mount(
        null,
        null,
        html`<portal-root provider=${ACME} color-scheme="dark"><quote-list query="Older quote 03"></quote-list><test-portal-consumer></test-portal-consumer></portal-root>`,
      );
      expect(m.items().length).to.equal(1);
      await expect(m.el).to.be.accessible();
      await open(m, 'Older quote 03');
      m.button('Decline')!.click();
      await m.el.updateComplete;
      expect(m.button('Yes, decline')).to.exist;
      await expect(m.el).to.be.accessible();
      m.button('Keep the quote')!.click();
      m.button('Back to quotes')!.click();
      await m.el.updateComplete;
      m.button('Request a quote')!.click();
      await m.el.updateComplete;
      await m.$<QuoteForm>('quote-form')!.updateComplete;
      await expect(m.el).to.be.accessible();
      expect(t.net.to('POST', /\/decline$/).length).to.equal(0);
    });

    it('when the session ends, the open quote is closed and nothing of it stays', async () => {
      const m = await mount(ALL);
      await open(m, 'Older quote 06');
      await m.consumer.portal!.signOut();
      await waitUntil(() => m.text('[role=status]') === 'Log in to see your quotes.', 'still showing the quote');
      expect(m.el.getAttribute('view')).to.equal('list');
      expect(m.el.shadowRoot!.textContent).not.to.contain('Older quote 06');
    });

    it('signed out, it asks to log in and requests nothing', async () => {
      const m = await mount(null);
      expect(m.text('[role=status]')).to.equal('Log in to see your quotes.');
      expect(t.net.to('GET', /\/quotes$/).length).to.equal(0);
      await expect(m.el).to.be.accessible();
    });
  });

  describe('permissions', () => {
    it("quotes 'none': not allowed, nothing requested, and the server refuses", async () => {
      const m = await mount(NONE);
      expect(m.text('[role=status]')).to.contain('does not have access to quotes');
      expect(m.items().length).to.equal(0);
      expect(t.net.to('GET', /\/quotes$/).length).to.equal(0);
      await expect(m.el).to.be.accessible();
      expect((await rejection(m.consumer.portal!.client.listQuotes())).status).to.equal(403);
    });

    it('without createQuotes there is no "Request a quote", and the server refuses a request', async () => {
      const m = await mount(NO_CREATE);
      expect(m.items().length).to.be.greaterThan(0);
      expect(m.button('Request a quote')).to.equal(undefined);
      expect((await rejection(m.consumer.portal!.client.requestQuote({ title: 'Sneaky' }))).status).to.equal(403);
    });

    it('view_own: sees only own quotes, gets no Accept/Decline, and the server refuses with 403', async () => {
      const m = await mount(VIEW_OWN);
      expect(m.titles().sort()).to.deep.equal(['View-own requested: laundry sink', 'View-own sent: shower remodel']);
      const quote = await open(m, 'View-own sent: shower remodel');
      expect(quote.canAnswer).to.equal(false);
      expect(m.text('.status dd')).to.equal('Awaiting answer');
      expect(m.button('Accept')).to.equal(undefined);
      expect(m.button('Decline')).to.equal(undefined);
      expect(m.$('[part=answer]')).to.equal(null);
      expect(m.text('.why')).to.contain('can see this quote but not answer it');
      await expect(m.el).to.be.accessible();
      const refused = await rejection(m.consumer.portal!.client.acceptQuote(quote.id));
      expect(refused.status).to.equal(403);
      expect((await serverQuote(m, quote.id)).status).to.equal('sent');
    });

    it('edit_own: sees and answers only own quotes', async () => {
      const m = await mount(EDIT_OWN);
      expect(m.titles().sort()).to.deep.equal(['Own requested: boiler replacement', 'Own sent: drain relining']);
      const quote = await open(m, 'Own sent: drain relining');
      expect(quote.canAnswer).to.equal(true);
      const accepted = oneEvent(m.el, 'portal-quote-accepted');
      await acceptConfirmed(m);
      expect((await accepted).detail.quote.status).to.equal('accepted');
      expect((await serverQuote(m, quote.id)).status).to.equal('accepted');
      // Someone else's quote in the same company does not exist for this contact.
      const other = (await m.consumer.portal!.client.listQuotes()).items.map((q) => q.id);
      expect(other).not.to.include(quote.id + 1);
      expect((await rejection(m.consumer.portal!.client.acceptQuote(quote.id + 1))).status).to.equal(404);
    });
  });

  describe('the detail', () => {
    it('fires a cancelable portal-quote-select and shows the quote; Back returns focus to its row', async () => {
      const recorder = t.record(['portal-quote-select']);
      const m = await mount(ALL);
      await narrow(m, 'Accept once');
      const item = m.item('Accept once: hot water heat pump')!;
      const id = Number(item.dataset.id);
      item.click();
      await waitUntil(() => !!m.$('[part=facts]'), 'no detail');
      await m.el.updateComplete;
      const [select] = recorder.events;
      expect(recorder.events.length).to.equal(1);
      expect(select!.cancelable && select!.bubbles && select!.composed).to.equal(true);
      expect(select!.detail.quote.id).to.equal(id);
      expect(m.el.getAttribute('view')).to.equal('detail');

      const q = await serverQuote(m, id);
      expect(m.focused()).to.equal('h2#detail-heading');
      expect(m.text('#detail-heading')).to.equal(`${q.number} ${q.title}`);
      expect(m.text('.status dd')).to.equal('Awaiting answer');
      expect(m.text('.total dd')).to.equal(formatMoney(q.totalCents, 'EUR'));
      expect(m.text('.sent dd')).to.equal(formatDate(q.sentAt));
      expect(m.text('.valid dd')).to.equal(formatDate(q.validUntil));
      expect(m.text('.address dd')).to.equal('1 Quote Street');
      expect(m.$('.description')!.textContent).to.equal(q.description);
      // Line items as a table with headers, and the total.
      expect(m.$$('[part=lines] thead th').map((th) => th.textContent)).to.deep.equal(['Description', 'Quantity', 'Unit price', 'Line total']);
      expect(m.$$('[part=lines] thead th').every((th) => th.getAttribute('scope') === 'col')).to.equal(true);
      const rows = m.$$('[part=lines] tbody tr').map((tr) => [...tr.children].map((td) => td.textContent));
      expect(rows).to.deep.equal(
        q.lines.map((l) => [
          l.description,
          String(l.quantity),
          formatMoney(l.unitPriceCents, 'EUR'),
          formatMoney(l.quantity * l.unitPriceCents, 'EUR'),
        ]),
      );
      expect(m.text('[part=lines] tfoot')).to.equal(`Total ${formatMoney(q.totalCents, 'EUR')}`);
      expect(m.button('Accept')).to.exist;
      expect(m.button('Decline')).to.exist;
      await expect(m.el).to.be.accessible();

      m.button('Back to quotes')!.click();
      await m.el.updateComplete;
      expect(m.el.getAttribute('view')).to.equal('list');
      expect(m.focused()).to.equal(`button[data-id=${id}].item`);
    });

    it('cancelling portal-quote-select keeps the list and loads nothing', async () => {
      const m = await mount(ALL);
      const cancel = (e: Event): void => e.preventDefault();
      m.el.addEventListener('portal-quote-select', cancel);
      const item = m.items()[0]!;
      item.click();
      await m.el.updateComplete;
      m.el.removeEventListener('portal-quote-select', cancel);
      expect(m.el.getAttribute('view')).to.equal('list');
      expect(m.$('[part=detail]')).to.equal(null);
      expect(t.net.to('GET', new RegExp(`/quotes/${item.dataset.id}$`)).length).to.equal(0);
    });

    it('works with the keyboard: open, answer with a note, and go back', async () => {
      const m = await mount(ALL, html`<quote-list query="Keyboard answer"></quote-list>`);
      const item = m.items()[0]!;
      item.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => !!m.$('[part=answer]'), 'Enter did not open the quote');
      await m.el.updateComplete;
      expect(m.focused()).to.equal('h2#detail-heading');
      await sendKeys({ press: 'Tab' });
      expect(m.focused()).to.equal('textarea#note');
      await sendKeys({ type: 'Typed with keys' });
      await sendKeys({ press: 'Tab' });
      expect(m.focused()).to.equal('button.primary.accept');
      const accepted = oneEvent(m.el, 'portal-quote-accepted');
      await sendKeys({ press: 'Space' });
      // It asks first, with the focus on the question; Escape goes back to Accept, unanswered.
      await m.el.updateComplete;
      expect(m.focused()).to.equal('p#confirm-text');
      expect(m.text('#confirm-text')).to.match(/^Accept quote Q-\d+ for .+\? You cannot change your answer afterwards\.$/);
      await expect(m.el).to.be.accessible();
      await sendKeys({ press: 'Escape' });
      await m.el.updateComplete;
      expect(m.focused()).to.equal('button.primary.accept');
      expect(t.net.to('POST', /\/accept$/).length).to.equal(0);
      await sendKeys({ press: 'Space' });
      await m.el.updateComplete;
      await sendKeys({ press: 'Tab' });
      expect(m.focused()).to.equal('button.primary.confirm-accept');
      await sendKeys({ press: 'Space' });
      expect((await accepted).detail.quote.responseNote).to.equal('Typed with keys');
      await m.el.updateComplete;
      expect(m.focused()).to.equal('p.success.notice');
      m.$<HTMLButtonElement>('[part=back]')!.focus();
      await sendKeys({ press: 'Enter' });
      await m.el.updateComplete;
      expect(m.focused()).to.equal(`button[data-id=${item.dataset.id}].item`);
      // The list shows the new status without a reload.
      expect(m.items()[0]!.querySelector('[part=badge]')!.textContent).to.equal('Accepted');
    });
  });

  describe('answering', () => {
    it('accepting works once: events, new status, no buttons; a second attempt gets 409', async () => {
      const recorder = t.record(['portal-quote-answer', 'portal-quote-accepted', 'portal-quote-declined']);
      const m = await mount(ALL);
      const quote = await open(m, 'Accept once: hot water heat pump');
      expect(quote.canAnswer).to.equal(true);
      await acceptConfirmed(m);
      await waitUntil(() => recorder.events.length === 2, 'no portal-quote-accepted');
      await m.el.updateComplete;
      const [answer, accepted] = recorder.events;
      expect(answer!.type).to.equal('portal-quote-answer');
      expect(answer!.cancelable && answer!.bubbles && answer!.composed).to.equal(true);
      expect(answer!.detail.answer).to.equal('accept');
      expect(answer!.detail.note).to.equal('');
      expect(answer!.detail.quote.id).to.equal(quote.id);
      expect(accepted!.type).to.equal('portal-quote-accepted');
      expect(accepted!.bubbles && accepted!.composed).to.equal(true);
      expect(accepted!.detail.quote.status).to.equal('accepted');

      expect(m.button('Accept')).to.equal(undefined);
      expect(m.button('Decline')).to.equal(undefined);
      expect(m.text('.status dd')).to.equal('Accepted');
      expect(m.text('[role=status] [part=notice]')).to.contain(`You accepted quote ${quote.number}`);
      expect(m.focused()).to.equal('p.success.notice');
      expect(m.text('.response-answer dd')).to.equal('Accepted');
      await expect(m.el).to.be.accessible();

      const server = await serverQuote(m, quote.id);
      expect(server.status).to.equal('accepted');
      expect(server.canAnswer).to.equal(false);
      expect(server.respondedAt).to.be.a('string');
      const again = await rejection(m.consumer.portal!.client.acceptQuote(quote.id));
      expect(again.status).to.equal(409);
      expect(again.code).to.equal('quote_accepted');
      const declineToo = await rejection(m.consumer.portal!.client.declineQuote(quote.id, 'changed my mind'));
      expect(declineToo.status).to.equal(409);
      const after = await serverQuote(m, quote.id);
      expect(after.status).to.equal('accepted');
      expect(after.respondedAt).to.equal(server.respondedAt);
      expect(after.responseNote).to.equal(null);
    });

    it('a quote answered elsewhere meanwhile: the 409 is shown and the detail reloads', async () => {
      const m = await mount(ALL);
      const quote = await open(m, 'Conflict: rainwater tank');
      // Someone else (another tab) declines it first.
      await m.consumer.portal!.client.declineQuote(quote.id, 'From another tab');
      const error = oneEvent(m.el, 'portal-error');
      await acceptConfirmed(m);
      expect((await error).detail).to.deep.include({ status: 409, action: 'accept-quote', code: 'quote_declined' });
      await waitUntil(() => m.text('.status dd') === 'Declined', 'the detail did not reload');
      await m.el.updateComplete;
      expect(m.text('[part~=error][role=alert]')).to.equal('This quote was already declined.');
      expect(m.focused()).to.equal('p.error');
      expect(m.button('Accept')).to.equal(undefined);
      expect(m.text('.response-note dd')).to.equal('From another tab');
      await expect(m.el).to.be.accessible();
    });

    it('declining asks in the page (no window.confirm) and stores the note', async () => {
      const recorder = t.record(['portal-quote-answer', 'portal-quote-declined']);
      const confirm = window.confirm;
      let confirmCalls = 0;
      window.confirm = () => (confirmCalls++, true);
      try {
        const m = await mount(ALL);
        const quote = await open(m, 'Decline with note: gutter guards');
        const note = m.$<HTMLTextAreaElement>('textarea[name=note]')!;
        expect(note.labels![0]!.textContent).to.equal('Note to the provider (optional)');
        note.value = '  We went with another supplier.  ';
        m.button('Decline')!.click();
        await m.el.updateComplete;
        expect(m.$('[role=group].confirm')).to.exist;
        expect(m.text('#confirm-text')).to.equal(`Decline quote ${quote.number}? You cannot change your answer afterwards.`);
        expect(m.focused()).to.equal('p#confirm-text');
        expect(recorder.events.length).to.equal(0);
        expect(t.net.to('POST', /\/decline$/).length).to.equal(0);
        await expect(m.el).to.be.accessible();

        // "Keep the quote" backs out: nothing sent, focus back on Decline.
        m.button('Keep the quote')!.click();
        await m.el.updateComplete;
        expect(m.$('.confirm')).to.equal(null);
        expect(m.focused()).to.equal('button.secondary.decline');
        expect(t.net.to('POST', /\/decline$/).length).to.equal(0);

        m.button('Decline')!.click();
        await m.el.updateComplete;
        m.button('Yes, decline')!.click();
        await waitUntil(() => recorder.events.length === 2, 'no portal-quote-declined');
        await m.el.updateComplete;
        const [answer, declined] = recorder.events;
        expect(answer!.detail).to.deep.include({ answer: 'decline', note: 'We went with another supplier.' });
        expect(declined!.type).to.equal('portal-quote-declined');
        expect(confirmCalls).to.equal(0);
        expect(m.text('.status dd')).to.equal('Declined');
        expect(m.text('.response-note dd')).to.equal('We went with another supplier.');
        expect(m.button('Decline')).to.equal(undefined);

        const server = await serverQuote(m, quote.id);
        expect(server.status).to.equal('declined');
        expect(server.responseNote).to.equal('We went with another supplier.');
        await expect(m.el).to.be.accessible();
      } finally {
        window.confirm = confirm;
      }
    });

    it('cancelling portal-quote-answer sends nothing', async () => {
      const m = await mount(ALL);
      const quote = await open(m, 'Cancelled answer: bathroom re-pipe');
      const cancel = (e: Event): void => e.preventDefault();
      document.addEventListener('portal-quote-answer', cancel);
      try {
        await acceptConfirmed(m);
        await m.el.updateComplete;
        m.button('Decline')!.click();
        await m.el.updateComplete;
        m.button('Yes, decline')!.click();
        await m.el.updateComplete;
      } finally {
        document.removeEventListener('portal-quote-answer', cancel);
      }
      await aTimeout(50);
      expect(t.net.to('POST', /\/accept$/).length).to.equal(0);
      expect(t.net.to('POST', /\/decline$/).length).to.equal(0);
      expect(m.button('Accept')).to.exist;
      expect((await serverQuote(m, quote.id)).status).to.equal('sent');
    });

    it('a note that is too long or has control characters is refused inline; nothing is written', async () => {
      const recorder = t.record(['portal-quote-answer', 'portal-quote-accepted']);
      const m = await mount(ALL);
      const quote = await open(m, 'Long note: backflow valve');
      const note = (): HTMLTextAreaElement => m.$<HTMLTextAreaElement>('textarea[name=note]')!;
      note().value = 'x'.repeat(1001);
      m.button('Accept')!.click(); // refused before it asks
      await m.el.updateComplete;
      await aTimeout(0);
      expect(note().getAttribute('aria-invalid')).to.equal('true');
      expect(m.text(`#${note().getAttribute('aria-describedby')!.split(' ').at(-1)}`)).to.equal('Use at most 1000 characters (now 1001).');
      expect(m.focused()).to.equal('textarea#note');
      expect(t.net.to('POST', /\/accept$/).length).to.equal(0);
      expect(recorder.events.length).to.equal(0);
      await expect(m.el).to.be.accessible();

      // The server's own check (control characters) comes back inline too.
      note().value = 'bell \u0007 here';
      note().dispatchEvent(new InputEvent('input'));
      await m.el.updateComplete;
      expect(note().getAttribute('aria-invalid')).to.equal('false');
      const error = oneEvent(m.el, 'portal-error');
      await acceptConfirmed(m);
      expect((await error).detail.status).to.equal(400);
      await m.el.updateComplete;
      expect(note().getAttribute('aria-invalid')).to.equal('true');
      expect(m.text('#note-error')).to.equal('Must not contain control characters.');
      expect(m.focused()).to.equal('textarea#note');
      const server = await serverQuote(m, quote.id);
      expect(server.status).to.equal('sent');
      expect(server.respondedAt).to.equal(null);
    });

    it('an expired quote shows no Accept/Decline, and the server refuses with 409', async () => {
      const m = await mount(ALL, html`<quote-list query="Lapsed"></quote-list>`);
      expect(m.items()[0]!.querySelector('[part=badge]')!.textContent).to.equal('Expired');
      const quote = await open(m, 'Lapsed: sewer camera inspection');
      expect(quote.status).to.equal('expired');
      expect(m.text('.status dd')).to.equal('Expired');
      expect(m.button('Accept')).to.equal(undefined);
      expect(m.button('Decline')).to.equal(undefined);
      expect(m.text('.why')).to.contain('expired');
      await expect(m.el).to.be.accessible();
      const refused = await rejection(m.consumer.portal!.client.acceptQuote(quote.id));
      expect(refused.status).to.equal(409);
      expect(refused.code).to.equal('quote_expired');
    });

    it('an answered quote shows the response note and date', async () => {
      const m = await mount(ALL);
      const quote = await open(m, 'Accepted: kitchen tap');
      expect(m.text('.response-answer dd')).to.equal('Accepted');
      expect(m.text('.response-note dd')).to.equal('Go ahead on Monday, please.');
      expect(m.text('.response-date dd')).to.have.length.greaterThan(0);
      expect(quote.respondedAt).to.be.a('string');
      expect(m.$('[part=answer]')).to.equal(null);
      await expect(m.el).to.be.accessible();
    });
  });

  describe('requesting a quote', () => {
    it('"Request a quote" opens quote-form in the list; Back to quotes closes it and shows the new quote', async () => {
      const recorder = t.record(['portal-quote-submit', 'portal-quote-requested']);
      const m = await mount(FORM_LIST);
      m.button('Request a quote')!.click();
      await m.el.updateComplete;
      const form = m.$<QuoteForm>('quote-form')!;
      expect(form).to.exist;
      expect(m.el.getAttribute('view')).to.equal('form');
      await form.updateComplete;
      await aTimeout(0);
      expect(describe$(form.shadowRoot!.activeElement)).to.equal('input#title');
      await expect(m.el).to.be.accessible();

      form.shadowRoot!.querySelector<HTMLInputElement>('input[name=title]')!.value = 'New fence gate';
      form.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
      await waitUntil(() => recorder.events.length === 2, 'no portal-quote-requested');
      const requested = recorder.events[1]!.detail.quote as QuoteDetail;
      await form.updateComplete;
      expect(form.shadowRoot!.querySelector('[role=status] [part=notice]')!.textContent).to.contain(requested.number);

      const back = [...form.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Back to quotes')!;
      back.click();
      await m.el.updateComplete;
      await waitUntil(() => m.items()[0]?.dataset.id === String(requested.id), 'the new quote is not at the top');
      expect(m.el.getAttribute('view')).to.equal('list');
      expect(m.items()[0]!.querySelector('.title')!.textContent).to.equal('New fence gate');
      expect(m.items()[0]!.querySelector('[part=badge]')!.textContent).to.equal('Requested');
      await m.el.updateComplete;
      expect(m.focused()).to.equal('button.primary.request');
    });
  });

  describe('filter, paging and form events', () => {
    const NAMES = ['portal-filter', 'portal-load-more', 'portal-form-open'];
    /** Longer than the search's pause (250 ms): a search still waiting would have been sent by then. */
    const SEARCH_PAUSE = 400;
    const flags = (e: Event): boolean[] => [e.bubbles, e.composed, e.cancelable];
    const lists = (): number => t.net.to('GET', /\/quotes$/).length;
    const typeIn = (input: HTMLInputElement, value: string): void => {
      input.value = value;
      input.dispatchEvent(new InputEvent('input'));
    };
    const choose = (select: HTMLSelectElement, value: string): void => {
      select.value = value;
      select.dispatchEvent(new Event('change'));
    };

    it('typing fires one cancelable portal-filter once typing pauses, before the request; Enter fires it at once', async () => {
      const m = await mount(ALL);
      const recorder = t.record(NAMES);
      const before = lists();
      let sentAtEvent = -1;
      t.on('portal-filter', () => (sentAtEvent = lists()));
      const search = m.$<HTMLInputElement>('input[part=search]')!;
      for (const q of ['h', 'he', 'heat']) {
        typeIn(search, q);
        await aTimeout(40);
      }
      expect(recorder.events.length).to.equal(0);
      await waitUntil(() => lists() === before + 1, 'the search was never sent');
      expect(recorder.events.length).to.equal(1);
      const [e] = recorder.events;
      expect(e!.type).to.equal('portal-filter');
      expect(e!.detail).to.deep.equal({ list: 'quotes', query: 'heat', status: '', sort: '' });
      expect(flags(e!)).to.deep.equal([true, true, true]);
      expect(sentAtEvent).to.equal(before);

      typeIn(search, ' heat pump ');
      search.focus();
      await sendKeys({ press: 'Enter' });
      expect(recorder.events.length).to.equal(2);
      expect(recorder.events[1]!.detail).to.deep.equal({ list: 'quotes', query: 'heat pump', status: '', sort: '' });
      await aTimeout(SEARCH_PAUSE);
      expect(recorder.events.length).to.equal(2);
      await waitUntil(() => m.titles().join() === 'Accept once: hot water heat pump', 'Enter did not search');
      expect(lists()).to.equal(before + 2);
    });

    it('the status filter fires one cancelable portal-filter with the whole filter, before the request', async () => {
      const m = await mount(ALL, html`<quote-list query="garden"></quote-list>`);
      const recorder = t.record(NAMES);
      const before = lists();
      let sentAtEvent = -1;
      t.on('portal-filter', () => (sentAtEvent = lists()));
      choose(m.$<HTMLSelectElement>('select[part=filter]')!, 'declined');
      expect(recorder.events.length).to.equal(1);
      const [e] = recorder.events;
      expect(e!.type).to.equal('portal-filter');
      expect(e!.detail).to.deep.equal({ list: 'quotes', query: 'garden', status: 'declined', sort: '' });
      expect(flags(e!)).to.deep.equal([true, true, true]);
      expect(sentAtEvent).to.equal(before);
      await waitUntil(() => lists() === before + 1, 'the filter was never sent');
      await settle(m);
      expect(m.titles()).to.deep.equal(['Declined: garden irrigation']);
      expect(m.el.status).to.equal('declined');
      await aTimeout(SEARCH_PAUSE);
      expect(recorder.events.length).to.equal(1);
    });

    it('cancelling portal-filter sends nothing and keeps the list as it was, for typing, Enter and the status filter', async () => {
      const m = await mount(ALL);
      const recorder = t.record(NAMES);
      t.cancel('portal-filter');
      const before = lists();
      const ids = m.items().map((b) => b.dataset.id);
      const statusAttribute = m.el.getAttribute('status');
      const search = m.$<HTMLInputElement>('input[part=search]')!;
      const select = m.$<HTMLSelectElement>('select[part=filter]')!;
      typeIn(search, 'gutter');
      await waitUntil(() => recorder.events.length === 1, 'no portal-filter once typing paused');
      search.focus();
      await sendKeys({ press: 'Enter' });
      expect(recorder.events.length).to.equal(2);
      choose(select, 'expired');
      expect(recorder.events.map((e) => e.detail)).to.deep.equal([
        { list: 'quotes', query: 'gutter', status: '', sort: '' },
        { list: 'quotes', query: 'gutter', status: '', sort: '' },
        { list: 'quotes', query: '', status: 'expired', sort: '' },
      ]);
      expect(recorder.events.every((e) => e.type === 'portal-filter' && e.defaultPrevented)).to.equal(true);
      await aTimeout(SEARCH_PAUSE);
      await m.el.updateComplete;
      expect(lists()).to.equal(before);
      expect(m.items().map((b) => b.dataset.id)).to.deep.equal(ids);
      expect([m.el.query, m.el.status]).to.deep.equal(['', '']);
      expect(m.el.getAttribute('status')).to.equal(statusAttribute);
      // The select shows the filter still in force; the search box keeps what was typed.
      expect(select.value).to.equal('');
      expect(search.value).to.equal('gutter');
    });

    it('setting query and status in code (attributes or properties) fires nothing, nor does the first load', async () => {
      const recorder = t.record(NAMES);
      const m = await mount(ALL, html`<quote-list status="declined" query="garden"></quote-list>`);
      expect(m.titles()).to.deep.equal(['Declined: garden irrigation']);
      const before = lists();
      m.el.setAttribute('query', 'Lapsed');
      m.el.setAttribute('status', 'expired');
      await waitUntil(() => lists() > before && m.settled() && m.titles().join() === 'Lapsed: sewer camera inspection', 'attributes not applied');
      m.el.query = 'heat pump';
      m.el.status = '';
      await waitUntil(() => m.settled() && m.titles().join() === 'Accept once: hot water heat pump', 'properties not applied');
      await aTimeout(SEARCH_PAUSE);
      expect(m.$<HTMLInputElement>('input[part=search]')!.value).to.equal('heat pump');
      expect(recorder.events.length).to.equal(0);
    });

    it('"Load more" fires one cancelable portal-load-more with the cursor, before the next page is requested', async () => {
      const m = await mount(ALL, html`<quote-list page-size="10"></quote-list>`);
      const { nextCursor } = await m.consumer.portal!.client.listQuotes({ limit: 10 });
      const recorder = t.record(NAMES);
      const before = lists();
      let sentAtEvent = -1;
      t.on('portal-load-more', () => (sentAtEvent = lists()));
      m.$<HTMLButtonElement>('[part~=load-more]')!.click();
      expect(recorder.events.length).to.equal(1);
      const [e] = recorder.events;
      expect(e!.type).to.equal('portal-load-more');
      expect(e!.detail).to.deep.equal({ list: 'quotes', cursor: nextCursor });
      expect(flags(e!)).to.deep.equal([true, true, true]);
      expect(sentAtEvent).to.equal(before);
      await waitUntil(() => m.items().length === 20, 'the next page never showed');
      expect(lists()).to.equal(before + 1);
      expect(recorder.events.length).to.equal(1);
    });

    it('cancelling portal-load-more loads nothing and keeps the list and its button', async () => {
      const m = await mount(ALL, html`<quote-list page-size="10"></quote-list>`);
      const recorder = t.record(NAMES);
      const stop = t.cancel('portal-load-more');
      const before = lists();
      const ids = m.items().map((b) => b.dataset.id);
      m.$<HTMLButtonElement>('[part~=load-more]')!.click();
      await m.el.updateComplete;
      await aTimeout(100);
      expect(recorder.events.length).to.equal(1);
      expect(recorder.events[0]!.defaultPrevented).to.equal(true);
      expect(recorder.events[0]!.detail.cursor).to.be.a('string').and.not.equal('');
      expect(lists()).to.equal(before);
      expect(m.items().map((b) => b.dataset.id)).to.deep.equal(ids);
      const more = m.$<HTMLButtonElement>('[part~=load-more]')!;
      expect(more.getAttribute('aria-busy')).to.equal('false');
      expect(more.textContent!.trim()).to.equal('Load more');
      // Not cancelled, the same button loads the next page.
      stop();
      more.click();
      await waitUntil(() => m.items().length === 20, 'the next page never showed');
      expect(lists()).to.equal(before + 1);
    });

    it('"Request a quote" fires one cancelable portal-form-open; cancelling keeps the form closed and the list as it was', async () => {
      const m = await mount(ALL);
      const recorder = t.record(NAMES);
      const stop = t.cancel('portal-form-open');
      const calls = t.net.calls.length;
      const ids = m.items().map((b) => b.dataset.id);
      m.button('Request a quote')!.click();
      await m.el.updateComplete;
      await aTimeout(50);
      expect(recorder.events.length).to.equal(1);
      const [e] = recorder.events;
      expect(e!.type).to.equal('portal-form-open');
      expect(e!.detail).to.deep.equal({ form: 'quote' });
      expect(flags(e!)).to.deep.equal([true, true, true]);
      expect(m.el.getAttribute('view')).to.equal('list');
      expect(m.$('quote-form')).to.equal(null);
      expect(m.items().map((b) => b.dataset.id)).to.deep.equal(ids);
      expect(t.net.calls.length).to.equal(calls);

      stop();
      m.button('Request a quote')!.click();
      await m.el.updateComplete;
      expect(recorder.events.length).to.equal(2);
      expect(recorder.events[1]!.detail).to.deep.equal({ form: 'quote' });
      expect(m.el.getAttribute('view')).to.equal('form');
      expect(m.$('quote-form')).to.exist;
    });
  });
});
