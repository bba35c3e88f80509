// Authorising on Razorpay: an Order (found again by its receipt when a previous attempt made one),
// then the S2S payment on it; the answer's `next` says whether the shopper has something to do.
import type { AuthorizeOutcome, AuthorizeRequest, ConnectorAccount } from '../../core/ports/connector.ts';
import type { TransportResponse } from '../kit/transport.ts';
import { failedFromRow, paymentTransportOutcome, parseJson } from '../kit/outcomes.ts';
import { RAZORPAY_STATUS_TABLE } from './status-table.ts';
import { errorOf, failedFromError, pendingAuthentication, pendingCollect, pendingIntent, readCreated } from './transformers.ts';
import { buildOrderBody, planPayment } from './requests.ts';
import { settings, type RazorpayClient } from './razorpay-client.ts';
import { createOrder, existingPayment, findOrder, readOutcome } from './razorpay-reads.ts';

export async function authorizeRazorpay(client: RazorpayClient, account: ConnectorAccount, request: AuthorizeRequest): Promise<AuthorizeOutcome> {
  const plan = planPayment(request, settings(account));
  // Refused before any call (an unknown bank or wallet, raw cards not enabled, ...): a VALIDATION_ERROR FAILED outcome.
  if ('refused' in plan) return failedFromRow(plan.code, plan.refused, RAZORPAY_STATUS_TABLE[plan.code] ?? RAZORPAY_STATUS_TABLE.unsupported_payment_method!);

  // Razorpay has no idempotency key for orders or payments: the receipt (our txn reference) finds a previous try.
  const known = await findOrder(client, account, request.txnId, 'authorize');
  if (!known.ok) return known.outcome;
  let order = known.value;
  if (order) {
    const previous = await existingPayment(client, account, order.id, 'authorize');
    if (previous) return previous;
  } else {
    const created = await createOrder(client, account, buildOrderBody(request, settings(account)));
    if (!created.ok) return created.outcome;
    order = created.value;
  }

  let response: TransportResponse;
  try {
    response = await client.call(account, 'authorize', 'POST', plan.endpoint, { ...plan.body, order_id: order.id });
  } catch (error) {
    return paymentTransportOutcome(error, null, RAZORPAY_STATUS_TABLE.CONNECTION_REFUSED!);
  }
  const body = parseJson(response.text);
  if (response.status === 200) {
    const created = readCreated(body);
    if (!created) return { kind: 'UNKNOWN', raw: { code: 'HTTP_200', message: 'Razorpay answered something that is not a payment', gatewayTxnId: null } };
    if (created.kind === 'redirect') return pendingAuthentication(created.paymentId, created.url, body);
    if (created.kind === 'intent') return pendingIntent(created.paymentId, created.uri, body);
    if (plan.kind === 'upi_collect') return pendingCollect(created.paymentId, body);
    // Nothing left for the shopper to do (no `next`): the payment's own state is the answer.
    const read = await readOutcome(client, account, created.paymentId, 'authorize');
    return read.kind === 'UNKNOWN' ? { ...read, raw: { ...read.raw, gatewayTxnId: created.paymentId } } : read;
  }
  const error = errorOf(body);
  if (response.status >= 500 || response.status === 429) {
    // Razorpay answered, but did the payment exist before it failed? The order's payments say.
    if (!error) return { kind: 'UNKNOWN', raw: { code: `HTTP_${response.status}`, message: 'Razorpay answered a server error without a body: the outcome is unknown', gatewayTxnId: null } };
    const after = await existingPayment(client, account, order.id, 'authorize');
    if (after) return after;
    return failedFromError(response.status, body);
  }
  return failedFromError(response.status, body);
}
