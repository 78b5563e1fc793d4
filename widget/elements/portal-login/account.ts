/**
 * The parts of portal-login a visitor who only logs in never needs: the reset-link form, the
 * set-password form of an emailed link, and the signed-in view (account menu, change password,
 * log out here or everywhere). Loaded with `import()` by portal-login.ts (prefetched as soon as
 * the element shows), so they stay off the login path.
 */
import { css, html, nothing } from 'lit';
import { emit } from '../../events.js';
import { asApiError } from '../../ui/form.js';
import type { PortalLogin } from './portal-login.js';

type LoginHost = PortalLogin;

/** The styles of these views (portal-login adds them to its shadow root once this module is there). */
export const styles = css`
    .who {
      display: grid;
      gap: var(--portal-space);
    }
    .signed-in-as,
    .contact {
      margin: 0;
    }
    /* Signed in: a compact bar (logo, provider, who, actions) on every width, not a card. */
    .bar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem var(--portal-space);
      padding: 0.625rem var(--portal-space);
    }
    .bar .logo {
      max-height: 2rem;
    }
    .bar h2 {
      font-size: 1rem;
    }
    .bar .who {
      flex: 1 1 12rem;
      gap: 0;
      font-size: 0.9375rem;
    }
    .bar > :is(.error, .success) {
      flex: 1 1 100%;
    }
    .account-actions {
      position: relative;
    }
    .account-actions button {
      min-height: 2.25rem;
      padding: 0.25rem 0.75rem;
    }
    .menu-toggle::after {
      content: ' ▾' / '';
    }
    .menu {
      position: absolute;
      z-index: 2;
      inset-inline-end: 0;
      top: calc(100% + 0.25rem);
      margin: 0;
      padding: 0.25rem 0;
      list-style: none;
      min-width: 12rem;
      background: var(--portal-color-surface);
      border: 1px solid var(--portal-color-border);
      border-radius: var(--portal-radius);
      box-shadow: var(--portal-shadow);
    }
    .menu[hidden] {
      display: none;
    }
    .menu .link {
      width: 100%;
      text-align: start;
      padding: 0.5rem 0.875rem;
      text-decoration: none;
    }
    .menu .link:hover {
      background: var(--portal-color-surface-raised);
    }
    dialog {
      width: min(28rem, calc(100vw - 2rem));
      padding: calc(var(--portal-space) * 1.5);
      color: var(--portal-color-text);
      background: var(--portal-color-surface);
      border: 1px solid var(--portal-color-border);
      border-radius: var(--portal-radius);
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.45);
    }
    @media (max-width: 30rem) {
      .bar .email {
        display: none;
      }
    }
    .account {
      display: grid;
      gap: var(--portal-space);
    }
    .account p {
      margin: 0;
    }
`;

/** Server field names → the inputs of the password forms. */
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
    host.$<HTMLDialogElement>('dialog')?.close();
    host.dialog = null;
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
  if (done) host.dialog = null;
  host.menuOpen = false;
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

/** Opens or closes the account menu; closing it by key puts focus back on its button. */
function toggleMenu(host: LoginHost, open = !host.menuOpen, focusToggle = false): void {
  host.menuOpen = open;
  if (focusToggle) void host.updateComplete.then(() => host.$('button.menu-toggle')?.focus());
}

/** Opens one of the account dialogs (change password, log out everywhere). */
async function openDialog(host: LoginHost, which: 'change' | 'everywhere'): Promise<void> {
  host.reset();
  host.menuOpen = false;
  host.dialog = which;
  await host.updateComplete;
  const dialog = host.$<HTMLDialogElement>('dialog');
  if (dialog && !dialog.open) dialog.showModal();
  host.$<HTMLInputElement>('dialog input, dialog [autofocus]')?.focus();
}

