// Reading a PaymentIntent: after the shopper's 3-D Secure return, and for the status sync (by its
// id, or, when the create call got no answer, by the txn id in its metadata).
import type { AuthorizeOutcome, ConnectorAccount } from '../../core/ports/connector.ts';
import { readTransportOutcome, parseJson } from '../kit/outcomes.ts';
import { STRIPE_STATUS_TABLE } from './status-table.ts';
import { isPaymentIntent, outcomeOfPaymentAnswer } from './transformers.ts';
import type { StripeClient } from './stripe-client.ts';

export async function retrievePaymentIntent(client: StripeClient, account: ConnectorAccount, id: string, operation: string): Promise<AuthorizeOutcome> {
  try {
    const response = await client.call(account, operation, 'GET', `/v1/payment_intents/${encodeURIComponent(id)}`, null);
    return outcomeOfPaymentAnswer(response.status, parseJson(response.text));
  } catch (error) {
    return readTransportOutcome(error, id);
  }
}

export async function syncStripeStatus(client: StripeClient, account: ConnectorAccount, reference: string): Promise<AuthorizeOutcome> {
  if (reference.startsWith('pi_')) return retrievePaymentIntent(client, account, reference, 'syncStatus');
  // The create call got no answer: find the PaymentIntent by the txn id we put in its metadata.
  try {
    const query = `metadata['txn_id']:'${reference.replace(/'/g, "\\'")}'`;
    const response = await client.call(account, 'syncStatus', 'GET', `/v1/payment_intents/search?query=${encodeURIComponent(query)}`, null);
    const body = parseJson(response.text) as { data?: unknown[] } | undefined;
    if (response.status === 200 && Array.isArray(body?.data)) {
      const found = body.data.find(isPaymentIntent);
      if (found) return outcomeOfPaymentAnswer(200, found);
      const entry = STRIPE_STATUS_TABLE.resource_missing!;
      return {
        kind: 'FAILED',
        raw: { code: 'resource_missing', message: 'Stripe has no PaymentIntent for this transaction: it was never created', gatewayTxnId: null },
        failure: 'VALIDATION_ERROR',
        unified: { code: 'TRANSACTION_NOT_FOUND', message: entry.unifiedMessage!, category: entry.category! },
      };
    }
    return outcomeOfPaymentAnswer(response.status, body);
  } catch (error) {
    return readTransportOutcome(error, null);
  }
}
