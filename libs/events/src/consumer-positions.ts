import { Statement } from 'better-sqlite3';
import { PostgresStore, SqliteStore, SqlStore } from '@app/database';

/** A consumer's stored position in its stream; written in the transaction of the effects. */
export interface ConsumerPositions {
  get(stream: string): Promise<number>;
  set(stream: string, lastId: number): Promise<void>;
}

class SqliteConsumerPositions implements ConsumerPositions {
  private readonly select: Statement<[string], { last_id: number }>;
  private readonly upsert: Statement<[string, number]>;

  constructor(private readonly store: SqliteStore) {
    this.select = store.db.prepare('SELECT last_id FROM consumer_positions WHERE stream = ?');
    this.upsert = store.db.prepare(
      'INSERT INTO consumer_positions (stream, last_id) VALUES (?, ?) ON CONFLICT (stream) DO UPDATE SET last_id = excluded.last_id',
    );
  }

  get(stream: string): Promise<number> {
    return this.store.use(() => this.select.get(stream)?.last_id ?? 0);
  }

  async set(stream: string, lastId: number): Promise<void> {
    await this.store.use(() => this.upsert.run(stream, lastId));
  }
}

class PostgresConsumerPositions implements ConsumerPositions {
  constructor(private readonly store: PostgresStore) {}

  async get(stream: string): Promise<number> {
    return (await this.store.one<{ last_id: number }>('SELECT last_id FROM consumer_positions WHERE stream = $1', [stream]))?.last_id ?? 0;
  }

  async set(stream: string, lastId: number): Promise<void> {
    await this.store.run(
      'INSERT INTO consumer_positions (stream, last_id) VALUES ($1, $2) ON CONFLICT (stream) DO UPDATE SET last_id = excluded.last_id',
      [stream, lastId],
    );
  }
}

export function consumerPositions(store: SqlStore): ConsumerPositions {
  return store.kind === 'sqlite' ? new SqliteConsumerPositions(store) : new PostgresConsumerPositions(store);
}
