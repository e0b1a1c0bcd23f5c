import { Statement } from 'better-sqlite3';
import { SqliteStore, Tx } from '@app/database';
import { IdempotencyRecord, IdempotencyRepository, StoredAnswer } from './idempotency.repository';

export class SqliteIdempotencyRepository implements IdempotencyRepository {
  private readonly select: Statement<[string, string], IdempotencyRecord>;
  private readonly upsert: Statement<{ scope: string; key: string; fingerprint: string; now: number }>;
  private readonly update: Statement<StoredAnswer & { scope: string; key: string }>;
  private readonly remove: Statement<[string, string]>;
  private readonly purge: Statement<[number]>;

  constructor(private readonly store: SqliteStore) {
    const { db } = store;
    this.select = db.prepare('SELECT * FROM idempotency_records WHERE scope = ? AND key = ?');
    this.upsert = db.prepare(
      `INSERT INTO idempotency_records (scope, key, fingerprint, created_at) VALUES (@scope, @key, @fingerprint, @now)
       ON CONFLICT (scope, key) DO UPDATE SET fingerprint = excluded.fingerprint, created_at = excluded.created_at,
         status = NULL, content_type = NULL, location = NULL, body = NULL`,
    );
    this.update = db.prepare(
      `UPDATE idempotency_records SET status = @status, content_type = @contentType, location = @location, body = @body
       WHERE scope = @scope AND key = @key`,
    );
    this.remove = db.prepare('DELETE FROM idempotency_records WHERE scope = ? AND key = ? AND status IS NULL');
    this.purge = db.prepare('DELETE FROM idempotency_records WHERE created_at < ?');
  }

  writeTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.store.write(work);
  }

  find(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    return this.store.use(() => this.select.get(scope, key));
  }

  async putInFlight(_tx: Tx, scope: string, key: string, fingerprint: string, now: number): Promise<void> {
    await this.store.use(() => this.upsert.run({ scope, key, fingerprint, now }));
  }

  async complete(_tx: Tx, scope: string, key: string, answer: StoredAnswer): Promise<void> {
    await this.store.use(() => this.update.run({ ...answer, scope, key }));
  }

  async abandon(_tx: Tx, scope: string, key: string): Promise<void> {
    await this.store.use(() => this.remove.run(scope, key));
  }

  async purgeOlderThan(_tx: Tx, cutoff: number): Promise<void> {
    await this.store.use(() => this.purge.run(cutoff));
  }
}
