import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task, TaskStatus, initialState } from '@lit/task';
import type { Equipment, EquipmentCreateRequest, Page } from '../../api/client.js';
import { portalContext, type PortalState } from '../../context.js';
import { emit } from '../../events.js';
import { asApiError, escapeCloses, field, focusFirstInvalid } from '../../ui/form.js';
import { formatDate } from '../../ui/format.js';
import { ListController } from '../../ui/list-controller.js';
import { badge, empty, failed, loading, notAllowed, offlineNote, reportError, DraftsController, reconnects } from '../../ui/states.js';
import { styles } from './styles.js';
import { LIMITS } from '../../../server/contract.js';

type TextKey = 'name' | 'make' | 'model' | 'serial' | 'location';
type DateKey = 'installedOn' | 'lastServiceOn' | 'nextServiceOn';

/** The add form's fields, keyed as the API names them; limits mirror EquipmentCreateBody. */
const TEXT_FIELDS: { key: TextKey; label: string; max: number; required?: boolean }[] = [
  { key: 'name', label: 'Name', max: 200, required: true },
  { key: 'make', label: 'Make', max: 100 },
  { key: 'model', label: 'Model', max: 100 },
  { key: 'serial', label: 'Serial number', max: 100 },
  { key: 'location', label: 'Location', max: 300 },
];
const DATE_FIELDS: { key: DateKey; label: string }[] = [
  { key: 'installedOn', label: 'Installed on' },
  { key: 'lastServiceOn', label: 'Last service' },
  { key: 'nextServiceOn', label: 'Next service' },
];
const LABELS: Record<string, string> = Object.fromEntries([...TEXT_FIELDS, ...DATE_FIELDS].map((f) => [f.key, f.label]));
/** Input ids inside the shadow root: `eq-<api key>`. */
const inputId = (key: string): string => `eq-${key}`;

/** A YYYY-MM-DD string that names a real calendar day. */
function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(value + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/** Today as YYYY-MM-DD in the viewer's time zone: a service due today is not overdue yet. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Same order as the server's `ORDER BY name, id`. */
const byName = (a: Equipment, b: Equipment): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id);

/**
 * @tagname equipment-list
 * @summary The company's equipment as a table (a stacked list in narrow containers), with
 * search, "Load more" paging and, for contacts allowed to add equipment, an add form.
 *
 * A next service date in the past is marked "Overdue" in text. Below a container width of
 * 40rem each item is shown as a stacked block of labelled values.
 *
 * @fires portal-filter - Cancelable, the user changed the search (once typing pauses, or on Enter), before the list
 * loads. Cancel to keep the list as it was. `detail: { list: 'equipment', query, status: '', sort: '' }`.
 * @fires portal-load-more - Cancelable, "Load more" was pressed, before the next page loads. Cancel to load nothing.
 * `detail: { list: 'equipment', cursor }`.
 * @fires portal-form-open - Cancelable, "Add equipment" was pressed. Cancel to keep the add form closed. `detail: { form: 'equipment' }`.
 * @fires portal-equipment-submit - Cancelable, before new equipment is sent. Cancel to add it yourself. `detail: { equipment }`.
 * @fires portal-equipment-added - Equipment was added; its row is shown. `detail: { equipment }`.
 * @fires portal-error - A request failed. `detail: { code, message, status, action }`.
 *
 * @csspart base - The wrapper around everything.
 * @csspart toolbar - The search box and the "Add equipment" button.
 * @csspart search - The search box (it is also an `input`). Before, `search` named its form.
 * @csspart list - The table of equipment (alias: `table`).
 * @csspart row - Each row of equipment.
 * @csspart badge - The "Overdue" marker.
 * @csspart empty - The note shown when there is no equipment (or none matches).
 * @csspart load-more - The "Load more" button.
 * @csspart form - The add form.
 * @csspart input - Each input (search and form).
 * @csspart button - Every button.
 * @csspart error - An error message.
 * @csspart notice - A confirmation message.
 *
 * @cssprop --equipment-list-stripe - Background of every other row (default: the raised surface colour).
 * @cssprop --equipment-list-overdue-color - Colour of the "Overdue" marker (default: the danger colour).
 */
