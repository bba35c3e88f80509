// Checkout.com webhooks: the `Cko-Signature` header is the hex HMAC-SHA256 of the raw body keyed
// with the webhook's signature key (https://www.checkout.com/docs/developer-resources/webhooks/manage-webhooks;
// several independent implementations compute it the same way). The body is an event
// `{id: evt_…, type, created_on, data: {id: pay_…, action_id, amount, reference, response_code, …}}`.
import { constantTimeEqual, hmacSha256 } from '../../core/crypto.ts';
import { ConnectorError, type IncomingHttpRequest, type IncomingWebhook } from '../../core/ports/connector.ts';
import { declinedFromRow } from '../kit/outcomes.ts';
import { unifiedError } from '../unified-errors.ts';
import { checkoutFailure } from './status-table.ts';

export const CKO_SIGNATURE_HEADER = 'cko-signature';

export function signCheckoutBody(rawBody: string, secret: string): string {
  return hmacSha256(secret, rawBody, 'hex');
}

export function verifyCheckoutSignature(request: IncomingHttpRequest, secret: string): void {
  const header = request.headers[CKO_SIGNATURE_HEADER];
  const given = Array.isArray(header) ? header[0] : header;
  if (!given) throw new ConnectorError('Cko-Signature header is missing', 'CHECKOUT', 'SIGNATURE');
  if (!constantTimeEqual(given.toLowerCase(), signCheckoutBody(request.rawBody, secret))) throw new ConnectorError('Checkout.com webhook signature does not match', 'CHECKOUT', 'SIGNATURE');
}

interface CheckoutEvent {
  id: string;
  type: string;
  data: { id: string; action_id?: string; amount?: number; currency?: string; reference?: string; response_code?: string; response_summary?: string; metadata?: Record<string, unknown> };
}

function isEvent(value: unknown): value is CheckoutEvent {
  const v = value as Partial<CheckoutEvent> | null;
  return typeof v === 'object' && v !== null && typeof v.id === 'string' && typeof v.type === 'string' && typeof v.data === 'object' && v.data !== null && typeof v.data.id === 'string';
}

export function parseCheckoutEvent(rawBody: string): IncomingWebhook {
  let event: unknown;
  try {
    event = JSON.parse(rawBody);
  } catch {
    throw new ConnectorError('Checkout.com webhook body is not JSON', 'CHECKOUT', 'PROTOCOL');
  }
  if (!isEvent(event)) throw new ConnectorError('Checkout.com webhook body is not an event', 'CHECKOUT', 'PROTOCOL');
  const { data } = event;
  const raw = (code: string) => ({ code, message: data.response_summary ?? event.type, gatewayTxnId: data.id, body: data as unknown as Record<string, unknown> });
  // Our txn id: whole in the metadata we gave the payment (the reference is cut at 50 characters).
  const txnId = typeof data.metadata?.txn_id === 'string' ? data.metadata.txn_id : undefined;
  const payment = (outcome: Extract<IncomingWebhook, { kind: 'PAYMENT' }>['outcome']): IncomingWebhook => ({
    kind: 'PAYMENT',
    gatewayTxnId: data.id,
    outcome,
    eventId: event.id,
    ...(txnId ? { merchantReference: txnId } : {}),
  });
  switch (event.type) {
    case 'payment_approved':
      // Approved: authorised; an automatic payment's capture event follows (and the core charges it meanwhile).
      return payment({ kind: data.metadata?.capture_mode === 'AUTO' ? 'CHARGED' : 'AUTHORIZED', raw: raw(data.response_code ?? '10000') });
    case 'payment_captured':
      return payment({ kind: 'CHARGED', raw: raw('payment_captured') });
    case 'payment_voided':
    case 'payment_canceled':
    case 'payment_expired':
      return payment({ kind: 'VOIDED', raw: raw(event.type) });
    case 'payment_declined': {
      const code = data.response_code ?? '20046';
      const entry = checkoutFailure(code);
      return payment(declinedFromRow(raw(code), entry));
    }
    case 'payment_capture_declined':
    case 'payment_void_declined':
      return payment({ kind: 'FAILED', raw: raw(event.type), failure: 'VALIDATION_ERROR', unified: unifiedError('INVALID_STATE') });
    case 'payment_pending':
      return payment({ kind: 'PENDING', raw: raw('payment_pending') });
    case 'payment_refunded':
    case 'payment_refund_declined': {
      // Without our reference, the refund's action id (which we stored when the refund was accepted) finds it.
      if (!data.action_id) return { kind: 'IGNORED', reason: 'refund event without its action id' };
      const ok = event.type === 'payment_refunded';
      const outcome = ok
        ? { kind: 'SUCCESS' as const, raw: raw(event.type), arn: null, gatewayRefundId: data.action_id }
        : { kind: 'FAILURE' as const, raw: raw(event.type), unified: unifiedError('INVALID_STATE'), gatewayRefundId: data.action_id };
      return { kind: 'REFUND', gatewayRefundId: data.action_id, refundId: data.reference ?? null, outcome, eventId: event.id };
    }
    default:
      return { kind: 'IGNORED', reason: `event ${event.type} is not used` };
  }
}
