/**
 * What a list shows of the offline layer: its kind of drafts made while offline (drawn by
 * drafts-view.ts, loaded with the layer only once there are any), and a fresh render whenever
 * drafts or the "showing what you saw" state change. `onSent` runs when one of its drafts reached
 * the server.
 */
import { nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { PortalState } from '../context.js';
import type { Draft, DraftKind } from './layer.js';
import { subscribe } from './shown.js';

type View = typeof import('./drafts-view.js');

export class DraftsController implements ReactiveController {
  items: Draft[] = [];
  /** The draft whose Fix form is open. */
  editing = '';
  #stop?: () => void;
  #token: string | null = null;
  #view?: View;

  constructor(
    readonly host: ReactiveControllerHost & HTMLElement,
    private readonly portal: () => PortalState | undefined,
    private readonly kind: DraftKind | null,
    private readonly onSent?: (answer: unknown) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#stop = subscribe((sent) => {
      if (sent && sent.kind === this.kind) this.onSent?.(sent.answer);
      if (this.kind) void this.load();
      else this.host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.#stop?.();
  }

  /** Another session (a login, a logout, another contact): its drafts, or none. */
  hostUpdate(): void {
    const p = this.portal();
    const session = p?.status === 'signed-in' ? p.client.token : null;
    if (session === this.#token) return;
    this.#token = session;
    void this.load();
  }

  /** Reads the drafts again (after a login, a change); drafts-view.ts and the layer load with them. */
  async load(): Promise<void> {
    const p = this.portal();
    const signedIn = !!this.kind && p?.status === 'signed-in';
    if (signedIn) this.#view ??= await import('./drafts-view.js');
    this.items = signedIn && this.#view ? await this.#view.draftsOf(p!.client, this.kind!) : [];
    this.host.requestUpdate();
  }

  client() {
    return this.portal()!.client;
  }

  render() {
    return this.items.length && this.#view ? this.#view.renderDrafts(this) : nothing;
  }
}
