/**
 * The open live streams of this process and the one loop that feeds them.
 *
 * Events reach the hub through the log only (live_events, written in the transaction of each
 * change), read by id: an event recorded by this server, the admin CLI, the office simulator or a
 * second server on the same database arrives the same way. The loop looks at the log when a
 * write happened: this connection's total_changes() or the database's data_version (which moves
 * when another connection commits) changed. A publish on this connection wakes it at once; other
 * processes' writes are seen within `pollMs`.
 *
 * When the access version (migration 9: moved by triggers when a session ends, a contact's
 * permissions or state change, a provider's features change) has moved, or a stream's session is
 * due to expire, the loop re-reads every open stream's session, contact and provider (one
 * statement), so a logout, "log out everywhere", a disabled contact or an expired session ends its
 * streams, and changed permissions or map switches narrow them, on the first loop after the write.
 */
import type { Db } from '../db/index.js';
import { permissionsOf } from '../companies/data.js';
import type { SessionInfo } from '../auth/index.js';
import { ApiError } from '../http/errors.js';
import type { LiveSettings } from '../settings.js';
import { mayReceive, type LiveViewer, type StoredLiveEvent } from './filter.js';
import type { ContactRow } from '../companies/data.js';
import { accessVersion, companyEventsBetween, liveEventsAfter, logExtent, pruneLiveEvents, streamSessions, writeCounters, type StreamSessionRow } from './data.js';
import { onPublish } from './publish.js';
import type { LiveEndData, LiveReloadData } from './schemas.js';

const encoder = new TextEncoder();
const PRUNE_EVERY_MS = 60_000;
const BATCH = 1000;

