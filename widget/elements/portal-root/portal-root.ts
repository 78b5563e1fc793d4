import { LitElement, html, type PropertyValues } from 'lit';
import { LiveChannel } from '../../live/channel.js';
import type { LiveConnection, LiveState } from '../../live/connection.js';
import type { LiveHost } from '../../live/attach.js';
import { property } from 'lit/decorators.js';
import { ContextProvider } from '@lit/context';
import { PortalApiError, PortalClient, type Me, type ProviderPublic } from '../../api/client.js';
import { portalContext, type PortalState } from '../../context.js';
import { emit } from '../../events.js';
import { clearToken, loadToken, saveToken } from '../../session-store.js';
import { mergeTheme, themeProperties, tokens } from '../../theme.js';
import { styles } from './styles.js';

const offline = () => import('../../offline/layer.js');
/**
 * The network, with the offline layer beside it (loaded on first use): every answer is shown to
 * it (to keep reads, forget on logout), and a failed request is handed to it (a saved copy or a
 * draft). The request itself never waits for the layer. Only JSON bodies are copied for it: a
 * copy of the live stream that nobody reads would keep every event it ever carried.
 */
const throughOffline = (url: string, init?: RequestInit): Promise<Response> =>
  fetch(url, init).then(
    (res) => {
      const copy = res.headers.get('content-type')?.startsWith('application/json') ? res.clone() : new Response(null, { status: res.status, headers: res.headers });
      void offline().then((m) => m.seen(url, init, copy));
      return res;
    },
    (error) => offline().then((m) => m.fallback(url, init, error)),
  );

/**
 * @tagname portal-root
 * @summary Connects the portal elements inside it to one provider's API: holds the session,
 * loads the provider's theme, and provides both to its children.
 *
 * @slot - The portal elements (portal-login, job-list, …).
 * @csspart base - The wrapper around the slotted content.
 * @fires portal-signed-in - A stored session was restored on load.
 * @fires portal-signed-out - The server ended the session (`reason: 'expired'`).
 * @fires portal-live - A live update the contact may see (one stream per portal-root, opened once signed in). `detail: { event }`.
 * @fires portal-live-state - The live stream opened, dropped (`reconnecting`) or closed. `detail: { state, reason? }`.
 * @fires portal-live-reload - Shown data may be out of date (missed too much, or permissions changed); the elements refetch. `detail: { reason }`.
 * @csspart live-status - The note shown while live updates are reconnecting.
 * @cssprop --portal-color-brand - Brand colour (buttons, links). Set by `brand-color`.
 * @cssprop --portal-color-accent - Accent colour. Set by `accent-color`.
 * @cssprop --portal-font-family - Font. Set by `font-family`.
 * @cssprop --portal-radius - Corner radius. Set by `radius`.
 * @cssprop --portal-color-surface - Background of the portal.
 * @cssprop --portal-color-text - Body text colour.
 */
export class PortalRoot extends LitElement {
  static override styles = [tokens, styles];

  /** Base URL of the API (origin, optional path). Empty: the page's own origin. */
  @property() api = '';
  /** The provider's slug, as registered on the server. */
  @property() provider = '';
  @property({ attribute: 'brand-color' }) brandColor?: string;
  @property({ attribute: 'accent-color' }) accentColor?: string;
  @property({ attribute: 'font-family' }) fontFamily?: string;
  @property() radius?: string;
  /** `light` or `dark`, overriding the provider's setting. */
  @property({ attribute: 'color-scheme' }) colorScheme?: 'light' | 'dark';
  /**
   * The colour scheme in force: `color-scheme`, else the provider's. Reflected once known (for
   * host-page CSS such as `portal-root[scheme=dark]`); set it through `color-scheme`.
   */
  @property({ reflect: true }) scheme?: 'light' | 'dark';
  /** URL of the provider's logo; default: the provider's setting. */
  @property() logo?: string;
  /** Do not open the live stream (elements then show what they loaded, without live updates). */
  @property({ type: Boolean, attribute: 'no-live' }) noLive = false;
  /** The live stream's state: `off`, `connecting`, `open` or `reconnecting`. Reflected; set by the element. */
  @property({ reflect: true, attribute: 'live-state' }) liveState: LiveState = 'off';

