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
    .live-status {
      margin: 0.5rem 0 0;
      padding: 0.375rem 0.75rem;
      border: 1px dashed var(--portal-color-border);
      border-radius: var(--portal-radius);
      color: var(--portal-color-text-muted);
    }
    /* Kept in the tree while empty, so screen readers announce the text when it appears. */
    .live-status:empty {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      padding: 0;
      border: 0;
    }
  `,
];
