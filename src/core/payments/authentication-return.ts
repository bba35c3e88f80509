// The shopper's browser back from the bank page (3-D Secure, a wallet, a UPI collect wait): the
// authentication is completed with the gateway, then the shopper is sent on to the merchant with
// signed return parameters.
import { notFound } from '../errors.ts';
import { signReturnParams } from '../signature.ts';
import { STATUS_ID } from '../status.ts';
import type { ApplyOutcome } from './apply-outcome.ts';
import type { PaymentContext } from './payment-context.ts';
import type { SyncTxn } from './status-sync.ts';
import type { Order, Txn } from './types.ts';

export type AuthenticationReturnDeps = Pick<PaymentContext, 'store' | 'connectors' | 'merchants'> & { applyOutcome: ApplyOutcome; syncTxn: SyncTxn };

export function createCompleteAuthentication({ store, connectors, merchants, applyOutcome, syncTxn }: AuthenticationReturnDeps) {
  async function signedReturnUrl(order: Order): Promise<string | null> {
    if (!order.returnUrl) return null;
    const params: Record<string, string> = { order_id: order.orderId, status: order.status, status_id: String(STATUS_ID[order.status]) };
    const signature = signReturnParams(params, await merchants.responseKey(order.merchantId));
    const url = new URL(order.returnUrl);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    url.searchParams.set('signature', decodeURIComponent(signature));
    url.searchParams.set('signature_algorithm', 'HMAC-SHA256');
    return url.toString();
  }

  /** The shopper's browser comes back from the bank page: finish authentication, then send them to the merchant. */
  return async function completeAuthentication(txnUuid: string, params: Record<string, string>): Promise<{ redirectTo: string | null; order: Order; txn: Txn; waiting?: boolean }> {
    const txn = await store.getTxn(txnUuid);
    if (!txn) throw notFound('Transaction');
    let current = txn;
    if (txn.status === 'PENDING_VBV' && txn.upi?.txn_type === 'UPI_COLLECT') {
      // The page the shopper waits on while approving the collect request: ask the gateway, and keep
      // waiting (the page refreshes) until the payment settles; then on to the merchant.
      current = await syncTxn(txn.id);
      if (current.status === 'PENDING_VBV') return { redirectTo: null, order: (await store.getOrderByPk(current.orderPk))!, txn: current, waiting: true };
    } else if ((txn.status === 'PENDING_VBV' || txn.status === 'VBV_SUCCESSFUL') && txn.gateway && txn.gatewayAccountId && txn.gatewayTxnId) {
      const connector = connectors.get(txn.gateway);
      if (connector) {
        const account = await merchants.connectorAccount(txn.merchantId, txn.gatewayAccountId);
        const outcome = await connector.completeAuthentication(account, txn.gatewayTxnId, params);
        current = (await applyOutcome(txn, outcome)).txn;
      }
    }
    const order = (await store.getOrderByPk(current.orderPk))!;
    return { redirectTo: await signedReturnUrl(order), order, txn: current };
  };
}
