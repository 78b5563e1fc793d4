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
import { ListController } from '../../ui/list-controller.js';
import { appointment } from '../../ui/times.js';
import { badge, empty, failed, loading, notAllowed, offlineNote, reportError, DraftsController, reconnects } from '../../ui/states.js';
import { styles } from './styles.js';
import type { Renders } from '../../define.js';
import { JobDetailElement } from '../job-detail/job-detail.js';
import { JobForm } from '../job-form/job-form.js';
import { JOB_STATUSES, LIMITS } from '../../../server/contract.js';

export type JobSort = 'updated' | 'created';
type View = { kind: 'list' } | { kind: 'detail'; id: number } | { kind: 'create' };

/** Every status the server knows (format.ts keys them all, checked by the type). */
const STATUSES: readonly JobStatus[] = JOB_STATUSES;

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
 * @fires portal-view-change - The user opened a job, went back to the list, or changed the search or filter.
 * `detail: { list: 'jobs', id, query, status }`.
 *
 * Live: rows change in place as the office moves jobs along (status, schedule, technician), a new
 * job the filter would show appears at the top, and a polite status message says what changed;
 * focus and scroll stay where they were.
 *
 * @csspart base - The card around the list.
 * @csspart toolbar - The search, filter and sort controls (alias: `controls`).
 * @csspart search - The search box (alias: `input`).
 * @csspart filter - The status filter (alias: `select`).
 * @csspart sort - The sort order (alias: `select`).
 * @csspart list - The list of jobs.
 * @csspart row - One job.
 * @csspart open - The button that opens a job (its number and title).
 * @csspart badge - A status badge.
 * @csspart empty - The note shown when there are no jobs (or none match).
 * @csspart load-more - The "Load more" button.
 * @csspart button - Every button but a job's own: "New job", "Load more", "Back to jobs".
 * @csspart error - An error message.
 *
 * @cssprop --job-list-max-width - Width of the list (default 56rem).
 * @cssprop --job-list-row-gap - Space between rows (default var(--portal-space)).
 */
export class JobList extends LitElement {
  static override styles = styles;
  /** The elements it renders: defining this tag defines them too. */
  static renders: Renders = { 'job-detail': JobDetailElement, 'job-form': JobForm };

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
  /** Whose jobs the list holds: a list never shows a previous contact's jobs. */
  @state() private itemsOf: number | null = null;
  @state() private announcement = '';
  /** The job just asked for here: said in a visible notice, its row highlighted. */
  @state() private created: { id: number; text: string } | null = null;

  private readonly list = new ListController<JobSummary>(this, {
    list: 'jobs',
    filter: () => {
      const p = this.params();
      return { query: p.q ?? '', status: p.status ?? '', sort: p.sort ?? 'updated' };
    },
    apply: (change) => {
      if (change.query !== undefined) this.query = change.query;
      if (change.status !== undefined) this.status = change.status as JobStatus | '';
      if (change.sort !== undefined) this.sort = change.sort as JobSort;
    },
    more: (cursor, signal) => this.portal!.client.listJobs({ ...this.params(), cursor }, signal),
    failed: (error) => reportError(this, this.portal, 'load-more-jobs', error),
  });
  /** Live events that came while a page was loading: applied to it where it is older. */
  private missed: Parameters<typeof applyJobEvent>[1][] = [];

