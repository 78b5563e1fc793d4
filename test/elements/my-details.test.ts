import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Details, PortalClient } from '../../widget/api/client.js';
import type { MyDetails, PortalRoot } from '../../widget/index.js';
import { PASSWORD, eachTest, signInAs, Net as SharedNet, type, type Call, queries, whileOffline } from './helpers.js';

// The contacts and companies come from fixtures-equipment.ts (Node side; it cannot be imported here).
const ACME = 'acme-plumbing';
const XSS_NAME = '<img src=x onerror=alert(1)>';

/** The shared request recorder, with a filter for this element's route. */
class Net extends SharedNet {
  details(method: string): Call[] {
    return this.to(method, /\/details$/);
  }
}

async function mount(email: string) {
  await signInAs(ACME, email, PASSWORD);
  const root = await fixture<PortalRoot>(
    html`<portal-root provider=${ACME}><my-details></my-details><test-portal-consumer></test-portal-consumer></portal-root>`,
  );
  const el = root.querySelector('my-details') as MyDetails;
  const sr = el.shadowRoot!;
  const { $, $$ } = queries(sr);
  const m = {
    root,
    el,
    $,
    $$,
    client: (): PortalClient => root.querySelector('test-portal-consumer')!.portal!.client,
    /** The view as "Term: value" lines, per section heading. */
    view: () =>
      Object.fromEntries(
        $$('section.group').map((s) => [
          s.querySelector('h3')!.textContent!.trim(),
          [...s.querySelectorAll('.row')].map((r) => `${r.querySelector('dt')!.textContent!.trim()}: ${r.querySelector('dd')!.textContent!.replace(/\s+/g, ' ').trim()}`),
        ]),
      ),
    button: (label: string) => $$<HTMLButtonElement>('button').find((b) => b.textContent!.trim() === label),
    input: (id: string) => $<HTMLInputElement>(`#${id}`)!,
    inputs: () => $$<HTMLInputElement>('form input, form textarea'),
    save: () => $<HTMLButtonElement>('button[type=submit]')!,
    errorOf: (id: string): string => {
      const input = sr.querySelector<HTMLInputElement>(`#${id}`)!;
      if (input.getAttribute('aria-invalid') !== 'true') return '';
      const described = input.getAttribute('aria-describedby')!.split(' ').find((d) => d.endsWith('-error'))!;
      return sr.querySelector(`#${described}`)!.textContent!.trim();
    },
    notice: () => $('[part=notice]')!.textContent!.trim(),
    focused: () => {
      const a = sr.activeElement as HTMLElement | null;
      return a ? `${a.localName}${a.id ? '#' + a.id : ''}:${a.textContent!.trim()}` : 'nothing';
    },
  };
  return m;
}
type Mounted = Awaited<ReturnType<typeof mount>>;

const shown = (m: Mounted) => waitUntil(() => m.$('dl'), 'the details never showed');

async function edit(m: Mounted): Promise<void> {
  m.button('Edit')!.click();
  await m.el.updateComplete;
  await waitUntil(() => m.$('form'), 'no edit form');
}


const statusOf = (p: Promise<unknown>): Promise<number> => p.then(() => 200, (e: { status: number }) => e.status);

