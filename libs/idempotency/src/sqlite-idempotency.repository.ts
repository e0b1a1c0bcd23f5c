import { Inject, Injectable } from '@nestjs/common';
import { Statement } from 'better-sqlite3';
import { DATABASE, Sqlite, writeTransaction } from '@app/database';
import { IdempotencyRecord, IdempotencyRepository, StoredAnswer } from './idempotency.repository';

@Injectable()
export class SqliteIdempotencyRepository implements IdempotencyRepository {
  private readonly select: Statement<[string, string], IdempotencyRecord>;
  private readonly upsert: Statement<{ scope: string; key: string; fingerprint: string; now: number }>;
  private readonly update: Statement<StoredAnswer & { scope: string; key: string }>;
  private readonly remove: Statement<[string, string]>;
  private readonly purge: Statement<[number]>;

  constructor(@Inject(DATABASE) private readonly db: Sqlite) {
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

  writeTransaction<T>(work: () => T): T {
    return writeTransaction(this.db, work);
  }

  find(scope: string, key: string): IdempotencyRecord | undefined {
    return this.select.get(scope, key);
  }

  putInFlight(scope: string, key: string, fingerprint: string, now: number): void {
    this.upsert.run({ scope, key, fingerprint, now });
  }

  complete(scope: string, key: string, answer: StoredAnswer): void {
    this.update.run({ ...answer, scope, key });
  }

  abandon(scope: string, key: string): void {
    this.remove.run(scope, key);
  }

  purgeOlderThan(cutoff: number): void {
    this.purge.run(cutoff);
  }
}
