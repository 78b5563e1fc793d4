import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task, TaskStatus, initialState } from '@lit/task';
import type { Details, DetailsUpdateRequest } from '../../api/client.js';
import { portalContext, type PortalState } from '../../context.js';
import { emit } from '../../events.js';
import { asApiError, field, focusFirstInvalid, textareaField } from '../../ui/form.js';
import { failed, loading, offlineNote, reportError, DraftsController, reconnects } from '../../ui/states.js';
import { styles } from './styles.js';
import { LIMITS } from '../../../server/contract.js';

type Part = 'company' | 'contact';
interface FieldSpec {
  part: Part;
  key: string;
  label: string;
  max: number;
  type?: string;
  autocomplete?: string;
  required?: boolean;
  kind?: 'phone' | 'email';
  /** Several lines (an address): a textarea, which keeps line breaks that an input would drop. */
  multiline?: boolean;
}

/** The editable fields, keyed as the API names them; rules mirror DetailsUpdateBody. */
const FIELDS: FieldSpec[] = [
  { part: 'company', key: 'name', label: 'Company name', max: LIMITS.name, required: true, autocomplete: 'organization' },
  { part: 'company', key: 'address', label: 'Address', max: LIMITS.address, autocomplete: 'street-address', multiline: true },
  { part: 'company', key: 'phone', label: 'Company phone', max: LIMITS.phone, type: 'tel', kind: 'phone' },
  { part: 'company', key: 'email', label: 'Company email', max: LIMITS.email, type: 'email', kind: 'email' },
  { part: 'contact', key: 'name', label: 'Your name', max: LIMITS.name, required: true, autocomplete: 'name' },
  { part: 'contact', key: 'phone', label: 'Your phone', max: LIMITS.phone, type: 'tel', kind: 'phone', autocomplete: 'tel' },
];
/** Input ids inside the shadow root: `company-name` for the API's `company.name`. */
const inputId = (f: { part: Part; key: string }): string => `${f.part}-${f.key}`;
const BY_API_KEY = new Map(FIELDS.map((f) => [`${f.part}.${f.key}`, f]));

const PHONE = /^[+()\d\s.-]{3,40}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What is wrong with a value, mirroring the server's rules; undefined when it is fine. */
function problem(f: FieldSpec, value: string): string | undefined {
  if (f.required && !value) return `Enter ${f.label.toLowerCase()}.`;
  if (value.length > f.max) return `${f.label} must be at most ${f.max} characters.`;
  if (f.kind === 'phone' && value && !PHONE.test(value)) return `${f.label} may contain only digits, spaces and + ( ) . -`;
  if (f.kind === 'email' && value && !EMAIL.test(value)) return 'Enter an email address like office@example.com, or leave it empty.';
  return undefined;
}

/**
 * @tagname my-details
 * @summary The contact's company (name, address, phone, email) and their own name, login email
 * and phone; contacts allowed to edit them get an "Edit" form that saves only what changed.
 *
 * The login email is shown but never editable here: it is the contact's sign-in name.
 *
 * @fires portal-details-submit - Cancelable, before changes are sent. Cancel to save them yourself (the form stays open). `detail: { changes }`.
 * @fires portal-details-saved - Changes were saved; the view shows them. `detail: { details }`.
 * @fires portal-error - A request failed. `detail: { code, message, status, action }`.
 *
 * @csspart base - The card around everything.
 * @csspart list - Each description list (company, contact).
 * @csspart form - The edit form.
 * @csspart input - Each text input.
 * @csspart button - Every button.
 * @csspart error - An error message.
 * @csspart notice - The confirmation after saving.
 *
 * @cssprop --my-details-max-width - Width of the card (default 40rem).
 * @cssprop --my-details-term-width - Width of the labels column in the view (default 10rem).
 */
export class MyDetails extends LitElement {
  static override styles = styles;

  /** Heading above the details. */
  @property() heading = 'My details';
  /** Whether the edit form shows (only where the contact may edit). Reflected. */
  @property({ type: Boolean, reflect: true }) editing = false;
  /** True while changes are being saved. Reflected. */
  @property({ type: Boolean, reflect: true }) busy = false;

