import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { consume } from '@lit/context';
import { Task, TaskStatus, initialState } from '@lit/task';
import type { JobListParams, JobStatus, JobSummary, LiveEvent } from '../../api/client.js';
import { LiveController } from '../../live/controller.js';
import { applyJobEvent } from './live.js';
import { portalContext, type PortalState } from '../../context.js';
import { emit, type PortalEvent } from '../../events.js';
import { asApiError } from '../../ui/form.js';
import { JOB_STATUS_LABELS, JOB_STATUS_TONES, formatDateTime } from '../../ui/format.js';
import { badge, empty, failed, loading, notAllowed, offlineNote, reportError } from '../../ui/states.js';
import { styles } from './styles.js';

export type JobSort = 'updated' | 'created';
/** What a user action changes of the filter in force. */
type FilterChange = { query?: string; status?: JobStatus | ''; sort?: JobSort };
type View = { kind: 'list' } | { kind: 'detail'; job: JobSummary } | { kind: 'create' };

/** Every status the server knows (format.ts keys them all, checked by the type). */
const STATUSES = Object.keys(JOB_STATUS_LABELS) as JobStatus[];
/** Typing settles for this long before the search is sent. */
export const SEARCH_DELAY_MS = 250;

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * @tagname job-list
 * @summary The contact's jobs: number, title, status, address, schedule and last change; search,
 * status filter, sort, "Load more" paging; opens a job (job-detail) and asks for a new one (job-form).
 *
 * A contact with `view_own` access sees the jobs they asked for or are the contact of (the server
 * decides); one without access to jobs sees a note and nothing is requested.
 *
 * @fires portal-job-select - Cancelable, a job was chosen. Cancel to show it your own way instead of the
 * built-in job-detail. `detail: { job }`.
 * @fires portal-filter - Cancelable, the user changed the search (once typing pauses, or on Enter), status filter or
 * sort, before the list loads. Cancel to keep the list as it was. `detail: { list: 'jobs', query, status, sort }`.
 * @fires portal-load-more - Cancelable, "Load more" was pressed, before the next page loads. Cancel to load nothing.
 * `detail: { list: 'jobs', cursor }`.
 * @fires portal-form-open - Cancelable, "New job" was pressed. Cancel to keep the built-in job-form closed. `detail: { form: 'job' }`.
 * @fires portal-job-submit - From the inner job-form or job-detail: cancelable, before a job is sent. `detail: { id, job }`.
 * @fires portal-job-created - A job asked for here was created; the list shows it. `detail: { job }`.
 * @fires portal-job-updated - A job opened here was changed. `detail: { job }`.
 * @fires portal-error - A request failed. `detail: { code, message, status, action }`.
 *
 * Live: rows change in place as the office moves jobs along (status, schedule, technician), a new
 * job the filter would show appears at the top, and a polite status message says what changed;
 * focus and scroll stay where they were.
 *
 * @csspart base - The card around the list.
 * @csspart controls - The search, filter and sort controls.
 * @csspart input - The search box.
 * @csspart select - The status filter and the sort order.
 * @csspart list - The list of jobs.
 * @csspart row - One job.
 * @csspart open - The button that opens a job (its number and title).
 * @csspart badge - A status badge.
 * @csspart button - The "New job", "Load more" and "Back to jobs" buttons.
 * @csspart error - An error message.
 *
 * @cssprop --job-list-max-width - Width of the list (default 56rem).
 * @cssprop --job-list-row-gap - Space between rows (default var(--portal-space)).
 */
export class JobList extends LitElement {
  static override styles = styles;

  /** Only jobs in this status; empty for all. Reflected. */
  @property({ reflect: true }) status: JobStatus | '' = '';
  /** Search text (number, title, address). Typing in the search box sets it after a short pause. Reflected. */
  @property({ reflect: true }) query = '';
  /** Jobs per page (1–100). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 20;
  /** `updated` (last change first) or `created` (newest first). Reflected. */
  @property({ reflect: true }) sort: JobSort = 'updated';
  /** True while jobs are loading. Reflected. */
  @property({ type: Boolean, reflect: true }) busy = false;

  @consume({ context: portalContext, subscribe: true })
  @state()
  protected portal?: PortalState;

  @state() private view: View = { kind: 'list' };
  /** Every job shown, first page and those loaded with "Load more", without duplicates. */
  @state() private items: JobSummary[] = [];
  /** Whose jobs `items` are: a list never shows a previous contact's jobs. */
  @state() private itemsOf: number | null = null;
  @state() private nextCursor: string | null = null;
  @state() private loadingMore = false;
  @state() private moreError = '';
  @state() private announcement = '';
  /** What is in the search box; becomes `query` once typing pauses. */
  @state() private searchText = '';
  private searchTimer?: ReturnType<typeof setTimeout>;
  /** Live events that came while a page was loading: applied to it where it is older. */
  private missed: Parameters<typeof applyJobEvent>[1][] = [];
  private moreAbort?: AbortController;

