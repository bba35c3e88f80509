// Checkout.com's Payments API (the "NAS" platform), both ways, without I/O
// (https://api-reference.checkout.com/#tag/Payments). JSON bodies, amounts in minor units.
import type { AuthorizeOutcome, AuthorizeRequest, CaptureOutcome, RefundOutcome } from '../../core/ports/connector.ts';
import { declinedFromRow, rawAnswer } from '../kit/outcomes.ts';
import { unifiedError } from '../unified-errors.ts';
import { checkoutFailure, CHECKOUT_STATUS_TABLE } from './status-table.ts';

export type CheckoutBody = Record<string, unknown>;

/** A payment as POST /payments (PaymentResponse) and GET /payments/{id} (PaymentDetails) give it. */
export interface CheckoutPayment {
  id: string;
  action_id?: string;
  amount?: number;
  currency?: string;
  approved?: boolean;
  status: string;
  response_code?: string;
  response_summary?: string;
  reference?: string;
  metadata?: Record<string, unknown>;
  _links?: { self?: { href: string }; redirect?: { href: string } };
}

export interface CheckoutError {
  request_id?: string;
  error_type?: string;
  error_codes?: string[];
}

export interface CheckoutCredentials {
  processingChannelId: string | null;
  rawCardDataEnabled: boolean;
}

/** POST /payments, or why nothing may be sent. */
export function buildPaymentRequest(request: AuthorizeRequest, credentials: CheckoutCredentials): { body: CheckoutBody } | { refused: string } {
  let source: CheckoutBody;
  if (request.gatewayToken) {
    if (!/^tok_[a-z0-9]{10,}$/i.test(request.gatewayToken)) return { refused: 'gateway_token for Checkout.com must be a card token from Frames or Flow (tok_...)' };
    source = { type: 'token', token: request.gatewayToken };
  } else if (request.card) {
    if (!credentials.rawCardDataEnabled) {
      return {
        refused: 'This Checkout.com account is not enabled for full card details (SAQ D): send a Checkout.com card token (tok_...) from Frames or Flow as gateway_token, or set raw_card_data_enabled',
      };
    }
    const card = request.card;
    source = {
      type: 'card',
      number: card.number,
      expiry_month: Number(card.expMonth),
      expiry_year: Number(card.expYear.length === 2 ? `20${card.expYear}` : card.expYear),
      ...(card.cvv ? { cvv: card.cvv } : {}),
      ...(card.holderName ? { name: card.holderName } : {}),
    };
  } else {
    return { refused: 'Checkout.com takes cards only here: the request has no card and no card token' };
  }
  const threeDs = request.authType === 'THREE_DS' || request.authType === 'THREE_DS_2';
  return {
    body: {
      source,
      amount: request.amount,
      currency: request.currency,
      reference: request.txnId.slice(0, 50),
      capture: request.captureMode !== 'MANUAL',
      '3ds': { enabled: threeDs },
      success_url: request.returnUrl,
      failure_url: request.returnUrl,
      ...(credentials.processingChannelId ? { processing_channel_id: credentials.processingChannelId } : {}),
      ...(request.customerEmail ? { customer: { email: request.customerEmail } } : {}),
      metadata: { txn_id: request.txnId, txn_uuid: request.txnUuid, order_id: request.orderId, capture_mode: request.captureMode },
    },
  };
}

function declined(code: string, message: string | undefined, id: string | null, body: unknown): Extract<AuthorizeOutcome, { kind: 'FAILED' }> {
  const entry = checkoutFailure(code);
  return declinedFromRow(rawAnswer(code, message ?? entry.message, id, body), entry);
}

/**
 * A payment's state as our outcome. An Authorized payment asked with capture=true is CHARGED:
 * Checkout.com captures it itself (its GET shows Captured a moment later). When the mode is not
 * known, AUTHORIZED: the payment core charges an automatically captured attempt.
 */
