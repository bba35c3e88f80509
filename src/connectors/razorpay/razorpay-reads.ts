// Reading what Razorpay already holds for a payment: the payment itself, the order found by its
// receipt (our txn reference) and the order's payments. Razorpay has no idempotency key for orders
// or payments, so these reads are how a retried attempt finds what a previous one created.
import type { AuthorizeOutcome, ConnectorAccount } from '../../core/ports/connector.ts';
import { TransportError } from '../kit/transport.ts';
import { paymentTransportOutcome, readTransportOutcome, parseJson } from '../kit/outcomes.ts';
import { RAZORPAY_STATUS_TABLE } from './status-table.ts';
import { decisivePayment, errorOf, failed, failedFromError, isOrder, isPayment, itemsOf, outcomeOfPayment, type Json, type RazorpayOrder, type RazorpayPayment } from './transformers.ts';
import { receiptOf } from './requests.ts';
import type { RazorpayClient } from './razorpay-client.ts';

export type Found<T> = { ok: true; value: T } | { ok: false; outcome: AuthorizeOutcome };

export async function fetchPayment(client: RazorpayClient, account: ConnectorAccount, id: string, operation: string): Promise<Found<RazorpayPayment>> {
  try {
    const response = await client.call(account, operation, 'GET', `/v1/payments/${encodeURIComponent(id)}`, null);
    const body = parseJson(response.text);
    if (response.status === 200 && isPayment(body)) return { ok: true, value: body };
    if (response.status >= 500 || response.status === 429 || body === undefined)
      return { ok: false, outcome: { kind: 'UNKNOWN', raw: { code: `HTTP_${response.status}`, message: 'Razorpay did not answer the payment', gatewayTxnId: id } } };
    // A refused read (wrong keys, unknown id) says nothing about the payment itself: it settles nothing.
    return { ok: false, outcome: { kind: 'UNKNOWN', raw: failedFromError(response.status, body, id).raw } };
  } catch (error) {
    return { ok: false, outcome: readTransportOutcome(error, id) };
  }
}

/** The order we created for this txn reference, if any (GET /v1/orders?receipt=). */
export async function findOrder(client: RazorpayClient, account: ConnectorAccount, txnId: string, operation: 'authorize' | 'syncStatus'): Promise<Found<RazorpayOrder | null>> {
  try {
    const response = await client.call(account, operation, 'GET', `/v1/orders?receipt=${encodeURIComponent(receiptOf(txnId))}&count=10`, null);
    const body = parseJson(response.text);
    const items = itemsOf(body);
    // Before any payment, a refusal (wrong keys) is a failure nothing was charged for; while syncing it tells nothing.
    if (operation === 'authorize' && response.status >= 400 && response.status < 500 && errorOf(body)) return { ok: false, outcome: failedFromError(response.status, body) };
    if (response.status !== 200 || !items)
      return { ok: false, outcome: { kind: 'UNKNOWN', raw: { code: `HTTP_${response.status}`, message: 'Razorpay did not list the orders', gatewayTxnId: null } } };
    const order = items.filter(isOrder).find((o) => o.receipt === receiptOf(txnId));
    return { ok: true, value: order ?? null };
  } catch (error) {
    // Before a payment: refused = nothing sent (another gateway may try); a timeout tells nothing.
    return { ok: false, outcome: operation === 'authorize' ? paymentTransportOutcome(error, null, RAZORPAY_STATUS_TABLE.CONNECTION_REFUSED!) : readTransportOutcome(error, null) };
  }
}

export async function orderPayments(client: RazorpayClient, account: ConnectorAccount, orderId: string, operation: string): Promise<Found<RazorpayPayment[]>> {
  try {
    const response = await client.call(account, operation, 'GET', `/v1/orders/${encodeURIComponent(orderId)}/payments`, null);
    const items = itemsOf(parseJson(response.text));
    if (response.status !== 200 || !items)
      return { ok: false, outcome: { kind: 'UNKNOWN', raw: { code: `HTTP_${response.status}`, message: "Razorpay did not list the order's payments", gatewayTxnId: null } } };
    return { ok: true, value: items.filter(isPayment) };
  } catch (error) {
    return { ok: false, outcome: readTransportOutcome(error, null) };
  }
}

/** The state of the payment an order already has (a retried attempt), or null when it has none. */
export async function existingPayment(client: RazorpayClient, account: ConnectorAccount, orderId: string, operation: string): Promise<AuthorizeOutcome | null> {
  const payments = await orderPayments(client, account, orderId, operation);
  if (!payments.ok) return payments.outcome;
  const payment = decisivePayment(payments.value);
  return payment ? outcomeOfPayment(payment) : null;
}

export async function createOrder(client: RazorpayClient, account: ConnectorAccount, body: Json): Promise<Found<RazorpayOrder>> {
  try {
    const response = await client.call(account, 'createOrder', 'POST', '/v1/orders', body);
    const answer = parseJson(response.text);
    if (response.status === 200 && isOrder(answer)) return { ok: true, value: answer };
    if (response.status < 500 && errorOf(answer)) return { ok: false, outcome: failedFromError(response.status, answer) };
    return { ok: false, outcome: failed('order_not_created', `Razorpay answered HTTP ${response.status} to the order: no payment was made`, null, answer) };
  } catch (error) {
    if (!(error instanceof TransportError)) throw error;
    // An order alone charges nothing, and no payment was asked for: safe to try elsewhere.
    if (error.nothingSent) return { ok: false, outcome: paymentTransportOutcome(error, null, RAZORPAY_STATUS_TABLE.CONNECTION_REFUSED!) };
    return { ok: false, outcome: failed('order_not_created', `${error.message}: no payment was made`, null) };
  }
}

export async function readOutcome(client: RazorpayClient, account: ConnectorAccount, id: string, operation: string): Promise<AuthorizeOutcome> {
  const found = await fetchPayment(client, account, id, operation);
  return found.ok ? outcomeOfPayment(found.value) : found.outcome;
}
