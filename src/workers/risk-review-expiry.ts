// Voids payments held for risk review that nobody decided within the merchant's review_expiry_hours
// (default 72): an authorisation must not wait forever (the issuer releases it after some days
// anyway, and the shopper's funds stay blocked meanwhile). Safe with several instances: each held
// payment is claimed by one worker (row lock, SKIP LOCKED, a lease) before the gateway is called;
// a claim whose void failed is taken again once its lease runs out.
import { periodic } from './periodic.ts';

export interface ReviewExpiryDeps {
  claimExpired(now: Date, limit: number, leaseMs: number): Promise<Array<{ txnUuid: string; merchantId: string; heldAt: string | null }>>;
  /** Voids the authorisation; answers the payment's status afterwards. */
  voidTxn(merchantId: string, txnUuid: string): Promise<string>;
  /** Records the end of the review (state EXPIRED, audit row). */
  finish(merchantId: string, txnUuid: string, review: Record<string, unknown>): Promise<boolean>;
  /** The merchant's TXN_REVIEW_EXPIRED webhook. */
  notify(merchantId: string, txnUuid: string): Promise<void>;
  now?: () => number;
  intervalMs?: number;
  batchSize?: number;
  /** How long a claim is held before another worker may retry it. */
  leaseMs?: number;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

export const REVIEW_EXPIRY_ACTOR = 'system:review-expiry';

export function createReviewExpiryWorker(deps: ReviewExpiryDeps) {
  const now = deps.now ?? Date.now;
  const intervalMs = deps.intervalMs ?? 60_000;
  const batchSize = deps.batchSize ?? 50;
  const leaseMs = deps.leaseMs ?? 10 * 60_000;

  /** One pass: claims what is due and voids it; answers how many reviews expired. */
  async function runOnce(): Promise<number> {
    const due = await deps.claimExpired(new Date(now()), batchSize, leaseMs);
    let expired = 0;
    for (const item of due) {
      try {
        const status = await deps.voidTxn(item.merchantId, item.txnUuid);
        // Not voided (the gateway refused or failed): the authorisation is still open, so the review
        // is not over; the claim's lease runs out and the void is tried again.
        if (status !== 'VOIDED' && status !== 'VOID_INITIATED') throw new Error(`the void answered ${status}`);
        const done = await deps.finish(item.merchantId, item.txnUuid, {
          state: 'EXPIRED',
          by: REVIEW_EXPIRY_ACTOR,
          at: new Date(now()).toISOString(),
          result: status,
          ...(item.heldAt ? { heldAt: item.heldAt } : {}),
        });
        if (done) {
          await deps.notify(item.merchantId, item.txnUuid);
          expired++;
        }
      } catch (error) {
        // Left claimed: retried when the lease runs out (a void is idempotent at the gateway side).
        deps.log?.('risk review expiry failed', { txn: item.txnUuid, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return expired;
  }

  const task = periodic(runOnce, intervalMs, (error) => deps.log?.('risk review expiry pass failed', { error: error instanceof Error ? error.message : String(error) }));

  return {
    runOnce,
    start: task.start,
    stop: task.stop,
  };
}
