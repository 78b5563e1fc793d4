/**
 * The host styles every element shares. An element puts them in its `static styles` before its
 * own rules, which set only what is its own (its `--<tag>-max-width` knob, its layout).
 */
import { css } from 'lit';

/** The host of every element: a block in the portal's font and text colour, gone when hidden. */
export const hostStyles = css`
  :host {
    display: block;
    font-family: var(--portal-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    line-height: 1.45;
    color: var(--portal-color-text);
  }
  :host([hidden]) {
    display: none;
  }
`;
