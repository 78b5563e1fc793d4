import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { consume } from '@lit/context';
import { Task, initialState } from '@lit/task';
import type { JobCreateRequest, JobDetail, JobUpdateRequest } from '../../api/client.js';
import { portalContext, type PortalState } from '../../context.js';
import { emit } from '../../events.js';
import { asApiError, escapeCloses, field, focusFirstInvalid, textareaField } from '../../ui/form.js';
import { JOB_STATUS_LABELS } from '../../ui/format.js';
import { failed, loading, notAllowed, offlineNote, reportError } from '../../ui/states.js';
import { styles } from './styles.js';
import { LIMITS } from '../../../server/contract.js';

type JobField = 'title' | 'description' | 'address' | 'preferredDates' | 'siteContact';
type JobValues = Record<JobField, string>;

interface FieldSpec {
  name: JobField;
  label: string;
  max: number;
  /** The message when a required field is left empty. */
  required?: string;
  multiline?: boolean;
  hint?: string;
}

/** The fields, with the server's limits. */
const FIELDS: FieldSpec[] = [
  { name: 'title', label: 'What needs doing', max: LIMITS.title, required: 'Say what needs doing.' },
  { name: 'description', label: 'Description', max: LIMITS.description, multiline: true, hint: 'Anything that helps: what happened, where exactly, how to get in.' },
  { name: 'address', label: 'Address', max: LIMITS.address, required: 'Enter the address where the work is.' },
  { name: 'preferredDates', label: 'Notes on timing', max: LIMITS.preferredDates, hint: 'For example: not before 9, or call half an hour ahead.' },
  { name: 'siteContact', label: 'Contact on site', max: LIMITS.siteContact, hint: 'Who lets the technician in, and how to reach them.' },
];

type PreferredWindow = NonNullable<JobDetail['preferredWindow']>;
export const WINDOWS: { value: PreferredWindow; label: string }[] = [
  { value: 'any', label: 'Any time' },
  { value: 'morning', label: 'Morning' },
  { value: 'afternoon', label: 'Afternoon' },
];

/** YYYY-MM-DD of a day in the viewer's zone (what a date input shows). */
const localDay = (d: Date): string => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

const validId = (id: unknown): id is number => Number.isSafeInteger(id) && (id as number) > 0;

const EMPTY: JobValues = { title: '', description: '', address: '', preferredDates: '', siteContact: '' };
const CLOSED = new Set(['completed', 'cancelled']);

const valuesOf = (job: JobDetail): JobValues => ({
  title: job.title,
  description: job.description,
  address: job.address,
  preferredDates: job.preferredDates,
  siteContact: job.siteContact,
});

/**
 * Required fields and maximum lengths on trimmed text, as the server counts them. Control
 * characters are left to the server, whose answer shows next to the field like any other.
 */
function check(values: JobValues): Partial<Record<JobField, string>> {
  const errors: Partial<Record<JobField, string>> = {};
  for (const f of FIELDS) {
    const v = values[f.name].trim();
    if (f.required && !v) errors[f.name] = f.required;
    else if (v.length > f.max) errors[f.name] = `Use at most ${f.max} characters (now ${v.length}).`;
  }
  return errors;
}

/** "What needs doing must be at most 200 characters.": the server's message with our label. */
function serverMessage(name: string, message: string): string {
  const label = FIELDS.find((f) => f.name === name)?.label;
  return label ? `${label} ${message}.` : message;
}

/**
 * @tagname job-form
 * @summary Ask for a new job (no `job-id`), or change one (`job-id`): what needs doing, a
 * description, the address, when suits, and who is on site. In edit mode only the changed
 * fields are sent.
 *
 * The server has the last word: its refusals (a field it does not accept, 403 not allowed,
 * 409 the job is closed) show in the form.
 *
 * @fires portal-job-submit - Cancelable, before anything is sent. `detail: { id, job }` (`id` null when
 * creating; `job` the whole request, or only the changed fields). Cancel to send it yourself: nothing is sent.
 * @fires portal-job-created - The job was created. `detail: { job }`.
 * @fires portal-job-updated - The changes were saved. `detail: { job }`.
 * @fires portal-error - A request failed. `detail: { code, message, status, action }`.
 *
 * @csspart base - The card around the form.
 * @csspart form - The form.
 * @csspart input - Each text input and text area.
 * @csspart button - The submit and cancel buttons.
 * @csspart error - The error message.
 * @csspart notice - A confirmation message.
 *
 * @cssprop --job-form-max-width - Width of the form (default 40rem).
 */
