import { css } from 'lit';
import { stateStyles } from '../../ui/states.js';
import { hostStyles } from '../../ui/styles.js';

export const styles = [
  stateStyles,
  hostStyles,
  css`
    :host {
      max-width: var(--customer-portal-max-width, var(--portal-content-width));
    }
    .portal {
      display: grid;
      gap: calc(var(--portal-space) * 1.5);
    }
    portal-login.account {
      --portal-login-max-width: none;
    }
    /* One line of tabs; on a narrow screen the strip scrolls sideways instead of wrapping. */
    [role='tablist'] {
      display: flex;
      gap: 0.25rem;
      overflow-x: auto;
      scrollbar-width: none;
      border-bottom: 1px solid var(--portal-color-border);
    }
    [role='tab'] {
      font: inherit;
      cursor: pointer;
      padding: 0.625rem 1rem;
      min-height: 2.75rem;
      color: var(--portal-color-text);
      background: transparent;
      border: 1px solid transparent;
      border-bottom: none;
      border-radius: var(--portal-radius) var(--portal-radius) 0 0;
      white-space: nowrap;
      flex: none;
    }
    [role='tab'][aria-selected='true'] {
      background: var(--portal-color-surface);
      border-color: var(--portal-color-border);
      box-shadow: inset 0 3px 0 var(--portal-color-brand);
      font-weight: 600;
    }
    [role='tab']:hover {
      text-decoration: underline;
    }
    :is([role='tab'], [role='tabpanel']):focus-visible {
      outline: 3px solid var(--portal-color-focus);
      outline-offset: 2px;
    }
    [role='tabpanel'] > * {
      /* Every tab as wide as the portal, whatever width the element has on its own. */
      max-width: none;
    }
    @media (max-width: 30rem) {
      [role='tab'] {
        padding-inline: 0.75rem;
      }
    }
  `,
];
