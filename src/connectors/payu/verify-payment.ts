// verify_payment: PayU's own record of a payment we name by txnid, which every other operation
// trusts over what a browser or an asynchronous answer said.
import type { AuthorizeOutcome, ConnectorAccount } from '../../core/ports/connector.ts';
import { readTransportOutcome } from '../kit/outcomes.ts';
import { outcomeOfResult, verifyEntry, type PayuResult } from './transformers.ts';
import type { PayuClient } from './payu-client.ts';

/** verify_payment by txnid: PayU's record of the payment, 'not found', or what stopped us reading it. */
export async function verifyPayment(client: PayuClient, account: ConnectorAccount, txnid: string, operation: string): Promise<{ entry: PayuResult } | { outcome: AuthorizeOutcome }> {
  let reply: Awaited<ReturnType<PayuClient['command']>>;
  try {
    reply = await client.command(account, operation, 'verify_payment', { var1: txnid });
  } catch (error) {
    return { outcome: readTransportOutcome(error, txnid) };
  }
  const entry = verifyEntry(reply.answer, txnid);
  if (reply.status >= 500 || !entry) {
    return {
      outcome: {
        kind: 'UNKNOWN',
        raw: { code: reply.status >= 500 ? `HTTP_${reply.status}` : 'UNREADABLE', message: reply.answer?.msg ?? 'PayU did not answer verify_payment with this transaction', gatewayTxnId: txnid },
      },
    };
  }
  return { entry };
}

export async function readPayment(client: PayuClient, account: ConnectorAccount, txnid: string, operation: string): Promise<AuthorizeOutcome> {
  const verified = await verifyPayment(client, account, txnid, operation);
  return 'outcome' in verified ? verified.outcome : outcomeOfResult(verified.entry, txnid);
}

/** mihpayid, state and amount of a payment we name by txnid (commands act on PayU's id). */
export async function paymentOf(
  client: PayuClient,
  account: ConnectorAccount,
  txnid: string,
  operation: string,
): Promise<{ mihpayid: string; unmapped: string; status: string; amount: string } | { failure: string; message: string } | { error: unknown }> {
  const verified = await verifyPayment(client, account, txnid, operation);
  if ('outcome' in verified) return { error: verified.outcome };
  const { entry } = verified;
  if (!entry.mihpayid || entry.mihpayid === 'Not Found') return { failure: '116', message: 'PayU has no transaction with this txnid' };
  return {
    mihpayid: String(entry.mihpayid),
    unmapped: String(entry.unmappedstatus ?? ''),
    status: String(entry.status ?? ''),
    amount: String(entry.amt ?? entry.transaction_amount ?? entry.amount ?? ''),
  };
}
