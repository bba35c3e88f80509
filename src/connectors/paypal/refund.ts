// Refunding on PayPal: the order's capture is refunded (POST /v2/payments/captures/{id}/refund).
import type { ConnectorAccount, RefundOutcome, RefundRequest } from '../../core/ports/connector.ts';
import { TransportError } from '../kit/transport.ts';
import { unifiedError } from '../unified-errors.ts';
import { PAYPAL_STATUS_TABLE } from './status-table.ts';
import { outcomeOfOrderAnswer, outcomeOfRefundAnswer, paymentsOf, type PayPalOrder } from './transformers.ts';
import { buildRefundRequest } from './requests.ts';
import { PayPalAuthError } from './oauth-token.ts';
import type { PayPalClient } from './paypal-client.ts';
import { readOrder } from './orders.ts';
import { readFailure } from './capture-and-void.ts';
import { parseJson } from '../kit/outcomes.ts';

export async function refundPayPal(client: PayPalClient, account: ConnectorAccount, request: RefundRequest): Promise<RefundOutcome> {
  const orderId = request.gatewayTxnId;
  let order: PayPalOrder;
  try {
    const read = await readOrder(client, account, orderId, 'refund');
    if (!('order' in read)) {
      const outcome = outcomeOfOrderAnswer(read.status, read.body, orderId);
      return { kind: 'FAILURE', raw: outcome.raw, unified: outcome.kind === 'FAILED' ? outcome.unified : unifiedError('GATEWAY_TECHNICAL_ERROR') };
    }
    order = read.order;
  } catch (error) {
    const outcome = readFailure(error, orderId);
    return { kind: 'FAILURE', raw: outcome.raw, unified: outcome.kind === 'FAILURE' ? outcome.unified : unifiedError('GATEWAY_TECHNICAL_ERROR') };
  }
  // We capture once (final_capture): refund that capture, and let PayPal judge the amount left (and replay a repeated key).
  const { captures } = paymentsOf(order);
  const capture = captures.find((c) => c.status === 'COMPLETED' || c.status === 'PARTIALLY_REFUNDED') ?? captures.find((c) => c.status === 'REFUNDED');
  if (!capture) {
    const row = PAYPAL_STATUS_TABLE.nothing_to_refund!;
    return {
      kind: 'FAILURE',
      raw: { code: 'nothing_to_refund', message: `Order ${orderId} has no completed capture to refund`, gatewayTxnId: orderId },
      unified: { code: row.unifiedCode!, message: row.unifiedMessage!, category: row.category! },
    };
  }
  const body = buildRefundRequest(request.amount, request.currency, request.refundId);
  if (!body) {
    const row = PAYPAL_STATUS_TABLE.amount_not_representable!;
    return {
      kind: 'FAILURE',
      raw: { code: 'amount_not_representable', message: `${request.currency} amount ${request.amount} (minor units) cannot be sent to PayPal`, gatewayTxnId: orderId },
      unified: { code: row.unifiedCode!, message: row.unifiedMessage!, category: row.category! },
    };
  }
  try {
    const response = await client.call(account, 'refund', 'POST', `/v2/payments/captures/${encodeURIComponent(capture.id)}/refund`, body, request.idempotencyKey);
    return outcomeOfRefundAnswer(response.status, parseJson(response.text), orderId);
  } catch (error) {
    if (error instanceof PayPalAuthError) return { kind: 'FAILURE', raw: { code: error.code, message: error.message, gatewayTxnId: orderId }, unified: unifiedError('GATEWAY_TECHNICAL_ERROR') };
    if (!(error instanceof TransportError)) throw error;
    if (error.nothingSent) return { kind: 'FAILURE', raw: { code: 'CONNECTION_REFUSED', message: error.message, gatewayTxnId: orderId }, unified: unifiedError('GATEWAY_DOWN') };
    return { kind: 'PENDING', raw: { code: error.kind, message: error.message, gatewayTxnId: orderId } };
  }
}
