// PayPal webhooks (https://developer.paypal.com/api/rest/webhooks/rest/). PayPal signs each delivery
// asymmetrically (SHA256withRSA over `transmission_id|transmission_time|webhook_id|crc32(raw body)`,
// certificate at PAYPAL-CERT-URL); we do not verify it locally but ask PayPal, as its API documents:
// POST /v1/notifications/verify-webhook-signature with the five transmission headers, our webhook id
// and the event, answered `verification_status: SUCCESS | FAILURE` (notifications_webhooks_v1.json).
// The event is embedded in that request byte for byte as it arrived (not re-serialised), so the CRC
// PayPal computes is over the bytes it signed.
//
// Events used (resource `order`, `capture`, `authorization` or `refund`; captures and authorizations
// name their order in supplementary_data.related_ids.order_id, which is our gateway txn id):
// CHECKOUT.ORDER.APPROVED (completed by the connector), CHECKOUT.ORDER.COMPLETED,
// PAYMENT.CAPTURE.COMPLETED / PENDING / DENIED / DECLINED, PAYMENT.CAPTURE.REFUNDED (resource: the
// refund, custom_id = our refund id), PAYMENT.REFUND.PENDING / FAILED, PAYMENT.AUTHORIZATION.CREATED /
// VOIDED. Anything else (including v1 Payments API events without an order id) is ignored.
import { ConnectorError, type IncomingHttpRequest, type IncomingWebhook, type RefundOutcome } from '../../core/ports/connector.ts';
import { unifiedError } from '../unified-errors.ts';
import { outcomeOfAuthorizationObject, outcomeOfCaptureObject, outcomeOfOrder, safeBody, type PayPalAuthorization, type PayPalCapture, type PayPalOrder, type PayPalRefund } from './transformers.ts';

export const PAYPAL_TRANSMISSION_HEADERS = {
  transmission_id: 'paypal-transmission-id',
  transmission_time: 'paypal-transmission-time',
  transmission_sig: 'paypal-transmission-sig',
  cert_url: 'paypal-cert-url',
  auth_algo: 'paypal-auth-algo',
} as const;

export interface PayPalWebhookEvent {
  id: string;
  event_type: string;
  resource_type?: string;
  resource_version?: string;
  create_time?: string;
  summary?: string;
  resource: Record<string, unknown>;
}