export function outcomeOfPayment(payment: CheckoutPayment, capture: 'AUTO' | 'MANUAL' | 'UNKNOWN' = 'UNKNOWN'): AuthorizeOutcome {
  const code = payment.response_code ?? payment.status;
  const raw = (message: string) => rawAnswer(code, message, payment.id, payment);
  // How the payment was asked for: from the request, or from the metadata we gave it (GET shows it).
  const mode = capture !== 'UNKNOWN' ? capture : payment.metadata?.capture_mode === 'MANUAL' ? 'MANUAL' : payment.metadata?.capture_mode === 'AUTO' ? 'AUTO' : 'UNKNOWN';
  const automatic = mode === 'AUTO';
  switch (payment.status) {
    case 'Authorized':
      if (payment.approved === false) return declined(payment.response_code ?? '20046', payment.response_summary, payment.id, payment);
      return { kind: automatic ? 'CHARGED' : 'AUTHORIZED', raw: raw(payment.response_summary ?? 'Authorized') };
    case 'Card Verified':
      return { kind: 'AUTHORIZED', raw: raw('Card verified') };
    case 'Captured':
    case 'Partially Captured':
    case 'Paid':
    case 'Refunded':
    case 'Partially Refunded':
      return { kind: 'CHARGED', raw: raw(payment.status) };
    case 'Voided':
    case 'Canceled':
    case 'Expired':
      return { kind: 'VOIDED', raw: raw(payment.status) };
    case 'Declined':
      return declined(payment.response_code ?? '20046', payment.response_summary, payment.id, payment);
    case 'Pending': {
      const redirect = payment._links?.redirect?.href;
      if (redirect) return { kind: 'PENDING_AUTHENTICATION', raw: raw('The shopper must authenticate (3-D Secure)'), authentication: { method: 'GET', url: redirect } };
      return { kind: 'PENDING', raw: raw('Pending at Checkout.com') };
    }
    default:
      return { kind: 'UNKNOWN', raw: raw(`Checkout.com answered status ${payment.status}`) };
  }
}

/** An HTTP error of Checkout.com as a raw code of the status table. */
export function errorCode(status: number, body: unknown): string {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'action_not_allowed';
  if (status === 404) return 'payment_not_found';
  const error = body as CheckoutError | undefined;
  return error?.error_type && CHECKOUT_STATUS_TABLE[error.error_type] ? error.error_type : 'request_invalid';
}

function errorMessage(body: unknown): string | undefined {
  const error = body as CheckoutError | undefined;
  return error?.error_codes?.length ? `Checkout.com refused the request: ${error.error_codes.join(', ')}` : undefined;
}

export function outcomeOfPaymentAnswer(status: number, body: unknown, capture: 'AUTO' | 'MANUAL' | 'UNKNOWN' = 'UNKNOWN'): AuthorizeOutcome {
  if ((status === 200 || status === 201 || status === 202) && isPayment(body)) return outcomeOfPayment(body, capture);
  if (status >= 500) return { kind: 'UNKNOWN', raw: rawAnswer(`HTTP_${status}`, 'Checkout.com answered with a server error: the outcome is unknown', null, body) };
  if (status >= 400) return declined(errorCode(status, body), errorMessage(body), null, body);
  return { kind: 'UNKNOWN', raw: rawAnswer(`HTTP_${status}`, 'Checkout.com answered something that is not a payment or an error', null, null) };
}

/** Captures and voids answer 202 Accepted with an action_id: settled later by webhook or by GET. */
export function outcomeOfAction(status: number, body: unknown, paymentId: string): CaptureOutcome {
  if (status === 202 && typeof (body as { action_id?: unknown } | undefined)?.action_id === 'string') {
    return { kind: 'PENDING', raw: rawAnswer('accepted', 'Checkout.com accepted the request: the result comes by webhook', paymentId, body) };
  }
  if (status >= 500) return { kind: 'FAILURE', raw: rawAnswer(`HTTP_${status}`, 'Checkout.com answered with a server error', paymentId, body), unified: unifiedError('TIMEOUT_UNKNOWN') };
  const outcome = declined(errorCode(status, body), errorMessage(body), paymentId, body);
  return { kind: 'FAILURE', raw: outcome.raw, unified: outcome.unified };
}

export function outcomeOfRefund(status: number, body: unknown, paymentId: string): RefundOutcome {
  const actionId = (body as { action_id?: unknown } | undefined)?.action_id;
  if (status === 202 && typeof actionId === 'string') {
    return { kind: 'PENDING', raw: rawAnswer('accepted', 'Checkout.com accepted the refund: the result comes by webhook', paymentId, body), gatewayRefundId: actionId };
  }
  if (status >= 500) return { kind: 'PENDING', raw: rawAnswer(`HTTP_${status}`, 'Checkout.com answered with a server error', paymentId, body) };
  const outcome = declined(errorCode(status, body), errorMessage(body), paymentId, body);
  return { kind: 'FAILURE', raw: outcome.raw, unified: outcome.unified };
}

export function isPayment(value: unknown): value is CheckoutPayment {
  const v = value as Partial<CheckoutPayment> | null;
  return typeof v === 'object' && v !== null && typeof v.id === 'string' && v.id.startsWith('pay_') && typeof v.status === 'string';
}
