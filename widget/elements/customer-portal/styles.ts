import { css } from 'lit';
import { stateStyles } from '../../ui/states.js';
import { hostStyles } from '../../ui/styles.js';

export const styles = [
  stateStyles,
  hostStyles,
  css`
    :host {
      max-width: var(--customer-portal-max-width, 64rem);
    }
    .portal {
      display: grid;
      gap: calc(var(--portal-space) * 1.5);
    }
    portal-login.account {
      --portal-login-max-width: none;
    }
    [role='tablist'] {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
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
      margin-bottom: -1px;
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
    [role='tabpanel'] {
      padding-top: var(--portal-space);
    }
  `,
];
