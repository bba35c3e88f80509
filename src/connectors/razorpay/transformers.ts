// Razorpay's wire format, both ways, without I/O (https://razorpay.com/docs/api/). JSON bodies,
// amounts in the currency's smallest sub-unit (paise for INR), HTTP Basic key_id:key_secret.
// - an Order first (POST /v1/orders: amount, currency, receipt = our txn reference, notes, and the
//   `payment` capture settings), then the S2S payment on it: POST /v1/payments/create/json for
//   cards, netbanking and wallets, POST /v1/payments/create/upi for UPI collect and intent;
// - answers: `{razorpay_payment_id, next: [{action, url}]}` (a `redirect` or `authenticate` action
//   sends the shopper to the bank page; no `next` means nothing is left to do: read the payment),
//   `{razorpay_payment_id, link}` for UPI intent, the payment entity (GET /v1/payments/{id},
//   captures), the refund entity, and `{error: {code, description, source, step, reason, metadata}}`.
// Shapes follow the official `razorpay` package's types (dist/types/*.d.ts) and the S2S guides
// (https://razorpay.com/docs/payments/payment-gateway/s2s-integration/json/v2/).
import { sha256Hex } from '../../core/crypto.ts';
import type { AuthorizeOutcome, CaptureOutcome, RawGatewayResponse, RefundOutcome } from '../../core/ports/connector.ts';
import { declinedFromRow } from '../kit/outcomes.ts';
import { razorpayFailure, razorpayRawCode } from './status-table.ts';

export type Json = Record<string, unknown>;

/** The payment entity (`Payments.RazorpayPayment` of the official package), the fields we read. */
export interface RazorpayPayment {
  id: string;
  entity: 'payment';
  amount: number;
  currency: string;
  status: 'created' | 'authorized' | 'captured' | 'refunded' | 'failed';
  order_id: string | null;
  method: string;
  captured: boolean;
  amount_refunded?: number;
  refund_status?: string | null;
  bank?: string | null;
  wallet?: string | null;
  vpa?: string | null;
  notes?: Json | unknown[];
  error_code?: string | null;
  error_description?: string | null;
  error_source?: string | null;
  error_step?: string | null;
  error_reason?: string | null;
  acquirer_data?: { rrn?: string | null; auth_code?: string | null; bank_transaction_id?: string | null; upi_transaction_id?: string | null; arn?: string | null } | null;
  created_at: number;
}

export interface RazorpayOrder {
  id: string;
  entity: 'order';
  amount: number;
  amount_paid: number;
  amount_due: number;
  currency: string;
  receipt: string | null;
  status: 'created' | 'attempted' | 'paid';
  attempts: number;
  notes: Json | unknown[];
  created_at: number;
}

export interface RazorpayRefund {
  id: string;
  entity: 'refund';
  amount: number;
  currency: string;
  payment_id: string;
  notes?: Json | unknown[];
  receipt?: string | null;
  acquirer_data?: { arn?: string | null } | null;
  status: 'pending' | 'processed' | 'failed';
  speed_requested?: 'normal' | 'optimum';
  speed_processed?: 'normal' | 'instant';
  created_at: number;
}

export interface RazorpayError {
  error: { code: string; description?: string; source?: string | null; step?: string | null; reason?: string | null; field?: string | null; metadata?: Json | null };
}

/** The answer of POST /v1/payments/create/json and /create/upi. */
export interface RazorpayCreated {
  razorpay_payment_id: string;
  next?: Array<{ action: string; url: string }>;
  link?: string;
}

// ---------- Answers -> outcomes ----------

/** A payment entity as stored in `raw.body`: Razorpay never echoes the card number, but the card's name goes too. */
function bodyOf(value: unknown): Json | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const copy: Json = { ...(value as Json) };
  if (copy.card && typeof copy.card === 'object') {
    const { number: _n, cvv: _c, name: _name, ...card } = copy.card as Json;
    copy.card = card;
  }
  return copy;
}

function raw(code: string, message: string, gatewayTxnId: string | null, body?: unknown, extra: Partial<RawGatewayResponse> = {}): RawGatewayResponse {
  const stored = bodyOf(body);
  return { code, message, gatewayTxnId, ...extra, ...(stored ? { body: stored } : {}) };
}

