import type { Sqlite } from './database';

/**
 * One versioned change of a database's schema. Versions are applied in ascending order,
 * each in its own transaction, and recorded in `schema_migrations`; a version once
 * released is never edited: a further change is a further migration.
 */
export interface Migration {
  version: number;
  name: string;
  /** SQL run once, inside the migration's transaction, with foreign keys off. */
  up: string;
}

const HISTORY = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

export function appliedVersions(db: Sqlite): number[] {
  db.exec(HISTORY);
  return (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>).map((row) => row.version);
}

/**
 * Brings `db` to the newest version of `migrations` and returns the versions it applied.
 * Several processes may start on one file at once: each migration takes the write lock
 * (BEGIN IMMEDIATE) and checks again that nobody applied it meanwhile. Foreign keys are
 * off while a migration runs (a table rebuild drops and renames tables, which SQLite allows
 * only so) and checked before its commit.
 */
export function migrate(db: Sqlite, migrations: readonly Migration[]): number[] {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  ordered.forEach((migration, i) => {
    if (!Number.isSafeInteger(migration.version) || migration.version < 1 || ordered[i - 1]?.version === migration.version) {
      throw new Error(`migration versions must be distinct positive integers (${migration.name})`);
    }
  });
  db.exec(HISTORY);
  const isApplied = db.prepare<[number], { version: number }>('SELECT version FROM schema_migrations WHERE version = ?');
  const record = db.prepare<[number, string, string]>('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  const applied: number[] = [];
  db.pragma('foreign_keys = OFF');
  try {
    for (const migration of ordered) {
      if (isApplied.get(migration.version)) continue;
      db.transaction(() => {
        if (isApplied.get(migration.version)) return;
        db.exec(migration.up);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) throw new Error(`migration ${migration.version} (${migration.name}) breaks ${broken.length} foreign key(s)`);
        record.run(migration.version, migration.name, new Date().toISOString());
        applied.push(migration.version);
      }).immediate();
    }
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
  return applied;
}

/**
 * Whether the database has been filled by init-db (or found filled by it): a service started
 * with WAIT_FOR_INIT waits for this row before it starts, so nothing it writes can make
 * `init-db --if-missing` take the database for a filled one. A database that already holds
 * rows of `table` when this migration runs was filled before the marker existed.
 */
export const initialisedMarkerSql = (table: string) => `
  CREATE TABLE initialised (
    at TEXT NOT NULL
  );
  INSERT INTO initialised (at) SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE EXISTS (SELECT 1 FROM ${table});
`;

export const initialisedMarkerPostgresSql = (table: string) => `
  CREATE TABLE initialised (
    at TEXT NOT NULL
  );
  INSERT INTO initialised (at) SELECT now()::text WHERE EXISTS (SELECT 1 FROM ${table});
`;
