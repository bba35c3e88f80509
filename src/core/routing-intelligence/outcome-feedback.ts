// Feedback to the scores: an outcome on a gateway (decide-gateway's update, a settled attempt),
// applied to the merchant's arms; shopper-side failures never count against a gateway.
import { applyFeedback, armKeys, type FeedbackResult, type OutcomeFeedback } from '../../routing/scoring/index.ts';
import type { Txn } from '../payments/types.ts';
import type { MerchantContexts } from './merchant-context.ts';
import type { RoutingIntelligenceDeps } from './routing-intelligence.ts';
import { segmentOfTxn } from './segment.ts';

const SUCCESS_STATUSES = new Set(['CHARGED', 'AUTHORIZED']);
const FAILURE_STATUSES = new Set(['AUTHORIZATION_FAILED', 'AUTHENTICATION_FAILED']);

type FeedbackDeps = Pick<RoutingIntelligenceDeps, 'stores' | 'classifyFailure'> & { contexts: MerchantContexts; now: () => number; log: (message: string, fields: Record<string, unknown>) => void };

export function createOutcomeFeedback(deps: FeedbackDeps) {
  const pending = new Set<Promise<unknown>>();

  function track<T>(promise: Promise<T>): Promise<T> {
    pending.add(promise);
    const done = () => pending.delete(promise);
    promise.then(done, done);
    return promise;
  }

  async function record(merchantId: string, outcome: OutcomeFeedback): Promise<FeedbackResult> {
    let result: FeedbackResult = { counted: false, alarms: 0 };
    if (!outcome.success && !outcome.countsAgainstGateway) return result;
    const config = (await deps.contexts.get(merchantId)).config;
    await deps.stores.forMerchant(merchantId).update(armKeys(outcome.gateway, outcome.segment, config), (arms) => {
      result = applyFeedback(arms, outcome, config);
      return arms;
    });
    return result;
  }

  async function feedbackOf(txn: Txn): Promise<OutcomeFeedback | null> {
    if (!txn.gateway) return null;
    const success = SUCCESS_STATUSES.has(txn.status);
    if (!success && !FAILURE_STATUSES.has(txn.status)) return null;
    let counts = false;
    if (!success) {
      const row = deps.classifyFailure && txn.gatewayCode ? await deps.classifyFailure(txn.gateway, txn.gatewayCode) : null;
      // Unlisted codes: shopper-side failures (authentication, user errors) never count; the rest do.
      counts = row ? row.countsAgainstGateway : txn.status !== 'AUTHENTICATION_FAILED' && txn.errorCategory !== 'USER_ERROR' && txn.errorCategory !== 'USER_DROPPED';
    }
    return { gateway: txn.gateway, segment: segmentOfTxn(txn), success, countsAgainstGateway: counts, atMillis: deps.now() };
  }

  return {
    record: (merchantId: string, outcome: OutcomeFeedback) => track(record(merchantId, outcome)),
    onTxnSettled(txn: Txn): void {
      track(
        (async () => {
          const feedback = await feedbackOf(txn);
          if (feedback) await record(txn.merchantId, feedback);
        })(),
      ).catch((error: unknown) => deps.log('routing feedback failed', { txn: txn.txnId, err: error instanceof Error ? error.message : String(error) }));
    },
    /** Resolves when every feedback started so far has been applied. */
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    /** Lets the feedback in flight finish (reset, close). */
    settle: () => Promise.allSettled([...pending]),
  };
}
