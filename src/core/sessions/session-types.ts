// The session service's shared pieces: its public types, the CSRF token derived from a session
// token, and what every session use-case receives (SessionContext).
import { timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../crypto.ts';
import type { TtlCache } from '../cache/ttl-cache.ts';
import type { ScryptParams } from '../password-hash.ts';
import type { SessionStore, UserWithPassword } from '../ports/session-store.ts';
import type { Actor, User } from '../priority-logic/types.ts';
import type { SignInThrottle } from './signin-throttle.ts';

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

export function toSessionUser(u: Pick<UserWithPassword, 'id' | 'email' | 'name' | 'role' | 'merchantId'>): SessionUser {
  return { id: u.id, email: u.email, name: u.name, role: u.role, merchantId: u.merchantId };
}

/** What the session use-cases share: the store, the clock, the hash cost, the cache of authenticated sessions. */
export interface SessionContext {
  store: SessionStore;
  /** Session lifetime; every use slides the expiry. */
  ttlMs: number;
  now: () => number;
  hashParams: ScryptParams;
  /** Authenticated sessions (null: known not to be one) by token digest. */
  cache: TtlCache<SessionPrincipal | null>;
  throttle: SignInThrottle | undefined;
  onChange: (() => void) | undefined;
}
