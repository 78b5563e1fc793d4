/**
 * The parts of portal-login a visitor who only logs in never needs: the reset-link form, the
 * set-password form of an emailed link, and the signed-in view (change password, log out here or
 * everywhere). Loaded with `import()` (see portal-login.ts), so they stay off the login path.
 */
import { html, nothing } from 'lit';
import { emit } from '../../events.js';
import { asApiError } from '../../ui/form.js';
import type { PortalLogin } from './portal-login.js';

type LoginHost = PortalLogin;

/** Server field names → the inputs of the password forms (the ones that may differ). */
export const FIELD_NAMES: Record<string, string> = { password: 'new-password', newPassword: 'new-password', currentPassword: 'current-password' };

const MIN_PASSWORD = 10;
const PASSWORD_HINT = `At least ${MIN_PASSWORD} characters. Common passwords are refused.`;

async function onForgotSubmit(host: LoginHost, event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const portal = host.portal;
  if (!portal) return;
  const email = String(new FormData(event.target as HTMLFormElement).get('email') ?? '').trim();
  if (!(host.check({ email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? undefined : 'Enter the email address you log in with.' }))) return;
  await host.run('forgot-password', async () => {
    const { message } = await portal.client.forgotPassword(email);
    host.notice = message;
    emit(host, 'portal-reset-requested', { email });
  });
}

/** The heading of the reset-link and set-password forms. */
export const heading = (host: LoginHost): string =>
  host.mode === 'forgot' ? 'Reset your password' : host.link?.purpose === 'invite' ? `Welcome, ${host.link.name}` : 'Choose a new password';

/** What the set-password form's link is for (or why it cannot be used). */
export async function inspectLink(host: LoginHost): Promise<void> {
  const token = (host.inspected = host.linkToken);
  host.link = null;
  host.linkProblem = '';
  try {
    host.link = await host.portal!.client.inspectLink(token);
  } catch (error) {
    const e = asApiError(error);
    host.linkProblem = e.message;
    emit(host, 'portal-error', { code: e.code, message: e.message, status: e.status, action: 'check-link' });
  }
}

async function onSetPassword(host: LoginHost, event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const portal = host.portal;
  const link = host.link;
  if (!portal || !link) return;
  const data = new FormData(event.target as HTMLFormElement);
  const password = String(data.get('new-password') ?? '');
  const confirm = String(data.get('confirm-password') ?? '');
  const ok = host.check({
    'new-password': password.length < MIN_PASSWORD ? `Use at least ${MIN_PASSWORD} characters.` : undefined,
    'confirm-password': confirm !== password ? 'The two passwords do not match.' : undefined,
  });
  if (!ok) return;
  await host.run('set-password', async () => {
    const me = await portal.adoptSession(await portal.client.setPassword(host.linkToken, password), false);
    host.linkToken = host.inspected = '';
    host.link = null;
    host.reset({ mode: 'login', notice: link.purpose === 'invite' ? 'Your password is set. Welcome!' : 'Your new password is set.' });
    emit(host, 'portal-password-set', { me, purpose: link.purpose });
    emit(host, 'portal-signed-in', { me, restored: false });
    // The status turned signed-in while this form still showed, so updated() had nothing to focus.
    await host.updateComplete;
    host.$('[data-focus-after-signin]')?.focus();
  });
}

async function onChangePassword(host: LoginHost, event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const portal = host.portal;
  if (!portal) return;
  const data = new FormData(event.target as HTMLFormElement);
  const current = String(data.get('current-password') ?? '');
  const next = String(data.get('new-password') ?? '');
  const ok = host.check({
    'current-password': current ? undefined : 'Enter your current password.',
    'new-password': next.length < MIN_PASSWORD ? `Use at least ${MIN_PASSWORD} characters.` : undefined,
  });
  if (!ok) return;
  await host.run('change-password', async () => {
    const { message } = await portal.client.changePassword(current, next);
    host.changing = false;
    host.reset({ notice: message });
    emit(host, 'portal-password-changed', {});
    await host.updateComplete;
    host.$('[part=notice]')?.focus();
  });
}

