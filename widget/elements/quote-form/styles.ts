import { css } from 'lit';
import { formStyles } from '../../ui/form.js';
import { stateStyles } from '../../ui/states.js';

/** The action row and notice, beside the shared form styles; quote-list uses them too. */
export const textareaStyles = css`
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