  // The provider controller by hand rather than @provide: the same behaviour (children get each
  // new state at once), without the decorator's code on the login path.
  #state!: PortalState;
  private readonly provided = new ContextProvider(this, { context: portalContext });
  protected get state(): PortalState {
    return this.#state;
  }
  protected set state(value: PortalState) {
    const old = this.#state;
    this.#state = value;
    this.provided.setValue(value);
    this.requestUpdate('state', old);
  }

  private client!: PortalClient;
  private loadAbort?: AbortController;
  /** The live stream, once signed in (its code is fetched then: the login form does not need it). */
  private connection: LiveConnection | null = null;
  private liveFor: PortalClient | null = null;
  /** The token whose stream the server ended for good: not reopened until another session. */
  private liveEndedFor: string | null = null;
  private readonly onOnline = (): void => {
    this.update$({ online: navigator.onLine });
    if (navigator.onLine) this.connection?.nudge();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in the page (moved, or re-added): its stream may open again.
    if (this.hasUpdated) this.requestUpdate();
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOnline);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOnline);
    this.loadAbort?.abort();
    this.connection?.stop();
  }

  protected override updated(): void {
    const token = this.client.token;
    // A removed portal-root still updates (pending loads finish): it must not reopen its stream.
    const wanted = this.isConnected && this.state.status === 'signed-in' && !this.noLive && token !== null && token !== this.liveEndedFor;
    const connection = this.connection;
    if (!connection) {
      if (wanted) void this.loadLive(this.client);
      return;
    }
    if (wanted && !connection.running) connection.start();
    else if (!wanted && connection.running) connection.stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('api') || changed.has('provider') || !this.client) this.connect();
    const config = this.state.config;
    this.scheme = this.colorScheme ?? config?.theme.colorScheme;
    const logoUrl = this.resolveLogo();
    // Set during this update, so it costs no extra render; consumers get the new state.
    if (logoUrl !== this.state.logoUrl) this.state = { ...this.state, logoUrl };
    const theme = mergeTheme(this.state?.config?.theme, {
      brandColor: this.brandColor,
      accentColor: this.accentColor,
      fontFamily: this.fontFamily,
      radius: this.radius,
    });
    for (const name of ['--portal-color-brand', '--portal-color-on-brand', '--portal-color-accent', '--portal-font-family', '--portal-radius']) {
      this.style.removeProperty(name);
    }
    // CSSOM writes are allowed under a strict style-src CSP, unlike inline style attributes.
    for (const [name, value] of Object.entries(themeProperties(theme))) this.style.setProperty(name, value);
  }

  /**
   * The logo in force: the `logo` attribute as the host page wrote it, else the provider's,
   * whose paths are on the API server (not on the page that embeds the widget).
   */
  private resolveLogo(): string | null {
    if (this.logo) return this.logo;
    const fromTheme = this.state.config?.theme.logoUrl;
    if (!fromTheme) return null;
    try {
      return new URL(fromTheme, this.client.baseUrl + '/').href;
    } catch {
      return null;
    }
  }

  private update$(patch: Partial<PortalState>): void {
    this.state = { ...this.state, ...patch };
  }

  /** Fetches the live stream's code once per client, then opens it (updated() starts it). */
  private async loadLive(client: PortalClient): Promise<void> {
    if (this.liveFor === client) return;
    this.liveFor = client;
    try {
      const { openLive } = await import('../../live/attach.js');
      if (this.client !== client || this.connection) return;
      // Its private members are the host's own (attach.ts is this element's code, kept apart to load later).
      this.connection = openLive(this as unknown as LiveHost, client, this.state.live);
      this.requestUpdate();
    } catch {
      // Not fetched (offline): tried again on the next update.
      if (this.liveFor === client) this.liveFor = null;
    }
  }

  private connect(): void {
    this.loadAbort?.abort();
    this.connection?.stop();
    const abort = (this.loadAbort = new AbortController());
    const client = (this.client = new PortalClient({ provider: this.provider, baseUrl: this.api, fetch: throughOffline as typeof fetch }));
    const live = new LiveChannel();
    this.connection = null;
    this.liveFor = null;
    const api = client.baseUrl;
    const provider = this.provider;

    const signedOut = (reason: 'logout' | 'everywhere' | 'expired'): void => {
      if (this.client !== client) return;
      const wasSignedIn = this.state.status === 'signed-in';
      client.token = null;
      void clearToken(api, provider);
      this.update$({ status: 'signed-out', me: null, endedBy: wasSignedIn ? reason : null });
      if (wasSignedIn) emit(this, 'portal-signed-out', { reason });
    };

    this.state = {
      client,
      status: 'loading',
      me: null,
      config: null,
      logoUrl: null,
      endedBy: null,
      refusedOrigin: false,
      online: typeof navigator === 'undefined' ? true : navigator.onLine,
      live,
      liveState: 'off',
      signIn: async (email, password, remember) => this.state.adoptSession(await client.login(email, password), remember),
      adoptSession: async ({ token, me }, remember) => {
        client.token = token;
        await saveToken(api, provider, token, remember);
        this.update$({ status: 'signed-in', me, config: me.provider, endedBy: null });
        return me;
      },
      signOut: async () => {
        // Closed first and not reopened for this token, so the server's "session ended" on the
        // stream is not taken for an expiry, and no stream is asked for with a token being ended.
        this.liveEndedFor = client.token;
        this.connection?.stop();
        try {
          await client.logout();
        } catch (error) {
          // The session is forgotten here either way; a server that cannot be reached ends it on expiry.
          if (!(error instanceof PortalApiError)) throw error;
        } finally {
          signedOut('logout');
        }
      },
      signOutEverywhere: async () => {
        this.liveEndedFor = client.token;
        this.connection?.stop();
        try {
          await client.logoutEverywhere();
        } catch (error) {
          // Unlike a plain logout, this must reach the server to mean anything.
          if (!(error instanceof PortalApiError) || error.status !== 401) {
            this.liveEndedFor = null; // still signed in: the stream may open again
            this.requestUpdate();
            throw error;
          }
        }
        signedOut('everywhere');
      },
      refreshMe: async () => {
        try {
          const me = await client.me();
          if (this.client === client && this.state.status === 'signed-in') this.update$({ me });
        } catch (error) {
          if (error instanceof PortalApiError && error.status === 401) signedOut('expired');
        }
      },
      sessionExpired: () => signedOut('expired'),
    };
    if (!provider) {
      this.update$({ status: 'signed-out' });
      return;
    }
    void this.restore(client, abort.signal);
  }

  private async restore(client: PortalClient, signal: AbortSignal): Promise<void> {
    const config = client.config(signal).then(
      (config: ProviderPublic) => {
        if (!signal.aborted) this.update$({ config });
      },
      (error: unknown) => {
        // Unthemed until it loads; login still works, unless this website may not use the API at all.
        if (!signal.aborted && error instanceof PortalApiError && error.code === 'origin_not_allowed') this.update$({ refusedOrigin: true });
      },
    );
    const token = await loadToken(client.baseUrl, client.provider);
    if (signal.aborted) return;
    if (!token) {
      this.update$({ status: 'signed-out' });
      return;
    }
    client.token = token;
    try {
      const me: Me = await client.me(signal);
      this.update$({ status: 'signed-in', me, config: me.provider });
      emit(this, 'portal-signed-in', { me, restored: true });
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof PortalApiError && error.status === 401) {
        client.token = null;
        await clearToken(client.baseUrl, client.provider);
      }
      // Offline or server down: stay signed out for now; the token is kept for the next load.
      this.update$({ status: 'signed-out' });
    }
    await config;
  }

  override render() {
    return html`<div part="base"><slot></slot></div>
      <p part="live-status" class="live-status" role="status">${this.liveState === 'reconnecting' ? 'Live updates are interrupted. Reconnecting…' : ''}</p>`;
  }
}

