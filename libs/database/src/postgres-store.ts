import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { Tx, TX } from './write-scope';

/**
 * node-postgres, loaded by the first PostgreSQL store: a process on SQLite (the default)
 * never loads it, which saves it about 3 MB of heap.
 */
function nodePostgres(): typeof import('pg') {
  const pg = require('pg') as typeof import('pg');
  // BIGINT (ids, counts, millisecond times) as numbers: every value the services keep fits in 2^53.
  pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
  return pg;
}

/** SQLSTATEs after which a transaction is run again from the start: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 10;
/**
 * The advisory lock a write transaction holds, when it runs again after a conflict, from
 * before its BEGIN to after its end: the transactions that have lost a conflict take turns,
 * each with a SERIALIZABLE snapshot taken after the previous one's commit, so a hot row's
 * writers cannot keep failing one another (likes of one post from every replica lost up to
 * 10 conflicts in a row, and answered 500). A first attempt does not take it: taking it every
 * time made every write wait for every other (compose post on PostgreSQL: 289 requests/s
 * that way, 363 this way, in two runs of the same hour).
 */
const WRITER_LOCK = 7_311_003;

export interface PostgresOptions {
  url: string;
  /** Connections this process may hold (its share of the server's max_connections). */
  poolSize?: number;
}

/**
 * A service's PostgreSQL database: a node-postgres pool, and write transactions at
 * SERIALIZABLE isolation, so a rule's check and the write it allows are as atomic as under
 * SQLite's single writer while replicas on several hosts write at once. A transaction that
 * loses a conflict is rolled back and run again (its work is only database work).
 */
export class PostgresStore {
  readonly kind = 'postgres' as const;
  readonly pool: Pool;
  private readonly transaction = new AsyncLocalStorage<PoolClient>();

  constructor(options: PostgresOptions) {
    this.pool = new (nodePostgres().Pool)({ connectionString: options.url, max: options.poolSize ?? 10, connectionTimeoutMillis: 5000 });
    // An idle client's error (the server restarted) must not kill the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  /** The rows of one parameterised statement, in the open transaction if there is one. */
  async query<R extends QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    const client = this.transaction.getStore() ?? this.pool;
    return (await client.query<R>(text, values)).rows;
  }

  /** The first row of a statement, if any. */
  async one<R extends QueryResultRow>(text: string, values: unknown[] = []): Promise<R | undefined> {
    return (await this.query<R>(text, values))[0];
  }

  /** How many rows a statement changed. */
  async run(text: string, values: unknown[] = []): Promise<number> {
    const client = this.transaction.getStore() ?? this.pool;
    return (await client.query(text, values)).rowCount ?? 0;
  }

  /**
   * Runs a statement that may break a constraint: inside a transaction it runs in a savepoint,
   * so the failure can be answered (409) without aborting the rest of the transaction.
   */
  async runGuarded(text: string, values: unknown[] = []): Promise<number> {
    const client = this.transaction.getStore();
    if (!client) return this.run(text, values);
    await client.query('SAVEPOINT guarded');
    try {
      const result = await client.query(text, values);
      await client.query('RELEASE SAVEPOINT guarded');
      return result.rowCount ?? 0;
    } catch (error) {
      await client.query('ROLLBACK TO SAVEPOINT guarded');
      throw error;
    }
  }

  /**
   * Runs `work` in one SERIALIZABLE transaction; after a conflict, again, taking turns with
   * the other transactions that lost one (WRITER_LOCK); work inside a transaction joins it.
   */
  async write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.transaction.getStore()) return work(TX);
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      let locked = false;
      try {
        if (attempt > 1) {
          // A session lock, taken before BEGIN: a transaction-scoped one would be taken by the
          // transaction's first statement, after its snapshot.
          await client.query('SELECT pg_advisory_lock($1)', [WRITER_LOCK]);
          locked = true;
        }
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        const result = await this.transaction.run(client, () => work(TX));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
        const code = (error as { code?: string }).code;
        if (!code || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw error;
      } finally {
        // After the ROLLBACK or COMMIT: a session lock outlives its transaction.
        if (locked) await client.query('SELECT pg_advisory_unlock($1)', [WRITER_LOCK]).catch((unlock: Error) => (broken ??= unlock));
        client.release(broken);
      }
      await sleep(Math.random() * 2 ** attempt);
    }
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Whether a statement failed on a UNIQUE constraint (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}
