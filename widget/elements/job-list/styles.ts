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
      max-width: var(--job-list-max-width, var(--portal-content-width));
      container-type: inline-size;
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
      gap: var(--job-list-row-gap, 0);
      border-top: 1px solid var(--portal-color-border-subtle);
    }
    /* Phones: title and status on one line, the rest under it; words never break in the middle. */
    .row {
      position: relative;
      display: grid;
      grid-template-columns: minmax(0, 1fr) auto;
      gap: 0.125rem 0.75rem;
      padding: 0.625rem 0.5rem;
      border-bottom: 1px solid var(--portal-color-border-subtle);
      overflow-wrap: break-word;
    }
    .row:hover {
      background: var(--portal-color-surface-raised);
    }
    /* The job just asked for: marked until another is opened. */
    .row.fresh {
      background: color-mix(in srgb, var(--portal-color-success) 12%, var(--portal-color-surface));
      box-shadow: inset 4px 0 var(--portal-color-success);
    }
    .notice {
      padding: 0.5rem 0.75rem;
      border: 1px solid currentColor;
      border-radius: var(--portal-radius);
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
      grid-column: 1 / -1;
      color: var(--portal-color-text-muted);
      font-size: 0.9375rem;
    }
    /* Wide: one line per job, in columns, like a table. */
    @container (min-width: 44rem) {
      .row {
        grid-template-columns: minmax(0, 5fr) minmax(0, 3fr) minmax(0, 3fr) 11rem;
        align-items: center;
      }
      .open {
        grid-row: 1;
      }
      .address {
        grid-column: 1;
        grid-row: 2;
      }
      .when {
        grid-column: 2;
        grid-row: 1 / 3;
      }
      .changed {
        grid-column: 3;
        grid-row: 1 / 3;
      }
      .row .badge {
        grid-column: 4;
        grid-row: 1 / 3;
        align-self: center;
        justify-self: start;
      }
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
      text-decoration-color: var(--portal-color-border);
      text-underline-offset: 0.2em;
    }
    .row:hover .title {
      text-decoration-color: currentColor;
    }
    .more,
    .back {
      justify-self: start;
    }
  `,
];
