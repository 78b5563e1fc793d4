import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import type { PortalLogin, PortalRoot } from '../../widget/index.js';
import { Net, PASSWORD, eachTest, meStatus, rememberedToken, tabToken, queries, whileOffline } from './helpers.js';

const ACME = 'acme-plumbing';
const INVALID = 'The email or password is not right.';

const acme = (): TemplateResult => html`<portal-root provider=${ACME}><portal-login></portal-login></portal-root>`;

/** A portal-login inside a portal-root, once the form is shown with the provider's name. */
async function mount(template: TemplateResult = acme()) {
  const root = await fixture<PortalRoot>(template);
  const login = root.querySelector('portal-login')!;
  await waitUntil(
    () => login.status === 'signed-out' && login.shadowRoot?.querySelector('h2')?.textContent !== 'Log in',
    'the login form never appeared with the provider name',
  );
  await login.updateComplete;
  return { root, login, ...parts(login) };
}

function parts(login: PortalLogin) {
  const { $ } = queries(login.shadowRoot!);
  return {
    $,
    email: () => $<HTMLInputElement>('input[name=email]')!,
    password: () => $<HTMLInputElement>('input[name=password]')!,
    remember: () => $<HTMLInputElement>('input[name=remember]')!,
    submit: () => $<HTMLButtonElement>('button[type=submit]')!,
    forgot: () => $<HTMLButtonElement>('button.link')!,
    alert: () => $('[role=alert]'),
    logout: () => [...login.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Log out'),
    /** What has focus inside the element, as a short name (chai hangs printing a failed DOM comparison). */
    focused: () => name(login.shadowRoot!.activeElement),
  };
}

/** A short name for an element: `input[name=email]`, `button.link`, `p.signed-in-as`. */
function name(el: Element | null | undefined): string {
  if (!el) return String(el);
  const n = el.getAttribute('name');
  return n ? `${el.localName}[name=${n}]` : [el.localName, ...el.classList].join('.');
}

type Mounted = Awaited<ReturnType<typeof mount>>;

function fill(m: Mounted, email: string, password: string, remember = false): void {
  m.email().value = email;
  m.password().value = password;
  m.remember().checked = remember;
}

async function logIn(m: Mounted, email: string, remember = false): Promise<void> {
  fill(m, email, PASSWORD, remember);
  m.submit().click();
  await waitUntil(() => m.login.status === 'signed-in', `${email} never got signed in`);
  await m.login.updateComplete;
}

/** Submits and waits for the request to fail (the busy state ends with an alert shown). */
async function submitAndFail(m: Mounted, email: string, password: string): Promise<PortalEventLike> {
  fill(m, email, password);
  const error = oneEvent(document, 'portal-error');
  m.submit().click();
  const event = await error;
  await waitUntil(() => !m.login.busy, 'still busy after the error');
  await m.login.updateComplete;
  return event;
}
type PortalEventLike = CustomEvent<{ code: string; message: string; status: number; action: string }>;

describe('portal-login', () => {
  const t = eachTest(() => new Net());

  describe('signed out', () => {
    it('renders labelled email and password inputs and a remember-me checkbox', async () => {
      const m = await mount();
      expect(m.login.getAttribute('status')).to.equal('signed-out');
      expect(m.$('h2')!.textContent).to.equal('Log in to Acme Plumbing');
      const label = (input: HTMLInputElement): string => [...input.labels!].map((l) => l.textContent!.trim()).join(' ');
      expect(label(m.email())).to.equal('Email');
      expect(m.email().type).to.equal('email');
      expect(m.email().autocomplete).to.equal('username');
      expect(label(m.password())).to.equal('Password');
      expect(m.password().type).to.equal('password');
      expect(m.password().autocomplete).to.equal('current-password');
      expect(m.remember().type).to.equal('checkbox');
      expect(label(m.remember())).to.equal('Remember me on this device');
      expect(m.submit().textContent!.trim()).to.equal('Log in');
      expect(m.forgot().textContent!.trim()).to.equal('Forgot password?');
      await expect(m.login).to.be.accessible();
    });

    it('the heading attribute replaces the default heading', async () => {
      const m = await mount(html`<portal-root provider=${ACME}><portal-login heading="Customer login"></portal-login></portal-root>`);
      expect(m.$('h2')!.textContent).to.equal('Customer login');
    });

    it('an empty submit shows inline field errors, focuses the first, and sends nothing', async () => {
      const m = await mount();
      const events = t.record(['portal-sign-in', 'portal-error']);
      m.submit().click();
      await m.login.updateComplete;

      for (const [input, message] of [
        [m.email(), 'Enter your email address.'],
        [m.password(), 'Enter your password.'],
      ] as const) {
        expect(input.getAttribute('aria-invalid')).to.equal('true');
        const describedBy = input.getAttribute('aria-describedby')!;
        expect(describedBy).to.be.a('string');
        expect(m.$(`#${describedBy}`)!.textContent!.trim()).to.equal(message);
      }
      expect(m.focused()).to.equal(name(m.email()));
      expect(t.net.to('POST', /\/session$/).length).to.equal(0);
      expect(events.events.map((e) => e.type)).to.deep.equal([]);
      expect(m.login.status).to.equal('signed-out');
      await expect(m.login).to.be.accessible();

      // A malformed address gets its own message; the password error goes once the field is typed in.
      m.email().value = 'not-an-email';
      m.password().value = 'x';
      m.password().dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
      await m.login.updateComplete;
      expect(m.password().getAttribute('aria-invalid')).to.equal('false');
      expect(m.password().hasAttribute('aria-describedby')).to.equal(false);
      m.submit().click();
      await m.login.updateComplete;
      expect(m.$(`#${m.email().getAttribute('aria-describedby')}`)!.textContent).to.contain('like name@example.com');
      expect(m.password().getAttribute('aria-invalid')).to.equal('false');
      expect(t.net.to('POST', /\/session$/).length).to.equal(0);
      await expect(m.login).to.be.accessible();
    });

    it('a wrong password and an unknown email get the same message and fire portal-error', async () => {
      const m = await mount();
      const wrong = await submitAndFail(m, 'wrong-password@elements.test', 'not-the-password');
      const wrongAlert = m.alert()!.textContent!.trim();
      await expect(m.login).to.be.accessible();

      const unknown = await submitAndFail(m, 'nobody@elements.test', 'not-the-password');
      const unknownAlert = m.alert()!.textContent!.trim();

      expect(wrongAlert).to.equal(INVALID);
      expect(unknownAlert).to.equal(wrongAlert);
      for (const e of [wrong, unknown]) {
        expect(e.detail).to.deep.equal({ code: 'invalid_credentials', message: INVALID, status: 401, action: 'sign-in' });
        expect(e.bubbles && e.composed).to.equal(true);
      }
      expect(m.login.status).to.equal('signed-out');
      expect(tabToken(ACME)).to.equal(null);
      // The password is selected, ready to be typed again.
      expect(m.focused()).to.equal(name(m.password()));
      expect(m.password().selectionStart).to.equal(0);
      expect(m.password().selectionEnd).to.equal('not-the-password'.length);
    });

    it('a login that cannot reach the server says so', async () => {
      const m = await mount();
      t.net.cut = (c) => c.method === 'POST' && c.path.endsWith('/session');
      const error = await submitAndFail(m, 'login@elements.test', PASSWORD);
      expect(error.detail).to.deep.include({ code: 'network_error', status: 0, action: 'sign-in' });
      expect(m.alert()!.textContent).to.contain('Cannot reach the server');
      expect(m.login.status).to.equal('signed-out');
      expect(tabToken(ACME)).to.equal(null);
    });

    it('a disabled account sees an account-disabled message', async () => {
      const m = await mount();
      const error = await submitAndFail(m, 'disabled@elements.test', PASSWORD);
      expect(error.detail.code).to.equal('account_disabled');
      expect(m.alert()!.textContent).to.match(/account is disabled/i);
      expect(m.alert()!.textContent).to.contain('Acme Plumbing');
      expect(m.login.status).to.equal('signed-out');
      expect(tabToken(ACME)).to.equal(null);
      await expect(m.login).to.be.accessible();
    });

    it('"Forgot password?" fires a cancelable portal-forgot-password with the typed email', async () => {
      const m = await mount();
      m.email().value = '  someone@example.com ';
      const forgot = oneEvent(document, 'portal-forgot-password');
      m.forgot().click();
      const event = await forgot;
      expect(event.detail).to.deep.equal({ email: 'someone@example.com' });
      expect(event.cancelable && event.bubbles && event.composed).to.equal(true);
      expect(t.net.to('POST', /\/session$/).length).to.equal(0);
    });

    it('says so when the browser is offline', async () => {
      const m = await mount();
      expect(m.login.shadowRoot!.textContent).not.to.contain('offline');
      await whileOffline([m.root, m.login], async () => {
        const note = m.$('.note');
        expect(note).to.exist;
        expect(note!.getAttribute('role')).to.equal('status');
        expect(note!.textContent).to.contain('You are offline');
        await expect(m.login).to.be.accessible();
      });
      await m.root.updateComplete;
      await m.login.updateComplete;
      expect(m.login.shadowRoot!.textContent).not.to.contain('offline');
    });

    it("the host page's global CSS does not change the controls inside", async () => {
      const style = document.createElement('style');
      style.textContent = 'button,input{color:red;font-size:40px}';
      document.head.append(style);
      const outside = document.createElement('input');
      document.body.append(outside);
      try {
        const m = await mount();
        // The page rule is in force outside the element...
        expect(getComputedStyle(outside).color).to.equal('rgb(255, 0, 0)');
        // ...and not inside it.
        for (const control of [m.email(), m.password(), m.submit(), m.forgot()]) {
          expect(getComputedStyle(control).color, control.outerHTML).not.to.equal('rgb(255, 0, 0)');
          expect(getComputedStyle(control).fontSize, control.outerHTML).not.to.equal('40px');
        }
      } finally {
        style.remove();
        outside.remove();
      }
    });

    it('is accessible in the dark scheme, with inline errors', async () => {
      const m = await mount(html`<portal-root provider=${ACME} color-scheme="dark"><portal-login></portal-login></portal-root>`);
      await expect(m.login).to.be.accessible();
      m.submit().click();
      await m.login.updateComplete;
      expect(m.email().getAttribute('aria-invalid')).to.equal('true');
      await expect(m.login).to.be.accessible();
      await submitAndFail(m, 'nobody-dark@elements.test', 'not-the-password');
      expect(m.alert()!.textContent).to.equal(INVALID);
      await expect(m.login).to.be.accessible();
    });
  });

  describe('logging in', () => {
    it('fires portal-sign-in (cancelable) then portal-signed-in with the contact, on document', async () => {
      const m = await mount();
      const events = t.record(['portal-sign-in', 'portal-signed-in', 'portal-error']);
      await logIn(m, 'events@elements.test');
      await waitUntil(() => events.events.length === 2);
      const [signIn, signedIn] = events.events;
      expect(events.events.map((e) => e.type)).to.deep.equal(['portal-sign-in', 'portal-signed-in']);
      expect(signIn!.detail).to.deep.equal({ email: 'events@elements.test', remember: false });
      expect(signIn!.cancelable).to.equal(true);
      expect(signedIn!.detail.restored).to.equal(false);
      expect(signedIn!.detail.me.contact.email).to.equal('events@elements.test');
      expect(signedIn!.detail.me.company.name).to.equal('Element Test Co');
      for (const e of events.events) {
        expect(e.bubbles && e.composed, e.type).to.equal(true);
        expect(e.target === m.login, `${e.type} comes from portal-login`).to.equal(true);
      }
      expect(t.net.to('POST', /\/session$/).length).to.equal(1);
    });

    it("shows the contact's name and company once logged in, and reflects the status", async () => {
      const m = await mount();
      await logIn(m, 'login@elements.test');
      expect(m.login.getAttribute('status')).to.equal('signed-in');
      expect(m.$('.signed-in-as')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Logged in as Element login');
      expect(m.login.shadowRoot!.textContent).to.contain('login@elements.test');
      expect(m.login.shadowRoot!.textContent).to.contain('Element Test Co');
      expect(m.$('form') === null, 'no form once logged in').to.equal(true);
      expect(m.logout()).to.exist;
      await expect(m.login).to.be.accessible();
    });

    it('cancelling portal-sign-in sends no request and stays signed out', async () => {
      const m = await mount();
      document.addEventListener('portal-sign-in', (e) => e.preventDefault(), { once: true });
      const events = t.record(['portal-signed-in']);
      fill(m, 'login@elements.test', PASSWORD);
      m.submit().click();
      await aTimeout(100);
      expect(t.net.to('POST', /\/session$/).length).to.equal(0);
      expect(m.login.status).to.equal('signed-out');
      expect(m.login.busy).to.equal(false);
      expect(events.events.map((e) => e.type)).to.deep.equal([]);
      expect(tabToken(ACME)).to.equal(null);
    });

    it('the remember-me checkbox keeps the session in IndexedDB', async () => {
      const m = await mount();
      const signIn = oneEvent(document, 'portal-sign-in');
      await logIn(m, 'remember-box@elements.test', true);
      expect((await signIn).detail.remember).to.equal(true);
      expect(tabToken(ACME)).to.be.a('string');
      expect(await rememberedToken(ACME)).to.equal(tabToken(ACME));
    });

    it('is busy while the request runs: busy reflected, controls disabled', async () => {
      const m = await mount();
      const release = t.net.hold((c) => c.method === 'POST' && c.path.endsWith('/session'));
      fill(m, 'busy@elements.test', PASSWORD);
      m.submit().click();
      await m.login.updateComplete;
      expect(m.login.hasAttribute('busy')).to.equal(true);
      expect(m.submit().disabled).to.equal(true);
      expect(m.submit().textContent!.trim()).to.equal('Logging in…');
      expect(m.email().disabled && m.password().disabled && m.remember().disabled).to.equal(true);
      expect(m.$('form')!.getAttribute('aria-busy')).to.equal('true');
      expect(m.login.shadowRoot!.textContent).to.contain('Logging in to Acme Plumbing…');
      // A second submit while busy sends nothing more.
      m.$<HTMLFormElement>('form')!.requestSubmit();
      await aTimeout(20);
      expect(t.net.to('POST', /\/session$/).length).to.equal(1);
      await expect(m.login).to.be.accessible();

      release();
      await waitUntil(() => m.login.status === 'signed-in');
      await m.login.updateComplete;
      expect(m.login.hasAttribute('busy')).to.equal(false);
      expect(m.logout()!.disabled).to.equal(false);
    });
  });

  describe('logging out', () => {
    it('fires portal-sign-out (cancelable) then portal-signed-out with reason logout, and ends the session', async () => {
      const m = await mount();
      await logIn(m, 'logout@elements.test', true);
      const token = tabToken(ACME)!;
      const events = t.record(['portal-sign-out', 'portal-signed-out']);
      m.logout()!.click();
      await waitUntil(() => m.login.status === 'signed-out', 'never signed out');
      await waitUntil(() => events.events.length === 2);
      const [signOut, signedOut] = events.events;
      expect(events.events.map((e) => e.type)).to.deep.equal(['portal-sign-out', 'portal-signed-out']);
      expect(signOut!.cancelable).to.equal(true);
      expect(signedOut!.detail).to.deep.equal({ reason: 'logout' });
      for (const e of events.events) expect(e.bubbles && e.composed, e.type).to.equal(true);
      expect(t.net.to('DELETE', /\/session$/).length).to.equal(1);
      expect(tabToken(ACME)).to.equal(null);
      await waitUntil(async () => (await rememberedToken(ACME)) === undefined, 'remembered token kept after logout');
      expect(await meStatus(ACME, token)).to.equal(401);
      await m.login.updateComplete;
      expect(m.email()).to.exist;
      await expect(m.login).to.be.accessible();
    });

    it('cancelling portal-sign-out keeps the session', async () => {
      const m = await mount();
      await logIn(m, 'cancel-sign-out@elements.test');
      const token = tabToken(ACME)!;
      document.addEventListener('portal-sign-out', (e) => e.preventDefault(), { once: true });
      const events = t.record(['portal-signed-out']);
      m.logout()!.click();
      await aTimeout(100);
      expect(t.net.to('DELETE', /\/session$/).length).to.equal(0);
      expect(events.events.map((e) => e.type)).to.deep.equal([]);
      expect(m.login.status).to.equal('signed-in');
      expect(tabToken(ACME)).to.equal(token);
      expect(await meStatus(ACME, token)).to.equal(200);
    });
  });

  describe('keyboard and focus', () => {
    it('Tab goes email → password → remember → Log in → Forgot password, and Enter in the password submits', async () => {
      const m = await mount();
      m.email().focus();
      expect(m.focused()).to.equal(name(m.email()));
      await sendKeys({ type: 'keyboard@elements.test' });
      const order = [m.password(), m.remember(), m.submit(), m.forgot()];
      for (const expected of order) {
        await sendKeys({ press: 'Tab' });
        expect(m.focused()).to.equal(name(expected));
      }
      // Shift+Tab walks back the same way.
      await sendKeys({ down: 'Shift' });
      for (const expected of [m.submit(), m.remember(), m.password()]) {
        await sendKeys({ press: 'Tab' });
        expect(m.focused()).to.equal(name(expected));
      }
      await sendKeys({ up: 'Shift' });
      expect(m.focused()).to.equal(name(m.password()));
      await sendKeys({ type: PASSWORD });
      const signedIn = oneEvent(document, 'portal-signed-in');
      await sendKeys({ press: 'Enter' });
      expect((await signedIn).detail.me.contact.email).to.equal('keyboard@elements.test');
    });

    it('focus moves to "Logged in as" after login, and back to the email field after logout', async () => {
      const m = await mount();
      await logIn(m, 'focus@elements.test');
      const who = m.$('.signed-in-as')!;
      expect(who.textContent).to.contain('Logged in as');
      expect(m.focused()).to.equal(name(who));
      m.logout()!.click();
      await waitUntil(() => m.login.status === 'signed-out');
      await m.login.updateComplete;
      expect(m.focused()).to.equal(name(m.email()));
    });
  });

  describe('safety', () => {
    it('renders user text as text, never as HTML', async () => {
      const alerts: unknown[] = [];
      const originalAlert = window.alert;
      window.alert = (message?: unknown) => void alerts.push(message);
      try {
        const m = await mount();
        await logIn(m, 'xss@elements.test');
        expect(m.$('.signed-in-as strong')!.textContent).to.equal('<img src=x onerror=alert(1)>');
        expect(m.login.shadowRoot!.textContent).to.contain('<b id="evil-company">Evil</b> & Co');
        expect(m.login.shadowRoot!.querySelectorAll('img:not([part=logo])').length).to.equal(0);
        expect(m.$('#evil-company') === null, 'no element from the company name').to.equal(true);
        expect(document.querySelectorAll('img').length).to.equal(0);
        await aTimeout(50);
        expect(alerts).to.deep.equal([]);
      } finally {
        window.alert = originalAlert;
      }
    });
  });

  describe('dark provider', () => {
    it('is accessible signed in with the provider dark theme', async () => {
      const m = await mount(html`<portal-root provider="bright-electric"><portal-login></portal-login></portal-root>`);
      expect(m.root.getAttribute('scheme')).to.equal('dark');
      await expect(m.login).to.be.accessible();
      await logIn(m, 'dark@elements.test');
      expect(m.login.shadowRoot!.textContent).to.contain('Dark Test Co');
      await expect(m.login).to.be.accessible();
    });
  });
});

describe('portal-login on a website the provider did not register', () => {
  it('says the website is not registered (not "cannot reach the server"), also after a login attempt', async () => {
    // Same server, another origin: the page's origin (localhost) is not registered for it.
    const api = `http://127.0.0.1:${location.port}`;
    const root = await fixture<PortalRoot>(html`<portal-root provider="acme-plumbing" api=${api}><portal-login></portal-login></portal-root>`);
    const login = root.querySelector('portal-login')!;
    const $ = (s: string) => login.shadowRoot!.querySelector<HTMLElement>(s);
    await waitUntil(() => $('.refused'), 'no word about the website', { timeout: 5000 });
    expect($('.refused')!.textContent).to.match(/^This website is not registered with acme-plumbing's portal/);
    expect($('.refused')!.textContent).to.include(location.origin);
    await expect(login).to.be.accessible();
    ($('input[name=email]') as HTMLInputElement).value = 'alex@example.com';
    ($('input[name=password]') as HTMLInputElement).value = 'portal-demo-1';
    $('button[type=submit]')!.click();
    await waitUntil(() => !login.busy);
    await login.updateComplete;
    expect(login.shadowRoot!.textContent).not.to.include('Cannot reach the server');
    expect(login.shadowRoot!.querySelectorAll('[role=alert]').length).to.equal(1);
  });
});
