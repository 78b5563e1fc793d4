/** Form pieces every portal form shares: labelled fields with inline errors, and their styles. */
import { css, html, nothing } from 'lit';
import { PortalApiError } from '../api/client.js';

export interface FieldOptions {
  name: string;
  label: string;
  type?: string;
  autocomplete?: string;
  /** Shown under the field and tied to it with aria-describedby; marks the field invalid. */
  error?: string | undefined;
  /** A standing hint (e.g. password rules), also read out with the field. */
  hint?: string;
  disabled?: boolean;
  value?: string;
  onInput?: () => void;
}

/** A labelled input; error and hint are read with it by screen readers. */
export function field(o: FieldOptions) {
  const described = [o.hint ? `${o.name}-hint` : '', o.error ? `${o.name}-error` : ''].filter(Boolean).join(' ');
  return html`
    <div class="field">
      <label for=${o.name}>${o.label}</label>
      ${o.hint ? html`<p class="hint" id="${o.name}-hint">${o.hint}</p>` : nothing}
      <input
        part="input"
        id=${o.name}
        name=${o.name}
        type=${o.type ?? 'text'}
        autocomplete=${o.autocomplete ?? 'off'}
        .value=${o.value ?? ''}
        ?disabled=${o.disabled ?? false}
        aria-invalid=${o.error ? 'true' : 'false'}
        aria-describedby=${described || nothing}
        @input=${o.onInput}
      />
      ${o.error ? html`<p class="field-error" id="${o.name}-error">${o.error}</p>` : nothing}
    </div>
  `;
}

/** Any failure as an API error, so every form reports failures one way. */
export function asApiError(error: unknown): PortalApiError {
  return error instanceof PortalApiError ? error : new PortalApiError(0, 'unexpected', 'Something went wrong. Please try again.');
}

/** Focuses the first invalid field of a rendered form, if any; returns whether there was one. */
export function focusFirstInvalid(root: ParentNode): boolean {
  const invalid = root.querySelector<HTMLElement>('[aria-invalid=true]');
  invalid?.focus();
  return !!invalid;
}

export const formStyles = css`
  .card {
    display: grid;
    gap: var(--portal-space);
    padding: calc(var(--portal-space) * 2);
    background: var(--portal-color-surface);
    border: 1px solid var(--portal-color-border);
    border-radius: var(--portal-radius);
  }
  h2,
  h3 {
    margin: 0;
    line-height: 1.3;
    text-transform: none;
  }
  h2 {
    font-size: 1.25rem;
  }
  h3 {
    font-size: 1.05rem;
  }
  form {
    display: grid;
    gap: var(--portal-space);
  }
  .field {
    display: grid;
    gap: 0.25rem;
  }
  label {
    font-weight: 600;
  }
  input:not([type='checkbox']) {
    font: inherit;
    color: var(--portal-color-text);
    background: var(--portal-color-surface);
    border: 1px solid var(--portal-color-border);
    border-radius: var(--portal-radius);
    padding: 0.5rem 0.625rem;
  }
  textarea,
  select {
    font: inherit;
    color: var(--portal-color-text);
    background: var(--portal-color-surface);
    border: 1px solid var(--portal-color-border);
    border-radius: var(--portal-radius);
    padding: 0.5rem 0.625rem;
  }
  textarea {
    resize: vertical;
    min-height: 4.5rem;
  }
  :is(input, textarea, select)[aria-invalid='true'] {
    border-color: var(--portal-color-danger);
  }
  input[type='checkbox'] {
    width: 1.125rem;
    height: 1.125rem;
    accent-color: var(--portal-color-brand);
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: var(--portal-radius);
    min-height: 2.5rem;
    padding: 0.5rem 1rem;
  }
  button:disabled {
    cursor: progress;
    opacity: 0.7;
  }
  .primary {
    background: var(--portal-color-brand);
    color: var(--portal-color-on-brand);
    border: 1px solid var(--portal-color-brand);
    font-weight: 600;
  }
  .secondary {
    background: transparent;
    color: var(--portal-color-text);
    border: 1px solid var(--portal-color-border);
    justify-self: start;
  }
  .link {
    background: none;
    border: none;
    color: var(--portal-color-text);
    text-decoration: underline;
    justify-self: start;
    padding: 0.25rem 0;
    min-height: 1.5rem;
  }
  :is(input, textarea, select, button, [tabindex]):focus-visible {
    outline: 3px solid var(--portal-color-focus);
    outline-offset: 2px;
  }
  .error,
  .field-error {
    margin: 0;
    color: var(--portal-color-danger);
  }
  .error {
    padding: 0.5rem 0.75rem;
    background: var(--portal-color-danger-surface);
    border-radius: var(--portal-radius);
  }
  .success {
    margin: 0;
    color: var(--portal-color-success);
  }
  .muted,
  .note,
  .hint {
    margin: 0;
    color: var(--portal-color-text-muted);
  }
  .hint {
    font-size: 0.875em;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
