// Sign-in throttling (issue 10, finding 3): counted atomically BEFORE the password hash runs, per
// (email, client address) pair, per email and per client address, with growing delays rather than
// a lock. A pair that signed in successfully is trusted for 30 days and is then not held back by
// the email's counter, so nobody can keep an account's owner out by failing on purpose from
// elsewhere. Pure policy here; the counters live in PostgreSQL/PGlite or Redis (the store port).
import { sha256Hex } from '../crypto.ts';
import { EMPTY_COUNTER, type SignInThrottleStore, type ThrottleCounter } from '../ports/signin-throttle-store.ts';

export interface ThrottlePolicy {
  /** Failures allowed without delay per key kind; past it, each failure adds a growing delay. */
  budgets: { pair: number; email: number; address: number };
  /** First delay past the budget; it doubles with each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A counter with no failure for this long starts again from zero. */
  decayMs: number;
  /** How long a pair stays trusted after a successful sign-in. */
  trustMs: number;
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = {
  budgets: { pair: 5, email: 50, address: 100 },
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  decayMs: 60 * 60_000,
  trustMs: 30 * 24 * 60 * 60_000,
};

export type AttemptDecision = { allowed: true; trusted: boolean } | { allowed: false; retryAfterMs: number; key: 'pair' | 'email' | 'address' };

type Kind = 'pair' | 'email' | 'address';

/** Keys are digests: the table holds no email or address in clear. */
export function throttleKeys(email: string, address: string): Record<Kind, string> {
  return {
    pair: `signin:pair:${sha256Hex(`${email}\u0000${address}`)}`,
    email: `signin:email:${sha256Hex(email)}`,
    address: `signin:addr:${sha256Hex(address)}`,
  };
}

function live(c: ThrottleCounter, now: number, policy: ThrottlePolicy): ThrottleCounter {
  // Past the decay, failures are forgotten (a pending delay has then long passed too); trust stays.
  if (c.failures > 0 && now - c.lastFailureAt > policy.decayMs) return { ...c, failures: 0, nextAllowedAt: 0 };
  return c;
}

/**
 * One attempt: refused when any applicable key is still delayed (nothing is counted then);
 * otherwise counted as a failure on every applicable key before the password is checked (a
 * success takes it back on the pair). Pure: the store applies it atomically.
 */
export function admitAttempt(
  current: ReadonlyMap<string, ThrottleCounter>,
  keys: Record<Kind, string>,
  now: number,
  policy: ThrottlePolicy,
): { result: AttemptDecision; next: Map<string, ThrottleCounter> } {
  const state = new Map<Kind, ThrottleCounter>();
  for (const kind of ['pair', 'email', 'address'] as const) state.set(kind, live(current.get(keys[kind]) ?? EMPTY_COUNTER, now, policy));
  const trusted = state.get('pair')!.trustedUntil > now;
  const applicable: Kind[] = trusted ? ['pair', 'address'] : ['pair', 'email', 'address'];
  let worst: { kind: Kind; until: number } | null = null;
  for (const kind of applicable) {
    const until = state.get(kind)!.nextAllowedAt;
    if (until > now && (worst === null || until > worst.until)) worst = { kind, until };
  }
  if (worst !== null) return { result: { allowed: false, retryAfterMs: worst.until - now, key: worst.kind }, next: new Map() };
  const next = new Map<string, ThrottleCounter>();
  for (const kind of applicable) {
    const c = state.get(kind)!;
    const failures = c.failures + 1;
    const over = failures - policy.budgets[kind];
    const delay = over >= 0 ? Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(over, 30)) : 0;
    next.set(keys[kind], { ...c, failures, lastFailureAt: now, nextAllowedAt: delay > 0 ? now + delay : 0 });
  }
  return { result: { allowed: true, trusted }, next };
}

/** After a successful sign-in: the pair's failure is taken back and the pair is trusted. */
export function recordSuccess(current: ReadonlyMap<string, ThrottleCounter>, keys: Record<Kind, string>, now: number, policy: ThrottlePolicy): Map<string, ThrottleCounter> {
  const pair = current.get(keys.pair) ?? EMPTY_COUNTER;
  return new Map([[keys.pair, { ...pair, failures: 0, lastFailureAt: 0, nextAllowedAt: 0, trustedUntil: now + policy.trustMs }]]);
}

export interface SignInThrottle {
  /** Counts the attempt (before the hash runs) or refuses it. */
  admit(email: string, address: string): Promise<AttemptDecision>;
  succeeded(email: string, address: string): Promise<void>;
  purge(): Promise<number>;
}

export function createSignInThrottle(store: SignInThrottleStore, options: { policy?: ThrottlePolicy; now?: () => number } = {}): SignInThrottle {
  const policy = options.policy ?? DEFAULT_THROTTLE_POLICY;
  const now = options.now ?? (() => Date.now());
  return {
    admit(email, address) {
      const keys = throttleKeys(email, address);
      return store.update(Object.values(keys), (current) => admitAttempt(current, keys, now(), policy));
    },
    async succeeded(email, address) {
      const keys = throttleKeys(email, address);
      await store.update([keys.pair], (current) => ({ result: null, next: recordSuccess(current, keys, now(), policy) }));
    },
    purge() {
      return store.purge(now() - Math.max(policy.decayMs, policy.maxDelayMs));
    },
  };
}