export function failed(rawCode: string, message: string | null | undefined, gatewayTxnId: string | null, body?: unknown): Extract<AuthorizeOutcome, { kind: 'FAILED' }> {
  const entry = razorpayFailure(rawCode);
  return declinedFromRow(raw(rawCode, message || entry.message, gatewayTxnId, body), entry);
}

/** A payment's state as our outcome. `refunded` without a capture is Razorpay's release of an authorisation nobody captured. */
export function outcomeOfPayment(payment: RazorpayPayment): AuthorizeOutcome {
  const extra = { rrn: payment.acquirer_data?.rrn ?? null, authIdCode: payment.acquirer_data?.auth_code ?? null };
  switch (payment.status) {
    case 'captured':
      return { kind: 'CHARGED', raw: raw('captured', 'Payment captured', payment.id, payment, extra) };
    case 'authorized':
      return { kind: 'AUTHORIZED', raw: raw('authorized', 'Payment authorised', payment.id, payment, extra) };
    case 'refunded':
      return payment.captured
        ? { kind: 'CHARGED', raw: raw('refunded', 'Payment captured, then refunded', payment.id, payment, extra) }
        : { kind: 'VOIDED', raw: raw('refunded', 'The authorisation was not captured: Razorpay released (refunded) it', payment.id, payment) };
    case 'created':
      return { kind: 'PENDING', raw: raw('created', 'Payment created: waiting for the shopper or the bank', payment.id, payment) };
    case 'failed':
      return failed(razorpayRawCode(payment.error_code, payment.error_reason), payment.error_description, payment.id, payment);
    default:
      return { kind: 'UNKNOWN', raw: raw(`status_${String(payment.status)}`, 'Razorpay answered a payment status we do not know', payment.id, payment) };
  }
}

export function errorOf(body: unknown): RazorpayError['error'] | null {
  const error = (body as { error?: unknown } | undefined)?.error;
  return error && typeof error === 'object' && typeof (error as { code?: unknown }).code === 'string' ? (error as RazorpayError['error']) : null;
}

/** The payment an error names (`metadata.payment_id`), when Razorpay created one before refusing it. */
export function paymentIdOfError(body: unknown): string | null {
  const id = errorOf(body)?.metadata?.payment_id;
  return typeof id === 'string' && id.startsWith('pay_') ? id : null;
}

/** An error answer as FAILED (HTTP 401: the keys; anything else: by its code and reason). */
export function failedFromError(status: number, body: unknown, gatewayTxnId: string | null = null): Extract<AuthorizeOutcome, { kind: 'FAILED' }> {
  const error = errorOf(body);
  if (status === 401) return failed('authentication_error', error?.description ?? 'Razorpay refused the API keys', gatewayTxnId, body);
  const code = error ? razorpayRawCode(error.code, error.reason) : status >= 500 ? 'SERVER_ERROR' : 'BAD_REQUEST_ERROR';
  return failed(code, error?.description ?? `Razorpay answered HTTP ${status}`, gatewayTxnId ?? paymentIdOfError(body), body);
}

export type CreatedAnswer = { kind: 'redirect'; paymentId: string; url: string } | { kind: 'intent'; paymentId: string; uri: string } | { kind: 'poll'; paymentId: string };

/** What POST /create/json or /create/upi asks us to do next. */
export function readCreated(body: unknown): CreatedAnswer | null {
  const created = body as Partial<RazorpayCreated> | undefined;
  if (!created || typeof created.razorpay_payment_id !== 'string') return null;
  const paymentId = created.razorpay_payment_id;
  const next = Array.isArray(created.next) ? created.next.filter((n) => n && typeof n.action === 'string' && typeof n.url === 'string') : [];
  const intent = typeof created.link === 'string' ? created.link : next.find((n) => n.action === 'intent')?.url;
  if (intent) return { kind: 'intent', paymentId, uri: intent };
  const redirect = next.find((n) => n.action === 'redirect' || n.action === 'authenticate');
  if (redirect) return { kind: 'redirect', paymentId, url: redirect.url };
  return { kind: 'poll', paymentId };
}

export function pendingAuthentication(paymentId: string, url: string, body: unknown): AuthorizeOutcome {
  return { kind: 'PENDING_AUTHENTICATION', raw: raw('created', 'The shopper must authenticate at the bank page', paymentId, body), authentication: { method: 'GET', url } };
}

