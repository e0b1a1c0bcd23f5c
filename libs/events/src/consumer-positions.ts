import { Statement } from 'better-sqlite3';
import { PostgresStore, SqliteStore, SqlStore, Tx } from '@app/database';

/** Where a consumer stands in a stream: the last event applied, of which history (null: none yet). */
export interface Position {
  lastId: number;
  incarnation: string | null;
}

export const START: Position = { lastId: 0, incarnation: null };

export const samePosition = (a: Position, b: Position) => a.lastId === b.lastId && a.incarnation === b.incarnation;

/** A consumer's stored position in its stream; written in the transaction of the effects. */
export interface ConsumerPositions {
  get(stream: string): Promise<Position>;
  set(tx: Tx, stream: string, position: Position): Promise<void>;
}

interface PositionRow {
  last_id: number;
  incarnation: string | null;
}

const toPosition = (row: PositionRow | undefined): Position => (row ? { lastId: row.last_id, incarnation: row.incarnation } : START);

class SqliteConsumerPositions implements ConsumerPositions {
  private readonly select: Statement<[string], PositionRow>;
  private readonly upsert: Statement<[string, number, string | null]>;

  constructor(private readonly store: SqliteStore) {
    this.select = store.db.prepare('SELECT last_id, incarnation FROM consumer_positions WHERE stream = ?');
    this.upsert = store.db.prepare(
      `INSERT INTO consumer_positions (stream, last_id, incarnation) VALUES (?, ?, ?)
       ON CONFLICT (stream) DO UPDATE SET last_id = excluded.last_id, incarnation = excluded.incarnation`,
    );
  }

  get(stream: string): Promise<Position> {
    return this.store.use(() => toPosition(this.select.get(stream)));
  }

  async set(_tx: Tx, stream: string, { lastId, incarnation }: Position): Promise<void> {
    await this.store.use(() => this.upsert.run(stream, lastId, incarnation));
  }
}

class PostgresConsumerPositions implements ConsumerPositions {
  constructor(private readonly store: PostgresStore) {}

  async get(stream: string): Promise<Position> {
    return toPosition(await this.store.one<PositionRow>('SELECT last_id, incarnation FROM consumer_positions WHERE stream = $1', [stream]));
  }

  async set(_tx: Tx, stream: string, { lastId, incarnation }: Position): Promise<void> {
    await this.store.run(
      `INSERT INTO consumer_positions (stream, last_id, incarnation) VALUES ($1, $2, $3)
       ON CONFLICT (stream) DO UPDATE SET last_id = excluded.last_id, incarnation = excluded.incarnation`,
      [stream, lastId, incarnation],
    );
  }
}

export function consumerPositions(store: SqlStore): ConsumerPositions {
  return store.kind === 'sqlite' ? new SqliteConsumerPositions(store) : new PostgresConsumerPositions(store);
}
