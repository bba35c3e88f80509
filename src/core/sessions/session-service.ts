// Dashboard sign-in: email and password (scrypt) to a browser session. The session token is a
// random 256-bit value the browser keeps in an HttpOnly cookie; we store its SHA-256 digest.
// The CSRF token is derived from the session token (a digest of it), so it needs no storage,
// changes with every session and tells nothing about the session token.
import { timingSafeEqual } from 'node:crypto';
import { newId, randomToken, sha256Hex } from '../crypto.ts';
import { AppError, invalidField } from '../errors.ts';
import { TtlCache } from '../cache/ttl-cache.ts';
import { checkPasswordPolicy, decoyHash, hashPassword, verifyPassword, SCRYPT_PARAMS, type ScryptParams } from '../password-hash.ts';
import type { SessionStore, UserWithPassword } from '../ports/session-store.ts';
import type { Actor, User } from '../priority-logic/types.ts';
import type { SignInThrottle } from './signin-throttle.ts';

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

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: User['role'];
  merchantId: string;
}

export interface SignedIn {
  /** Goes to the browser only, in the cookie. */
  token: string;
  csrfToken: string;
  user: SessionUser;
  expiresAt: Date;
}

export interface SessionPrincipal {
  actor: Actor;
  user: SessionUser;
  csrfToken: string;
  sessionId: string;
}

const INVALID_CREDENTIALS = 'Invalid email or password';

export function csrfTokenFor(sessionToken: string): string {
  return sha256Hex(`junction-csrf:${sessionToken}`);
}

