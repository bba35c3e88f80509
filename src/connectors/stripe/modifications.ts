// Changing a PaymentIntent after its authorisation: capture, cancel (void) and refund.
import type { CaptureOutcome, ConnectorAccount, RefundOutcome, RefundRequest } from '../../core/ports/connector.ts';
import { modificationTransportOutcome, refundTransportOutcome, parseJson } from '../kit/outcomes.ts';
import { outcomeOfCapture, outcomeOfRefund, type FormObject } from './transformers.ts';
import type { StripeClient } from './stripe-client.ts';

export async function modifyPaymentIntent(
  client: StripeClient,
  account: ConnectorAccount,
  operation: 'capture' | 'cancel',
  id: string,
  form: FormObject,
  key: string | undefined,
): Promise<CaptureOutcome> {
  try {
    const response = await client.call(account, operation, 'POST', `/v1/payment_intents/${encodeURIComponent(id)}/${operation}`, form, key);
    return outcomeOfCapture(response.status, parseJson(response.text), operation === 'capture' ? 'succeeded' : 'canceled');
  } catch (error) {
    return modificationTransportOutcome(error, id);
  }
}

export async function refundStripe(client: StripeClient, account: ConnectorAccount, request: RefundRequest): Promise<RefundOutcome> {
  try {
    const response = await client.call(
      account,
      'refund',
      'POST',
      '/v1/refunds',
      { payment_intent: request.gatewayTxnId, amount: request.amount, metadata: { refund_id: request.refundId, txn_id: request.txnId } },
      request.idempotencyKey,
    );
    return outcomeOfRefund(response.status, parseJson(response.text));
  } catch (error) {
    return refundTransportOutcome(error, request.gatewayTxnId);
  }
}
