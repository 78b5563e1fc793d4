/** Reading the live stream in server tests: SSE frames off a Response body, as the widget reads them. */
import assert from 'node:assert/strict';
import type { App } from './helpers.js';

export interface Frame {
  id: string | null;
  event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
  comment?: string;
}

export class SseReader {
  readonly frames: Frame[] = [];
  private buffer = '';
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private waiting: (() => void) | null = null;
  done = false;
  error: unknown = null;

  constructor(readonly response: Response) {
    assert.ok(response.body, 'the stream has a body');
    this.reader = response.body.getReader();
    void this.pump();
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const { done, value } = await this.reader.read();
        if (done) break;
        this.buffer += this.decoder.decode(value, { stream: true });
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) >= 0) {
          const block = this.buffer.slice(0, end);
          this.buffer = this.buffer.slice(end + 2);
          const f: Frame = { id: null, event: 'message', data: null };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) f.comment = line.slice(1).trim();
            else if (line.startsWith('id: ')) f.id = line.slice(4);
            else if (line.startsWith('event: ')) f.event = line.slice(7);
            else if (line.startsWith('data: ')) f.data = JSON.parse(line.slice(6));
          }
          if (f.comment !== undefined) f.event = 'comment';
          this.frames.push(f);
        }
        this.waiting?.();
      }
    } catch (error) {
      this.error = error;
    }
    this.done = true;
    this.waiting?.();
  }

  /** Data events (not ready/reload/end/comments). */
  get events(): Frame[] {
    return this.frames.filter((f) => !['ready', 'reload', 'end', 'comment'].includes(f.event));
  }

  /** Waits until `test` holds (checked on every frame and at the end of the stream); fails after `ms`. */
  async until(test: (r: SseReader) => boolean, what: string, ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!test(this)) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; frames: ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        setTimeout(resolve, 25);
      });
    }
  }

  async untilEvent(event: string, ms?: number): Promise<Frame> {
    await this.until((r) => r.frames.some((f) => f.event === event), `a "${event}" frame`, ms);
    return this.frames.find((f) => f.event === event)!;
  }

  close(): void {
    void this.reader.cancel().catch(() => undefined);
  }
}

/** Opens the stream as a contact; `lastEventId` resumes. */
export async function openStream(app: App, provider: string, token: string, lastEventId?: string): Promise<SseReader> {
  const res = await app.request(`/api/portal/${provider}/live`, {
    headers: { Authorization: `Bearer ${token}`, ...(lastEventId === undefined ? {} : { 'Last-Event-ID': lastEventId }) },
  });
  assert.equal(res.status, 200, `stream opens: ${res.status} ${res.status === 200 ? '' : await res.text()}`);
  return new SseReader(res);
}

/** Lets the hub's loop run (it is woken right after a write on this connection). */
export const settle = (ms = 60): Promise<void> => new Promise((r) => setTimeout(r, ms));