/** UPI intent: the shopper's UPI app opens the upi://pay link; Razorpay settles the payment later. */
export function pendingIntent(paymentId: string, uri: string, body: unknown): AuthorizeOutcome {
  return { kind: 'PENDING', raw: raw('created', 'UPI intent: waiting for the shopper to pay in a UPI app', paymentId, body), sdkParams: { intent_uri: uri } };
}

export function pendingCollect(paymentId: string, body: unknown): AuthorizeOutcome {
  return { kind: 'PENDING', raw: raw('created', 'UPI collect: waiting for the shopper to approve the request in the UPI app', paymentId, body) };
}

export function isPayment(value: unknown): value is RazorpayPayment {
  const v = value as Partial<RazorpayPayment> | null;
  return typeof v === 'object' && v !== null && v.entity === 'payment' && typeof v.id === 'string' && v.id.startsWith('pay_') && typeof v.status === 'string';
}

export function isOrder(value: unknown): value is RazorpayOrder {
  const v = value as Partial<RazorpayOrder> | null;
  return typeof v === 'object' && v !== null && v.entity === 'order' && typeof v.id === 'string' && v.id.startsWith('order_');
}

export function isRefund(value: unknown): value is RazorpayRefund {
  const v = value as Partial<RazorpayRefund> | null;
  return typeof v === 'object' && v !== null && v.entity === 'refund' && typeof v.id === 'string' && typeof v.payment_id === 'string' && typeof v.status === 'string';
}

/** `{entity: 'collection', count, items}` of GET /v1/orders and /v1/orders/{id}/payments. */
export function itemsOf(body: unknown): unknown[] | null {
  const items = (body as { items?: unknown } | undefined)?.items;
  return Array.isArray(items) ? items : null;
}

/** The payment that speaks for an order: a captured or authorised one, else the newest. */
export function decisivePayment(payments: RazorpayPayment[]): RazorpayPayment | null {
  if (payments.length === 0) return null;
  const ranked = [...payments].sort((a, b) => b.created_at - a.created_at);
  return ranked.find((p) => p.status === 'captured' || p.status === 'refunded') ?? ranked.find((p) => p.status === 'authorized') ?? ranked[0]!;
}

/** POST /v1/payments/{id}/capture answers the captured payment. */
export function outcomeOfCapture(status: number, body: unknown, paymentId: string): CaptureOutcome {
  if (status === 200 && isPayment(body) && body.status === 'captured') return { kind: 'SUCCESS', raw: raw('captured', 'Payment captured', paymentId, body) };
  const outcome = failedFromError(status, body, paymentId);
  return { kind: 'FAILURE', raw: outcome.raw, unified: outcome.unified };
}

/** A refund entity: processed = done (the ARN follows in acquirer_data), pending = settled by refund.processed/refund.failed. */
export function outcomeOfRefundEntity(refund: RazorpayRefund): RefundOutcome {
  const message = `Refund ${refund.status}${refund.speed_processed ? ` (${refund.speed_processed})` : ''}`;
  const base = raw(refund.status, message, refund.payment_id, refund);
  if (refund.status === 'processed') return { kind: 'SUCCESS', raw: base, arn: refund.acquirer_data?.arn ?? null, gatewayRefundId: refund.id };
  if (refund.status === 'failed') {
    const entry = razorpayFailure('BAD_REQUEST_ERROR');
    return {
      kind: 'FAILURE',
      raw: base,
      unified: { code: 'INVALID_STATE', message: 'Razorpay could not process the refund', category: entry.category ?? 'BUSINESS_ERROR' },
      gatewayRefundId: refund.id,
    };
  }
  return { kind: 'PENDING', raw: base, gatewayRefundId: refund.id };
}

export function outcomeOfRefund(status: number, body: unknown, paymentId: string): RefundOutcome {
  if (status === 200 && isRefund(body)) return outcomeOfRefundEntity(body);
  if (status >= 500 || status === 409)
    return { kind: 'PENDING', raw: raw(`HTTP_${status}`, 'Razorpay did not settle the refund request: retried with the same X-Refund-Idempotency key', paymentId, body) };
  const outcome = failedFromError(status, body, paymentId);
  return { kind: 'FAILURE', raw: outcome.raw, unified: outcome.unified };
}

/** X-Refund-Idempotency: at least 10 characters of letters, digits, hyphens and underscores. */
export function refundIdempotencyKey(key: string): string {
  return /^[A-Za-z0-9_-]{10,}$/.test(key) ? key : `rk_${sha256Hex(key).slice(0, 40)}`;
}
