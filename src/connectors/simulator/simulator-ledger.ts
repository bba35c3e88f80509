// The in-memory payment state of a simulated gateway: one ledger entry per payment, how it is
// opened from an authorize request, how its status changes, and the shapes it is seen in (the
// gateway's wire object, the bank page, the JSON-safe entry the ledger store persists).
import type { AuthorizeRequest } from '../../core/ports/connector.ts';
import type { PaymentMethodType } from '../../core/payment-methods.ts';
import type { DrawContext } from './simulator-profile.ts';
import {
  formatMinorUnits,
  simulatorMessage,
  type SimulatorNextAction,
  type SimulatorOperationResponse,
  type SimulatorPaymentResponse,
  type SimulatorPaymentStatus,
  type SimulatorRefundResponse,
} from './transformers.ts';

/**
 * One payment as the simulated gateway keeps it, in a JSON-safe shape: what the ledger store
 * persists, and what a rebuilt simulator imports (so a refund after a restart finds its charge).
 */
export interface SimulatorLedgerEntry extends Omit<LedgerPayment, 'refunds'> {
  refunds: Record<string, SimulatorRefundResponse>;
}

export interface LedgerPayment {
  gatewayTxnId: string;
  gateway: string;
  accountId: string;
  merchantId: string;
  txnId: string;
  idempotencyKey: string;
  amount: number;
  currency: string;
  paymentMethodType: PaymentMethodType;
  paymentMethod: string;
  captureMode: 'AUTO' | 'MANUAL';
  context: DrawContext;
  maskedCard: string | null;
  returnUrl: string;
  status: SimulatorPaymentStatus;
  code: string;
  capturedAmount: number;
  refundedAmount: number;
  rrn: string | null;
  authIdCode: string | null;
  nextAction: SimulatorNextAction | null;
  createdAt: number;
  updatedAt: number;
  authentication: 'success' | 'failure' | null;
  /** What a PENDING payment becomes when it settles (drawn up front, so replays stay deterministic). */
  resolution: { status: SimulatorPaymentStatus; code: string } | null;
  settleAt: number | null;
  refunds: Map<string, SimulatorRefundResponse>;
}

/** What the bank page shows and needs. */
export interface BankPageView {
  gatewayTxnId: string;
  gateway: string;
  merchantId: string;
  amount: number;
  currency: string;
  formattedAmount: string;
  paymentMethod: string;
  maskedCard: string | null;
  status: SimulatorPaymentStatus;
  authentication: 'success' | 'failure' | null;
  returnUrl: string;
}

/** Key of the idempotency index: a retried request with the same key finds its payment. */
export function idempotencyIndexKey(gateway: string, accountId: string, idempotencyKey: string): string {
  return `${gateway}\u0000${accountId}\u0000${idempotencyKey}`;
}

/** Key of the reference index: gateway + our txn id, for a lookup by reference after a timeout. */
export function referenceIndexKey(gateway: string, txnId: string): string {
  return `${gateway}\u0000${txnId}`;
}

/** A new ledger entry for an authorize request, before any outcome (FAILED 96 until one applies). */
export function openPayment(gatewayTxnId: string, gateway: string, accountId: string, request: AuthorizeRequest, now: number): LedgerPayment {
  return {
    gatewayTxnId,
    gateway,
    accountId,
    merchantId: request.merchantId,
    txnId: request.txnId,
    idempotencyKey: request.idempotencyKey,
    amount: request.amount,
    currency: request.currency,
    paymentMethodType: request.paymentMethodType,
    paymentMethod: request.paymentMethod,
    captureMode: request.captureMode,
    context: {
      paymentMethodType: request.paymentMethodType,
      paymentMethod: request.paymentMethod,
      cardBrand: request.card?.brand ?? null,
      issuer: request.card?.issuer ?? request.bank ?? null,
    },
    maskedCard: request.card ? `${request.card.bin.slice(0, 6)}${'X'.repeat(Math.max(0, request.card.number.length - 10))}${request.card.last4}` : null,
    returnUrl: request.returnUrl,
    status: 'FAILED',
    code: '96',
    capturedAmount: 0,
    refundedAmount: 0,
    rrn: null,
    authIdCode: null,
    nextAction: null,
    createdAt: now,
    updatedAt: now,
    authentication: null,
    resolution: null,
    settleAt: null,
    refunds: new Map(),
  };
}

/** Sets the payment's status; a first authorisation gets its RRN and auth id from `sequence`. */
export function applyStatus(payment: LedgerPayment, status: SimulatorPaymentStatus, code: string, now: number, sequence: number): void {
  payment.status = status;
  payment.code = code;
  payment.updatedAt = now;
  if (status === 'CHARGED' && payment.capturedAmount === 0) payment.capturedAmount = payment.amount;
  if ((status === 'CHARGED' || status === 'AUTHORIZED') && payment.rrn === null) {
    payment.rrn = String(100000000000 + sequence * 7919).slice(-12);
    payment.authIdCode = payment.gatewayTxnId.slice(-6).toUpperCase();
  }
}

/** The ledger entry as the gateway's wire object. */
export function paymentView(payment: LedgerPayment): SimulatorPaymentResponse {
  return {
    object: 'payment',
    gateway_txn_id: payment.gatewayTxnId,
    merchant_reference: payment.txnId,
    status: payment.status,
    code: payment.code,
    message: simulatorMessage(payment.code),
    amount: payment.amount,
    currency: payment.currency,
    captured_amount: payment.capturedAmount,
    refunded_amount: payment.refundedAmount,
    payment_method_type: payment.paymentMethodType,
    payment_method: payment.paymentMethod,
    rrn: payment.rrn,
    auth_id_code: payment.authIdCode,
    next_action: payment.nextAction ? { ...payment.nextAction } : null,
    created_at: new Date(payment.createdAt).toISOString(),
    updated_at: new Date(payment.updatedAt).toISOString(),
  };
}

export function operationResponse(operation: 'capture' | 'void', gatewayTxnId: string, status: 'SUCCESS' | 'FAILED', code: string, amount: number): SimulatorOperationResponse {
  return { object: 'operation', operation, gateway_txn_id: gatewayTxnId, status, code, message: simulatorMessage(code), amount };
}

export function bankPageView(payment: LedgerPayment): BankPageView {
  return {
    gatewayTxnId: payment.gatewayTxnId,
    gateway: payment.gateway,
    merchantId: payment.merchantId,
    amount: payment.amount,
    currency: payment.currency,
    formattedAmount: formatMinorUnits(payment.amount, payment.currency),
    paymentMethod: payment.paymentMethod,
    maskedCard: payment.maskedCard,
    status: payment.status,
    authentication: payment.authentication,
    returnUrl: payment.returnUrl,
  };
}

/** The ledger entry, JSON-safe, as the store persists it. */
export function toLedgerEntry(payment: LedgerPayment): SimulatorLedgerEntry {
  const { refunds, context, nextAction, resolution, ...rest } = payment;
  return {
    ...rest,
    context: { ...context },
    nextAction: nextAction ? { ...nextAction } : null,
    resolution: resolution ? { ...resolution } : null,
    refunds: Object.fromEntries([...refunds].map(([key, refund]) => [key, { ...refund }])),
  };
}

export function fromLedgerEntry(entry: SimulatorLedgerEntry): LedgerPayment {
  return {
    ...entry,
    context: { ...entry.context },
    nextAction: entry.nextAction ? { ...entry.nextAction } : null,
    resolution: entry.resolution ? { ...entry.resolution } : null,
    refunds: new Map(Object.entries(entry.refunds ?? {})),
  };
}
