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
    .signed-in-as {
      margin: 0;
    }
    .account {
      display: grid;
      gap: var(--portal-space);
      border-top: 1px solid var(--portal-color-border);
      padding-top: var(--portal-space);
    }
  `,
];
