/**
 * What portal-root shares of its one live stream: elements subscribe here (through the portal
 * context) rather than to DOM events, since portal-root's events bubble away from its children.
 */
import type { LiveEvent, LiveReloadData } from '../api/client.js';

export interface LiveListener {
  /** An event the contact may see. */
  event?(event: LiveEvent): void;
  /** What the element shows may be out of date (missed events, changed permissions): refetch. */
  reload?(reason: LiveReloadData['reason']): void;
}

export class LiveChannel {
  private readonly listeners = new Set<LiveListener>();

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called by portal-root. */
  deliver(event: LiveEvent): void {
    for (const l of [...this.listeners]) l.event?.(event);
  }

  reload(reason: LiveReloadData['reason']): void {
    for (const l of [...this.listeners]) l.reload?.(reason);
  }
}
