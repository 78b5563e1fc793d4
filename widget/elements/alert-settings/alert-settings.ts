import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task, TaskStatus, initialState } from '@lit/task';
import type { Alert, AlertCreateRequest, AlertDestination, AlertEvent, AlertPreview, AlertsOverview, AlertUpdateRequest, PortalClient } from '../../api/client.js';
import * as api from '../../api/alerts.js';
import { portalContext, type PortalState } from '../../context.js';
import { emit } from '../../events.js';
import { asApiError } from '../../ui/form.js';
import { badge, empty, failed, loading, notAllowed, offlineNote, reportError } from '../../ui/states.js';
import { Destinations, type DestinationsHost } from './destinations.js';
import { EVENT_LABELS, destinationLabel } from './labels.js';
import { styles } from './styles.js';

interface Draft {
  id: number | null;
  jobId: number | null;
  events: Set<AlertEvent>;
  destinationIds: Set<number>;
  reminderHours: number;
}

/**
 * @tagname alert-settings
 * @summary The contact's job alerts: which events (booked, start reminder N hours before,
 * technician on the way, started, completed, quote ready) go to which of their email addresses
 * and phones, for all their jobs or one; create, edit, pause and delete; confirm extra addresses
 * (link) and phones (code, with a resend cooldown); preview a message as it will be sent; send a
 * test. Shows only what the provider offers, and nothing when alerts are off for the contact.
 *
 * @fires portal-alert-save - Cancelable, before an alert is created (`id` null) or changed (also pause and resume). `detail: { id, alert }`.
 * @fires portal-alert-saved - An alert was saved. `detail: { alert, created }`.
 * @fires portal-alert-deleted - An alert was deleted. `detail: { id }`.
 * @fires portal-phone-verified - A phone was verified with its code. `detail: { destination }`.
 * @fires portal-error - A request failed. `detail: { code, message, status, action }`.
 *
 * @csspart base - The card around everything.
 * @csspart list - The list of alerts.
 * @csspart destinations - The list of addresses and phones.
 * @csspart form - The alert form and the add-address form.
 * @csspart preview - The message preview.
 * @csspart button - Every button.
 * @csspart badge - Status badges.
 * @csspart notice - Confirmations.
 * @csspart error - An error message.
 *
 * @cssprop --alert-settings-max-width - Width of the card (default 44rem).
 */
export class AlertSettings extends LitElement implements DestinationsHost {
  static override styles = styles;

  /** Show the alerts of this job (and those for all jobs), and set up new ones for it. */
  @property({ type: Number, attribute: 'job-id' }) jobId: number | null = null;
  @property() heading = 'Job alerts';
  /** True while a request is running. Reflected. */
  @property({ type: Boolean, reflect: true }) busy = false;

  @consume({ context: portalContext, subscribe: true })
  @state()
  protected portal?: PortalState;

  @state() private overview: AlertsOverview | null = null;
  @state() private draft: Draft | null = null;
  @state() private preview: AlertPreview | null = null;
  @state() private notice = '';
  @state() private formError = '';
  @state() private loadError = '';
  private readonly destinations = new Destinations(this);
  private focusAfter = '';

  private readonly task = new Task(this, {
    task: async ([client, allowed], { signal }): Promise<AlertsOverview | typeof initialState> => {
      if (!client || !allowed) return initialState;
      return api.alerts(client, signal);
    },
    args: () => [this.portal?.status === 'signed-in' ? this.portal.client : undefined, this.allowed, this.portal?.me?.contact.id] as const,
    onComplete: (o) => {
      this.overview = o;
      this.loadError = '';
    },
    onError: (error) => {
      this.loadError = reportError(this, this.portal, 'load-alerts', error) ?? '';
    },
  });

  get client(): PortalClient | undefined {
    return this.portal?.client;
  }

