/**
 * portal-login beyond the login form: forgot password, set password from an emailed invitation
 * or reset link, change password, log out everywhere. The links' tokens are seeded in Node by
 * fixtures.ts (see link-tokens.ts); every test has its own contacts.
 */
import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import type { PortalLogin, PortalRoot } from '../../widget/index.js';
import { Net, PASSWORD, eachTest, meStatus, recordOnDocument, tabToken, queries } from './helpers.js';
import { LINKS, TAMPERED_TOKEN, type FixtureLink } from './link-tokens.js';

const ACME = 'acme-plumbing';
const FORGOT_ANSWER =
  'If that address belongs to an account here, we have sent it a link to choose a new password. Check your inbox (and spam folder).';
const CHANGED = 'Your password was changed. Your other devices were logged out.';
/** Long enough and not a common password. */
const NEW_PASSWORD = 'lantern-Orchard-47';

const emailOf = (link: FixtureLink): string => `${link.contact}@elements.test`;
const nameOf = (link: FixtureLink): string => `Element ${link.contact}`;

/** A short name for an element: `input[name=email]`, `button.link`, `p.signed-in-as`. */
function name(el: Element | null | undefined): string {
  if (!el) return String(el);
  const n = el.getAttribute('name');
  return n ? `${el.localName}[name=${n}]` : [el.localName, ...el.classList].join('.');
}

const text = (el: Element | null | undefined): string => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

function parts(login: PortalLogin) {
  const root = login.shadowRoot!;
  const { $ } = queries(root);
  const button = (label: string): HTMLButtonElement | undefined =>
    [...root.querySelectorAll('button')].find((b) => text(b) === label);
  return {
    $,
    button,
    heading: () => text($('h2')),
    input: (n: string) => $<HTMLInputElement>(`input[name=${n}]`),
    submit: () => $<HTMLButtonElement>('form button[type=submit]')!,
    alert: () => $('[role=alert]'),
    notice: () => $('[part=notice]'),
    /** The inline error under a field, checking that the field is marked invalid and described by it. */
    fieldError: (n: string): string => {
      const input = $<HTMLInputElement>(`input[name=${n}]`)!;
      if (input.getAttribute('aria-invalid') !== 'true') return `(${n} is not marked invalid)`;
      const ids = (input.getAttribute('aria-describedby') ?? '').split(' ');
      if (!ids.includes(`${n}-error`)) return `(${n} is not described by its error)`;
      return text($(`#${n}-error`));
    },
    /** What has focus inside the element (chai hangs printing a failed DOM comparison). */
    focused: () => name(root.activeElement),
  };
}

/** A portal-login (and a context consumer) inside a portal-root. */
async function mountRoot(login: TemplateResult = html`<portal-login></portal-login>`) {
  const root = await fixture<PortalRoot>(html`<portal-root provider=${ACME}><test-portal-consumer></test-portal-consumer>${login}</portal-root>`);
  const el = root.querySelector('portal-login')!;
  return { root, login: el, consumer: root.querySelector('test-portal-consumer')!, ...parts(el) };
}

type Mounted = Awaited<ReturnType<typeof mountRoot>>;

/** The login form, once shown with the provider's name. */
async function mountSignedOut(): Promise<Mounted> {
  const m = await mountRoot();
  await waitUntil(() => m.login.status === 'signed-out' && m.heading() === 'Log in to Acme Plumbing', 'the login form never appeared');
  await m.login.updateComplete;
  return m;
}

/** The set-password view, once the link was checked (the form, or why the link cannot be used). */
async function mountWithLink(login?: TemplateResult): Promise<Mounted> {
  const m = await mountRoot(login);
  await waitUntil(() => m.$('form') !== null || m.alert() !== null, 'the link was never checked');
  await m.login.updateComplete;
  return m;
}

/** Logs in with the login form as `<contact>@elements.test`. */
async function logIn(m: Mounted, contact: string): Promise<void> {
  m.input('email')!.value = `${contact}@elements.test`;
  m.input('password')!.value = PASSWORD;
  m.submit().click();
  await waitUntil(() => m.login.status === 'signed-in' && !m.login.busy, `${contact} never got signed in`);
  await m.login.updateComplete;
}

