// Reading what Braintree holds: a transaction by its id, or the transactions carrying our reference
// as their order id (how a retried attempt finds what an earlier one created: the client API has
// no idempotency key).
import type { AuthorizeOutcome, ConnectorAccount } from '../../core/ports/connector.ts';
import { TransportError, type TransportResponse } from '../kit/transport.ts';
import { failedFromRow, readTransportOutcome } from '../kit/outcomes.ts';
import { BRAINTREE_STATUS_TABLE } from './status-table.ts';
import { outcomeOfPaymentAnswer, readAnswer, searchByOrderId, searchPage, str, type BraintreeBody, type BraintreeTransaction } from './transformers.ts';
import type { BraintreeClient } from './braintree-client.ts';

/** GET .../transactions/{id}: the transaction, null when Braintree does not know it; throws on transport errors. */
export async function findTransaction(
  client: BraintreeClient,
  account: ConnectorAccount,
  id: string,
  operation: string,
): Promise<{ status: number; text: string; transaction: BraintreeTransaction | null }> {
  const response = await client.call(account, operation, 'GET', `/transactions/${encodeURIComponent(id)}`, null);
  const answer = readAnswer(response.text);
  return { status: response.status, text: response.text, transaction: response.status === 200 && answer.kind === 'transaction' ? answer.transaction : null };
}

/**
 * A search is a read sent as a POST, so the transport does not repeat it: a connection cut before
 * the answer (a pooled socket the server closed) is tried again here, at most twice.
 */
async function search(client: BraintreeClient, account: ConnectorAccount, operation: string, path: string, body: BraintreeBody): Promise<TransportResponse> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.call(account, operation, 'POST', path, body);
    } catch (error) {
      if (!(error instanceof TransportError) || error.kind !== 'NETWORK' || attempt > 2) throw error;
    }
  }
}

/**
 * The transactions of one type with this order id, as the SDK's transaction.search does it:
 * advanced_search_ids, then advanced_search for those ids. Throws on transport errors; the HTTP
 * status when Braintree answered something other than a search result.
 */
export async function searchOrder(
  client: BraintreeClient,
  account: ConnectorAccount,
  orderId: string,
  type: 'sale' | 'credit',
  operation: string,
): Promise<BraintreeTransaction[] | { refusedWith: number }> {
  const idsResponse = await search(client, account, operation, '/transactions/advanced_search_ids', searchByOrderId(orderId, type));
  const ids = readAnswer(idsResponse.text);
  if (idsResponse.status !== 200 || ids.kind !== 'search-ids') return { refusedWith: idsResponse.status };
  if (ids.ids.length === 0) return [];
  const page = await search(client, account, operation, '/transactions/advanced_search', searchPage(orderId, type, ids.ids.slice(0, 50)));
  const found = readAnswer(page.text);
  if (page.status !== 200 || found.kind !== 'transactions') return { refusedWith: page.status };
  return found.transactions.filter((t) => str(t['order-id']) === orderId);
}

/** A search Braintree refused: keys, merchant or rate (4xx: nothing could have been created with these keys) or its own failure (unknown). */
export function refusedSearch(status: number, what: string): AuthorizeOutcome {
  if (status >= 400 && status < 500) return outcomeOfPaymentAnswer(status, '');
  return { kind: 'UNKNOWN', raw: { code: status >= 500 ? `HTTP_${status}` : 'search_failed', message: `Braintree did not answer the search for ${what}: the outcome is unknown`, gatewayTxnId: null } };
}

/** What a read says about a payment: the transaction, not known (404), or nothing (any other answer: the state is unknown). */
export function readOutcome(status: number, text: string, id: string | null): AuthorizeOutcome {
  if (status === 200) return outcomeOfPaymentAnswer(status, text);
  if (status === 404)
    return {
      ...failedFromRow('HTTP_404', 'Braintree does not know this transaction', BRAINTREE_STATUS_TABLE.HTTP_404!),
      raw: { code: 'HTTP_404', message: 'Braintree does not know this transaction', gatewayTxnId: id },
    };
  return { kind: 'UNKNOWN', raw: { code: `HTTP_${status}`, message: "Braintree did not answer the read: the payment's state is unknown", gatewayTxnId: id } };
}

export async function readTransaction(client: BraintreeClient, account: ConnectorAccount, id: string, operation: string): Promise<AuthorizeOutcome> {
  try {
    const response = await client.call(account, operation, 'GET', `/transactions/${encodeURIComponent(id)}`, null);
    return readOutcome(response.status, response.text, id);
  } catch (error) {
    return readTransportOutcome(error, id);
  }
}
