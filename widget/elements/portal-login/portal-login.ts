import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { PortalApiError } from '../../api/client.js';
import { portalContext, type PortalState, type SessionStatus } from '../../context.js';
import { emit } from '../../events.js';
import { styles } from './styles.js';

type Field = 'email' | 'password';

/**
 * @summary Log in with email and password; once logged in, who you are and a log-out button.
 *
 * @fires portal-sign-in - Cancelable, before the credentials are sent. `detail: { email, remember }`.
 * @fires portal-signed-in - Logged in. `detail: { me, restored: false }`.
 * @fires portal-sign-out - Cancelable, before logging out.
 * @fires portal-signed-out - Logged out. `detail: { reason: 'logout' }`.
 * @fires portal-forgot-password - Cancelable: the "forgot password?" button. `detail: { email }`.
 * @fires portal-error - Logging in or out failed. `detail: { code, message, status, action }`.
 *
 * @csspart base - The card around everything.
 * @csspart logo - The provider's logo.
 * @csspart form - The login form.
 * @csspart input - Each text input.
 * @csspart button - The primary button.
 * @csspart link - The "forgot password?" button.
 * @csspart error - The error message.
 *
 * @cssprop --portal-login-max-width - Width of the card (default 26rem).
 */
export class PortalLogin extends LitElement {
  static override styles = styles;

  /** Heading above the form. Default: "Log in to {provider name}". */
  @property() heading = '';
  /** Where the session stands; reflected for host-page styling. */
  @property({ reflect: true }) status: SessionStatus = 'loading';
  /** True while a request is running. Reflected. */
  @property({ type: Boolean, reflect: true }) busy = false;

  @consume({ context: portalContext, subscribe: true })
  @state()
  protected portal?: PortalState;

  @state() private error = '';
  @state() private fieldErrors: Partial<Record<Field, string>> = {};

  @query('input[name=email]') private emailInput?: HTMLInputElement;
  @query('[data-focus-after-signin]') private signedInHeading?: HTMLElement;

  protected override willUpdate(): void {
    this.status = this.portal?.status ?? 'loading';
  }

  protected override updated(changed: PropertyValues<this>): void {
    const before = changed.get('status');
    if (before === 'signed-out' && this.status === 'signed-in') this.signedInHeading?.focus();
    if (before === 'signed-in' && this.status === 'signed-out') this.emailInput?.focus();
  }

  private fail(action: string, error: unknown): void {
    const e =
      error instanceof PortalApiError
        ? error
        : new PortalApiError(0, 'unexpected', 'Something went wrong. Please try again.');
    this.fieldErrors = { email: e.fields.email, password: e.fields.password };
    this.error = e.message;
    emit(this, 'portal-error', { code: e.code, message: e.message, status: e.status, action });
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const portal = this.portal;
    if (!portal || this.busy) return;
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const email = String(data.get('email') ?? '').trim();
    const password = String(data.get('password') ?? '');
    const remember = data.get('remember') === 'on';

    const fieldErrors: Partial<Record<Field, string>> = {};
    if (!email) fieldErrors.email = 'Enter your email address.';
    else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fieldErrors.email = 'Enter an email address like name@example.com.';
    if (!password) fieldErrors.password = 'Enter your password.';
    this.fieldErrors = fieldErrors;
    this.error = '';
    if (Object.keys(fieldErrors).length) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('[aria-invalid=true]')?.focus();
      return;
    }
    if (!emit(this, 'portal-sign-in', { email, remember }, { cancelable: true })) return;

