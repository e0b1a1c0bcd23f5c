import { Statement } from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { PostgresStore, SqliteStore, Tx } from '@app/database';
import { EventPayloads, EventType } from './event-payloads';

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

/**
 * The history a producer's outbox belongs to: a random incarnation, made when the database
 * is made (by a service or by init-db) and made again when the relay finds the database
 * older than its own stream (restored from a backup). The relay writes it beside the stream
 * and into every entry; a stream of another incarnation is replaced, never continued.
 * Published rows are told by the stream itself (the ids after its newest), so the partial
 * index of unpublished rows goes.
 */
export const EVENT_LOG_SQL = `
  CREATE TABLE event_log (
    incarnation TEXT NOT NULL
  );
  INSERT INTO event_log (incarnation) VALUES (lower(hex(randomblob(16))));
  DROP INDEX outbox_unpublished;
`;

export const EVENT_LOG_POSTGRES_SQL = `
  CREATE TABLE event_log (
    incarnation TEXT NOT NULL
  );
  INSERT INTO event_log (incarnation) VALUES (md5(random()::text || clock_timestamp()::text));
  DROP INDEX outbox_unpublished;
`;

/** Which history (the producer's incarnation) a consumer's position and effects belong to. */
export const CONSUMER_INCARNATION_SQL = `ALTER TABLE consumer_positions ADD COLUMN incarnation TEXT;`;

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
  record<T extends EventType>(tx: Tx, type: T, data: EventPayloads[T]): Promise<void>;
}

/** The outbox as the relay reads it. */
export interface OutboxLog extends Outbox {
  /** Rows after `id`, oldest first. */
  rowsAfter(id: number, limit: number): Promise<OutboxRow[]>;
  /** How many rows there are after `id` (the backlog, when `id` is the stream's newest). */
  countAfter(id: number): Promise<number>;
  /** The history this outbox belongs to. */
  incarnation(): Promise<string>;
  /** Starts a new history, unless another process did already; returns the incarnation now. */
  renewIncarnation(old: string): Promise<string>;
}

/** A new incarnation (what the migrations write, made in SQL there). */
const newIncarnation = () => randomBytes(16).toString('hex');

export class SqliteOutbox implements OutboxLog {
  private readonly insert: Statement<[string, string, string]>;
  private readonly after: Statement<[number, number], OutboxRow>;
  private readonly countAfterId: Statement<[number], number>;
  private readonly current: Statement<[], string>;
  private readonly renew: Statement<[string, string]>;

  constructor(private readonly store: SqliteStore) {
    const { db } = store;
    this.insert = db.prepare('INSERT INTO outbox (type, occurred_at, data) VALUES (?, ?, ?)');
    this.after = db.prepare('SELECT id, type, occurred_at, data FROM outbox WHERE id > ? ORDER BY id LIMIT ?');
    this.countAfterId = db.prepare<[number], number>('SELECT COUNT(*) FROM outbox WHERE id > ?').pluck();
    this.current = db.prepare<[], string>('SELECT incarnation FROM event_log').pluck();
    this.renew = db.prepare('UPDATE event_log SET incarnation = ? WHERE incarnation = ?');
  }

  async record<T extends EventType>(_tx: Tx, type: T, data: EventPayloads[T]): Promise<void> {
    await this.store.use(() => this.insert.run(type, new Date().toISOString(), JSON.stringify(data)));
  }

  rowsAfter(id: number, limit: number): Promise<OutboxRow[]> {
    return this.store.use(() => this.after.all(id, limit));
  }

  countAfter(id: number): Promise<number> {
    return this.store.use(() => this.countAfterId.get(id)!);
  }

  incarnation(): Promise<string> {
    return this.store.use(() => this.current.get()!);
  }

  /** Through write(): it waits for the lock without stopping the event loop. */
  renewIncarnation(old: string): Promise<string> {
    return this.store.write(async () => {
      this.renew.run(newIncarnation(), old);
      return this.current.get()!;
    });
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
  async record<T extends EventType>(_tx: Tx, type: T, data: EventPayloads[T]): Promise<void> {
    await this.store.query('SELECT pg_advisory_xact_lock($1)', [OUTBOX_LOCK]);
    await this.store.run('INSERT INTO outbox (type, occurred_at, data) VALUES ($1, $2, $3)', [type, new Date().toISOString(), JSON.stringify(data)]);
  }

  rowsAfter(id: number, limit: number): Promise<OutboxRow[]> {
    return this.store.query<OutboxRow>('SELECT id, type, occurred_at, data FROM outbox WHERE id > $1 ORDER BY id LIMIT $2', [id, limit]);
  }

  async countAfter(id: number): Promise<number> {
    return (await this.store.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM outbox WHERE id > $1', [id]))!.n;
  }

  async incarnation(): Promise<string> {
    return (await this.store.one<{ incarnation: string }>('SELECT incarnation FROM event_log'))!.incarnation;
  }

  renewIncarnation(old: string): Promise<string> {
    return this.store.write(async () => {
      await this.store.run('UPDATE event_log SET incarnation = $1 WHERE incarnation = $2', [newIncarnation(), old]);
      return this.incarnation();
    });
  }
}
