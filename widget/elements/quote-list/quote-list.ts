import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task, TaskStatus, initialState } from '@lit/task';
import type { QuoteDetail, QuoteStatus, QuoteSummary } from '../../api/client.js';
import { portalContext, type PortalState } from '../../context.js';
import { emit } from '../../events.js';
import { asApiError } from '../../ui/form.js';
import { ListController } from '../../ui/list-controller.js';
import { empty, failed, loading, notAllowed, offlineNote, reportError, DraftsController, reconnects } from '../../ui/states.js';
import { QuoteAnswer } from './answer.js';
import { STATUSES, renderItem, renderToolbar, summaryOf, withQuote } from './list.js';
import { styles } from './styles.js';

let detailView: typeof import('./detail.js') | undefined;
/** The detail view's render functions, fetched with the first quote opened. */
const loadDetailView = async (): Promise<void> => void (detailView ??= await import('./detail.js'));
import type { Renders } from '../../define.js';
import { QuoteForm } from '../quote-form/quote-form.js';
import { LiveController } from '../../live/controller.js';
import { QUOTE_STATUS_LABELS } from '../../ui/format.js';

export type QuoteListView = 'list' | 'detail' | 'form';

const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';

/**
 * @tagname quote-list
 * @summary The contact's quotes: search, filter by status, page through them, open one to read
 * it and accept or decline it, and request a new quote (with a built-in quote-form).
 *
 * @fires portal-filter - Cancelable, the user changed the search (once typing pauses, or on Enter) or the status filter,
 * before the list loads. Cancel to keep the list as it was. `detail: { list: 'quotes', query, status, sort: '' }`.
 * @fires portal-load-more - Cancelable, "Load more" was pressed, before the next page loads. Cancel to load nothing.
 * `detail: { list: 'quotes', cursor }`.
 * @fires portal-form-open - Cancelable, "Request a quote" was pressed. Cancel to keep the built-in quote-form closed.
 * `detail: { form: 'quote' }`.
 * @fires portal-quote-select - Cancelable: a quote was chosen; cancel to show it your own way. `detail: { quote }` (QuoteSummary).
 * @fires portal-quote-answer - Cancelable, before a quote is accepted or declined; cancel to stop it. `detail: { quote, answer, note }`.
 * @fires portal-quote-accepted - The quote was accepted. `detail: { quote }` (QuoteDetail).
 * @fires portal-quote-declined - The quote was declined. `detail: { quote }` (QuoteDetail).
 * @fires portal-quote-submit - From the built-in quote-form. Cancelable.
 * @fires portal-quote-requested - From the built-in quote-form.
 * @fires portal-error - A request failed. `detail: { code, message, status, action }`.
 * @fires portal-view-change - The user opened a quote, went back to the list, or changed the search or filter.
 * `detail: { list: 'quotes', id, query, status }`.
 *
 * Live: a quote the office sends, expires or that is answered elsewhere changes in place (and the
 * open one reloads), with a polite status message.
 *
 * @csspart base - The card around the list.
 * @csspart toolbar - The search box and status filter.
 * @csspart search - The search box.
 * @csspart filter - The status filter.
 * @csspart list - The list of quotes.
 * @csspart row - One quote in the list.
 * @csspart open - The button that opens a quote: the whole entry (alias: `item`).
 * @csspart badge - Each status badge.
 * @csspart empty - The note shown when there are no quotes (or none match).
 * @csspart load-more - The "Load more" button (also a `button`).
 * @csspart button - Every action button: "Load more", "Request a quote", Accept, Decline, confirmations.
 * @csspart detail - The card around a quote's detail.
 * @csspart back - The "Back to quotes" button.
 * @csspart facts - The quote's facts (status, total, dates, address).
 * @csspart lines - The table of line items.
 * @csspart answer - The accept/decline form.
 * @csspart input - The note textarea.
 * @csspart error - Error messages.
 * @csspart notice - The confirmation after answering.
 *
 * @cssprop --quote-list-max-width - Width of the element (default 48rem).
 * @cssprop --quote-list-item-background - Background of a quote in the list (default the raised surface).
 */
export class QuoteList extends LitElement {
  static override styles = styles;
  /** The elements it renders: defining this tag defines them too. */
  static renders: Renders = { 'quote-form': QuoteForm };

