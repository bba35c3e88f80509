// The shopper's browser came back with PayU's result.
import type { AuthorizeOutcome, ConnectorAccount } from '../../core/ports/connector.ts';
import { reverseHashValid } from './hash.ts';
import { fromPayuAmount, outcomeOfResult } from './transformers.ts';
import { credentials, type PayuClient } from './payu-client.ts';
import { verifyPayment } from './verify-payment.ts';

// The browser came back with PayU's result: trust it only with a valid reverse hash, and only as far as verify_payment agrees.
export async function completePayuAuthentication(client: PayuClient, account: ConnectorAccount, txnid: string, params: Record<string, string>): Promise<AuthorizeOutcome> {
  const { key, salt } = credentials(account);
  const signed = params.key === key && params.txnid === txnid && reverseHashValid(params, salt);
  const verified = await verifyPayment(client, account, txnid, 'completeAuthentication');
  if ('outcome' in verified) return verified.outcome;
  const outcome = outcomeOfResult(verified.entry, txnid);
  if (!signed) {
    // A forged or garbled return changes nothing by itself: only PayU's own final word counts.
    const final = outcome.kind === 'CHARGED' || outcome.kind === 'AUTHORIZED' || outcome.kind === 'VOIDED' || (outcome.kind === 'FAILED' && outcome.raw.code !== 'NOT_FOUND');
    if (final) return outcome;
    return {
      kind: 'UNKNOWN',
      raw: { code: 'REVERSE_HASH_MISMATCH', message: "The return from PayU is not signed with this account's salt: not trusted; the status sync settles the payment", gatewayTxnId: txnid },
    };
  }
  // Signed: the amount PayU reports must be the one it signed.
  if (
    (outcome.kind === 'CHARGED' || outcome.kind === 'AUTHORIZED') &&
    params.amount &&
    verified.entry.amt !== undefined &&
    fromPayuAmount(String(verified.entry.amt), 'INR') !== fromPayuAmount(params.amount, 'INR')
  ) {
    return { kind: 'UNKNOWN', raw: { code: 'AMOUNT_MISMATCH', message: 'PayU reports another amount than the signed return', gatewayTxnId: txnid } };
  }
  return outcome;
}
