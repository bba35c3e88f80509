// Velocity counters in the database (PGlite by default, PostgreSQL when DATABASE_URL is set), for
// deployments without Redis. Exact under concurrency: each check-and-add takes a transaction-scoped
// advisory lock on its key, so two attempts on one card are counted one after the other
// (PGlite runs one transaction at a time anyway).
import type { CheckAndAdd, VelocityStore } from '../risk/velocity-store.ts';
import type { Db, Sql } from './db.ts';

const LOCK_SPACE = 728012;

async function lockKey(tx: Sql, key: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [LOCK_SPACE, key]);
}

async function windowTotal(tx: Sql, key: string, windowMs: number, nowMs: number, eventId?: string): Promise<{ total: number; seen: boolean }> {
  const rows = await tx.query<{ total: string | number; seen: boolean | null }>(
    'SELECT coalesce(sum(weight), 0) AS total, bool_or(event_id = $3) AS seen FROM risk_velocity_events WHERE key = $1 AND at_ms > $2',
    [key, nowMs - windowMs, eventId ?? ''],
  );
  return { total: Number(rows[0].total), seen: rows[0].seen === true };
}

export function createDbVelocityStore(db: Db): VelocityStore {
  return {
    checkAndAddAll(entries, nowMs, eventId) {
      return db.transaction(async (tx) => {
        // Locks in one order (sorted keys), so two attempts sharing keys never deadlock.
        for (const key of [...new Set(entries.map((e) => e.key))].sort()) await lockKey(tx, key);
        const states: Array<{ total: number; seen: boolean; allowed: boolean }> = [];
        for (const e of entries) {
          await tx.query('DELETE FROM risk_velocity_events WHERE key = $1 AND at_ms <= $2', [e.key, nowMs - e.windowMs]);
          const { total, seen } = await windowTotal(tx, e.key, e.windowMs, nowMs, eventId);
          states.push({ total, seen, allowed: seen || total + e.weight <= e.limit });
        }
        const blocked = entries.some((e, i) => e.blocking && !states[i].allowed);
        const out: Array<{ allowed: boolean; total: number }> = [];
        for (let i = 0; i < entries.length; i++) {
          const st = states[i];
          if (blocked || !st.allowed || st.seen) {
            out.push({ allowed: st.allowed, total: st.total });
            continue;
          }
          await tx.query('INSERT INTO risk_velocity_events (key, event_id, at_ms, weight) VALUES ($1, $2, $3, $4) ON CONFLICT (key, event_id) DO NOTHING', [
            entries[i].key,
            eventId,
            nowMs,
            entries[i].weight,
          ]);
          out.push({ allowed: true, total: st.total + entries[i].weight });
        }
        return out;
      });
    },
    checkAndAdd(req: CheckAndAdd) {
      return db.transaction(async (tx) => {
        await lockKey(tx, req.key);
        await tx.query('DELETE FROM risk_velocity_events WHERE key = $1 AND at_ms <= $2', [req.key, req.nowMs - req.windowMs]);
        const { total, seen } = await windowTotal(tx, req.key, req.windowMs, req.nowMs, req.eventId);
        if (seen) return { allowed: true, total };
        if (total + req.weight > req.limit) return { allowed: false, total };
        await tx.query('INSERT INTO risk_velocity_events (key, event_id, at_ms, weight) VALUES ($1, $2, $3, $4)', [req.key, req.eventId, req.nowMs, req.weight]);
        return { allowed: true, total: total + req.weight };
      });
    },
    add(req) {
      return db.transaction(async (tx) => {
        await lockKey(tx, req.key);
        await tx.query('DELETE FROM risk_velocity_events WHERE key = $1 AND at_ms <= $2', [req.key, req.nowMs - req.windowMs]);
        await tx.query('INSERT INTO risk_velocity_events (key, event_id, at_ms, weight) VALUES ($1, $2, $3, $4) ON CONFLICT (key, event_id) DO NOTHING', [req.key, req.eventId, req.nowMs, req.weight]);
        return (await windowTotal(tx, req.key, req.windowMs, req.nowMs)).total;
      });
    },
    async total(key, windowMs, nowMs) {
      return (await windowTotal(db, key, windowMs, nowMs)).total;
    },
    async setBlock(key, untilMs) {
      await db.query('INSERT INTO risk_blocks (key, until_ms) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET until_ms = GREATEST(risk_blocks.until_ms, EXCLUDED.until_ms)', [key, untilMs]);
    },
    async blockedUntil(key, nowMs) {
      const rows = await db.query<{ until_ms: string | number }>('SELECT until_ms FROM risk_blocks WHERE key = $1 AND until_ms > $2', [key, nowMs]);
      return rows.length ? Number(rows[0].until_ms) : null;
    },
  };
}
