import { css } from 'lit';
import { actionsStyles, formStyles } from '../../ui/form.js';
import { hostStyles } from '../../ui/styles.js';

export const styles = [
  formStyles,
  hostStyles,
  actionsStyles,
  css`
    :host {
      max-width: var(--portal-login-max-width, 26rem);
    }
    .logo {
      max-height: 3rem;
      max-width: 12rem;
      object-fit: contain;
    }
    .who {
      display: grid;
      gap: var(--portal-space);
    }
    .remember {
      display: flex;
      align-items: center;
      gap: 0.5rem;
    }
    .remember label {
      font-weight: 400;
    }
    .signed-in-as,
    .contact {
      margin: 0;
    }
    /* Signed in: a compact bar (logo, provider, who, actions) on every width, not a card. */
    .bar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem var(--portal-space);
      padding: 0.625rem var(--portal-space);
    }
    .bar .logo {
      max-height: 2rem;
    }
    .bar h2 {
      font-size: 1rem;
    }
    .bar .who {
      flex: 1 1 12rem;
      gap: 0;
      font-size: 0.9375rem;
    }
    .bar > :is(.error, .success) {
      flex: 1 1 100%;
    }
    .account-actions {
      position: relative;
    }
    .account-actions button {
      min-height: 2.25rem;
      padding: 0.25rem 0.75rem;
    }
    .menu-toggle::after {
      content: ' ▾' / '';
    }
    .menu {
      position: absolute;
      z-index: 2;
      inset-inline-end: 0;
      top: calc(100% + 0.25rem);
      margin: 0;
      padding: 0.25rem 0;
      list-style: none;
      min-width: 12rem;
      background: var(--portal-color-surface);
      border: 1px solid var(--portal-color-border);
      border-radius: var(--portal-radius);
      box-shadow: var(--portal-shadow);
    }
    .menu[hidden] {
      display: none;
    }
    .menu .link {
      width: 100%;
      text-align: start;
      padding: 0.5rem 0.875rem;
      text-decoration: none;
    }
    .menu .link:hover {
      background: var(--portal-color-surface-raised);
    }
    dialog {
      width: min(28rem, calc(100vw - 2rem));
      padding: calc(var(--portal-space) * 1.5);
      color: var(--portal-color-text);
      background: var(--portal-color-surface);
      border: 1px solid var(--portal-color-border);
      border-radius: var(--portal-radius);
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.45);
    }
    @media (max-width: 30rem) {
      .bar .email {
        display: none;
      }
    }
    .account {
      display: grid;
      gap: var(--portal-space);
    }
    .account p {
      margin: 0;
    }
  `,
];