    this.busy = true;
    try {
      const me = await portal.signIn(email, password, remember);
      form.reset();
      emit(this, 'portal-signed-in', { me, restored: false });
    } catch (error) {
      this.fail('sign-in', error);
      this.busy = false; // a disabled field cannot take focus or be selected
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('input[name=password]')?.select();
    } finally {
      this.busy = false;
    }
  }

  private async onSignOut(): Promise<void> {
    const portal = this.portal;
    if (!portal || this.busy) return;
    if (!emit(this, 'portal-sign-out', {}, { cancelable: true })) return;
    this.busy = true;
    try {
      await portal.signOut();
    } catch (error) {
      this.fail('sign-out', error);
    } finally {
      this.busy = false;
    }
    // The form first renders disabled (still busy), where updated() cannot focus it.
    await this.updateComplete;
    if (this.status === 'signed-out') this.emailInput?.focus();
  }

  private onForgot(): void {
    const email = this.emailInput?.value.trim() ?? '';
    emit(this, 'portal-forgot-password', { email }, { cancelable: true });
  }

  private renderLogo() {
    const src = this.portal?.logoUrl;
    const name = this.portal?.config?.name;
    return src ? html`<img part="logo" class="logo" src=${src} alt=${name ? `${name} logo` : 'Logo'} />` : nothing;
  }

  private renderField(name: Field, label: string, type: string, autocomplete: string) {
    const error = this.fieldErrors[name];
    return html`
      <div class="field">
        <label for=${name}>${label}</label>
        <input
          part="input"
          id=${name}
          name=${name}
          type=${type}
          autocomplete=${autocomplete}
          ?disabled=${this.busy}
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${error ? `${name}-error` : nothing}
          @input=${() => (this.fieldErrors = { ...this.fieldErrors, [name]: undefined })}
        />
        ${error ? html`<p class="field-error" id="${name}-error">${error}</p>` : nothing}
      </div>
    `;
  }

  private renderSignedOut() {
    const name = this.portal?.config?.name;
    return html`
      <form part="form" novalidate @submit=${this.onSubmit} aria-busy=${this.busy ? 'true' : 'false'}>
        ${this.renderField('email', 'Email', 'email', 'username')}
        ${this.renderField('password', 'Password', 'password', 'current-password')}
        <div class="remember">
          <input type="checkbox" id="remember" name="remember" ?disabled=${this.busy} />
          <label for="remember">Remember me on this device</label>
        </div>
        ${this.error ? html`<p part="error" class="error" role="alert">${this.error}</p>` : nothing}
        ${this.portal && !this.portal.online
          ? html`<p class="note" role="status">You are offline. You can log in when the connection is back.</p>`
          : nothing}
        <button part="button" class="primary" type="submit" ?disabled=${this.busy}>
          ${this.busy ? 'Logging in…' : 'Log in'}
        </button>
        <button part="link" class="link" type="button" @click=${this.onForgot}>Forgot password?</button>
      </form>
      <span class="visually-hidden" role="status">${this.busy ? `Logging in to ${name ?? 'the portal'}…` : ''}</span>
    `;
  }

  private renderSignedIn() {
    const me = this.portal!.me!;
    return html`
      <div class="who">
        <p class="signed-in-as" tabindex="-1" data-focus-after-signin>
          Logged in as <strong>${me.contact.name}</strong>
        </p>
        <p class="muted">${me.contact.email} · ${me.company.name}</p>
        ${this.error ? html`<p part="error" class="error" role="alert">${this.error}</p>` : nothing}
        <button part="button" class="secondary" type="button" ?disabled=${this.busy} @click=${this.onSignOut}>
          ${this.busy ? 'Logging out…' : 'Log out'}
        </button>
      </div>
    `;
  }

  override render() {
    const name = this.portal?.config?.name;
    const heading = this.heading || (name ? `Log in to ${name}` : 'Log in');
    return html`
      <section part="base" class="card" aria-labelledby="heading">
        ${this.renderLogo()}
        <h2 id="heading">${this.status === 'signed-in' ? (name ?? 'Your account') : heading}</h2>
        ${this.status === 'loading'
          ? html`<p class="muted" role="status" aria-busy="true">Loading…</p>`
          : this.status === 'signed-in' && this.portal?.me
            ? this.renderSignedIn()
            : this.renderSignedOut()}
      </section>
    `;
  }
}
