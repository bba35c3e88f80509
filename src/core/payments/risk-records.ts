// What the payment path stores and reads of risk checks: an attempt's risk record, the risk context
// of a stored attempt, and which outcomes count as declines. Pure: no store, no clock of its own.
import type { AuthorizeOutcome } from '../ports/connector.ts';
import type { RiskScreenResult } from '../ports/risk-screen.ts';
import type { RiskContext } from '../../risk/types.ts';
import type { Order, Txn, TxnRisk } from './types.ts';

/** The risk record of an attempt from a screening result; `held`: waits for a reviewer from now on. */
export function txnRiskOf(result: RiskScreenResult, held: boolean, now: () => Date, sources?: TxnRisk['sources']): TxnRisk {
  const a = result.assessment;
  return {
    provider: a.provider,
    action: a.action,
    score: a.score,
    code: a.code,
    reasons: a.reasons,
    checks: a.checks.map((c) => ({ check: c.check, action: c.action, score: c.score, reasons: c.reasons })),
    allowlisted: a.allowlisted,
    mode: result.mode,
    ...(held ? { review: { state: 'PENDING' as const, heldAt: now().toISOString() } } : {}),
    ...(sources ? { sources } : {}),
  };
}

export function riskDeclineMessage(risk: TxnRisk): string {
  return `Declined by risk checks: ${risk.reasons[0] ?? risk.code ?? 'blocked'}`.slice(0, 500);
}

/**
 * The risk context of a stored attempt, for what comes after the request is gone (a later
 * post-authorisation check, a later decline counted by the card-testing guard): the order's fields, the attempt's card (bin, fingerprint, brand, issuer) and the
 * sources the attempt kept (client IP, customer id). The device id and the IP country were not
 * stored and are absent.
 */
export function storedRiskContext(order: Order, txn: Txn, nowMillis: number): RiskContext {
  const c = txn.card;
  return {
    merchantId: order.merchantId,
    orderId: order.orderId,
    amount: order.amount,
    currency: order.currency,
    paymentMethodType: txn.paymentMethodType,
    paymentMethod: txn.paymentMethod || null,
    card: c
      ? {
          fingerprint: c.card_fingerprint || null,
          bin: txn.risk?.sources?.bin ?? c.card_isin,
          extendedBin: c.extended_card_isin || null,
          brand: c.card_brand,
          type: c.card_type,
          issuer: c.card_issuer,
          issuerCountry: c.card_issuer_country,
        }
      : null,
    email: order.customerEmail,
    customerId: txn.risk?.sources?.customerId ?? order.customerId,
    clientIp: txn.risk?.sources?.clientIp ?? null,
    deviceId: null,
    billingCountry: order.billingAddress.country ?? null,
    ipCountry: null,
    metadata: order.metadata,
    udf: order.udf,
    nowMillis,
  };
}

/** A decline the card-testing guard counts: a hard or soft decline or failed authentication, not a technical error. */
export function isDecline(txn: Txn, outcome: AuthorizeOutcome): boolean {
  return (txn.status === 'AUTHORIZATION_FAILED' || txn.status === 'AUTHENTICATION_FAILED') && outcome.kind === 'FAILED' && outcome.failure !== 'TECHNICAL_ERROR' && outcome.failure !== 'GATEWAY_DOWN';
}

/** One event id per attempt: a repeated report can never count twice in the counters either. */
export function cardTestingEventId(txn: Pick<Txn, 'id'>): string {
  return `ct_${txn.id}`;
}
