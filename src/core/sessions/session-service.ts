// Dashboard sign-in: email and password (scrypt) to a browser session. The session token is a
// random 256-bit value the browser keeps in an HttpOnly cookie; we store its SHA-256 digest.
// The CSRF token is derived from the session token (a digest of it), so it needs no storage,
// changes with every session and tells nothing about the session token.
import { TtlCache } from '../cache/ttl-cache.ts';
import { SCRYPT_PARAMS, type ScryptParams } from '../password-hash.ts';
import type { SessionStore } from '../ports/session-store.ts';
import { seedDemoPasswords, setPassword } from './passwords.ts';
import { authenticateSession, signOut } from './session-auth.ts';
import type { SessionContext, SessionPrincipal, SignedIn } from './session-types.ts';
import { signIn } from './sign-in.ts';
import type { SignInThrottle } from './signin-throttle.ts';

export { csrfMatches, type SessionPrincipal, type SessionUser, type SignedIn } from './session-types.ts';

export interface SessionServiceDeps {
  store: SessionStore;
  /** Session lifetime; every use slides the expiry. */
  ttlMs: number;
  now?: () => number;
  /**
   * scrypt cost of the hashes this service makes (and of its decoy). The default, SCRYPT_PARAMS,
   * is the production cost; the test harness lowers it so that tests that sign in many times do
   * not spend minutes hashing. Not read from the environment: a deployment cannot lower it.
   */
  passwordHashParams?: ScryptParams;
  /** How long an authenticated session stays cached in this process (sign-out clears it at once here). */
  cacheTtlMs?: number;
  /**
   * Counts every attempt before the password is checked, per email, client address and pair
   * (signin-throttle.ts), shared by every instance. Without it (the operator's CLI) nothing is counted.
   */
  throttle?: SignInThrottle;
  /** Called after a sign-out or a password change ended sessions here, so other instances drop their cached sessions (app.ts publishes it). */
  onChange?: () => void;
}

export interface SessionService {
  /** `address`: the client's address, for the throttle (the pair email + address, and the address alone). */
  signIn(input: { email: unknown; password: unknown; merchantId?: unknown; address?: string }): Promise<SignedIn>;
  /** The principal behind a session cookie, or null (unknown, expired, or the user is disabled). */
  authenticate(token: string): Promise<SessionPrincipal | null>;
  signOut(token: string): Promise<void>;
  /** Drops every cached session in this process (another instance ended some). */
  invalidateCaches(): void;
  /** Sets a user's password (the operator's CLI or admin API, and the demo seed). Ends their sessions. */
  setPassword(merchantId: string, userId: string, password: unknown): Promise<void>;
  /**
   * Gives the demo users a password: `fixed` (DEMO_USER_PASSWORD) when set, kept in step if it
   * changes; otherwise a random one for users that have none. Returns the password when it was
   * set now (to print once), or null when every user already had one.
   */
  seedDemoPasswords(merchantId: string, emails: readonly string[], fixed: string | undefined): Promise<string | null>;
  purgeExpired(): Promise<number>;
}

/** Wires the session use-cases (sign-in.ts, session-auth.ts, passwords.ts) to one store, clock and cache. */
export function createSessionService(deps: SessionServiceDeps): SessionService {
  const now = deps.now ?? (() => Date.now());
  const ctx: SessionContext = {
    store: deps.store,
    ttlMs: deps.ttlMs,
    now,
    hashParams: deps.passwordHashParams ?? SCRYPT_PARAMS,
    cache: new TtlCache<SessionPrincipal | null>(deps.cacheTtlMs ?? 5_000, now),
    throttle: deps.throttle,
    onChange: deps.onChange,
  };
  return {
    signIn: (input) => signIn(ctx, input),
    authenticate: (token) => authenticateSession(ctx, token),
    signOut: (token) => signOut(ctx, token),
    invalidateCaches: () => ctx.cache.clear(),
    setPassword: (merchantId, userId, password) => setPassword(ctx, merchantId, userId, password),
    seedDemoPasswords: (merchantId, emails, fixed) => seedDemoPasswords(ctx, merchantId, emails, fixed),
    async purgeExpired() {
      await ctx.throttle?.purge();
      return ctx.store.deleteExpiredSessions(new Date(now()));
    },
  };
}
