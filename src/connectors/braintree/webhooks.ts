// Braintree webhooks (https://developer.paypal.com/braintree/docs/guides/webhooks/parse): Braintree
// POSTs a form (application/x-www-form-urlencoded) with two fields:
// - `bt_payload`: the notification, base64 of an XML `<notification>` (kind, timestamp, subject);
// - `bt_signature`: one or more `public_key|signature` pairs joined by `&` (one per API key of the
//   gateway), where signature = hex HMAC-SHA1 of the payload keyed with the SHA-1 digest of the
//   private key. Exactly as the official SDK checks it (node_modules/braintree/lib/braintree/
//   webhook_notification_gateway.js validateSignature, digest.js hmacSha1): the pair of our public
//   key must match the payload, or the payload with a trailing newline; the payload may hold only
//   base64 characters and newlines.
// Notifications have no id: the event id for deduplication is `kind:subject id:timestamp`, which a
// redelivery of the same notification repeats.
import { createHash, createHmac } from 'node:crypto';
import { constantTimeEqual } from '../../core/crypto.ts';
import { ConnectorError, type IncomingHttpRequest, type IncomingWebhook, type RefundOutcome } from '../../core/ports/connector.ts';
import { unifiedError } from '../unified-errors.ts';
import { declineCode, isTransaction, outcomeOfCredit, outcomeOfTransaction, sanitize, str, type BraintreeTransaction } from './transformers.ts';
import { readXmlDocument, XmlError, type XmlObject, type XmlValue } from './xml.ts';
import { braintreeFailure } from './status-table.ts';

const GATEWAY = 'BRAINTREE';

/** hex HMAC-SHA1 keyed with SHA-1(private key), over `data` (both read as latin-1, as the SDK's "binary"). */
export function braintreeDigest(privateKey: string, data: string): string {
  const key = createHash('sha1').update(privateKey, 'latin1').digest();
  return createHmac('sha1', key).update(data, 'latin1').digest('hex');
}

/** `public_key|signature` for a payload, as Braintree sends it (and the SDK's sampleNotification makes it). */
export function signBraintreePayload(payload: string, publicKey: string, privateKey: string): string {
  return `${publicKey}|${braintreeDigest(privateKey, payload)}`;
}

/** The two form fields, wherever the HTTP layer put them: a parsed form, a raw form, or its JSON echo. */
export function webhookFields(request: IncomingHttpRequest): { signature: string; payload: string } | null {
  const fromObject = (value: unknown) => {
    const v = value as { bt_signature?: unknown; bt_payload?: unknown } | null;
    return typeof v === 'object' && v !== null && typeof v.bt_signature === 'string' && typeof v.bt_payload === 'string' ? { signature: v.bt_signature, payload: v.bt_payload } : null;
  };
  const raw = request.rawBody.trim();
  if (raw.startsWith('{')) {
    try {
      const parsed = fromObject(JSON.parse(raw));
      if (parsed) return parsed;
    } catch {
      // not JSON: maybe a form
    }
  } else if (raw.includes('bt_payload=') || raw.includes('bt_signature=')) {
    const form = new URLSearchParams(raw);
    const signature = form.get('bt_signature');
    const payload = form.get('bt_payload');
    return signature !== null && payload !== null ? { signature, payload } : null;
  }
  // Only when the raw body says nothing of its own (a parsed body without its bytes).
  return raw === '' ? fromObject(request.body) : null;
}

/** Throws ConnectorError('SIGNATURE') unless our public key's pair signs the payload. Returns the payload. */
export function verifyBraintreeWebhook(request: IncomingHttpRequest, publicKey: string, privateKey: string): string {
  const fields = webhookFields(request);
  if (!fields || fields.signature === '') throw new ConnectorError('bt_signature and bt_payload are required', GATEWAY, 'SIGNATURE');
  if (fields.payload === '' || /[^A-Za-z0-9+=/\n]/.test(fields.payload)) throw new ConnectorError('bt_payload contains characters that are not base64', GATEWAY, 'SIGNATURE');
  const pair = fields.signature
    .split('&')
    .filter((part) => part.includes('|'))
    .map((part) => part.split('|'))
    .find(([key]) => key === publicKey);
  const given = pair?.[1];
  if (!given) throw new ConnectorError("no bt_signature pair for this account's public key", GATEWAY, 'SIGNATURE');
  const matches = [fields.payload, `${fields.payload}\n`].some((data) => constantTimeEqual(given, braintreeDigest(privateKey, data)));
  if (!matches) throw new ConnectorError('Braintree webhook signature does not match the payload', GATEWAY, 'SIGNATURE');
  return fields.payload;
}

