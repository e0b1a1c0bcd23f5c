import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Migration, migrate } from './migrations';

export type Sqlite = Database.Database;

export const BUSY_TIMEOUT_MS = 5000;

/**
 * A 2 MiB page cache, about SQLite's own default, instead of better-sqlite3's 16 MB: a cache is
 * emptied whenever another process commits, and reads that repeat are remembered above it
 * (SqliteStore.remember), so a bigger one mostly keeps what a single scan read
 * (docs/performance.md, "Settings chosen by measurement").
 */
const PAGE_CACHE_KIB = 2048;

/**
 * Opens (creating if needed) a database file for one process and brings its schema to the
 * newest migration. WAL lets every replica read while one writes; the busy timeout makes a
 * writer wait for the lock instead of failing.
 */
export function openDatabase(path: string, migrations: readonly Migration[]): Sqlite {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  migrate(db, migrations);
  db.pragma('foreign_keys = ON');
  return db;
}

/** The CREATE INDEX statements of `tables`, so a bulk load can drop them and build them once at the end. */
export function secondaryIndexes(db: Sqlite, tables: string[]): Array<{ name: string; sql: string }> {
  const placeholders = tables.map(() => '?').join(', ');
  return db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${placeholders})`).all(...tables) as Array<{
    name: string;
    sql: string;
  }>;
}
