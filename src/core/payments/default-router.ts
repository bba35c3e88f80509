// The plain router behind the routing seam: the merchant's enabled gateway accounts that can
// take the payment, by account priority, with the order's preferred gateway first.
import type { GatewayAccountCandidate, GatewayRouter, RoutingDecision, RoutingRequest } from '../ports/router.ts';

export function ineligibilityReason(candidate: GatewayAccountCandidate, request: RoutingRequest): string | null {
  if (!candidate.enabled) return 'DISABLED';
  if (candidate.paymentMethodTypes.length && !candidate.paymentMethodTypes.includes(request.paymentMethodType)) return 'PAYMENT_METHOD_TYPE_NOT_SUPPORTED';
  if (candidate.paymentMethods.length && !candidate.paymentMethods.includes(request.paymentMethod)) return 'PAYMENT_METHOD_NOT_SUPPORTED';
  const brand = request.card?.brand;
  if (brand && candidate.cardBrands.length && !candidate.cardBrands.includes(brand)) return 'CARD_BRAND_NOT_SUPPORTED';
  if (candidate.currencies.length && !candidate.currencies.includes(request.currency)) return 'CURRENCY_NOT_SUPPORTED';
  return null;
}

export function createDefaultRouter(): GatewayRouter {
  return {
    async decide(request: RoutingRequest): Promise<RoutingDecision> {
      const drops: Array<{ gateway: string; account_id: string; reason: string }> = [];
      const eligible = request.candidates.filter((c) => {
        const reason = ineligibilityReason(c, request);
        if (reason) drops.push({ gateway: c.gateway, account_id: c.accountId, reason });
        // A gateway reference id on the order picks one credential set among a gateway's accounts.
        else if (request.gatewayReferenceId && c.gatewayReferenceId !== request.gatewayReferenceId && request.candidates.some((o) => o.gateway === c.gateway && o.gatewayReferenceId === request.gatewayReferenceId)) {
          drops.push({ gateway: c.gateway, account_id: c.accountId, reason: 'OTHER_GATEWAY_REFERENCE_ID' });
          return false;
        }
        return reason === null;
      });
      const ordered = [...eligible].sort((a, b) => a.priority - b.priority || a.gateway.localeCompare(b.gateway));
      if (request.preferredGateway) {
        const index = ordered.findIndex((c) => c.gateway === request.preferredGateway);
        if (index > 0) ordered.unshift(...ordered.splice(index, 1));
      }
      const gateways = ordered.map((c) => ({ accountId: c.accountId, gateway: c.gateway, gatewayId: c.gatewayId, gatewayReferenceId: c.gatewayReferenceId }));
      return {
        gateways,
        enforced: false,
        record: {
          logic: { name: 'DEFAULT_ORDER', kind: 'DEFAULT', role: 'DEFAULT_GATEWAYS' },
          evaluation_status: gateways.length ? 'SUCCESS' : 'FAILURE',
          failure_reason: gateways.length ? 'NO_ERROR' : 'NO_ELIGIBLE_GATEWAY',
          preferred_gateway: request.preferredGateway,
          eligibility_drops: drops,
          final_gateways: gateways.map((g) => g.gateway),
          decided_gateway: gateways[0]?.gateway ?? null,
        },
      };
    },
  };
}