  private readonly listTask = new Task(this, {
    task: async ([client, signedIn, access, , params], { signal }) => {
      this.moreAbort?.abort();
      if (!client || !signedIn || !access || access === 'none') return initialState;
      try {
        return await client.listJobs(params, signal);
      } catch (error) {
        reportError(this, this.portal, 'load-jobs', error);
        throw error;
      }
    },
    args: () => [this.portal?.client, this.portal?.status === 'signed-in', this.portal?.me?.permissions.jobs, this.portal?.me?.contact.id, this.params()] as const,
    argsEqual: (a, b) => a.length === b.length && a.every((v, i) => (i === 4 ? JSON.stringify(v) === JSON.stringify(b[i]) : v === b[i])),
    onComplete: (page) => {
      this.items = this.withMissed(dedupe(page.items));
      this.itemsOf = this.portal?.me?.contact.id ?? null;
      this.nextCursor = page.nextCursor;
      this.moreError = '';
      this.announcement = page.items.length ? `${plural(page.items.length, 'job')} shown.` : 'No jobs found.';
    },
  });

  protected readonly live = new LiveController(this, () => this.portal?.live, {
    event: (e) => this.onLive(e),
    reload: () => void this.listTask.run(),
  });

  /** A job changed or appeared: its row is updated in place (no refetch, no reordering under the user's focus). */
  private onLive(e: LiveEvent): void {
    if (e.type !== 'job.created' && e.type !== 'job.updated') return;
    if (this.listTask.status !== TaskStatus.COMPLETE) {
      this.missed.push(e); // the page being loaded may predate it
      return;
    }
    const applied = applyJobEvent(this.items, e, this.params());
    if (!applied) return;
    this.items = applied.items;
    if (applied.announcement) this.announcement = applied.announcement;
    const job = e.data.job;
    if (this.view.kind === 'detail' && this.view.job.id === job.id) this.view = { kind: 'detail', job };
  }

  /** A page just loaded, with the live changes it may predate (no second request). */
  private withMissed(items: JobSummary[]): JobSummary[] {
    for (const e of this.missed) {
      const shown = items.find((j) => j.id === e.data.job.id);
      if (shown && shown.updatedAt >= e.data.job.updatedAt) continue;
      items = applyJobEvent(items, e, this.params())?.items ?? items;
    }
    this.missed = [];
    return items;
  }

