// Settling a payment's state: the shopper's return (checked against Razorpay's own record of the
// payment and its order) and the status sync.
import type { AuthorizeOutcome, ConnectorAccount } from '../../core/ports/connector.ts';
import { failed, outcomeOfPayment } from './transformers.ts';
import { callbackSignatureValid } from './webhooks.ts';
import { keys, type RazorpayClient } from './razorpay-client.ts';
import { existingPayment, fetchPayment, findOrder, readOutcome } from './razorpay-reads.ts';

export async function completeRazorpayAuthentication(client: RazorpayClient, account: ConnectorAccount, paymentId: string, params: Record<string, string>): Promise<AuthorizeOutcome> {
  const found = await fetchPayment(client, account, paymentId, 'completeAuthentication');
  if (!found.ok) return found.outcome;
  const payment = found.value;
  const signature = params.razorpay_signature;
  if (signature !== undefined) {
    // The order id is Razorpay's record of our payment, never the one the browser brought.
    const valid = payment.order_id !== null && params.razorpay_payment_id === payment.id && callbackSignatureValid(payment.order_id, payment.id, signature, keys(account).keySecret);
    if (!valid) {
      // A forged or garbled return settles nothing: the status sync or the webhook will.
      return { kind: 'UNKNOWN', raw: { code: 'callback_signature_mismatch', message: 'The razorpay_signature of the return does not match the payment and its order', gatewayTxnId: payment.id } };
    }
  }
  return outcomeOfPayment(payment);
}

export async function syncRazorpayStatus(client: RazorpayClient, account: ConnectorAccount, reference: string): Promise<AuthorizeOutcome> {
  if (reference.startsWith('pay_')) return readOutcome(client, account, reference, 'syncStatus');
  // The create call got no answer: find the order by its receipt, then its payment.
  const order = await findOrder(client, account, reference, 'syncStatus');
  if (!order.ok) return order.outcome;
  const payment = order.value ? await existingPayment(client, account, order.value.id, 'syncStatus') : null;
  if (payment) return payment;
  return failed('payment_not_found', 'Razorpay has no payment for this transaction: it was never created', null);
}
