import { css } from 'lit';
import { formStyles, visuallyHidden } from '../../ui/form.js';
import { stateStyles } from '../../ui/states.js';
import { actionsAndNoticeStyles } from '../../ui/notice.js';
import { hostStyles } from '../../ui/styles.js';

export const styles = [
  formStyles,
  stateStyles,
  hostStyles,
  actionsAndNoticeStyles,
  css`
    :host {
      max-width: var(--quote-list-max-width, var(--portal-content-width));
      container-type: inline-size;
    }
    /* Narrow: each line item is a small stack of label and value, never wider than the card. */
    @container (max-width: 34rem) {
      .lines thead {
        ${visuallyHidden}
      }
      .lines tbody tr {
        display: grid;
        padding: 0.5rem 0;
        border-bottom: 1px solid var(--portal-color-border);
      }
      .lines tbody td {
        display: flex;
        justify-content: space-between;
        gap: 1rem;
        padding: 0.125rem 0;
        border: none;
      }
      .lines tbody td:first-child {
        font-weight: 600;
      }
      .lines tbody td[data-label]::before {
        content: attr(data-label);
        color: var(--portal-color-text-muted);
        font-weight: 400;
      }
      .lines tfoot tr {
        display: flex;
        justify-content: space-between;
      }
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      gap: var(--portal-space);
      align-items: center;
      justify-content: space-between;
    }
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      gap: var(--portal-space);
      align-items: end;
    }
    .toolbar .field {
      flex: 1 1 12rem;
    }
    select {
      min-height: 2.5rem;
    }
    .list {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.5rem;
    }
    .item {
      display: grid;
      gap: 0.375rem;
      overflow-wrap: break-word;
      width: 100%;
      text-align: start;
      color: var(--portal-color-text);
      background: var(--quote-list-item-background, var(--portal-color-surface-raised));
      border: 1px solid var(--portal-color-border);
    }
    .item:hover {
      border-color: var(--portal-color-brand);
    }
    .item-head {
      font-weight: 600;
    }
    .item-head .number,
    h2 .number {
      color: var(--portal-color-text-muted);
      font-variant-numeric: tabular-nums;
    }
    .item-meta {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 0.75rem;
      align-items: center;
      font-size: 0.875rem;
      color: var(--portal-color-text-muted);
    }
    .item-meta .total {
      color: var(--portal-color-text);
      font-weight: 600;
    }
    .more {
      justify-self: center;
    }
    .facts {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));
      gap: 0.5rem var(--portal-space);
      margin: 0;
    }
    dt {
      font-size: 0.875rem;
      color: var(--portal-color-text-muted);
    }
    dd {
      margin: 0;
    }
    .description,
    .response-note dd {
      margin: 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    section {
      display: grid;
      gap: 0.5rem;
    }
    .lines {
      width: 100%;
      border-collapse: collapse;
    }
    .lines caption {
      text-align: start;
      font-weight: 600;
      padding-bottom: 0.25rem;
    }
    .lines th,
    .lines td {
      padding: 0.375rem 0.5rem;
      border-bottom: 1px solid var(--portal-color-border);
      text-align: start;
      vertical-align: top;
    }
    .lines .num {
      text-align: end;
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }
    .lines tfoot th {
      text-align: end;
    }
    .lines tfoot :is(th, td) {
      font-weight: 700;
      border-bottom: none;
    }
    .answer {
      border-top: 1px solid var(--portal-color-border);
      padding-top: var(--portal-space);
    }
    .confirm {
      display: grid;
      gap: 0.5rem;
      padding: var(--portal-space);
      border: 1px solid var(--portal-color-danger);
    }
    .confirm.accept {
      border-color: var(--portal-color-brand);
      border-radius: var(--portal-radius);
    }
    .confirm p {
      margin: 0;
      font-weight: 600;
    }
    .danger {
      background: var(--portal-color-danger);
      color: var(--portal-color-surface);
      border: 1px solid var(--portal-color-danger);
      font-weight: 600;
    }
  `,
];
