import { css } from 'lit';
import { formStyles } from '../../ui/form.js';
import { stateStyles } from '../../ui/states.js';

/** Textareas and the action row, beside the shared form styles; quote-list uses them too. */
export const textareaStyles = css`
  textarea {
    font: inherit;
    color: var(--portal-color-text);
    background: var(--portal-color-surface);
    border: 1px solid var(--portal-color-border);
    border-radius: var(--portal-radius);
    padding: 0.5rem 0.625rem;
    resize: vertical;
    min-height: 4.5rem;
  }
  textarea[aria-invalid='true'] {
    border-color: var(--portal-color-danger);
  }
  textarea:focus-visible {
    outline: 3px solid var(--portal-color-focus);
    outline-offset: 2px;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .notice {
    padding: 0.5rem 0.75rem;
    border: 1px solid currentColor;
    border-radius: var(--portal-radius);
  }
  [tabindex='-1']:focus {
    outline: none;
  }
  [tabindex='-1']:focus-visible {
    outline: 3px solid var(--portal-color-focus);
    outline-offset: 2px;
  }
`;

export const styles = [
  formStyles,
  stateStyles,
  textareaStyles,
  css`
    :host {
      display: block;
      max-width: var(--quote-form-max-width, 40rem);
      font-family: var(--portal-font-family);
      color: var(--portal-color-text);
    }
    :host([hidden]) {
      display: none;
    }
  `,
];
