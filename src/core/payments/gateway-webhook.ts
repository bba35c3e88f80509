// A gateway's webhook for one of our accounts: verified and parsed by its connector, processed once
// per event id, and applied to the attempt or the refund it names.
import { AppError, notFound } from '../errors.ts';
import type { Connector, IncomingHttpRequest } from '../ports/connector.ts';
import { ConnectorError } from '../ports/connector.ts';
import type { ApplyOutcome } from './apply-outcome.ts';
import type { PaymentContext } from './payment-context.ts';
import type { RefundFlow } from './refund-flow.ts';

type IncomingWebhook = Awaited<ReturnType<Connector['parseWebhook']>>;

export type GatewayWebhookDeps = Pick<PaymentContext, 'store' | 'connectors' | 'merchants'> & Pick<RefundFlow, 'settleRefund'> & { applyOutcome: ApplyOutcome };

export function createHandleGatewayWebhook({ store, connectors, merchants, settleRefund, applyOutcome }: GatewayWebhookDeps) {
  /** The event as the connector reads it; a forged or garbled webhook is the sender's error (4xx), not ours: it changes nothing. */
  async function parse(connector: Connector, merchantId: string, accountId: string, request: IncomingHttpRequest): Promise<IncomingWebhook> {
    const account = await merchants.connectorAccount(merchantId, accountId);
    try {
      return await connector.parseWebhook(account, request);
    } catch (error) {
      if (error instanceof ConnectorError && error.kind === 'SIGNATURE') {
        throw new AppError('INVALID_INPUT', 'Webhook signature does not match', { fields: [{ field_name: 'signature', reason: 'does not match the account webhook secret' }] });
      }
      if (error instanceof ConnectorError && error.kind === 'PROTOCOL') {
        throw new AppError('INVALID_INPUT', `Webhook body not understood: ${error.message}`, { fields: [{ field_name: 'body', reason: 'is not a webhook of this gateway' }] });
      }
      throw error;
    }
  }

  /** A payment event: applied to the attempt it names, on this merchant's account. */
  async function applyPaymentEvent(gateway: string, accountId: string, merchantId: string, event: Extract<IncomingWebhook, { kind: 'PAYMENT' }>): Promise<{ handled: boolean }> {
    let txn = await store.findTxnByGatewayTxnId(gateway, event.gatewayTxnId);
    if ((!txn || txn.merchantId !== merchantId) && event.merchantReference) {
      // An attempt that timed out knows no gateway id yet: our txn id, sent as the reference, finds it
      // (only on this account, and only while it has no other gateway id).
      const byReference = await store.getTxnByTxnId(merchantId, event.merchantReference);
      if (byReference && byReference.gatewayAccountId === accountId && (byReference.gatewayTxnId === null || byReference.gatewayTxnId === event.gatewayTxnId)) txn = byReference;
    }
    if (!txn || txn.merchantId !== merchantId) {
      // Perhaps ahead of our own record of the payment (the event came before the gateway's answer did): a redelivery must still count.
      if (event.eventId) await store.forgetGatewayEvent(accountId, event.eventId);
      return { handled: false };
    }
    await applyOutcome(txn, event.outcome);
    return { handled: true };
  }

  /** An incoming gateway webhook for one of our accounts. */
  return async function handleGatewayWebhook(gateway: string, accountId: string, merchantId: string, request: IncomingHttpRequest): Promise<{ handled: boolean; duplicate?: boolean }> {
    const connector = connectors.get(gateway);
    if (!connector) throw notFound(`Gateway ${gateway}`);
    const event = await parse(connector, merchantId, accountId, request);
    if (event.kind === 'IGNORED') return { handled: false };
    // A provider delivers an event more than once: process each event id once per account.
    if (event.eventId && !(await store.recordGatewayEvent(merchantId, accountId, event.eventId))) return { handled: false, duplicate: true };
    try {
      if (event.kind === 'PAYMENT') return await applyPaymentEvent(gateway, accountId, merchantId, event);
      // Our refund id when the event names it, else the gateway's id of the refund we stored when it was accepted.
      const refundId = event.refundId ?? (await store.getRefundByRef(merchantId, event.gatewayRefundId))?.id;
      if (!refundId) return { handled: false };
      await settleRefund(refundId, event.outcome);
      return { handled: true };
    } catch (error) {
      // Not processed: the provider's next delivery must be.
      if (event.eventId) await store.forgetGatewayEvent(accountId, event.eventId);
      throw error;
    }
  };
}