/** Constant-time comparison of the CSRF header with the session's token. */
export function csrfMatches(sessionToken: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function toSessionUser(u: Pick<UserWithPassword, 'id' | 'email' | 'name' | 'role' | 'merchantId'>): SessionUser {
  return { id: u.id, email: u.email, name: u.name, role: u.role, merchantId: u.merchantId };
}

export function createSessionService(deps: SessionServiceDeps) {
  const { store } = deps;
  const now = deps.now ?? (() => Date.now());
  const hashParams = deps.passwordHashParams ?? SCRYPT_PARAMS;
  const cache = new TtlCache<SessionPrincipal | null>(deps.cacheTtlMs ?? 5_000, now);

  return {
    /** `address`: the client's address, for the throttle (the pair email + address, and the address alone). */
    async signIn(input: { email: unknown; password: unknown; merchantId?: unknown; address?: string }): Promise<SignedIn> {
      if (typeof input.email !== 'string' || input.email.trim() === '' || input.email.length > 254) throw invalidField('email', 'must be an email address');
      if (typeof input.password !== 'string' || input.password === '') throw invalidField('password', 'is required');
      if (input.merchantId !== undefined && (typeof input.merchantId !== 'string' || input.merchantId === '')) throw invalidField('merchant_id', 'must be a merchant id');
      const email = input.email.trim().toLowerCase();
      const address = input.address ?? 'unknown';
      if (deps.throttle) {
        // Counted (as a failure) before the hash runs: a burst of concurrent guesses cannot all be checked.
        const admitted = await deps.throttle.admit(email, address);
        if (!admitted.allowed) {
          const seconds = Math.max(1, Math.ceil(admitted.retryAfterMs / 1000));
          throw new AppError('RATE_LIMITED', `Too many failed sign-in attempts; try again in ${seconds} s`, {
            retryAfterSeconds: seconds,
            fields: [{ field_name: admitted.key === 'address' ? 'address' : 'email', reason: `too many failed sign-in attempts; retry after ${seconds} s` }],
          });
        }
      }
      const candidates = (await store.findUsersByEmail(email)).filter(
        (u) => !u.disabledAt && u.passwordHash && (input.merchantId === undefined || u.merchantId === input.merchantId),
      );
      const matching: UserWithPassword[] = [];
      if (candidates.length === 0) await verifyPassword(input.password, await decoyHash(hashParams)); // same cost as a real check
      for (const u of candidates) if (await verifyPassword(input.password, u.passwordHash!)) matching.push(u);
      if (matching.length === 0) {
        throw new AppError('UNAUTHENTICATED', INVALID_CREDENTIALS, { fields: [{ field_name: 'password', reason: INVALID_CREDENTIALS }] });
      }
      if (matching.length > 1) throw invalidField('merchant_id', 'this email signs in to several merchants: say which one');
      await deps.throttle?.succeeded(email, address);
      const user = matching[0]!;
      const token = `jns_${randomToken(32)}`;
      const expiresAt = new Date(now() + deps.ttlMs);
      await store.insertSession({ id: newId('sess'), tokenHash: sha256Hex(token), userId: user.id, merchantId: user.merchantId, expiresAt });
      return { token, csrfToken: csrfTokenFor(token), user: toSessionUser(user), expiresAt };
    },

    /** The principal behind a session cookie, or null (unknown, expired, or the user is disabled). */
    async authenticate(token: string): Promise<SessionPrincipal | null> {
      if (token.length < 20 || token.length > 200) return null;
      const hash = sha256Hex(token);
      const cached = cache.get(hash);
      if (cached !== undefined) return cached;
      const at = new Date(now());
      const found = await store.findSession(hash, at);
      let principal: SessionPrincipal | null = null;
      if (found && !found.user.disabledAt) {
        principal = {
          actor: { merchantId: found.user.merchantId, kind: 'USER', id: found.user.id, role: found.user.role },
          user: toSessionUser(found.user),
          csrfToken: csrfTokenFor(token),
          sessionId: found.session.id,
        };
        // Slide the expiry, at most once a minute per session.
        if (at.getTime() - found.session.lastSeenAt.getTime() > 60_000) {
          await store.touchSession(found.session.id, at, new Date(at.getTime() + deps.ttlMs));
        }
      }
      cache.set(hash, principal);
      return principal;
    },

    async signOut(token: string): Promise<void> {
      const hash = sha256Hex(token);
      cache.delete(hash);
      await store.deleteSession(hash);
      deps.onChange?.();
    },

    /** Drops every cached session in this process (another instance ended some). */
    invalidateCaches(): void {
      cache.clear();
    },

    /** Sets a user's password (the operator's CLI or admin API, and the demo seed). Ends their sessions. */
    async setPassword(merchantId: string, userId: string, password: unknown): Promise<void> {
      const checked = checkPasswordPolicy(password);
      const ok = await store.setPasswordHash(merchantId, userId, await hashPassword(checked, hashParams));
      if (!ok) throw new AppError('RESOURCE_NOT_FOUND', 'User not found');
      await store.deleteUserSessions(userId);
      cache.clear();
      deps.onChange?.();
    },

    /**
     * Gives the demo users a password: `fixed` (DEMO_USER_PASSWORD) when set, kept in step if it
     * changes; otherwise a random one for users that have none. Returns the password when it was
     * set now (to print once), or null when every user already had one.
     */
    async seedDemoPasswords(merchantId: string, emails: readonly string[], fixed: string | undefined): Promise<string | null> {
      const users: UserWithPassword[] = [];
      for (const email of emails) {
        const u = (await store.findUsersByEmail(email)).find((x) => x.merchantId === merchantId);
        if (u) users.push(u);
      }
      let pending = users.filter((u) => !u.passwordHash);
      if (fixed !== undefined) {
        checkPasswordPolicy(fixed, 'DEMO_USER_PASSWORD');
        const withHash = users.filter((u) => u.passwordHash);
        // One check stands for all: the demo users share one password.
        if (withHash[0] && !(await verifyPassword(fixed, withHash[0].passwordHash!))) pending = users;
      }
      if (pending.length === 0) return fixed ?? null;
      const password = fixed ?? randomToken(12);
      const hash = await hashPassword(password, hashParams);
      for (const u of pending) await store.setPasswordHash(merchantId, u.id, hash);
      return password;
    },

    async purgeExpired(): Promise<number> {
      await deps.throttle?.purge();
      return store.deleteExpiredSessions(new Date(now()));
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
