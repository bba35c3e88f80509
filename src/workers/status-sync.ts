// Settles attempts whose outcome we do not know (gateway timeout, pending at the bank, abandoned
// 3-D Secure pages) by asking the gateway. Never retries a payment: it only reads its status. Then
// refunds left PENDING: those are asked again with their idempotency key (the payment core's
// syncRefund says on which gateways and for how long that is safe).
import { periodic } from './periodic.ts';

export interface StatusSyncDeps {
  listUnsettled(olderThan: Date, limit: number): Promise<Array<{ id: string }>>;
  syncTxn(txnUuid: string): Promise<unknown>;
  /** Claims refunds still PENDING and not changed since `olderThan` (the claim marks them changed: one instance asks, at most once a period). */
  claimPendingRefunds?(olderThan: Date, limit: number): Promise<Array<{ id: string }>>;
  /** Asks the gateway again for a PENDING refund (the payment core's refund sync). */
  syncRefund?(refundId: string): Promise<unknown>;
  now?: () => number;
  /** Attempts younger than this are left alone (the normal flow is still settling them). */
  minAgeMs?: number;
  intervalMs?: number;
  batchSize?: number;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

export function createStatusSyncWorker(deps: StatusSyncDeps) {
  const now = deps.now ?? Date.now;
  const minAgeMs = deps.minAgeMs ?? 30_000;
  const intervalMs = deps.intervalMs ?? 10_000;
  const batchSize = deps.batchSize ?? 50;

  async function runOnce(): Promise<number> {
    const due = await deps.listUnsettled(new Date(now() - minAgeMs), batchSize);
    let settled = 0;
    for (const txn of due) {
      try {
        await deps.syncTxn(txn.id);
        settled++;
      } catch (error) {
        deps.log?.('status sync failed', { txn: txn.id, error: error instanceof Error ? error.message : String(error) });
      }
    }
    if (deps.claimPendingRefunds && deps.syncRefund) {
      for (const refund of await deps.claimPendingRefunds(new Date(now() - minAgeMs), batchSize)) {
        try {
          await deps.syncRefund(refund.id);
        } catch (error) {
          deps.log?.('refund sync failed', { refund: refund.id, error: error instanceof Error ? error.message : String(error) });
        }
      }
    }
    return settled;
  }

  const task = periodic(runOnce, intervalMs);

  return {
    runOnce,
    start: task.start,
    stop: task.stop,
  };
}
