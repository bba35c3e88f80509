// The payment service: transactions (attempts across gateways with safe fallback), gateway
// outcomes, authentication returns, status sync and gateway webhooks; orders and refunds come from
// order-flow.ts and refund-flow.ts. Every state change goes through one database transaction that
// also queues the merchant's webhooks; gateway calls happen between transactions, never inside one.
//
// This file only wires the use-cases, each in a module named for what it does:
//   create-txn.ts        POST /txns: request, risk screening, routing, the cascade, the answer
//   run-cascade.ts       the attempts along the routing decision (safe fallback)
//   start-attempt.ts     an attempt recorded and the order claimed, atomically
//   authorize-attempt.ts the gateway's authorise call and its classified outcome
//   apply-outcome.ts     a gateway outcome stored on the attempt and mirrored on the order
//   authentication-return.ts, status-sync.ts, gateway-webhook.ts: outcomes that arrive later
//   txn-screening.ts, late-risk.ts, risk-verdict.ts: risk checks on the payment path
import { createApplyOutcome } from './apply-outcome.ts';
import { createCompleteAuthentication } from './authentication-return.ts';
import { createAuthorizeAttempt } from './authorize-attempt.ts';
import { createCaptureFlow } from './capture-flow.ts';
import { createCreateTxn } from './create-txn.ts';
import { createHandleGatewayWebhook } from './gateway-webhook.ts';
import { createLateRisk } from './late-risk.ts';
import { createOrderFlow } from './order-flow.ts';
import { primaryTxn } from './order-status-view.ts';
import { createPaymentContext, type PaymentServiceDeps } from './payment-context.ts';
import { createRefundFlow } from './refund-flow.ts';
import { createApplyRiskVerdict, createEmitReviewEvent } from './risk-verdict.ts';
import { createRunCascade } from './run-cascade.ts';
import { createStartAttempt } from './start-attempt.ts';
import { createSyncTxn } from './status-sync.ts';
import { createTxnScreening } from './txn-screening.ts';

export type { MerchantDirectory, PaymentServiceDeps } from './payment-context.ts';

export function createPaymentService(deps: PaymentServiceDeps) {
  const ctx = createPaymentContext(deps);
  const { createOrder, updateOrder, getOrderStatus, listOrders, updateFulfillment, orderForPaymentPage } = createOrderFlow(ctx);
  const { refund, settleRefund, refundDuplicateCharge, syncRefund } = createRefundFlow(ctx);
  const { capture, voidTxn } = createCaptureFlow(ctx, { partialCaptureAllowed: deps.partialCaptureAllowed });

  const { applyLateRisk, applyPostAuth, feedCardTesting } = createLateRisk({ ...ctx, voidTxn, refund });
  const emitReviewEvent = createEmitReviewEvent(ctx);
  const applyRiskVerdict = createApplyRiskVerdict({ ...ctx, capture, applyLateRisk, emitReviewEvent });

  const applyOutcome = createApplyOutcome({ ...ctx, refundDuplicateCharge, applyPostAuth, feedCardTesting });
  const startAttempt = createStartAttempt(ctx);
  const authorizeAttempt = createAuthorizeAttempt({ ...ctx, applyOutcome });
  const runCascade = createRunCascade({ ...ctx, startAttempt, authorizeAttempt });
  const createTxn = createCreateTxn({ ...ctx, createOrder, startAttempt, runCascade, ...createTxnScreening({ ...ctx, applyLateRisk, applyPostAuth }) });

  const syncTxn = createSyncTxn({ ...ctx, applyOutcome });
  const completeAuthentication = createCompleteAuthentication({ ...ctx, applyOutcome, syncTxn });
  const handleGatewayWebhook = createHandleGatewayWebhook({ ...ctx, settleRefund, applyOutcome });

  return {
    updateFulfillment,
    orderForPaymentPage,
    createOrder,
    updateOrder,
    getOrderStatus,
    listOrders,
    createTxn,
    applyOutcome,
    completeAuthentication,
    syncTxn,
    handleGatewayWebhook,
    refund,
    settleRefund,
    syncRefund,
    capture,
    voidTxn,
    applyRiskVerdict,
    emitReviewEvent,
    statusOf: ctx.statusOf,
    primaryTxn,
  };
}

export type PaymentService = ReturnType<typeof createPaymentService>;
