import { aTimeout, expect, fixture, fixtureCleanup, html, oneEvent, waitUntil } from '@open-wc/testing';
import { set as setIdb } from 'idb-keyval';
import type { PortalRoot } from '../../widget/index.js';
import {
  Net,
  PASSWORD,
  clearStoredSessions,
  meStatus,
  recordOnDocument,
  rememberedToken,
  sessionKey,
  tabToken,
  signInAs,
  type TestPortalConsumer,
} from './helpers.js';

const ACME = 'acme-plumbing';

const prop = (el: Element, name: string): string => getComputedStyle(el).getPropertyValue(name).trim();

/** A portal-root with a context consumer and a login form inside, once its first load is over. */
async function mount(template = html`<portal-root provider=${ACME}><test-portal-consumer></test-portal-consumer><portal-login></portal-login></portal-root>`) {
  const root = await fixture<PortalRoot>(template);
  const consumer = root.querySelector('test-portal-consumer')!;
  await waitUntil(() => consumer.portal && consumer.portal.status !== 'loading', 'portal-root never left loading');
  return { root, consumer, login: root.querySelector('portal-login') };
}

/** Waits until the provider's server-side configuration has reached the context. */
const configLoaded = (consumer: TestPortalConsumer) =>
  waitUntil(() => consumer.portal?.config !== null && consumer.portal?.config !== undefined, 'provider config never loaded');

