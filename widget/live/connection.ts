/**
 * One live stream, kept open: reads server-sent events with fetch (so the session token goes in
 * the Authorization header, never in a URL), remembers the last event id, and after a dropped
 * connection reconnects with `Last-Event-ID` after a backoff with full jitter (1 s doubling up to
 * 30 s, a random point below it), so a server restart is not met by every browser at once. A
 * stream silent for longer than its heartbeat allows is treated as dropped.
 */
import { PortalApiError, type LiveEndData, type LiveEvent, type LiveReadyData, type LiveReloadData } from '../api/client.js';
import { SseParser } from './sse.js';

export type LiveState = 'off' | 'connecting' | 'open' | 'reconnecting';

export interface LiveHandlers {
  state(state: LiveState): void;
  event(event: LiveEvent): void;
  reload(reason: LiveReloadData['reason']): void;
  /** The server closed the stream for good, or refused it (401): no reconnecting. */
  ended(reason: LiveEndData['reason'] | 'unauthorized'): void;
}

export interface LiveTiming {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Silence longer than this many heartbeats counts as a dropped connection. */
  heartbeatsMissed: number;
}

const DEFAULT_TIMING: LiveTiming = { baseDelayMs: 1000, maxDelayMs: 30_000, heartbeatsMissed: 2.5 };

export class LiveConnection {
  state: LiveState = 'off';
  lastEventId: string | null = null;
  private abort: AbortController | null = null;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private heartbeatMs = 30_000;

  constructor(
    private readonly open: (lastEventId: string | null, signal: AbortSignal) => Promise<ReadableStream<Uint8Array>>,
    private readonly handlers: LiveHandlers,
    private readonly timing: LiveTiming = DEFAULT_TIMING,
  ) {}

  get running(): boolean {
    return this.abort !== null || this.retry !== undefined;
  }

  start(): void {
    if (this.running) return;
    this.attempt = 0;
    void this.connect('connecting');
  }

  stop(): void {
    clearTimeout(this.retry);
    clearTimeout(this.watchdog);
    this.retry = undefined;
    this.abort?.abort();
    this.abort = null;
    this.set('off');
  }

  /** Back online: reconnect now rather than when the backoff says. */
  nudge(): void {
    if (this.retry === undefined) return;
    clearTimeout(this.retry);
    this.retry = undefined;
    void this.connect('reconnecting');
  }

  private set(state: LiveState): void {
    if (state === this.state) return;
    this.state = state;
    this.handlers.state(state);
  }

  private async connect(state: LiveState): Promise<void> {
    this.set(state);
    const abort = (this.abort = new AbortController());
    let ended = false;
    try {
      const body = await this.open(this.lastEventId, abort.signal);
      const reader = body.getReader();
      const parser = new SseParser();
      this.arm(abort);
      for (;;) {
        const { done, value } = await reader.read();
        if (done || abort.signal.aborted) break;
        for (const frame of parser.push(value)) {
          this.arm(abort);
          if (frame.id !== undefined) this.lastEventId = frame.id;
          if (frame.comment) continue;
          if (frame.event === 'end') {
            ended = true;
            this.finish(abort);
            this.handlers.ended((JSON.parse(frame.data) as LiveEndData).reason);
            return;
          }
          this.dispatch(frame.event, frame.data);
        }
      }
    } catch (error) {
      if (error instanceof PortalApiError && (error.status === 401 || error.status === 403)) {
        this.finish(abort);
        this.handlers.ended('unauthorized');
        return;
      }
      // Anything else (network, 5xx, a dropped or silent stream): reconnect below.
    }
    if (this.abort !== abort || ended) return; // stopped, or replaced
    this.abort = null;
    clearTimeout(this.watchdog);
    const cap = Math.min(this.timing.maxDelayMs, this.timing.baseDelayMs * 2 ** this.attempt++);
    this.set('reconnecting');
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect('reconnecting');
    }, Math.max(100, Math.random() * cap));
  }

  private dispatch(event: string, data: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return; // not ours to show
    }
    if (event === 'ready') {
      this.heartbeatMs = (parsed as LiveReadyData).heartbeatMs || this.heartbeatMs;
      this.attempt = 0;
      this.set('open');
    } else if (event === 'reload') {
      this.handlers.reload((parsed as LiveReloadData).reason);
    } else {
      this.handlers.event(parsed as LiveEvent);
    }
  }

  /** (Re)starts the silence timer of the stream read under `abort`. */
  private arm(abort: AbortController): void {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => abort.abort(), this.heartbeatMs * this.timing.heartbeatsMissed);
  }

  private finish(abort: AbortController): void {
    abort.abort();
    clearTimeout(this.watchdog);
    if (this.abort === abort) this.abort = null;
    this.set('off');
  }
}
