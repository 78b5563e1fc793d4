import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    font-family: var(--portal-font-family);
    font-size: var(--portal-font-size);
    line-height: 1.5;
    color: var(--portal-color-text);
  }
  :host([hidden]) {
    display: none;
  }
  [part='base'] {
    padding: var(--portal-root-padding, 0);
  }
`;
