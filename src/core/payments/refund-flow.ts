// Refunds: full or partial, idempotent on unique_request_id, never above the charge even under
// concurrency (the refundable balance is reserved under the order's row lock before the gateway
// is called), and the automatic refund of a duplicate charge. The merchant's refund is
// create-refund.ts, a refund's outcome settle-refund.ts; the refund sync and the duplicate-charge
// refund are here.
import type { RefundOutcome } from '../ports/connector.ts';
import { createRefund } from './create-refund.ts';
import type { PaymentContext } from './payment-context.ts';
import { createSettleRefund } from './settle-refund.ts';
import type { Txn } from './types.ts';

export function createRefundFlow(ctx: PaymentContext) {
  const { store, merchants, connectors, log, now } = ctx;
  const settleRefund = createSettleRefund(ctx);
  const refund = createRefund({ ...ctx, settleRefund });

  async function refundDuplicateCharge(txn: Txn): Promise<void> {
    const connector = txn.gateway ? connectors.get(txn.gateway) : undefined;
    if (!connector || !txn.gatewayAccountId || !txn.gatewayTxnId) return;
    try {
      const account = await merchants.connectorAccount(txn.merchantId, txn.gatewayAccountId);
      const outcome = await connector.refund(account, {
        refundId: `auto_${txn.id}`,
        txnId: txn.txnId,
        gatewayTxnId: txn.gatewayTxnId,
        amount: txn.amount,
        currency: txn.currency,
        idempotencyKey: `auto_${txn.id}`,
      });
      if (outcome.kind === 'FAILURE') log('error', 'automatic refund of a duplicate charge failed', { txn: txn.txnId, code: outcome.raw.code });
    } catch (error) {
      log('error', 'automatic refund of a duplicate charge threw', { txn: txn.txnId, error: error instanceof Error ? error.message : String(error) });
    }
  }

  /**
   * A refund left PENDING is asked again: its outcome was lost (the instance died or its database
   * connection was cut after the gateway answered, the call timed out) or the gateway has not
   * settled it yet. The same request goes with the same idempotency key (our refund id), which the
   * gateway answers with the refund it made, or makes now, once. Only on gateways that honour a
   * refund's idempotency key (refundResendWindowMs), and only within that window after the refund
   * was asked; anything else stays PENDING for the gateway's webhook or an operator.
   */
  async function syncRefund(refundId: string): Promise<'settled' | 'pending' | 'not-resendable'> {
    const existing = await store.transaction((tx) => tx.getRefund(refundId));
    if (existing?.status !== 'PENDING') return 'settled';
    const txn = await store.getTxn(existing.txnPk);
    const connector = txn?.gateway ? connectors.get(txn.gateway) : undefined;
    const windowMs = txn?.gateway ? (ctx.refundResendWindowMs?.(txn.gateway) ?? null) : null;
    if (!txn || !connector || !txn.gatewayAccountId || !txn.gatewayTxnId || windowMs === null) return 'not-resendable';
    if (now().getTime() - existing.createdAt.getTime() >= windowMs) return 'not-resendable';
    let outcome: RefundOutcome;
    try {
      const account = await merchants.connectorAccount(existing.merchantId, txn.gatewayAccountId);
      outcome = await connector.refund(account, {
        refundId: existing.id,
        txnId: txn.txnId,
        gatewayTxnId: txn.gatewayTxnId,
        amount: existing.amount,
        currency: txn.currency,
        idempotencyKey: existing.id,
      });
    } catch (error) {
      log('warn', 'refund sync: the gateway did not answer', { refund: existing.id, error: error instanceof Error ? error.message : String(error) });
      return 'pending';
    }
    await settleRefund(existing.id, outcome, true);
    return outcome.kind === 'PENDING' ? 'pending' : 'settled';
  }

  return { refund, settleRefund, refundDuplicateCharge, syncRefund };
}

export type RefundFlow = ReturnType<typeof createRefundFlow>;
