// A risk provider's verdict on an order after the payment (its verified webhook), and the events
// that end a risk review (approved, rejected, expired).
import type { RiskScreenResult } from '../ports/risk-screen.ts';
import { verdictScore } from '../../risk/provider.ts';
import type { CaptureFlow } from './capture-flow.ts';
import type { LateRisk } from './late-risk.ts';
import { primaryTxn } from './order-status-view.ts';
import type { PaymentContext } from './payment-context.ts';

export type ReviewEventName = 'TXN_REVIEW_APPROVED' | 'TXN_REVIEW_REJECTED' | 'TXN_REVIEW_EXPIRED';
export type RiskVerdict = { decision: 'allow' | 'challenge_3ds' | 'review' | 'block'; score?: number; reasons: string[] };

export type ReviewEventsDeps = Pick<PaymentContext, 'store' | 'emit' | 'targetOf'>;

/** A risk review's end (approved, rejected, expired), told to the merchant with the order as it is now. */
export function createEmitReviewEvent({ store, emit, targetOf }: ReviewEventsDeps) {
  return async function emitReviewEvent(merchantId: string, txnUuid: string, eventName: ReviewEventName): Promise<void> {
    const txn = await store.getTxn(txnUuid);
    if (!txn || txn.merchantId !== merchantId) return;
    const [hooks, order] = await Promise.all([targetOf(merchantId), store.getOrderByPk(txn.orderPk)]);
    if (!order) return;
    await store.transaction(async (tx) => emit(tx, hooks, order, eventName, txn));
  };
}

export type RiskVerdictDeps = Pick<PaymentContext, 'store' | 'now'> &
  Pick<CaptureFlow, 'capture'> &
  Pick<LateRisk, 'applyLateRisk'> & {
    emitReviewEvent: ReturnType<typeof createEmitReviewEvent>;
  };

/**
 * A risk provider's later verdict on an order (its verified webhook): a block voids or refunds
 * the order's attempt, a review holds it, an accept captures a payment held for review. Only an
 * attempt that went through risk checks is touched; anything else is ignored.
 */
export function createApplyRiskVerdict({ store, now, capture, applyLateRisk, emitReviewEvent }: RiskVerdictDeps) {
  return async function applyRiskVerdict(merchantId: string, orderId: string, provider: string, given: RiskVerdict): Promise<{ handled: boolean; effect?: string }> {
    // A payment already at the gateway cannot be stepped up: a later challenge is a review.
    const verdict = { ...given, decision: given.decision === 'challenge_3ds' ? ('review' as const) : given.decision };
    const order = await store.getOrder(merchantId, orderId);
    if (!order) return { handled: false };
    const txn = primaryTxn(order, await store.listTxns(order.id));
    if (!txn?.risk) return { handled: false };
    const check = { check: `provider:${provider}`, action: verdict.decision, score: verdictScore(verdict), reasons: verdict.reasons.map((r) => `${provider}: ${r}`) };
    const checks = [...txn.risk.checks.filter((c) => c.check !== check.check), check];
    const action = verdict.decision;
    const held = txn.status === 'AUTHORIZED' && txn.risk.review?.state === 'PENDING';
    if (action === 'allow' && held) {
      await capture(merchantId, txn.id, { idempotence_key: `risk_${txn.id}` });
      await store.transaction(async (tx) =>
        tx.updateTxn(txn.id, { risk: { ...txn.risk!, checks, review: { ...txn.risk!.review, state: 'APPROVED', by: `provider:${provider}`, at: now().toISOString() } } }),
      );
      await emitReviewEvent(merchantId, txn.id, 'TXN_REVIEW_APPROVED');
      return { handled: true, effect: 'capture' };
    }
    const result: RiskScreenResult = {
      mode: txn.risk.mode,
      assessment: {
        provider,
        action,
        score: Math.min(
          100,
          checks.reduce((sum, c) => sum + c.score, 0),
        ),
        reasons: checks.flatMap((c) => c.reasons),
        code: action === 'allow' ? null : 'RISK_PROVIDER_DECLINED',
        checks: checks as never,
        allowlisted: txn.risk.allowlisted,
      },
    };
    const applied = await applyLateRisk(txn, result);
    return { handled: true, effect: applied.txn.risk?.late?.effect ?? 'none' };
  };
}
