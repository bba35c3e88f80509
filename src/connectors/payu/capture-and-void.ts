// Capture (capture_transaction) and void (cancel_refund_transaction on an authorisation), both on
// PayU's id for the payment, read first with verify_payment, and confirmed with it afterwards.
import type { CaptureOutcome, ConnectorAccount } from '../../core/ports/connector.ts';
import { modificationTransportOutcome } from '../kit/outcomes.ts';
import { unifiedError } from '../unified-errors.ts';
import { payuFailure } from './status-table.ts';
import { commandOk, payuToken, toPayuAmount, type PayuCommandAnswer } from './transformers.ts';
import type { PayuClient } from './payu-client.ts';
import { paymentOf, readPayment } from './verify-payment.ts';

const modificationFailure = (code: string, message: string, txnid: string, body?: Record<string, unknown>): CaptureOutcome => {
  const entry = payuFailure(code);
  return {
    kind: 'FAILURE',
    raw: { code, message, gatewayTxnId: txnid, ...(body ? { body } : {}) },
    unified: { code: entry.unifiedCode ?? 'INVALID_REQUEST', message: entry.unifiedMessage ?? entry.message, category: entry.category ?? 'BUSINESS_ERROR' },
  };
};
const unreadable = (txnid: string): CaptureOutcome => ({
  kind: 'FAILURE',
  raw: { code: 'UNREADABLE', message: "PayU's answer could not be read: the outcome is unknown", gatewayTxnId: txnid },
  unified: unifiedError('TIMEOUT_UNKNOWN'),
});
/** Sends a capture or void command: PayU's answer, or the outcome when there is none to read (not sent, cut off, a server error). */
async function sendCommand(
  client: PayuClient,
  account: ConnectorAccount,
  txnid: string,
  operation: 'capture' | 'void',
  name: string,
  vars: { var1: string; var2: string; var3: string },
): Promise<{ outcome: CaptureOutcome } | { answer: PayuCommandAnswer; body: Record<string, unknown> }> {
  let reply;
  try {
    reply = await client.command(account, operation, name, vars);
  } catch (error) {
    return { outcome: modificationTransportOutcome(error, txnid) };
  }
  if (reply.status >= 500 || !reply.answer) return { outcome: unreadable(txnid) };
  return { answer: reply.answer, body: reply.answer as Record<string, unknown> };
}
export const commandCode = (answer: PayuCommandAnswer | undefined): string =>
  answer?.error_code !== undefined && answer.error_code !== null && String(answer.error_code) !== ''
    ? String(answer.error_code)
    : /amount/i.test(answer?.msg ?? '')
      ? 'refund_exceeds_captured'
      : 'invalid_request';

export async function capturePayu(client: PayuClient, account: ConnectorAccount, txnid: string, amount: number, currency: string, key: string | undefined): Promise<CaptureOutcome> {
  const payment = await paymentOf(client, account, txnid, 'capture');
  if ('error' in payment)
    return { kind: 'FAILURE', raw: { code: 'UNKNOWN', message: 'PayU could not be asked for the payment before capturing', gatewayTxnId: txnid }, unified: unifiedError('TIMEOUT_UNKNOWN') };
  if ('failure' in payment) return modificationFailure(payment.failure, payment.message, txnid);
  const reply = await sendCommand(client, account, txnid, 'capture', 'capture_transaction', {
    var1: payment.mihpayid,
    var2: payuToken(key ?? `capture-${txnid}`),
    var3: toPayuAmount(amount, currency),
  });
  if ('outcome' in reply) return reply.outcome;
  const { answer, body } = reply;
  if (!commandOk(answer)) {
    const code = commandCode(answer);
    // 301: "Capture already successful for this transaction" (our retry after a lost answer).
    if (code === '301') return { kind: 'SUCCESS', raw: { code, message: answer.msg ?? 'Capture already successful', gatewayTxnId: txnid, body } };
    return modificationFailure(code, answer.msg ?? 'PayU refused the capture', txnid, body);
  }
  // "Capture Request Queued": done when verify_payment shows it captured, otherwise settled later by sync or callback.
  const after = await readPayment(client, account, txnid, 'capture');
  return after.kind === 'CHARGED'
    ? { kind: 'SUCCESS', raw: { code: 'captured', message: answer.msg ?? 'Captured', gatewayTxnId: txnid, body } }
    : { kind: 'PENDING', raw: { code: 'queued', message: answer.msg ?? 'Capture Request Queued', gatewayTxnId: txnid, body } };
}

export async function voidPayu(client: PayuClient, account: ConnectorAccount, txnid: string, key: string | undefined): Promise<CaptureOutcome> {
  const payment = await paymentOf(client, account, txnid, 'void');
  if ('error' in payment)
    return { kind: 'FAILURE', raw: { code: 'UNKNOWN', message: 'PayU could not be asked for the payment before voiding', gatewayTxnId: txnid }, unified: unifiedError('TIMEOUT_UNKNOWN') };
  if ('failure' in payment) return modificationFailure(payment.failure, payment.message, txnid);
  if (payment.unmapped === 'cancelled') return { kind: 'SUCCESS', raw: { code: 'cancelled', message: 'Already cancelled', gatewayTxnId: txnid } };
  // cancel_refund_transaction on a captured payment is a refund: a void only cancels an authorisation.
  if (payment.unmapped !== 'auth') return modificationFailure('111', `Only an authorised (pre-auth) payment can be voided; PayU shows it ${payment.unmapped || payment.status}`, txnid);
  const reply = await sendCommand(client, account, txnid, 'void', 'cancel_refund_transaction', { var1: payment.mihpayid, var2: payuToken(key ?? `void-${txnid}`), var3: payment.amount });
  if ('outcome' in reply) return reply.outcome;
  const { answer, body } = reply;
  if (!commandOk(answer)) return modificationFailure(commandCode(answer), answer.msg ?? 'PayU refused the cancellation', txnid, body);
  const after = await readPayment(client, account, txnid, 'void');
  return after.kind === 'VOIDED'
    ? { kind: 'SUCCESS', raw: { code: 'cancelled', message: answer.msg ?? 'Cancelled', gatewayTxnId: txnid, body } }
    : { kind: 'PENDING', raw: { code: 'queued', message: answer.msg ?? 'Cancel Request Queued', gatewayTxnId: txnid, body } };
}
