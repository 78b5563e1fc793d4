import { css } from 'lit';
import { formStyles } from '../../ui/form.js';
import { stateStyles } from '../../ui/states.js';
import { hostStyles } from '../../ui/styles.js';

export const styles = [
  formStyles,
  stateStyles,
  hostStyles,
  css`
    h3 {
      margin: 1rem 0 0.5rem;
    }
    .drop {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 0.75rem;
      padding: 0.75rem;
      border: 2px dashed var(--portal-color-border);
      border-radius: var(--portal-radius);
    }
    :host([dragging]) .drop {
      border-color: var(--portal-color-brand);
      background: var(--portal-color-surface-raised);
    }
    label.button {
      display: inline-block;
      padding: 0.5rem 1rem;
      border-radius: var(--portal-radius);
      background: var(--portal-color-brand);
      color: var(--portal-color-on-brand);
      font-weight: 600;
      cursor: pointer;
    }
    label.button.disabled {
      opacity: 0.6;
      cursor: not-allowed;
    }
    input[type='file']:focus-visible + label.button {
      outline: 3px solid var(--portal-color-focus);
      outline-offset: 2px;
    }
    .muted {
      color: var(--portal-color-text-muted);
    }
    .uploads,
    .grid {
      list-style: none;
      margin: 0.75rem 0 0;
      padding: 0;
    }
    .upload {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
      padding: 0.25rem 0;
    }
    .upload .name {
      flex: 1 1 10rem;
      overflow-wrap: anywhere;
    }
    progress {
      flex: 1 1 8rem;
      accent-color: var(--portal-color-brand);
    }
    .error {
      color: var(--portal-color-danger);
      flex-basis: 100%;
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(var(--job-photos-thumb-size, 7rem), 1fr));
      gap: 0.5rem;
    }
    .thumb {
      display: block;
      width: 100%;
      aspect-ratio: 1;
      padding: 0;
      border: 1px solid var(--portal-color-border);
      border-radius: var(--portal-radius);
      overflow: hidden;
      background: var(--portal-color-surface-raised);
      cursor: zoom-in;
    }
    .thumb img {
      width: 100%;
      height: 100%;
      object-fit: cover;
      display: block;
    }
    .thumb:focus-visible,
    .doc a:focus-visible {
      outline: 3px solid var(--portal-color-focus);
      outline-offset: 2px;
    }
    .doc {
      grid-column: 1 / -1;
      display: flex;
      gap: 0.5rem;
      flex-wrap: wrap;
    }
    .lightbox {
      max-width: min(64rem, 96vw);
      width: 100%;
      padding: var(--portal-space);
      border: 1px solid var(--portal-color-border);
      border-radius: var(--portal-radius);
      background: var(--portal-color-surface);
      color: var(--portal-color-text);
    }
    .lightbox::backdrop {
      background: rgb(0 0 0 / 0.7);
    }
    .lightbox-head {
      display: flex;
      align-items: center;
      gap: 0.75rem;
      flex-wrap: wrap;
    }
    .lightbox-head h4 {
      flex: 1;
      margin: 0;
    }
    .full {
      display: block;
      max-width: 100%;
      max-height: 75vh;
      margin: 0.75rem auto;
    }
    .caption {
      margin: 0 0 0.75rem;
    }
    .download {
      align-self: center;
      color: var(--portal-color-link, var(--portal-color-brand));
    }
  `,
];
