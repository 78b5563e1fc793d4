import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the SQLite database and brings its schema up to date.
 * `file` may be ':memory:' for tests.
 */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // WAL + NORMAL is durable across application crashes; only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  // A 64 MiB page cache (the default is 2 MiB): a list page's index and table pages stay in
  // memory instead of a read() each from the OS; about 15% off the job list's query under the
  // bench's mix of 50 companies. Memory is taken only as the database is that large.
  db.pragma('cache_size = -65536');
  migrate(db);
  return db;
}

const cache = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * SQL statements run through `stmt()`, for the benchmark's statements-per-request figure.
 * Every query in the app goes through `stmt()` right before it executes, so this counts executions.
 */
export const sqlStats = { statements: 0 };

/** Statements compiled once per database handle; raw ones (rows as arrays) kept apart. */
function prepared(db: Db, sql: string, raw: boolean): Database.Statement {
  sqlStats.statements++;
  let perDb = cache.get(db);
  if (!perDb) cache.set(db, (perDb = new Map()));
  const key = raw ? `raw:${sql}` : sql;
  let s = perDb.get(key);
  if (!s) perDb.set(key, (s = raw ? db.prepare(sql).raw(true) : db.prepare(sql)));
  return s;
}

/** A prepared statement, compiled once per database handle. */
export function stmt<P extends unknown[] | {} = unknown[], R = unknown>(db: Db, sql: string): Database.Statement<P, R> {
  return prepared(db, sql, false) as unknown as Database.Statement<P, R>;
}

/**
 * A prepared statement whose rows come as arrays of the selected columns, in order. For hot
 * lists: better-sqlite3 builds no object per row, which takes about 40% off a page of 20 rows.
 */
export function rawStmt<P extends unknown[] | {} = unknown[], R extends unknown[] = unknown[]>(db: Db, sql: string): Database.Statement<P, R> {
  return prepared(db, sql, true) as unknown as Database.Statement<P, R>;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
