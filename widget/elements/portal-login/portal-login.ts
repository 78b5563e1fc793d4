import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { LinkInfo } from '../../api/client.js';
import { portalContext, type PortalState, type SessionStatus } from '../../context.js';
import { emit } from '../../events.js';
import { asApiError, field, focusFirstInvalid } from '../../ui/form.js';
import { styles } from './styles.js';

export type LoginMode = 'login' | 'forgot' | 'set-password';

/** `#portal-invite=<token>` or `#portal-reset=<token>`: the links in our emails. */
const LINK_IN_HASH = /(?:^#|&)portal-(?:invite|reset)=([A-Za-z0-9_-]{20,100})/;

type Account = typeof import('./account.js');
let account: Account | undefined;
let loading: Promise<Account> | undefined;
/** The views past the login form, fetched once per page (see account.ts). */
const loadAccount = (): Promise<Account> => (loading ??= import('./account.js').then((m) => (account = m), (e) => ((loading = undefined), Promise.reject(e))));

/**
 * @tagname portal-login
 * @summary Log in with email and password, ask for a reset link, set a password from an emailed
 * invitation or reset link; once logged in: who you are, change password, log out (here or everywhere).
 *
 * Opened from an emailed link (`#portal-invite=…` or `#portal-reset=…` on the page URL) it shows
 * the set-password form and removes the token from the address bar.
 *
 * @fires portal-sign-in - Cancelable, before the credentials are sent. `detail: { email, remember }`.
 * @fires portal-signed-in - Logged in. `detail: { me, restored: false }`.
 * @fires portal-sign-out - Cancelable, before logging out. `detail: { everywhere }`.
 * @fires portal-signed-out - Logged out. `detail: { reason: 'logout' | 'everywhere' }`.
 * @fires portal-forgot-password - Cancelable: "Forgot password?". Cancel to replace the built-in reset form. `detail: { email }`.
 * @fires portal-reset-requested - A reset link was asked for. `detail: { email }`.
 * @fires portal-password-set - A password was set from an emailed link; logged in. `detail: { me, purpose }`.
 * @fires portal-password-changed - The logged-in contact changed their password.
 * @fires portal-error - A request failed. `detail: { code, message, status, action }`.
 *
 * @csspart base - The card around everything.
 * @csspart logo - The provider's logo.
 * @csspart form - Each form.
 * @csspart input - Each text input.
 * @csspart button - Every button but the link-style ones.
 * @csspart link - The link-style buttons ("Forgot password?", "Back to log in").
 * @csspart error - The error message.
 * @csspart notice - A confirmation message.
 *
 * @cssprop --portal-login-max-width - Width of the card (default 26rem).
 */
export class PortalLogin extends LitElement {
  static override styles = styles;

  /** Heading above the login form. Default: "Log in to {provider name}". */
  @property() heading = '';
  /** Where the session stands; reflected for host-page styling. */
  @property({ reflect: true }) status: SessionStatus = 'loading';
  /** Which form shows while signed out. Reflected. */
  @property({ reflect: true }) mode: LoginMode = 'login';
  /** The token of an invitation or reset link. Read from the page URL's fragment when not set. */
  @property({ attribute: false }) linkToken = '';
  /** True while a request is running. Reflected. */
  @property({ type: Boolean, reflect: true }) busy = false;

  @consume({ context: portalContext, subscribe: true })
  @state()
  /** @internal */ portal?: PortalState;

  /** @internal */ @state() error = '';
  /** @internal */ @state() notice = '';
  /** @internal */ @state() fieldErrors: Record<string, string | undefined> = {};
  /** @internal */ @state() link: LinkInfo | null = null;
  /** @internal */ @state() linkProblem = '';
  /** @internal */ @state() menuOpen = false;
  /** The account dialog open, if any. @internal */
  @state() dialog: 'change' | 'everywhere' | null = null;
  /** Which request is running, for the right busy label. @internal */
  @state() running = '';
  /** @internal */ inspected = '';
  /** @internal */ prefill = '';
  /** A form that waited for account.ts takes the focus once drawn. */
  private focusWhenLoaded = false;

  // A link opened in a tab that already shows the portal only changes the fragment.
  private readonly onHashChange = (): void => this.takeLinkFromUrl();

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHashChange);
    if (!this.linkToken) this.takeLinkFromUrl();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHashChange);
  }

  private takeLinkFromUrl(): void {
    const match = LINK_IN_HASH.exec(location.hash);
    if (!match) return;
    this.reset();
    this.linkToken = match[1]!;
    // Out of the address bar and history, so it is not bookmarked, shared or sent on.
    history.replaceState(history.state, '', location.pathname + location.search);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // account.ts's views come with their styles: added to this shadow root once, before they draw.
    const sheet = account?.styles.styleSheet;
    const root = this.renderRoot as ShadowRoot;
    if (sheet && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    this.status = this.portal?.status ?? 'loading';
    if (changed.has('linkToken') && this.linkToken) this.mode = 'set-password';
  }

  /** Whether what shows now is one of the views account.ts draws. */
  private get needsAccount(): boolean {
    return this.mode !== 'login' || (this.status === 'signed-in' && !!this.portal?.me);
  }

  protected override firstUpdated(): void {
    // Fetched as soon as the element shows, off the login form's critical path: by the time anyone
    // logs in or asks for a reset link it is there (and there offline, once fetched).
    void loadAccount().then(
      () => this.requestUpdate(),
      () => undefined,
    );
  }

  /** Also waits for account.ts when the view showing needs it, so "updated" means drawn. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    if (account || !this.needsAccount) return done;
    await loadAccount().catch(() => undefined);
    return super.getUpdateComplete();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (this.mode === 'set-password' && this.portal && account && this.inspected !== this.linkToken) void account.inspectLink(this);
    if (this.needsAccount && !account) void loadAccount().then(() => this.requestUpdate(), () => undefined);
    const before = changed.get('status');
    if (before === 'signed-out' && this.status === 'signed-in') this.$('[data-focus-after-signin]')?.focus();
    if ((changed.has('mode') && changed.get('mode') !== undefined) || (this.focusWhenLoaded && account)) {
      this.focusWhenLoaded = !account;
      this.$('input')?.focus();
    }
  }

  /** @internal */
  $<E extends HTMLElement = HTMLElement>(selector: string): E | null {
    return this.renderRoot.querySelector<E>(selector);
  }

  /** @internal */
  reset(patch: { mode?: LoginMode; notice?: string } = {}): void {
    this.error = '';
    this.fieldErrors = {};
    this.notice = patch.notice ?? '';
    if (patch.mode) this.mode = patch.mode;
  }

  private fail(action: string, error: unknown): void {
    const e = asApiError(error);
    this.fieldErrors = Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [account?.FIELD_NAMES[k] ?? k, v]));
    // Said once: under its field when the server named one, else above the form (where the
    // standing "website not registered" note already says why a request cannot get through).
    this.error = Object.keys(e.fields).length || (e.code === 'network_error' && this.portal?.refusedOrigin) ? '' : e.message;
    emit(this, 'portal-error', { code: e.code, message: e.message, status: e.status, action });
  }

  /** Runs a request with the busy state on; failures are shown and reported as `action`. */
  /** @internal */
  async run(action: string, work: () => Promise<void>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.running = action;
    this.error = '';
    try {
      await work();
      return true;
    } catch (error) {
      this.fail(action, error);
      this.busy = false; // a disabled field cannot take focus
      await this.updateComplete;
      if (!focusFirstInvalid(this.renderRoot)) this.$('[role=alert]')?.focus();
      return false;
    } finally {
      this.busy = false;
    }
  }

  /**
   * Client-side checks; shows them inline and focuses the first. Synchronous when all pass, so
   * the busy state starts in the same task as the submit.
   */
  /** @internal */
  check(errors: Record<string, string | undefined>): boolean {
    this.fieldErrors = errors;
    this.error = '';
    if (!Object.values(errors).some(Boolean)) return true;
    void this.updateComplete.then(() => focusFirstInvalid(this.renderRoot));
    return false;
  }

  private async onLogin(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const portal = this.portal;
    if (!portal || this.busy) return;
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const email = String(data.get('email') ?? '').trim();
    const password = String(data.get('password') ?? '');
    const remember = data.get('remember') === 'on';
    const ok = this.check({
      email: !email ? 'Enter your email address.' : !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? 'Enter an email address like name@example.com.' : undefined,
      password: password ? undefined : 'Enter your password.',
    });
    if (!ok || !emit(this, 'portal-sign-in', { email, remember }, { cancelable: true })) return;
    const done = await this.run('sign-in', async () => {
      const me = await portal.signIn(email, password, remember);
      form.reset();
      emit(this, 'portal-signed-in', { me, restored: false });
    });
    if (!done) this.$<HTMLInputElement>('input[name=password]')?.select();
  }

  private onForgot(): void {
    const email = this.$<HTMLInputElement>('input[name=email]')?.value.trim() ?? '';
    if (!emit(this, 'portal-forgot-password', { email }, { cancelable: true })) return;
    this.prefill = email;
    this.reset({ mode: 'forgot' });
  }

  private renderLogo() {
    const src = this.portal?.logoUrl;
    const name = this.portal?.config?.name;
    return src ? html`<img part="logo" class="logo" src=${src} alt=${name ? `${name} logo` : 'Logo'} />` : nothing;
  }

  /** @internal */
  input(name: string, label: string, type: string, autocomplete: string, extra: { hint?: string; value?: string } = {}) {
    return field({
      name,
      label,
      type,
      autocomplete,
      ...extra,
      error: this.fieldErrors[name],
      disabled: this.busy,
      onInput: () => (this.fieldErrors = { ...this.fieldErrors, [name]: undefined }),
    });
  }

  /** @internal */
  messages() {
    return html`
      ${this.error ? html`<p part="error" class="error" role="alert" tabindex="-1">${this.error}</p>` : nothing}
      ${this.notice ? html`<p part="notice" class="success" role="status" tabindex="-1">${this.notice}</p>` : nothing}
    `;
  }

  private renderLogin() {
    return html`
      ${this.portal?.refusedOrigin
        ? html`<p part="error" class="error refused" role="alert">This website is not registered with ${this.portal.client.provider}'s portal, so you cannot log in here. Please tell them: they can add ${location.origin} to their portal's websites.</p>`
        : nothing}
      ${this.portal?.endedBy === 'expired' && !this.error
        ? html`<p part="notice" class="note ended" role="status">Your session ended on another device, or it timed out. Log in again to carry on.</p>`
        : nothing}
      <form part="form" novalidate @submit=${this.onLogin} aria-busy=${this.busy ? 'true' : 'false'}>
        ${this.input('email', 'Email', 'email', 'username', { value: this.prefill })}
        ${this.input('password', 'Password', 'password', 'current-password')}
        <div class="remember">
          <input type="checkbox" id="remember" name="remember" ?disabled=${this.busy} />
          <label for="remember">Remember me on this device</label>
        </div>
        ${this.messages()}
        ${this.portal && !this.portal.online
          ? html`<p class="note" role="status">You are offline. You can log in when the connection is back.</p>`
          : nothing}
        <button part="button" class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Logging in…' : 'Log in'}</button>
        <button part="link" class="link" type="button" @click=${this.onForgot}>Forgot password?</button>
      </form>
      <span class="visually-hidden" role="status">${this.busy ? `Logging in to ${this.portal?.config?.name ?? 'the portal'}…` : ''}</span>
    `;
  }

  override render() {
    const name = this.portal?.config?.name;
    const signedIn = this.status === 'signed-in' && !!this.portal?.me && this.mode !== 'set-password';
    const headings: Record<LoginMode, string> = {
      login: this.heading || (name ? `Log in to ${name}` : 'Log in'),
      forgot: 'Reset your password',
      'set-password': this.link?.purpose === 'invite' ? `Welcome, ${this.link.name}` : 'Choose a new password',
    };
    return html`
      <section part="base" class="card ${signedIn ? 'bar' : ''}" aria-labelledby="heading">
        ${this.renderLogo()}
        <h2 id="heading">${signedIn ? (name ?? 'Your account') : headings[this.mode]}</h2>
        ${(this.status === 'loading' && this.mode !== 'set-password') || (this.needsAccount && !account)
          ? html`<p class="muted" role="status" aria-busy="true">Loading…</p>`
          : signedIn
            ? account!.renderSignedIn(this)
            : this.mode === 'forgot'
              ? account!.renderForgot(this)
              : this.mode === 'set-password'
                ? account!.renderSetPassword(this)
                : this.renderLogin()}
      </section>
    `;
  }
}