async function onSignOut(host: LoginHost, everywhere: boolean): Promise<void> {
  const portal = host.portal;
  if (!portal || host.busy || !emit(host, 'portal-sign-out', { everywhere }, { cancelable: true })) return;
  host.notice = '';
  const done = await host.run(everywhere ? 'sign-out-everywhere' : 'sign-out', () =>
    everywhere ? portal.signOutEverywhere() : portal.signOut(),
  );
  // The form first renders disabled (still busy), where nothing can take focus.
  await host.updateComplete;
  if (done && host.status === 'signed-out') host.$('input[name=email]')?.focus();
}

function backToLogin(host: LoginHost) {
  const back = (): void => {
    host.prefill = host.$<HTMLInputElement>('input[name=email]')?.value.trim() ?? host.prefill;
    host.linkToken = host.inspected = '';
    host.reset({ mode: 'login' });
  };
  return html`<button part="link" class="link" type="button" @click=${back}>Back to log in</button>`;
}

export function renderForgot(host: LoginHost) {
  return html`
    <p class="muted">Enter the email address you log in with, and we will send you a link to choose a new password.</p>
    <form part="form" novalidate @submit=${(e: SubmitEvent) => onForgotSubmit(host, e)} aria-busy=${host.busy ? 'true' : 'false'}>
      ${host.input('email', 'Email', 'email', 'username', { value: host.prefill })}
      ${host.messages()}
      <button part="button" class="primary" type="submit" ?disabled=${host.busy}>${host.busy ? 'Sending…' : 'Send reset link'}</button>
      ${backToLogin(host)}
    </form>
  `;
}

export function renderSetPassword(host: LoginHost) {
  if (host.linkProblem) {
    return html`
      <p part="error" class="error" role="alert">${host.linkProblem}</p>
      <button part="button" class="primary" type="button" @click=${() => ((host.linkToken = host.inspected = ''), host.reset({ mode: 'forgot' }))}>
        Ask for a new link
      </button>
      ${backToLogin(host)}
    `;
  }
  if (!host.link) return html`<p class="muted" role="status" aria-busy="true">Checking your link…</p>`;
  return html`
    <p>Choose a password for <strong>${host.link.email}</strong>.</p>
    <form part="form" novalidate @submit=${(e: SubmitEvent) => onSetPassword(host, e)} aria-busy=${host.busy ? 'true' : 'false'}>
      ${host.input('new-password', 'New password', 'password', 'new-password', { hint: PASSWORD_HINT })}
      ${host.input('confirm-password', 'Repeat the new password', 'password', 'new-password')}
      ${host.messages()}
      <button part="button" class="primary" type="submit" ?disabled=${host.busy}>${host.busy ? 'Saving…' : 'Set password and log in'}</button>
    </form>
  `;
}

export function renderSignedIn(host: LoginHost) {
  const me = host.portal!.me!;
  return html`
    <div class="who">
      <p class="signed-in-as" tabindex="-1" data-focus-after-signin>Logged in as <strong>${me.contact.name}</strong></p>
      <p class="muted">${me.contact.email} · ${me.company.name}</p>
      ${host.changing ? nothing : host.messages()}
      <div class="actions">
        <button part="button" class="secondary" type="button" ?disabled=${host.busy} @click=${() => onSignOut(host, false)}>
          ${host.running === 'sign-out' && host.busy ? 'Logging out…' : 'Log out'}
        </button>
        <button part="button" class="secondary" type="button" aria-expanded=${host.changing ? 'true' : 'false'} aria-controls="change"
          @click=${() => ((host.changing = !host.changing), host.reset())}>Change password</button>
        <button part="button" class="secondary" type="button" ?disabled=${host.busy} @click=${() => onSignOut(host, true)}>Log out everywhere</button>
      </div>
      ${host.changing
        ? html`
            <form id="change" class="account" part="form" novalidate @submit=${(e: SubmitEvent) => onChangePassword(host, e)} aria-labelledby="change-heading">
              <h3 id="change-heading">Change password</h3>
              ${host.input('current-password', 'Current password', 'password', 'current-password')}
              ${host.input('new-password', 'New password', 'password', 'new-password', { hint: PASSWORD_HINT })}
              ${host.messages()}
              <p class="hint">Your other devices will be logged out.</p>
              <button part="button" class="primary" type="submit" ?disabled=${host.busy}>${host.busy ? 'Saving…' : 'Save new password'}</button>
            </form>
          `
        : nothing}
    </div>
  `;
}

