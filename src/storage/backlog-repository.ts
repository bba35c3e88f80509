// Work waiting in the database, read by the metrics endpoint at scrape time: the webhook outbox
// (undelivered events and the age of the oldest) and attempts the status sync has yet to settle.
// The statuses match claimDueEvents (outbox-repository.ts) and listUnsettledTxns (payment-repository.ts).
import type { Sql } from './db.ts';

export interface Backlog {
  outbox: { pending: number; failed: number; oldestPendingAgeSeconds: number };
  statusSync: { unsettled: number; oldestAgeSeconds: number };
}

export const UNSETTLED_TXN_STATUSES = ['STARTED', 'PENDING_VBV', 'VBV_SUCCESSFUL', 'AUTHORIZING', 'CAPTURE_INITIATED', 'VOID_INITIATED'];

export async function readBacklog(db: Sql, now: Date = new Date()): Promise<Backlog> {
  const [outbox] = await db.query<{ pending: number; failed: number; oldest: Date | null }>(
    `SELECT count(*) FILTER (WHERE status = 'PENDING')::int AS pending,
            count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
            min(created_at) FILTER (WHERE status = 'PENDING') AS oldest
       FROM outbox_events WHERE status IN ('PENDING', 'FAILED')`,
  );
  const [txns] = await db.query<{ unsettled: number; oldest: Date | null }>(`SELECT count(*)::int AS unsettled, min(updated_at) AS oldest FROM txns WHERE status = ANY($1::text[])`, [
    UNSETTLED_TXN_STATUSES,
  ]);
  const age = (at: Date | null | undefined): number => (at ? Math.max(0, (now.getTime() - new Date(at).getTime()) / 1000) : 0);
  return {
    outbox: { pending: outbox?.pending ?? 0, failed: outbox?.failed ?? 0, oldestPendingAgeSeconds: age(outbox?.oldest) },
    statusSync: { unsettled: txns?.unsettled ?? 0, oldestAgeSeconds: age(txns?.oldest) },
  };
}