  /** Show only quotes in this status (one of QUOTE_STATUSES); empty: all. Reflected. */
  @property({ reflect: true }) status: QuoteStatus | '' = '';
  /** Search text (quote number or title). */
  @property() query = '';
  /** Quotes per page, 1 to 100. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 20;
  /** What is shown: the list, one quote, or the request form. Reflected; set by the element. */
  @property({ reflect: true }) view: QuoteListView = 'list';
  /** True while an answer is being sent. Reflected. */
  @property({ type: Boolean, reflect: true }) busy = false;

  @consume({ context: portalContext, subscribe: true })
  @state()
  protected portal?: PortalState;

  /** The quote open: its summary when chosen from the list, only its id when opened by `open()`. */
  @state() private selected: (Partial<QuoteSummary> & { id: number }) | null = null;
  @state() private detail: QuoteDetail | null = null;
  /** Bumped on every selection, so choosing the same quote again reloads it. */
  @state() private opened = 0;
  /** What a live update changed, for screen readers (polite). */
  @state() private liveNote = '';
  private missedWhileLoading = false;
  /** What to focus once it is rendered (a selector in the shadow root). */
  private focusAfter: string | null = null;
  private requested = false;
  private contact: number | null = null;

  private readonly list = new ListController<QuoteSummary>(this, {
    list: 'quotes',
    filter: () => ({ query: this.params().q ?? '', status: this.filter ?? '', sort: '' }),
    apply: (change) => {
      if (change.query !== undefined) this.query = change.query;
      if (change.status !== undefined) this.status = change.status as QuoteStatus | '';
    },
    more: (cursor, signal) => this.portal!.client.listQuotes(this.params(cursor), signal),
    failed: (error) => asApiError(this.failure('list-quotes', error)).message,
  });

  private get filter(): QuoteStatus | undefined {
    return STATUSES.includes(this.status as QuoteStatus) ? (this.status as QuoteStatus) : undefined;
  }

  private get limit(): number {
    const n = Math.trunc(Number(this.pageSize));
    return Number.isFinite(n) ? Math.min(100, Math.max(1, n)) : 20;
  }

  private params(cursor?: string) {
    return { status: this.filter, q: this.query.trim().slice(0, 100) || undefined, limit: this.limit, cursor };
  }

  /** Reports a failure (portal-error, session end on 401); what to throw from a task. */
  private failure(action: string, error: unknown): unknown {
    return reportError(this, this.portal, action, error) === null ? error : asApiError(error);
  }

  // Quote requests made offline, until sent; a sent one shows in the list.
  private readonly drafts = new DraftsController(this, () => this.portal, 'quote', () => void this.listTask.run());
  private readonly listTask = new Task(this, {
    args: () => [this.portal?.client, this.portal?.status, this.portal?.me?.permissions.quotes, this.filter, this.query.trim(), this.limit, reconnects(this.portal)] as const,
    task: async ([client, status, access], { signal }) => {
      this.list.stopMore();
      if (!client || status !== 'signed-in' || !access || access === 'none') return initialState;
      try {
        return await client.listQuotes(this.params(), signal);
      } catch (error) {
        throw this.failure('list-quotes', error);
      }
    },
    onComplete: (page) => {
      this.list.reset(page);
      // A live change came in while this page was loading: it may predate it.
      if (this.missedWhileLoading) {
        this.missedWhileLoading = false;
        void this.listTask.run();
      }
    },
  });

  private readonly detailTask = new Task(this, {
    args: () => [this.portal?.client, this.portal?.status, this.selected?.id, this.opened] as const,
    task: async ([client, status, id], { signal }) => {
      if (!client || status !== 'signed-in' || id === undefined) return initialState;
      try {
        const [quote] = await Promise.all([client.getQuote(id, signal), loadDetailView()]);
        return quote;
      } catch (error) {
        throw this.failure('get-quote', error);
      }
    },
    onComplete: (quote) => this.showQuote(quote),
  });

  /** Accepting or declining the quote on screen. */
  private readonly answer = new QuoteAnswer(this, {
    portal: () => this.portal,
    quote: () => this.detail,
    answered: (quote) => this.showQuote(quote),
    stale: (quote) => {
      // What is on screen may be newer than the quote answered (a live update reloaded it meanwhile).
      this.detail = { ...(this.detail?.id === quote.id ? this.detail : quote), canAnswer: false };
      void this.detailTask.run();
    },
    focus: (selector) => (this.focusAfter = selector),
  });

