// Dashboard sign-in storage: password hashes on users and browser sessions (token digests only).
import type { SessionRecord, SessionStore, UserWithPassword } from '../core/ports/session-store.ts';
import type { Db } from './db.ts';
import { userFromRow as plainUserFromRow, type UserRow as PlainUserRow } from './priority-logic-rows.ts';
import { toDate } from './sql-values.ts';

/** A user row with its password hash (the users table as sign-in reads it). */
interface UserRow extends PlainUserRow {
  password_hash: string | null;
}

interface SessionRow {
  id: string;
  token_hash: string;
  user_id: string;
  merchant_id: string;
  created_at: Date | string;
  last_seen_at: Date | string;
  expires_at: Date | string;
}

function userFromRow(r: UserRow): UserWithPassword {
  return { ...plainUserFromRow(r), passwordHash: r.password_hash };
}

function sessionFromRow(r: SessionRow): SessionRecord {
  return {
    id: r.id,
    tokenHash: r.token_hash,
    userId: r.user_id,
    merchantId: r.merchant_id,
    createdAt: toDate(r.created_at),
    lastSeenAt: toDate(r.last_seen_at),
    expiresAt: toDate(r.expires_at),
  };
}

export function createSessionStore(db: Db): SessionStore {
  return {
    async findUsersByEmail(email) {
      const rows = await db.query<UserRow>('SELECT * FROM users WHERE lower(email) = lower($1) ORDER BY created_at, id LIMIT 20', [email]);
      return rows.map(userFromRow);
    },
    async setPasswordHash(merchantId, userId, passwordHash) {
      const rows = await db.query<{ id: string }>('UPDATE users SET password_hash = $3, password_changed_at = now() WHERE merchant_id = $1 AND id = $2 RETURNING id', [
        merchantId,
        userId,
        passwordHash,
      ]);
      return rows.length > 0;
    },
    async insertSession(s) {
      await db.query('INSERT INTO user_sessions (id, token_hash, user_id, merchant_id, expires_at) VALUES ($1, $2, $3, $4, $5)', [s.id, s.tokenHash, s.userId, s.merchantId, s.expiresAt]);
    },
    async findSession(tokenHash, now) {
      const rows = await db.query<SessionRow & { u_id: string } & Omit<UserRow, 'id' | 'merchant_id' | 'created_at'> & { u_created_at: Date | string }>(
        `SELECT s.*, u.id AS u_id, u.email, u.name, u.role, u.token_hash AS token_hash_user, u.created_at AS u_created_at, u.disabled_at, u.password_hash
           FROM user_sessions s JOIN users u ON u.id = s.user_id AND u.merchant_id = s.merchant_id
          WHERE s.token_hash = $1 AND s.expires_at > $2`,
        [tokenHash, now],
      );
      const r = rows[0] as
        | (SessionRow & {
            u_id: string;
            email: string;
            name: string;
            role: string;
            token_hash_user: string;
            u_created_at: Date | string;
            disabled_at: Date | string | null;
            password_hash: string | null;
          })
        | undefined;
      if (!r) return null;
      const user = userFromRow({
        id: r.u_id,
        merchant_id: r.merchant_id,
        email: r.email,
        name: r.name,
        role: r.role,
        token_hash: r.token_hash_user,
        created_at: r.u_created_at,
        disabled_at: r.disabled_at,
        password_hash: r.password_hash,
      });
      return { session: sessionFromRow(r), user };
    },
    async touchSession(id, now, expiresAt) {
      await db.query('UPDATE user_sessions SET last_seen_at = $2, expires_at = $3 WHERE id = $1', [id, now, expiresAt]);
    },
    async deleteSession(tokenHash) {
      await db.query('DELETE FROM user_sessions WHERE token_hash = $1', [tokenHash]);
    },
    async deleteUserSessions(userId) {
      return (await db.query<{ id: string }>('DELETE FROM user_sessions WHERE user_id = $1 RETURNING id', [userId])).length;
    },
    async deleteExpiredSessions(now) {
      return (await db.query<{ id: string }>('DELETE FROM user_sessions WHERE expires_at <= $1 RETURNING id', [now])).length;
    },
  };
}
