import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task, initialState } from '@lit/task';
import type { JobDetail, JobEvent } from '../../api/client.js';
import { portalContext, type PortalState } from '../../context.js';
import type { PortalEvent } from '../../events.js';
import { asApiError } from '../../ui/form.js';
import { JOB_STATUS_LABELS, JOB_STATUS_TONES, formatDate, formatDateTime } from '../../ui/format.js';
import { appointment, describeEvent } from '../../ui/times.js';
import { badge, failed, loading, notAllowed, offlineNote, reportError, DraftsController, reconnects } from '../../ui/states.js';
import { LiveController } from '../../live/controller.js';
import { loadJobMap } from '../../lazy.js';
import { styles } from './styles.js';
import type { Renders } from '../../define.js';
import { JobForm } from '../job-form/job-form.js';
import { AlertSettings } from '../alert-settings/alert-settings.js';

const WINDOW_LABELS = { morning: 'morning', afternoon: 'afternoon', any: 'any time' } as const;

/** "12 Mar 2026, morning · not before 9": the preferred day and time of day, then the notes. */
function whenSuits(job: JobDetail): string {
  const day = job.preferredDate ? formatDate(job.preferredDate) : '';
  const part = job.preferredWindow ? (day ? `${day}, ${WINDOW_LABELS[job.preferredWindow]}` : `Any day, ${WINDOW_LABELS[job.preferredWindow]}`) : day;
  return [part, job.preferredDates].filter(Boolean).join(' · ');
}

const validId = (id: unknown): id is number => Number.isSafeInteger(id) && (id as number) > 0;

const ACTORS: Record<JobEvent['actor'], string> = { customer: 'Customer', office: 'Office', system: 'System' };

/**
 * @tagname job-detail
 * @summary One job: its number, title, status, address, preferred dates, contact on site,
 * schedule, technician, description and timeline; with "Edit" (a job-form) where the contact
 * may change it, and "Alert me" (an alert-settings for the job) where alerts are on.
 *
 * A job the contact may not see, or that does not exist, shows "This job is not available".
 *
 * @fires portal-job-submit - From the inner job-form: cancelable, before changes are sent. `detail: { id, job }`.
 * @fires portal-job-updated - The changes were saved; the detail shows the job as saved. `detail: { job }`.
 * @fires portal-error - A request failed. `detail: { code, message, status, action }`.
 *
 * Live: when the office changes the job, its status, fields and timeline update in place (a
 * polite status message says what changed), unless its edit form is open.
 *
 * @csspart base - The card around the job.
 * @csspart heading - The job's number and title.
 * @csspart badge - The status badge.
 * @csspart fields - The list of the job's details.
 * @csspart description - The description.
 * @csspart timeline - The ordered list of what happened.
 * @csspart photos - The job's photos and files (a job-photos).
 * @csspart button - The Edit button.
 * @csspart error - An error message.
 *
 * @cssprop --job-detail-max-width - Width of the card (default 48rem).
 */
export class JobDetailElement extends LitElement {
  static override styles = styles;
  /** The elements it renders: defining this tag defines them too. */
  static renders: Renders = { 'job-form': JobForm, 'alert-settings': AlertSettings };

  /** Id of the job to show. */
  @property({ type: Number, attribute: 'job-id' }) jobId: number | null = null;
  /** Tiles of the job's small map (see job-map); empty or `none`: no tiles. */
  // No tiles unless the page sets them: inside customer-portal nothing passes its tile setting down,
  // and a provider page's CSP may not allow a tile server (then every tile is a console error).
  @property({ attribute: 'map-tile-url' }) mapTileUrl = '';
  /** True while the job's edit form is open. Reflected. */
  @property({ type: Boolean, reflect: true }) editing = false;

  @consume({ context: portalContext, subscribe: true })
  @state()
  protected portal?: PortalState;

  /** The job as last saved here; it replaces what was loaded. */
  @state() private saved: JobDetail | null = null;
  @state() private notice = '';
  /** What a live update changed, for screen readers (polite). */
  @state() private liveNote = '';
  /** True while the "Alert me" section (an alert-settings for this job) is open. */
  @state() private alerting = false;
  /** Where focus goes once there is something to put it on ("heading" or "edit"). */
  private pendingFocus: 'heading' | 'edit' | null = null;
  /** A live refresh is running; `refreshAgain`: another change came in meanwhile. */
  private refreshing = false;
  private refreshAgain = false;