function header(request: IncomingHttpRequest, name: string): string | undefined {
  const direct = request.headers[name] ?? Object.entries(request.headers).find(([key]) => key.toLowerCase() === name)?.[1];
  const value = Array.isArray(direct) ? direct[0] : direct;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The event as it arrived, parsed (PROTOCOL when it is not a webhook event). */
export function parseEventBody(rawBody: string): PayPalWebhookEvent {
  let event: unknown;
  try {
    event = JSON.parse(rawBody);
  } catch {
    throw new ConnectorError('PayPal webhook body is not JSON', 'PAYPAL', 'PROTOCOL');
  }
  const v = event as Partial<PayPalWebhookEvent> | null;
  if (typeof v !== 'object' || v === null || Array.isArray(v) || typeof v.id !== 'string' || typeof v.event_type !== 'string' || typeof v.resource !== 'object' || v.resource === null) {
    throw new ConnectorError('PayPal webhook body is not an event', 'PAYPAL', 'PROTOCOL');
  }
  return v as PayPalWebhookEvent;
}

/**
 * The body of POST /v1/notifications/verify-webhook-signature, as text: the transmission headers, our
 * webhook id, and the raw event spliced in unchanged. SIGNATURE when a transmission header is missing.
 */
export function verifyRequestBody(request: IncomingHttpRequest, webhookId: string): string {
  const fields: Record<string, string> = {};
  for (const [field, name] of Object.entries(PAYPAL_TRANSMISSION_HEADERS)) {
    const value = header(request, name);
    if (!value) throw new ConnectorError(`PayPal webhook header ${name.toUpperCase()} is missing`, 'PAYPAL', 'SIGNATURE');
    fields[field] = value;
  }
  parseEventBody(request.rawBody); // a JSON object, or PROTOCOL before anything is sent
  const head = JSON.stringify({ ...fields, webhook_id: webhookId });
  return `${head.slice(0, -1)},"webhook_event":${request.rawBody.trim()}}`;
}

const orderIdOf = (resource: { supplementary_data?: { related_ids?: { order_id?: string } } }) => resource.supplementary_data?.related_ids?.order_id;

/**
 * The facts of a verified event. CHECKOUT.ORDER.APPROVED is returned as `APPROVED` for the connector
 * to complete (capture or authorize), since PayPal takes no money before that call.
 */
export function parsePayPalEvent(event: PayPalWebhookEvent): IncomingWebhook | { kind: 'APPROVED'; orderId: string; eventId: string } {
  const resource = event.resource;
  const payment = (gatewayTxnId: string, outcome: Extract<IncomingWebhook, { kind: 'PAYMENT' }>['outcome']): IncomingWebhook => ({ kind: 'PAYMENT', gatewayTxnId, outcome, eventId: event.id });
  switch (event.event_type) {
    case 'CHECKOUT.ORDER.APPROVED': {
      const id = (resource as Partial<PayPalOrder>).id;
      return typeof id === 'string' ? { kind: 'APPROVED', orderId: id, eventId: event.id } : { kind: 'IGNORED', reason: 'an approved order without its id' };
    }
    case 'CHECKOUT.ORDER.COMPLETED': {
      const order = resource as unknown as PayPalOrder;
      return typeof order.id === 'string' && typeof order.status === 'string' ? payment(order.id, outcomeOfOrder(order)) : { kind: 'IGNORED', reason: 'a completed order without its id' };
    }
    case 'PAYMENT.CAPTURE.COMPLETED':
    case 'PAYMENT.CAPTURE.PENDING':
    case 'PAYMENT.CAPTURE.DENIED':
    case 'PAYMENT.CAPTURE.DECLINED': {
      const capture = resource as unknown as PayPalCapture;
      const orderId = orderIdOf(capture);
      if (!orderId) return { kind: 'IGNORED', reason: `${event.event_type} without supplementary_data.related_ids.order_id (not an Orders v2 payment)` };
      const status = event.event_type === 'PAYMENT.CAPTURE.COMPLETED' ? 'COMPLETED' : event.event_type === 'PAYMENT.CAPTURE.PENDING' ? 'PENDING' : capture.status === 'FAILED' ? 'FAILED' : 'DECLINED';
      return payment(orderId, outcomeOfCaptureObject({ ...capture, status }, orderId, resource));
    }
    case 'PAYMENT.AUTHORIZATION.CREATED':
    case 'PAYMENT.AUTHORIZATION.VOIDED': {
      const authorization = resource as unknown as PayPalAuthorization;
      const orderId = orderIdOf(authorization);
      if (!orderId) return { kind: 'IGNORED', reason: `${event.event_type} without supplementary_data.related_ids.order_id (not an Orders v2 payment)` };
      const status = event.event_type === 'PAYMENT.AUTHORIZATION.VOIDED' ? 'VOIDED' : authorization.status === 'PENDING' ? 'PENDING' : 'CREATED';
      return payment(orderId, outcomeOfAuthorizationObject({ ...authorization, status }, orderId, resource));
    }
    case 'PAYMENT.CAPTURE.REFUNDED':
    case 'PAYMENT.REFUND.PENDING':
    case 'PAYMENT.REFUND.FAILED': {
      const refund = resource as unknown as PayPalRefund;
      if (typeof refund.id !== 'string' || !refund.custom_id) return { kind: 'IGNORED', reason: 'a refund we did not start (no custom_id with our refund id)' };
      const raw = { code: event.event_type, message: event.summary ?? event.event_type, gatewayTxnId: null, body: safeBody(resource) };
      const outcome: RefundOutcome =
        event.event_type === 'PAYMENT.CAPTURE.REFUNDED'
          ? { kind: 'SUCCESS', raw, arn: refund.acquirer_reference_number ?? null, gatewayRefundId: refund.id }
          : event.event_type === 'PAYMENT.REFUND.PENDING'
            ? { kind: 'PENDING', raw, gatewayRefundId: refund.id }
            : { kind: 'FAILURE', raw, unified: unifiedError('INVALID_STATE'), gatewayRefundId: refund.id };
      return { kind: 'REFUND', gatewayRefundId: refund.id, refundId: refund.custom_id, outcome, eventId: event.id };
    }
    default:
      return { kind: 'IGNORED', reason: `event ${event.event_type} is not used` };
  }
}
