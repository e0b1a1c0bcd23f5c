import { Inject, Injectable } from '@nestjs/common';
import { Statement } from 'better-sqlite3';
import { DATABASE, Sqlite } from '@app/database';

/**
 * The outbox table, the same in every producer's database (each lists it among its own
 * migrations). An event row is written in the transaction of the change it describes; the
 * relay publishes rows in id order, which is commit order (SQLite has one writer at a time).
 * Rows are kept: the outbox is the producer's event log, from which a consumer that starts
 * late, or a Redis that restarted empty, is served again.
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

/** Where consumers remember, with their effects, the last event they applied of each stream. */
export const CONSUMER_POSITIONS_SQL = `
  CREATE TABLE consumer_positions (
    stream  TEXT PRIMARY KEY,
    last_id INTEGER NOT NULL
  ) WITHOUT ROWID;
`;

export interface OutboxRow {
  id: number;
  type: string;
  occurred_at: string;
  data: string;
}

/** Injection token of the outbox a service records its events in. */
export const OUTBOX = Symbol('Outbox');

/** Records an event; call it inside the write transaction of the change it describes. */
export interface Outbox {
  record(type: string, data: Record<string, unknown>): void;
}

@Injectable()
export class SqliteOutbox implements Outbox {
  private readonly insert: Statement<[string, string, string]>;
  private readonly after: Statement<[number, number], OutboxRow>;
  private readonly markPublished: Statement<[number, number]>;
  private readonly unpublished: Statement<[], { n: number }>;

  constructor(@Inject(DATABASE) db: Sqlite) {
    this.insert = db.prepare('INSERT INTO outbox (type, occurred_at, data) VALUES (?, ?, ?)');
    this.after = db.prepare('SELECT id, type, occurred_at, data FROM outbox WHERE id > ? ORDER BY id LIMIT ?');
    this.markPublished = db.prepare('UPDATE outbox SET published_at = ? WHERE published_at IS NULL AND id <= ?');
    this.unpublished = db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE published_at IS NULL');
  }

  record(type: string, data: Record<string, unknown>): void {
    this.insert.run(type, new Date().toISOString(), JSON.stringify(data));
  }

  /** Rows after `id`, oldest first. */
  rowsAfter(id: number, limit: number): OutboxRow[] {
    return this.after.all(id, limit);
  }

  markPublishedUpTo(id: number): void {
    this.markPublished.run(Date.now(), id);
  }

  backlog(): number {
    return this.unpublished.get()!.n;
  }
}
