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
      max-width: var(--job-detail-max-width, 48rem);
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 0.75rem;
    }
    .number {
      color: var(--portal-color-text-muted);
      font-weight: 600;
    }
    h2:focus-visible,
    [data-focus-target]:focus-visible {
      outline: 3px solid var(--portal-color-focus);
      outline-offset: 2px;
    }
    .fields {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
      gap: var(--portal-space);
      margin: 0;
    }
    .pair {
      display: grid;
      gap: 0.125rem;
    }
    dt {
      font-weight: 600;
      font-size: 0.875em;
      color: var(--portal-color-text-muted);
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .description {
      margin: 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .timeline {
      margin: 0;
      padding: 0 0 0 1.25rem;
      display: grid;
      gap: 0.5rem;
    }
    .timeline li {
      display: flex;
      flex-wrap: wrap;
      gap: 0 0.5rem;
    }
    .timeline time,
    .who {
      color: var(--portal-color-text-muted);
    }
    .what {
      overflow-wrap: anywhere;
    }
  `,
];
