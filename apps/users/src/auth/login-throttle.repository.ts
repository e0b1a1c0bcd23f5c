import { Tx } from '@app/database';
/** A failed-login window: when it opened and how many failures it has counted. */
export interface FailureWindow {
  window_started_at: number;
  failures: number;
}

/** Injection token of the LoginThrottleRepository adapter. */
export const LOGIN_THROTTLE_REPOSITORY = Symbol('LoginThrottleRepository');

/** Failed-login counters, kept where every users process shares them. */
export interface LoginThrottleRepository {
  writeTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  find(key: string): Promise<FailureWindow | undefined>;
  /** Counts a failure for `key`: in its open window, or in a new one when the old one ended `windowMs` ago. */
  recordFailure(tx: Tx, key: string, now: number, windowMs: number): Promise<void>;
  purgeOlderThan(tx: Tx, cutoff: number): Promise<void>;
}
