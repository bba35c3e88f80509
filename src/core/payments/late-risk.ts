// Risk verdicts that arrive after the gateway was asked: a parallel-mode screening that answered
// late, the provider's post-authorisation check, and the card-testing guard's count of a decline.
// A block voids an authorisation or refunds a charge; a review holds an authorisation for a reviewer.
import type { RiskScreenResult } from '../ports/risk-screen.ts';
import type { RiskContext } from '../../risk/types.ts';
import type { CaptureFlow } from './capture-flow.ts';
import type { PaymentContext } from './payment-context.ts';
import type { RefundFlow } from './refund-flow.ts';
import { cardTestingEventId, storedRiskContext, txnRiskOf } from './risk-records.ts';
import type { Order, Txn, TxnRisk } from './types.ts';

export type LateRiskDeps = Pick<PaymentContext, 'store' | 'risk' | 'now' | 'log' | 'emit' | 'targetOf'> & Pick<CaptureFlow, 'voidTxn'> & Pick<RefundFlow, 'refund'>;

export function createLateRisk({ store, risk, now, log, emit, targetOf, voidTxn, refund }: LateRiskDeps) {
  /** Stores an attempt's new risk record; a payment newly held for review tells the merchant so, in the same transaction. */
  async function storeRisk(txn: Txn, record: TxnRisk, newlyHeld: boolean): Promise<Txn> {
    const hooks = newlyHeld ? await targetOf(txn.merchantId) : null;
    const before = newlyHeld ? await store.getOrderByPk(txn.orderPk) : null;
    return store.transaction(async (tx) => {
      const updated = await tx.updateTxn(txn.id, { risk: record });
      if (hooks && before) await emit(tx, hooks, before, 'TXN_MANUAL_REVIEW_NEEDED', updated);
      return updated;
    });
  }

  /** A block's undoing: the authorisation voided or the charge refunded (a failure is logged, the verdict stays recorded). */
  async function undoBlocked(txn: Txn, order: Order, effect: string, what: 'late risk block' | 'post-auth risk block'): Promise<void> {
    if (effect === 'void') {
      await voidTxn(txn.merchantId, txn.id, { idempotence_key: `risk_${txn.id}` }).catch((error: unknown) => log('error', `${what}: void failed`, { txn: txn.txnId, error: String(error) }));
    } else if (effect === 'refund') {
      await refund(txn.merchantId, { unique_request_id: `risk_${txn.id}` }, order.orderId).catch((error: unknown) => log('error', `${what}: refund failed`, { txn: txn.txnId, error: String(error) }));
    }
  }

  /**
   * Parallel mode: the checks answered while (or after) the gateway was asked. The verdict is stored
   * on the attempt; a block voids an authorisation or refunds a charge, and records why. A late review
   * of a held (authorised) payment waits in the review queue.
   */
  async function applyLateRisk(txn: Txn, result: RiskScreenResult, sources?: TxnRisk['sources']): Promise<{ order: Order; txn: Txn }> {
    const record = txnRiskOf(result, false, now, sources ?? txn.risk?.sources);
    let effect = 'none';
    if (result.assessment.action === 'block') {
      if (txn.status === 'AUTHORIZED') effect = 'void';
      else if (txn.status === 'CHARGED') effect = 'refund';
      // Still at the bank or with the shopper: nothing to undo yet; the attempt is marked for a reviewer.
      else effect = ['STARTED', 'PENDING_VBV', 'AUTHORIZING', 'VBV_SUCCESSFUL'].includes(txn.status) ? 'review: payment still pending when the block arrived' : 'none: the payment did not succeed';
    }
    const reviewLater = effect.startsWith('review') || (result.assessment.action === 'review' && txn.status === 'AUTHORIZED');
    const newlyHeld = reviewLater && txn.status === 'AUTHORIZED' && txn.risk?.review?.state !== 'PENDING';
    const stored = await storeRisk(
      txn,
      { ...record, ...(reviewLater ? { review: { state: 'PENDING' as const, heldAt: now().toISOString() } } : {}), late: { action: result.assessment.action, effect, at: now().toISOString() } },
      newlyHeld,
    );
    const order = (await store.getOrderByPk(txn.orderPk))!;
    await undoBlocked(txn, order, effect, 'late risk block');
    const latestTxn = (await store.getTxn(txn.id)) ?? stored;
    return { order: (await store.getOrderByPk(txn.orderPk))!, txn: latestTxn };
  }

  /**
   * The provider's post-authorisation call on an authorised or charged attempt (merchants whose
   * provider has one). The verdict joins the attempt's checks; a block voids the authorisation or
   * refunds the charge (as a late parallel-mode block does), a review holds an authorisation in the
   * review queue (a charge can only be flagged). A timeout or error has already become an allow or a
   * block by the merchant's post-auth fail-open choice, so the attempt always ends defined.
   */
  async function applyPostAuth(txn: Txn, ctx: RiskContext): Promise<{ order: Order; txn: Txn } | null> {
    const answered = risk?.postAuth
      ? await risk.postAuth({ ...ctx, nowMillis: now().getTime() }, { status: txn.status, gatewayTxnId: txn.gatewayTxnId }).catch((error: unknown) => {
          log('error', 'risk post-authorisation failed', { txn: txn.txnId, error: String(error) });
          return null;
        })
      : null;
    // After authorisation a step-up is no longer possible: a challenge is a review.
    const check = answered && answered.action === 'challenge_3ds' ? { ...answered, action: 'review' as const } : answered;
    if (!check || !txn.risk) return null; // no post-authorisation call: the attempt stands as it is (no extra read)
    const base = txn.risk;
    const rank = { allow: 0, challenge_3ds: 1, review: 2, block: 3 } as const;
    const action = rank[check.action] > rank[base.action] ? check.action : base.action;
    const effect: NonNullable<TxnRisk['postAuth']>['effect'] =
      check.action === 'block' ? (txn.status === 'AUTHORIZED' ? 'void' : 'refund') : check.action === 'review' ? (txn.status === 'AUTHORIZED' ? 'review' : 'flag') : 'none';
    const at = now().toISOString();
    const held = effect === 'review' && base.review?.state !== 'PENDING';
    const record: TxnRisk = {
      ...base,
      action,
      score: Math.min(100, base.score + check.score),
      code: base.code ?? check.code ?? null,
      reasons: [...base.reasons, ...check.reasons],
      checks: [...base.checks, { check: check.check, action: check.action, score: check.score, reasons: check.reasons }],
      postAuth: { action: check.action, effect, at },
      ...(held ? { review: { state: 'PENDING' as const, heldAt: at } } : {}),
    };
    const stored = await storeRisk(txn, record, held);
    const order = (await store.getOrderByPk(txn.orderPk))!;
    await undoBlocked(txn, order, effect, 'post-auth risk block');
    return { order: (await store.getOrderByPk(txn.orderPk))!, txn: (await store.getTxn(txn.id)) ?? stored };
  }

  /** The card-testing guard counts a decline of an attempt that went through risk checks. */
  async function feedCardTesting(order: Order, txn: Txn): Promise<void> {
    if (!risk || !txn.risk?.sources) return;
    await risk
      .recordOutcome(storedRiskContext(order, txn, now().getTime()), { declined: true }, cardTestingEventId(txn))
      .catch((error: unknown) => log('warn', 'risk outcome not recorded', { txn: txn.txnId, error: String(error) }));
  }

  return { applyLateRisk, applyPostAuth, feedCardTesting };
}

export type LateRisk = ReturnType<typeof createLateRisk>;