  protected readonly live = new LiveController(this, () => this.portal?.live, {
    event: (e) => {
      if (e.type === 'job.updated' && e.data.job.id === this.jobId) void this.refresh();
    },
    reload: () => void this.refresh(),
  });

  /**
   * Reloads the job after a live change, keeping what is on screen until the new one is there
   * (no loading flash, focus kept). Changes arriving meanwhile cost one more load, not one each.
   */
  private async refresh(): Promise<void> {
    const client = this.portal?.client;
    const id = this.jobId;
    if (!client || !validId(id) || !this.job) return;
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = true;
    try {
      do {
        this.refreshAgain = false;
        const before = this.job;
        const job = await client.getJob(id);
        if (this.jobId !== id) return;
        this.saved = job;
        if (before && before.status !== job.status) this.liveNote = `Status: ${JOB_STATUS_LABELS[job.status] ?? job.status}.`;
        else if (before && job.timeline.length > before.timeline.length) this.liveNote = `New on the timeline: ${job.timeline.at(-1)!.message}`;
      } while (this.refreshAgain);
    } catch (error) {
      reportError(this, this.portal, 'load-job', error);
    } finally {
      this.refreshing = false;
    }
  }

  // No drafts of its own: renders again when the offline state changes (the banner).
  protected readonly offline = new DraftsController(this, () => this.portal, null);
  private readonly jobTask = new Task(this, {
    task: async ([client, signedIn, jobId, access], { signal }) => {
      if (!client || !signedIn || !validId(jobId) || access === 'none') return initialState;
      try {
        return await client.getJob(jobId, signal);
      } catch (error) {
        reportError(this, this.portal, 'load-job', error);
        throw error;
      }
    },
    args: () => [this.portal?.client, this.portal?.status === 'signed-in', this.jobId, this.portal?.me?.permissions.jobs, reconnects(this.portal)] as const,
  });

  /** The job shown: as saved here, else as loaded. */
  get job(): JobDetail | null {
    const loaded = this.jobTask.value;
    if (this.saved && this.saved.id === this.jobId) return this.saved;
    return loaded && loaded.id === this.jobId ? loaded : null;
  }

