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
  migrate(db);
  return db;
}

const cache = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * SQL statements run through `stmt()`, for the benchmark's statements-per-request figure.
 * Every query in the app goes through `stmt()` right before it executes, so this counts executions.
 */
export const sqlStats = { statements: 0 };

/** A prepared statement, compiled once per database handle. */
export function stmt<P extends unknown[] | {} = unknown[], R = unknown>(db: Db, sql: string): Database.Statement<P, R> {
  sqlStats.statements++;
  let perDb = cache.get(db);
  if (!perDb) cache.set(db, (perDb = new Map()));
  let s = perDb.get(sql);
  if (!s) perDb.set(sql, (s = db.prepare(sql)));
  return s as unknown as Database.Statement<P, R>;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