  // Job requests made offline, until sent; a sent one shows in the list.
  private readonly drafts = new DraftsController(this, () => this.portal, 'job', () => void this.listTask.run());
  private readonly listTask = new Task(this, {
    task: async ([client, signedIn, access, , params], { signal }) => {
      this.list.stopMore();
      if (!client || !signedIn || !access || access === 'none') return initialState;
      try {
        return await client.listJobs(params, signal);
      } catch (error) {
        reportError(this, this.portal, 'load-jobs', error);
        throw error;
      }
    },
    args: () => [this.portal?.client, this.portal?.status === 'signed-in', this.portal?.me?.permissions.jobs, this.portal?.me?.contact.id, this.params(), reconnects(this.portal)] as const,
    argsEqual: (a, b) => a.length === b.length && a.every((v, i) => (i === 4 ? JSON.stringify(v) === JSON.stringify(b[i]) : v === b[i])),
    onComplete: (page) => {
      this.list.reset({ ...page, items: this.withMissed(page.items) });
      this.itemsOf = this.portal?.me?.contact.id ?? null;
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
    const applied = applyJobEvent(this.list.items, e, this.params());
    if (!applied) return;
    this.list.replace(applied.items);
    // An open job-detail follows the stream itself.
    if (applied.announcement) this.announcement = applied.announcement;
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

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('query')) this.list.showQuery(this.query);
    this.busy = this.listTask.status === TaskStatus.PENDING || this.list.loadingMore;
  }

  private $<E extends HTMLElement = HTMLElement>(selector: string): E | null {
    return this.renderRoot.querySelector<E>(selector);
  }

  private async loadMore(): Promise<void> {
    const fresh = await this.list.loadMore();
    if (!fresh) return;
    const { items, cursor } = this.list;
    this.announcement = `Loaded ${plural(fresh.length, 'more job')}. ${plural(items.length, 'job')} shown${cursor ? '' : ', all there are'}.`;
    await this.updateComplete;
    // Carry on reading where the new jobs start.
    (fresh[0] ? this.$(`button.open[data-id="${fresh[0].id}"]`) : this.$('#heading'))?.focus();
  }

  private async select(job: JobSummary): Promise<void> {
    if (!emit(this, 'portal-job-select', { job }, { cancelable: true })) return;
    this.created = null;
    await this.open(job.id);
    this.viewChanged();
  }

  /**
   * Shows the job with this id (its heading focused), or the list for null, as a link or Back
   * would; it fires no event (setting a view in code fires nothing).
   */
  async open(id: number | null): Promise<void> {
    if (id === null) {
      if (this.view.kind !== 'list') await this.showList({ job: this.view.kind === 'detail' ? this.view.id : undefined }, false);
      return;
    }
    this.view = { kind: 'detail', id };
    await this.updateComplete;
    this.$<HTMLElementTagNameMap['job-detail']>('job-detail')?.focusHeading();
  }

  /** Tells the page (customer-portal's URL) what the user now has open. */
  private viewChanged(): void {
    const p = this.params();
    emit(this, 'portal-view-change', { list: 'jobs', id: this.view.kind === 'detail' ? this.view.id : null, query: p.q ?? '', status: p.status ?? '' });
  }

  private async showList(focus: { job?: number; selector?: string }, byUser = true): Promise<void> {
    this.view = { kind: 'list' };
    if (byUser) this.viewChanged();
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
    this.created = { id: job.id, text: `Job ${job.number} was sent to ${this.portal?.config?.name ?? 'the office'}. You will see here when it is scheduled.` };
    await this.showList({ job: job.id });
  }

  private onUpdated(event: PortalEvent<'portal-job-updated'>): void {
    const { job } = event.detail;
    this.list.replace(this.list.items.map((j) => (j.id === job.id ? job : j)));
  }

  private renderControls() {
    const p = this.params();
    return html`
      <div part="toolbar controls" class="controls">
        <form role="search" class="search" aria-label="Jobs" @submit=${this.list.onSubmit}>
          <label for="search">Search jobs</label>
          <input part="search input" id="search" type="search" maxlength=${LIMITS.search} autocomplete="off" placeholder="Number, title or address"
            .value=${live(this.list.text)} @input=${this.list.onInput} />
        </form>
        <div class="pick">
          <label for="status">Status</label>
          <select part="filter select" id="status" @change=${this.list.onSelect('status')}>
            <option value="" ?selected=${!p.status}>All statuses</option>
            ${STATUSES.map((s) => html`<option value=${s} ?selected=${p.status === s}>${JOB_STATUS_LABELS[s]}</option>`)}
          </select>
        </div>
        <div class="pick">
          <label for="sort">Sort by</label>
          <select part="sort select" id="sort" @change=${this.list.onSelect('sort')}>
            <option value="updated" ?selected=${p.sort === 'updated'}>Last update</option>
            <option value="created" ?selected=${p.sort === 'created'}>Date created</option>
          </select>
        </div>
      </div>
    `;
  }

  private renderRow(job: JobSummary, sort: JobSort) {
    return html`<li part="row" class="row ${this.created?.id === job.id ? 'fresh' : ''}">
      <button part="open" class="open" type="button" data-id=${job.id} @click=${() => this.select(job)}>
        <span class="number">${job.number}</span> <span class="title">${job.title}</span>
      </button>
      ${badge(JOB_STATUS_LABELS[job.status] ?? job.status, JOB_STATUS_TONES[job.status] ?? 'neutral')}
      <span class="address">${job.address || 'No address given'}</span>
      <span class="when">${job.scheduledStart ? appointment(job.scheduledStart, job.scheduledEnd, this.portal?.config?.timeZone) : 'Not scheduled yet'}</span>
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
    const { items, cursor, loadingMore, moreError } = this.list;
    if (!items.length) {
      if (status === TaskStatus.PENDING) return loading('Loading jobs…');
      return empty(p.q || p.status
        ? 'No jobs match your search. Try other words, or choose “All statuses”.'
        : this.portal?.me?.permissions.createJobs
          ? 'You have no jobs yet. Use “New job” to ask for one.'
          : 'You have no jobs yet. Jobs your provider books for you will show here.');
    }
    return html`
      <ul part="list" class="jobs" aria-labelledby="heading" aria-busy=${status === TaskStatus.PENDING ? 'true' : 'false'}>
        ${repeat(items, (j) => j.id, (j) => this.renderRow(j, p.sort === 'created' ? 'created' : 'updated'))}
      </ul>
      ${moreError ? html`<p part="error" class="error" role="alert">${moreError}</p>` : nothing}
      ${cursor
        ? html`<button part="load-more button" class="secondary more" type="button" ?disabled=${loadingMore} aria-disabled=${loadingMore ? 'true' : 'false'}
            @click=${this.loadMore}>${loadingMore ? 'Loading more…' : moreError ? 'Try loading more again' : 'Load more'}</button>`
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
        <div role="status">${this.created ? html`<p part="notice" class="success notice">${this.created.text}</p>` : nothing}</div>
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
        <button part="button" class="back" type="button" @click=${() => this.showList({ job: view.id })}>Back to jobs</button>
        <job-detail .jobId=${view.id} @portal-job-updated=${this.onUpdated}></job-detail>
      `;
    }
    if (view.kind === 'create') {
      return html`<job-form .onclose=${() => this.showList({ selector: 'button.new' })} @portal-job-created=${this.onCreated}></job-form>`;
    }
    return this.renderList(me);
  }

  override render() {
    return html`
      ${offlineNote(this.portal)} ${this.portal?.status === 'signed-in' ? this.drafts.render() : nothing} ${this.renderBody()}
      <p class="visually-hidden" role="status">${this.announcement}</p>
    `;
  }
}
