// The dashboard users of the Priority Logic store: sign-up (email and token unique), look-ups, list.
import type { NewUserRecord, PriorityLogicStore } from '../core/ports/priority-logic-store.ts';
import type { Sql } from './db.ts';
import { userFromRow, type UserRow } from './priority-logic-rows.ts';

/** The users' queries of the store. */
export function userQueries(db: Sql): Pick<PriorityLogicStore, 'insertUser' | 'findUserByTokenHash' | 'findUserByEmail' | 'setUserTokenHash' | 'listUsers'> {
  return {
    async insertUser(u: NewUserRecord) {
      const taken = await db.query<{ kind: string }>(
        `SELECT CASE WHEN token_hash = $3 THEN 'token' ELSE 'email' END AS kind FROM users
         WHERE token_hash = $3 OR (merchant_id = $1 AND lower(email) = lower($2)) LIMIT 1`,
        [u.merchantId, u.email, u.tokenHash],
      );
      if (taken[0]) return { ok: false, conflict: taken[0].kind === 'token' ? 'token' : 'email' };
      const rows = await db.query<UserRow>(
        `INSERT INTO users (id, merchant_id, email, name, role, token_hash) VALUES ($1,$2,$3,$4,$5,$6)
         ON CONFLICT DO NOTHING RETURNING *`,
        [u.id, u.merchantId, u.email, u.name, u.role, u.tokenHash],
      );
      return rows[0] ? { ok: true, value: userFromRow(rows[0]) } : { ok: false, conflict: 'email' };
    },
    async findUserByTokenHash(tokenHash) {
      const rows = await db.query<UserRow>('SELECT * FROM users WHERE token_hash = $1', [tokenHash]);
      return rows[0] ? userFromRow(rows[0]) : null;
    },
    async findUserByEmail(merchantId, email) {
      const rows = await db.query<UserRow>('SELECT * FROM users WHERE merchant_id = $1 AND lower(email) = lower($2)', [merchantId, email]);
      return rows[0] ? userFromRow(rows[0]) : null;
    },
    async setUserTokenHash(merchantId, userId, tokenHash) {
      const rows = await db.query<{ id: string }>(
        `UPDATE users SET token_hash = $3 WHERE merchant_id = $1 AND id = $2
           AND NOT EXISTS (SELECT 1 FROM users WHERE token_hash = $3 AND id <> $2)
         RETURNING id`,
        [merchantId, userId, tokenHash],
      );
      return rows.length > 0;
    },
    async listUsers(merchantId) {
      return (await db.query<UserRow>('SELECT * FROM users WHERE merchant_id = $1 ORDER BY created_at, id', [merchantId])).map(userFromRow);
    },
  };
}
