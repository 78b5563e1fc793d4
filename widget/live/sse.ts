/** An incremental text/event-stream parser (the parts of the format our stream uses). */
export interface SseFrame {
  /** The `id:` field, when the frame had one. */
  id?: string;
  event: string;
  data: string;
  /** A comment-only frame (a heartbeat). */
  comment?: boolean;
}

export class SseParser {
  private buffer = '';
  private readonly decoder = new TextDecoder();

  /** Feeds bytes; returns the frames they completed. */
  push(chunk: Uint8Array): SseFrame[] {
    this.buffer += this.decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
    const frames: SseFrame[] = [];
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const frame: SseFrame = { event: 'message', data: '' };
      const data: string[] = [];
      let fields = 0;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const name = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        fields++;
        if (name === 'id') frame.id = value;
        else if (name === 'event') frame.event = value;
        else if (name === 'data') data.push(value);
      }
      frame.data = data.join('\n');
      if (!fields) frame.comment = true;
      frames.push(frame);
    }
    return frames;
  }
}
