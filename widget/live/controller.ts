import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LiveChannel, LiveListener } from './channel.js';

/** Keeps an element subscribed to the live channel of the portal-root it is in, while it is connected. */
export class LiveController implements ReactiveController {
  private channel: LiveChannel | undefined;
  private unsubscribe: (() => void) | null = null;

  constructor(
    host: ReactiveControllerHost,
    private readonly current: () => LiveChannel | undefined,
    private readonly listener: LiveListener,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.hostUpdated();
  }

  hostUpdated(): void {
    const channel = this.current();
    if (channel === this.channel) return;
    this.unsubscribe?.();
    this.channel = channel;
    this.unsubscribe = channel ? channel.subscribe(this.listener) : null;
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.channel = undefined;
  }
}
