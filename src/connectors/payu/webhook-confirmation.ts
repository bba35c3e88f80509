// PayU's callbacks: a payment callback is checked by its reverse hash; a refund callback is
// unsigned, so only what check_action_status says about its request id is believed.
import { ConnectorError, type ConnectorAccount, type IncomingHttpRequest, type IncomingWebhook } from '../../core/ports/connector.ts';
import { TransportError } from '../kit/transport.ts';
import type { PayuActionRecord } from './transformers.ts';
import { parsePayuPaymentCallback, readPayuCallback } from './webhooks.ts';
import { credentials, GATEWAY, type PayuClient } from './payu-client.ts';
import { actionStatus, refundOutcomeOf } from './refund.ts';

export async function parsePayuWebhook(client: PayuClient, account: ConnectorAccount, request: IncomingHttpRequest): Promise<IncomingWebhook> {
  const { key, salt } = credentials(account);
  const callback = readPayuCallback(request);
  if (callback.kind === 'OTHER') return { kind: 'IGNORED', reason: callback.reason };
  if (callback.kind === 'PAYMENT') return parsePayuPaymentCallback(callback.fields, key, salt);
  // A refund callback is unsigned: believe only what check_action_status says about its request id.
  if (callback.key !== null && callback.key !== key) throw new ConnectorError('PayU refund callback is for another merchant key', GATEWAY, 'SIGNATURE');
  let records: PayuActionRecord[] | null;
  try {
    records = await actionStatus(client, account, callback.requestId, false);
  } catch (error) {
    if (error instanceof TransportError) throw new ConnectorError('PayU could not confirm the refund callback now', GATEWAY, 'PROTOCOL');
    throw error;
  }
  const record = records?.find((r) => r.request_id === callback.requestId);
  if (!record) throw new ConnectorError('PayU does not confirm this refund callback', GATEWAY, 'SIGNATURE');
  const txnid = String(record.merchantTxnId ?? record.txnid ?? '');
  const outcome = refundOutcomeOf(record, txnid);
  return {
    kind: 'REFUND',
    gatewayRefundId: record.request_id,
    refundId: record.token ?? callback.token ?? record.request_id,
    outcome,
    eventId: `payu-refund:${record.request_id}:${record.status ?? ''}`,
  };
}
