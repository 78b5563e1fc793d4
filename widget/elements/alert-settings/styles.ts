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
      max-width: var(--alert-settings-max-width, 44rem);
    }
    .group {
      display: grid;
      gap: 0.75rem;
      justify-items: start;
    }
    .group > * {
      justify-self: stretch;
    }
    .group > button {
      justify-self: start;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.75rem;
    }
    li {
      display: grid;
      gap: 0.375rem;
      padding: 0.75rem;
      border: 1px solid var(--portal-color-border);
      border-radius: var(--portal-radius);
    }
    li p {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .what {
      overflow-wrap: anywhere;
    }
    fieldset {
      display: grid;
      gap: 0.375rem;
      margin: 0;
      padding: var(--portal-space);
      border: 1px solid var(--portal-color-border);
      border-radius: var(--portal-radius);
    }
    legend {
      font-weight: 600;
      padding: 0 0.25rem;
    }
    .check {
      display: flex;
      gap: 0.5rem;
      align-items: baseline;
      font-weight: normal;
    }
    .alert-form,
    .inline {
      display: grid;
      gap: var(--portal-space);
    }
    .preview {
      margin: 0;
      display: grid;
      gap: 0.5rem;
      padding: var(--portal-space);
      border: 1px solid var(--portal-color-border);
      border-radius: var(--portal-radius);
      background: var(--portal-color-surface-raised);
    }
    .preview figcaption {
      color: var(--portal-color-text-muted);
      font-size: 0.875rem;
    }
    .preview .brand {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      padding: 0.5rem 0.75rem;
      border-radius: var(--portal-radius);
      background: var(--portal-color-brand);
      color: var(--portal-color-on-brand);
      font-weight: 700;
    }
    .preview img {
      height: 1.5rem;
    }
    .preview p {
      margin: 0;
    }
    .preview .text {
      white-space: pre-line;
      overflow-wrap: anywhere;
    }
    .success:empty {
      display: none;
    }
  `,
];