  @consume({ context: portalContext, subscribe: true })
  @state()
  protected portal?: PortalState;

  @state() private details: Details | null = null;
  @state() private loadError = '';
  @state() private formError = '';
  @state() private fieldErrors: Record<string, string | undefined> = {};
  @state() private notice = '';
  private focusAfterRender = '';

  // A details edit made offline, until sent; sent, the details load again.
  private readonly drafts = new DraftsController(this, () => this.portal, 'details', () => {
    void this.task.run();
    void this.portal?.refreshMe();
  });
  private readonly task = new Task(this, {
    task: async ([client, status], { signal }): Promise<Details | typeof initialState> => {
      if (!client || status !== 'signed-in') return initialState;
      return client.getDetails(signal);
    },
    args: () => [this.portal?.client, this.portal?.status, this.portal?.me?.contact.id, reconnects(this.portal)] as const,
    onComplete: (details) => {
      this.details = details;
      this.loadError = '';
    },
    onError: (error) => {
      this.loadError = reportError(this, this.portal, 'get-details', error) ?? '';
    },
  });

  protected override willUpdate(changed: PropertyValues): void {
    // Another session (or none): nothing of the last contact's details may stay on screen.
    if (changed.has('portal') && this.portal?.status !== 'signed-in') {
      this.details = null;
      this.editing = false;
      this.notice = '';
    }
  }

  protected override updated(): void {
    if (!this.focusAfterRender) return;
    this.renderRoot.querySelector<HTMLElement>(this.focusAfterRender)?.focus();
    this.focusAfterRender = '';
  }

  private get canEdit(): boolean {
    return !!this.details?.canEdit;
  }

  private startEditing(): void {
    this.editing = true;
    this.notice = this.formError = '';
    this.fieldErrors = {};
    this.focusAfterRender = '#company-name';
  }

  private stopEditing(notice = ''): void {
    this.editing = false;
    this.formError = '';
    this.fieldErrors = {};
    this.notice = notice;
    this.focusAfterRender = 'button.edit';
  }

  /** Checks the form; returns only the changed fields, or null when something is wrong (shown inline). */
  private changes(form: HTMLFormElement, current: Details): DetailsUpdateRequest | null {
    const data = new FormData(form);
    const errors: Record<string, string | undefined> = {};
    const company: Record<string, string> = {};
    const contact: Record<string, string> = {};
    for (const f of FIELDS) {
      const value = String(data.get(inputId(f)) ?? '').trim();
      errors[inputId(f)] = problem(f, value);
      const before = (current[f.part] as unknown as Record<string, string>)[f.key] ?? '';
      if (value !== before) (f.part === 'company' ? company : contact)[f.key] = value;
    }
    this.fieldErrors = errors;
    this.formError = '';
    if (Object.values(errors).some(Boolean)) {
      void this.updateComplete.then(() => focusFirstInvalid(this.renderRoot));
      return null;
    }
    return {
      ...(Object.keys(company).length ? { company } : {}),
      ...(Object.keys(contact).length ? { contact } : {}),
    };
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const portal = this.portal;
    const current = this.details;
    if (!portal || !current || this.busy) return;
    const changes = this.changes(event.target as HTMLFormElement, current);
    if (!changes) return;
    if (!changes.company && !changes.contact) return this.stopEditing('Nothing was changed.');
    if (!emit(this, 'portal-details-submit', { changes }, { cancelable: true })) return;
    this.busy = true;
    try {
      const details = await portal.client.updateDetails(changes);
      this.details = details;
      this.stopEditing('Your details are saved.');
      emit(this, 'portal-details-saved', { details });
      // Names shown elsewhere (the account card) come from `me`.
      void portal.refreshMe();
    } catch (error) {
      const message = reportError(this, portal, 'update-details', error);
      const fields = asApiError(error).fields;
      const inline: Record<string, string> = {};
      for (const [key, text] of Object.entries(fields)) {
        const f = BY_API_KEY.get(key);
        if (f) inline[inputId(f)] = `${f.label} ${text}.`;
      }
      this.fieldErrors = inline;
      this.formError = Object.keys(inline).length ? 'Please correct the marked fields.' : (message ?? '');
      this.busy = false; // a disabled field cannot take focus
      await this.updateComplete;
      if (!focusFirstInvalid(this.renderRoot)) this.renderRoot.querySelector<HTMLElement>('form [role=alert]')?.focus();
    } finally {
      this.busy = false;
    }
  }

