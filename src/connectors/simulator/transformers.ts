// The simulated gateway's wire format (what its API and webhooks carry), its raw response codes,
// and the pure mapping from wire to domain outcomes. The status table is plain data so a later
// change can make it operator-editable: every mapping function takes the table as a parameter.
import { luhnValid as luhnChecksumValid } from '../../core/cards.ts';
import { formatAmountString } from '../../core/money.ts';
import type { AuthorizeOutcome, CaptureOutcome, FailureClass, RawGatewayResponse, RefundOutcome, UnifiedError } from '../../core/ports/connector.ts';
import type { UnifiedFailureCategory } from '../../core/ports/connector.ts';
import { UNIFIED_ERRORS, type UnifiedErrorCode } from '../unified-errors.ts';

// ---------------------------------------------------------------------------------------------
// Wire format

export type SimulatorPaymentStatus = 'REQUIRES_AUTHENTICATION' | 'PENDING' | 'AUTHORIZED' | 'CHARGED' | 'FAILED' | 'VOIDED';

export type SimulatorNextAction = { type: 'REDIRECT'; method: 'GET'; path: string } | { type: 'UPI_INTENT'; intent_uri: string };

/** The simulated gateway's payment object, as its API and its webhooks carry it. */
export interface SimulatorPaymentResponse {
  object: 'payment';
  gateway_txn_id: string;
  merchant_reference: string;
  status: SimulatorPaymentStatus;
  code: string;
  message: string;
  amount: number;
  currency: string;
  captured_amount: number;
  refunded_amount: number;
  payment_method_type: string;
  payment_method: string;
  rrn: string | null;
  auth_id_code: string | null;
  next_action: SimulatorNextAction | null;
  created_at: string;
  updated_at: string;
}

export interface SimulatorRefundResponse {
  object: 'refund';
  gateway_refund_id: string;
  gateway_txn_id: string;
  refund_reference: string;
  status: 'SUCCESS' | 'FAILED';
  code: string;
  message: string;
  amount: number;
  currency: string;
  arn: string | null;
  created_at: string;
}

export interface SimulatorOperationResponse {
  object: 'operation';
  operation: 'capture' | 'void';
  gateway_txn_id: string;
  status: 'SUCCESS' | 'FAILED';
  code: string;
  message: string;
  amount: number;
}

/** The body of a webhook the simulated gateway sends (signed: `x-simulator-signature`). */
export type SimulatorWebhookPayload =
  | { event_id: string; event_type: 'payment.updated'; created_at: string; account_id: string; merchant_id: string; data: SimulatorPaymentResponse }
  | { event_id: string; event_type: 'refund.updated'; created_at: string; account_id: string; merchant_id: string; data: SimulatorRefundResponse };

/** What a call to the simulated gateway produced: an answer, or nothing before the caller gave up. */
export type SimulatorReply<T> = { timedOut: false; latencyMs: number; body: T } | { timedOut: true; latencyMs: number; body: null };

// ---------------------------------------------------------------------------------------------
// Raw codes and the status table

export type SimulatorOutcomeKind = 'SUCCESS' | 'PENDING' | 'FAILURE' | 'UNKNOWN';

export interface SimulatorStatusEntry {
  message: string;
  outcome: SimulatorOutcomeKind;
  unifiedCode: UnifiedErrorCode | null;
  unifiedMessage: string | null;
  category: UnifiedFailureCategory | null;
  failureClass: FailureClass | null;
  /** May the orchestrator try the next gateway after this answer? */
  retryable: boolean;
  /** Does this answer lower the gateway's health score (false for user and issuer decisions)? */
  countsAgainstGateway: boolean;
}

function ok(message: string, outcome: 'SUCCESS' | 'PENDING'): SimulatorStatusEntry {
  const unified = outcome === 'PENDING' ? 'TRANSACTION_PENDING' : null;
  return {
    message,
    outcome,
    unifiedCode: unified,
    unifiedMessage: unified ? UNIFIED_ERRORS[unified].message : null,
    category: unified ? UNIFIED_ERRORS[unified].category : null,
    failureClass: null,
    retryable: false,
    countsAgainstGateway: false,
  };
}

function fail(
  message: string,
  unifiedCode: UnifiedErrorCode,
  failureClass: FailureClass | null,
  retryable: boolean,
  countsAgainstGateway: boolean,
  outcome: 'FAILURE' | 'UNKNOWN' = 'FAILURE',
): SimulatorStatusEntry {
  const unified = UNIFIED_ERRORS[unifiedCode];
  return { message, outcome, unifiedCode, unifiedMessage: unified.message, category: unified.category, failureClass, retryable, countsAgainstGateway };
}

