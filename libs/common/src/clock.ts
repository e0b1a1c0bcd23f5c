/** Injection token of the clock a service reads the time from: tests hand in one they move. */
export const CLOCK = Symbol('Clock');

export interface Clock {
  /** Milliseconds since the epoch, as Date.now(). */
  now(): number;
}

export const SYSTEM_CLOCK: Clock = { now: () => Date.now() };
