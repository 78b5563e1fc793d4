/**
 * The little of the offline layer the elements need at once (the rest loads lazily): whether
 * what shows is a saved copy, and a signal when drafts or that state change.
 */
export type Sent = { kind: string; answer: unknown };

/** Per provider (`api|provider`): when the oldest copy shown since the network last answered was saved. */
export const shownFrom = new Map<string, string>();
const listeners = new Set<(sent?: Sent) => void>();

/** Per provider: when the last live read arrived (what the contact saw when the network went). */
export const liveAt = new Map<string, string>();

/** When the copies on show were saved, or null when what shows is live. */
export const savedAt = (api: string, provider: string): string | null => shownFrom.get(`${api}|${provider}`) ?? null;

/** Calls `fn` whenever drafts change (with the answer when one was sent); returns the unsubscribe. */
export function subscribe(fn: (sent?: Sent) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export const changed = (sent?: Sent): void => listeners.forEach((fn) => fn(sent));
