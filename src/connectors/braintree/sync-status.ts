// The status sync: by Braintree's id, or by our reference (the order id of the sale).
import type { AuthorizeOutcome, ConnectorAccount } from '../../core/ports/connector.ts';
import { failedFromRow, readTransportOutcome } from '../kit/outcomes.ts';
import { BRAINTREE_STATUS_TABLE } from './status-table.ts';
import { isPathSegment, outcomeOfTransaction } from './transformers.ts';
import type { BraintreeClient } from './braintree-client.ts';
import { findTransaction, readOutcome, searchOrder } from './transaction-reads.ts';

export async function syncBraintreeStatus(client: BraintreeClient, account: ConnectorAccount, reference: string): Promise<AuthorizeOutcome> {
  try {
    if (isPathSegment(reference)) {
      const found = await findTransaction(client, account, reference, 'syncStatus');
      if (found.transaction) return outcomeOfTransaction(found.transaction);
      if (found.status !== 404) return readOutcome(found.status, found.text, reference);
    }
    // Not a Braintree id (or unknown as one): our reference, the order id of the sale.
    const sales = await searchOrder(client, account, reference.slice(0, 255), 'sale', 'syncStatus');
    if (!Array.isArray(sales))
      return { kind: 'UNKNOWN', raw: { code: `HTTP_${sales.refusedWith}`, message: "Braintree did not answer the search: the payment's state is unknown", gatewayTxnId: null } };
    if (sales.length > 0) return outcomeOfTransaction(sales[0]!);
    return failedFromRow('transaction_not_found', BRAINTREE_STATUS_TABLE.transaction_not_found!.message, BRAINTREE_STATUS_TABLE.transaction_not_found!);
  } catch (error) {
    return readTransportOutcome(error, isPathSegment(reference) ? reference : null);
  }
}
