// Refunding on Braintree: a credit against the sale, unless an earlier attempt already made one
// under our refund id (its order id).
import type { ConnectorAccount, RefundOutcome, RefundRequest } from '../../core/ports/connector.ts';
import { refundTransportOutcome } from '../kit/outcomes.ts';
import { BRAINTREE_STATUS_TABLE } from './status-table.ts';
import { isPathSegment, outcomeOfCredit, outcomeOfRefundAnswer, str, toBraintreeAmount } from './transformers.ts';
import type { BraintreeClient } from './braintree-client.ts';
import { searchOrder } from './transaction-reads.ts';

export async function refundBraintree(client: BraintreeClient, account: ConnectorAccount, request: RefundRequest): Promise<RefundOutcome> {
  const saleId = request.gatewayTxnId;
  if (!isPathSegment(saleId))
    return {
      kind: 'FAILURE',
      raw: { code: 'HTTP_404', message: 'Not a Braintree transaction id', gatewayTxnId: saleId },
      unified: { code: 'TRANSACTION_NOT_FOUND', message: BRAINTREE_STATUS_TABLE.HTTP_404!.unifiedMessage!, category: BRAINTREE_STATUS_TABLE.HTTP_404!.category! },
    };
  const orderId = request.refundId.slice(0, 255);
  try {
    // A refund an earlier attempt created: the credit with our refund id, against this sale.
    const credits = await searchOrder(client, account, orderId, 'credit', 'refund');
    if (!Array.isArray(credits)) {
      if (credits.refusedWith >= 500)
        return { kind: 'PENDING', raw: { code: `HTTP_${credits.refusedWith}`, message: 'Braintree did not answer the search for an earlier refund: try again', gatewayTxnId: saleId } };
      return outcomeOfRefundAnswer(credits.refusedWith, '', saleId);
    }
    const earlier = credits.find((credit) => str(credit['refunded-transaction-id']) === saleId);
    if (earlier) return outcomeOfCredit(earlier, saleId);
  } catch (error) {
    return refundTransportOutcome(error, saleId);
  }
  try {
    const response = await client.call(account, 'refund', 'POST', `/transactions/${encodeURIComponent(saleId)}/refund`, {
      transaction: { amount: toBraintreeAmount(request.amount, request.currency), order_id: orderId },
    });
    return outcomeOfRefundAnswer(response.status, response.text, saleId);
  } catch (error) {
    return refundTransportOutcome(error, saleId);
  }
}
