// The answer to POST /txns, and the page the shopper's browser comes back to after authentication.
import type { AuthorizeOutcome } from '../ports/connector.ts';
import { STATUS_ID } from '../status.ts';
import { txnView } from './order-status-view.ts';
import type { TxnResponse } from './payment-context.ts';
import type { Order, Txn } from './types.ts';
import { juspaySdkParams } from './upi-intent.ts';

export function returnPageUrl(publicBaseUrl: string, txn: Pick<Txn, 'id'>): string {
  return `${publicBaseUrl}/txns/${txn.id}/return`;
}

export function txnResponse(publicBaseUrl: string, order: Order, txn: Txn, outcome: AuthorizeOutcome | null): TxnResponse {
  const authentication = txn.status === 'PENDING_VBV' && txn.authentication ? txn.authentication : { method: 'GET', url: returnPageUrl(publicBaseUrl, txn) };
  return {
    order_id: order.orderId,
    txn_id: txn.txnId,
    txn_uuid: txn.id,
    status: txn.status,
    status_id: STATUS_ID[txn.status],
    payment: { authentication, ...(outcome?.kind === 'PENDING' && outcome.sdkParams ? { sdk_params: juspaySdkParams(outcome.sdkParams) } : {}) },
    ...(txn.errorCode ? { error_code: txn.errorCode, error_message: txn.errorMessage, unified_error: txnView(txn).unified_error } : {}),
  };
}
