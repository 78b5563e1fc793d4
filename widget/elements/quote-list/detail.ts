/**
 * quote-list's detail view: what a quote says, and the accept/decline form. Render functions only,
 * loaded with the first quote opened (quote-list.ts), so the list itself downloads without them.
 */
import { html, nothing } from 'lit';
import type { QuoteDetail, QuoteLine } from '../../api/client.js';
import { QUOTE_STATUS_LABELS, QUOTE_STATUS_TONES, formatDate, formatDateTime, formatMoney } from '../../ui/format.js';
import { badge } from '../../ui/states.js';
import { textareaField } from '../../ui/form.js';
import { MAX_NOTE } from './answer.js';

const quantityFmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });

const lineTotal = (l: QuoteLine): number => Math.round(l.quantity * l.unitPriceCents);

function fact(term: string, value: unknown, cls: string) {
  return html`<div class=${cls}><dt>${term}</dt><dd>${value}</dd></div>`;
}

function renderLines(q: QuoteDetail) {
  if (!q.lines.length) return html`<p class="muted">No prices yet: the quote has not been priced.</p>`;
  const money = (cents: number | null): string => formatMoney(cents, q.currency);
  return html`<table part="lines" class="lines">
    <caption>Line items</caption>
    <thead>
      <tr>
        <th scope="col">Description</th>
        <th scope="col" class="num">Quantity</th>
        <th scope="col" class="num">Unit price</th>
        <th scope="col" class="num">Line total</th>
      </tr>
    </thead>
    <tbody>
      ${q.lines.map(
        (l) => html`<tr>
          <td>${l.description}</td>
          <td class="num" data-label="Quantity">${quantityFmt.format(l.quantity)}</td>
          <td class="num" data-label="Unit price">${money(l.unitPriceCents)}</td>
          <td class="num" data-label="Line total">${money(lineTotal(l))}</td>
        </tr>`,
      )}
    </tbody>
    <tfoot>
      <tr>
        <th scope="row" colspan="3">Total</th>
        <td class="num total">${money(q.totalCents)}</td>
      </tr>
    </tfoot>
  </table>`;
}

function renderResponse(q: QuoteDetail) {
  if (!q.respondedAt) return nothing;
  const answer = q.status === 'declined' ? 'Declined' : 'Accepted';
  return html`<section class="response" aria-labelledby="response-heading">
    <h3 id="response-heading">Your answer</h3>
    <dl class="facts">
      ${fact('Answer', answer, 'response-answer')}
      ${fact('Answered on', formatDateTime(q.respondedAt), 'response-date')}
      ${q.responseNote ? fact('Your note', q.responseNote, 'response-note') : nothing}
    </dl>
  </section>`;
}

/** Everything the quote says. */
export function renderDetail(q: QuoteDetail) {
  const total = formatMoney(q.totalCents, q.currency);
  return html`
    <dl part="facts" class="facts">
      ${fact('Status', badge(QUOTE_STATUS_LABELS[q.status], QUOTE_STATUS_TONES[q.status]), 'status')}
      ${fact('Total', total || 'Not priced yet', 'total')}
      ${fact('Sent', formatDate(q.sentAt) || 'Not sent yet', 'sent')}
      ${fact('Valid until', formatDate(q.validUntil) || 'No end date', 'valid')}
      ${fact('Address', q.address || 'Not given', 'address')}
      ${fact('Last update', formatDateTime(q.updatedAt), 'updated')}
    </dl>
    <section aria-labelledby="description-heading">
      <h3 id="description-heading">Description</h3>
      <p class="description">${q.description || 'No description.'}</p>
    </section>
    ${renderLines(q)} ${renderResponse(q)}
  `;
}

export interface AnswerOptions {
  busy: boolean;
  confirming: '' | 'accept' | 'decline';
  noteError: string;
  onNoteInput(): void;
  onAccept(): void;
  onDecline(): void;
  onConfirm(): void;
  onKeep(): void;
}

/** Accept or decline, when this contact may; otherwise why not. */
export function renderAnswer(q: QuoteDetail, o: AnswerOptions) {
  if (!q.canAnswer) {
    const why =
      q.status === 'sent'
        ? 'Your account can see this quote but not answer it. Ask your provider if you need to.'
        : q.status === 'expired'
          ? 'This quote has expired. Request a new quote if you still need the work.'
          : q.status === 'requested'
            ? 'We are preparing this quote. You can answer it once it is sent to you.'
            : '';
    return why ? html`<p class="muted why">${why}</p>` : nothing;
  }
  return html`<form part="answer" class="answer" novalidate aria-labelledby="answer-heading" @submit=${(e: Event) => e.preventDefault()}>
    <h3 id="answer-heading">Accept or decline</h3>
    <p class="muted">You can answer once${q.validUntil ? `, until ${formatDate(q.validUntil)}` : ''}.</p>
    ${textareaField({
      name: 'note',
      label: 'Note to the provider (optional)',
      hint: `Up to ${MAX_NOTE} characters.`,
      error: o.noteError || undefined,
      disabled: o.busy,
      rows: 3,
      part: 'input textarea',
      onInput: o.onNoteInput,
    })}
    ${o.confirming
      ? html`<div class="confirm ${o.confirming}" role="group" aria-labelledby="confirm-text"
          @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && !o.busy && (e.stopPropagation(), o.onKeep())}>
          <p id="confirm-text" tabindex="-1">${o.confirming === 'accept'
            ? `Accept quote ${q.number}${q.totalCents !== null ? ` for ${formatMoney(q.totalCents, q.currency)}` : ''}? You cannot change your answer afterwards.`
            : `Decline quote ${q.number}? You cannot change your answer afterwards.`}</p>
          <div class="actions">
            ${o.confirming === 'accept'
              ? html`<button part="button" class="primary confirm-accept" type="button" ?disabled=${o.busy} @click=${o.onConfirm}>
                  ${o.busy ? 'Accepting…' : 'Yes, accept'}
                </button>`
              : html`<button part="button" class="danger confirm-decline" type="button" ?disabled=${o.busy} @click=${o.onConfirm}>
                  ${o.busy ? 'Declining…' : 'Yes, decline'}
                </button>`}
            <button part="button" class="secondary keep" type="button" ?disabled=${o.busy} @click=${o.onKeep}>Keep the quote</button>
          </div>
        </div>`
      : html`<div class="actions">
          <button part="button" class="primary accept" type="button" ?disabled=${o.busy} @click=${o.onAccept}>
            ${o.busy ? 'Accepting…' : 'Accept'}
          </button>
          <button part="button" class="secondary decline" type="button" ?disabled=${o.busy} @click=${o.onDecline}>Decline</button>
        </div>`}
  </form>`;
}
