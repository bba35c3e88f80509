// Between the payment path's routing seam and the routing engine: candidates -> engine gateway
// accounts, RoutingRequest -> RoutingPayment, and the engine's chosen gateways back to accounts.
import type { GatewayAccount, RoutingPayment, UdfKey } from '../../routing/index.ts';
import { UDF_KEYS } from '../../routing/index.ts';
import { ineligibilityReason } from '../payments/default-router.ts';
import type { GatewayAccountCandidate, RoutedGateway, RoutingRequest } from '../ports/router.ts';

/**
 * Candidates in the order the engine should consider a gateway's accounts: the order's gateway
 * reference id first (metadata.JUSPAY:gateway_reference_id), then by priority, so "first eligible
 * account" means what the default router would pick.
 */
export function orderedCandidates(candidates: readonly GatewayAccountCandidate[], preferredReferenceId: string | null): GatewayAccountCandidate[] {
  const rank = (c: GatewayAccountCandidate): number => (preferredReferenceId && c.gatewayReferenceId === preferredReferenceId ? 0 : 1);
  return [...candidates].sort((a, b) => rank(a) - rank(b) || a.priority - b.priority || a.gateway.localeCompare(b.gateway) || a.accountId.localeCompare(b.accountId));
}

export function toEngineAccounts(candidates: readonly GatewayAccountCandidate[], preferredReferenceId: string | null = null): GatewayAccount[] {
  return orderedCandidates(candidates, preferredReferenceId).map((c) => ({
    gateway: c.gateway,
    gatewayReferenceId: c.gatewayReferenceId,
    enabled: c.enabled,
    paymentMethodTypes: [...c.paymentMethodTypes],
    paymentMethods: [...c.paymentMethods],
    cardBrands: [...c.cardBrands],
    currencies: [...c.currencies],
  }));
}

export function toRoutingPayment(request: RoutingRequest): RoutingPayment {
  const udf: Partial<Record<UdfKey, string | null>> = {};
  for (const key of UDF_KEYS) if (typeof request.udf[key] === 'string') udf[key] = request.udf[key];
  return {
    merchantId: request.merchantId,
    orderId: request.orderId,
    txnId: request.txnId,
    amount: request.amount,
    currency: request.currency,
    paymentMethodType: request.paymentMethodType,
    paymentMethod: request.paymentMethod || null,
    authType: request.authType,
    card: request.card
      ? {
          bin: request.card.bin, extendedBin: request.card.extendedBin || null, brand: request.card.brand, type: request.card.type,
          subType: request.card.subType, issuer: request.card.issuer, issuerCountry: request.card.issuerCountry,
        }
      : null,
    upi: request.upi ? { txnType: request.upi.txnType, app: request.upi.app } : null,
    wallet: request.wallet,
    bank: request.bank,
    emi: request.emi,
    customerId: request.customerId,
    productId: request.productId,
    description: request.description,
    udf,
    metadata: { ...request.metadata },
    billingCountry: request.billingCountry,
    shippingCountry: request.shippingCountry,
    isDomestic: request.card?.issuerCountry && request.billingCountry ? request.card.issuerCountry === request.billingCountry : null,
    preferredGateway: request.preferredGateway,
    platform: null,
    addToLocker: request.addToLocker,
    nowMillis: request.nowMillis,
    gateways: toEngineAccounts(request.candidates, request.gatewayReferenceId),
  };
}

/**
 * The account behind one of the engine's final gateways: the one with its reference id when it
 * names one, else the order's reference id, else the lowest priority eligible account.
 */
export function pickAccount(request: RoutingRequest, gateway: string, referenceId: string | null): GatewayAccountCandidate | null {
  const eligible = orderedCandidates(request.candidates, request.gatewayReferenceId).filter(
    (c) => c.gateway === gateway && ineligibilityReason(c, request) === null,
  );
  if (referenceId !== null) {
    const exact = eligible.find((c) => c.gatewayReferenceId === referenceId);
    if (exact) return exact;
  }
  return eligible[0] ?? null;
}

export function toRouted(c: GatewayAccountCandidate): RoutedGateway {
  return { accountId: c.accountId, gateway: c.gateway, gatewayId: c.gatewayId, gatewayReferenceId: c.gatewayReferenceId };
}