describe('portal-root', () => {
  beforeEach(clearStoredSessions);
  afterEach(clearStoredSessions);

  describe('context', () => {
    it('provides the session state to the elements inside it: loading, then signed-out', async () => {
      const { root, consumer } = await mount();
      await configLoaded(consumer);
      expect(consumer.seen).to.deep.equal(['loading', 'signed-out']);
      expect(consumer.portal!.me).to.equal(null);
      expect(consumer.portal!.online).to.equal(true);
      expect(consumer.portal!.client.provider).to.equal(ACME);
      expect(consumer.portal!.config!.name).to.equal('Acme Plumbing');
      await expect(root).to.be.accessible();
    });

    it('tells its children when a contact logs in, and who', async () => {
      const { consumer, login } = await mount();
      const me = await consumer.portal!.signIn('root-context@elements.test', PASSWORD, false);
      expect(me.contact.email).to.equal('root-context@elements.test');
      expect(consumer.seen).to.deep.equal(['loading', 'signed-out', 'signed-in']);
      expect(consumer.portal!.me!.contact.name).to.equal('Element root-context');
      await waitUntil(() => login!.status === 'signed-in', 'portal-login never saw the sign-in');
    });
  });

  describe('theme', () => {
    it("applies the provider's server theme as --portal-* custom properties", async () => {
      const { root, consumer, login } = await mount();
      await configLoaded(consumer);
      await root.updateComplete;
      expect(root.style.getPropertyValue('--portal-color-brand')).to.equal('#0b5cab');
      expect(prop(root, '--portal-color-brand')).to.equal('#0b5cab');
      expect(prop(root, '--portal-radius')).to.equal('10px');
      expect(prop(root, '--portal-color-accent')).to.equal('#f2a900');
      expect(prop(root, '--portal-font-family')).to.contain('Segoe UI');
      expect(prop(root, '--portal-color-on-brand')).to.equal('#ffffff');
      expect(root.getAttribute('scheme')).to.equal('light');
      // The elements inside use the tokens: the login button is in the provider's colour and shape.
      await login!.updateComplete;
      const button = login!.shadowRoot!.querySelector<HTMLElement>('button[type=submit]')!;
      expect(getComputedStyle(button).backgroundColor).to.equal('rgb(11, 92, 171)');
      expect(getComputedStyle(button).borderTopLeftRadius).to.equal('10px');
      await expect(root).to.be.accessible();
    });

    it('lets attributes override the server theme, also when they change later', async () => {
      const { root, consumer, login } = await mount(html`
        <portal-root provider=${ACME} brand-color="#5a2d82" accent-color="#abcdef" radius="3px" font-family="Courier New, monospace">
          <test-portal-consumer></test-portal-consumer><portal-login></portal-login>
        </portal-root>
      `);
      await configLoaded(consumer);
      await root.updateComplete;
      expect(prop(root, '--portal-color-brand')).to.equal('#5a2d82');
      expect(prop(root, '--portal-color-accent')).to.equal('#abcdef');
      expect(prop(root, '--portal-radius')).to.equal('3px');
      expect(prop(root, '--portal-font-family')).to.equal('Courier New, monospace');
      await login!.updateComplete;
      const input = login!.shadowRoot!.querySelector('input[name=email]')!;
      expect(getComputedStyle(input).fontFamily).to.contain('Courier New');
      expect(getComputedStyle(input).borderTopLeftRadius).to.equal('3px');

      root.setAttribute('brand-color', '#145a32');
      root.radius = '0';
      await root.updateComplete;
      expect(prop(root, '--portal-color-brand')).to.equal('#145a32');
      expect(prop(root, '--portal-radius')).to.equal('0');
      // Removing the attribute gives the provider's colour back.
      root.removeAttribute('brand-color');
      await root.updateComplete;
      expect(prop(root, '--portal-color-brand')).to.equal('#0b5cab');
      await expect(root).to.be.accessible();
    });

    it('ignores attribute values that are not well-formed and keeps the provider theme', async () => {
      const { root, consumer } = await mount(html`
        <portal-root provider=${ACME} brand-color="red;}" accent-color="url(x)" radius="10px;color:red" font-family="x;} body{display:none">
          <test-portal-consumer></test-portal-consumer>
        </portal-root>
      `);
      await configLoaded(consumer);
      await root.updateComplete;
      expect(prop(root, '--portal-color-brand')).to.equal('#0b5cab');
      expect(prop(root, '--portal-color-accent')).to.equal('#f2a900');
      expect(prop(root, '--portal-radius')).to.equal('10px');
      expect(prop(root, '--portal-font-family')).to.contain('Segoe UI');
      expect(root.style.cssText).not.to.contain('red');
      expect(root.style.cssText).not.to.contain('display');
    });

    it('puts dark text on a light brand colour and white text on a dark one', async () => {
      const { root, consumer } = await mount(html`
        <portal-root provider=${ACME} brand-color="#ffc629"><test-portal-consumer></test-portal-consumer></portal-root>
      `);
      await configLoaded(consumer);
      await root.updateComplete;
      expect(prop(root, '--portal-color-on-brand')).to.equal('#111111');
      root.brandColor = '#0b5cab';
      await root.updateComplete;
      expect(prop(root, '--portal-color-on-brand')).to.equal('#ffffff');
    });

    it("uses the provider's dark scheme and light brand colour from the server", async () => {
      const { root, consumer } = await mount(html`
        <portal-root provider="bright-electric"><test-portal-consumer></test-portal-consumer><portal-login></portal-login></portal-root>
      `);
      await configLoaded(consumer);
      await root.updateComplete;
      expect(root.getAttribute('scheme')).to.equal('dark');
      expect(prop(root, '--portal-color-surface')).to.equal('#15191f');
      expect(prop(root, '--portal-color-brand')).to.equal('#ffc629');
      expect(prop(root, '--portal-color-on-brand')).to.equal('#111111');
      await expect(root).to.be.accessible();
    });

    it('color-scheme="dark" switches to the dark palette, reflected as scheme="dark"', async () => {
      const { root, consumer } = await mount(html`
        <portal-root provider=${ACME} color-scheme="dark"><test-portal-consumer></test-portal-consumer><portal-login></portal-login></portal-root>
      `);
      await configLoaded(consumer);
      await root.updateComplete;
      // The attribute wins over the provider's light scheme.
      expect(root.getAttribute('scheme')).to.equal('dark');
      expect(prop(root, '--portal-color-surface')).to.equal('#15191f');
      expect(prop(root, '--portal-color-text')).to.equal('#eef1f5');
      expect(getComputedStyle(root).colorScheme).to.equal('dark');
      await expect(root).to.be.accessible();

      root.colorScheme = 'light';
      await root.updateComplete;
      expect(root.getAttribute('scheme')).to.equal('light');
      expect(prop(root, '--portal-color-surface')).to.equal('#ffffff');
    });

    it("the provider's logo path resolves against the api attribute, not the embedding page", async () => {
      const api = location.origin + '/';
      const { consumer, login } = await mount(html`
        <portal-root provider=${ACME} api=${api}><test-portal-consumer></test-portal-consumer><portal-login></portal-login></portal-root>
      `);
      await configLoaded(consumer);
      await login!.updateComplete;
      expect(consumer.portal!.logoUrl).to.equal(`${location.origin}/demo/acme-logo.svg`);
      expect(login!.shadowRoot!.querySelector('img[part=logo]')!.getAttribute('src')).to.equal(`${location.origin}/demo/acme-logo.svg`);
    });

    it("removing color-scheme goes back to the provider's scheme, and another provider brings its own", async () => {
      const { root, consumer } = await mount(html`
        <portal-root provider=${ACME} color-scheme="dark"><test-portal-consumer></test-portal-consumer></portal-root>
      `);
      await configLoaded(consumer);
      await root.updateComplete;
      expect(root.getAttribute('scheme')).to.equal('dark');
      root.removeAttribute('color-scheme');
      await root.updateComplete;
      expect(root.getAttribute('scheme')).to.equal('light', "back to Acme's light scheme");
      expect(root.hasAttribute('color-scheme')).to.equal(false, 'the input attribute is not written back');

      root.provider = 'bright-electric';
      await waitUntil(() => consumer.portal?.config?.name === 'Bright Electric', 'the new provider never loaded');
      await root.updateComplete;
      expect(root.getAttribute('scheme')).to.equal('dark', "Bright Electric's dark scheme");
      expect(prop(root, '--portal-color-brand')).to.equal('#ffc629');
    });

    it('the logo attribute replaces the provider logo shown by portal-login', async () => {
      const { root, consumer, login } = await mount();
      await configLoaded(consumer);
      await login!.updateComplete;
      const logo = () => login!.shadowRoot!.querySelector<HTMLImageElement>('img[part=logo]');
      // The theme's logo path is on the API server, so it is resolved against the API, not the page.
      expect(logo()!.getAttribute('src')).to.equal(new URL('/demo/acme-logo.svg', location.origin).href);
      expect(logo()!.alt).to.equal('Acme Plumbing logo');

      const custom = 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E';
      root.setAttribute('logo', custom);
      await root.updateComplete;
      await login!.updateComplete;
      expect(logo()!.getAttribute('src')).to.equal(custom);

      fixtureCleanup();
      const second = await mount(html`
        <portal-root provider=${ACME} logo=${custom}><test-portal-consumer></test-portal-consumer><portal-login></portal-login></portal-root>
      `);
      await configLoaded(second.consumer);
      await second.login!.updateComplete;
      expect(second.login!.shadowRoot!.querySelector('img[part=logo]')!.getAttribute('src')).to.equal(custom);
    });
  });

  describe('session', () => {
    it('restores the session from sessionStorage on reload and fires portal-signed-in with restored: true', async () => {
      const first = await mount();
      const me = await first.consumer.portal!.signIn('restore@elements.test', PASSWORD, false);
      expect(tabToken(ACME)).to.be.a('string');
      fixtureCleanup();

      const signedIn = oneEvent(document, 'portal-signed-in');
      const root = await fixture<PortalRoot>(
        html`<portal-root provider=${ACME}><test-portal-consumer></test-portal-consumer><portal-login></portal-login></portal-root>`,
      );
      const consumer = root.querySelector('test-portal-consumer')!;
      const event = await signedIn;
      expect(event.target === root).to.equal(true);
      expect(event.detail.restored).to.equal(true);
      expect(event.detail.me.contact.id).to.equal(me.contact.id);
      expect(consumer.seen).to.deep.equal(['loading', 'signed-in']);
      expect(consumer.portal!.me!.contact.email).to.equal('restore@elements.test');
      const login = root.querySelector('portal-login')!;
      await waitUntil(() => login.status === 'signed-in');
      await login.updateComplete;
      expect(login.shadowRoot!.textContent).to.contain('Element restore');
      await expect(root).to.be.accessible();
    });

    it('"remember me" keeps the token in IndexedDB, so a new tab is still signed in', async () => {
      const first = await mount();
      await first.consumer.portal!.signIn('remember@elements.test', PASSWORD, true);
      const token = tabToken(ACME);
      expect(token).to.be.a('string');
      expect(await rememberedToken(ACME)).to.equal(token);
      fixtureCleanup();

      sessionStorage.clear(); // a new tab
      const signedIn = oneEvent(document, 'portal-signed-in');
      const { consumer } = await mount();
      expect((await signedIn).detail.restored).to.equal(true);
      expect(consumer.portal!.status).to.equal('signed-in');
      expect(consumer.portal!.me!.contact.email).to.equal('remember@elements.test');

      // Logging out forgets it everywhere.
      await consumer.portal!.signOut();
      expect(tabToken(ACME)).to.equal(null);
      await waitUntil(async () => (await rememberedToken(ACME)) === undefined, 'remembered token not cleared on logout');
    });

    it('a plain login keeps the token out of IndexedDB, so a new tab is signed out', async () => {
      const first = await mount();
      await first.consumer.portal!.signIn('plain@elements.test', PASSWORD, false);
      expect(tabToken(ACME)).to.be.a('string');
      expect(await rememberedToken(ACME)).to.equal(undefined);
      fixtureCleanup();

      sessionStorage.clear();
      const { consumer } = await mount();
      expect(consumer.portal!.status).to.equal('signed-out');
      expect(consumer.portal!.me).to.equal(null);
    });

    for (const where of ['sessionStorage', 'IndexedDB'] as const) {
      it(`clears a token from ${where} that the server rejects, and is signed out`, async () => {
        if (where === 'sessionStorage') sessionStorage.setItem(sessionKey(ACME), 'not-a-real-token');
        else await setIdb(sessionKey(ACME), 'not-a-real-token');
        const events = recordOnDocument(['portal-signed-in', 'portal-signed-out']);
        try {
          const { consumer, login } = await mount();
          expect(consumer.portal!.status).to.equal('signed-out');
          expect(consumer.portal!.me).to.equal(null);
          expect(tabToken(ACME)).to.equal(null);
          expect(await rememberedToken(ACME)).to.equal(undefined);
          await login!.updateComplete;
          expect(login!.shadowRoot!.querySelector('input[name=email]')).to.exist;
          await aTimeout(50);
          expect(events.events.map((e) => e.type)).to.deep.equal([]);
        } finally {
          events.stop();
        }
      });
    }

    it('when the server ends the session, clears it and fires portal-signed-out with reason expired', async () => {
      const { consumer, login } = await mount();
      await consumer.portal!.signIn('expired@elements.test', PASSWORD, true);
      await waitUntil(() => login!.status === 'signed-in');
      const signedOut = oneEvent(document, 'portal-signed-out');
      consumer.portal!.sessionExpired();
      const event = await signedOut;
      expect(event.detail.reason).to.equal('expired');
      expect(event.bubbles && event.composed).to.equal(true);
      expect(consumer.portal!.status).to.equal('signed-out');
      expect(consumer.portal!.me).to.equal(null);
      expect(tabToken(ACME)).to.equal(null);
      await waitUntil(async () => (await rememberedToken(ACME)) === undefined, 'remembered token not cleared');
      await waitUntil(() => login!.status === 'signed-out');
    });

    it('an unknown provider ends signed out, without an uncaught error', async () => {
      const uncaught: unknown[] = [];
      const onError = (e: ErrorEvent): void => void uncaught.push(e.error ?? e.message);
      const onRejection = (e: PromiseRejectionEvent): void => void uncaught.push(e.reason);
      window.addEventListener('error', onError);
      window.addEventListener('unhandledrejection', onRejection);
      try {
        const { root, consumer, login } = await mount(html`
          <portal-root provider="no-such-provider"><test-portal-consumer></test-portal-consumer><portal-login></portal-login></portal-root>
        `);
        await aTimeout(200);
        expect(consumer.portal!.status).to.equal('signed-out');
        expect(consumer.portal!.config).to.equal(null);
        await login!.updateComplete;
        // Not a blank box: the form is there.
        expect(login!.shadowRoot!.querySelector('form')).to.exist;
        expect(uncaught).to.deep.equal([]);
        await expect(root).to.be.accessible();
      } finally {
        window.removeEventListener('error', onError);
        window.removeEventListener('unhandledrejection', onRejection);
      }
    });

    it('logging out when the server cannot be reached still forgets the session in this browser', async () => {
      const net = new Net();
      try {
        const { consumer } = await mount();
        await consumer.portal!.signIn('root-logout-offline@elements.test', PASSWORD, true);
        net.cut = (c) => c.method === 'DELETE' && c.path.endsWith('/session');
        const signedOut = oneEvent(document, 'portal-signed-out');
        await consumer.portal!.signOut();
        expect((await signedOut).detail.reason).to.equal('logout');
        expect(net.to('DELETE', /\/session$/).length).to.equal(1);
        expect(consumer.portal!.status).to.equal('signed-out');
        expect(consumer.portal!.client.token).to.equal(null);
        expect(tabToken(ACME)).to.equal(null);
        await waitUntil(async () => (await rememberedToken(ACME)) === undefined, 'remembered token kept');
      } finally {
        net.restore();
      }
    });

    it('without a saved copy of who they are, keeps the stored token when the server cannot be reached on load, and restores it once it can', async () => {
      // Logged in past the portal (no copies kept, as for a session from before them): nothing to show offline.
      const token = await signInAs(ACME, 'root-offline-restore@elements.test', PASSWORD);

      const net = new Net();
      try {
        net.cut = (c) => c.method === 'GET' && c.path.endsWith('/me');
        const { consumer, login } = await mount();
        expect(net.to('GET', /\/me$/).length).to.equal(1);
        expect(consumer.portal!.status).to.equal('signed-out');
        expect(tabToken(ACME)).to.equal(token);
        await login!.updateComplete;
        expect(login!.shadowRoot!.querySelector('form')).to.exist;
      } finally {
        net.restore();
      }
      fixtureCleanup();

      const signedIn = oneEvent(document, 'portal-signed-in');
      const { consumer } = await mount();
      expect((await signedIn).detail.restored).to.equal(true);
      expect(consumer.portal!.me!.contact.email).to.equal('root-offline-restore@elements.test');
    });

    it('with a saved copy of who they are, a load without the server is signed in from it (offline), and live once it answers', async () => {
      const first = await mount();
      await first.consumer.portal!.signIn('root-offline-copy@elements.test', PASSWORD, false);
      // The first read after login writes the session's copies down.
      await first.consumer.portal!.client.getDetails();
      await waitUntil(() => Object.keys(sessionStorage).some((k) => k.startsWith('portal-offline|') && k.endsWith('|get|/me')), 'no copy of /me kept');
      fixtureCleanup();

      const net = new Net();
      try {
        net.cut = (c) => c.method === 'GET' && c.path.endsWith('/me');
        const signedIn = oneEvent(document, 'portal-signed-in');
        const { consumer } = await mount();
        expect((await signedIn).detail.restored).to.equal(true);
        expect(consumer.portal!.status).to.equal('signed-in');
        expect(consumer.portal!.me!.contact.email).to.equal('root-offline-copy@elements.test');
      } finally {
        net.restore();
      }
      fixtureCleanup();
    });

    it('logging out through the context ends the session on the server', async () => {
      const { consumer } = await mount();
      await consumer.portal!.signIn('root-logout@elements.test', PASSWORD, false);
      const token = tabToken(ACME)!;
      expect(await meStatus(ACME, token)).to.equal(200);
      const signedOut = oneEvent(document, 'portal-signed-out');
      await consumer.portal!.signOut();
      expect((await signedOut).detail.reason).to.equal('logout');
      expect(await meStatus(ACME, token)).to.equal(401);
      expect(consumer.portal!.status).to.equal('signed-out');
    });
  });
});
