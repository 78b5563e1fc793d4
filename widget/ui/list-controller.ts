/**
 * What job-list, quote-list and equipment-list share: the search box (a short pause while typing,
 * Enter at once), the status and sort selects, "Load more" over a keyset cursor, and the
 * cancelable `portal-filter` and `portal-load-more` events in front of them.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Page } from '../api/client.js';
import { emit, type PortalEventDetails, type PortalList } from '../events.js';

/** The filter in force, as `portal-filter` reports it ('' where a list has no status or sort). */
export type ListFilter = Omit<PortalEventDetails['portal-filter'], 'list'>;

/** Typing settles for this long before the search is sent. */
export const SEARCH_DELAY_MS = 250;

export interface ListOptions<T> {
  list: PortalList;
  /** The filter in force, normalised as the server gets it. */
  filter(): ListFilter;
  /** Puts in force what the user chose and no listener refused (`query` trimmed). */
  apply(change: Partial<ListFilter>): void;
  /** The page after `cursor`, with the filter in force. */
  more(cursor: string, signal: AbortSignal): Promise<Page<T>>;
  /** Reports a failed "load more"; the message to show, or null when there is none to show (aborted). */
  failed(error: unknown): string | null;
}

export class ListController<T extends { id: number }> implements ReactiveController {
  /** What is in the search box; it becomes the query once typing pauses, or on Enter. */
  text = '';
  /** Every item shown: the first page and those "Load more" added, each once. */
  items: T[] = [];
  cursor: string | null = null;
  loadingMore = false;
  moreError = '';
  // #private: the minifier shortens these names (it may not rename public ones).
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: ListOptions<T>;
  #timer?: ReturnType<typeof setTimeout>;
  #moreAbort?: AbortController;

  constructor(host: ReactiveControllerHost & HTMLElement, options: ListOptions<T>) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
    this.stopMore();
  }

  /** The query was set (in code or by the user): the box shows it, unless it differs only by spaces still being typed. */
  showQuery(query: string): void {
    if (query.trim() !== this.text.trim()) this.text = query;
  }

  /**
   * Puts a filter the user chose in force, unless a portal-filter listener cancels it. Only user
   * actions come here: setting a list's `query`, `status` or `sort` in code fires nothing.
   * Returns false when cancelled.
   */
  filterBy(change: Partial<ListFilter>): boolean {
    if (change.query !== undefined) change = { ...change, query: change.query.trim() };
    const now = this.#options.filter();
    const next = { ...now, ...change };
    if (next.query === now.query && next.status === now.status && next.sort === now.sort) return true; // nothing would load
    if (!emit(this.#host, 'portal-filter', { list: this.#options.list, ...next }, { cancelable: true })) return false;
    this.#options.apply(change);
    return true;
  }

  /** `@input` of the search box. The list's task aborts a search still running when the next one starts. */
  readonly onInput = (event: Event): void => {
    this.text = (event.target as HTMLInputElement).value;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.filterBy({ query: this.text }), SEARCH_DELAY_MS);
    this.#host.requestUpdate();
  };

  /** `@submit` of the search form: Enter searches at once, for what the box shows (set without typing, too). */
  readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    clearTimeout(this.#timer);
    const box = (event.target as HTMLFormElement).querySelector('input');
    if (box) this.text = box.value;
    this.filterBy({ query: this.text });
  };

  /** `@change` of the status or sort select; a refused choice leaves it showing the filter still in force. */
  onSelect(key: 'status' | 'sort'): (event: Event) => void {
    return (event) => {
      const select = event.target as HTMLSelectElement;
      if (!this.filterBy({ [key]: select.value })) select.value = this.#options.filter()[key];
    };
  }

  /** A first page replaces what was shown. */
  reset(page: Page<T>): void {
    this.replace(page.items);
    this.cursor = page.nextCursor;
    this.moreError = '';
  }

  /** Nothing shown (another contact, or none). */
  clear(): void {
    this.stopMore();
    this.reset({ items: [], nextCursor: null });
  }

  replace(items: T[]): void {
    this.items = unique(items, new Set());
    this.#host.requestUpdate();
  }

  /** A "load more" still running is of no use once the first page loads again. */
  stopMore(): void {
    this.#moreAbort?.abort();
    this.loadingMore = false;
  }

  /**
   * "Load more", unless a portal-load-more listener cancels it: appends the next page (items
   * already shown are skipped) and returns the new items; null when nothing was loaded.
   */
  async loadMore(): Promise<T[] | null> {
    const cursor = this.cursor;
    if (!cursor || this.loadingMore) return null;
    if (!emit(this.#host, 'portal-load-more', { list: this.#options.list, cursor }, { cancelable: true })) return null;
    const abort = (this.#moreAbort = new AbortController());
    this.loadingMore = true;
    this.moreError = '';
    this.#host.requestUpdate();
    try {
      const page = await this.#options.more(cursor, abort.signal);
      if (abort.signal.aborted) return null;
      const fresh = unique(page.items, new Set(this.items.map((i) => i.id)));
      this.items = [...this.items, ...fresh];
      this.cursor = page.nextCursor;
      return fresh;
    } catch (error) {
      const message = abort.signal.aborted ? null : this.#options.failed(error);
      if (message !== null) this.moreError = message;
      return null;
    } finally {
      if (this.#moreAbort === abort) this.loadingMore = false;
      this.#host.requestUpdate();
    }
  }
}

/** Items whose id is not in `seen` (nor earlier in the list); a page may repeat one shown already. */
function unique<T extends { id: number }>(items: T[], seen: Set<number>): T[] {
  return items.filter((i) => !seen.has(i.id) && (seen.add(i.id), true));
}
