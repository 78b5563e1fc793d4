/** The live event log: every SQL statement of the stream (server/live/). */
import { type Db, stmt, nowSeconds } from '../db/index.js';
import type { ContactRow } from '../companies/data.js';
import type { JobRow } from '../jobs/data.js';
import type { QuoteRow } from '../quotes/data.js';
import type { StoredLiveEvent } from './filter.js';

export type NewLiveEvent = Omit<StoredLiveEvent, 'id' | 'created_at'>;

export function insertLiveEvent(db: Db, e: NewLiveEvent): number {
  return Number(
    stmt(
      db,
      'INSERT INTO live_events (provider_id, company_id, type, scope, created_by_contact_id, contact_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(e.provider_id, e.company_id, e.type, e.scope, e.created_by_contact_id, e.contact_id, e.data, nowSeconds()).lastInsertRowid,
  );
}

/** Every provider's events after `cursor`, oldest first: what one process's hub fans out. */
export function liveEventsAfter(db: Db, cursor: number, limit: number): StoredLiveEvent[] {
  return stmt<[number, number], StoredLiveEvent>(db, 'SELECT * FROM live_events WHERE id > ? ORDER BY id LIMIT ?').all(cursor, limit);
}

/** One company's events in (after, upTo]: what a resumed stream missed. */
export function companyEventsBetween(db: Db, providerId: number, companyId: number, after: number, upTo: number, limit: number): StoredLiveEvent[] {
  return stmt<[number, number, number, number, number], StoredLiveEvent>(
    db,
    'SELECT * FROM live_events WHERE provider_id = ? AND company_id = ? AND id > ? AND id <= ? ORDER BY id LIMIT ?',
  ).all(providerId, companyId, after, upTo, limit);
}

/**
 * The log's extent: the last id ever given (pruned or not) and the oldest still kept. An id
 * before `oldest - 1` may have lost events to pruning.
 */
export function logExtent(db: Db): { last: number; oldest: number | null } {
  const last = stmt<[], { seq: number }>(db, "SELECT seq FROM sqlite_sequence WHERE name = 'live_events'").get()?.seq ?? 0;
  const oldest = stmt<[], { id: number | null }>(db, 'SELECT min(id) AS id FROM live_events').get()?.id ?? null;
  return { last, oldest };
}

/** Keeps the log bounded: events older than `maxAgeSeconds`, and all but the newest `maxRows`. */
export function pruneLiveEvents(db: Db, maxAgeSeconds: number, maxRows: number): number {
  return stmt(db, 'DELETE FROM live_events WHERE created_at < ? OR id <= (SELECT max(id) FROM live_events) - ?').run(nowSeconds() - maxAgeSeconds, maxRows).changes;
}

/**
 * Counters that move on any write: this connection's own (total_changes) and every other
 * connection's or process's commits (data_version). Unchanged counters: nothing to look at.
 */
export function writeCounters(db: Db): string {
  const own = stmt<[], { n: number }>(db, 'SELECT total_changes() AS n').get()!.n;
  return `${own}:${db.pragma('data_version', { simple: true }) as number}`;
}

/** The sum of every provider's access version (migration 9): unchanged, no stream's rights changed. */
export function accessVersion(db: Db): number {
  return stmt<[], { v: number }>(db, 'SELECT total(version) AS v FROM live_access_versions').get()!.v;
}

export interface StreamSessionRow extends ContactRow {
  session_id: string;
  expires_at: number;
  session_provider_id: number;
  features: string;
}

/** The sessions of the open streams as they stand now, with their contacts and providers' features: one statement. */
export function streamSessions(db: Db, sessionIds: string[]): StreamSessionRow[] {
  return stmt<[string], StreamSessionRow>(
    db,
    `SELECT c.*, s.id AS session_id, s.expires_at, s.provider_id AS session_provider_id, p.features
       FROM json_each(?) j JOIN sessions s ON s.id = j.value JOIN contacts c ON c.id = s.contact_id JOIN providers p ON p.id = s.provider_id`,
  ).all(JSON.stringify(sessionIds));
}

export function jobRowForLive(db: Db, providerId: number, jobId: number): JobRow | undefined {
  return stmt<[number, number], JobRow>(db, 'SELECT * FROM jobs WHERE provider_id = ? AND id = ?').get(providerId, jobId);
}

export function quoteRowForLive(db: Db, providerId: number, quoteId: number): QuoteRow | undefined {
  return stmt<[number, number], QuoteRow>(db, 'SELECT * FROM quotes WHERE provider_id = ? AND id = ?').get(providerId, quoteId);
}
