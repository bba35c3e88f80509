// Storage port for dashboard sign-in: users' password hashes and browser sessions.
import type { UserRecord } from './priority-logic-store.ts';

export interface SessionRecord {
  id: string;
  tokenHash: string;
  userId: string;
  merchantId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export interface UserWithPassword extends UserRecord {
  passwordHash: string | null;
}

export interface SessionStore {
  /** Users with this email, in every merchant (an email may sign in to several merchants). */
  findUsersByEmail(email: string): Promise<UserWithPassword[]>;
  setPasswordHash(merchantId: string, userId: string, passwordHash: string): Promise<boolean>;
  insertSession(session: Omit<SessionRecord, 'createdAt' | 'lastSeenAt'>): Promise<void>;
  /** The live session (not expired) and its user, or null. */
  findSession(tokenHash: string, now: Date): Promise<{ session: SessionRecord; user: UserRecord } | null>;
  touchSession(id: string, now: Date, expiresAt: Date): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteUserSessions(userId: string): Promise<number>;
  deleteExpiredSessions(now: Date): Promise<number>;
}