  /** Alerts are on for the provider and for this contact. */
  private get allowed(): boolean {
    const me = this.portal?.me;
    return !!me && me.permissions.alerts && me.provider.features.alerts;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('portal') && this.portal?.status !== 'signed-in') {
      this.overview = null;
      this.draft = null;
    }
  }

  protected override updated(): void {
    if (!this.focusAfter) return;
    this.renderRoot.querySelector<HTMLElement>(this.focusAfter)?.focus();
    this.focusAfter = '';
  }

  failure(action: string, error: unknown): string {
    return reportError(this, this.portal, action, error) ?? asApiError(error).message;
  }

  async changed(notice: string, verified?: AlertDestination): Promise<void> {
    if (verified) emit(this, 'portal-phone-verified', { destination: verified });
    await this.reload();
    this.notice = notice;
  }

  private async reload(): Promise<void> {
    const client = this.client;
    if (client) this.overview = await api.alerts(client);
  }

  /** Opens the form for a new alert (for `jobId` when set) or to edit one. */
  openForm(alert?: Alert): void {
    const o = this.overview;
    if (!o) return;
    const usable = o.destinations.filter((d) => d.status === 'verified' && o.offer.channels.includes(d.channel));
    this.draft = alert
      ? { id: alert.id, jobId: alert.jobId, events: new Set(alert.events), destinationIds: new Set(alert.destinationIds), reminderHours: alert.reminderHours ?? o.offer.reminderHours.min }
      : { id: null, jobId: this.jobId, events: new Set(), destinationIds: new Set(usable.slice(0, 1).map((d) => d.id)), reminderHours: Math.min(Math.max(24, o.offer.reminderHours.min), o.offer.reminderHours.max) };
    this.preview = null;
    this.formError = this.notice = '';
    this.focusAfter = '#alert-form-heading';
  }

  private closeForm(notice = ''): void {
    this.draft = null;
    this.notice = notice;
    this.focusAfter = 'button.new';
  }

  private toggle<T>(set: Set<T>, value: T, on: boolean): void {
    if (on) set.add(value);
    else set.delete(value);
    this.preview = null;
    this.requestUpdate();
  }

  /** Sends a create or update; `before` is the cancelable event's answer. */
  private async save(id: number | null, alert: AlertCreateRequest | AlertUpdateRequest, notice: string): Promise<boolean> {
    const client = this.client;
    if (!client || this.busy) return false;
    if (!emit(this, 'portal-alert-save', { id, alert }, { cancelable: true })) return false;
    this.busy = true;
    try {
      const saved = id === null ? await api.createAlert(client, alert as AlertCreateRequest) : await api.updateAlert(client, id, alert);
      emit(this, 'portal-alert-saved', { alert: saved, created: id === null });
      await this.reload();
      this.notice = notice;
      return true;
    } catch (error) {
      const e = asApiError(error);
      this.formError = [this.failure(id === null ? 'create-alert' : 'update-alert', error), ...Object.entries(e.fields).map(([k, v]) => `${k}: ${v}`)].join(' ');
      this.focusAfter = this.draft ? 'form [role=alert]' : '[part=error]';
      return false;
    } finally {
      this.busy = false;
    }
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const d = this.draft;
    if (!d) return;
    if (!d.events.size || !d.destinationIds.size) {
      this.formError = !d.events.size ? 'Choose at least one event.' : 'Choose where to send the alert.';
      this.focusAfter = 'form [role=alert]';
      return;
    }
    const events = [...d.events];
    const body = { events, destinationIds: [...d.destinationIds], reminderHours: d.events.has('start_reminder') ? d.reminderHours : null };
    const ok = d.id === null ? await this.save(null, { ...body, jobId: d.jobId }, 'Your alert is set up.') : await this.save(d.id, body, 'Your alert is saved.');
    if (ok) this.closeForm(this.notice);
  }

  private async deleteAlert(alert: Alert): Promise<void> {
    const client = this.client;
    if (!client || this.busy) return;
    this.busy = true;
    try {
      await api.deleteAlert(client, alert.id);
      emit(this, 'portal-alert-deleted', { id: alert.id });
      await this.reload();
      this.notice = 'The alert was deleted.';
      this.focusAfter = 'button.new';
    } catch (error) {
      this.formError = this.failure('delete-alert', error);
    } finally {
      this.busy = false;
    }
  }

  private async showPreview(): Promise<void> {
    const d = this.draft;
    const o = this.overview;
    if (!d || !o || !this.client) return;
    const event = [...d.events][0] ?? o.offer.events[0];
    const dest = o.destinations.find((x) => d.destinationIds.has(x.id));
    if (!event) return;
    try {
      this.preview = await api.previewAlert(this.client, { event, channel: dest?.channel ?? 'email', ...(d.jobId ? { jobId: d.jobId } : {}) });
    } catch (error) {
      this.formError = this.failure('preview-alert', error);
    }
  }

  private renderAlert(a: Alert, o: AlertsOverview) {
    const to = a.destinationIds.map((id) => o.destinations.find((d) => d.id === id)).filter((d): d is AlertDestination => !!d);
    const events = a.events.map((e) => (e === 'start_reminder' ? `${a.reminderHours} h before the start` : EVENT_LABELS[e])).join(', ');
    const name = a.jobId ? `Job ${a.jobNumber ?? a.jobId}` : 'All my jobs';
    return html`<li class="alert" data-id=${a.id}>
      <p class="what"><strong>${name}</strong>: ${events} ${a.paused ? badge('Paused', 'neutral') : nothing}</p>
      <p class="to">To ${to.length ? to.map(destinationLabel).join(', ') : 'nowhere (its addresses were removed)'}</p>
      <div class="actions">
        <button part="button" class="secondary edit" type="button" aria-label="Edit alert: ${name}" ?disabled=${this.busy} @click=${() => this.openForm(a)}>Edit</button>
        <button part="button" class="secondary pause" type="button" aria-label="${a.paused ? 'Resume' : 'Pause'} alert: ${name}" ?disabled=${this.busy}
          @click=${() => void this.save(a.id, { paused: !a.paused }, a.paused ? 'The alert is on again.' : 'The alert is paused.')}>${a.paused ? 'Resume' : 'Pause'}</button>
        <button part="button" class="secondary delete" type="button" aria-label="Delete alert: ${name}" ?disabled=${this.busy} @click=${() => void this.deleteAlert(a)}>Delete</button>
      </div>
    </li>`;
  }

  private renderForm(d: Draft, o: AlertsOverview) {
    const events = o.offer.events.filter((e) => !(d.jobId && e === 'quote_ready'));
    const channels = o.offer.channels as string[];
    return html`<form part="form" class="alert-form" novalidate aria-labelledby="alert-form-heading" aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.onSubmit}>
      <h3 id="alert-form-heading" tabindex="-1">${d.id === null ? 'New alert' : 'Edit alert'}${d.jobId ? html` <span class="muted">for this job</span>` : nothing}</h3>
      <fieldset>
        <legend>Tell me when</legend>
        ${events.map((e) => html`<label class="check"><input type="checkbox" name="event" value=${e} .checked=${d.events.has(e)} ?disabled=${this.busy}
          @change=${(ev: Event) => this.toggle(d.events, e, (ev.target as HTMLInputElement).checked)} /> ${EVENT_LABELS[e]}</label>`)}
      </fieldset>
      ${d.events.has('start_reminder')
        ? html`<div class="field">
            <label for="reminder-hours">Hours before the start (${o.offer.reminderHours.min} to ${o.offer.reminderHours.max})</label>
            <input part="input" id="reminder-hours" type="number" inputmode="numeric" min=${o.offer.reminderHours.min} max=${o.offer.reminderHours.max} .value=${String(d.reminderHours)} ?disabled=${this.busy}
              @input=${(ev: Event) => ((d.reminderHours = Number((ev.target as HTMLInputElement).value)), (this.preview = null))} />
          </div>`
        : nothing}
      <fieldset>
        <legend>Send to</legend>
        ${o.destinations.map((x) => {
          const usable = x.status === 'verified' && channels.includes(x.channel);
          return html`<label class="check"><input type="checkbox" name="destination" value=${x.id} .checked=${d.destinationIds.has(x.id)} ?disabled=${this.busy || (!usable && !d.destinationIds.has(x.id))}
            @change=${(ev: Event) => this.toggle(d.destinationIds, x.id, (ev.target as HTMLInputElement).checked)} /> ${destinationLabel(x)}${usable ? nothing : html` <span class="hint">(not confirmed or turned off)</span>`}</label>`;
        })}
      </fieldset>
      ${this.formError ? html`<p part="error" class="error" role="alert" tabindex="-1">${this.formError}</p>` : nothing}
      <div class="actions">
        <button part="button" class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Saving…' : 'Save alert'}</button>
        <button part="button" class="secondary preview-button" type="button" ?disabled=${this.busy} @click=${() => void this.showPreview()}>Preview</button>
        <button part="button" class="secondary" type="button" ?disabled=${this.busy} @click=${() => this.closeForm()}>Cancel</button>
      </div>
      <div aria-live="polite">${this.preview ? this.renderPreview(this.preview) : nothing}</div>
    </form>`;
  }

  private renderPreview(p: AlertPreview) {
    const logo = this.portal?.logoUrl;
    return html`<figure part="preview" class="preview">
      <figcaption>${p.channel === 'sms' ? 'SMS' : 'Email'} as it will be sent</figcaption>
      <div class="brand">${logo ? html`<img src=${logo} alt="" />` : nothing}<span>${this.portal?.config?.name ?? this.portal?.me?.provider.name ?? ''}</span></div>
      ${p.channel === 'email' ? html`<p class="subject"><strong>${p.subject}</strong></p>` : nothing}
      <p class="text">${p.text}</p>
    </figure>`;
  }

  private renderBody() {
    const portal = this.portal;
    if (!portal || portal.status === 'loading') return loading();
    if (portal.status !== 'signed-in') return html`<p class="state">Log in to set up alerts.</p>`;
    if (!this.allowed) return notAllowed('alerts');
    if (this.task.status === TaskStatus.ERROR && !this.overview) return failed(this.loadError || 'Your alerts could not be loaded.', () => void this.task.run());
    const o = this.overview;
    if (!o) return loading('Loading your alerts…');
    const alerts = o.subscriptions.filter((a) => this.jobId === null || a.jobId === null || a.jobId === this.jobId);
    return html`
      <section class="group" aria-labelledby="alerts-heading">
        <h3 id="alerts-heading">${this.jobId === null ? 'Your alerts' : 'Alerts for this job'}</h3>
        ${alerts.length ? html`<ul part="list" class="alerts">${alerts.map((a) => this.renderAlert(a, o))}</ul>` : empty('No alerts yet.')}
        ${!this.draft && this.formError ? html`<p part="error" class="error" role="alert" tabindex="-1">${this.formError}</p>` : nothing}
        ${this.draft ? this.renderForm(this.draft, o) : html`<button part="button" class="primary new" type="button" @click=${() => this.openForm()}>${this.jobId === null ? 'New alert' : 'Alert me about this job'}</button>`}
      </section>
      ${this.destinations.render(o)}
    `;
  }

  override render() {
    return html`<section part="base" class="card base" aria-labelledby="heading">
      <h2 id="heading">${this.heading}</h2>
      ${offlineNote(this.portal)}
      <p part="notice" class="success" role="status">${this.notice}</p>
      ${this.renderBody()}
    </section>`;
  }
}
