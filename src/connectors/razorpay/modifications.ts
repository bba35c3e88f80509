// Changing a payment after its authorisation: capture, void (Razorpay has none: see voidRazorpay)
// and refund.
import type { CaptureOutcome, ConnectorAccount, RefundOutcome, RefundRequest } from '../../core/ports/connector.ts';
import { modificationTransportOutcome, refundTransportOutcome, parseJson } from '../kit/outcomes.ts';
import { unifiedError } from '../unified-errors.ts';
import { RAZORPAY_STATUS_TABLE } from './status-table.ts';
import { errorOf, failed, outcomeOfCapture, outcomeOfRefund, refundIdempotencyKey } from './transformers.ts';
import { settings, type RazorpayClient } from './razorpay-client.ts';
import { fetchPayment } from './razorpay-reads.ts';

export async function captureRazorpay(client: RazorpayClient, account: ConnectorAccount, id: string, amount: number, currency: string): Promise<CaptureOutcome> {
  // Razorpay has no idempotency key for captures: a retry after a lost answer finds the payment
  // already captured for this amount, which is the success it missed.
  try {
    const response = await client.call(account, 'capture', 'POST', `/v1/payments/${encodeURIComponent(id)}/capture`, { amount, currency });
    const body = parseJson(response.text);
    const outcome = outcomeOfCapture(response.status, body, id);
    if (outcome.kind === 'SUCCESS' || response.status === 401) return outcome;
    const now = await fetchPayment(client, account, id, 'capture');
    if (now.ok && now.value.status === 'captured' && now.value.amount === amount && errorOf(body)?.description?.toLowerCase().includes('already')) {
      return { kind: 'SUCCESS', raw: { code: 'captured', message: 'Payment already captured for this amount', gatewayTxnId: id } };
    }
    if (response.status >= 500) return { kind: 'FAILURE', raw: outcome.raw, unified: unifiedError('TIMEOUT_UNKNOWN') };
    return outcome;
  } catch (error) {
    return modificationTransportOutcome(error, id);
  }
}

// Razorpay has no void API, and refunds only captured payments: an authorisation nobody captures
// is released by Razorpay itself (refunded at the order's refund_speed) when its capture window
// ends (7 200 minutes here). So a void sends nothing: it checks the payment can still be released,
// answers PENDING, and the release arrives as refund.processed on the uncaptured payment (VOIDED),
// or the status sync sees the payment `refunded` without a capture.
export async function voidRazorpay(client: RazorpayClient, account: ConnectorAccount, id: string): Promise<CaptureOutcome> {
  const found = await fetchPayment(client, account, id, 'void');
  if (!found.ok) {
    // Razorpay refused the read (a listed code): that failure; no answer: unknown, try again.
    const refused = RAZORPAY_STATUS_TABLE[found.outcome.raw.code] !== undefined || found.outcome.raw.code.includes(':');
    return { kind: 'FAILURE', raw: found.outcome.raw, unified: refused ? failed(found.outcome.raw.code, null, id).unified : unifiedError('TIMEOUT_UNKNOWN') };
  }
  const payment = found.value;
  const raw = (code: string, message: string) => ({ code, message, gatewayTxnId: id });
  if (payment.status === 'authorized') {
    return { kind: 'PENDING', raw: raw('release_at_capture_expiry', 'Razorpay has no void: the authorisation is not captured and Razorpay releases it when its capture window ends') };
  }
  if (payment.status === 'refunded' && !payment.captured) return { kind: 'SUCCESS', raw: raw('refunded', 'The authorisation was already released') };
  return { kind: 'FAILURE', raw: raw('not_capturable', `A ${payment.status} payment cannot be voided`), unified: unifiedError('INVALID_STATE') } satisfies CaptureOutcome;
}

export async function refundRazorpay(client: RazorpayClient, account: ConnectorAccount, request: RefundRequest): Promise<RefundOutcome> {
  try {
    const body = {
      amount: request.amount,
      speed: settings(account).refundSpeed,
      receipt: request.refundId.slice(0, 40),
      notes: { refund_id: request.refundId, txn_id: request.txnId.slice(0, 256) },
    };
    const response = await client.call(account, 'refund', 'POST', `/v1/payments/${encodeURIComponent(request.gatewayTxnId)}/refund`, body, {
      key: refundIdempotencyKey(request.idempotencyKey),
      header: 'X-Refund-Idempotency',
    });
    return outcomeOfRefund(response.status, parseJson(response.text), request.gatewayTxnId);
  } catch (error) {
    return refundTransportOutcome(error, request.gatewayTxnId);
  }
}