export const SIMULATOR_STATUS_TABLE: Readonly<Record<string, SimulatorStatusEntry>> = {
  '00': ok('Approved', 'SUCCESS'),
  '09': ok('Request in progress', 'PENDING'),
  AUTH_REQUIRED: ok('Authentication required', 'PENDING'),
  '51': fail('Insufficient funds', 'INSUFFICIENT_FUNDS', 'HARD_DECLINE', false, false),
  '61': fail('Exceeds withdrawal limit', 'LIMIT_EXCEEDED', 'HARD_DECLINE', false, false),
  '62': fail('Restricted card', 'RESTRICTED_CARD', 'HARD_DECLINE', false, false),
  '43': fail('Stolen card, pick up', 'LOST_OR_STOLEN_CARD', 'HARD_DECLINE', false, false),
  '54': fail('Expired card', 'CARD_EXPIRED', 'HARD_DECLINE', false, false),
  '14': fail('Invalid card number', 'INVALID_CARD_NUMBER', 'HARD_DECLINE', false, false),
  N7: fail('CVV mismatch', 'CVV_MISMATCH', 'HARD_DECLINE', false, false),
  '05': fail('Do not honour', 'DO_NOT_HONOUR', 'SOFT_DECLINE', true, true),
  '91': fail('Issuer unavailable', 'ISSUER_UNAVAILABLE', 'SOFT_DECLINE', true, true),
  '96': fail('System malfunction', 'GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', true, true),
  GW_DOWN: fail('Gateway unavailable', 'GATEWAY_DOWN', 'GATEWAY_DOWN', true, true),
  AUTH_FAILED: fail('3DS authentication failed', 'AUTHENTICATION_FAILED', 'AUTHENTICATION_FAILED', false, false),
  U69: fail('Collect request expired', 'USER_DROPPED', 'HARD_DECLINE', false, false),
  '12': fail('Invalid transaction', 'INVALID_STATE', 'VALIDATION_ERROR', false, false),
  '13': fail('Invalid amount', 'INVALID_AMOUNT', 'VALIDATION_ERROR', false, false),
  '30': fail('Format error', 'INVALID_REQUEST', 'VALIDATION_ERROR', false, false),
  '25': fail('Unable to locate record', 'TRANSACTION_NOT_FOUND', 'VALIDATION_ERROR', false, false),
  // No FailureClass: a timeout is not a failure, it is an unknown outcome (never retried elsewhere).
  TIMEOUT: fail('Gateway timeout', 'TIMEOUT_UNKNOWN', null, false, true, 'UNKNOWN'),
};

/** Raw codes the simulator draws from when a payment fails for the given reason. */
export const SIMULATOR_DRAWN_FAILURE_CODES = {
  HARD_DECLINE: ['51', '51', '51', '61', '62', '43'],
  SOFT_DECLINE: ['05', '05', '91'],
  TECHNICAL_ERROR: ['96'],
} as const satisfies Record<string, readonly string[]>;

const UNRECOGNISED: SimulatorStatusEntry = fail('Unrecognised gateway code', 'UNKNOWN_ERROR', 'TECHNICAL_ERROR', false, true);

export function lookupSimulatorStatus(code: string, table: Readonly<Record<string, SimulatorStatusEntry>> = SIMULATOR_STATUS_TABLE): SimulatorStatusEntry {
  return Object.hasOwn(table, code) ? table[code] : UNRECOGNISED;
}

export function simulatorMessage(code: string, table: Readonly<Record<string, SimulatorStatusEntry>> = SIMULATOR_STATUS_TABLE): string {
  return lookupSimulatorStatus(code, table).message;
}

function unifiedOf(entry: SimulatorStatusEntry): UnifiedError {
  if (entry.unifiedCode && entry.unifiedMessage && entry.category) {
    return { code: entry.unifiedCode, message: entry.unifiedMessage, category: entry.category };
  }
  return { code: 'UNKNOWN_ERROR', message: UNIFIED_ERRORS.UNKNOWN_ERROR.message, category: UNIFIED_ERRORS.UNKNOWN_ERROR.category };
}

// ---------------------------------------------------------------------------------------------
// Wire -> domain

export function rawOfPayment(payment: SimulatorPaymentResponse): RawGatewayResponse {
  return {
    code: payment.code,
    message: payment.message,
    gatewayTxnId: payment.gateway_txn_id,
    rrn: payment.rrn,
    authIdCode: payment.auth_id_code,
    body: { ...payment },
  };
}

