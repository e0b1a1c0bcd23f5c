import { ProblemException } from '@app/common';
import { FailureWindow, LoginThrottleRepository } from './login-throttle.repository';
import { LOGIN_WINDOW_MS, LoginThrottleService } from './login-throttle.service';

/** An in-memory stand-in for the SQLite counters, with the same window rule. */
class MemoryFailures {
  rows = new Map<string, FailureWindow>();
  find(key: string) {
    return this.rows.get(key);
  }
  recordFailure(key: string, now: number, windowMs: number) {
    const row = this.rows.get(key);
    if (!row || row.window_started_at <= now - windowMs) this.rows.set(key, { window_started_at: now, failures: 1 });
    else row.failures++;
  }
  purgeOlderThan() {}
}

describe('LoginThrottleService', () => {
  let now = 1_000_000;
  let throttle: LoginThrottleService;
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    throttle = new LoginThrottleService(new MemoryFailures() as unknown as LoginThrottleRepository);
  });
  afterEach(() => jest.restoreAllMocks());

  const retryAfter = (username: string, address: string) => {
    try {
      throttle.assertAllowed(username, address);
      return null;
    } catch (error) {
      return Number((error as ProblemException).headers['Retry-After']);
    }
  };

  it('blocks a username after 10 failures, whatever its case, until the window passes', () => {
    for (let i = 0; i < 9; i++) throttle.recordFailure('Steve', `10.0.0.${i}`);
    expect(retryAfter('steve', '10.0.1.1')).toBeNull();
    throttle.recordFailure('STEVE', '10.0.0.99');
    now += 60_000;
    expect(retryAfter('steve', '10.0.1.1')).toBe((LOGIN_WINDOW_MS - 60_000) / 1000);
    now += LOGIN_WINDOW_MS;
    expect(retryAfter('steve', '10.0.1.1')).toBeNull();
  });

  it('blocks an address after 50 failures for any usernames', () => {
    for (let i = 0; i < 50; i++) throttle.recordFailure(`user${i}`, '192.0.2.7');
    expect(retryAfter('someone', '192.0.2.7')).toBeGreaterThan(0);
    expect(retryAfter('someone', '192.0.2.8')).toBeNull();
  });
});