  /**
   * Puts focus on the job's heading (or on what shows instead: loading is waited for), e.g.
   * after a list opened this job.
   */
  focusHeading(): void {
    this.pendingFocus = 'heading';
    this.requestUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('jobId') && changed.get('jobId') !== undefined) {
      this.saved = null;
      this.editing = false;
      this.alerting = false;
      this.notice = '';
    }
  }

  protected override updated(): void {
    if (!this.pendingFocus) return;
    const target =
      this.pendingFocus === 'edit' ? this.$('button.edit') : this.$('[data-focus-target]');
    if (target) {
      target.focus();
      this.pendingFocus = null;
    }
  }

  private $(selector: string): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(selector);
  }

  private async openEditor(): Promise<void> {
    this.notice = '';
    this.editing = true;
    await this.updateComplete;
    const form = this.$('job-form') as HTMLElementTagNameMap['job-form'] | null;
    await form?.updateComplete;
    form?.focus();
  }

  private closeEditor(focus: 'heading' | 'edit'): void {
    this.editing = false;
    this.pendingFocus = focus;
  }

  private onUpdated(event: PortalEvent<'portal-job-updated'>): void {
    this.saved = event.detail.job;
    this.notice = 'Your changes are saved.';
    this.closeEditor('heading');
  }

  /** The provider offers alerts and this contact may use them. */
  private get alertsOn(): boolean {
    const me = this.portal?.me;
    return !!me && me.permissions.alerts && me.provider.features.alerts;
  }

  private field(label: string, value: unknown, empty = 'Not given') {
    const text = typeof value === 'string' ? value : '';
    return html`<div class="pair"><dt>${label}</dt><dd class=${text ? '' : 'muted'}>${text || empty}</dd></div>`;
  }

  private renderTimeline(events: JobEvent[]) {
    if (!events.length) return html`<p class="muted">Nothing has happened yet.</p>`;
    return html`
      <ol part="timeline" class="timeline">
        ${events.map(
          (e) => html`<li>
            <time datetime=${e.at}>${formatDateTime(e.at)}</time>
            <span class="what">${describeEvent(e, this.portal?.config?.timeZone)}</span>
            <span class="who">by ${ACTORS[e.actor] ?? e.actor}</span>
          </li>`,
        )}
      </ol>
    `;
  }

  /** A small map while the job is under way (job-map shows nothing when the job has no coordinates). */
  private renderMap(job: JobDetail) {
    const me = this.portal?.me;
    const started = job.status === 'on_the_way' || job.status === 'in_progress';
    if (!started || !me?.permissions.map || !me.provider.features.map) return nothing;
    void loadJobMap().catch(() => undefined); // job-map's code (and Leaflet's) comes when a map is first drawn
    return html`<job-map job-id=${job.id} tile-url=${this.mapTileUrl}></job-map>`;
  }

  private renderJob(job: JobDetail) {
    if (this.editing) {
      return html`<job-form
        .jobId=${job.id}
        .job=${job}
        .onclose=${() => this.closeEditor('edit')}
        @portal-job-updated=${this.onUpdated}
      ></job-form>`;
    }
    return html`
      <section part="base" class="card" aria-labelledby="heading">
        <div class="head">
          <h2 id="heading" part="heading" tabindex="-1" data-focus-target>
            <span class="number">${job.number}</span> ${job.title}
          </h2>
          ${badge(JOB_STATUS_LABELS[job.status] ?? job.status, JOB_STATUS_TONES[job.status] ?? 'neutral')}
        </div>
        ${this.notice ? html`<p class="success" role="status">${this.notice}</p>` : nothing}
        ${job.canEdit
          ? html`<button part="button" class="secondary edit" type="button" @click=${this.openEditor}>Edit</button>`
          : nothing}
        ${this.alertsOn
          ? html`<button part="button" class="secondary alert-me" type="button" aria-expanded=${this.alerting ? 'true' : 'false'} aria-controls="job-alerts"
              @click=${() => (this.alerting = !this.alerting)}>Alert me</button>`
          : nothing}
        ${this.alerting && this.alertsOn ? html`<alert-settings id="job-alerts" .jobId=${job.id}></alert-settings>` : nothing}
        <dl part="fields" class="fields">
          ${this.field('Job number', job.number)} ${this.field('Status', JOB_STATUS_LABELS[job.status] ?? job.status)}
          ${this.field('Address', job.address)} ${this.field('When suits you', whenSuits(job))}
          ${this.field('Contact on site', job.siteContact)}
          ${this.field('Appointment', appointment(job.scheduledStart, job.scheduledEnd, this.portal?.config?.timeZone), 'Not scheduled yet')}
          ${this.field('Technician', job.technician, 'Not assigned yet')}
        </dl>
        <h3>Description</h3>
        <p part="description" class="description ${job.description ? '' : 'muted'}">${job.description || 'No description.'}</p>
        ${this.renderMap(job)}
        <h3>Timeline</h3>
        ${this.renderTimeline(job.timeline)}
        <job-photos part="photos" .jobId=${job.id}></job-photos>
      </section>
    `;
  }

  private notAvailable() {
    return html`<p class="state empty not-available" role="status" tabindex="-1" data-focus-target>
      This job is not available. It may have been removed, or your account cannot see it.
    </p>`;
  }

  private renderBody() {
    const portal = this.portal;
    if (!portal || portal.status === 'loading') return loading();
    if (portal.status !== 'signed-in' || !portal.me) return html`<p class="state">Log in to see this job.</p>`;
    if (portal.me.permissions.jobs === 'none') return notAllowed('jobs');
    if (this.jobId === null || this.jobId === undefined) return html`<p class="state">No job chosen.</p>`;
    if (!validId(this.jobId)) return this.notAvailable();
    const job = this.job;
    if (job) return this.renderJob(job);
    return this.jobTask.render({
      initial: () => loading('Loading the job…'),
      pending: () => loading('Loading the job…'),
      complete: () => loading('Loading the job…'),
      error: (error) => {
        const e = asApiError(error);
        return e.status === 404
          ? this.notAvailable()
          : html`<div tabindex="-1" data-focus-target>${failed(e.message, () => void this.jobTask.run())}</div>`;
      },
    });
  }

  override render() {
    return html`${offlineNote(this.portal)}${this.renderBody()}<p class="visually-hidden live-note" role="status">${this.liveNote}</p>`;
  }
}
