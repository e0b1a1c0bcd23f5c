import { Inject, Injectable } from '@nestjs/common';
import { Statement } from 'better-sqlite3';
import { DATABASE, Sqlite } from '@app/database';
import { FailureWindow, LoginThrottleRepository } from './login-throttle.repository';

/** Failed-login counters in the users database, so every users process shares them. */
@Injectable()
export class SqliteLoginThrottleRepository implements LoginThrottleRepository {
  private readonly select: Statement<[string], FailureWindow>;
  private readonly record: Statement<{ key: string; now: number; windowMs: number }>;
  private readonly purge: Statement<[number]>;

  constructor(@Inject(DATABASE) db: Sqlite) {
    this.select = db.prepare('SELECT window_started_at, failures FROM login_failures WHERE key = ?');
    this.record = db.prepare(
      `INSERT INTO login_failures (key, window_started_at, failures) VALUES (@key, @now, 1)
       ON CONFLICT (key) DO UPDATE SET
         failures          = CASE WHEN window_started_at <= @now - @windowMs THEN 1 ELSE failures + 1 END,
         window_started_at = CASE WHEN window_started_at <= @now - @windowMs THEN @now ELSE window_started_at END`,
    );
    this.purge = db.prepare('DELETE FROM login_failures WHERE window_started_at <= ?');
  }

  find(key: string): FailureWindow | undefined {
    return this.select.get(key);
  }

  recordFailure(key: string, now: number, windowMs: number): void {
    this.record.run({ key, now, windowMs });
  }

  purgeOlderThan(cutoff: number): void {
    this.purge.run(cutoff);
  }
}