/** One SSE frame. `data` is JSON already (never has a newline). */
export function frame(event: string, data: string, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`;
}

const eventFrame = (e: StoredLiveEvent): Uint8Array =>
  encoder.encode(frame(e.type, `{"id":${e.id},"type":${JSON.stringify(e.type)},"at":"${new Date(e.created_at * 1000).toISOString()}","data":${e.data}}`, e.id));

const featuresMap = (features: string): boolean => {
  try {
    return (JSON.parse(features) as { map?: unknown }).map !== false;
  } catch {
    return true;
  }
};

/** What a stream's filter depends on, as one comparable string. */
const accessKey = (c: ContactRow, providerMap: boolean): string =>
  [c.provider_id, c.company_id, c.id, c.perm_jobs, c.perm_quotes, c.perm_map, c.perm_create_jobs, c.perm_create_quotes, c.perm_equipment, c.perm_details, c.perm_alerts, providerMap].join('|');

const viewerOfRow = (r: StreamSessionRow): LiveViewer => ({
  providerId: r.provider_id,
  companyId: r.company_id,
  contactId: r.id,
  permissions: permissionsOf(r),
  providerMap: featuresMap(r.features),
});

class Stream {
  closed = false;
  constructor(
    readonly sessionId: string,
    public viewer: LiveViewer,
    public access: string,
    /** The last event id this stream has passed (sent or filtered out). */
    public lastId: number,
    private readonly controller: ReadableStreamDefaultController<Uint8Array>,
    private readonly maxQueueBytes: number,
    readonly opened: number,
  ) {}

  get key(): string {
    return `${this.viewer.providerId}:${this.viewer.companyId}`;
  }

  /** Queues bytes; false when the reader is so far behind that the stream was dropped. */
  send(bytes: Uint8Array): boolean {
    if (this.closed) return false;
    this.controller.enqueue(bytes);
    if ((this.controller.desiredSize ?? 0) < 0) {
      // Dropped, not buffered without limit: the client reconnects and resumes from its last id.
      this.closed = true;
      this.controller.error(new Error('slow reader'));
      return false;
    }
    return true;
  }

  end(data: LiveEndData | null): void {
    if (this.closed) return;
    if (data) this.controller.enqueue(encoder.encode(frame('end', JSON.stringify(data))));
    this.closed = true;
    this.controller.close();
  }
}

export interface OpenOptions {
  session: SessionInfo;
  providerMap: boolean;
  /** The Last-Event-ID the client sent, or null for a fresh stream. */
  lastEventId: number | null;
}

export class LiveHub {
  private readonly streams = new Set<Stream>();
  private readonly byCompany = new Map<string, Set<Stream>>();
  /** The last log id this hub has fanned out; -1 while idle. */
  private cursor = -1;
  private counters = '';
  private timers: ReturnType<typeof setInterval>[] = [];
  private unsubscribe: (() => void) | null = null;
  private lastPrune = 0;
  private openedCount = 0;
  /** The access version the streams were last checked at, and when they must be checked regardless (a session's expiry). */
  private access = -1;
  private nextCheck = Infinity;

  constructor(
    private readonly db: Db,
    private readonly settings: () => LiveSettings,
  ) {}

  get size(): number {
    return this.streams.size;
  }

  /**
   * Opens a stream for a validated session: the missed events since `lastEventId` first (or a
   * "reload" when the log no longer has them all), then a `ready` frame carrying the id to resume
   * from, then whatever the loop fans out.
   */
  open(o: OpenOptions): ReadableStream<Uint8Array> {
    const s = this.settings();
    if (this.streams.size >= s.maxStreams) {
      throw new ApiError(503, 'too_many_streams', 'The server has as many live connections as it takes; trying again shortly.', undefined, { 'Retry-After': '30' });
    }
    const mine = [...this.streams].filter((x) => x.viewer.contactId === o.session.contactId).sort((a, b) => a.opened - b.opened);
    for (const old of mine.slice(0, Math.max(0, mine.length - s.maxStreamsPerContact + 1))) this.close(old, { reason: 'replaced' });
    this.wake();
    const viewer: LiveViewer = {
      providerId: o.session.providerId,
      companyId: o.session.companyId,
      contactId: o.session.contactId,
      permissions: permissionsOf(o.session.contact),
      providerMap: o.providerMap,
    };
    let stream!: Stream;
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          const upTo = this.cursor;
          stream = new Stream(o.session.id, viewer, accessKey(o.session.contact, o.providerMap), upTo, controller, s.maxQueueBytes, ++this.openedCount);
          this.recheckBy(o.session.expiresAt.getTime());
          this.replay(stream, o.lastEventId, upTo, controller, s.maxReplay);
          controller.enqueue(encoder.encode(frame('ready', JSON.stringify({ lastEventId: upTo, heartbeatMs: s.heartbeatMs }), upTo)));
          this.add(stream);
        },
        cancel: () => this.remove(stream),
      },
      { highWaterMark: s.maxQueueBytes, size: (chunk) => chunk.byteLength },
    );
  }

  /** What a resumed stream missed, filtered like everything else; "reload" when that cannot be told exactly. */
  private replay(stream: Stream, after: number | null, upTo: number, controller: ReadableStreamDefaultController<Uint8Array>, max: number): void {
    if (after === null || after >= upTo) {
      if (after !== null && after > upTo) this.reload(controller, 'too_old'); // an id this log never gave
      return;
    }
    const { oldest } = logExtent(this.db);
    const rows = companyEventsBetween(this.db, stream.viewer.providerId, stream.viewer.companyId, after, upTo, max + 1);
    if ((oldest !== null && after < oldest - 1) || (oldest === null && after < upTo) || rows.length > max) {
      this.reload(controller, 'too_old');
      return;
    }
    for (const e of rows) if (mayReceive(stream.viewer, e)) controller.enqueue(eventFrame(e));
  }

  private reload(controller: ReadableStreamDefaultController<Uint8Array>, reason: LiveReloadData['reason']): void {
    controller.enqueue(encoder.encode(frame('reload', JSON.stringify({ reason }))));
  }

  private add(stream: Stream): void {
    this.streams.add(stream);
    let set = this.byCompany.get(stream.key);
    if (!set) this.byCompany.set(stream.key, (set = new Set()));
    set.add(stream);
  }

  private remove(stream: Stream | undefined): void {
    if (!stream) return;
    stream.closed = true;
    this.streams.delete(stream);
    const set = this.byCompany.get(stream.key);
    set?.delete(stream);
    if (set && !set.size) this.byCompany.delete(stream.key);
    if (!this.streams.size) this.idle();
  }

  private close(stream: Stream, data: LiveEndData | null): void {
    stream.end(data);
    this.remove(stream);
  }

  /** Starts the loop if it is not running (the first stream starts it; the last one stops it). */
  private wake(): void {
    if (this.cursor >= 0) return;
    this.cursor = logExtent(this.db).last;
    this.counters = writeCounters(this.db);
    this.access = accessVersion(this.db);
    this.nextCheck = Infinity;
    const s = this.settings();
    this.unsubscribe = onPublish(this.db, () => this.tick());
    const poll = setInterval(() => this.tick(), s.pollMs);
    const beat = setInterval(() => this.heartbeat(), s.heartbeatMs);
    poll.unref();
    beat.unref();
    this.timers = [poll, beat];
  }

  private idle(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.cursor = -1;
  }

  private heartbeat(): void {
    const beat = encoder.encode(': keep-alive\n\n');
    for (const s of [...this.streams]) if (!s.send(beat)) this.remove(s);
  }

  /** One look at the log and the sessions, if anything was written since the last one. */
  tick(): void {
    if (this.cursor < 0) return;
    const counters = writeCounters(this.db);
    const due = Date.now() >= this.nextCheck;
    if (counters === this.counters && !due) return;
    this.counters = counters;
    const access = accessVersion(this.db);
    if (access !== this.access || due) {
      this.access = access;
      this.revalidate();
    }
    for (;;) {
      const rows = liveEventsAfter(this.db, this.cursor, BATCH);
      for (const e of rows) this.fanOut(e);
      if (rows.length) this.cursor = rows[rows.length - 1]!.id;
      if (rows.length < BATCH) break;
    }
    const now = Date.now();
    if (now - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = now;
      const s = this.settings();
      pruneLiveEvents(this.db, s.retentionSeconds, s.maxLogRows);
      this.counters = writeCounters(this.db);
    }
  }

  private fanOut(e: StoredLiveEvent): void {
    const set = this.byCompany.get(`${e.provider_id}:${e.company_id}`);
    if (!set) return;
    let bytes: Uint8Array | null = null;
    for (const s of [...set]) {
      if (s.lastId >= e.id) continue;
      s.lastId = e.id;
      if (!mayReceive(s.viewer, e)) continue;
      if (!s.send((bytes ??= eventFrame(e)))) this.remove(s);
    }
  }

  private recheckBy(ms: number): void {
    this.nextCheck = Math.min(this.nextCheck, ms);
  }

  /** Ends or narrows streams whose session, contact or provider changed. */
  private revalidate(): void {
    this.nextCheck = Infinity;
    if (!this.streams.size) return;
    const rows = new Map(streamSessions(this.db, [...new Set([...this.streams].map((s) => s.sessionId))]).map((r) => [r.session_id, r]));
    const now = Date.now();
    for (const r of rows.values()) if (r.expires_at * 1000 > now) this.recheckBy(r.expires_at * 1000);
    for (const s of [...this.streams]) {
      const r = rows.get(s.sessionId);
      if (!r || r.expires_at * 1000 <= now || r.provider_id !== r.session_provider_id) {
        this.close(s, { reason: 'session_ended' });
        continue;
      }
      if (r.disabled) {
        this.close(s, { reason: 'disabled' });
        continue;
      }
      const access = accessKey(r, featuresMap(r.features));
      if (access === s.access) continue;
      const set = this.byCompany.get(s.key);
      set?.delete(s);
      if (set && !set.size) this.byCompany.delete(s.key);
      s.viewer = viewerOfRow(r);
      s.access = access;
      this.add(s);
      // What the elements show was fetched under the old permissions.
      s.send(encoder.encode(frame('reload', JSON.stringify({ reason: 'permissions' }))));
    }
  }

  /** Ends every stream (server shutdown). */
  stop(): void {
    for (const s of [...this.streams]) this.close(s, { reason: 'shutdown' });
    this.idle();
  }
}
