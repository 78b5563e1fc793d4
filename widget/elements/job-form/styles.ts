import { css } from 'lit';
import { actionsStyles, formStyles } from '../../ui/form.js';
import { stateStyles } from '../../ui/states.js';
import { hostStyles } from '../../ui/styles.js';

export const styles = [
  formStyles,
  stateStyles,
  hostStyles,
  actionsStyles,
  css`
    :host {
      max-width: var(--job-form-max-width, 40rem);
    }
    h2:focus-visible {
      outline: 3px solid var(--portal-color-focus);
      outline-offset: 2px;
    }
    .when-fields {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 12rem), 1fr));
      gap: var(--portal-space);
      align-items: start;
    }
    .required {
      font-weight: 400;
      color: var(--portal-color-text-muted);
    }
    .warning {
      padding: 0.5rem 0.75rem;
      border-left: 4px solid var(--portal-color-warning, var(--portal-color-border));
      background: var(--portal-color-surface-raised);
      color: var(--portal-color-text);
    }
  `,
];
