/**
 * The "Where alerts go" part of alert-settings: the contact's addresses and phones, adding one
 * (an email gets a confirmation link, a phone a code), entering the code, asking again after
 * the cooldown, a test message, removing. It keeps its own form state and tells its host what
 * changed; the host owns the list (it reloads it) and fires the events.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { AlertDestination, AlertsOverview, PortalClient } from '../../api/client.js';
import * as api from '../../api/alerts.js';
import { asApiError, field } from '../../ui/form.js';
import { badge } from '../../ui/states.js';
import { STATUS_LABELS, destinationLabel, secondsUntil } from './labels.js';

export interface DestinationsHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly client: PortalClient | undefined;
  /** A request failed: report it (portal-error) and return the message to show. */
  failure(action: string, error: unknown): string;
  /** The list changed on the server: reload it, and say `notice`. */
  changed(notice: string, verified?: AlertDestination): Promise<void>;
}

const PHONE = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class Destinations implements ReactiveController {
  /** Which add form is open. */
  adding: 'email' | 'sms' | null = null;
  private error: Record<string, string> = {};
  private busy = false;
  private codes = new Map<number, string>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly host: DestinationsHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stopTicking();
  }

  /** Re-renders every second while a cooldown counts down, so the wait shown stays true. */
  private tickWhileCooling(list: AlertDestination[]): void {
    const cooling = list.some((d) => d.status === 'pending' && secondsUntil(d.resendAt) > 0);
    if (cooling && !this.timer) this.timer = setInterval(() => this.host.requestUpdate(), 1000);
    if (!cooling) this.stopTicking();
  }

  private stopTicking(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async run(action: string, key: string, work: (c: PortalClient) => Promise<string>, verified?: (c: PortalClient) => Promise<AlertDestination>): Promise<void> {
    const client = this.host.client;
    if (!client || this.busy) return;
    this.busy = true;
    this.error = {};
    this.host.requestUpdate();
    try {
      if (verified) {
        const d = await verified(client);
        await this.host.changed(`${destinationLabel(d)} is verified.`, d);
      } else {
        await this.host.changed(await work(client));
      }
    } catch (error) {
      const e = asApiError(error);
      const wait = e.retryAfter ? ` (wait ${e.retryAfter} s)` : '';
      this.error = { [key]: `${this.host.failure(action, error)}${wait}` };
    } finally {
      this.busy = false;
      this.host.requestUpdate();
      await this.host.updateComplete;
      if (this.error[key]) this.host.renderRoot.querySelector<HTMLElement>(`[aria-describedby~="${key}-error"], #${key}`)?.focus();
    }
  }

  private open(kind: 'email' | 'sms'): void {
    this.adding = kind;
    this.error = {};
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>('#new-address')?.focus());
  }

  private add(event: SubmitEvent): void {
    event.preventDefault();
    const kind = this.adding;
    if (!kind) return;
    const address = String(new FormData(event.target as HTMLFormElement).get('new-address') ?? '').trim();
    const wrong = kind === 'sms' ? !PHONE.test(address) && 'Enter the number in international form, like +15551234567.' : !EMAIL.test(address) && 'Enter an email address like you@example.com.';
    if (wrong) {
      this.error = { 'new-address': wrong };
      this.host.requestUpdate();
      void this.host.updateComplete.then(() => this.host.renderRoot.querySelector<HTMLElement>('#new-address')?.focus());
      return;
    }
    void this.run('add-alert-destination', 'new-address', async (c) => {
      await api.addAlertDestination(c, { channel: kind, address });
      this.adding = null;
      return kind === 'sms' ? `We sent a code to ${address}. Enter it below.` : `We sent a confirmation link to ${address}.`;
    });
  }

  private verify(event: SubmitEvent, d: AlertDestination): void {
    event.preventDefault();
    const key = `code-${d.id}`;
    const code = (this.codes.get(d.id) ?? '').trim();
    if (!/^\d{6}$/.test(code)) {
      this.error = { [key]: 'Enter the 6 digits we sent.' };
      this.host.requestUpdate();
      return;
    }
    void this.run('verify-phone', key, async () => '', (c) => api.verifyPhone(c, d.id, code));
  }

  private renderItem(d: AlertDestination, offered: string[]) {
    const wait = secondsUntil(d.resendAt);
    const key = `code-${d.id}`;
    const tone = d.status === 'verified' ? 'success' : d.status === 'pending' ? 'warning' : 'neutral';
    return html`<li class="destination" data-id=${d.id}>
      <span class="what">${destinationLabel(d)}</span> ${badge(STATUS_LABELS[d.status], tone)}
      ${!offered.includes(d.channel) ? html`<span class="hint">Your provider does not send alerts by ${d.channel === 'sms' ? 'SMS' : 'email'} now.</span>` : nothing}
      ${d.status === 'pending' && d.channel === 'sms'
        ? html`<form class="inline" novalidate aria-label="Verify ${d.address}" @submit=${(e: SubmitEvent) => this.verify(e, d)}>
            ${field({
              name: key,
              label: `Code sent to ${d.address}`,
              autocomplete: 'one-time-code',
              value: this.codes.get(d.id) ?? '',
              error: this.error[key],
              disabled: this.busy,
              onInput: (e) => this.codes.set(d.id, (e.target as HTMLInputElement).value),
            })}
            <button part="button" class="primary" type="submit" ?disabled=${this.busy}>Verify</button>
          </form>`
        : nothing}
      <div class="actions">
        ${d.status === 'pending'
          ? html`<button part="button" class="secondary resend" type="button" ?disabled=${this.busy || wait > 0}
              @click=${() => void this.run('resend-verification', key, async (c) => (await api.resendVerification(c, d.id), d.channel === 'sms' ? 'We sent a new code.' : 'We sent the link again.'))}>
              ${d.channel === 'sms' ? 'Send a new code' : 'Send the link again'}${wait > 0 ? ` (in ${wait} s)` : ''}
            </button>`
          : nothing}
        ${d.status === 'verified'
          ? html`<button part="button" class="secondary test" type="button" ?disabled=${this.busy}
              @click=${() => void this.run('send-test-alert', key, async (c) => (await api.sendTestAlert(c, d.id), `A test alert is on its way to ${d.address}.`))}>Send me a test</button>`
          : nothing}
        ${d.status === 'opted_out' && d.channel === 'email'
          ? html`<button part="button" class="secondary" type="button" ?disabled=${this.busy}
              @click=${() => void this.run('resume-alert-destination', key, async (c) => (await api.resumeAlertDestination(c, d.id), `Alerts to ${d.address} are on again.`))}>Turn back on</button>`
          : nothing}
        ${d.status === 'opted_out' && d.channel === 'sms' ? html`<span class="hint">You sent STOP from this phone. Send START to it to receive SMS again.</span>` : nothing}
        ${d.login
          ? nothing
          : html`<button part="button" class="secondary remove" type="button" aria-label="Remove ${d.address}" ?disabled=${this.busy}
              @click=${() => void this.run('remove-alert-destination', key, async (c) => (await api.removeAlertDestination(c, d.id), `${d.address} was removed.`))}>Remove</button>`}
      </div>
      ${this.error[key] && !(d.status === 'pending' && d.channel === 'sms') ? html`<p class="field-error" role="alert">${this.error[key]}</p>` : nothing}
    </li>`;
  }

  render(o: AlertsOverview) {
    this.tickWhileCooling(o.destinations);
    const offered = o.offer.channels as string[];
    return html`<section class="group" aria-labelledby="destinations-heading">
      <h3 id="destinations-heading">Where alerts go</h3>
      <ul part="destinations" class="destinations">${o.destinations.map((d) => this.renderItem(d, offered))}</ul>
      ${this.adding
        ? html`<form part="form" class="inline add" novalidate aria-label=${this.adding === 'sms' ? 'Add a phone' : 'Add an email address'} @submit=${(e: SubmitEvent) => this.add(e)}>
            ${field({
              name: 'new-address',
              label: this.adding === 'sms' ? 'Mobile number (international, like +15551234567)' : 'Email address',
              type: this.adding === 'sms' ? 'tel' : 'email',
              autocomplete: this.adding === 'sms' ? 'tel' : 'email',
              error: this.error['new-address'],
              disabled: this.busy,
            })}
            <div class="actions">
              <button part="button" class="primary" type="submit" ?disabled=${this.busy}>${this.adding === 'sms' ? 'Send code' : 'Send confirmation link'}</button>
              <button part="button" class="secondary" type="button" ?disabled=${this.busy} @click=${() => ((this.adding = null), this.host.requestUpdate())}>Cancel</button>
            </div>
          </form>`
        : html`<div class="actions">
            ${offered.includes('email') ? html`<button part="button" class="secondary add-email" type="button" @click=${() => this.open('email')}>Add an email address</button>` : nothing}
            ${offered.includes('sms') ? html`<button part="button" class="secondary add-phone" type="button" @click=${() => this.open('sms')}>Add a phone for SMS</button>` : nothing}
          </div>`}
    </section>`;
  }
}
