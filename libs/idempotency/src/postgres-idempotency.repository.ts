import { PostgresStore, Tx } from '@app/database';
import { IdempotencyRecord, IdempotencyRepository, StoredAnswer } from './idempotency.repository';

export class PostgresIdempotencyRepository implements IdempotencyRepository {
  constructor(private readonly store: PostgresStore) {}

  writeTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.store.write(work);
  }

  find(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    return this.store.one<IdempotencyRecord>('SELECT * FROM idempotency_records WHERE scope = $1 AND key = $2', [scope, key]);
  }

  async putInFlight(_tx: Tx, scope: string, key: string, fingerprint: string, now: number): Promise<void> {
    await this.store.run(
      `INSERT INTO idempotency_records (scope, key, fingerprint, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (scope, key) DO UPDATE SET fingerprint = excluded.fingerprint, created_at = excluded.created_at,
         status = NULL, content_type = NULL, location = NULL, body = NULL`,
      [scope, key, fingerprint, now],
    );
  }

  async complete(_tx: Tx, scope: string, key: string, answer: StoredAnswer): Promise<void> {
    await this.store.run('UPDATE idempotency_records SET status = $3, content_type = $4, location = $5, body = $6 WHERE scope = $1 AND key = $2', [
      scope,
      key,
      answer.status,
      answer.contentType,
      answer.location,
      answer.body,
    ]);
  }

  async abandon(_tx: Tx, scope: string, key: string): Promise<void> {
    await this.store.run('DELETE FROM idempotency_records WHERE scope = $1 AND key = $2 AND status IS NULL', [scope, key]);
  }

  async purgeOlderThan(_tx: Tx, cutoff: number): Promise<void> {
    await this.store.run('DELETE FROM idempotency_records WHERE created_at < $1', [cutoff]);
  }
}
