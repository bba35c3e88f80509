// Status sync: the gateway is asked for the current state of an unsettled attempt, and the answer
// applied like any other outcome.
import { notFound } from '../errors.ts';
import type { ApplyOutcome } from './apply-outcome.ts';
import type { PaymentContext } from './payment-context.ts';
import type { Txn } from './types.ts';

/** How long a shopper may take on a gateway's page before an attempt the gateway still does not know is dropped. */
export const AUTHENTICATION_WINDOW_MS = 15 * 60_000;

export type StatusSyncDeps = Pick<PaymentContext, 'store' | 'connectors' | 'merchants' | 'now'> & { applyOutcome: ApplyOutcome };

/** Asks the gateway for the current state of an unsettled attempt (status sync job). */
export function createSyncTxn({ store, connectors, merchants, now, applyOutcome }: StatusSyncDeps) {
  return async function syncTxn(txnUuid: string): Promise<Txn> {
    const txn = await store.getTxn(txnUuid);
    if (!txn) throw notFound('Transaction');
    if (!txn.gateway || !txn.gatewayAccountId) return txn;
    const connector = connectors.get(txn.gateway);
    if (!connector) return txn;
    if (!txn.gatewayTxnId) {
      // We never heard back from authorize: only our merchant reference (the txn id we sent) identifies it.
      const outcome = await connector.syncStatus(await merchants.connectorAccount(txn.merchantId, txn.gatewayAccountId), txn.txnId);
      return (await applyOutcome(txn, outcome)).txn;
    }
    let outcome = await connector.syncStatus(await merchants.connectorAccount(txn.merchantId, txn.gatewayAccountId), txn.gatewayTxnId);
    if (outcome.kind === 'PENDING_AUTHENTICATION' && txn.status === 'PENDING_VBV') return txn;
    if (txn.status === 'PENDING_VBV' && outcome.kind === 'FAILED' && outcome.unified.code === 'TRANSACTION_NOT_FOUND') {
      // A redirect-first gateway (PayU's hosted page) knows the payment only once the shopper's browser
      // has posted it there: "not found" means not yet. Keep waiting for the shopper; past the window the
      // shopper has dropped the payment, which is not the gateway's failure.
      if (now().getTime() - txn.createdAt.getTime() < AUTHENTICATION_WINDOW_MS) return txn;
      outcome = {
        kind: 'FAILED',
        raw: outcome.raw,
        failure: 'AUTHENTICATION_FAILED',
        unified: { code: 'USER_DROPPED', message: 'The shopper did not complete the payment', category: 'USER_DROPPED' },
      };
    }
    return (await applyOutcome(txn, outcome)).txn;
  };
}

export type SyncTxn = ReturnType<typeof createSyncTxn>;
