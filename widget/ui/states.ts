/**
 * The states every data element shows instead of a blank box: loading, empty, error, offline;
 * and one way to report a failed request (inline message, `portal-error`, session expiry).
 */
import { css, html, nothing } from 'lit';
import type { PortalState } from '../context.js';
import { emit } from '../events.js';
import type { Tone } from './format.js';
import { asApiError } from './form.js';
import { liveAt, savedAt } from '../offline/shown.js';

// The offline drafts are one more state a list shows; re-exported so they share this chunk.
export { DraftsController } from '../offline/drafts.js';

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

/**
 * Offline: what shows is the copy saved when the contact last saw it (the offline layer answered
 * from it), or the live data that arrived before the network went. Forms (`data: false`) say only
 * that changes wait.
 */
export function offlineNote(portal: PortalState | undefined, data = true) {
  if (!portal) return nothing;
  const scope = `${portal.client.baseUrl}|${portal.client.provider}`;
  const at = savedAt(portal.client.baseUrl, portal.client.provider) ?? (portal.online ? null : liveAt.get(scope));
  if (!at && portal.online) return nothing;
  const time = at && data ? new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';
  return html`<p class="state offline" part="offline" role="status">
    ${time ? `You are offline, showing what you saw at ${time}.` : 'You are offline.'} Changes are kept as drafts and sent when the connection is back.
  </p>`;
}

const online = new WeakMap<object, { online: boolean; count: number }>();
/**
 * How often the connection came back for this portal. In a task's args it loads again on
 * reconnect (live data again), not on disconnect (what shows stays).
 */
export function reconnects(portal: PortalState | undefined): number {
  if (!portal) return 0;
  const s = online.get(portal.client) ?? { online: portal.online, count: 0 };
  if (portal.online && !s.online) s.count++;
  s.online = portal.online;
  online.set(portal.client, s);
  return s.count;
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
  /* Solid badges: the tone's colour behind the surface colour (dark on dark themes' light tones). */
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.3em;
    padding: 0.125rem 0.5rem;
    border-radius: 999px;
    font-size: 0.8125rem;
    font-weight: 600;
    line-height: 1.4;
    white-space: nowrap;
    color: var(--portal-color-surface);
    background: var(--portal-color-text-muted);
  }
  /* The icon is decoration (empty alternative text): the label says it all. */
  .badge::before {
    content: '•' / '';
  }
  .badge[data-tone='info']::before {
    content: '◷' / '';
  }
  .badge[data-tone='progress']::before {
    content: '➜' / '';
  }
  .badge[data-tone='success']::before {
    content: '✓' / '';
  }
  .badge[data-tone='warning']::before {
    content: '!' / '';
  }
  .badge[data-tone='danger']::before {
    content: '✕' / '';
  }
  .badge[data-tone='info'],
  .badge[data-tone='progress'] {
    background: var(--portal-color-info);
  }
  .badge[data-tone='success'] {
    background: var(--portal-color-success);
  }
  .badge[data-tone='warning'] {
    background: var(--portal-color-warning);
  }
  .badge[data-tone='danger'] {
    background: var(--portal-color-danger);
  }
  /* Skeleton rows while loading; the text stays for screen readers and as a caption. */
  .loading {
    display: grid;
    gap: 0.5rem;
    font-size: 0.875rem;
  }
  .loading::after {
    content: '';
    height: 7.5rem;
    border-radius: var(--portal-radius);
    background: repeating-linear-gradient(
      to bottom,
      var(--portal-color-surface-raised) 0 1.75rem,
      transparent 1.75rem 2.5rem
    );
    animation: pulse 1.2s ease-in-out infinite alternate;
  }
  @keyframes pulse {
    to {
      opacity: 0.45;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .loading::after {
      animation: none;
    }
  }
  .empty {
    padding: calc(var(--portal-space) * 2) var(--portal-space);
    text-align: center;
    border: 1px dashed var(--portal-color-border);
    border-radius: var(--portal-radius);
  }
`;
