// One attempt at one gateway: the connector's authorise call, a failure classified with the
// gateway status table, and the outcome applied to the attempt (with the call's latency).
import type { AuthorizeOutcome, AuthorizeRequest } from '../ports/connector.ts';
import type { RoutedGateway } from '../ports/router.ts';
import type { ApplyOutcome } from './apply-outcome.ts';
import type { FailureClassification, PaymentContext } from './payment-context.ts';
import type { CardInput, PaymentInput } from './payment-input.ts';
import { returnPageUrl } from './txn-response.ts';
import type { Order, Txn } from './types.ts';

type Failed = Extract<AuthorizeOutcome, { kind: 'FAILED' }>;

export type AuthorizeAttemptDeps = Pick<PaymentContext, 'connectors' | 'merchants' | 'log' | 'publicBaseUrl' | 'classifyFailure'> & { applyOutcome: ApplyOutcome };

/** The connector's request for this attempt. */
function authorizeRequest(publicBaseUrl: string, txn: Txn, payment: PaymentInput, card: CardInput | null, order: Order): AuthorizeRequest {
  return {
    txnId: txn.txnId,
    txnUuid: txn.id,
    orderId: order.orderId,
    merchantId: txn.merchantId,
    amount: txn.amount,
    currency: txn.currency,
    paymentMethodType: payment.paymentMethodType,
    paymentMethod: payment.paymentMethod,
    authType: payment.authType,
    captureMode: txn.txnType === 'PRE_AUTH' ? 'MANUAL' : 'AUTO',
    gatewayToken: payment.gatewayToken,
    card: card
      ? {
          number: card.number,
          expMonth: card.expMonth,
          expYear: card.expYear,
          cvv: card.cvv,
          holderName: card.holderName,
          bin: card.bin,
          last4: card.last4,
          brand: card.brand,
          type: card.type,
          issuer: card.issuer,
          issuerCountry: card.issuerCountry,
        }
      : null,
    upi: payment.upi ? { txnType: payment.upi.txnType, vpa: payment.upi.vpa, app: payment.upi.app } : null,
    wallet: payment.wallet,
    bank: payment.bank,
    customerId: order.customerId,
    customerEmail: order.customerEmail,
    customerPhone: order.customerPhone,
    returnUrl: returnPageUrl(publicBaseUrl, txn),
    idempotencyKey: txn.id,
  };
}

/** A failure with the status table's meaning applied over what the connector said. */
function classified(outcome: Failed, classification: FailureClassification): Failed {
  return {
    ...outcome,
    failure: classification.failureClass ?? outcome.failure,
    unified: {
      code: classification.unifiedCode ?? outcome.unified.code,
      message: classification.unifiedMessage ?? outcome.unified.message,
      category: classification.category ?? outcome.unified.category,
    },
  };
}

export function createAuthorizeAttempt({ connectors, merchants, log, publicBaseUrl, classifyFailure, applyOutcome }: AuthorizeAttemptDeps) {
  /** The gateway status table's row for a failure, or what the connector itself said. */
  async function classify(gateway: string, outcome: Failed): Promise<FailureClassification> {
    const row = classifyFailure ? await classifyFailure(gateway, outcome.raw.code) : null;
    if (row) return row;
    const retryable = outcome.failure === 'TECHNICAL_ERROR' || outcome.failure === 'GATEWAY_DOWN';
    return {
      unifiedCode: null,
      unifiedMessage: null,
      category: null,
      failureClass: outcome.failure,
      retryable,
      countsAgainstGateway: outcome.failure !== 'HARD_DECLINE' && outcome.failure !== 'AUTHENTICATION_FAILED',
    };
  }

  /** The connector's answer; a connector that throws leaves the attempt unknown. */
  async function callGateway(txn: Txn, chosen: RoutedGateway, payment: PaymentInput, card: CardInput | null, order: Order): Promise<AuthorizeOutcome> {
    const connector = connectors.get(chosen.gateway);
    if (!connector) {
      return {
        kind: 'FAILED',
        failure: 'TECHNICAL_ERROR',
        raw: { code: 'NO_CONNECTOR', message: `No connector for ${chosen.gateway}`, gatewayTxnId: null },
        unified: { code: 'GATEWAY_NOT_CONFIGURED', message: 'The gateway is not available', category: 'GATEWAY_ERROR' },
      };
    }
    try {
      const account = await merchants.connectorAccount(txn.merchantId, chosen.accountId);
      return await connector.authorize(account, authorizeRequest(publicBaseUrl, txn, payment, card, order));
    } catch (error) {
      // A thrown connector error is a broken integration; the payment may not have reached the gateway,
      // but we cannot be sure, so the attempt stays unsettled and the status sync resolves it.
      log('error', 'connector authorize threw', { gateway: chosen.gateway, txn: txn.txnId, error: error instanceof Error ? error.message : String(error) });
      return { kind: 'UNKNOWN', raw: { code: 'CONNECTOR_ERROR', message: error instanceof Error ? error.message : 'connector error', gatewayTxnId: null } };
    }
  }

  /** Asks the gateway, classifies a failure with the gateway status table, and records the outcome. */
  return async function authorizeAttempt(txn: Txn, chosen: RoutedGateway, payment: PaymentInput, card: CardInput | null, order: Order) {
    // The attempt's recorded latency: the account lookup and the gateway call, as the payment path saw them.
    const startedAt = Date.now();
    let outcome = await callGateway(txn, chosen, payment, card, order);
    const latencyMs = Date.now() - startedAt;
    const classification = outcome.kind === 'FAILED' ? await classify(chosen.gateway, outcome) : null;
    if (outcome.kind === 'FAILED' && classification) outcome = classified(outcome, classification);
    const settled = await applyOutcome(txn, outcome, { latencyMs, directAnswer: true });
    return { ...settled, outcome, classification: classification ?? { retryable: false, failureClass: null, countsAgainstGateway: false } };
  };
}

export type AuthorizeAttempt = ReturnType<typeof createAuthorizeAttempt>;
