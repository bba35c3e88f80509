// Applying a gateway outcome to an attempt: its new status, mirrored on the order, stored in one
// database transaction with the merchant's webhooks; then what follows a settled attempt (routing
// feedback, the card-testing count, the refund of a duplicate charge, the post-authorisation check).
import { notFound } from '../errors.ts';
import type { AuthorizeOutcome } from '../ports/connector.ts';
import type { PaymentTx, TxnPatch } from '../ports/payment-store.ts';
import { assertOrderTransition, isTxnTransitionAllowed, type OrderStatus, type TxnStatus } from '../status.ts';
import type { LateRisk } from './late-risk.ts';
import type { PaymentContext, WebhookTarget } from './payment-context.ts';
import type { RefundFlow } from './refund-flow.ts';
import { isDecline, storedRiskContext } from './risk-records.ts';
import type { Order, Txn } from './types.ts';

function statusOfOutcome(outcome: AuthorizeOutcome): TxnStatus {
  switch (outcome.kind) {
    case 'CHARGED':
      return 'CHARGED';
    case 'AUTHORIZED':
      return 'AUTHORIZED';
    case 'VOIDED':
      return 'VOIDED';
    case 'PENDING_AUTHENTICATION':
      return 'PENDING_VBV';
    case 'PENDING':
    case 'UNKNOWN':
      return 'AUTHORIZING';
    case 'FAILED':
      return outcome.failure === 'AUTHENTICATION_FAILED' ? 'AUTHENTICATION_FAILED' : 'AUTHORIZATION_FAILED';
  }
}

/** The attempt's status after this outcome, or null when the outcome changes nothing. */
function nextStatusOf(txn: Txn, outcome: AuthorizeOutcome): TxnStatus | null {
  let next = statusOfOutcome(outcome);
  // A UPI collect request waits for the shopper to approve it in their UPI app: Juspay reports
  // that as PENDING_VBV (authentication in progress), and so do we. The order stays locked.
  const upiCollect = txn.upi?.txn_type === 'UPI_COLLECT';
  if (outcome.kind === 'PENDING' && upiCollect && ['STARTED', 'PENDING_VBV'].includes(txn.status)) next = 'PENDING_VBV';
  // An authorisation of an automatically captured attempt is its charge: the gateway captures it
  // itself (Adyen after a redirect or in its AUTHORISATION webhook says only "Authorised").
  if (next === 'AUTHORIZED' && txn.txnType !== 'PRE_AUTH' && !['CAPTURE_INITIATED', 'VOID_INITIATED'].includes(txn.status)) next = 'CHARGED';
  // No news about a pending capture or void (a gateway without a status API): nothing changes.
  if (outcome.kind === 'UNKNOWN' && (txn.status === 'CAPTURE_INITIATED' || txn.status === 'VOID_INITIATED')) return null;
  // A capture or void accepted earlier and settled now (webhook, sync): a failure is that operation's failure.
  if (outcome.kind === 'FAILED' && txn.status === 'CAPTURE_INITIATED') next = 'CAPTURE_FAILED';
  if (outcome.kind === 'FAILED' && txn.status === 'VOID_INITIATED') next = 'VOID_FAILED';
  // A gateway that still reports the authorisation while our capture is pending has not settled it yet.
  if (outcome.kind === 'AUTHORIZED' && (txn.status === 'CAPTURE_INITIATED' || txn.status === 'VOID_INITIATED')) return null;
  if (txn.status === next && (next !== 'PENDING_VBV' || outcome.kind === 'PENDING')) return null;
  return next;
}

/** The attempt's row after this outcome. */
function txnPatchOf(txn: Txn, outcome: AuthorizeOutcome, next: TxnStatus, duplicate: boolean, latencyMs: number | undefined): TxnPatch {
  const failed = outcome.kind === 'FAILED';
  return {
    status: next,
    gatewayTxnId: outcome.raw.gatewayTxnId ?? txn.gatewayTxnId,
    gatewayCode: outcome.raw.code,
    gatewayMessage: outcome.raw.message,
    gatewayResponse: { code: outcome.raw.code, message: outcome.raw.message, rrn: outcome.raw.rrn ?? null, auth_id_code: outcome.raw.authIdCode ?? null, body: outcome.raw.body ?? null },
    errorCode: failed ? outcome.unified.code : duplicate ? 'DUPLICATE_CHARGE_REFUNDED' : null,
    errorMessage: failed ? outcome.unified.message : duplicate ? 'Order was already charged by another attempt; this charge is refunded' : null,
    errorCategory: failed ? outcome.unified.category : null,
    authentication: outcome.kind === 'PENDING_AUTHENTICATION' ? outcome.authentication : txn.authentication,
    // Juspay's txn_detail.redirect: the shopper was sent to a bank, wallet or 3-D Secure page.
    ...(outcome.kind === 'PENDING_AUTHENTICATION' ? { redirect: true } : {}),
    ...(latencyMs !== undefined ? { latencyMs } : {}),
  };
}