export class JobForm extends LitElement {
  static override styles = styles;

  /** The job to change; absent (null) to ask for a new one. */
  @property({ type: Number, attribute: 'job-id' }) jobId: number | null = null;
  /** The job to change, if the page already has it (saves a request); its `id` must be `jobId`. */
  @property({ attribute: false }) job: JobDetail | null = null;
  /**
   * Called by Cancel, set by whatever opened the form (job-list, job-detail). Without it, Cancel
   * puts the form back as it was loaded (or empties it). Replaces the element's native `onclose`
   * handler property (job-form never fires `close`); Cancel itself fires no event.
   */
  @property({ attribute: false }) override onclose: (() => void) | null = null;
  /** True while the job is being sent. Reflected. */
  @property({ type: Boolean, reflect: true }) busy = false;

  @consume({ context: portalContext, subscribe: true })
  @state()
  protected portal?: PortalState;

  @state() private values: JobValues = { ...EMPTY };
  /** A new request's preferred day (YYYY-MM-DD, '' for none) and time of day. */
  @state() private when: { date: string; window: PreferredWindow } = { date: '', window: 'any' };
  @state() private dateError: string | undefined;
  /** Whose company address the new request's address was filled with (once per contact). */
  private addressOf: number | null = null;
  @state() private fieldErrors: Partial<Record<JobField, string>> = {};
  @state() private error = '';
  @state() private notice = '';
  /** The job as loaded or last saved (edit mode); what the changes are measured against. */
  @state() private loaded: JobDetail | null = null;

  private readonly loadTask = new Task(this, {
    task: async ([client, signedIn, jobId, access, given], { signal }) => {
      if (!client || !signedIn || !validId(jobId) || access === 'none') return initialState;
      if (given && given.id === jobId) return given;
      try {
        return await client.getJob(jobId, signal);
      } catch (error) {
        reportError(this, this.portal, 'load-job', error);
        throw error;
      }
    },
    args: () => [this.portal?.client, this.portal?.status === 'signed-in', this.jobId, this.portal?.me?.permissions.jobs, this.job] as const,
    onComplete: (job) => {
      if (job !== this.loaded) this.fill(job);
    },
  });

  /** Focuses the first field (or the heading while there is none), so whoever opens the form can put the user there. */
  override focus(options?: FocusOptions): void {
    (this.$('input:not([disabled]), textarea:not([disabled])') ?? this.$('#heading'))?.focus(options);
  }

