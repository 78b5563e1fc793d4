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
      max-width: var(--my-details-max-width, 40rem);
    }
    .base {
      container: my-details / inline-size;
    }
    .group {
      display: grid;
      gap: 0.5rem;
    }
    dl {
      display: grid;
      gap: 0.5rem;
      margin: 0;
    }
    .row {
      display: grid;
      grid-template-columns: var(--my-details-term-width, 10rem) 1fr;
      gap: 0.25rem var(--portal-space);
    }
    dt {
      font-weight: 600;
    }
    dd {
      margin: 0;
      white-space: pre-line;
      overflow-wrap: anywhere;
    }
    @container my-details (max-width: 22rem) {
      .row {
        grid-template-columns: 1fr;
      }
    }
    fieldset {
      display: grid;
      gap: var(--portal-space);
      margin: 0;
      padding: var(--portal-space);
      border: 1px solid var(--portal-color-border);
      border-radius: var(--portal-radius);
    }
    legend {
      font-weight: 600;
      padding: 0 0.25rem;
    }
    .login p {
      margin: 0;
    }
    .login .label {
      font-weight: 600;
    }
    .login-email {
      overflow-wrap: anywhere;
    }
    .success:empty {
      display: none;
    }
  `,
];
