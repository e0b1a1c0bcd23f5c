import { PostgresStore, Tx } from '@app/database';
import { FailureWindow, LoginThrottleRepository } from './login-throttle.repository';

/** Failed-login counters in the users database, so every users process shares them; one upsert counts a failure atomically. */
export class PostgresLoginThrottleRepository implements LoginThrottleRepository {
  constructor(private readonly store: PostgresStore) {}

  writeTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.store.write(work);
  }

  find(key: string): Promise<FailureWindow | undefined> {
    return this.store.one<FailureWindow>('SELECT window_started_at, failures FROM login_failures WHERE key = $1', [key]);
  }

  async recordFailure(_tx: Tx, key: string, now: number, windowMs: number): Promise<void> {
    await this.store.run(
      `INSERT INTO login_failures (key, window_started_at, failures) VALUES ($1, $2, 1)
       ON CONFLICT (key) DO UPDATE SET
         failures          = CASE WHEN login_failures.window_started_at <= $2 - $3::bigint THEN 1 ELSE login_failures.failures + 1 END,
         window_started_at = CASE WHEN login_failures.window_started_at <= $2 - $3::bigint THEN $2 ELSE login_failures.window_started_at END`,
      [key, now, windowMs],
    );
  }

  async purgeOlderThan(_tx: Tx, cutoff: number): Promise<void> {
    await this.store.run('DELETE FROM login_failures WHERE window_started_at <= $1', [cutoff]);
  }
}