export function timeoutRaw(gatewayTxnId: string | null): RawGatewayResponse {
  return { code: 'TIMEOUT', message: simulatorMessage('TIMEOUT'), gatewayTxnId };
}

export function toAuthorizeOutcome(payment: SimulatorPaymentResponse, publicBaseUrl: string, table: Readonly<Record<string, SimulatorStatusEntry>> = SIMULATOR_STATUS_TABLE): AuthorizeOutcome {
  const raw = rawOfPayment(payment);
  switch (payment.status) {
    case 'CHARGED':
      return { kind: 'CHARGED', raw };
    case 'AUTHORIZED':
      return { kind: 'AUTHORIZED', raw };
    // The interface has no VOIDED outcome: a voided payment was authorised and is no longer
    // pending; the raw code says it was voided.
    case 'VOIDED':
      return { kind: 'AUTHORIZED', raw };
    case 'REQUIRES_AUTHENTICATION': {
      const action = payment.next_action;
      const path = action && action.type === 'REDIRECT' ? action.path : `/simulator/bank/${encodeURIComponent(payment.gateway_txn_id)}`;
      return { kind: 'PENDING_AUTHENTICATION', raw, authentication: { method: 'GET', url: `${publicBaseUrl.replace(/\/+$/, '')}${path}` } };
    }
    case 'PENDING': {
      const action = payment.next_action;
      if (action && action.type === 'UPI_INTENT') return { kind: 'PENDING', raw, sdkParams: { intent_uri: action.intent_uri } };
      return { kind: 'PENDING', raw };
    }
    case 'FAILED': {
      const entry = lookupSimulatorStatus(payment.code, table);
      if (entry.outcome === 'UNKNOWN') return { kind: 'UNKNOWN', raw };
      return { kind: 'FAILED', raw, failure: entry.failureClass ?? 'TECHNICAL_ERROR', unified: unifiedOf(entry) };
    }
  }
}

export function toRefundOutcome(refund: SimulatorRefundResponse, table: Readonly<Record<string, SimulatorStatusEntry>> = SIMULATOR_STATUS_TABLE): RefundOutcome {
  const raw: RawGatewayResponse = { code: refund.code, message: refund.message, gatewayTxnId: refund.gateway_txn_id, body: { ...refund } };
  if (refund.status === 'SUCCESS') return { kind: 'SUCCESS', raw, arn: refund.arn, gatewayRefundId: refund.gateway_refund_id };
  return { kind: 'FAILURE', raw, unified: unifiedOf(lookupSimulatorStatus(refund.code, table)), gatewayRefundId: refund.gateway_refund_id };
}

export function toCaptureOutcome(operation: SimulatorOperationResponse, table: Readonly<Record<string, SimulatorStatusEntry>> = SIMULATOR_STATUS_TABLE): CaptureOutcome {
  const raw: RawGatewayResponse = { code: operation.code, message: operation.message, gatewayTxnId: operation.gateway_txn_id, body: { ...operation } };
  if (operation.status === 'SUCCESS') return { kind: 'SUCCESS', raw };
  return { kind: 'FAILURE', raw, unified: unifiedOf(lookupSimulatorStatus(operation.code, table)) };
}

// ---------------------------------------------------------------------------------------------
// Small pure helpers the gateway side uses

/** Luhn check of a card number (digits only, 12 to 19 of them). */
export function luhnValid(cardNumber: string): boolean {
  return /^\d{12,19}$/.test(cardNumber) && luhnChecksumValid(cardNumber);
}

/** True when the card's expiry month is over (a card is valid through the end of its month). */
export function cardExpired(expMonth: string, expYear: string, nowMs: number): boolean {
  const month = Number.parseInt(expMonth, 10);
  let year = Number.parseInt(expYear, 10);
  if (!Number.isInteger(month) || !Number.isInteger(year) || month < 1 || month > 12) return true;
  if (year < 100) year += 2000;
  const now = new Date(nowMs);
  const nowYear = now.getUTCFullYear();
  const nowMonth = now.getUTCMonth() + 1;
  return year < nowYear || (year === nowYear && month < nowMonth);
}

/** Minor units to a decimal string with the currency's ISO 4217 decimals (core/currencies.ts). */
export function formatMinorUnits(amount: number, currency: string): string {
  return formatAmountString(amount, currency.toUpperCase());
}