/** Opens a second session of the contact, as another device would. Returns its token. */
async function loginElsewhere(email: string, password: string): Promise<{ status: number; token?: string }> {
  const res = await fetch(`/api/portal/${ACME}/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { token?: string };
  return { status: res.status, token: body.token };
}

/** Waits for the request behind an event to be over and the element re-rendered. */
async function settled(m: Mounted): Promise<void> {
  await waitUntil(() => !m.login.busy, 'still busy');
  await m.login.updateComplete;
}

describe('portal-login: account', () => {
  const t = eachTest(() => new Net());
  // A link left in the address bar by a failed test must not open the next test's element on it.
  afterEach(() => {
    if (location.hash) history.replaceState(history.state, '', location.pathname + location.search);
  });

  describe('forgot password', () => {
    it('"Forgot password?" opens the reset form; it validates, confirms the same way for any address, and goes back', async () => {
      const m = await mountSignedOut();
      const events = t.record(['portal-forgot-password', 'portal-reset-requested', 'portal-error']);
      m.input('email')!.value = ' forgot@elements.test ';
      m.button('Forgot password?')!.click();
      await m.login.updateComplete;

      expect(m.login.getAttribute('mode')).to.equal('forgot');
      expect(m.heading()).to.equal('Reset your password');
      expect(m.input('password') === null, 'no password field in the reset form').to.equal(true);
      expect(m.input('email')!.value).to.equal('forgot@elements.test');
      expect(m.focused()).to.equal('input[name=email]');
      expect(text(m.submit())).to.equal('Send reset link');
      await expect(m.login).to.be.accessible();

      // Empty, then malformed: an inline error, nothing sent.
      for (const typed of ['', 'not-an-email']) {
        m.input('email')!.value = typed;
        m.submit().click();
        await m.login.updateComplete;
        expect(m.fieldError('email'), `for "${typed}"`).to.equal('Enter the email address you log in with.');
        expect(m.focused()).to.equal('input[name=email]');
      }
      expect(t.net.to('POST', /\/password\/forgot$/).length).to.equal(0);
      await expect(m.login).to.be.accessible();

      // A known address: the server's confirmation, announced.
      m.input('email')!.value = 'forgot@elements.test';
      let requested = oneEvent(document, 'portal-reset-requested');
      m.submit().click();
      expect((await requested).detail).to.deep.equal({ email: 'forgot@elements.test' });
      await settled(m);
      expect(m.notice()!.getAttribute('role')).to.equal('status');
      expect(text(m.notice())).to.equal(FORGOT_ANSWER);
      expect(m.input('email')!.getAttribute('aria-invalid')).to.equal('false');
      await expect(m.login).to.be.accessible();

      // An unknown address gets the very same answer.
      m.input('email')!.value = 'nobody-forgot@elements.test';
      requested = oneEvent(document, 'portal-reset-requested');
      m.submit().click();
      expect((await requested).detail).to.deep.equal({ email: 'nobody-forgot@elements.test' });
      await settled(m);
      expect(text(m.notice())).to.equal(FORGOT_ANSWER);
      expect(m.alert() === null, 'no error for an unknown address').to.equal(true);
      expect(t.net.to('POST', /\/password\/forgot$/).length).to.equal(2);
      const event = events.events.find((e) => e.type === 'portal-reset-requested')!;
      expect(event.bubbles && event.composed).to.equal(true);

      m.button('Back to log in')!.click();
      await m.login.updateComplete;
      expect(m.login.getAttribute('mode')).to.equal('login');
      expect(m.heading()).to.equal('Log in to Acme Plumbing');
      expect(m.input('password')).to.exist;
      expect(m.notice() === null, 'the confirmation is gone').to.equal(true);
      expect(m.focused()).to.equal('input[name=email]');
      expect(events.events.map((e) => e.type)).to.deep.equal(['portal-forgot-password', 'portal-reset-requested', 'portal-reset-requested']);
    });

    it('cancelling portal-forgot-password keeps the login form', async () => {
      const m = await mountSignedOut();
      document.addEventListener('portal-forgot-password', (e) => e.preventDefault(), { once: true });
      m.input('email')!.value = 'forgot@elements.test';
      m.button('Forgot password?')!.click();
      await m.login.updateComplete;
      await aTimeout(20);
      expect(m.login.getAttribute('mode')).to.equal('login');
      expect(m.heading()).to.equal('Log in to Acme Plumbing');
      expect(m.input('password')).to.exist;
      expect(m.button('Send reset link') === undefined, 'no reset form').to.equal(true);
      expect(t.net.to('POST', /\/password\/forgot$/).length).to.equal(0);
    });
  });

  describe('set password from an invitation', () => {
    it('opened from #portal-invite=…: welcomes the contact, checks the password, sets it and logs in', async () => {
      const link = LINKS.inviteHash;
      history.replaceState(history.state, '', `${location.pathname}${location.search}#portal-invite=${link.token}`);
      const events = t.record(['portal-password-set', 'portal-signed-in', 'portal-error']);
      const m = await mountWithLink();

      // The token is out of the address bar at once.
      expect(location.hash).to.equal('');
      expect(location.href).not.to.contain(link.token);
      expect(m.login.getAttribute('mode')).to.equal('set-password');
      expect(m.heading()).to.equal(`Welcome, ${nameOf(link)}`);
      expect(text(m.$('strong'))).to.equal(emailOf(link));
      expect(m.input('new-password')!.type).to.equal('password');
      expect(m.input('new-password')!.autocomplete).to.equal('new-password');
      expect(m.input('confirm-password')!.type).to.equal('password');
      expect(m.input('confirm-password')!.labels![0]!.textContent).to.equal('Repeat the new password');
      expect(text(m.submit())).to.equal('Set password and log in');
      await expect(m.login).to.be.accessible();

      // Too short, and a repeat that does not match: inline, nothing sent.
      m.input('new-password')!.value = 'short';
      m.input('confirm-password')!.value = 'different';
      m.submit().click();
      await m.login.updateComplete;
      expect(m.fieldError('new-password')).to.equal('Use at least 10 characters.');
      expect(m.fieldError('confirm-password')).to.equal('The two passwords do not match.');
      expect(m.focused()).to.equal('input[name=new-password]');
      expect(m.alert() === null, 'the refusal is said once, under the field').to.equal(true);
      await expect(m.login).to.be.accessible();

      m.input('new-password')!.value = NEW_PASSWORD;
      m.input('confirm-password')!.value = `${NEW_PASSWORD}x`;
      m.submit().click();
      await m.login.updateComplete;
      expect(m.input('new-password')!.getAttribute('aria-invalid')).to.equal('false');
      expect(m.fieldError('confirm-password')).to.equal('The two passwords do not match.');
      expect(m.focused()).to.equal('input[name=confirm-password]');
      expect(t.net.to('POST', /\/password\/set$/).length).to.equal(0);

      // Long enough but common: the server refuses it, shown under "New password".
      m.input('new-password')!.value = 'qwertyuiop';
      m.input('confirm-password')!.value = 'qwertyuiop';
      const refused = oneEvent(document, 'portal-error');
      m.submit().click();
      expect((await refused).detail).to.deep.include({ code: 'weak_password', status: 400, action: 'set-password' });
      await settled(m);
      expect(m.fieldError('new-password')).to.match(/^Password is one of the most common passwords/);
      expect(m.input('confirm-password')!.getAttribute('aria-invalid')).to.equal('false');
      expect(m.focused()).to.equal('input[name=new-password]');
      expect(m.login.status).to.equal('signed-out');
      await expect(m.login).to.be.accessible();

      // A good one.
      m.input('new-password')!.value = NEW_PASSWORD;
      m.input('confirm-password')!.value = NEW_PASSWORD;
      const set = oneEvent(document, 'portal-password-set');
      m.submit().click();
      const { detail } = await set;
      expect(detail.purpose).to.equal('invite');
      expect(detail.me.contact.email).to.equal(emailOf(link));
      await waitUntil(() => m.login.status === 'signed-in', 'never signed in after setting the password');
      await settled(m);
      expect(events.events.map((e) => e.type)).to.deep.equal(['portal-error', 'portal-password-set', 'portal-signed-in']);
      const signedIn = events.events[2]!;
      expect(signedIn.detail).to.deep.include({ restored: false });
      for (const e of events.events) expect(e.bubbles && e.composed, e.type).to.equal(true);
      expect(t.net.to('POST', /\/password\/set$/).length).to.equal(2);
      expect(m.login.getAttribute('mode')).to.equal('login');
      expect(text(m.$('.signed-in-as'))).to.equal(`Logged in as ${nameOf(link)}`);
      expect(text(m.notice())).to.equal('Your password is set. Welcome!');
      expect(m.focused()).to.equal('p.signed-in-as');
      expect(await meStatus(ACME, tabToken(ACME)!)).to.equal(200);

      // The password works from now on; the link does not, a second time.
      const me = await m.consumer.portal!.signIn(emailOf(link), NEW_PASSWORD, false);
      expect(me.contact.name).to.equal(nameOf(link));
      const again = await fetch(`/api/portal/${ACME}/password/link`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token: link.token }),
      });
      expect(again.status).to.equal(410);
    });

    it('opened through the linkToken property, then logs in with the new password through the form', async () => {
      const link = LINKS.inviteProperty;
      const m = await mountWithLink(html`<portal-login .linkToken=${link.token}></portal-login>`);
      expect(m.heading()).to.equal(`Welcome, ${nameOf(link)}`);
      expect(text(m.$('strong'))).to.equal(emailOf(link));

      m.input('new-password')!.value = NEW_PASSWORD;
      m.input('confirm-password')!.value = NEW_PASSWORD;
      const set = oneEvent(document, 'portal-password-set');
      const signedIn = oneEvent(document, 'portal-signed-in');
      m.submit().click();
      expect((await set).detail.purpose).to.equal('invite');
      expect((await signedIn).detail.me.contact.email).to.equal(emailOf(link));
      await settled(m);
      expect(text(m.$('.signed-in-as'))).to.equal(`Logged in as ${nameOf(link)}`);
      expect(m.login.linkToken).to.equal('');

      // Log out, and back in with the form and the new password.
      m.button('Log out')!.click();
      await waitUntil(() => m.login.status === 'signed-out', 'never signed out');
      await settled(m);
      m.input('email')!.value = emailOf(link);
      m.input('password')!.value = NEW_PASSWORD;
      const again = oneEvent(document, 'portal-signed-in');
      m.submit().click();
      expect((await again).detail.me.contact.name).to.equal(nameOf(link));
    });
  });

  describe('set password from a reset link', () => {
    it('asks to choose a new password and reports purpose reset', async () => {
      const link = LINKS.reset;
      const m = await mountWithLink(html`<portal-login .linkToken=${link.token}></portal-login>`);
      expect(m.heading()).to.equal('Choose a new password');
      expect(text(m.$('strong'))).to.equal(emailOf(link));

      m.input('new-password')!.value = NEW_PASSWORD;
      m.input('confirm-password')!.value = NEW_PASSWORD;
      const set = oneEvent(document, 'portal-password-set');
      m.submit().click();
      const { detail } = await set;
      expect(detail.purpose).to.equal('reset');
      expect(detail.me.contact.email).to.equal(emailOf(link));
      await waitUntil(() => m.login.status === 'signed-in', 'never signed in');
      await settled(m);
      expect(text(m.notice())).to.equal('Your new password is set.');
      expect(text(m.$('.signed-in-as'))).to.equal(`Logged in as ${nameOf(link)}`);
    });
  });

  describe('a link that cannot be used', () => {
    const cases = [
      { what: 'a used link', token: LINKS.used.token, code: 'link_used', status: 410, message: 'This link has already been used. Ask for a new one.' },
      { what: 'an expired link', token: LINKS.expired.token, code: 'link_expired', status: 410, message: 'This link has expired. Ask for a new one.' },
      {
        what: 'a tampered token',
        token: TAMPERED_TOKEN,
        code: 'invalid_link',
        status: 400,
        message: 'This link is not valid. Check that you copied all of it, or ask for a new one.',
      },
    ];
    for (const c of cases) {
      it(`${c.what}: says why, fires portal-error ${c.code}, and offers a new link`, async () => {
        const events = t.record(['portal-error']);
        const m = await mountWithLink(html`<portal-login .linkToken=${c.token}></portal-login>`);
        expect(m.$('form') === null, 'no set-password form').to.equal(true);
        expect(text(m.alert())).to.equal(c.message);
        await waitUntil(() => events.events.length === 1, 'portal-error never fired');
        const [error] = events.events;
        expect(error!.detail).to.deep.equal({ code: c.code, message: c.message, status: c.status, action: 'check-link' });
        expect(error!.bubbles && error!.composed).to.equal(true);
        expect(m.login.status).to.equal('signed-out');
        await expect(m.login).to.be.accessible();

        m.button('Ask for a new link')!.click();
        await m.login.updateComplete;
        expect(m.login.getAttribute('mode')).to.equal('forgot');
        expect(m.heading()).to.equal('Reset your password');
        expect(m.alert() === null, 'the link problem is gone').to.equal(true);
        expect(m.focused()).to.equal('input[name=email]');
        expect(t.net.to('POST', /\/password\/set$/).length).to.equal(0);
      });
    }
  });

  describe('signed in', () => {
    it('the Account menu opens and closes (Escape returns focus to its button)', async () => {
      const m = await mountSignedOut();
      await logIn(m, 'change-password');
      const toggle = (): HTMLButtonElement => m.$<HTMLButtonElement>('button.menu-toggle')!;
      expect(text(toggle())).to.equal('Account');
      expect(toggle().getAttribute('aria-expanded')).to.equal('false');
      expect(m.$('#account-menu')!.hidden).to.equal(true);
      toggle().click();
      await m.login.updateComplete;
      expect(toggle().getAttribute('aria-expanded')).to.equal('true');
      expect(m.$('#account-menu')!.hidden).to.equal(false);
      await expect(m.login).to.be.accessible();
      m.button('Change password')!.focus();
      await sendKeys({ press: 'Escape' });
      await m.login.updateComplete;
      expect(m.$('#account-menu')!.hidden).to.equal(true);
      expect(m.focused()).to.equal('button.secondary.menu-toggle');
    });

    it('"Change password" opens a dialog that checks the current password and changes it; Cancel and Escape close it', async () => {
      const m = await mountSignedOut();
      await logIn(m, 'change-password');
      const token = tabToken(ACME)!;
      const other = await loginElsewhere('change-password@elements.test', PASSWORD);
      expect(other.status).to.equal(201);

      const open = async (): Promise<HTMLDialogElement> => {
        m.$<HTMLButtonElement>('button.menu-toggle')!.click();
        await m.login.updateComplete;
        m.button('Change password')!.click();
        await waitUntil(() => m.$<HTMLDialogElement>('dialog')?.open, 'the dialog did not open');
        return m.$<HTMLDialogElement>('dialog')!;
      };
      expect(m.$('form') === null, 'closed at first').to.equal(true);
      let dialog = await open();
      expect(m.$('form')!.id).to.equal('change');
      expect(m.focused()).to.equal('input[name=current-password]');
      expect(m.input('current-password')!.autocomplete).to.equal('current-password');
      expect(m.input('new-password')!.autocomplete).to.equal('new-password');
      await expect(m.login).to.be.accessible();
      m.button('Cancel')!.click();
      await waitUntil(() => m.$('dialog') === null, 'Cancel did not close it');
      expect(m.focused()).to.equal('button.secondary.menu-toggle');
      dialog = await open();
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => m.$('dialog') === null, 'Escape did not close it');
      expect(dialog.open).to.equal(false);
      expect(m.focused()).to.equal('button.secondary.menu-toggle');
      await open();

      // Wrong current password: inline under "Current password".
      m.input('current-password')!.value = 'not-my-password';
      m.input('new-password')!.value = NEW_PASSWORD;
      const failed = oneEvent(document, 'portal-error');
      m.submit().click();
      expect((await failed).detail).to.deep.include({ code: 'wrong_password', status: 400, action: 'change-password' });
      await settled(m);
      expect(m.fieldError('current-password')).to.equal('Your current password is not right.');
      expect(m.input('new-password')!.getAttribute('aria-invalid')).to.equal('false');
      expect(m.focused()).to.equal('input[name=current-password]');
      await expect(m.login).to.be.accessible();

      // A common new password: the server's refusal shows under "New password".
      m.input('current-password')!.value = PASSWORD;
      m.input('new-password')!.value = 'qwertyuiop';
      const weak = oneEvent(document, 'portal-error');
      m.submit().click();
      expect((await weak).detail).to.deep.include({ code: 'weak_password', status: 400, action: 'change-password' });
      await settled(m);
      expect(m.fieldError('new-password')).to.match(/^Password is one of the most common passwords/);
      expect(m.input('current-password')!.getAttribute('aria-invalid')).to.equal('false');
      expect(m.focused()).to.equal('input[name=new-password]');

      m.input('current-password')!.value = PASSWORD;
      m.input('new-password')!.value = NEW_PASSWORD;
      const changed = oneEvent(document, 'portal-password-changed');
      m.submit().click();
      const event = await changed;
      expect(event.bubbles && event.composed).to.equal(true);
      await settled(m);
      expect(m.$('form') === null, 'the form closes').to.equal(true);
      expect(m.$('dialog')).to.equal(null);
      expect(m.notice()!.getAttribute('role')).to.equal('status');
      expect(text(m.notice())).to.equal(CHANGED);
      expect(m.focused()).to.equal('p.success');
      await expect(m.login).to.be.accessible();

      // This session stays, the other device's ends; the new password logs in, the old does not.
      expect(m.login.status).to.equal('signed-in');
      expect(await meStatus(ACME, token)).to.equal(200);
      expect(await meStatus(ACME, other.token!)).to.equal(401);
      expect((await loginElsewhere('change-password@elements.test', NEW_PASSWORD)).status).to.equal(201);
      expect((await loginElsewhere('change-password@elements.test', PASSWORD)).status).to.equal(401);
    });

    it('"Log out everywhere" (cancelable) ends every session of the contact', async () => {
      const m = await mountSignedOut();
      await logIn(m, 'everywhere');
      const token = tabToken(ACME)!;
      const other = await loginElsewhere('everywhere@elements.test', PASSWORD);
      expect(other.status).to.equal(201);
      // The menu item asks first; only the dialog's button logs out.
      const everywhere = async (): Promise<void> => {
        m.$<HTMLButtonElement>('button.menu-toggle')!.click();
        await m.login.updateComplete;
        m.button('Log out everywhere')!.click();
        await waitUntil(() => m.$<HTMLDialogElement>('dialog')?.open, 'no confirmation');
        expect(t.net.to('DELETE', /\/sessions$/).length).to.equal(0, 'nothing is sent before confirming');
        await expect(m.login).to.be.accessible();
        m.$<HTMLButtonElement>('button.confirm-everywhere')!.click();
      };

      // Cancel in the confirmation: nothing happens, and no event.
      m.$<HTMLButtonElement>('button.menu-toggle')!.click();
      await m.login.updateComplete;
      const beforeCancel = recordOnDocument(['portal-sign-out']);
      m.button('Log out everywhere')!.click();
      await waitUntil(() => m.$<HTMLDialogElement>('dialog')?.open, 'no confirmation');
      m.button('Cancel')!.click();
      await waitUntil(() => m.$('dialog') === null);
      beforeCancel.stop();
      expect(beforeCancel.events.length).to.equal(0);
      expect(m.focused()).to.equal('button.secondary.menu-toggle');

      // Cancelled: nothing happens.
      document.addEventListener('portal-sign-out', (e) => e.preventDefault(), { once: true });
      const cancelled = recordOnDocument(['portal-sign-out', 'portal-signed-out']);
      await everywhere();
      await aTimeout(100);
      cancelled.stop();
      expect(cancelled.events.map((e) => e.type)).to.deep.equal(['portal-sign-out']);
      expect(cancelled.events[0]!.detail).to.deep.equal({ everywhere: true });
      expect(cancelled.events[0]!.cancelable).to.equal(true);
      expect(t.net.to('DELETE', /\/sessions$/).length).to.equal(0);
      expect(m.login.status).to.equal('signed-in');
      expect(await meStatus(ACME, token)).to.equal(200);
      expect(await meStatus(ACME, other.token!)).to.equal(200);

      m.button('Cancel')!.click();
      await waitUntil(() => m.$('dialog') === null);
      const events = t.record(['portal-sign-out', 'portal-signed-out']);
      await everywhere();
      await waitUntil(() => m.login.status === 'signed-out', 'never signed out');
      await waitUntil(() => events.events.length === 2, 'portal-signed-out never fired');
      expect(events.events.map((e) => e.type)).to.deep.equal(['portal-sign-out', 'portal-signed-out']);
      expect(events.events[0]!.detail).to.deep.equal({ everywhere: true });
      expect(events.events[1]!.detail).to.deep.equal({ reason: 'everywhere' });
      for (const e of events.events) expect(e.bubbles && e.composed, e.type).to.equal(true);
      expect(t.net.to('DELETE', /\/sessions$/).length).to.equal(1);
      expect(tabToken(ACME)).to.equal(null);
      expect(await meStatus(ACME, token)).to.equal(401);
      expect(await meStatus(ACME, other.token!)).to.equal(401);
      await settled(m);
      expect(m.focused()).to.equal('input[name=email]');
    });
  });

  describe('session ended elsewhere', () => {
    it('says "Your session ended on another device" when another device logged out everywhere', async () => {
      const m = await mountSignedOut();
      expect(m.$('.ended')).to.equal(null, 'nothing to say on a first visit');
      await logIn(m, 'everywhere');
      const other = await loginElsewhere('everywhere@elements.test', PASSWORD);
      const r = await fetch(`/api/portal/${ACME}/sessions`, { method: 'DELETE', headers: { Authorization: `Bearer ${other.token}` } });
      expect(r.status).to.equal(204);
      await m.consumer.portal!.refreshMe(); // the next request this device makes
      await waitUntil(() => m.login.status === 'signed-out', 'still signed in');
      await m.login.updateComplete;
      expect(text(m.$('.ended'))).to.match(/^Your session ended on another device/);
      expect(m.$('.ended')!.getAttribute('role')).to.equal('status');
      await expect(m.login).to.be.accessible();
      await logIn(m, 'everywhere');
      m.button('Log out')!.click();
      await waitUntil(() => m.login.status === 'signed-out');
      await m.login.updateComplete;
      expect(m.$('.ended')).to.equal(null, 'not after logging out here');
    });
  });

  describe('keyboard', () => {
    it('in the set-password form, Tab goes New password → Repeat → submit, and Enter submits', async () => {
      const link = LINKS.inviteKeyboard;
      const m = await mountWithLink(html`<portal-login .linkToken=${link.token}></portal-login>`);
      m.input('new-password')!.focus();
      expect(m.focused()).to.equal('input[name=new-password]');
      await sendKeys({ type: NEW_PASSWORD });
      await sendKeys({ press: 'Tab' });
      expect(m.focused()).to.equal('input[name=confirm-password]');
      await sendKeys({ type: NEW_PASSWORD });
      await sendKeys({ press: 'Tab' });
      expect(m.focused()).to.equal('button.primary');
      expect(text(m.login.shadowRoot!.activeElement)).to.equal('Set password and log in');
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ up: 'Shift' });
      expect(m.focused()).to.equal('input[name=confirm-password]');

      const set = oneEvent(document, 'portal-password-set');
      await sendKeys({ press: 'Enter' });
      const { detail } = await set;
      expect(detail).to.deep.include({ purpose: 'invite' });
      expect(detail.me.contact.email).to.equal(emailOf(link));
      await waitUntil(() => m.login.status === 'signed-in', 'never signed in');
    });
  });
});
