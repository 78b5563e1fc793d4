import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    max-width: var(--portal-login-max-width, 26rem);
    font-family: var(--portal-font-family);
    color: var(--portal-color-text);
  }
  :host([hidden]) {
    display: none;
  }
  .card {
    display: grid;
    gap: var(--portal-space);
    padding: calc(var(--portal-space) * 2);
    background: var(--portal-color-surface);
    border: 1px solid var(--portal-color-border);
    border-radius: var(--portal-radius);
  }
  .logo {
    max-height: 3rem;
    max-width: 12rem;
    object-fit: contain;
  }
  h2 {
    margin: 0;
    font-size: 1.25rem;
    line-height: 1.3;
  }
  form,
  .who {
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
  input[type='email'],
  input[type='password'] {
    font: inherit;
    color: var(--portal-color-text);
    background: var(--portal-color-surface);
    border: 1px solid var(--portal-color-border);
    border-radius: var(--portal-radius);
    padding: 0.5rem 0.625rem;
  }
  input[aria-invalid='true'] {
    border-color: var(--portal-color-danger);
  }
  .remember {
    display: flex;
    align-items: center;
    gap: 0.5rem;
  }
  .remember label {
    font-weight: 400;
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
  :is(input, button, [tabindex]):focus-visible {
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
  .muted,
  .note {
    margin: 0;
    color: var(--portal-color-text-muted);
  }
  .signed-in-as {
    margin: 0;
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