  private get editing(): boolean {
    return this.jobId !== null && this.jobId !== undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('jobId') && changed.get('jobId') !== undefined) {
      this.loaded = null;
      this.clearMessages();
      if (!this.editing) this.values = { ...EMPTY };
    }
    // A new request starts at the company's address on file; the contact can change it.
    const me = this.portal?.me;
    if (!this.editing && me && this.addressOf !== me.contact.id) {
      this.addressOf = me.contact.id;
      if (!this.values.address) this.values = { ...this.values, address: me.company.address };
    }
    // A job handed over by the page shows at once, without waiting for the task.
    if ((changed.has('job') || changed.has('jobId')) && this.job && this.job.id === this.jobId && this.job !== this.loaded) this.fill(this.job);
  }

  private fill(job: JobDetail): void {
    this.loaded = job;
    this.values = valuesOf(job);
  }

  private clearMessages(): void {
    this.fieldErrors = {};
    this.error = '';
    this.notice = '';
  }

  private $<E extends HTMLElement = HTMLElement>(selector: string): E | null {
    return this.renderRoot.querySelector<E>(selector);
  }

  private onInput(name: JobField, event: Event): void {
    this.values = { ...this.values, [name]: (event.target as HTMLInputElement | HTMLTextAreaElement).value };
    if (this.fieldErrors[name]) this.fieldErrors = { ...this.fieldErrors, [name]: undefined };
  }

  /** The whole job (create) or the fields that differ from the loaded job (edit), trimmed. */
  private changes(): JobCreateRequest | JobUpdateRequest {
    const original = this.editing && this.loaded ? valuesOf(this.loaded) : null;
    const out: JobUpdateRequest = {};
    for (const f of FIELDS) {
      const v = this.values[f.name].trim();
      if (!original || v !== original[f.name].trim()) out[f.name] = v;
    }
    if (!original) return { ...(out as JobCreateRequest), preferredDate: this.when.date || null, preferredWindow: this.when.date || this.when.window !== 'any' ? this.when.window : null };
    return out;
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const portal = this.portal;
    if (!portal || this.busy) return;
    this.clearMessages();
    this.fieldErrors = check(this.values);
    this.dateError = !this.editing && this.when.date && this.when.date < localDay(new Date()) ? 'Choose today or a later day.' : undefined;
    if (Object.values(this.fieldErrors).some(Boolean) || this.dateError) {
      await this.updateComplete;
      focusFirstInvalid(this.renderRoot);
      return;
    }
    const id = this.editing ? this.jobId : null;
    const job = this.changes();
    if (id !== null && !Object.keys(job).length) {
      this.notice = 'Nothing has changed, so there is nothing to save.';
      return;
    }
    if (!emit(this, 'portal-job-submit', { id, job }, { cancelable: true })) return;
    this.busy = true;
    try {
      if (id === null) {
        const created = await portal.client.createJob(job as JobCreateRequest);
        this.values = { ...EMPTY, address: portal.me?.company.address ?? '' };
        this.when = { date: '', window: 'any' };
        this.notice = `Job ${created.number} has been sent to the office.`;
        emit(this, 'portal-job-created', { job: created });
      } else {
        const updated = await portal.client.updateJob(id, job);
        this.job = updated;
        this.fill(updated);
        this.notice = 'Your changes are saved.';
        emit(this, 'portal-job-updated', { job: updated });
      }
    } catch (error) {
      this.fail(id === null ? 'create-job' : 'update-job', error);
      this.busy = false; // a disabled field cannot take focus
      await this.updateComplete;
      if (!focusFirstInvalid(this.renderRoot)) this.$('[part=error]')?.focus();
    } finally {
      this.busy = false;
    }
  }

  private fail(action: string, error: unknown): void {
    const message = reportError(this, this.portal, action, error);
    if (message === null) return;
    const fields = asApiError(error).fields;
    const known = Object.keys(fields).filter((k) => FIELDS.some((f) => f.name === k)) as JobField[];
    this.fieldErrors = Object.fromEntries(known.map((k) => [k, serverMessage(k, fields[k]!)]));
    if (fields.preferredDate) this.dateError = `Preferred day ${fields.preferredDate}.`;
    this.error = known.length || fields.preferredDate ? 'The office could not take this yet: please correct the fields marked below.' : message;
  }

  private onCancel(): void {
    if (this.onclose) {
      this.onclose();
      return;
    }
    this.clearMessages();
    this.values = this.loaded && this.editing ? valuesOf(this.loaded) : { ...EMPTY };
    void this.updateComplete.then(() => this.$('input')?.focus());
  }

  private renderField(f: FieldSpec) {
    const o = {
      id: `job-${f.name}`,
      name: f.name,
      label: f.required ? html`${f.label} <span class="required">(required)</span>` : f.label,
      hint: f.hint,
      value: live(this.values[f.name]),
      error: this.fieldErrors[f.name],
      disabled: this.busy,
      onInput: (e: Event) => this.onInput(f.name, e),
    };
    return f.multiline ? textareaField({ ...o, rows: 5 }) : field({ ...o, required: !!f.required });
  }

  /** A new request's preferred day and time of day: a date and a choice, not free text. */
  private renderWhen() {
    return html`<fieldset class="when">
      <legend>When suits you</legend>
      <div class="when-fields">
        ${field({
          name: 'preferredDate',
          id: 'job-preferredDate',
          label: 'Preferred day',
          type: 'date',
          hint: 'Optional. The office confirms the appointment.',
          value: live(this.when.date),
          error: this.dateError,
          disabled: this.busy,
          onInput: (e) => {
            this.when = { ...this.when, date: (e.target as HTMLInputElement).value };
            this.dateError = undefined;
          },
        })}
        <div class="field">
          <label for="job-preferredWindow">Time of day</label>
          <select id="job-preferredWindow" name="preferredWindow" part="input" ?disabled=${this.busy}
            @change=${(e: Event) => (this.when = { ...this.when, window: (e.target as HTMLSelectElement).value as PreferredWindow })}>
            ${WINDOWS.map((w) => html`<option value=${w.value} ?selected=${this.when.window === w.value}>${w.label}</option>`)}
          </select>
        </div>
      </div>
    </fieldset>`;
  }

  /** Why the server will probably refuse changes, said before the contact types them. */
  private editWarning() {
    const job = this.loaded;
    if (!this.editing || !job || job.canEdit) return nothing;
    const why = CLOSED.has(job.status)
      ? `This job is ${JOB_STATUS_LABELS[job.status].toLowerCase()}, so the office no longer accepts changes to it.`
      : 'Your account may see this job but not change it.';
    return html`<p class="note warning">${why}</p>`;
  }

  private renderForm() {
    return html`
      ${this.editWarning()}
      <form part="form" novalidate aria-labelledby="heading" aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.onSubmit}
        @keydown=${escapeCloses(this.onclose, () => this.busy)}>
        ${FIELDS.map((f) => (f.name === 'preferredDates' && !this.editing ? html`${this.renderWhen()}${this.renderField(f)}` : this.renderField(f)))}
        ${this.error ? html`<p part="error" class="error" role="alert" tabindex="-1">${this.error}</p>` : nothing}
        ${this.notice ? html`<p part="notice" class="success" role="status" tabindex="-1">${this.notice}</p>` : nothing}
        <div class="actions">
          <button part="button" class="primary" type="submit" ?disabled=${this.busy}>
            ${this.busy ? 'Sending…' : this.editing ? 'Save changes' : 'Send job request'}
          </button>
          <button part="button" class="secondary" type="button" ?disabled=${this.busy} @click=${this.onCancel}>Cancel</button>
        </div>
      </form>
    `;
  }

  private notAvailable() {
    return html`<p class="state empty not-available" role="status">This job is not available. It may have been removed, or your account cannot see it.</p>`;
  }

  private renderBody() {
    const portal = this.portal;
    if (!portal || portal.status === 'loading') return loading();
    if (portal.status !== 'signed-in' || !portal.me) return html`<p class="state">Log in to ask for or change a job.</p>`;
    const perms = portal.me.permissions;
    if (!this.editing) return perms.createJobs ? this.renderForm() : notAllowed('asking for new jobs');
    if (perms.jobs === 'none') return notAllowed('jobs');
    if (this.loaded) return this.renderForm();
    if (!validId(this.jobId)) return this.notAvailable();
    return this.loadTask.render({
      initial: () => loading(),
      pending: () => loading('Loading the job…'),
      complete: () => this.renderForm(),
      error: (error) =>
        asApiError(error).status === 404 ? this.notAvailable() : failed(asApiError(error).message, () => void this.loadTask.run()),
    });
  }

  override render() {
    const number = this.loaded?.number ?? '';
    return html`
      <section part="base" class="card" aria-labelledby="heading">
        <h2 id="heading" tabindex="-1">${this.editing ? (number ? `Edit job ${number}` : 'Edit job') : 'New job'}</h2>
        ${offlineNote(this.portal, false)} ${this.renderBody()}
      </section>
    `;
  }
}
