// Refunds: full or partial, idempotent on unique_request_id, never above the charge even under
// concurrency (the refundable balance is reserved under the order's row lock before the gateway
// is called), and the automatic refund of a duplicate charge.
import { AppError, invalidField, missingField } from '../errors.ts';
import { newId } from '../crypto.ts';
import { formatAmountString, parseAmount } from '../money.ts';
import type { RefundOutcome } from '../ports/connector.ts';
import { type FlatBody, readString } from './input.ts';
import type { PaymentContext } from './payment-context.ts';
import type { Order, Txn } from './types.ts';

export function createRefundFlow(ctx: PaymentContext) {
  const { store, merchants, connectors, log, emit, targetOf, requireOrder, statusOf, now } = ctx;

  async function refundDuplicateCharge(txn: Txn): Promise<void> {
    const connector = txn.gateway ? connectors.get(txn.gateway) : undefined;
    if (!connector || !txn.gatewayAccountId || !txn.gatewayTxnId) return;
    try {
      const account = await merchants.connectorAccount(txn.merchantId, txn.gatewayAccountId);
      const outcome = await connector.refund(account, { refundId: `auto_${txn.id}`, txnId: txn.txnId, gatewayTxnId: txn.gatewayTxnId, amount: txn.amount, currency: txn.currency, idempotencyKey: `auto_${txn.id}` });
      if (outcome.kind === 'FAILURE') log('error', 'automatic refund of a duplicate charge failed', { txn: txn.txnId, code: outcome.raw.code });
    } catch (error) {
      log('error', 'automatic refund of a duplicate charge threw', { txn: txn.txnId, error: error instanceof Error ? error.message : String(error) });
    }
  }

  async function refund(merchantId: string, body: FlatBody, orderIdFromPath: string | null): Promise<Record<string, unknown>> {
    const uniqueRequestId = readString(body, 'unique_request_id', { required: true, max: 64, pattern: /^[A-Za-z0-9_.:-]+$/, patternReason: 'must be letters, digits and _ . : -' })!;
    let order: Order;
    if (orderIdFromPath) {
      order = await requireOrder(merchantId, orderIdFromPath);
    } else {
      const txnId = readString(body, 'txn_id', { max: 128 });
      const orderId = readString(body, 'order_id', { max: 20 });
      if (txnId) {
        const txn = await store.getTxnByTxnId(merchantId, txnId);
        if (!txn) throw new AppError('RESOURCE_NOT_FOUND', `Transaction ${txnId} not found`, { fields: [{ field_name: 'txn_id', reason: 'no such transaction for this merchant' }] });
        order = (await store.getOrderByPk(txn.orderPk))!;
      } else if (orderId) {
        order = await requireOrder(merchantId, orderId);
      } else {
        throw missingField('order_id');
      }
    }
    const amountRaw = body.amount;
    const requested = amountRaw === undefined || amountRaw === '' ? null : parseAmount(amountRaw, order.currency);

    const prepare = () => store.transaction(async (tx) => {
      // Under the order lock: a concurrent request with the same unique_request_id has committed
      // by now, so it is seen here (read before the lock, both would insert).
      const locked = (await tx.lockOrderByPk(order.id))!;
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
        throw new AppError('INVALID_ACTION', `Only CHARGED orders can be refunded; order ${locked.orderId} is ${locked.status}`, { fields: [{ field_name: 'order_id', reason: `order is ${locked.status}` }] });
      }
      // A partially captured order refunds at most what was captured.
      const remaining = (locked.amountCaptured ?? locked.amount) - locked.amountRefunded;
      const amount = requested ?? remaining;
      if (amount <= 0) throw new AppError('INVALID_ACTION', 'The order is already fully refunded', { fields: [{ field_name: 'amount', reason: 'nothing left to refund' }] });
      if (amount > remaining) throw invalidField('amount', `exceeds the refundable amount (${remaining} minor units left)`);
      const refundRow = await tx.insertRefund({
        id: newId('rfnd'), merchantId, orderPk: locked.id, txnPk: locked.chargedTxnId, uniqueRequestId, amount, status: 'PENDING',
        ref: null, arn: null, errorCode: null, errorMessage: null, sentToGateway: false, initiatedBy: 'API', refundType: 'STANDARD', refundSource: null,
      });
      // The refundable balance is reserved now, so concurrent refunds can never exceed the charge.
      const updated = await tx.updateOrder(locked.id, { amountRefunded: locked.amountRefunded + amount });
      return { order: updated, refund: refundRow, created: true };
    });
    let prepared: Awaited<ReturnType<typeof prepare>>;
    try {
      prepared = await prepare();
    } catch (error) {
      // The same unique_request_id raced on another order (different lock): the unique index
      // refused the second insert; run again to answer it like any repeated id.
      if ((error as { code?: unknown }).code !== '23505') throw error;
      prepared = await prepare();
    }

    if (prepared.created) {
      const txn = (await store.getTxn(prepared.refund.txnPk))!;
      const connector = txn.gateway ? connectors.get(txn.gateway) : undefined;
      let outcome: RefundOutcome;
      if (!connector || !txn.gatewayAccountId || !txn.gatewayTxnId) {
        outcome = { kind: 'FAILURE', raw: { code: 'NO_CONNECTOR', message: 'Gateway not available for refunds', gatewayTxnId: null }, unified: { code: 'GATEWAY_NOT_CONFIGURED', message: 'The gateway is not available', category: 'GATEWAY_ERROR' } };
      } else {
        try {
          const account = await merchants.connectorAccount(merchantId, txn.gatewayAccountId);
          outcome = await connector.refund(account, { refundId: prepared.refund.id, txnId: txn.txnId, gatewayTxnId: txn.gatewayTxnId, amount: prepared.refund.amount, currency: txn.currency, idempotencyKey: prepared.refund.id });
        } catch (error) {
          outcome = { kind: 'PENDING', raw: { code: 'CONNECTOR_ERROR', message: error instanceof Error ? error.message : 'connector error', gatewayTxnId: null } };
        }
      }
      await settleRefund(prepared.refund.id, outcome, true);
    }
    return statusOf((await store.getOrderByPk(order.id))!);
  }

  async function settleRefund(refundId: string, outcome: RefundOutcome, firstCall = false): Promise<void> {
    const refundRow = await store.transaction((tx) => tx.getRefund(refundId));
    if (!refundRow) return;
    const hooks = await targetOf(refundRow.merchantId);
    await store.transaction(async (tx) => {
      const existing = await tx.getRefund(refundId);
      if (!existing || existing.status === 'SUCCESS' || existing.status === 'FAILURE') return;
      const order = (await tx.lockOrderByPk(existing.orderPk))!;
      const sent = firstCall ? outcome.raw.code !== 'NO_CONNECTOR' : existing.sentToGateway;
      if (outcome.kind === 'SUCCESS') {
        await tx.updateRefund(refundId, { status: 'SUCCESS', ref: outcome.gatewayRefundId ?? outcome.raw.gatewayTxnId, arn: outcome.arn, sentToGateway: true, gatewayResponse: { code: outcome.raw.code, message: outcome.raw.message } });
        await emit(tx, hooks, order, 'ORDER_REFUNDED');
      } else if (outcome.kind === 'FAILURE') {
        await tx.updateRefund(refundId, { status: 'FAILURE', errorCode: outcome.unified.code, errorMessage: outcome.unified.message, sentToGateway: sent, gatewayResponse: { code: outcome.raw.code, message: outcome.raw.message } });
        const released = await tx.updateOrder(order.id, { amountRefunded: Math.max(0, order.amountRefunded - existing.amount) });
        await emit(tx, hooks, released, 'ORDER_REFUND_FAILED');
      } else {
        await tx.updateRefund(refundId, { status: 'PENDING', ref: outcome.gatewayRefundId ?? outcome.raw.gatewayTxnId, sentToGateway: sent });
      }
    });
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
    if (!existing || existing.status !== 'PENDING') return 'settled';
    const txn = await store.getTxn(existing.txnPk);
    const connector = txn?.gateway ? connectors.get(txn.gateway) : undefined;
    const windowMs = txn?.gateway ? (ctx.refundResendWindowMs?.(txn.gateway) ?? null) : null;
    if (!txn || !connector || !txn.gatewayAccountId || !txn.gatewayTxnId || windowMs === null) return 'not-resendable';
    if (now().getTime() - existing.createdAt.getTime() >= windowMs) return 'not-resendable';
    let outcome: RefundOutcome;
    try {
      const account = await merchants.connectorAccount(existing.merchantId, txn.gatewayAccountId);
      outcome = await connector.refund(account, { refundId: existing.id, txnId: txn.txnId, gatewayTxnId: txn.gatewayTxnId, amount: existing.amount, currency: txn.currency, idempotencyKey: existing.id });
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
