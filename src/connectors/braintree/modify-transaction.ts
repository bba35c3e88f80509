// Capture (submit_for_settlement) and void: a refusal as already done is read back, since done is done.
import type { CaptureOutcome, ConnectorAccount } from '../../core/ports/connector.ts';
import { modificationTransportOutcome } from '../kit/outcomes.ts';
import { BRAINTREE_STATUS_TABLE } from './status-table.ts';
import { CAPTURED_STATUSES, fromBraintreeAmount, isPathSegment, outcomeOfModification, toBraintreeAmount } from './transformers.ts';
import type { BraintreeClient } from './braintree-client.ts';
import { findTransaction } from './transaction-reads.ts';

export async function modifyTransaction(
  client: BraintreeClient,
  account: ConnectorAccount,
  kind: 'submit_for_settlement' | 'void',
  id: string,
  amount: { minor: number; currency: string } | null,
): Promise<CaptureOutcome> {
  const success = kind === 'void' ? 'voided' : 'captured';
  if (!isPathSegment(id))
    return {
      kind: 'FAILURE',
      raw: { code: 'HTTP_404', message: 'Not a Braintree transaction id', gatewayTxnId: id },
      unified: { code: 'TRANSACTION_NOT_FOUND', message: BRAINTREE_STATUS_TABLE.HTTP_404!.unifiedMessage!, category: BRAINTREE_STATUS_TABLE.HTTP_404!.category! },
    };
  let outcome: CaptureOutcome;
  try {
    const body = amount ? { transaction: { amount: toBraintreeAmount(amount.minor, amount.currency) } } : null;
    const response = await client.call(account, kind === 'void' ? 'void' : 'capture', 'PUT', `/transactions/${encodeURIComponent(id)}/${kind}`, body);
    outcome = outcomeOfModification(response.status, response.text, id, success);
  } catch (error) {
    return modificationTransportOutcome(error, id);
  }
  // Refused as already done (a retry of a call whose answer was lost)? Read it back: done is done.
  if (outcome.kind === 'FAILURE' && (outcome.raw.code === '91507' || outcome.raw.code === '91504')) {
    try {
      const current = await findTransaction(client, account, id, kind === 'void' ? 'void' : 'capture');
      const t = current.transaction;
      if (t && kind === 'void' && t.status === 'voided') return { kind: 'SUCCESS', raw: { code: 'voided', message: 'Already voided', gatewayTxnId: id } };
      if (t && kind === 'submit_for_settlement' && amount && CAPTURED_STATUSES.includes(t.status) && fromBraintreeAmount(t.amount, amount.currency) === amount.minor) {
        return { kind: 'SUCCESS', raw: { code: t.status, message: 'Already submitted for settlement for this amount', gatewayTxnId: id } };
      }
    } catch {
      // The refusal stands.
    }
  }
  return outcome;
}