type Recorded = { order: Order; txn: Txn; autoRefund: boolean; unchanged?: true };

export type TxnRef = Pick<Txn, 'id' | 'orderPk' | 'merchantId'>;
export type ApplyOutcomeDeps = Pick<PaymentContext, 'store' | 'log' | 'emit' | 'targetOf' | 'now' | 'onOutcome'> &
  Pick<RefundFlow, 'refundDuplicateCharge'> &
  Pick<LateRisk, 'applyPostAuth' | 'feedCardTesting'>;

export function createApplyOutcome({ store, log, emit, targetOf, now, onOutcome, refundDuplicateCharge, applyPostAuth, feedCardTesting }: ApplyOutcomeDeps) {
  /** Under the order's lock: the attempt and its order moved by the outcome, and their webhooks queued. */
  async function recordOutcome(tx: PaymentTx, hooks: WebhookTarget, order: Order, txn: Txn, outcome: AuthorizeOutcome, latencyMs: number | undefined): Promise<Recorded> {
    let next = nextStatusOf(txn, outcome);
    if (next === null) return { order, txn, autoRefund: false, unchanged: true };
    const upiCollect = txn.upi?.txn_type === 'UPI_COLLECT';
    const succeeded = next === 'CHARGED' || next === 'AUTHORIZED';
    const duplicate = succeeded && order.chargedTxnId !== null && order.chargedTxnId !== txn.id;
    const settlesOperation = ['CAPTURE_INITIATED', 'VOID_INITIATED'].includes(txn.status);
    if (duplicate) next = 'AUTO_REFUNDED';
    if (txn.status !== next && !isTxnTransitionAllowed(txn.status, next)) {
      // A late or repeated gateway answer that cannot change a settled attempt: keep what we have.
      log('warn', 'ignored gateway outcome for a settled transaction', { txn: txn.txnId, status: txn.status, outcome: next });
      return { order, txn, autoRefund: false, unchanged: true };
    }
    const txnPatch = txnPatchOf(txn, outcome, next, duplicate, latencyMs);
    if (settlesOperation) {
      // A capture or void settled late: the routing feedback was given when the payment was authorised.
      const settled = await tx.updateTxnAndOrder(txn.id, txnPatch, order.id, { status: next as OrderStatus, ...(next === 'CHARGED' || next === 'CAPTURE_INITIATED' ? {} : { amountCaptured: null }) });
      if (next === 'CHARGED') await emit(tx, hooks, settled.order, 'TXN_CHARGED', settled.txn);
      return { order: settled.order, txn: settled.txn, autoRefund: false, unchanged: true };
    }
    if (duplicate) {
      const updatedTxn = await tx.updateTxn(txn.id, txnPatch);
      await emit(tx, hooks, order, 'AUTO_REFUND_SUCCEEDED', updatedTxn);
      return { order, txn: updatedTxn, autoRefund: true };
    }
    // The order follows the attempt that speaks for it, unless another attempt already decided it.
    let orderStatus: OrderStatus = order.status;
    const isLatest = order.lastTxnId === txn.id;
    if (succeeded || isLatest || order.status === 'NEW') orderStatus = next as OrderStatus;
    if (order.chargedTxnId && !settlesOperation) orderStatus = order.status;
    const holdsLock = order.lockTxnId === txn.id;
    const keepLock = next === 'AUTHORIZING' || next === 'STARTED' || (next === 'PENDING_VBV' && upiCollect);
    if (orderStatus !== order.status) assertOrderTransition(order.status, orderStatus);
    // The attempt and its order in one statement (one round trip fewer under the order's lock).
    const { txn: updatedTxn, order: updatedOrder } = await tx.updateTxnAndOrder(txn.id, txnPatch, order.id, {
      status: orderStatus,
      ...(succeeded ? { chargedTxnId: txn.id } : {}),
      ...(holdsLock && !keepLock ? { lockTxnId: null } : {}),
      ...(!holdsLock && keepLock && !order.lockTxnId ? { lockTxnId: txn.id } : {}),
    });
    if (next === 'CHARGED') {
      await emit(tx, hooks, updatedOrder, 'TXN_CHARGED', updatedTxn);
      await emit(tx, hooks, updatedOrder, 'ORDER_SUCCEEDED', updatedTxn);
    } else if (next === 'AUTHORIZED') {
      await emit(tx, hooks, updatedOrder, 'ORDER_SUCCEEDED', updatedTxn);
      // Held for risk review before the gateway was asked: it waits for a reviewer now.
      if (updatedTxn.risk?.review?.state === 'PENDING') await emit(tx, hooks, updatedOrder, 'TXN_MANUAL_REVIEW_NEEDED', updatedTxn);
    } else if (next === 'AUTHORIZATION_FAILED' || next === 'AUTHENTICATION_FAILED') {
      await emit(tx, hooks, updatedOrder, 'TXN_FAILED', updatedTxn);
      if (isLatest) await emit(tx, hooks, updatedOrder, 'ORDER_FAILED', updatedTxn);
    }
    return { order: updatedOrder, txn: updatedTxn, autoRefund: false };
  }

  /**
   * Stores a gateway outcome on a transaction and mirrors it on the order, in one database
   * transaction. A success on an order another attempt already charged is refunded at once
   * (AUTO_REFUNDED): an order is never charged twice.
   *
   * `directAnswer`: the gateway's answer to our own authorise call, inside POST /txns (which asks the
   * risk provider's post-authorisation itself once the cascade ends). Every other caller (3-D Secure
   * return, gateway webhook, status sync) settles a payment later: an attempt that succeeds then is
   * sent to the post-authorisation check here.
   */
  return async function applyOutcome(
    ref: string | TxnRef,
    outcome: AuthorizeOutcome,
    extra: { latencyMs?: number; directAnswer?: boolean } = {},
  ): Promise<{ order: Order; txn: Txn; autoRefund: boolean }> {
    const known = typeof ref === 'string' ? await store.getTxn(ref) : ref;
    if (!known) throw notFound('Transaction');
    const txnUuid = known.id;
    const hooks = await targetOf(known.merchantId);
    const result = await store.transaction(async (tx) => {
      const locked = await tx.lockOrderWithTxn(known.orderPk, txnUuid); // the attempt is read under the order's lock
      if (!locked) throw notFound('Transaction');
      return recordOutcome(tx, hooks, locked.order, locked.txn, outcome, extra.latencyMs);
    });
    const changed = result.unchanged !== true;
    // The card-testing guard counts a decline of an attempt that went through risk checks whichever
    // way it arrives (direct answer, gateway webhook, status sync): only the call that moved the
    // attempt to the decline gets here, so each attempt counts once.
    if (changed && result.txn.risk?.sources && isDecline(result.txn, outcome)) await feedCardTesting(result.order, result.txn);
    if (result.autoRefund) await refundDuplicateCharge(result.txn);
    // Feedback once per settled attempt: a repeated or ignored answer (webhook after the direct reply) changes nothing.
    else if (changed && ['CHARGED', 'AUTHORIZED', 'AUTHORIZATION_FAILED', 'AUTHENTICATION_FAILED'].includes(result.txn.status)) onOutcome?.(result.txn, result.order);
    // A payment that went through risk checks and succeeded after the direct answer (3-D Secure,
    // UPI collect, a webhook, the sync) gets its post-authorisation check now, once.
    if (!extra.directAnswer && changed && !result.autoRefund && result.txn.risk && !result.txn.risk.postAuth && (result.txn.status === 'AUTHORIZED' || result.txn.status === 'CHARGED')) {
      const checked = await applyPostAuth(result.txn, storedRiskContext(result.order, result.txn, now().getTime()));
      if (checked) return { order: checked.order, txn: checked.txn, autoRefund: false };
    }
    return { order: result.order, txn: result.txn, autoRefund: result.autoRefund };
  };
}

export type ApplyOutcome = ReturnType<typeof createApplyOutcome>;
