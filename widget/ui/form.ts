/** Form pieces every portal form shares: labelled fields with inline errors, and their styles. */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { DirectiveResult } from 'lit/directive.js';
import { PortalApiError } from '../api/client.js';

export interface FieldOptions {
  name: string;
  /** Text, or a template for a label with a marker in it (job-form's "(required)"). */
  label: string | TemplateResult;
  /** The control's id (the label's `for`, and the stem of the hint and error ids); default `name`. */
  id?: string;
  type?: string;
  autocomplete?: string;
  /** Shown under the field and tied to it with aria-describedby; marks the field invalid. */
  error?: string | undefined;
  /** A standing hint (e.g. password rules), also read out with the field. */
  hint?: string | undefined;
  disabled?: boolean;
  required?: boolean;
  /** The value to show; a `live(...)` directive where the form keeps its own values. */
  value?: string | DirectiveResult;
  onInput?: (event: Event) => void;
}

export interface TextareaOptions extends Omit<FieldOptions, 'type'> {
  rows?: number;
  /** The textarea's `part` (default `input`). */
  part?: string;
}

/** The label, hint and error around a control whose id is `id`, in the order screen readers meet them. */
function labelled(id: string, o: FieldOptions, control: TemplateResult) {
  return html`
    <div class="field">
      <label for=${id}>${o.label}</label>
      ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : nothing}
      ${control}
      ${o.error ? html`<p class="field-error" id="${id}-error">${o.error}</p>` : nothing}
    </div>
  `;
}

/** The control's aria-describedby: its hint and its error, whichever it has. */
const describedBy = (id: string, o: FieldOptions) =>
  [o.hint ? `${id}-hint` : '', o.error ? `${id}-error` : ''].filter(Boolean).join(' ') || nothing;

/** A labelled input; error and hint are read with it by screen readers. */
export function field(o: FieldOptions) {
  const id = o.id ?? o.name;
  return labelled(
    id,
    o,
    html`<input
      part="input"
      id=${id}
      name=${o.name}
      type=${o.type ?? 'text'}
      autocomplete=${o.autocomplete ?? 'off'}
      .value=${o.value ?? ''}
      ?required=${o.required ?? false}
      ?disabled=${o.disabled ?? false}
      aria-invalid=${o.error ? 'true' : 'false'}
      aria-describedby=${describedBy(id, o)}
      @input=${o.onInput}
    />`,
  );
}

/** A labelled textarea, like field(): for text that may run to several lines. */
export function textareaField(o: TextareaOptions) {
  const id = o.id ?? o.name;
  return labelled(
    id,
    o,
    html`<textarea
      part=${o.part ?? 'input'}
      id=${id}
      name=${o.name}
      rows=${o.rows ?? 4}
      autocomplete=${o.autocomplete ?? nothing}
      .value=${o.value ?? ''}
      ?required=${o.required ?? false}
      ?disabled=${o.disabled ?? false}
      aria-invalid=${o.error ? 'true' : 'false'}
      aria-describedby=${describedBy(id, o)}
      @input=${o.onInput}
    ></textarea>`,
  );
}

/** A server's field message as a sentence: "must be at most 200 characters" → "Must be at most 200 characters." */
export function sentence(message: string): string {
  const s = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/** Any failure as an API error, so every form reports failures one way. */
export function asApiError(error: unknown): PortalApiError {
  return error instanceof PortalApiError ? error : new PortalApiError(0, 'unexpected', 'Something went wrong. Please try again.');
}

/**
 * A form's `@keydown`: Escape closes it as Cancel would (the opener puts focus back), unless a
 * request is running or nothing can close it.
 */
export function escapeCloses(close: (() => void) | null | undefined, busy: () => boolean): (event: KeyboardEvent) => void {
  return (event) => {
    if (event.key !== 'Escape' || !close || busy()) return;
    event.preventDefault();
    event.stopPropagation();
    close();
  };
}

/** Focuses the first invalid field of a rendered form, if any; returns whether there was one. */
export function focusFirstInvalid(root: ParentNode): boolean {
  const invalid = root.querySelector<HTMLElement>('[aria-invalid=true]');
  invalid?.focus();
  return !!invalid;
}

/**
 * Declarations that hide a thing from sight but not from screen readers: `.visually-hidden` below,
 * and equipment-list's table head where the table is narrow.
 */
export const visuallyHidden = css`
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
`;

/** A row of buttons (under a form, or a question); it wraps where the element is narrow. */
export const actionsStyles = css`
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
`;

export const formStyles = css`
  .card {
    display: grid;
    gap: var(--portal-space);
    padding: clamp(var(--portal-space), 4cqi, calc(var(--portal-space) * 2));
    background: var(--portal-color-surface);
    border: 1px solid var(--portal-color-border-subtle);
    border-radius: var(--portal-radius);
    box-shadow: var(--portal-shadow);
    min-width: 0;
  }
  fieldset {
    display: grid;
    gap: var(--portal-space);
    margin: 0;
    padding: 0;
    border: none;
    min-width: 0;
  }
  legend {
    padding: 0 0 0.25rem;
    font-weight: 600;
  }
  /* The one way back from a detail: a link-style button at the top of its card. */
  .back {
    background: none;
    border: none;
    padding: 0.25rem 0;
    min-height: 1.5rem;
    color: var(--portal-color-text);
    text-decoration: underline;
    text-underline-offset: 0.2em;
    justify-self: start;
  }
  .back::before {
    content: '← ' / '';
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
  input:not([type='checkbox']),
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
    ${visuallyHidden}
  }
`;
