// A stored payment back into the routing engine's input, and the chances its logged decision had
// (issue 17, item 1). The same facts the payment path gave the engine (payment-service.ts
// routingInput): the attempt's method and card, the order's amount, udfs, metadata, addresses and
// preferred gateway, at the time the payment was made. Not stored, so not replayed: EMI details and
// the payment's platform (null, as on the payment path).
import type { GatewayAccount, LogicDefinition, RoutingPayment, UdfKey } from '../../routing/index.ts';
import { gatewayNameOf } from '../gateways.ts';
import type { LoggedDecisionFacts, StoredPayment } from '../ports/backtest-store.ts';

export function routingPaymentOf(merchantId: string, p: StoredPayment, gateways: readonly GatewayAccount[]): RoutingPayment {
  const c = p.card;
  return {
    merchantId,
    orderId: p.orderId,
    txnId: p.id,
    amount: p.amount,
    currency: p.currency,
    paymentMethodType: p.paymentMethodType,
    paymentMethod: p.paymentMethod || null,
    authType: p.authType,
    card: c ? { bin: c.bin.slice(0, 6), extendedBin: c.extendedBin || null, brand: c.brand, type: c.type, subType: c.subType, issuer: c.issuer, issuerCountry: c.issuerCountry } : null,
    upi: p.upi,
    wallet: p.wallet,
    bank: p.bank,
    emi: null,
    customerId: p.customerId,
    productId: p.productId,
    description: p.description,
    udf: p.udf as Partial<Record<UdfKey, string | null>>,
    metadata: { ...p.metadata },
    billingCountry: p.billingCountry,
    shippingCountry: p.shippingCountry,
    isDomestic: c?.issuerCountry && p.billingCountry ? c.issuerCountry === p.billingCountry : null,
    preferredGateway: p.orderGatewayId ? (gatewayNameOf(p.orderGatewayId) ?? null) : null,
    preferredReferenceId: p.metadata['JUSPAY:gateway_reference_id'] ?? null,
    platform: null,
    addToLocker: c?.savedToLocker === true,
    nowMillis: p.createdAtMs,
    gateways,
    dryRun: true,
  };
}

/** The scoring segment of the report and the estimator: payment method type | payment method. */
export function segmentOf(p: Pick<StoredPayment, 'paymentMethodType' | 'paymentMethod'>): string {
  return `${p.paymentMethodType}|${p.paymentMethod || '-'}`;
}

/** The weighted parts of the split that decided, as (first gateway, weight). */
function splitOf(record: LoggedDecisionFacts, logic: LogicDefinition): { gateway: string; weight: number }[] | null {
  if (record.evaluationStatus === 'VOLUME_SPLIT' && logic.kind === 'VOLUME') return logic.splits.map((s) => ({ gateway: s.gateway, weight: s.weight }));
  if (record.evaluationStatus === 'RULE_MATCHED' && logic.kind === 'RULES' && record.matchedRuleIndex !== null) {
    const output = logic.rules[record.matchedRuleIndex]?.output;
    if (output?.type === 'VOLUME_SPLIT') return output.splits.map((s) => ({ gateway: s.gateway, weight: s.weight }));
    if (output?.type === 'VOLUME_SPLIT_PRIORITY') return output.splits.map((s) => ({ gateway: s.gateways[0]?.gateway ?? '', weight: s.weight }));
  }
  return null;
}

/**
 * The chances the logged decision had of choosing the gateway used and the draft's gateway, when it
 * was a volume split (a VOLUME logic, or a rule whose output is a split) whose pick was the gateway
 * used: the split's weights. Null otherwise (not randomised, or eligibility, the preferred gateway
 * or ranking changed the pick, so the weights no longer say what the chances were).
 */
export function loggedPropensities(record: LoggedDecisionFacts, logic: LogicDefinition | null, used: string, draft: string | null): { propensity: number | null; draftPropensity: number | null } {
  const none = { propensity: null, draftPropensity: null };
  if (!logic || record.role === 'DEFAULT_GATEWAYS' || record.firstProduced !== used) return none;
  const parts = splitOf(record, logic);
  if (!parts) return none;
  const total = parts.reduce((s, x) => s + Math.max(0, x.weight), 0);
  if (!(total > 0)) return none;
  const chance = (g: string | null): number => (g === null ? 0 : parts.reduce((s, x) => s + (x.gateway === g ? Math.max(0, x.weight) : 0), 0) / total);
  const p = chance(used);
  return p > 0 ? { propensity: Math.min(1, p), draftPropensity: chance(draft) } : none;
}
