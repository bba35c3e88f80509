// Refunds (cancel_refund_transaction on a captured payment) and their state (check_action_status).
import type { ConnectorAccount, RefundOutcome, RefundRequest } from '../../core/ports/connector.ts';
import { refundTransportOutcome } from '../kit/outcomes.ts';
import { TransportError } from '../kit/transport.ts';
import { unifiedError } from '../unified-errors.ts';
import { payuFailure } from './status-table.ts';
import { actionRecords, commandOk, payuToken, storableResult, toPayuAmount, type PayuActionRecord } from './transformers.ts';
import type { PayuClient } from './payu-client.ts';
import { paymentOf } from './verify-payment.ts';
import { commandCode } from './capture-and-void.ts';

export function refundOutcomeOf(record: PayuActionRecord, txnid: string): RefundOutcome {
  const status = (record.status ?? '').toLowerCase();
  const raw = { code: status || 'queued', message: `PayU refund ${status || 'queued'}`, gatewayTxnId: txnid, body: storableResult(record as Record<string, unknown>) };
  if (status === 'success') return { kind: 'SUCCESS', raw, arn: record.bank_arn ? String(record.bank_arn) : null, gatewayRefundId: record.request_id };
  if (status === 'failure' || status === 'failed' || status === 'cancelled') return { kind: 'FAILURE', raw, unified: unifiedError('INVALID_STATE'), gatewayRefundId: record.request_id };
  return { kind: 'PENDING', raw, gatewayRefundId: record.request_id };
}

export async function actionStatus(client: PayuClient, account: ConnectorAccount, var1: string, byPayuId: boolean): Promise<PayuActionRecord[] | null> {
  const reply = await client.command(account, 'refundStatus', 'check_action_status', { var1, ...(byPayuId ? { var2: 'payuid' } : {}) });
  if (reply.status >= 500 || !reply.answer) return null;
  return actionRecords(reply.answer);
}

export async function refundPayu(client: PayuClient, account: ConnectorAccount, request: RefundRequest): Promise<RefundOutcome> {
  const txnid = request.gatewayTxnId;
  const token = payuToken(request.idempotencyKey);
  try {
    const payment = await paymentOf(client, account, txnid, 'refund');
    if ('error' in payment) return { kind: 'PENDING', raw: { code: 'UNKNOWN', message: 'PayU could not be asked for the payment: retry the refund', gatewayTxnId: txnid } };
    if ('failure' in payment) return { kind: 'FAILURE', raw: { code: payment.failure, message: payment.message, gatewayTxnId: txnid }, unified: unifiedError('TRANSACTION_NOT_FOUND') };
    // cancel_refund_transaction on an authorisation would cancel it: refunds are for captured payments.
    if (payment.unmapped !== 'captured')
      return {
        kind: 'FAILURE',
        raw: { code: '111', message: `Only a captured payment can be refunded; PayU shows it ${payment.unmapped || payment.status}`, gatewayTxnId: txnid },
        unified: unifiedError('INVALID_STATE'),
      };
    // A refund asked before under this token (our retry): report it instead of asking again.
    const earlier = await actionStatus(client, account, payment.mihpayid, true);
    const mine = earlier?.find((record) => record.token === token && (record.action ?? 'refund') === 'refund');
    if (mine) return refundOutcomeOf(mine, txnid);
    const reply = await client.command(account, 'refund', 'cancel_refund_transaction', { var1: payment.mihpayid, var2: token, var3: toPayuAmount(request.amount, request.currency) });
    if (reply.status >= 500 || !reply.answer)
      return {
        kind: 'PENDING',
        raw: { code: reply.status >= 500 ? `HTTP_${reply.status}` : 'UNREADABLE', message: "PayU's answer to the refund could not be read: retry the refund", gatewayTxnId: txnid },
      };
    const body = reply.answer as Record<string, unknown>;
    if (!commandOk(reply.answer)) {
      const code = commandCode(reply.answer);
      const entry = payuFailure(code);
      return {
        kind: 'FAILURE',
        raw: { code, message: reply.answer.msg ?? 'PayU refused the refund', gatewayTxnId: txnid, body },
        unified: { code: entry.unifiedCode ?? 'INVALID_REQUEST', message: entry.unifiedMessage ?? entry.message, category: entry.category ?? 'BUSINESS_ERROR' },
      };
    }
    const requestId = String(reply.answer.request_id ?? '');
    // "Refund Request Queued": its state is check_action_status's.
    const records = requestId ? await actionStatus(client, account, requestId, false) : null;
    const record = records?.find((r) => r.request_id === requestId);
    if (record) return refundOutcomeOf(record, txnid);
    return { kind: 'PENDING', raw: { code: 'queued', message: reply.answer.msg ?? 'Refund Request Queued', gatewayTxnId: txnid, body }, gatewayRefundId: requestId || null };
  } catch (error) {
    if (error instanceof TransportError) return refundTransportOutcome(error, txnid);
    throw error;
  }
}
