import { css } from 'lit';
import { hostStyles } from '../../ui/styles.js';

export const styles = [
  hostStyles,
  css`
    :host {
      font-size: var(--portal-font-size);
      line-height: 1.5;
    }
    [part='base'] {
      padding: var(--portal-root-padding, 0);
    }
  `,
];
