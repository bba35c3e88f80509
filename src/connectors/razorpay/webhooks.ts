// Razorpay signatures, both kinds, and webhook events.
// - Webhooks: `X-Razorpay-Signature` is the hex HMAC-SHA256 of the raw body keyed with the webhook's
//   secret (the one set on the Dashboard); `X-Razorpay-Event-Id` names the event for deduplication
//   (https://razorpay.com/docs/webhooks/validate-test/ ; the official package's
//   validateWebhookSignature computes the same: node_modules/razorpay/dist/utils/razorpay-utils.js).
// - Checkout callback (the shopper's return from the bank page): `razorpay_signature` is the hex
//   HMAC-SHA256 of `<order_id>|<razorpay_payment_id>` keyed with the key secret, where the order id is
//   ours, never the one the browser brought (same file, validatePaymentVerification).
// Events (https://razorpay.com/docs/webhooks/payments/): `{entity: 'event', event, contains,
// payload: {payment: {entity}, order?: {entity}, refund?: {entity}}, created_at}`.
import { constantTimeEqual, hmacSha256 } from '../../core/crypto.ts';
import { ConnectorError, type IncomingHttpRequest, type IncomingWebhook } from '../../core/ports/connector.ts';
import { isPayment, isRefund, outcomeOfPayment, outcomeOfRefundEntity, type RazorpayPayment } from './transformers.ts';

export const RAZORPAY_SIGNATURE_HEADER = 'x-razorpay-signature';
export const RAZORPAY_EVENT_ID_HEADER = 'x-razorpay-event-id';

function header(request: IncomingHttpRequest, name: string): string | undefined {
  const value = request.headers[name] ?? Object.entries(request.headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : value;
}

export function signRazorpayBody(rawBody: string, secret: string): string {
  return hmacSha256(secret, rawBody, 'hex');
}

/** Throws ConnectorError('SIGNATURE') unless the body was signed with this secret. */
export function verifyRazorpaySignature(request: IncomingHttpRequest, secret: string): void {
  const given = header(request, RAZORPAY_SIGNATURE_HEADER);
  if (!given) throw new ConnectorError('X-Razorpay-Signature header is missing', 'RAZORPAY', 'SIGNATURE');
  if (!constantTimeEqual(given.trim().toLowerCase(), signRazorpayBody(request.rawBody, secret))) throw new ConnectorError('Razorpay webhook signature does not match', 'RAZORPAY', 'SIGNATURE');
}

export function callbackSignature(orderId: string, paymentId: string, keySecret: string): string {
  return hmacSha256(keySecret, `${orderId}|${paymentId}`, 'hex');
}

/** The checkout callback's signature over our order id and the payment id it names (constant time). */
export function callbackSignatureValid(orderId: string, paymentId: string, signature: string, keySecret: string): boolean {
  return constantTimeEqual(signature.trim().toLowerCase(), callbackSignature(orderId, paymentId, keySecret));
}

interface RazorpayEvent {
  entity: 'event';
  event: string;
  payload: { payment?: { entity?: unknown }; refund?: { entity?: unknown }; order?: { entity?: unknown } };
}

function isEvent(value: unknown): value is RazorpayEvent {
  const v = value as Partial<RazorpayEvent> | null;
  return typeof v === 'object' && v !== null && v.entity === 'event' && typeof v.event === 'string' && typeof v.payload === 'object' && v.payload !== null;
}

function noteOf(notes: unknown, key: string): string | null {
  if (!notes || typeof notes !== 'object' || Array.isArray(notes)) return null;
  const value = (notes as Record<string, unknown>)[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A verified event as facts about one payment or refund. */
export function parseRazorpayEvent(rawBody: string, eventId: string | undefined): IncomingWebhook {
  let event: unknown;
  try {
    event = JSON.parse(rawBody);
  } catch {
    throw new ConnectorError('Razorpay webhook body is not JSON', 'RAZORPAY', 'PROTOCOL');
  }
  if (!isEvent(event)) throw new ConnectorError('Razorpay webhook body is not an event', 'RAZORPAY', 'PROTOCOL');
  const payment = event.payload.payment?.entity;
  const ids = eventId ? { eventId } : {};
  if (event.event.startsWith('refund.')) {
    const refund = event.payload.refund?.entity;
    if (!isRefund(refund)) return { kind: 'IGNORED', reason: `${event.event} without a refund entity` };
    // Razorpay refunds an authorisation nobody captured when its capture window ends: that is the
    // release of the authorisation (our void), not a refund we asked for. [inference: the docs say
    // uncaptured payments are auto-refunded; that the refund events carry `captured: false` is ours]
    if (isPayment(payment) && payment.captured === false) {
      if (refund.status !== 'processed') return { kind: 'IGNORED', reason: `${event.event}: release of an uncaptured authorisation not processed yet` };
      return { kind: 'PAYMENT', gatewayTxnId: payment.id, outcome: outcomeOfPayment({ ...payment, status: 'refunded' } as RazorpayPayment), ...ids };
    }
    const refundId = noteOf(refund.notes, 'refund_id') ?? refund.receipt ?? null;
    if (!refundId) return { kind: 'IGNORED', reason: 'refund made outside Junction' };
    return { kind: 'REFUND', gatewayRefundId: refund.id, refundId, outcome: outcomeOfRefundEntity(refund), ...ids };
  }
  if (event.event.startsWith('payment.') || event.event === 'order.paid') {
    if (!isPayment(payment)) return { kind: 'IGNORED', reason: `${event.event} without a payment entity` };
    // payment.authorized carries the payment as it was when authorised (it may be captured since):
    // AUTHORIZED, which the payment core charges for an automatically captured attempt.
    // Our txn id travels in the payment's notes: it finds an attempt whose answer never reached us.
    const reference = noteOf(payment.notes, 'txn_id');
    return { kind: 'PAYMENT', gatewayTxnId: payment.id, outcome: outcomeOfPayment(payment), ...ids, ...(reference ? { merchantReference: reference } : {}) };
  }
  return { kind: 'IGNORED', reason: `event ${event.event} is not used` };
}

export function eventIdOf(request: IncomingHttpRequest): string | undefined {
  const id = header(request, RAZORPAY_EVENT_ID_HEADER);
  return id && id.length <= 200 ? id : undefined;
}