describe('my-details', () => {
  const t = eachTest(() => new Net());

  it("details 'view': shows the company and the contact as description lists, with no Edit button; the server refuses a change", async () => {
    const m = await mount('details-view@details.test');
    await shown(m);
    expect(m.$('h2')!.textContent).to.equal('My details');
    expect(m.view()).to.deep.equal({
      Company: [
        'Name: Details View Pty Ltd',
        'Address: 4 Harbour Street, Sydney NSW 2000',
        'Phone: (02) 9000 0000',
        'Email: office@view.example',
      ],
      You: ['Name: Dana Viewer', 'Email: details-view@details.test (you log in with this)', 'Phone: +61 400 000 001'],
    });
    expect(m.$$('dl').length).to.equal(2);
    expect(m.button('Edit')).to.equal(undefined);
    expect(t.net.details('GET').length).to.equal(1);
    await expect(m.el).to.be.accessible();

    // Hiding the button is not the protection: the server says no.
    const client = m.client();
    expect(await statusOf(client.updateDetails({ company: { name: 'Taken over' } }))).to.equal(403);
    expect(await statusOf(client.updateDetails({ contact: { phone: '000' } }))).to.equal(403);
    const after = await client.getDetails();
    expect(after.company.name).to.equal('Details View Pty Ltd');
    expect(after.contact.phone).to.equal('+61 400 000 001');
    expect(after.canEdit).to.equal(false);
  });

  it("details 'edit': an Edit button opens a labelled form with the current values; the login email is shown, not editable", async () => {
    const m = await mount('details-read@details.test');
    await shown(m);
    await edit(m);
    expect(m.el.hasAttribute('editing')).to.equal(true);
    expect(m.focused()).to.equal('input#company-name:');
    const fields = m.inputs().map((i) => `${[...i.labels!].map((l) => l.textContent!.trim()).join()}|${i.type}|${i.value}`);
    expect(fields).to.deep.equal([
      'Company name (required)|text|Details Read Pty Ltd',
      'Address|textarea|4 Harbour Street, Sydney NSW 2000',
      'Company phone|tel|(02) 9000 0000',
      'Company email|email|office@read.example',
      'Your name (required)|text|Robin Reader',
      'Your phone|tel|+61 400 000 001',
    ]);
    expect(m.inputs().some((i) => i.value === 'details-read@details.test')).to.equal(false, 'no input holds the login email');
    expect(m.$('.login-email')!.textContent).to.equal('details-read@details.test');
    expect(m.$('.login .hint')!.textContent).to.contain('cannot be changed here');
    expect(m.$$('legend').map((l) => l.textContent)).to.deep.equal(['Company', 'You']);
    await expect(m.el).to.be.accessible();

    // Nor can the request change it: the server refuses the field outright.
    const refused = await m
      .client()
      .updateDetails({ contact: { email: 'new-login@details.test' } } as never)
      .then(() => null, (e: { status: number; fields: Record<string, string> }) => e);
    expect(refused!.status).to.equal(400);
    expect((await m.client().getDetails()).contact.email).to.equal('details-read@details.test');

    // Cancel goes back to the view with nothing sent.
    t.net.calls.length = 0;
    m.button('Cancel')!.click();
    await m.el.updateComplete;
    expect(m.$('form')).to.equal(null);
    expect(m.focused()).to.equal('button:Edit');
    expect(t.net.details('PATCH').length).to.equal(0);
  });

  it('sends only the changed fields, fires submit then saved, and returns to the view with a confirmation', async () => {
    const m = await mount('details-edit@details.test');
    await shown(m);
    const recorder = t.record(['portal-details-submit', 'portal-details-saved', 'portal-error']);
    await edit(m);
    type(m.input('company-address'), '  12 Quay Street\nSydney  ');
    type(m.input('company-email'), '');
    type(m.input('contact-phone'), '+61 (2) 9123-4567');
    const release = t.net.hold((c) => c.method === 'PATCH');
    m.save().click();
    await waitUntil(() => m.el.busy, 'never busy');
    expect(m.el.hasAttribute('busy')).to.equal(true);
    expect(m.save().disabled).to.equal(true);
    expect(m.save().textContent!.trim()).to.equal('Saving…');
    release();
    await waitUntil(() => !m.el.editing && m.$('dl'), 'never back to the view');
    await m.el.updateComplete;

    const expected = { company: { address: '12 Quay Street\nSydney', email: '' }, contact: { phone: '+61 (2) 9123-4567' } };
    expect(JSON.parse(t.net.details('PATCH')[0]!.body!)).to.deep.equal(expected);
    const [submit, saved] = recorder.events;
    expect(recorder.events.map((e) => e.type)).to.deep.equal(['portal-details-submit', 'portal-details-saved']);
    expect(submit!.cancelable && submit!.bubbles && submit!.composed).to.equal(true);
    expect(submit!.detail.changes).to.deep.equal(expected);
    expect(saved!.bubbles && saved!.composed && !saved!.cancelable).to.equal(true);
    const details = saved!.detail.details as Details;
    expect(details.company.email).to.equal('');
    expect(details.contact.phone).to.equal('+61 (2) 9123-4567');

    expect(m.view()['Company']).to.deep.equal([
      'Name: Details Edit Pty Ltd',
      'Address: 12 Quay Street Sydney',
      'Phone: (02) 9000 0000',
      'Email: Not given',
    ]);
    expect(m.$('[part=notice]')!.getAttribute('role')).to.equal('status');
    expect(m.notice()).to.equal('Your details are saved.');
    expect(m.focused()).to.equal('button:Edit');
    expect(m.el.hasAttribute('busy')).to.equal(false);
    const stored = await m.client().getDetails();
    expect(stored.company).to.deep.include({ name: 'Details Edit Pty Ltd', address: '12 Quay Street\nSydney', email: '', phone: '(02) 9000 0000' });
    expect(stored.contact).to.deep.include({ name: 'Eddie Editor', phone: '+61 (2) 9123-4567', email: 'details-edit@details.test' });
    await expect(m.el).to.be.accessible();

    // Saving with nothing changed sends nothing.
    await edit(m);
    m.save().click();
    await m.el.updateComplete;
    expect(m.$('form')).to.equal(null);
    expect(m.notice()).to.equal('Nothing was changed.');
    expect(t.net.details('PATCH').length).to.equal(1);
  });

  it('a cancelled submit sends nothing and keeps the form open', async () => {
    const m = await mount('details-cancel@details.test');
    await shown(m);
    await edit(m);
    const stop = (e: Event): void => e.preventDefault();
    document.addEventListener('portal-details-submit', stop);
    const recorder = t.record(['portal-details-saved']);
    try {
      type(m.input('company-name'), 'Host saves this');
      m.save().click();
      await aTimeout(100);
    } finally {
      document.removeEventListener('portal-details-submit', stop);
    }
    expect(t.net.details('PATCH').length).to.equal(0);
    expect(recorder.events.length).to.equal(0);
    expect(m.$('form')).to.exist;
    expect(m.input('company-name').value).to.equal('Host saves this');
    expect((await m.client().getDetails()).company.name).to.equal('Details Cancel Pty Ltd');
  });

  it('bad input is shown inline next to each field, the first is focused, and nothing is written', async () => {
    const m = await mount('details-bad@details.test');
    await shown(m);
    const recorder = t.record(['portal-details-submit', 'portal-details-saved', 'portal-error']);
    await edit(m);
    type(m.input('company-name'), '  ');
    type(m.input('company-address'), 'a'.repeat(501));
    type(m.input('company-phone'), 'call me maybe');
    type(m.input('company-email'), 'not-an-email');
    type(m.input('contact-name'), '');
    type(m.input('contact-phone'), '1'.repeat(41));
    m.save().click();
    await m.el.updateComplete;
    expect(m.errorOf('company-name')).to.equal('Enter company name.');
    expect(m.errorOf('company-address')).to.equal('Address must be at most 500 characters.');
    expect(m.errorOf('company-phone')).to.equal('Company phone may contain only digits, spaces and + ( ) . -');
    expect(m.errorOf('company-email')).to.equal('Enter an email address like office@example.com, or leave it empty.');
    expect(m.errorOf('contact-name')).to.equal('Enter your name.');
    expect(m.errorOf('contact-phone')).to.equal('Your phone must be at most 40 characters.');
    await m.el.updateComplete;
    expect(m.focused()).to.equal('input#company-name:');
    await expect(m.el).to.be.accessible();

    // Fixing a field clears its message as soon as it is typed in.
    type(m.input('company-name'), 'Fixed Co');
    await m.el.updateComplete;
    expect(m.errorOf('company-name')).to.equal('');
    expect(m.input('company-name').hasAttribute('aria-describedby')).to.equal(false);

    expect(t.net.details('PATCH').length).to.equal(0);
    expect(recorder.events.length).to.equal(0);
    const stored = await m.client().getDetails();
    expect(stored.company).to.deep.include({ name: 'Details Bad Pty Ltd', phone: '(02) 9000 0000', email: 'office@bad.example' });
    expect(stored.contact.name).to.equal('Bea Badinput');
  });

  it("the server's field errors show inline next to the field, and nothing is written", async () => {
    const m = await mount('details-server@details.test');
    await shown(m);
    const recorder = t.record(['portal-details-saved', 'portal-error']);
    await edit(m);
    // Passes the client-side checks; the server refuses control characters.
    type(m.input('contact-name'), 'Sergio\u0007 Server');
    type(m.input('company-phone'), '02 9999 9999');
    m.save().click();
    await waitUntil(() => m.errorOf('contact-name'), 'no inline server error');
    await m.el.updateComplete;
    expect(m.errorOf('contact-name')).to.equal('Your name must not contain control characters.');
    expect(m.errorOf('company-phone')).to.equal('');
    expect(m.focused()).to.equal('input#contact-name:');
    expect(m.$('form [role=alert]')!.textContent).to.equal('Please correct the marked fields.');
    expect(recorder.events.map((e) => [e.type, e.detail.status, e.detail.action])).to.deep.equal([['portal-error', 400, 'update-details']]);
    expect(m.el.busy).to.equal(false);
    await expect(m.el).to.be.accessible();
    const stored = await m.client().getDetails();
    expect(stored.company.phone).to.equal('(02) 9000 0000', 'the valid change was not half-written');
    expect(stored.contact.name).to.equal('Sergio Server');
  });

  it('works with the keyboard: Enter on Edit, Enter in a field saves', async () => {
    const m = await mount('details-keys@details.test');
    await shown(m);
    m.button('Edit')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => m.$('form'));
    await m.el.updateComplete;
    expect(m.focused()).to.equal('input#company-name:');
    await sendKeys({ press: 'End' });
    await sendKeys({ type: ' (Keys)' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => m.notice() === 'Your details are saved.', 'Enter did not save');
    expect(m.view()['Company']![0]).to.equal('Name: Details Keys Pty Ltd (Keys)');
    expect(m.focused()).to.equal('button:Edit');
    await sendKeys({ press: 'Space' });
    await waitUntil(() => m.$('form'), 'Space did not open the form');
  });

  it('shows markup in the details as text', async () => {
    const alerts: unknown[] = [];
    const alert = window.alert;
    window.alert = (x?: unknown) => void alerts.push(x);
    try {
      const m = await mount('details-xss@details.test');
      await shown(m);
      await aTimeout(50);
      expect(m.view()['Company']!.slice(0, 2)).to.deep.equal([`Name: ${XSS_NAME}`, 'Address: <script>window.__detailsXss = 1</script>']);
      expect(m.view()['You']![0]).to.equal('Name: <b id="evil-contact">Evil</b>');
      await edit(m);
      expect(m.input('company-name').value).to.equal(XSS_NAME);
      expect(m.$$('img, script, b').length).to.equal(0);
      expect((window as { __detailsXss?: number }).__detailsXss).to.equal(undefined);
      expect(alerts.length).to.equal(0);
      await expect(m.el).to.be.accessible();
    } finally {
      window.alert = alert;
    }
  });

  it('shows a failed load with "Try again", reports it, and recovers', async () => {
    t.net.cut = (c) => c.path.endsWith('/details');
    const recorder = t.record(['portal-error']);
    const m = await mount('details-view@details.test');
    await waitUntil(() => m.$('[role=alert]'), 'no error shown');
    expect(m.$('[role=alert]')!.textContent).to.contain('Cannot reach the server');
    expect(m.button('Try again')).to.exist;
    expect(recorder.events.map((e) => [e.detail.code, e.detail.action])).to.deep.equal([['network_error', 'get-details']]);
    await expect(m.el).to.be.accessible();
    t.net.cut = null;
    m.button('Try again')!.click();
    await shown(m);
    expect(m.$('[role=alert]')).to.equal(null);
  });

  it('shows a loading state, then the details; signed out it asks to log in and shows nothing of the last contact', async () => {
    const release = t.net.hold((c) => c.path.endsWith('/details'));
    const m = await mount('details-login@details.test');
    await waitUntil(() => m.$('[aria-busy=true]')?.textContent === 'Loading your details…', 'no loading state');
    await expect(m.el).to.be.accessible();
    release();
    await shown(m);
    await m.root.querySelector('test-portal-consumer')!.portal!.signOut();
    await m.el.updateComplete;
    expect(m.$('dl')).to.equal(null);
    expect(m.$('.state')!.textContent).to.equal('Log in to see your details.');
    expect(m.el.shadowRoot!.textContent).not.to.contain('Lou Login');
    await expect(m.el).to.be.accessible();
  });

  it('says so when the browser is offline', async () => {
    const m = await mount('details-view@details.test');
    await shown(m);
    await whileOffline([m.root, m.el], async () => {
      expect(m.$('.offline')!.textContent).to.contain('You are offline');
      expect(m.$('dl')).to.exist;
      await expect(m.el).to.be.accessible();
    });
  });
});
