/** quote-list's list view pieces: the search/filter toolbar and one quote. Render functions only. */
import { html, nothing } from 'lit';
import type { QuoteDetail, QuoteStatus, QuoteSummary } from '../../api/client.js';
import { QUOTE_STATUS_LABELS, QUOTE_STATUS_TONES, formatDate, formatMoney } from '../../ui/format.js';
import type { ListController } from '../../ui/list-controller.js';
import { badge } from '../../ui/states.js';
import { LIMITS, QUOTE_STATUSES } from '../../../server/contract.js';

export const STATUSES: readonly QuoteStatus[] = QUOTE_STATUSES;

/** The list entry of a quote whose detail was loaded or answered. */
export const summaryOf = (d: QuoteDetail): QuoteSummary => ({
  id: d.id,
  number: d.number,
  title: d.title,
  status: d.status,
  currency: d.currency,
  totalCents: d.totalCents,
  validUntil: d.validUntil,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export function renderItem(q: QuoteSummary, onSelect: (q: QuoteSummary) => void) {
  const total = formatMoney(q.totalCents, q.currency);
  return html`<li part="row">
    <button type="button" part="open item" class="item" data-id=${q.id} @click=${() => onSelect(q)}>
      <span class="item-head"><span class="number">${q.number}</span> <span class="title">${q.title}</span></span>
      <span class="item-meta">
        ${badge(QUOTE_STATUS_LABELS[q.status], QUOTE_STATUS_TONES[q.status])}
        ${total ? html`<span class="total">${total}</span>` : nothing}
        ${q.validUntil ? html`<span class="valid">Valid until ${formatDate(q.validUntil)}</span>` : nothing}
        <span class="updated">Updated ${formatDate(q.updatedAt)}</span>
      </span>
    </button>
  </li>`;
}

export function renderToolbar(list: ListController<QuoteSummary>, filter: QuoteStatus | undefined) {
  return html`<div part="toolbar" class="toolbar">
    <form class="field" role="search" aria-label="Find quotes" @submit=${list.onSubmit}>
      <label for="search">Search quotes</label>
      <input part="search" id="search" type="search" maxlength=${LIMITS.search} autocomplete="off" placeholder="Number or title"
        .value=${list.text} @input=${list.onInput} />
    </form>
    <div class="field">
      <label for="status-filter">Status</label>
      <select part="filter" id="status-filter" @change=${list.onSelect('status')}>
        <option value="" ?selected=${!filter}>All statuses</option>
        ${STATUSES.map((s) => html`<option value=${s} ?selected=${filter === s}>${QUOTE_STATUS_LABELS[s]}</option>`)}
      </select>
    </div>
  </div>`;
}
