import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { LinkInfo } from '../../api/client.js';
import { portalContext, type PortalState, type SessionStatus } from '../../context.js';
import { emit } from '../../events.js';
import { asApiError, field, focusFirstInvalid } from '../../ui/form.js';
import { styles } from './styles.js';

export type LoginMode = 'login' | 'forgot' | 'set-password';

const MIN_PASSWORD = 10;
const PASSWORD_HINT = `At least ${MIN_PASSWORD} characters. Common passwords are refused.`;
/** `#portal-invite=<token>` or `#portal-reset=<token>`: the links in our emails. */
const LINK_IN_HASH = /(?:^#|&)portal-(?:invite|reset)=([A-Za-z0-9_-]{20,100})/;

/** Server field names → this element's inputs. */
const FIELD_NAMES: Record<string, string> = { password: 'new-password', newPassword: 'new-password', currentPassword: 'current-password' };

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
  protected portal?: PortalState;

  @state() private error = '';
  @state() private notice = '';
  @state() private fieldErrors: Record<string, string | undefined> = {};
  @state() private link: LinkInfo | null = null;
  @state() private linkProblem = '';
  @state() private menuOpen = false;
  /** The account dialog open, if any. */
  @state() private dialog: 'change' | 'everywhere' | null = null;
  /** Which request is running, for the right busy label. */
  @state() private running = '';
  private inspected = '';
  private prefill = '';

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
    this.status = this.portal?.status ?? 'loading';
    if (changed.has('linkToken') && this.linkToken) this.mode = 'set-password';
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (this.mode === 'set-password' && this.portal && this.inspected !== this.linkToken) void this.inspectLink();
    const before = changed.get('status');
    if (before === 'signed-out' && this.status === 'signed-in') this.$('[data-focus-after-signin]')?.focus();
    if (changed.has('mode') && changed.get('mode') !== undefined) this.$('input')?.focus();
  }

  private $<E extends HTMLElement = HTMLElement>(selector: string): E | null {
    return this.renderRoot.querySelector<E>(selector);
  }

  private reset(patch: { mode?: LoginMode; notice?: string } = {}): void {
    this.error = '';
    this.fieldErrors = {};
    this.notice = patch.notice ?? '';
    if (patch.mode) this.mode = patch.mode;
  }

  private fail(action: string, error: unknown): void {
    const e = asApiError(error);
    this.fieldErrors = Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [FIELD_NAMES[k] ?? k, v]));
    // Said once: under its field when the server named one, else above the form (where the
    // standing "website not registered" note already says why a request cannot get through).
    this.error = Object.keys(e.fields).length || (e.code === 'network_error' && this.portal?.refusedOrigin) ? '' : e.message;
    emit(this, 'portal-error', { code: e.code, message: e.message, status: e.status, action });
  }

  /** Runs a request with the busy state on; failures are shown and reported as `action`. */
  private async run(action: string, work: () => Promise<void>): Promise<boolean> {
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
  private check(errors: Record<string, string | undefined>): boolean {
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

  private async onForgotSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const portal = this.portal;
    if (!portal) return;
    const email = String(new FormData(event.target as HTMLFormElement).get('email') ?? '').trim();
    if (!(this.check({ email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? undefined : 'Enter the email address you log in with.' }))) return;
    await this.run('forgot-password', async () => {
      const { message } = await portal.client.forgotPassword(email);
      this.notice = message;
      emit(this, 'portal-reset-requested', { email });
    });
  }

  private async inspectLink(): Promise<void> {
    const token = (this.inspected = this.linkToken);
    this.link = null;
    this.linkProblem = '';
    try {
      this.link = await this.portal!.client.inspectLink(token);
    } catch (error) {
      const e = asApiError(error);
      this.linkProblem = e.message;
      emit(this, 'portal-error', { code: e.code, message: e.message, status: e.status, action: 'check-link' });
    }
  }

  private async onSetPassword(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const portal = this.portal;
    const link = this.link;
    if (!portal || !link) return;
    const data = new FormData(event.target as HTMLFormElement);
    const password = String(data.get('new-password') ?? '');
    const confirm = String(data.get('confirm-password') ?? '');
    const ok = this.check({
      'new-password': password.length < MIN_PASSWORD ? `Use at least ${MIN_PASSWORD} characters.` : undefined,
      'confirm-password': confirm !== password ? 'The two passwords do not match.' : undefined,
    });
    if (!ok) return;
    await this.run('set-password', async () => {
      const me = await portal.adoptSession(await portal.client.setPassword(this.linkToken, password), false);
      this.linkToken = this.inspected = '';
      this.link = null;
      this.reset({ mode: 'login', notice: link.purpose === 'invite' ? 'Your password is set. Welcome!' : 'Your new password is set.' });
      emit(this, 'portal-password-set', { me, purpose: link.purpose });
      emit(this, 'portal-signed-in', { me, restored: false });
      // The status turned signed-in while this form still showed, so updated() had nothing to focus.
      await this.updateComplete;
      this.$('[data-focus-after-signin]')?.focus();
    });
  }

  private async onChangePassword(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const portal = this.portal;
    if (!portal) return;
    const data = new FormData(event.target as HTMLFormElement);
    const current = String(data.get('current-password') ?? '');
    const next = String(data.get('new-password') ?? '');
    const ok = this.check({
      'current-password': current ? undefined : 'Enter your current password.',
      'new-password': next.length < MIN_PASSWORD ? `Use at least ${MIN_PASSWORD} characters.` : undefined,
    });
    if (!ok) return;
    await this.run('change-password', async () => {
      const { message } = await portal.client.changePassword(current, next);
      this.$<HTMLDialogElement>('dialog')?.close();
      this.dialog = null;
      this.reset({ notice: message });
      emit(this, 'portal-password-changed', {});
      await this.updateComplete;
      this.$('[part=notice]')?.focus();
    });
  }

  private async onSignOut(everywhere: boolean): Promise<void> {
    const portal = this.portal;
    if (!portal || this.busy || !emit(this, 'portal-sign-out', { everywhere }, { cancelable: true })) return;
    this.notice = '';
    const done = await this.run(everywhere ? 'sign-out-everywhere' : 'sign-out', () =>
      everywhere ? portal.signOutEverywhere() : portal.signOut(),
    );
    if (done) this.dialog = null;
    this.menuOpen = false;
    // The form first renders disabled (still busy), where nothing can take focus.
    await this.updateComplete;
    if (done && this.status === 'signed-out') this.$('input[name=email]')?.focus();
  }

  private renderLogo() {
    const src = this.portal?.logoUrl;
    const name = this.portal?.config?.name;
    return src ? html`<img part="logo" class="logo" src=${src} alt=${name ? `${name} logo` : 'Logo'} />` : nothing;
  }

  private input(name: string, label: string, type: string, autocomplete: string, extra: { hint?: string; value?: string } = {}) {
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

  private messages() {
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

  private backToLogin() {
    const back = (): void => {
      this.prefill = this.$<HTMLInputElement>('input[name=email]')?.value.trim() ?? this.prefill;
      this.linkToken = this.inspected = '';
      this.reset({ mode: 'login' });
    };
    return html`<button part="link" class="link" type="button" @click=${back}>Back to log in</button>`;
  }

  private renderForgot() {
    return html`
      <p class="muted">Enter the email address you log in with, and we will send you a link to choose a new password.</p>
      <form part="form" novalidate @submit=${this.onForgotSubmit} aria-busy=${this.busy ? 'true' : 'false'}>
        ${this.input('email', 'Email', 'email', 'username', { value: this.prefill })}
        ${this.messages()}
        <button part="button" class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Sending…' : 'Send reset link'}</button>
        ${this.backToLogin()}
      </form>
    `;
  }

  private renderSetPassword() {
    if (this.linkProblem) {
      return html`
        <p part="error" class="error" role="alert">${this.linkProblem}</p>
        <button part="button" class="primary" type="button" @click=${() => ((this.linkToken = this.inspected = ''), this.reset({ mode: 'forgot' }))}>
          Ask for a new link
        </button>
        ${this.backToLogin()}
      `;
    }
    if (!this.link) return html`<p class="muted" role="status" aria-busy="true">Checking your link…</p>`;
    return html`
      <p>Choose a password for <strong>${this.link.email}</strong>.</p>
      <form part="form" novalidate @submit=${this.onSetPassword} aria-busy=${this.busy ? 'true' : 'false'}>
        ${this.input('new-password', 'New password', 'password', 'new-password', { hint: PASSWORD_HINT })}
        ${this.input('confirm-password', 'Repeat the new password', 'password', 'new-password')}
        ${this.messages()}
        <button part="button" class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Saving…' : 'Set password and log in'}</button>
      </form>
    `;
  }

  /** Opens or closes the account menu; closing it by key puts focus back on its button. */
  private toggleMenu(open = !this.menuOpen, focusToggle = false): void {
    this.menuOpen = open;
    if (focusToggle) void this.updateComplete.then(() => this.$('button.menu-toggle')?.focus());
  }

  /** Opens one of the account dialogs (change password, log out everywhere). */
  private async openDialog(which: 'change' | 'everywhere'): Promise<void> {
    this.reset();
    this.menuOpen = false;
    this.dialog = which;
    await this.updateComplete;
    const dialog = this.$<HTMLDialogElement>('dialog');
    if (dialog && !dialog.open) dialog.showModal();
    this.$<HTMLInputElement>('dialog input, dialog [autofocus]')?.focus();
  }

  /** The dialog closed (Cancel, Escape, or done): focus goes back to the account menu's button. */
  private onDialogClose(): void {
    if (!this.dialog) return;
    this.dialog = null;
    this.fieldErrors = {};
    void this.updateComplete.then(() => this.$('button.menu-toggle')?.focus());
  }

  private closeDialog(): void {
    this.$<HTMLDialogElement>('dialog')?.close();
  }

  private onMenuKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.menuOpen) {
      event.stopPropagation();
      this.toggleMenu(false, true);
    }
  }

  private renderChangePassword() {
    return html`<form id="change" class="account" part="form" method="dialog" novalidate @submit=${this.onChangePassword} aria-labelledby="change-heading">
      <h3 id="change-heading">Change password</h3>
      ${this.input('current-password', 'Current password', 'password', 'current-password')}
      ${this.input('new-password', 'New password', 'password', 'new-password', { hint: PASSWORD_HINT })}
      ${this.messages()}
      <p class="hint">Your other devices will be logged out.</p>
      <div class="actions">
        <button part="button" class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Saving…' : 'Save new password'}</button>
        <button part="button" class="secondary cancel" type="button" ?disabled=${this.busy} @click=${this.closeDialog}>Cancel</button>
      </div>
    </form>`;
  }

  private renderConfirmEverywhere() {
    return html`<div class="account" role="group" aria-labelledby="everywhere-heading">
      <h3 id="everywhere-heading">Log out on every device?</h3>
      <p>You will be logged out here and on every other phone or computer where you are logged in.</p>
      ${this.messages()}
      <div class="actions">
        <button part="button" class="primary confirm-everywhere" type="button" autofocus ?disabled=${this.busy} @click=${() => this.onSignOut(true)}>
          ${this.busy ? 'Logging out…' : 'Log out everywhere'}
        </button>
        <button part="button" class="secondary cancel" type="button" ?disabled=${this.busy} @click=${this.closeDialog}>Cancel</button>
      </div>
    </div>`;
  }

  private renderSignedIn() {
    const me = this.portal!.me!;
    return html`
      <div class="who">
        <p class="signed-in-as" tabindex="-1" data-focus-after-signin>Logged in as <strong>${me.contact.name}</strong></p>
        <p class="muted contact"><span class="email">${me.contact.email} · </span>${me.company.name}</p>
      </div>
      <div class="actions account-actions" @keydown=${this.onMenuKeydown}>
        <button part="button" class="secondary" type="button" ?disabled=${this.busy} @click=${() => this.onSignOut(false)}>
          ${this.running === 'sign-out' && this.busy ? 'Logging out…' : 'Log out'}
        </button>
        <button part="button" class="secondary menu-toggle" type="button" aria-expanded=${this.menuOpen ? 'true' : 'false'} aria-controls="account-menu"
          @click=${() => this.toggleMenu()}>Account</button>
        <ul id="account-menu" class="menu" part="menu" ?hidden=${!this.menuOpen}>
          <li><button part="button" class="link" type="button" @click=${() => this.openDialog('change')}>Change password</button></li>
          <li><button part="button" class="link" type="button" ?disabled=${this.busy} @click=${() => this.openDialog('everywhere')}>Log out everywhere</button></li>
        </ul>
      </div>
      ${this.dialog ? nothing : this.messages()}
      ${this.dialog
        ? html`<dialog part="dialog" aria-labelledby=${this.dialog === 'change' ? 'change-heading' : 'everywhere-heading'} @close=${this.onDialogClose}>
            ${this.dialog === 'change' ? this.renderChangePassword() : this.renderConfirmEverywhere()}
          </dialog>`
        : nothing}
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
        ${this.status === 'loading' && this.mode !== 'set-password'
          ? html`<p class="muted" role="status" aria-busy="true">Loading…</p>`
          : signedIn
            ? this.renderSignedIn()
            : this.mode === 'forgot'
              ? this.renderForgot()
              : this.mode === 'set-password'
                ? this.renderSetPassword()
                : this.renderLogin()}
      </section>
    `;
  }
}