export class EquipmentList extends LitElement {
  static override styles = styles;

  /** Heading above the list. */
  @property() heading = 'Equipment';
  /** The search text in force (the search box sets it after a short pause). */
  @property() query = '';
  /** Items per page (1–100). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 50;
  /** Whether the add form is open. Reflected. */
  @property({ type: Boolean, reflect: true }) adding = false;
  /** True while equipment is being added. Reflected. */
  @property({ type: Boolean, reflect: true }) busy = false;

  @consume({ context: portalContext, subscribe: true })
  @state()
  protected portal?: PortalState;

  @state() private loaded = false;
  @state() private loadError = '';
  @state() private formError = '';
  @state() private fieldErrors: Record<string, string | undefined> = {};
  @state() private notice = '';
  private readonly list = new ListController<Equipment>(this, {
    list: 'equipment',
    filter: () => ({ query: this.query.trim(), status: '', sort: '' }),
    apply: (change) => {
      if (change.query !== undefined) this.query = change.query;
    },
    more: (cursor, signal) => this.portal!.client.listEquipment({ q: this.query.trim() || undefined, cursor, limit: this.limit(this.pageSize) }, signal),
    failed: (error) => reportError(this, this.portal, 'list-equipment', error),
  });
  /** Where focus goes after the next render (a selector inside the shadow root). */
  private focusAfterRender = '';

