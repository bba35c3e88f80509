// Sign-in throttle counters in PostgreSQL / PGlite: the counters of one attempt are locked
// (SELECT ... FOR UPDATE, keys in a fixed order so two attempts never deadlock), changed and
// written in one transaction.
import type { SignInThrottleStore, ThrottleCounter } from '../core/ports/signin-throttle-store.ts';
import type { Db } from './db.ts';

interface Row {
  key: string;
  failures: number;
  last_failure_at: string | number;
  next_allowed_at: string | number;
  trusted_until: string | number;
}

export function createSignInThrottleRepository(db: Db): SignInThrottleStore {
  return {
    async update(keys, change) {
      const sorted = [...new Set(keys)].sort();
      return db.transaction(async (tx) => {
        await tx.query(`INSERT INTO signin_throttle (key) SELECT unnest($1::text[]) ON CONFLICT (key) DO NOTHING`, [sorted]);
        const rows = await tx.query<Row>('SELECT * FROM signin_throttle WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE', [sorted]);
        const current = new Map<string, ThrottleCounter>(
          rows.map((r) => [r.key, { failures: r.failures, lastFailureAt: Number(r.last_failure_at), nextAllowedAt: Number(r.next_allowed_at), trustedUntil: Number(r.trusted_until) }]),
        );
        const { result, next } = change(current);
        for (const [key, c] of next) {
          await tx.query('UPDATE signin_throttle SET failures = $2, last_failure_at = $3, next_allowed_at = $4, trusted_until = $5 WHERE key = $1', [
            key,
            c.failures,
            c.lastFailureAt,
            c.nextAllowedAt,
            c.trustedUntil,
          ]);
        }
        return result;
      });
    },
    async purge(olderThan) {
      const rows = await db.query<{ key: string }>('DELETE FROM signin_throttle WHERE last_failure_at < $1 AND next_allowed_at < $1 AND trusted_until < $1 RETURNING key', [olderThan]);
      return rows.length;
    },
  };
}
