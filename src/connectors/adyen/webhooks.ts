// Adyen standard webhooks (https://docs.adyen.com/development-resources/webhooks): a JSON body
// `{live, notificationItems: [{NotificationRequestItem}]}` whose items each carry an HMAC in
// `additionalData.hmacSignature`: base64 HMAC-SHA256, keyed by the hex-decoded HMAC key, over
// `pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success`
// (empty strings for absent fields). Adyen batches items; each is verified, and the first one
// names the event this call reports (Adyen sends one item per call by default).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConnectorError, type IncomingHttpRequest, type IncomingWebhook } from '../../core/ports/connector.ts';
import { declinedFromRow } from '../kit/outcomes.ts';
import { outcomeOfPayment } from './transformers.ts';
import { ADYEN_STATUS_TABLE, adyenFailure } from './status-table.ts';

function refusalCodeOf(reason: string | undefined): string | null {
  if (!reason) return null;
  const text = reason.trim().toLowerCase();
  const found = Object.entries(ADYEN_STATUS_TABLE).find(([code, entry]) => /^\d+$/.test(code) && entry.message.toLowerCase() === text);
  return found ? found[0] : null;
}
import { unifiedError } from '../unified-errors.ts';

export interface AdyenNotificationItem {
  additionalData?: Record<string, string>;
  amount: { value: number; currency: string };
  eventCode: string;
  eventDate?: string;
  merchantAccountCode: string;
  merchantReference: string;
  originalReference?: string;
  pspReference: string;
  reason?: string;
  success: 'true' | 'false';
  paymentMethod?: string;
  operations?: string[];
}

export function adyenSigningString(item: Pick<AdyenNotificationItem, 'pspReference' | 'originalReference' | 'merchantAccountCode' | 'merchantReference' | 'amount' | 'eventCode' | 'success'>): string {
  return [item.pspReference, item.originalReference ?? '', item.merchantAccountCode, item.merchantReference, String(item.amount.value), item.amount.currency, item.eventCode, item.success].join(':');
}

export function signAdyenItem(item: AdyenNotificationItem, hexKey: string): string {
  return createHmac('sha256', Buffer.from(hexKey, 'hex')).update(adyenSigningString(item), 'utf8').digest('base64');
}

function isItem(value: unknown): value is AdyenNotificationItem {
  const v = value as Partial<AdyenNotificationItem> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.pspReference === 'string' &&
    typeof v.eventCode === 'string' &&
    typeof v.merchantAccountCode === 'string' &&
    typeof v.merchantReference === 'string' &&
    (v.success === 'true' || v.success === 'false') &&
    typeof v.amount === 'object' &&
    v.amount !== null &&
    Number.isInteger(v.amount.value) &&
    typeof v.amount.currency === 'string'
  );
}

/** Every item's HMAC must match, or the whole call is refused (ConnectorError SIGNATURE). */
export function verifyAdyenNotification(request: IncomingHttpRequest, hexKey: string): AdyenNotificationItem[] {
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody);
  } catch {
    throw new ConnectorError('Adyen webhook body is not JSON', 'ADYEN', 'PROTOCOL');
  }
  const items = (body as { notificationItems?: unknown }).notificationItems;
  if (!Array.isArray(items) || items.length === 0) throw new ConnectorError('Adyen webhook has no notificationItems', 'ADYEN', 'PROTOCOL');
  const parsed: AdyenNotificationItem[] = [];
  for (const wrapper of items) {
    const item = (wrapper as { NotificationRequestItem?: unknown } | null)?.NotificationRequestItem;
    if (!isItem(item)) throw new ConnectorError('Adyen webhook item is not a NotificationRequestItem', 'ADYEN', 'PROTOCOL');
    const given = item.additionalData?.hmacSignature;
    if (!given) throw new ConnectorError('Adyen webhook item has no hmacSignature', 'ADYEN', 'SIGNATURE');
    const expected = Buffer.from(signAdyenItem(item, hexKey), 'base64');
    const actual = Buffer.from(given, 'base64');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw new ConnectorError('Adyen webhook signature does not match', 'ADYEN', 'SIGNATURE');
    parsed.push(item);
  }
  return parsed;
}

/** A verified item as facts about one payment or refund. Our refund id is the refund's merchantReference. */
export function parseAdyenItem(item: AdyenNotificationItem): IncomingWebhook {
  const ok = item.success === 'true';
  const eventId = `${item.eventCode}:${item.pspReference}:${item.success}`;
  const raw = (code: string) => ({
    code,
    message: item.reason || `${item.eventCode} ${ok ? 'succeeded' : 'failed'}`,
    gatewayTxnId: item.originalReference ?? item.pspReference,
    body: { ...item, additionalData: undefined } as unknown as Record<string, unknown>,
  });
  switch (item.eventCode) {
    case 'AUTHORISATION': {
      if (ok)
        return {
          kind: 'PAYMENT',
          gatewayTxnId: item.pspReference,
          outcome: outcomeOfPayment({ pspReference: item.pspReference, resultCode: 'Authorised', merchantReference: item.merchantReference }, 'UNKNOWN'),
          eventId,
          merchantReference: item.merchantReference,
        };
      // The refusal comes as its text (refusalReason) in `reason`: find its code, or a generic refusal.
      const code = /^\d+$/.test(item.reason ?? '') ? item.reason! : (refusalCodeOf(item.reason) ?? '2');
      const entry = adyenFailure(code);
      return {
        kind: 'PAYMENT',
        gatewayTxnId: item.pspReference,
        outcome: declinedFromRow(raw(code), entry),
        eventId,
        merchantReference: item.merchantReference,
      };
    }
    case 'CAPTURE':
    case 'CAPTURE_FAILED': {
      const captured = item.eventCode === 'CAPTURE' && ok;
      const paymentId = item.originalReference ?? item.pspReference;
      return {
        kind: 'PAYMENT',
        gatewayTxnId: paymentId,
        eventId,
        outcome: captured ? { kind: 'CHARGED', raw: raw('CAPTURE') } : { kind: 'FAILED', raw: raw('CAPTURE_FAILED'), failure: 'VALIDATION_ERROR', unified: unifiedError('INVALID_STATE') },
      };
    }
    case 'CANCELLATION': {
      const paymentId = item.originalReference ?? item.pspReference;
      return {
        kind: 'PAYMENT',
        gatewayTxnId: paymentId,
        eventId,
        outcome: ok ? { kind: 'VOIDED', raw: raw('CANCELLATION') } : { kind: 'FAILED', raw: raw('CANCELLATION_FAILED'), failure: 'VALIDATION_ERROR', unified: unifiedError('INVALID_STATE') },
      };
    }
    case 'REFUND':
    case 'REFUND_FAILED':
    case 'REFUNDED_REVERSED': {
      const refunded = item.eventCode === 'REFUND' && ok;
      const outcome = refunded
        ? { kind: 'SUCCESS' as const, raw: raw('REFUND'), arn: item.additionalData?.refund_acquirer_reference ?? null, gatewayRefundId: item.pspReference }
        : { kind: 'FAILURE' as const, raw: raw(item.eventCode === 'REFUND' ? 'REFUND_FAILED' : item.eventCode), unified: unifiedError('INVALID_STATE'), gatewayRefundId: item.pspReference };
      return { kind: 'REFUND', gatewayRefundId: item.pspReference, refundId: item.merchantReference, outcome, eventId };
    }
    default:
      return { kind: 'IGNORED', reason: `event ${item.eventCode} is not used` };
  }
}
