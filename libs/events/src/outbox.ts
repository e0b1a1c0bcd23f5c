import { Statement } from 'better-sqlite3';
import { PostgresStore, SqliteStore } from '@app/database';

/**
 * The outbox table, the same in every producer's database (each lists it among its own
 * migrations). An event row is written in the transaction of the change it describes; the
 * relay publishes rows in id order, which is commit order (SQLite has one writer at a time;
 * on PostgreSQL an advisory lock makes the outbox's writers take turns). Rows are kept: the
 * outbox is the producer's event log, from which a consumer that starts late, or a Redis
 * that restarted empty, is served again.
 */
export const OUTBOX_SQL = `
  CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    type         TEXT NOT NULL,
    occurred_at  TEXT NOT NULL,
    data         TEXT NOT NULL,
    published_at INTEGER
  );
  CREATE INDEX outbox_unpublished ON outbox(id) WHERE published_at IS NULL;
`;

export const OUTBOX_POSTGRES_SQL = `
  CREATE TABLE outbox (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type         TEXT NOT NULL,
    occurred_at  TEXT NOT NULL,
    data         TEXT NOT NULL,
    published_at BIGINT
  );
  CREATE INDEX outbox_unpublished ON outbox(id) WHERE published_at IS NULL;
`;

/** Where consumers remember, with their effects, the last event they applied of each stream. */
export const CONSUMER_POSITIONS_SQL = `
  CREATE TABLE consumer_positions (
    stream  TEXT PRIMARY KEY,
    last_id INTEGER NOT NULL
  ) WITHOUT ROWID;
`;

export const CONSUMER_POSITIONS_POSTGRES_SQL = `
  CREATE TABLE consumer_positions (
    stream  TEXT PRIMARY KEY,
    last_id BIGINT NOT NULL
  );
`;

export interface OutboxRow {
  id: number;
  type: string;
  occurred_at: string;
  data: string;
}

/** Injection token of the service's outbox (an OutboxLog). */
export const OUTBOX = Symbol('Outbox');

/** Records an event; call it inside the write transaction of the change it describes. */
export interface Outbox {
  record(type: string, data: Record<string, unknown>): Promise<void>;
}

/** The outbox as the relay reads it. */
export interface OutboxLog extends Outbox {
  /** Rows after `id`, oldest first. */
  rowsAfter(id: number, limit: number): Promise<OutboxRow[]>;
  markPublishedUpTo(id: number): Promise<void>;
  /** Rows not yet published. */
  backlog(): Promise<number>;
}

export class SqliteOutbox implements OutboxLog {
  private readonly insert: Statement<[string, string, string]>;
  private readonly after: Statement<[number, number], OutboxRow>;
  private readonly markPublished: Statement<[number, number]>;
  private readonly unpublished: Statement<[], { n: number }>;

  constructor(private readonly store: SqliteStore) {
    const { db } = store;
    this.insert = db.prepare('INSERT INTO outbox (type, occurred_at, data) VALUES (?, ?, ?)');
    this.after = db.prepare('SELECT id, type, occurred_at, data FROM outbox WHERE id > ? ORDER BY id LIMIT ?');
    this.markPublished = db.prepare('UPDATE outbox SET published_at = ? WHERE published_at IS NULL AND id <= ?');
    this.unpublished = db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE published_at IS NULL');
  }

  async record(type: string, data: Record<string, unknown>): Promise<void> {
    await this.store.use(() => this.insert.run(type, new Date().toISOString(), JSON.stringify(data)));
  }

  rowsAfter(id: number, limit: number): Promise<OutboxRow[]> {
    return this.store.use(() => this.after.all(id, limit));
  }

  /**
   * A write of its own, outside any request's transaction: through write(), it waits for the
   * lock without stopping the event loop (and may share a transaction with queued requests).
   */
  async markPublishedUpTo(id: number): Promise<void> {
    await this.store.write(async () => this.markPublished.run(Date.now(), id));
  }

  backlog(): Promise<number> {
    return this.store.use(() => this.unpublished.get()!.n);
  }
}

/** The advisory lock an event's transaction holds from its first outbox row to its commit. */
const OUTBOX_LOCK = 7_311_002;

export class PostgresOutbox implements OutboxLog {
  constructor(private readonly store: PostgresStore) {}

  /**
   * Ids come from a sequence, which is not commit order when transactions overlap; holding a
   * transaction-scoped lock from the insert to the commit makes it so, and the relay's
   * "rows after the last id published" then never skips a row committed late.
   */
  async record(type: string, data: Record<string, unknown>): Promise<void> {
    await this.store.query('SELECT pg_advisory_xact_lock($1)', [OUTBOX_LOCK]);
    await this.store.run('INSERT INTO outbox (type, occurred_at, data) VALUES ($1, $2, $3)', [
      type,
      new Date().toISOString(),
      JSON.stringify(data),
    ]);
  }

  rowsAfter(id: number, limit: number): Promise<OutboxRow[]> {
    return this.store.query<OutboxRow>('SELECT id, type, occurred_at, data FROM outbox WHERE id > $1 ORDER BY id LIMIT $2', [id, limit]);
  }

  async markPublishedUpTo(id: number): Promise<void> {
    await this.store.run('UPDATE outbox SET published_at = $1 WHERE published_at IS NULL AND id <= $2', [Date.now(), id]);
  }

  async backlog(): Promise<number> {
    return (await this.store.one<{ n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE published_at IS NULL'))!.n;
  }
}
