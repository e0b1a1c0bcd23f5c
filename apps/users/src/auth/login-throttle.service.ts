import { Inject, Injectable } from '@nestjs/common';
import { tooManyRequests } from '@app/common';
import { LOGIN_THROTTLE_REPOSITORY, LoginThrottleRepository } from './login-throttle.repository';

export const LOGIN_WINDOW_MS = 5 * 60 * 1000;
export const MAX_FAILURES_PER_USERNAME = 10;
export const MAX_FAILURES_PER_ADDRESS = 50;
const PURGE_INTERVAL_MS = 60_000;

/**
 * Slows down password guessing: after 10 failures for one username, or 50 from one client
 * address, within a 5-minute window that opens at the first failure, every attempt for that
 * username or from that address is refused with 429 until the window has passed.
 */
@Injectable()
export class LoginThrottleService {
  private lastPurge = 0;

  constructor(@Inject(LOGIN_THROTTLE_REPOSITORY) private readonly failures: LoginThrottleRepository) {}

  async assertAllowed(username: string, address: string): Promise<void> {
    const now = Date.now();
    const waits = [
      await this.waitFor(`user:${username.toLowerCase()}`, MAX_FAILURES_PER_USERNAME, now),
      await this.waitFor(`addr:${address}`, MAX_FAILURES_PER_ADDRESS, now),
    ];
    const wait = Math.max(...waits);
    if (wait > 0) throw tooManyRequests('too many failed logins; try again later', wait / 1000);
  }

  async recordFailure(username: string, address: string): Promise<void> {
    const now = Date.now();
    // Expired windows only take space (an expired one is reset when its key fails again),
    // so the table-wide DELETE runs once a minute, not on every failed login.
    const purge = now - this.lastPurge >= PURGE_INTERVAL_MS;
    if (purge) this.lastPurge = now;
    await this.failures.writeTransaction(async (tx) => {
      await this.failures.recordFailure(tx, `user:${username.toLowerCase()}`, now, LOGIN_WINDOW_MS);
      await this.failures.recordFailure(tx, `addr:${address}`, now, LOGIN_WINDOW_MS);
      if (purge) await this.failures.purgeOlderThan(tx, now - LOGIN_WINDOW_MS);
    });
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  private async waitFor(key: string, limit: number, now: number): Promise<number> {
    const window = await this.failures.find(key);
    if (!window || window.failures < limit) return 0;
    return Math.max(0, window.window_started_at + LOGIN_WINDOW_MS - now);
  }
}
