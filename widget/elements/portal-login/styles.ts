import { css } from 'lit';
import { formStyles } from '../../ui/form.js';

export const styles = [
  formStyles,
  css`
    :host {
      display: block;
      max-width: var(--portal-login-max-width, 26rem);
      font-family: var(--portal-font-family);
      color: var(--portal-color-text);
    }
    :host([hidden]) {
      display: none;
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
    .signed-in-as {
      margin: 0;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }
    .account {
      display: grid;
      gap: var(--portal-space);
      border-top: 1px solid var(--portal-color-border);
      padding-top: var(--portal-space);
    }
  `,
];