  protected readonly live = new LiveController(this, () => this.portal?.live, {
    event: (e) => {
      if (!e.type.startsWith('quote.') || !('quote' in e.data)) return;
      const quote = e.data.quote;
      if (this.listTask.status !== TaskStatus.COMPLETE && !this.list.items.some((q) => q.id === quote.id)) this.missedWhileLoading = true;
      const items = withQuote(this.list.items, quote, this.filter, this.query);
      if (!items) return;
      this.list.replace(items);
      this.liveNote = `Quote ${quote.number} is ${QUOTE_STATUS_LABELS[quote.status].toLowerCase()}.`;
      // The open quote reloads, unless an answer is being given or has just failed (that reloads it itself).
      if (this.view === 'detail' && this.selected?.id === quote.id && !this.busy && !this.answer.state.error) void this.detailTask.run();
    },
    reload: () => void this.listTask.run(),
  });

  /** Shows the quote as loaded or answered, and brings its entry in the list up to date. */
  private showQuote(quote: QuoteDetail): void {
    this.detail = quote;
    this.list.replace(this.list.items.map((i) => (i.id === quote.id ? summaryOf(quote) : i)));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('query')) this.list.showQuery(this.query);
    // Another contact (or none) must not see what the last one had open.
    const contact = this.portal?.me?.contact.id ?? null;
    if (contact !== this.contact) {
      this.contact = contact;
      this.list.clear();
      this.selected = this.detail = null;
      this.answer.reset();
      this.view = 'list';
    }
  }

  protected override updated(): void {
    if (this.view === 'form' && this.focusAfter === 'quote-form') {
      this.focusAfter = null;
      const form = this.$<HTMLElement & { updateComplete: Promise<boolean> }>('quote-form');
      void form?.updateComplete.then(() => form.focus());
      return;
    }
    const target = this.focusAfter ? this.$(this.focusAfter) : null;
    if (target) {
      this.focusAfter = null;
      target.focus();
    }
  }

  private $<E extends HTMLElement = HTMLElement>(selector: string): E | null {
    return this.renderRoot.querySelector<E>(selector);
  }

  private show(view: QuoteListView, focus: string | null): void {
    this.view = view;
    this.focusAfter = focus;
  }

  private async loadMore(): Promise<void> {
    const first = (await this.list.loadMore())?.[0];
    // Keyboard users carry on from the first new quote rather than from a moved button.
    if (!first) return;
    this.focusAfter = `[part~=open][data-id="${first.id}"]`;
    this.requestUpdate(); // the list may have rendered the page already
  }

  private readonly select = (quote: QuoteSummary): void => {
    if (!emit(this, 'portal-quote-select', { quote }, { cancelable: true })) return;
    this.openQuote(quote);
    this.viewChanged();
  };

  private openQuote(quote: Partial<QuoteSummary> & { id: number }): void {
    this.selected = quote;
    this.detail = null;
    this.opened++;
    this.answer.reset();
    this.show('detail', '#detail-heading');
  }

  /**
   * Shows the quote with this id, or the list for null, as a link or Back would; it fires no
   * event (setting a view in code fires nothing).
   */
  async open(id: number | null): Promise<void> {
    if (id === null) {
      if (this.view !== 'list') this.closeDetail();
    } else if (this.view !== 'detail' || this.selected?.id !== id) {
      this.openQuote(this.list.items.find((q) => q.id === id) ?? { id });
    }
    await this.updateComplete;
  }

  private viewChanged(): void {
    const id = this.view === 'detail' ? (this.selected?.id ?? null) : null;
    emit(this, 'portal-view-change', { list: 'quotes', id, query: this.params().q ?? '', status: this.filter ?? '' });
  }

  private closeDetail(): void {
    const id = this.selected?.id;
    this.detailTask.abort();
    this.answer.reset();
    this.show('list', id === undefined ? '#list-heading' : `[part~=open][data-id="${id}"]`);
  }

  private back(): void {
    this.closeDetail();
    this.viewChanged();
  }

  private openForm(): void {
    if (!emit(this, 'portal-form-open', { form: 'quote' }, { cancelable: true })) return;
    this.requested = false;
    this.show('form', 'quote-form');
  }

  private readonly closeForm = (): void => {
    this.show('list', 'button.request');
    // Its new quote belongs at the top of the list.
    if (this.requested) void this.listTask.run();
    this.requested = false;
  };

  private renderItems() {
    const filtered = !!(this.filter || this.query.trim());
    const { items, cursor, loadingMore: more, moreError } = this.list;
    if (!items.length) {
      return empty(filtered
        ? 'No quotes match your search. Try other words, or choose “All statuses”.'
        : this.portal?.me?.permissions.createQuotes
          ? 'You have no quotes yet. Use “Request a quote” to ask for a price.'
          : 'You have no quotes yet. Quotes your provider sends you will show here.');
    }
    return html`
      <ul part="list" class="list" aria-label="Quotes">
        ${items.map((q) => renderItem(q, this.select))}
      </ul>
      <p class="visually-hidden" role="status">${items.length} ${items.length === 1 ? 'quote' : 'quotes'} shown${cursor ? ', more to load' : ''}.</p>
      ${moreError ? failed(moreError, () => void this.loadMore()) : nothing}
      ${cursor && !moreError
        ? html`<button part="load-more button" class="secondary more" type="button" aria-busy=${more ? 'true' : 'false'} @click=${this.loadMore}>
            ${more ? 'Loading…' : 'Load more'}
          </button>`
        : nothing}
    `;
  }

  private renderList(portal: PortalState) {
    const canRequest = !!portal.me?.permissions.createQuotes;
    return html`<section part="base" class="card" aria-labelledby="list-heading">
      <div class="head">
        <h2 id="list-heading" tabindex="-1">Quotes</h2>
        ${canRequest ? html`<button part="button" class="primary request" type="button" @click=${this.openForm}>Request a quote</button>` : nothing}
      </div>
      ${offlineNote(portal)} ${this.drafts.render()}
      ${renderToolbar(this.list, this.filter)}
      ${this.listTask.render({
        initial: () => loading(),
        pending: () => loading('Loading quotes…'),
        complete: () => this.renderItems(),
        error: (e) => (isAbort(e) ? loading('Loading quotes…') : failed(asApiError(e).message, () => void this.listTask.run())),
      })}
    </section>`;
  }

  private renderDetailView(portal: PortalState) {
    const head = this.detail ?? this.selected!;
    const body = this.detail && detailView
      ? html`${detailView.renderDetail(this.detail)}
        ${detailView.renderAnswer(this.detail, this.answer.options())}`
      : this.detailTask.render({
          initial: () => loading(),
          pending: () => loading('Loading the quote…'),
          complete: () => loading(),
          error: (e) => (isAbort(e) ? loading() : failed(asApiError(e).message, () => void this.detailTask.run())),
        });
    const { error, notice } = this.answer.state;
    return html`<section part="detail" class="card detail" aria-labelledby="detail-heading">
      <button part="back" class="back" type="button" @click=${this.back}>Back to quotes</button>
      <h2 id="detail-heading" tabindex="-1">${head.number
        ? html`<span class="number">${head.number}</span> <span class="title">${head.title}</span>`
        : 'Quote'}</h2>
      ${offlineNote(portal)}
      ${error ? html`<p part="error" class="error" role="alert" tabindex="-1">${error}</p>` : nothing}
      <div role="status">${notice ? html`<p part="notice" class="success notice" tabindex="-1">${notice}</p>` : nothing}</div>
      ${body}
    </section>`;
  }

  override render() {
    const portal = this.portal;
    if (!portal || portal.status === 'loading') return loading();
    if (portal.status !== 'signed-in' || !portal.me) return html`<p class="state" role="status">Log in to see your quotes.</p>`;
    if (portal.me.permissions.quotes === 'none') return notAllowed('quotes');
    return html`${this.renderView(portal)}<p class="visually-hidden live-note" role="status">${this.liveNote}</p>`;
  }

  private renderView(portal: PortalState) {
    if (this.view === 'detail' && this.selected) return this.renderDetailView(portal);
    if (this.view === 'form') {
      return html`<quote-form
        @portal-quote-requested=${() => (this.requested = true)}
        .onclose=${this.closeForm}
      ></quote-form>`;
    }
    return this.renderList(portal);
  }
}
