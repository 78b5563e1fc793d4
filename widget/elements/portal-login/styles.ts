import { css } from 'lit';
import { actionsStyles, formStyles } from '../../ui/form.js';
import { hostStyles } from '../../ui/styles.js';

/** The signed-in bar, its menu and dialogs: in account.ts, added to the shadow root with those views. */
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
    .remember {
      display: flex;
      align-items: center;
      gap: 0.5rem;
    }
    .remember label {
      font-weight: 400;
    }
  `,
];
