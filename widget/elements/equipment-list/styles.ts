import { css } from 'lit';
import { actionsStyles, formStyles, visuallyHidden } from '../../ui/form.js';
import { stateStyles } from '../../ui/states.js';
import { hostStyles } from '../../ui/styles.js';

export const styles = [
  formStyles,
  stateStyles,
  hostStyles,
  actionsStyles,
  css`
    .base {
      display: grid;
      gap: var(--portal-space);
      /* The layout follows the space the host page gives the element, not the viewport. */
      container: equipment-list / inline-size;
    }
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      align-items: end;
      justify-content: space-between;
      gap: var(--portal-space);
    }
    .search {
      display: grid;
      gap: 0.25rem;
      flex: 1 1 16rem;
      max-width: 28rem;
    }
    .add-form .fields {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(min(100%, 14rem), 1fr));
      gap: var(--portal-space);
    }
    .success:empty {
      display: none;
    }
    .list {
      display: grid;
      gap: var(--portal-space);
    }
    .list[aria-busy='true'] table {
      opacity: 0.6;
    }
    table {
      width: 100%;
      border-collapse: collapse;
      font-size: 0.9375rem;
    }
    th,
    td {
      text-align: start;
      vertical-align: top;
      padding: 0.5rem 0.625rem;
      border-bottom: 1px solid var(--portal-color-border-subtle);
      overflow-wrap: break-word;
    }
    thead th {
      font-weight: 600;
      background: var(--portal-color-surface-raised);
      white-space: nowrap;
    }
    tbody tr:nth-child(even) {
      background: var(--equipment-list-stripe, var(--portal-color-surface-raised));
    }
    tbody th {
      font-weight: 600;
    }
    [part~='badge'] {
      margin-inline-start: 0.25rem;
    }
    .overdue [part~='badge'] {
      background: var(--equipment-list-overdue-color, var(--portal-color-danger));
    }
    .more {
      justify-self: center;
    }

    /* Narrow: every item becomes a block of labelled values. */
    @container equipment-list (max-width: 52rem) {
      thead {
        ${visuallyHidden}
      }
      table,
      tbody,
      tr,
      th,
      td {
        display: block;
      }
      tbody tr {
        display: grid;
        gap: 0.25rem;
        padding: 0.75rem 0;
        border-bottom: 1px solid var(--portal-color-border);
      }
      tbody th,
      tbody td {
        padding: 0 0.625rem;
        border: none;
      }
      tbody th {
        font-size: 1.0625rem;
      }
      tbody td::before {
        content: attr(data-label) ': ';
        font-weight: 600;
      }
      tbody td.blank {
        display: none;
      }
    }
  `,
];
