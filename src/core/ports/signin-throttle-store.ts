// Storage port of the sign-in throttle: counters per key (an email, a client address, or the pair),
// read and written atomically with the attempt that changes them, shared by every instance.

export interface ThrottleCounter {
  /** Failed attempts counted since the counter last started (or was reset by a success). */
  failures: number;
  /** When the last failure was counted (epoch ms); 0 = never. */
  lastFailureAt: number;
  /** No attempt on this key before this time (epoch ms); 0 = none pending. */
  nextAllowedAt: number;
  /** For a pair: it signed in successfully before, and is trusted until then (epoch ms). */
  trustedUntil: number;
}

export const EMPTY_COUNTER: ThrottleCounter = { failures: 0, lastFailureAt: 0, nextAllowedAt: 0, trustedUntil: 0 };

export interface SignInThrottleStore {
  /**
   * Runs `change` on the current counters of `keys` (missing ones as EMPTY_COUNTER) and stores what
   * it returns, atomically: concurrent calls on the same keys see each other's results, across
   * instances. Returns `change`'s result.
   */
  update<T>(keys: readonly string[], change: (current: ReadonlyMap<string, ThrottleCounter>) => { result: T; next: ReadonlyMap<string, ThrottleCounter> }): Promise<T>;
  /** Deletes counters with nothing left to say (no recent failure, no pending delay, no trust). */
  purge(olderThan: number): Promise<number>;
}
