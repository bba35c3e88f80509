// Stripe webhooks: the Stripe-Signature header is `t=<unix seconds>,v1=<hex HMAC-SHA256>` where
// the HMAC is keyed by the endpoint's signing secret (whsec_...) over `${t}.${rawBody}`; several
// v1 entries may be present while a secret rolls. Events older than the tolerance (300 s, Stripe's
// default) are refused against replay. https://docs.stripe.com/webhooks#verify-manually
import { constantTimeEqual, hmacSha256 } from '../../core/crypto.ts';
import { ConnectorError, type IncomingHttpRequest, type IncomingWebhook } from '../../core/ports/connector.ts';
import { isPaymentIntent, isRefund, outcomeOfPaymentIntent, outcomeOfRefund } from './transformers.ts';

export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';
export const STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300;

export function signStripePayload(rawBody: string, secret: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmacSha256(secret, `${timestampSeconds}.${rawBody}`, 'hex')}`;
}

/** Throws ConnectorError('SIGNATURE') unless one v1 signature matches and the timestamp is fresh. */
export function verifyStripeSignature(request: IncomingHttpRequest, secret: string, nowSeconds: number): void {
  const header = request.headers[STRIPE_SIGNATURE_HEADER];
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) throw new ConnectorError('Stripe-Signature header is missing', 'STRIPE', 'SIGNATURE');
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const [key, ...rest] = part.trim().split('=');
    const item = rest.join('=');
    if (key === 't' && /^\d+$/.test(item)) timestamp = Number(item);
    if (key === 'v1') signatures.push(item.toLowerCase());
  }
  if (timestamp === null || signatures.length === 0) throw new ConnectorError('Stripe-Signature header has no timestamp or no v1 signature', 'STRIPE', 'SIGNATURE');
  const expected = hmacSha256(secret, `${timestamp}.${request.rawBody}`, 'hex');
  if (!signatures.some((signature) => constantTimeEqual(signature, expected))) throw new ConnectorError('Stripe webhook signature does not match', 'STRIPE', 'SIGNATURE');
  if (Math.abs(nowSeconds - timestamp) > STRIPE_WEBHOOK_TOLERANCE_SECONDS) throw new ConnectorError('Stripe webhook timestamp is outside the tolerance (possible replay)', 'STRIPE', 'SIGNATURE');
}

interface StripeEvent {
  id: string;
  object: 'event';
  type: string;
  data: { object: unknown };
}

function isEvent(value: unknown): value is StripeEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.object === 'event' && typeof v.id === 'string' && typeof v.type === 'string' && typeof v.data === 'object' && v.data !== null;
}

/** A verified event as facts about one payment or refund. */
export function parseStripeEvent(rawBody: string): IncomingWebhook {
  let event: unknown;
  try {
    event = JSON.parse(rawBody);
  } catch {
    throw new ConnectorError('Stripe webhook body is not JSON', 'STRIPE', 'PROTOCOL');
  }
  if (!isEvent(event)) throw new ConnectorError('Stripe webhook body is not an event', 'STRIPE', 'PROTOCOL');
  const object = event.data.object;
  if (event.type.startsWith('payment_intent.') && isPaymentIntent(object)) {
    const txnId = object.metadata?.txn_id;
    return { kind: 'PAYMENT', gatewayTxnId: object.id, outcome: outcomeOfPaymentIntent(object), eventId: event.id, ...(txnId ? { merchantReference: txnId } : {}) };
  }
  if ((event.type.startsWith('refund.') || event.type.startsWith('charge.refund.')) && isRefund(object)) {
    const refundId = object.metadata?.refund_id;
    if (!refundId) return { kind: 'IGNORED', reason: 'refund made outside Junction' };
    return { kind: 'REFUND', gatewayRefundId: object.id, refundId, outcome: outcomeOfRefund(200, object), eventId: event.id };
  }
  return { kind: 'IGNORED', reason: `event ${event.type} is not used` };
}