  // Equipment added offline, until sent; sent, it shows in the list.
  private readonly drafts = new DraftsController(this, () => this.portal, 'equipment', () => void this.task.run());
  private readonly task = new Task(this, {
    task: async ([client, status, access, , query, limit], { signal }): Promise<Page<Equipment> | typeof initialState> => {
      this.list.stopMore();
      if (!client || status !== 'signed-in' || access === 'none') return initialState;
      return client.listEquipment({ q: query || undefined, limit: this.limit(limit) }, signal);
    },
    args: () =>
      [
        this.portal?.client,
        this.portal?.status,
        this.portal?.me?.permissions.equipment,
        this.portal?.me?.contact.id,
        this.query.trim(),
        this.pageSize,
        reconnects(this.portal),
      ] as const,
    onComplete: (page) => {
      this.list.reset(page);
      this.loaded = true;
      this.loadError = '';
    },
    onError: (error) => {
      this.loadError = reportError(this, this.portal, 'list-equipment', error) ?? '';
    },
  });

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('query')) this.list.showQuery(this.query);
    // Another session (or none): nothing of the last contact's list may stay on screen.
    if (changed.has('portal') && this.portal?.status !== 'signed-in') {
      this.list.clear();
      this.loaded = false;
      this.adding = false;
    }
  }

  protected override updated(): void {
    if (!this.focusAfterRender) return;
    this.renderRoot.querySelector<HTMLElement>(this.focusAfterRender)?.focus();
    this.focusAfterRender = '';
  }

  private limit(n: number): number {
    return Number.isInteger(n) && n >= 1 && n <= 100 ? n : 50;
  }

  private async loadMore(): Promise<void> {
    const first = (await this.list.loadMore())?.[0];
    // Keyboard users carry on from the first new row rather than from a vanished button.
    if (!first) return;
    this.focusAfterRender = `[data-id="${first.id}"] th`;
    this.requestUpdate(); // the list may have rendered the page already
  }

  private openForm(): void {
    if (!emit(this, 'portal-form-open', { form: 'equipment' }, { cancelable: true })) return;
    this.adding = true;
    this.notice = this.formError = '';
    this.fieldErrors = {};
    this.focusAfterRender = `#${inputId('name')}`;
  }

  private closeForm(): void {
    this.adding = false;
    this.formError = '';
    this.fieldErrors = {};
    this.focusAfterRender = 'button.add';
  }

  /** Client-side checks mirroring the server's rules; returns the request, or null (errors shown). */
  private read(form: HTMLFormElement): EquipmentCreateRequest | null {
    const data = new FormData(form);
    const errors: Record<string, string | undefined> = {};
    const text = {} as Record<TextKey, string>;
    for (const f of TEXT_FIELDS) {
      const value = String(data.get(inputId(f.key)) ?? '').trim();
      text[f.key] = value;
      if (f.required && !value) errors[inputId(f.key)] = `Enter the ${f.label.toLowerCase()}.`;
      else if (value.length > f.max) errors[inputId(f.key)] = `${f.label} must be at most ${f.max} characters.`;
    }
    const dates = {} as Record<DateKey, string | null>;
    for (const f of DATE_FIELDS) {
      const input = form.elements.namedItem(inputId(f.key)) as HTMLInputElement | null;
      const value = String(data.get(inputId(f.key)) ?? '').trim();
      dates[f.key] = value || null;
      if (input?.validity.badInput || (value && !isRealDate(value))) errors[inputId(f.key)] = `${f.label}: enter a real date, or leave it empty.`;
    }
    // The same rules as the server: what is done is not in the future, and not before the install.
    const now = today();
    for (const key of ['installedOn', 'lastServiceOn'] as const) {
      if (!errors[inputId(key)] && dates[key] && dates[key]! > now) errors[inputId(key)] = `${key === 'installedOn' ? 'Installed on' : 'Last service'} cannot be in the future.`;
    }
    if (!errors[inputId('lastServiceOn')] && dates.installedOn && dates.lastServiceOn && dates.lastServiceOn < dates.installedOn) {
      errors[inputId('lastServiceOn')] = 'Last service cannot be before the install date.';
    }
    this.fieldErrors = errors;
    this.formError = '';
    if (Object.values(errors).some(Boolean)) {
      void this.updateComplete.then(() => focusFirstInvalid(this.renderRoot));
      return null;
    }
    return { ...text, ...dates };
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const portal = this.portal;
    if (!portal || this.busy) return;
    const form = event.target as HTMLFormElement;
    const equipment = this.read(form);
    if (!equipment || !emit(this, 'portal-equipment-submit', { equipment }, { cancelable: true })) return;
    this.busy = true;
    try {
      const added = await portal.client.addEquipment(equipment);
      this.list.replace([...this.list.items, added].sort(byName));
      this.loaded = true;
      this.adding = false;
      this.fieldErrors = {};
      this.notice = `${added.name} was added.`;
      this.focusAfterRender = `[data-id="${added.id}"] th`;
      emit(this, 'portal-equipment-added', { equipment: added });
    } catch (error) {
      const message = reportError(this, portal, 'add-equipment', error);
      const fields = asApiError(error).fields;
      this.fieldErrors = Object.fromEntries(
        Object.entries(fields).map(([k, v]) => [inputId(k), LABELS[k] ? `${LABELS[k]} ${v}.` : v]),
      );
      const inline = Object.keys(fields).some((k) => LABELS[k]);
      this.formError = inline ? 'Please correct the marked fields.' : (message ?? '');
      this.busy = false; // a disabled field cannot take focus
      await this.updateComplete;
      if (!focusFirstInvalid(this.renderRoot)) this.renderRoot.querySelector<HTMLElement>('form [role=alert]')?.focus();
    } finally {
      this.busy = false;
    }
  }

  private renderForm() {
    const input = (key: string, label: string, type = 'text') =>
      field({
        name: inputId(key),
        label,
        type,
        error: this.fieldErrors[inputId(key)],
        disabled: this.busy,
        onInput: () => (this.fieldErrors = { ...this.fieldErrors, [inputId(key)]: undefined }),
      });
    return html`
      <form part="form" class="card add-form" novalidate aria-labelledby="add-heading" aria-busy=${this.busy ? 'true' : 'false'}
        @submit=${this.onSubmit} @keydown=${escapeCloses(() => this.closeForm(), () => this.busy)}>
        <h3 id="add-heading">Add equipment</h3>
        <div class="fields">
          ${TEXT_FIELDS.map((f) => input(f.key, f.required ? `${f.label} (required)` : f.label))}
          ${DATE_FIELDS.map((f) => input(f.key, f.label, 'date'))}
        </div>
        ${this.formError ? html`<p part="error" class="error" role="alert" tabindex="-1">${this.formError}</p>` : nothing}
        <div class="actions">
          <button part="button" class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Adding…' : 'Add'}</button>
          <button part="button" class="secondary" type="button" ?disabled=${this.busy} @click=${this.closeForm}>Cancel</button>
        </div>
      </form>
    `;
  }

  private cell(label: string, value: string, extra: unknown = nothing) {
    return html`<td data-label=${label} class=${value ? '' : 'blank'}>${value}${extra}</td>`;
  }

  private renderRow(item: Equipment, now: string) {
    const overdue = !!item.nextServiceOn && item.nextServiceOn < now;
    return html`
      <tr part="row" data-id=${item.id} class=${overdue ? 'overdue' : ''}>
        <th scope="row" tabindex="-1">${item.name}</th>
        ${this.cell('Make', item.make)} ${this.cell('Model', item.model)} ${this.cell('Serial', item.serial)}
        ${this.cell('Location', item.location)} ${this.cell('Installed', formatDate(item.installedOn))}
        ${this.cell('Last service', formatDate(item.lastServiceOn))}
        ${this.cell('Next service', formatDate(item.nextServiceOn), overdue ? html` ${badge('Overdue', 'danger')}` : nothing)}
      </tr>
    `;
  }

  private renderTable() {
    const now = today();
    return html`
      <table part="list table" aria-labelledby="heading" aria-describedby="count">
        <thead>
          <tr>
            ${['Name', 'Make', 'Model', 'Serial', 'Location', 'Installed', 'Last service', 'Next service'].map((h) => html`<th scope="col">${h}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${this.list.items.map((item) => this.renderRow(item, now))}
        </tbody>
      </table>
    `;
  }

  private renderList() {
    const query = this.query.trim();
    const pending = this.task.status === TaskStatus.PENDING;
    if (this.task.status === TaskStatus.ERROR) return failed(this.loadError || 'The equipment could not be loaded.', () => void this.task.run());
    if (!this.loaded) return loading('Loading equipment…');
    const { items, cursor, loadingMore, moreError } = this.list;
    if (!items.length) {
      return pending ? loading('Searching…') : empty(query ? `No equipment matches “${query}”.` : 'No equipment is recorded for your company yet.');
    }
    const count = `Showing ${items.length} item${items.length === 1 ? '' : 's'}${cursor ? '; more are available' : ''}.`;
    return html`
      <div class="list" aria-busy=${pending ? 'true' : 'false'}>
        ${this.renderTable()}
        <p id="count" class="muted" role="status">${pending ? 'Searching…' : count}</p>
        ${moreError ? failed(moreError, () => void this.loadMore()) : nothing}
        ${cursor && !moreError
          ? html`<button part="load-more button" class="secondary more" type="button" ?disabled=${loadingMore || pending} @click=${this.loadMore}>
              ${loadingMore ? 'Loading…' : 'Load more'}
            </button>`
          : nothing}
      </div>
    `;
  }

  private renderBody() {
    const portal = this.portal;
    if (!portal || portal.status === 'loading') return loading();
    if (portal.status !== 'signed-in' || !portal.me) return html`<p class="state">Log in to see your equipment.</p>`;
    const access = portal.me.permissions.equipment;
    if (access === 'none') return notAllowed('equipment');
    return html`
      ${offlineNote(portal)} ${this.drafts.render()}
      <div part="toolbar" class="toolbar">
        <form class="search" role="search" aria-label="Equipment" @submit=${this.list.onSubmit}>
          <label for="search">Search equipment</label>
          <input part="search input" id="search" name="search" type="search" maxlength=${LIMITS.search} autocomplete="off" .value=${this.list.text}
            @input=${this.list.onInput} />
        </form>
        ${access === 'add' && !this.adding
          ? html`<button part="button" class="primary add" type="button" @click=${this.openForm}>
              Add equipment
            </button>`
          : nothing}
      </div>
      ${access === 'add' && this.adding ? this.renderForm() : nothing}
      <p part="notice" class="success" role="status">${this.notice}</p>
      ${this.renderList()}
    `;
  }

  override render() {
    return html`
      <section part="base" class="base" aria-labelledby="heading">
        <h2 id="heading">${this.heading}</h2>
        ${this.renderBody()}
      </section>
    `;
  }
}