/** The dialog closed (Cancel, Escape, or done): focus goes back to the account menu's button. */
function onDialogClose(host: LoginHost): void {
  if (!host.dialog) return;
  host.dialog = null;
  host.fieldErrors = {};
  void host.updateComplete.then(() => host.$('button.menu-toggle')?.focus());
}

function closeDialog(host: LoginHost): void {
  host.$<HTMLDialogElement>('dialog')?.close();
}

function onMenuKeydown(host: LoginHost, event: KeyboardEvent): void {
  if (event.key === 'Escape' && host.menuOpen) {
    event.stopPropagation();
    toggleMenu(host, false, true);
  }
}

function renderChangePassword(host: LoginHost) {
  return html`<form id="change" class="account" part="form" method="dialog" novalidate @submit=${(e: SubmitEvent) => onChangePassword(host, e)} aria-labelledby="change-heading">
    <h3 id="change-heading">Change password</h3>
    ${host.input('current-password', 'Current password', 'password', 'current-password')}
    ${host.input('new-password', 'New password', 'password', 'new-password', { hint: PASSWORD_HINT })}
    ${host.messages()}
    <p class="hint">Your other devices will be logged out.</p>
    <div class="actions">
      <button part="button" class="primary" type="submit" ?disabled=${host.busy}>${host.busy ? 'Saving…' : 'Save new password'}</button>
      <button part="button" class="secondary cancel" type="button" ?disabled=${host.busy} @click=${() => closeDialog(host)}>Cancel</button>
    </div>
  </form>`;
}

function renderConfirmEverywhere(host: LoginHost) {
  return html`<div class="account" role="group" aria-labelledby="everywhere-heading">
    <h3 id="everywhere-heading">Log out on every device?</h3>
    <p>You will be logged out here and on every other phone or computer where you are logged in.</p>
    ${host.messages()}
    <div class="actions">
      <button part="button" class="primary confirm-everywhere" type="button" autofocus ?disabled=${host.busy} @click=${() => onSignOut(host, true)}>
        ${host.busy ? 'Logging out…' : 'Log out everywhere'}
      </button>
      <button part="button" class="secondary cancel" type="button" ?disabled=${host.busy} @click=${() => closeDialog(host)}>Cancel</button>
    </div>
  </div>`;
}

export function renderSignedIn(host: LoginHost) {
  const me = host.portal!.me!;
  return html`
    <div class="who">
      <p class="signed-in-as" tabindex="-1" data-focus-after-signin>Logged in as <strong>${me.contact.name}</strong></p>
      <p class="muted contact"><span class="email">${me.contact.email} · </span>${me.company.name}</p>
    </div>
    <div class="actions account-actions" @keydown=${(e: KeyboardEvent) => onMenuKeydown(host, e)}>
      <button part="button" class="secondary" type="button" ?disabled=${host.busy} @click=${() => onSignOut(host, false)}>
        ${host.running === 'sign-out' && host.busy ? 'Logging out…' : 'Log out'}
      </button>
      <button part="button" class="secondary menu-toggle" type="button" aria-expanded=${host.menuOpen ? 'true' : 'false'} aria-controls="account-menu"
        @click=${() => toggleMenu(host)}>Account</button>
      <ul id="account-menu" class="menu" part="menu" ?hidden=${!host.menuOpen}>
        <li><button part="button" class="link" type="button" @click=${() => openDialog(host, 'change')}>Change password</button></li>
        <li><button part="button" class="link" type="button" ?disabled=${host.busy} @click=${() => openDialog(host, 'everywhere')}>Log out everywhere</button></li>
      </ul>
    </div>
    ${host.dialog ? nothing : host.messages()}
    ${host.dialog
      ? html`<dialog part="dialog" aria-labelledby=${host.dialog === 'change' ? 'change-heading' : 'everywhere-heading'} @close=${() => onDialogClose(host)}>
          ${host.dialog === 'change' ? renderChangePassword(host) : renderConfirmEverywhere(host)}
        </dialog>`
      : nothing}
  `;
}
