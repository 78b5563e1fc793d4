import { css } from 'lit';
import { formStyles } from '../../ui/form.js';
import { stateStyles } from '../../ui/states.js';
import { hostStyles } from '../../ui/styles.js';

export const styles = [
  formStyles,
  stateStyles,
  hostStyles,
  css`
    :host {
      display: grid;
      gap: var(--portal-space);
      max-width: var(--job-list-max-width, 56rem);
    }
    job-detail,
    job-form {
      max-width: none;
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem;
    }
    h2:focus-visible {
      outline: 3px solid var(--portal-color-focus);
      outline-offset: 2px;
    }
    .controls {
      display: flex;
      flex-wrap: wrap;
      gap: var(--portal-space);
      align-items: end;
    }
    .search {
      flex: 1 1 16rem;
    }
    .search,
    .pick {
      display: grid;
      gap: 0.25rem;
    }
    select {
      min-height: 2.5rem;
    }
    .jobs {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: var(--job-list-row-gap, var(--portal-space));
    }
    .row {
      position: relative;
      display: grid;
      grid-template-columns: 1fr auto;
      gap: 0.25rem 0.75rem;
      padding: var(--portal-space);
      border: 1px solid var(--portal-color-border);
      border-radius: var(--portal-radius);
      background: var(--portal-color-surface);
    }
    .row:hover {
      background: var(--portal-color-surface-raised);
    }
    .row .badge {
      grid-column: 2;
      grid-row: 1;
      align-self: start;
      justify-self: end;
    }
    .address,
    .when,
    .changed {
      color: var(--portal-color-text-muted);
      overflow-wrap: anywhere;
    }
    .address {
      grid-column: 1 / -1;
    }
    .changed {
      text-align: end;
    }
    .open {
      grid-column: 1;
      grid-row: 1;
      justify-self: start;
      text-align: start;
      background: none;
      border: none;
      padding: 0;
      min-height: 1.5rem;
      color: var(--portal-color-text);
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    /* The whole row opens the job; the button stays the one thing to tab to and to read. */
    .open::after {
      content: '';
      position: absolute;
      inset: 0;
      border-radius: var(--portal-radius);
    }
    .open:focus-visible {
      outline: none;
    }
    .open:focus-visible::after {
      outline: 3px solid var(--portal-color-focus);
      outline-offset: 2px;
    }
    .number {
      color: var(--portal-color-text-muted);
    }
    .title {
      text-decoration: underline;
    }
    .more,
    .back {
      justify-self: start;
    }
  `,
];
