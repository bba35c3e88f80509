// A refund's outcome (the gateway's answer, its webhook, the refund sync) stored, with the order's
// refundable balance released on failure and the merchant's webhook queued, in one transaction.
import type { RefundOutcome } from '../ports/connector.ts';
import type { PaymentContext } from './payment-context.ts';

export type SettleRefundDeps = Pick<PaymentContext, 'store' | 'emit' | 'targetOf'>;

export function createSettleRefund({ store, emit, targetOf }: SettleRefundDeps) {
  return async function settleRefund(refundId: string, outcome: RefundOutcome, firstCall = false): Promise<void> {
    const refundRow = await store.transaction((tx) => tx.getRefund(refundId));
    if (!refundRow) return;
    const hooks = await targetOf(refundRow.merchantId);
    await store.transaction(async (tx) => {
      const existing = await tx.getRefund(refundId);
      if (!existing || existing.status === 'SUCCESS' || existing.status === 'FAILURE') return;
      const order = (await tx.lockOrderByPk(existing.orderPk))!;
      const sent = firstCall ? outcome.raw.code !== 'NO_CONNECTOR' : existing.sentToGateway;
      if (outcome.kind === 'SUCCESS') {
        await tx.updateRefund(refundId, {
          status: 'SUCCESS',
          ref: outcome.gatewayRefundId ?? outcome.raw.gatewayTxnId,
          arn: outcome.arn,
          sentToGateway: true,
          gatewayResponse: { code: outcome.raw.code, message: outcome.raw.message },
        });
        await emit(tx, hooks, order, 'ORDER_REFUNDED');
      } else if (outcome.kind === 'FAILURE') {
        await tx.updateRefund(refundId, {
          status: 'FAILURE',
          errorCode: outcome.unified.code,
          errorMessage: outcome.unified.message,
          sentToGateway: sent,
          gatewayResponse: { code: outcome.raw.code, message: outcome.raw.message },
        });
        const released = await tx.updateOrder(order.id, { amountRefunded: Math.max(0, order.amountRefunded - existing.amount) });
        await emit(tx, hooks, released, 'ORDER_REFUND_FAILED');
      } else {
        await tx.updateRefund(refundId, { status: 'PENDING', ref: outcome.gatewayRefundId ?? outcome.raw.gatewayTxnId, sentToGateway: sent });
      }
    });
  };
}

export type SettleRefund = ReturnType<typeof createSettleRefund>;
