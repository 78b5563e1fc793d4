/**
 * The states every data element shows instead of a blank box: loading, empty, error, offline;
 * and one way to report a failed request (inline message, `portal-error`, session expiry).
 */
import { css, html, nothing } from 'lit';
import type { PortalState } from '../context.js';
import { emit } from '../events.js';
import type { Tone } from './format.js';
import { asApiError } from './form.js';

export function loading(label = 'Loading…') {
  return html`<p class="state loading" role="status" aria-busy="true">${label}</p>`;
}

export function empty(message: string) {
  return html`<p part="empty" class="state empty" role="status">${message}</p>`;
}

/** An error with an optional retry button. */
export function failed(message: string, retry?: () => void) {
  return html`<div class="state failed" role="alert">
    <p part="error">${message}</p>
    ${retry ? html`<button type="button" class="secondary" @click=${retry}>Try again</button>` : nothing}
  </div>`;
}

export function offlineNote(portal: PortalState | undefined) {
  return portal && !portal.online
    ? html`<p class="state offline" role="status">You are offline. What you see may be out of date; changes can be sent when the connection is back.</p>`
    : nothing;
}

/** Shown instead of the content when the contact may not see it at all. */
export function notAllowed(what: string) {
  return html`<p class="state empty" role="status">Your account does not have access to ${what}. Ask your provider if you need it.</p>`;
}

export function badge(label: string, tone: Tone) {
  return html`<span class="badge" part="badge" data-tone=${tone}>${label}</span>`;
}

/**
 * Reports a failed request from `el`: fires `portal-error`, ends the session on a 401, and
 * returns the message to show. Aborted requests (a newer one replaced them) report nothing.
 */
export function reportError(el: HTMLElement, portal: PortalState | undefined, action: string, error: unknown): string | null {
  if (error instanceof DOMException && error.name === 'AbortError') return null;
  const e = asApiError(error);
  emit(el, 'portal-error', { code: e.code, message: e.message, status: e.status, action });
  if (e.status === 401) portal?.sessionExpired();
  return e.message;
}

export const stateStyles = css`
  .state {
    margin: 0;
    padding: var(--portal-space) 0;
    color: var(--portal-color-text-muted);
  }
  .failed {
    display: grid;
    gap: 0.5rem;
    justify-items: start;
    color: var(--portal-color-danger);
  }
  .failed p {
    margin: 0;
  }
  .offline {
    padding: 0.5rem 0.75rem;
    border: 1px dashed var(--portal-color-border);
    border-radius: var(--portal-radius);
  }
  .badge {
    display: inline-block;
    padding: 0.125rem 0.5rem;
    border-radius: 999px;
    font-size: 0.8125rem;
    font-weight: 600;
    white-space: nowrap;
    border: 1px solid currentColor;
    color: var(--portal-color-text);
    background: var(--portal-color-surface-raised);
  }
  .badge[data-tone='info'],
  .badge[data-tone='progress'] {
    color: var(--portal-color-info, var(--portal-color-text));
  }
  .badge[data-tone='success'] {
    color: var(--portal-color-success);
  }
  .badge[data-tone='warning'] {
    color: var(--portal-color-warning, var(--portal-color-text));
  }
  .badge[data-tone='danger'] {
    color: var(--portal-color-danger);
  }
`;
