// A refund asked by the merchant: full or partial, idempotent on unique_request_id, never above the
// charge even under concurrency (the refundable balance is reserved under the order's row lock
// before the gateway is called).
import { AppError, invalidField, missingField } from '../errors.ts';
import { newId } from '../crypto.ts';
import { formatAmountString, parseAmount } from '../money.ts';
import type { RefundOutcome } from '../ports/connector.ts';
import { type FlatBody, readString } from './input.ts';
import type { PaymentContext } from './payment-context.ts';
import type { SettleRefund } from './settle-refund.ts';
import type { Order, Refund } from './types.ts';

export type CreateRefundDeps = Pick<PaymentContext, 'store' | 'merchants' | 'connectors' | 'requireOrder' | 'statusOf'> & { settleRefund: SettleRefund };

export function createRefund({ store, merchants, connectors, requireOrder, statusOf, settleRefund }: CreateRefundDeps) {
  /** The order to refund: named by the path, or by the body's txn_id or order_id. */
  async function orderToRefund(merchantId: string, body: FlatBody, orderIdFromPath: string | null): Promise<Order> {
    if (orderIdFromPath) return requireOrder(merchantId, orderIdFromPath);
    const txnId = readString(body, 'txn_id', { max: 128 });
    const orderId = readString(body, 'order_id', { max: 20 });
    if (txnId) {
      const txn = await store.getTxnByTxnId(merchantId, txnId);
      if (!txn) throw new AppError('RESOURCE_NOT_FOUND', `Transaction ${txnId} not found`, { fields: [{ field_name: 'txn_id', reason: 'no such transaction for this merchant' }] });
      return (await store.getOrderByPk(txn.orderPk))!;
    }
    if (orderId) return requireOrder(merchantId, orderId);
    throw missingField('order_id');
  }

  /** Under the order's lock: the refund recorded (or the earlier one with this id found) and the refundable balance reserved. */
  async function reserveRefund(orderPk: string, merchantId: string, uniqueRequestId: string, requested: number | null): Promise<{ order: Order; refund: Refund; created: boolean }> {
    return store.transaction(async (tx) => {
      // Under the order lock: a concurrent request with the same unique_request_id has committed
      // by now, so it is seen here (read before the lock, both would insert).
      const locked = (await tx.lockOrderByPk(orderPk))!;
      const existing = await tx.getRefundByRequestId(merchantId, uniqueRequestId);
      if (existing) {
        if (existing.orderPk !== locked.id) throw invalidField('unique_request_id', 'was already used for a refund of another order');
        // The same id with another amount is another request, not a retry: say so rather than
        // answer the earlier refund as if it were this one (a retry without an amount is fine).
        if (requested !== null && requested !== existing.amount) {
          const was = formatAmountString(existing.amount, locked.currency);
          const now = formatAmountString(requested, locked.currency);
          throw new AppError('IDEMPOTENCY_KEY_REUSED', `unique_request_id ${uniqueRequestId} was already used for a refund of ${was} ${locked.currency}; this request asks for ${now}`, {
            fields: [{ field_name: 'unique_request_id', reason: `already used for a refund of amount ${was}, not ${now}: use a new unique_request_id for a new refund` }],
          });
        }
        return { order: locked, refund: existing, created: false };
      }
      if (locked.status !== 'CHARGED' || !locked.chargedTxnId) {
        throw new AppError('INVALID_ACTION', `Only CHARGED orders can be refunded; order ${locked.orderId} is ${locked.status}`, {
          fields: [{ field_name: 'order_id', reason: `order is ${locked.status}` }],
        });
      }
      // A partially captured order refunds at most what was captured.
      const remaining = (locked.amountCaptured ?? locked.amount) - locked.amountRefunded;
      const amount = requested ?? remaining;
      if (amount <= 0) throw new AppError('INVALID_ACTION', 'The order is already fully refunded', { fields: [{ field_name: 'amount', reason: 'nothing left to refund' }] });
      if (amount > remaining) throw invalidField('amount', `exceeds the refundable amount (${remaining} minor units left)`);
      const refundRow = await tx.insertRefund({
        id: newId('rfnd'),
        merchantId,
        orderPk: locked.id,
        txnPk: locked.chargedTxnId,
        uniqueRequestId,
        amount,
        status: 'PENDING',
        ref: null,
        arn: null,
        errorCode: null,
        errorMessage: null,
        sentToGateway: false,
        initiatedBy: 'API',
        refundType: 'STANDARD',
        refundSource: null,
      });
      // The refundable balance is reserved now, so concurrent refunds can never exceed the charge.
      const updated = await tx.updateOrder(locked.id, { amountRefunded: locked.amountRefunded + amount });
      return { order: updated, refund: refundRow, created: true };
    });
  }

  /** The gateway asked for a refund just reserved, and its answer settled. */
  async function sendRefund(merchantId: string, reserved: Refund): Promise<void> {
    const txn = (await store.getTxn(reserved.txnPk))!;
    const connector = txn.gateway ? connectors.get(txn.gateway) : undefined;
    let outcome: RefundOutcome;
    if (!connector || !txn.gatewayAccountId || !txn.gatewayTxnId) {
      outcome = {
        kind: 'FAILURE',
        raw: { code: 'NO_CONNECTOR', message: 'Gateway not available for refunds', gatewayTxnId: null },
        unified: { code: 'GATEWAY_NOT_CONFIGURED', message: 'The gateway is not available', category: 'GATEWAY_ERROR' },
      };
    } else {
      try {
        const account = await merchants.connectorAccount(merchantId, txn.gatewayAccountId);
        outcome = await connector.refund(account, {
          refundId: reserved.id,
          txnId: txn.txnId,
          gatewayTxnId: txn.gatewayTxnId,
          amount: reserved.amount,
          currency: txn.currency,
          idempotencyKey: reserved.id,
        });
      } catch (error) {
        outcome = { kind: 'PENDING', raw: { code: 'CONNECTOR_ERROR', message: error instanceof Error ? error.message : 'connector error', gatewayTxnId: null } };
      }
    }
    await settleRefund(reserved.id, outcome, true);
  }

  return async function refund(merchantId: string, body: FlatBody, orderIdFromPath: string | null): Promise<Record<string, unknown>> {
    const uniqueRequestId = readString(body, 'unique_request_id', { required: true, max: 64, pattern: /^[A-Za-z0-9_.:-]+$/, patternReason: 'must be letters, digits and _ . : -' })!;
    const order = await orderToRefund(merchantId, body, orderIdFromPath);
    const amountRaw = body.amount;
    const requested = amountRaw === undefined || amountRaw === '' ? null : parseAmount(amountRaw, order.currency);
    const prepare = () => reserveRefund(order.id, merchantId, uniqueRequestId, requested);
    let prepared: Awaited<ReturnType<typeof prepare>>;
    try {
      prepared = await prepare();
    } catch (error) {
      // The same unique_request_id raced on another order (different lock): the unique index
      // refused the second insert; run again to answer it like any repeated id.
      if ((error as { code?: unknown }).code !== '23505') throw error;
      prepared = await prepare();
    }
    if (prepared.created) await sendRefund(merchantId, prepared.refund);
    return statusOf((await store.getOrderByPk(order.id))!);
  };
}
