// Reading a PayPal order and settling it: an APPROVED order is completed (captured or authorized,
// by its intent) once 3-D Secure allows it, whether the payer came back to our return URL, a status
// sync found it approved, or a CHECKOUT.ORDER.APPROVED webhook said so (same PayPal-Request-Id: never twice).
import type { AuthorizeOutcome, ConnectorAccount } from '../../core/ports/connector.ts';
import { failedFromRow, paymentTransportOutcome, readTransportOutcome, parseJson } from '../kit/outcomes.ts';
import { PAYPAL_STATUS_TABLE } from './status-table.ts';
import { declined, isOrder, outcomeOfOrder, outcomeOfOrderAnswer, threeDsDecision, type PayPalOrder } from './transformers.ts';
import { PayPalAuthError } from './oauth-token.ts';
import type { PayPalClient } from './paypal-client.ts';

export const authFailure = (error: PayPalAuthError) => failedFromRow(error.code, error.message, PAYPAL_STATUS_TABLE[error.code]!);

export async function readOrder(client: PayPalClient, account: ConnectorAccount, orderId: string, operation: string): Promise<{ order: PayPalOrder } | { status: number; body: unknown }> {
  const response = await client.call(account, operation, 'GET', `/v2/checkout/orders/${encodeURIComponent(orderId)}`, null);
  const body = parseJson(response.text);
  return response.status === 200 && isOrder(body) ? { order: body } : { status: response.status, body };
}

/**
 * Completes an APPROVED order (capture or authorize, by its intent) once 3-D Secure allows it.
 * `returned`: the payer came back to our return URL, so an order still waiting for them was
 * abandoned or cancelled; otherwise (sync, webhook) it is still pending.
 */
export async function finishOrder(client: PayPalClient, account: ConnectorAccount, order: PayPalOrder, returned: boolean): Promise<AuthorizeOutcome> {
  if (order.status === 'APPROVED') {
    const decision = threeDsDecision(order);
    if (decision !== 'CONTINUE') return declined(decision, PAYPAL_STATUS_TABLE[decision]!.message, order.id, order);
    const action = order.intent === 'AUTHORIZE' ? 'authorize' : 'capture';
    try {
      const response = await client.call(account, `complete:${action}`, 'POST', `/v2/checkout/orders/${encodeURIComponent(order.id)}/${action}`, {}, `complete-${order.id}`);
      return outcomeOfOrderAnswer(response.status, parseJson(response.text), order.id);
    } catch (error) {
      if (error instanceof PayPalAuthError) return { ...authFailure(error), raw: { code: error.code, message: error.message, gatewayTxnId: order.id } };
      return paymentTransportOutcome(error, order.id, PAYPAL_STATUS_TABLE.CONNECTION_REFUSED!);
    }
  }
  if (returned && (order.status === 'CREATED' || order.status === 'PAYER_ACTION_REQUIRED')) {
    return declined('APPROVAL_NOT_COMPLETED', 'The payer came back from PayPal without approving the payment (cancelled or abandoned)', order.id, order);
  }
  return outcomeOfOrder(order);
}

export async function syncOrder(client: PayPalClient, account: ConnectorAccount, orderId: string, returned: boolean, operation: string): Promise<AuthorizeOutcome> {
  try {
    const read = await readOrder(client, account, orderId, operation);
    if ('order' in read) return finishOrder(client, account, read.order, returned);
    return outcomeOfOrderAnswer(read.status, read.body, orderId);
  } catch (error) {
    if (error instanceof PayPalAuthError) return { kind: 'UNKNOWN', raw: { code: error.code, message: error.message, gatewayTxnId: orderId } };
    return readTransportOutcome(error, orderId);
  }
}
