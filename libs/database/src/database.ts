import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Sqlite = Database.Database;

/** Injection token of the service's better-sqlite3 connection. */
export const DATABASE = Symbol('DATABASE');

export const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) a database file for one process. WAL lets every replica read
 * while one writes; the busy timeout makes a writer wait for the lock instead of failing.
 * The schema statements must be idempotent: they run at every start.
 */
export function openDatabase(path: string, schema: string): Sqlite {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.exec(schema);
  return db;
}

/** Runs `work` in a BEGIN IMMEDIATE transaction: the write lock is taken up front, so it never deadlocks. */
export function writeTransaction<T>(db: Sqlite, work: () => T): T {
  return db.transaction(work).immediate();
}
