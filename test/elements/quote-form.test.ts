import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { QuoteDetail } from '../../widget/api/client.js';
import type { PortalState } from '../../widget/context.js';
import type { PortalRoot } from '../../widget/index.js';
import { Net, PASSWORD, type TestPortalConsumer, eachTest, signInAs, queries, whileOffline } from './helpers.js';

const ACME = 'acme-plumbing';
/** Contacts from fixtures-quotes.ts ("Quote Form Co", where these requests land). */
const FORM = 'quote-form@quotes.test';
const NO_CREATE = 'quote-form-no-create@quotes.test';
const NONE = 'quotes-none@quotes.test';

type Mounted = Awaited<ReturnType<typeof mount>>;

async function mount(email: string | null) {
  if (email) await signInAs(ACME, email, PASSWORD);
  const root = await fixture<PortalRoot>(
    html`<portal-root provider=${ACME}><quote-form></quote-form><test-portal-consumer></test-portal-consumer></portal-root>`,
  );
  const el = root.querySelector('quote-form')!;
  const consumer = root.querySelector<TestPortalConsumer>('test-portal-consumer')!;
  const { $ } = queries(el.shadowRoot!);
  const m = {
    root,
    el,
    consumer,
    $,
    title: () => $<HTMLInputElement>('input[name=title]')!,
    description: () => $<HTMLTextAreaElement>('textarea[name=description]')!,
    address: () => $<HTMLInputElement>('input[name=address]')!,
    submit: () => $<HTMLButtonElement>('button[type=submit]')!,
    text: (s: string) => ($(s)?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    /** What has focus inside the element (chai hangs printing DOM nodes). */
    focused: () => {
      const a = el.shadowRoot!.activeElement;
      return a ? `${a.localName}${a.id ? `#${a.id}` : ''}${a.getAttribute('part') ? `[part=${a.getAttribute('part')}]` : ''}` : 'nothing';
    },
  };
  await waitUntil(() => !!el.shadowRoot?.querySelector('form, [role=status]:not([aria-busy])'), 'quote-form never showed');
  await el.updateComplete;
  return m;
}

function errorOf(m: Mounted, input: HTMLElement): string {
  if (input.getAttribute('aria-invalid') !== 'true') return '';
  const id = input.getAttribute('aria-describedby')!.split(' ').find((i) => i.endsWith('-error'))!;
  return m.text(`#${id}`);
}

function fill(m: Mounted, v: { title?: string; description?: string; address?: string }): void {
  m.title().value = v.title ?? '';
  m.description().value = v.description ?? '';
  m.address().value = v.address ?? '';
}

/** Submits and waits for portal-quote-requested. */
async function request(m: Mounted): Promise<QuoteDetail> {
  const requested = oneEvent(m.el, 'portal-quote-requested');
  m.submit().click();
  const quote = (await requested).detail.quote;
  await waitUntil(() => !m.el.busy, 'still busy');
  await m.el.updateComplete;
  return quote;
}

describe('quote-form', () => {
  const t = eachTest(() => new Net());

  it('renders labelled fields and no close button when standalone', async () => {
    const m = await mount(FORM);
    const label = (e: HTMLInputElement | HTMLTextAreaElement): string => e.labels![0]!.textContent!.trim();
    expect(m.text('h2')).to.equal('Request a quote');
    expect(label(m.title())).to.equal('What do you need quoted?');
    expect(label(m.description())).to.equal('Details');
    expect(m.description().localName).to.equal('textarea');
    expect(label(m.address())).to.equal('Address');
    expect(m.submit().textContent!.trim()).to.equal('Send request');
    expect([...m.el.shadowRoot!.querySelectorAll('button')].map((b) => b.textContent!.trim())).to.deep.equal(['Send request']);
    await expect(m.el).to.be.accessible();
  });

  it('sends the request: portal-quote-submit, portal-quote-requested, a confirmation with the number, an empty form', async () => {
    const recorder = t.record(['portal-quote-submit', 'portal-quote-requested']);
    const m = await mount(FORM);
    fill(m, { title: '  Replace the hot water cylinder ', description: 'Line one\nLine two', address: '5 Form Street' });
    const quote = await request(m);
    const [submit, requested] = recorder.events;
    expect(submit!.type).to.equal('portal-quote-submit');
    expect(submit!.cancelable && submit!.bubbles && submit!.composed).to.equal(true);
    expect(submit!.detail.quote).to.deep.equal({ title: 'Replace the hot water cylinder', description: 'Line one\nLine two', address: '5 Form Street' });
    expect(requested!.type).to.equal('portal-quote-requested');
    expect(requested!.bubbles && requested!.composed).to.equal(true);
    expect(quote.number).to.match(/\S/);
    expect(quote.status).to.equal('requested');

    const notice = m.$('[role=status] [part=notice]')!;
    expect(notice.textContent).to.contain(quote.number);
    expect(m.focused()).to.equal('p[part=notice]');
    expect(m.title().value).to.equal('');
    expect(m.description().value).to.equal('');
    expect(m.el.hasAttribute('busy')).to.equal(false);
    await expect(m.el).to.be.accessible();

    const stored = await m.consumer.portal!.client.getQuote(quote.id);
    expect(stored).to.deep.include({ title: 'Replace the hot water cylinder', description: 'Line one\nLine two', address: '5 Form Street', status: 'requested' });
  });

  it('cancelling portal-quote-submit sends nothing', async () => {
    const recorder = t.record(['portal-quote-requested']);
    const m = await mount(FORM);
    const cancel = (e: Event): void => e.preventDefault();
    m.el.addEventListener('portal-quote-submit', cancel);
    fill(m, { title: 'Handled by the host page' });
    m.submit().click();
    await m.el.updateComplete;
    await aTimeout(50);
    m.el.removeEventListener('portal-quote-submit', cancel);
    expect(t.net.to('POST', /\/quotes$/).length).to.equal(0);
    expect(recorder.events.length).to.equal(0);
    expect(m.title().value).to.equal('Handled by the host page');
  });

  it('checks required and maximum lengths before sending, inline, focusing the first', async () => {
    const recorder = t.record(['portal-quote-submit', 'portal-quote-requested']);
    const m = await mount(FORM);
    fill(m, { title: '   ' });
    m.submit().click();
    await m.el.updateComplete;
    await aTimeout(0);
    expect(errorOf(m, m.title())).to.equal('Say what you need quoted.');
    expect(m.focused()).to.equal('input#title[part=input]');
    await expect(m.el).to.be.accessible();

    fill(m, { title: 'x'.repeat(201), description: 'd'.repeat(5001), address: 'a'.repeat(501) });
    m.submit().click();
    await m.el.updateComplete;
    await aTimeout(0);
    expect(errorOf(m, m.title())).to.equal('Use at most 200 characters (now 201).');
    expect(errorOf(m, m.description())).to.equal('Use at most 5000 characters (now 5001).');
    expect(errorOf(m, m.address())).to.equal('Use at most 500 characters (now 501).');
    expect(m.focused()).to.equal('input#title[part=input]');

    // Typing in a field clears its error.
    m.address().dispatchEvent(new InputEvent('input'));
    await m.el.updateComplete;
    expect(errorOf(m, m.address())).to.equal('');
    expect(t.net.to('POST', /\/quotes$/).length).to.equal(0);
    expect(recorder.events.length).to.equal(0);
    await expect(m.el).to.be.accessible();

    // At the limits it goes through.
    fill(m, { title: 'x'.repeat(200), description: 'd'.repeat(5000), address: 'a'.repeat(500) });
    expect((await request(m)).title).to.equal('x'.repeat(200));
  });

  it("shows the server's field errors inline and writes nothing", async () => {
    const m = await mount(FORM);
    const title = 'Bell \u0007 in the title';
    fill(m, { title });
    const error = oneEvent(m.el, 'portal-error');
    m.submit().click();
    const event = await error;
    expect(event.detail).to.deep.include({ status: 400, code: 'validation_failed', action: 'request-quote' });
    await waitUntil(() => !m.el.busy);
    await m.el.updateComplete;
    expect(errorOf(m, m.title())).to.equal('Must not contain control characters.');
    expect(m.text('[part=error][role=alert]')).to.equal('Please correct the marked fields.');
    expect(m.focused()).to.equal('input#title[part=input]');
    expect(m.title().value).to.equal(title);
    await expect(m.el).to.be.accessible();
    const found = await m.consumer.portal!.client.listQuotes({ q: 'in the title' });
    expect(found.items.length).to.equal(0);
  });

  it('markup in the text is sent and shown as text', async () => {
    const m = await mount(FORM);
    fill(m, { title: '<img src=x onerror=alert(1)>', description: '<script>window.__quoteFormXss = 1</script>' });
    const quote = await request(m);
    expect(quote.title).to.equal('<img src=x onerror=alert(1)>');
    expect(quote.description).to.equal('<script>window.__quoteFormXss = 1</script>');
    expect(m.el.shadowRoot!.querySelectorAll('img, script').length).to.equal(0);
    expect((window as { __quoteFormXss?: number }).__quoteFormXss).to.equal(undefined);
  });

  it('is busy while sending', async () => {
    const m = await mount(FORM);
    const release = t.net.hold((c) => c.method === 'POST' && c.path.endsWith('/quotes'));
    fill(m, { title: 'Slow request' });
    const requested = oneEvent(m.el, 'portal-quote-requested');
    m.submit().click();
    await m.el.updateComplete;
    expect(m.el.getAttribute('busy')).to.equal('');
    expect(m.submit().disabled).to.equal(true);
    expect(m.submit().textContent!.trim()).to.equal('Sending…');
    expect(m.$('form')!.getAttribute('aria-busy')).to.equal('true');
    // A second submit while busy sends nothing more.
    m.$<HTMLFormElement>('form')!.requestSubmit();
    release();
    await requested;
    await waitUntil(() => !m.el.busy);
    expect(t.net.to('POST', /\/quotes$/).length).to.equal(1);
  });

  it('works with the keyboard: type, Enter submits', async () => {
    const m = await mount(FORM);
    m.title().focus();
    await sendKeys({ type: 'Keyboard quote' });
    await sendKeys({ press: 'Tab' });
    expect(m.focused()).to.equal('textarea#description[part=input textarea]');
    await sendKeys({ type: 'Typed details' });
    await sendKeys({ press: 'Tab' });
    expect(m.focused()).to.equal('input#address[part=input]');
    const requested = oneEvent(m.el, 'portal-quote-requested');
    await sendKeys({ press: 'Enter' });
    const quote = (await requested).detail.quote;
    expect(quote).to.deep.include({ title: 'Keyboard quote', description: 'Typed details' });
  });

  it('without createQuotes it is not allowed, and the server refuses with 403 shown as a message', async () => {
    const m = await mount(NO_CREATE);
    expect(m.$('form')).to.equal(null);
    expect(m.text('[role=status]')).to.contain('does not have access to requesting quotes');
    await expect(m.el).to.be.accessible();

    // A page that still believes the contact may (the permission changed after it loaded).
    const root = m.root as unknown as { state: PortalState };
    const me = root.state.me!;
    root.state = { ...root.state, me: { ...me, permissions: { ...me.permissions, createQuotes: true } } };
    await waitUntil(() => !!m.$('form'), 'the form did not appear');
    fill(m, { title: 'Not allowed' });
    const error = oneEvent(m.el, 'portal-error');
    m.submit().click();
    expect((await error).detail).to.deep.include({ status: 403, code: 'forbidden' });
    await waitUntil(() => !m.el.busy);
    await m.el.updateComplete;
    expect(m.text('[part=error][role=alert]')).to.equal('Your account may not request quotes.');
    expect(m.focused()).to.equal('p[part=error]');
    await expect(m.el).to.be.accessible();
  });

  it("asks to log in when signed out; a contact with quotes 'none' and no createQuotes is not allowed", async () => {
    const out = await mount(null);
    await waitUntil(() => out.text('[role=status]') === 'Log in to request a quote.');
    await expect(out.el).to.be.accessible();
    const none = await mount(NONE);
    expect(none.$('form')).to.equal(null);
    expect(none.text('[role=status]')).to.contain('does not have access');
  });

  it('with onclose it offers "Back to quotes", which calls it and fires nothing', async () => {
    const recorder = t.record(['portal-quote-submit', 'portal-quote-requested', 'portal-error']);
    const m = await mount(FORM);
    let closed = 0;
    m.el.onclose = () => closed++;
    await m.el.updateComplete;
    const back = [...m.el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Back to quotes')!;
    expect(back).to.exist;
    back.click();
    expect(closed).to.equal(1);
    expect(recorder.events.length).to.equal(0);
    await expect(m.el).to.be.accessible();
  });

  it('says so when offline', async () => {
    const m = await mount(FORM);
    await whileOffline([m.root, m.el], async () => {
      expect(m.text('.offline')).to.contain('You are offline');
      await expect(m.el).to.be.accessible();
    });
  });
});
