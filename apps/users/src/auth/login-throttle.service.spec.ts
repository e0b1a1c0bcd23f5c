import Database from 'better-sqlite3';
import { migrate, SqliteStore } from '@app/database';
import { ProblemException } from '@app/common';
import { USERS_MIGRATIONS } from '../database/users.migrations';
import { LOGIN_WINDOW_MS, LoginThrottleService } from './login-throttle.service';
import { SqliteLoginThrottleRepository } from './sqlite-login-throttle.repository';

/** The throttle over its real SQL (an in-memory SQLite database with the users schema), with a clock the test moves. */
describe('LoginThrottleService', () => {
  let now = 1_000_000;
  let throttle: LoginThrottleService;

  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const db = new Database(':memory:');
    migrate(db, USERS_MIGRATIONS);
    throttle = new LoginThrottleService(new SqliteLoginThrottleRepository(new SqliteStore(db)));
  });
  afterEach(() => jest.restoreAllMocks());

  const retryAfter = async (username: string, address: string) => {
    try {
      await throttle.assertAllowed(username, address);
      return null;
    } catch (error) {
      return Number((error as ProblemException).headers['Retry-After']);
    }
  };

  it('blocks a username after 10 failures counted across letter case, until the window passes', async () => {
    const spellings = ['Steve', 'STEVE', 'steve', 'sTeVe'];
    for (let i = 0; i < 9; i++) await throttle.recordFailure(spellings[i % spellings.length], `10.0.0.${i}`);
    expect(await retryAfter('steve', '10.0.1.1')).toBeNull();
    await throttle.recordFailure('STEVE', '10.0.0.99');
    now += 60_000;
    expect(await retryAfter('Steve', '10.0.1.1')).toBe((LOGIN_WINDOW_MS - 60_000) / 1000);
    now += LOGIN_WINDOW_MS - 60_000 - 1;
    expect(await retryAfter('steve', '10.0.1.1')).toBe(1);
    now += 1;
    expect(await retryAfter('steve', '10.0.1.1')).toBeNull();
  });

  it('opens a new window after the old one ended: one more failure does not block again', async () => {
    for (let i = 0; i < 10; i++) await throttle.recordFailure('ann', '10.0.0.1');
    expect(await retryAfter('ann', '10.0.0.2')).toBeGreaterThan(0);
    now += LOGIN_WINDOW_MS;
    await throttle.recordFailure('ann', '10.0.0.1');
    expect(await retryAfter('ann', '10.0.0.2')).toBeNull();
    for (let i = 0; i < 8; i++) await throttle.recordFailure('Ann', '10.0.0.1');
    expect(await retryAfter('ann', '10.0.0.2')).toBeNull();
    await throttle.recordFailure('ANN', '10.0.0.1');
    expect(await retryAfter('ann', '10.0.0.2')).toBe(LOGIN_WINDOW_MS / 1000);
  });

  it('blocks an address after 50 failures for any usernames, and no other address', async () => {
    for (let i = 0; i < 49; i++) await throttle.recordFailure(`user${i}`, '192.0.2.7');
    expect(await retryAfter('someone', '192.0.2.7')).toBeNull();
    await throttle.recordFailure('user49', '192.0.2.7');
    expect(await retryAfter('someone', '192.0.2.7')).toBeGreaterThan(0);
    expect(await retryAfter('someone', '192.0.2.8')).toBeNull();
  });
});
