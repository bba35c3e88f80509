// Authorising on Braintree: a sale, unless an earlier attempt already created one under our
// reference; a sale in another currency than the order's is released at once.
import type { AuthorizeOutcome, AuthorizeRequest, ConnectorAccount } from '../../core/ports/connector.ts';
import { failedFromRow, paymentTransportOutcome } from '../kit/outcomes.ts';
import { BRAINTREE_STATUS_TABLE } from './status-table.ts';
import { buildSaleRequest, outcomeOfPaymentAnswer, outcomeOfTransaction } from './transformers.ts';
import { keys, type BraintreeClient } from './braintree-client.ts';
import { refusedSearch, searchOrder } from './transaction-reads.ts';
import { modifyTransaction } from './modify-transaction.ts';

/**
 * Braintree charges in the currency of the merchant account: an answer in another currency means
 * the account is the wrong one for this order. The authorisation is released at once.
 */
async function guardCurrency(client: BraintreeClient, account: ConnectorAccount, outcome: AuthorizeOutcome, currency: string): Promise<AuthorizeOutcome> {
  const body = outcome.raw.body as { 'currency-iso-code'?: unknown } | undefined;
  const charged = typeof body?.['currency-iso-code'] === 'string' ? body['currency-iso-code'] : null;
  const id = outcome.raw.gatewayTxnId;
  if (!charged || charged === currency || !id || (outcome.kind !== 'CHARGED' && outcome.kind !== 'AUTHORIZED' && outcome.kind !== 'PENDING')) return outcome;
  const voided = await modifyTransaction(client, account, 'void', id, null);
  const message = `The Braintree merchant account charges ${charged}, not ${currency}`;
  if (voided.kind !== 'SUCCESS')
    return { kind: 'UNKNOWN', raw: { code: 'currency_mismatch', message: `${message}; releasing the authorisation failed (${voided.raw.code}): check it in the Control Panel`, gatewayTxnId: id } };
  const row = BRAINTREE_STATUS_TABLE.currency_mismatch!;
  return {
    ...failedFromRow('currency_mismatch', `${message}: the authorisation was voided`, row),
    raw: { code: 'currency_mismatch', message: `${message}: the authorisation was voided`, gatewayTxnId: id },
  };
}

export async function authorizeBraintree(client: BraintreeClient, account: ConnectorAccount, request: AuthorizeRequest): Promise<AuthorizeOutcome> {
  const built = buildSaleRequest(request, { merchantAccountId: account.credentials.merchant_account_id || null, rawCardDataEnabled: account.credentials.raw_card_data_enabled === 'true' });
  if ('refused' in built) return failedFromRow(built.refused, built.message, BRAINTREE_STATUS_TABLE[built.refused]!);
  keys(account);
  // No idempotency key in this API: a sale an earlier attempt created under our reference is that attempt's answer.
  try {
    const existing = await searchOrder(client, account, request.txnId.slice(0, 255), 'sale', 'authorize');
    if (!Array.isArray(existing)) return refusedSearch(existing.refusedWith, 'an earlier attempt');
    if (existing.length > 0) return guardCurrency(client, account, outcomeOfTransaction(existing[0]!), request.currency);
  } catch (error) {
    // Refused: nothing was sent, another gateway may try. Otherwise unknown: an earlier attempt may exist.
    return paymentTransportOutcome(error, null, BRAINTREE_STATUS_TABLE.CONNECTION_REFUSED!);
  }
  try {
    const response = await client.call(account, 'authorize', 'POST', '/transactions', built.body);
    return guardCurrency(client, account, outcomeOfPaymentAnswer(response.status, response.text), request.currency);
  } catch (error) {
    return paymentTransportOutcome(error, null, BRAINTREE_STATUS_TABLE.CONNECTION_REFUSED!);
  }
}