export interface BraintreeNotification {
  kind: string;
  timestamp: string;
  subject: XmlObject;
}

function isObject(value: XmlValue | undefined): value is XmlObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function decodeNotification(payload: string): BraintreeNotification {
  let document: { root: string; value: XmlValue };
  try {
    document = readXmlDocument(Buffer.from(payload, 'base64').toString('utf8'));
  } catch (error) {
    throw new ConnectorError(`Braintree webhook payload is not a notification (${error instanceof XmlError ? error.message : 'unreadable'})`, GATEWAY, 'PROTOCOL');
  }
  const value = document.value;
  if (document.root !== 'notification' || !isObject(value) || typeof value.kind !== 'string') throw new ConnectorError('Braintree webhook payload is not a <notification>', GATEWAY, 'PROTOCOL');
  const subject = isObject(value.subject) ? value.subject : {};
  // The SDK unwraps an <api-error-response> subject the same way.
  const wrapped = isObject(subject['api-error-response']) ? subject['api-error-response'] : subject;
  return { kind: value.kind, timestamp: str(value.timestamp) ?? '', subject: wrapped };
}

function refundEvent(credit: BraintreeTransaction, outcome: RefundOutcome, eventId: string): IncomingWebhook {
  const refundId = str(credit['order-id']);
  if (!refundId) return { kind: 'IGNORED', reason: 'refund notification without our refund id (order id)' };
  return { kind: 'REFUND', gatewayRefundId: credit.id, refundId, outcome, eventId };
}

/** A verified notification as the facts we act on. */
export function parseBraintreeNotification(notification: BraintreeNotification): IncomingWebhook {
  const transaction = notification.subject.transaction;
  if (notification.kind === 'check') return { kind: 'IGNORED', reason: 'check notification (the webhook test from the Control Panel)' };
  if (!isObject(transaction) || typeof transaction.id !== 'string' || transaction.id === '') return { kind: 'IGNORED', reason: `notification ${notification.kind} is not about a transaction` };
  const eventId = `${notification.kind}:${transaction.id}:${notification.timestamp}`;
  const body = sanitize(transaction) as Record<string, unknown>;
  const isCredit = transaction.type === 'credit' || typeof transaction['refunded-transaction-id'] === 'string';
  const saleId = str(transaction['refunded-transaction-id']) ?? transaction.id;
  switch (notification.kind) {
    case 'transaction_settled':
    case 'transaction_disbursed': {
      // Settled (or paid out, which implies settled): the money moved.
      const settled = { ...transaction, status: 'settled' } as BraintreeTransaction;
      if (isCredit) return refundEvent(settled, outcomeOfCredit(settled, saleId), eventId);
      const outcome = outcomeOfTransaction(settled);
      return { kind: 'PAYMENT', gatewayTxnId: transaction.id, outcome: { ...outcome, raw: { ...outcome.raw, code: notification.kind, body } }, eventId };
    }
    case 'transaction_settlement_declined': {
      const declined = { ...transaction, status: 'settlement_declined' } as BraintreeTransaction;
      if (isCredit) return refundEvent(declined, outcomeOfCredit(declined, saleId), eventId);
      return { kind: 'PAYMENT', gatewayTxnId: transaction.id, outcome: outcomeOfTransaction(declined), eventId };
    }
    case 'refund_failed': {
      if (!isTransaction(transaction)) return { kind: 'IGNORED', reason: "refund_failed without the refund's status" };
      const code = declineCode(transaction);
      const entry = braintreeFailure(code);
      const outcome: RefundOutcome = {
        kind: 'FAILURE',
        raw: { code, message: str(transaction['processor-response-text']) ?? entry.message, gatewayTxnId: saleId, body },
        unified: entry.unifiedCode ? { code: entry.unifiedCode, message: entry.unifiedMessage ?? entry.message, category: entry.category ?? 'PAYMENT_FAILURE' } : unifiedError('GENERIC_DECLINE'),
        gatewayRefundId: transaction.id,
      };
      return refundEvent(transaction, outcome, eventId);
    }
    default:
      return { kind: 'IGNORED', reason: `notification ${notification.kind} is not used` };
  }
}