  private renderView(d: Details) {
    const row = (term: string, value: string, note?: string) => html`
      <div class="row">
        <dt>${term}</dt>
        <dd>${value || html`<span class="muted">Not given</span>`}${note ? html` <span class="hint">${note}</span>` : nothing}</dd>
      </div>
    `;
    return html`
      <section class="group" aria-labelledby="company-heading">
        <h3 id="company-heading">Company</h3>
        <dl part="list">
          ${row('Name', d.company.name)} ${row('Address', d.company.address)} ${row('Phone', d.company.phone)}
          ${row('Email', d.company.email)}
        </dl>
      </section>
      <section class="group" aria-labelledby="contact-heading">
        <h3 id="contact-heading">You</h3>
        <dl part="list">
          ${row('Name', d.contact.name)} ${row('Email', d.contact.email, '(you log in with this)')} ${row('Phone', d.contact.phone)}
        </dl>
      </section>
      ${this.canEdit ? html`<button part="button" class="secondary edit" type="button" @click=${this.startEditing}>Edit</button>` : nothing}
    `;
  }

  private renderForm(d: Details) {
    const input = (f: FieldSpec) => {
      const id = inputId(f);
      const o = {
        name: id,
        label: f.required ? `${f.label} (required)` : f.label,
        autocomplete: f.autocomplete ?? 'off',
        value: (d[f.part] as unknown as Record<string, string>)[f.key] ?? '',
        error: this.fieldErrors[id],
        disabled: this.busy,
        onInput: () => (this.fieldErrors = { ...this.fieldErrors, [id]: undefined }),
      };
      return f.multiline ? textareaField({ ...o, rows: 3 }) : field({ ...o, type: f.type ?? 'text' });
    };
    return html`
      <form part="form" novalidate aria-labelledby="edit-heading" aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.onSubmit}>
        <h3 id="edit-heading" class="visually-hidden">Edit your details</h3>
        <fieldset>
          <legend>Company</legend>
          ${FIELDS.filter((f) => f.part === 'company').map(input)}
        </fieldset>
        <fieldset>
          <legend>You</legend>
          ${input(FIELDS[4]!)}
          <div class="field login">
            <p class="label">Email</p>
            <p class="login-email">${d.contact.email}</p>
            <p class="hint">You log in with this address, so it cannot be changed here. Ask your provider to change it.</p>
          </div>
          ${input(FIELDS[5]!)}
        </fieldset>
        ${this.formError ? html`<p part="error" class="error" role="alert" tabindex="-1">${this.formError}</p>` : nothing}
        <div class="actions">
          <button part="button" class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Saving…' : 'Save'}</button>
          <button part="button" class="secondary" type="button" ?disabled=${this.busy} @click=${() => this.stopEditing()}>Cancel</button>
        </div>
      </form>
    `;
  }

  private renderBody() {
    const portal = this.portal;
    if (!portal || portal.status === 'loading') return loading();
    if (portal.status !== 'signed-in') return html`<p class="state">Log in to see your details.</p>`;
    if (this.task.status === TaskStatus.ERROR) return failed(this.loadError || 'Your details could not be loaded.', () => void this.task.run());
    const d = this.details;
    if (!d) return loading('Loading your details…');
    return this.editing && this.canEdit ? this.renderForm(d) : this.renderView(d);
  }

  override render() {
    return html`
      <section part="base" class="card base" aria-labelledby="heading">
        <h2 id="heading">${this.heading}</h2>
        ${offlineNote(this.portal)} ${this.drafts.render()}
        <p part="notice" class="success" role="status" tabindex="-1">${this.notice}</p>
        ${this.renderBody()}
      </section>
    `;
  }
}
