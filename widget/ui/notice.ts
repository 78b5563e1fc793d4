/**
 * The action row and notice of the quote elements (quote-form, and quote-list's answer): in a
 * module of its own, so only the pages that show quotes download it.
 */
import { css } from 'lit';
import { actionsStyles } from './form.js';

/**
 * The action row with its buttons centred on their line, a bordered notice, and a focus ring on
 * what script focuses (a heading, the notice, an error) only where the browser shows focus.
 */
export const actionsAndNoticeStyles = [
  actionsStyles,
  css`
    .actions {
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
  `,
];
