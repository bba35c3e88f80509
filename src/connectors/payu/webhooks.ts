// PayU India's server-to-server callbacks ("webhooks"), configured in the PayU dashboard
// (https://docs.payu.in/docs/webhooks): a payment callback is form-encoded with the same fields as
// the browser's return to surl/furl and carries the reverse hash, which we verify in constant time
// with the account's SALT (https://docs.payu.in/docs/transaction-callback-1). PayU has no event id:
// ours is the payment's mihpayid with its status, so a redelivery of the same state is one event and a
// later state (pending -> success) is another. Refund callbacks are JSON (request_id, token, status;
// https://docs.payu.in/reference-link/refund-status-callback) and carry no signature PayU documents:
// the connector treats them as a hint and confirms each with check_action_status before believing it.
import { ConnectorError, type IncomingHttpRequest, type IncomingWebhook } from '../../core/ports/connector.ts';
import { reverseHashValid } from './hash.ts';
import { outcomeOfResult, type PayuResult } from './transformers.ts';

export type PayuCallback = { kind: 'PAYMENT'; fields: Record<string, string> } | { kind: 'REFUND'; requestId: string; token: string | null; key: string | null } | { kind: 'OTHER'; reason: string };

/** The callback's kind and fields, from its raw body (form-encoded, or JSON for refunds). */
export function readPayuCallback(request: IncomingHttpRequest): PayuCallback {
  const raw = request.rawBody.trim();
  if (raw.startsWith('{')) {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new ConnectorError('PayU callback body is not JSON nor a form', 'PAYU', 'PROTOCOL');
    }
    const record = (body ?? {}) as Record<string, unknown>;
    if (record.request_id !== undefined && record.request_id !== null) {
      return { kind: 'REFUND', requestId: String(record.request_id), token: typeof record.token === 'string' ? record.token : null, key: typeof record.key === 'string' ? record.key : null };
    }
    // A form-encoded payment callback the HTTP layer handed over already decoded (re-serialised as
    // JSON): the reverse hash is over the field values, not the body's bytes, so it verifies the same.
    if (typeof record.txnid === 'string' && typeof record.status === 'string') {
      return { kind: 'PAYMENT', fields: Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => typeof entry[1] === 'string')) };
    }
    return { kind: 'OTHER', reason: 'a JSON callback that is neither a payment nor a refund status' };
  }
  const fields = Object.fromEntries(new URLSearchParams(raw));
  if (!fields.txnid || !fields.status) throw new ConnectorError('PayU callback has no txnid or status', 'PAYU', 'PROTOCOL');
  return { kind: 'PAYMENT', fields };
}

/** A payment callback, verified (key and reverse hash) and normalised. */
export function parsePayuPaymentCallback(fields: Record<string, string>, key: string, salt: string): IncomingWebhook {
  if (fields.key !== key) throw new ConnectorError('PayU callback is for another merchant key', 'PAYU', 'SIGNATURE');
  if (!reverseHashValid(fields, salt)) throw new ConnectorError('PayU callback hash does not match', 'PAYU', 'SIGNATURE');
  const txnid = fields.txnid!;
  const outcome = outcomeOfResult(fields as PayuResult, txnid);
  return { kind: 'PAYMENT', gatewayTxnId: txnid, outcome, eventId: `payu:${fields.mihpayid ?? txnid}:${fields.status}:${fields.unmappedstatus ?? ''}` };
}