  /** The list query as the server takes it; malformed attribute values fall back to the defaults. */
  private params(): JobListParams {
    const size = Math.floor(Number(this.pageSize));
    return {
      q: this.query.trim() || undefined,
      status: STATUSES.includes(this.status as JobStatus) ? (this.status as JobStatus) : undefined,
      sort: this.sort === 'created' ? 'created' : 'updated',
      limit: Number.isFinite(size) && size >= 1 ? Math.min(size, 100) : 20,
    };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
    this.moreAbort?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('query') && this.query.trim() !== this.searchText.trim()) this.searchText = this.query;
    this.busy = this.listTask.status === TaskStatus.PENDING || this.loadingMore;
  }

  private $<E extends HTMLElement = HTMLElement>(selector: string): E | null {
    return this.renderRoot.querySelector<E>(selector);
  }

  /**
   * Applies a filter the user chose, unless a portal-filter listener cancels it. Only user actions
   * come here: setting `query`, `status` or `sort` in code fires nothing. Returns false when cancelled.
   */
  private filterBy(change: FilterChange): boolean {
    const p = this.params();
    const now: Required<FilterChange> = { query: p.q ?? '', status: p.status ?? '', sort: p.sort === 'created' ? 'created' : 'updated' };
    const next = { ...now, ...change };
    if (next.query === now.query && next.status === now.status && next.sort === now.sort) return true; // nothing would load
    if (!emit(this, 'portal-filter', { list: 'jobs', ...next }, { cancelable: true })) return false;
    if ('query' in change) this.query = next.query;
    if ('status' in change) this.status = next.status;
    if ('sort' in change) this.sort = next.sort;
    return true;
  }

  private onSearchInput(event: Event): void {
    this.searchText = (event.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    // The task aborts the request still running for the previous text when this one starts.
    this.searchTimer = setTimeout(() => this.filterBy({ query: this.searchText.trim() }), SEARCH_DELAY_MS);
  }

  private onSearchSubmit(event: SubmitEvent): void {
    event.preventDefault();
    clearTimeout(this.searchTimer);
    this.filterBy({ query: this.searchText.trim() });
  }

  /** A cancelled choice leaves the select showing the filter still in force, not the one refused. */
  private onSelect(event: Event, key: 'status' | 'sort'): void {
    const select = event.target as HTMLSelectElement;
    if (this.filterBy({ [key]: select.value } as FilterChange)) return;
    const p = this.params();
    select.value = key === 'sort' ? (p.sort ?? 'updated') : (p.status ?? '');
  }

  private async loadMore(): Promise<void> {
    const portal = this.portal;
    const cursor = this.nextCursor;
    if (!portal || !cursor || this.loadingMore) return;
    if (!emit(this, 'portal-load-more', { list: 'jobs', cursor }, { cancelable: true })) return;
    const abort = (this.moreAbort = new AbortController());
    this.loadingMore = true;
    this.moreError = '';
    try {
      const page = await portal.client.listJobs({ ...this.params(), cursor }, abort.signal);
      if (abort.signal.aborted) return;
      const known = new Set(this.items.map((j) => j.id));
      const fresh = dedupe(page.items).filter((j) => !known.has(j.id));
      this.items = [...this.items, ...fresh];
      this.nextCursor = page.nextCursor;
      this.announcement = `Loaded ${plural(fresh.length, 'more job')}. ${plural(this.items.length, 'job')} shown${page.nextCursor ? '' : ', all there are'}.`;
      this.loadingMore = false;
      await this.updateComplete;
      // Carry on reading where the new jobs start.
      (fresh[0] ? this.$(`button.open[data-id="${fresh[0].id}"]`) : this.$('#heading'))?.focus();
    } catch (error) {
      const message = reportError(this, portal, 'load-more-jobs', error);
      if (message !== null) this.moreError = message;
    } finally {
      if (this.moreAbort === abort) this.loadingMore = false;
    }
  }

  private async select(job: JobSummary): Promise<void> {
    if (!emit(this, 'portal-job-select', { job }, { cancelable: true })) return;
    this.view = { kind: 'detail', job };
    await this.updateComplete;
    this.$<HTMLElementTagNameMap['job-detail']>('job-detail')?.focusHeading();
  }

  private async showList(focus: { job?: number; selector?: string }): Promise<void> {
    this.view = { kind: 'list' };
    await this.updateComplete;
    const row = focus.job !== undefined ? this.$(`button.open[data-id="${focus.job}"]`) : null;
    (row ?? this.$(focus.selector ?? '#heading') ?? this.$('#heading'))?.focus();
  }

  private async openCreate(): Promise<void> {
    if (!emit(this, 'portal-form-open', { form: 'job' }, { cancelable: true })) return;
    this.view = { kind: 'create' };
    await this.updateComplete;
    const form = this.$<HTMLElementTagNameMap['job-form']>('job-form');
    await form?.updateComplete;
    form?.focus();
  }

  private async onCreated(event: PortalEvent<'portal-job-created'>): Promise<void> {
    const { job } = event.detail;
    this.view = { kind: 'list' };
    void this.listTask.run();
    await this.listTask.taskComplete.catch(() => undefined);
    this.announcement = `Job ${job.number} was sent to the office.`;
    await this.showList({ job: job.id });
  }

  private onUpdated(event: PortalEvent<'portal-job-updated'>): void {
    const { job } = event.detail;
    this.items = this.items.map((j) => (j.id === job.id ? job : j));
    if (this.view.kind === 'detail' && this.view.job.id === job.id) this.view = { kind: 'detail', job };
  }

  private renderControls() {
    const p = this.params();
    return html`
      <div part="controls" class="controls">
        <form role="search" class="search" aria-label="Jobs" @submit=${this.onSearchSubmit}>
          <label for="search">Search jobs</label>
          <input part="input" id="search" type="search" maxlength="100" autocomplete="off" placeholder="Number, title or address"
            .value=${live(this.searchText)} @input=${this.onSearchInput} />
        </form>
        <div class="pick">
          <label for="status">Status</label>
          <select part="select" id="status" @change=${(e: Event) => this.onSelect(e, 'status')}>
            <option value="" ?selected=${!p.status}>All statuses</option>
            ${STATUSES.map((s) => html`<option value=${s} ?selected=${p.status === s}>${JOB_STATUS_LABELS[s]}</option>`)}
          </select>
        </div>
        <div class="pick">
          <label for="sort">Sort by</label>
          <select part="select" id="sort" @change=${(e: Event) => this.onSelect(e, 'sort')}>
            <option value="updated" ?selected=${p.sort === 'updated'}>Last update</option>
            <option value="created" ?selected=${p.sort === 'created'}>Date created</option>
          </select>
        </div>
      </div>
    `;
  }

  private renderRow(job: JobSummary, sort: JobSort) {
    return html`<li part="row" class="row">
      <button part="open" class="open" type="button" data-id=${job.id} @click=${() => this.select(job)}>
        <span class="number">${job.number}</span> <span class="title">${job.title}</span>
      </button>
      ${badge(JOB_STATUS_LABELS[job.status] ?? job.status, JOB_STATUS_TONES[job.status] ?? 'neutral')}
      <span class="address">${job.address || 'No address given'}</span>
      <span class="when">${job.scheduledStart ? `Scheduled ${formatDateTime(job.scheduledStart)}` : 'Not scheduled yet'}</span>
      <span class="changed">
        ${sort === 'created'
          ? html`Created <time datetime=${job.createdAt}>${formatDateTime(job.createdAt)}</time>`
          : html`Updated <time datetime=${job.updatedAt}>${formatDateTime(job.updatedAt)}</time>`}
      </span>
    </li>`;
  }

  private renderResults() {
    const p = this.params();
    const mine = this.itemsOf !== null && this.itemsOf === this.portal?.me?.contact.id;
    const status = this.listTask.status;
    if (status === TaskStatus.ERROR) {
      return html`<div part="error">${failed(asApiError(this.listTask.error).message, () => void this.listTask.run())}</div>`;
    }
    if (!mine || status === TaskStatus.INITIAL) return loading('Loading jobs…');
    if (!this.items.length) {
      if (status === TaskStatus.PENDING) return loading('Loading jobs…');
      return empty(p.q || p.status ? 'No jobs match your search.' : 'You have no jobs yet.');
    }
    return html`
      <ul part="list" class="jobs" aria-labelledby="heading" aria-busy=${status === TaskStatus.PENDING ? 'true' : 'false'}>
        ${repeat(this.items, (j) => j.id, (j) => this.renderRow(j, p.sort === 'created' ? 'created' : 'updated'))}
      </ul>
      ${this.moreError ? html`<p part="error" class="error" role="alert">${this.moreError}</p>` : nothing}
      ${this.nextCursor
        ? html`<button part="button" class="secondary more" type="button" ?disabled=${this.loadingMore} aria-disabled=${this.loadingMore ? 'true' : 'false'}
            @click=${this.loadMore}>${this.loadingMore ? 'Loading more…' : this.moreError ? 'Try loading more again' : 'Load more'}</button>`
        : nothing}
    `;
  }

  private renderList(me: NonNullable<PortalState['me']>) {
    return html`
      <section part="base" class="card" aria-labelledby="heading">
        <div class="head">
          <h2 id="heading" tabindex="-1">Jobs</h2>
          ${me.permissions.createJobs
            ? html`<button part="button" class="primary new" type="button" @click=${this.openCreate}>New job</button>`
            : nothing}
        </div>
        ${me.permissions.jobs === 'view_own' || me.permissions.jobs === 'edit_own'
          ? html`<p class="muted">The jobs you asked for or are the contact of.</p>`
          : nothing}
        ${this.renderControls()} ${this.renderResults()}
      </section>
    `;
  }

  private renderBody() {
    const portal = this.portal;
    if (!portal || portal.status === 'loading') return loading();
    if (portal.status !== 'signed-in' || !portal.me) return html`<p class="state">Log in to see your jobs.</p>`;
    const me = portal.me;
    if (me.permissions.jobs === 'none') return notAllowed('jobs');
    const view = this.view;
    if (view.kind === 'detail') {
      return html`
        <button part="button" class="secondary back" type="button" @click=${() => this.showList({ job: view.job.id })}>Back to jobs</button>
        <job-detail .jobId=${view.job.id} @portal-job-updated=${this.onUpdated}></job-detail>
      `;
    }
    if (view.kind === 'create') {
      return html`<job-form .onclose=${() => this.showList({ selector: 'button.new' })} @portal-job-created=${this.onCreated}></job-form>`;
    }
    return this.renderList(me);
  }

  override render() {
    return html`
      ${offlineNote(this.portal)} ${this.renderBody()}
      <p class="visually-hidden" role="status">${this.announcement}</p>
    `;
  }
}

function dedupe(jobs: JobSummary[]): JobSummary[] {
  const seen = new Set<number>();
  return jobs.filter((j) => !seen.has(j.id) && (seen.add(j.id), true));
}
