import { css } from 'lit';
import { formStyles } from '../../ui/form.js';
import { stateStyles } from '../../ui/states.js';
import { hostStyles } from '../../ui/styles.js';

export const styles = [
  formStyles,
  stateStyles,
  hostStyles,
  css`
    :host {
      max-width: var(--job-map-max-width, 64rem);
    }
    .card {
      display: grid;
      gap: var(--portal-space);
    }
    h2,
    h3 {
      margin: 0;
    }
    .canvas {
      height: var(--job-map-height, 22rem);
      border: 1px solid var(--portal-color-border);
      border-radius: var(--portal-radius);
      overflow: hidden;
      /* Leaflet's panes stack above the page otherwise. */
      isolation: isolate;
    }
    .single .canvas {
      height: var(--job-map-height, 14rem);
    }
    .canvas.no-tiles {
      background-color: var(--portal-color-surface-raised);
      background-image: linear-gradient(var(--portal-color-border) 1px, transparent 1px),
        linear-gradient(90deg, var(--portal-color-border) 1px, transparent 1px);
      background-size: 48px 48px;
    }
    .canvas.no-tiles.leaflet-container {
      background-color: var(--portal-color-surface-raised);
    }
    .note {
      margin: 0;
      color: var(--portal-color-text-muted);
      font-size: 0.875em;
    }
    .marker {
      color: var(--portal-color-brand);
    }
    .marker svg {
      fill: currentColor;
      filter: drop-shadow(0 1px 1px rgb(0 0 0 / 0.35));
    }
    .marker.technician .dot {
      display: block;
      width: 22px;
      height: 22px;
      box-sizing: border-box;
      border-radius: 50%;
      border: 3px solid #fff;
      background: var(--portal-color-accent, #f2a900);
      box-shadow: 0 0 0 1px rgb(0 0 0 / 0.4);
    }
    /* An approximate position is a blurred area, not a point. */
    .marker.technician.approximate .dot {
      box-shadow: 0 0 0 8px color-mix(in srgb, var(--portal-color-accent, #f2a900) 30%, transparent);
    }
    .marker:focus-visible {
      outline: 3px solid var(--portal-color-focus);
      outline-offset: 2px;
    }
    .popup p,
    .popup strong {
      display: block;
      margin: 0.125rem 0;
    }
    .jobs {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.5rem;
    }
    .item {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 0.75rem;
      align-items: center;
      padding: 0.5rem 0;
      border-top: 1px solid var(--portal-color-border);
    }
    .what {
      font-weight: 600;
      flex: 1 1 14rem;
    }
    .number {
      color: var(--portal-color-text-muted);
    }
    .who,
    .eta,
    .seen {
      color: var(--portal-color-text-muted);
      font-size: 0.875em;
    }
  `,
];
