import { Statement } from 'better-sqlite3';
import { SqliteStore, Tx } from '@app/database';
import { FailureWindow, LoginThrottleRepository } from './login-throttle.repository';

const RECORD_FAILURE = `
  INSERT INTO login_failures (key, window_started_at, failures) VALUES (@key, @now, 1)
  ON CONFLICT (key) DO UPDATE SET
    failures          = CASE WHEN login_failures.window_started_at <= @now - @windowMs THEN 1 ELSE login_failures.failures + 1 END,
    window_started_at = CASE WHEN login_failures.window_started_at <= @now - @windowMs THEN @now ELSE login_failures.window_started_at END`;

/** Failed-login counters in the users database, so every users process shares them. */
export class SqliteLoginThrottleRepository implements LoginThrottleRepository {
  private readonly select: Statement<[string], FailureWindow>;
  private readonly record: Statement<{ key: string; now: number; windowMs: number }>;
  private readonly purge: Statement<[number]>;

  constructor(private readonly store: SqliteStore) {
    this.select = store.db.prepare('SELECT window_started_at, failures FROM login_failures WHERE key = ?');
    this.record = store.db.prepare(RECORD_FAILURE);
    this.purge = store.db.prepare('DELETE FROM login_failures WHERE window_started_at <= ?');
  }

  writeTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.store.write(work);
  }

  find(key: string): Promise<FailureWindow | undefined> {
    return this.store.use(() => this.select.get(key));
  }

  async recordFailure(_tx: Tx, key: string, now: number, windowMs: number): Promise<void> {
    await this.store.use(() => this.record.run({ key, now, windowMs }));
  }

  async purgeOlderThan(_tx: Tx, cutoff: number): Promise<void> {
    await this.store.use(() => this.purge.run(cutoff));
  }
}
