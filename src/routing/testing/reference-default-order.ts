// The default router as it was before the default ordering moved into the engine (kept verbatim
// as a reference for tests: the engine's default ordering must answer exactly as it did, and its
// record must render to the very record it stored). Exact-case comparisons, as it had.
import type { GatewayAccount, RoutingPayment } from '../types.ts';

function ineligibilityReason(candidate: GatewayAccount, request: RoutingPayment): string | null {
  if (!candidate.enabled) return 'DISABLED';
  if (candidate.paymentMethodTypes.length && !candidate.paymentMethodTypes.includes(request.paymentMethodType)) return 'PAYMENT_METHOD_TYPE_NOT_SUPPORTED';
  if (candidate.paymentMethods.length && !candidate.paymentMethods.includes(request.paymentMethod ?? '')) return 'PAYMENT_METHOD_NOT_SUPPORTED';
  const brand = request.card?.brand;
  if (brand && candidate.cardBrands.length && !candidate.cardBrands.includes(brand)) return 'CARD_BRAND_NOT_SUPPORTED';
  if (candidate.currencies.length && !candidate.currencies.includes(request.currency)) return 'CURRENCY_NOT_SUPPORTED';
  return null;
}

export function referenceDefaultOrder(request: RoutingPayment): { accountIds: string[]; record: Record<string, unknown> } {
  const candidates = request.gateways;
  const ref = request.preferredReferenceId ?? null;
  const drops: Array<{ gateway: string; account_id: string; reason: string }> = [];
  const eligible = candidates.filter((c) => {
    const reason = ineligibilityReason(c, request);
    if (reason) drops.push({ gateway: c.gateway, account_id: c.accountId, reason });
    else if (ref && c.gatewayReferenceId !== ref && candidates.some((o) => o.gateway === c.gateway && o.gatewayReferenceId === ref)) {
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
  return {
    accountIds: ordered.map((c) => c.accountId),
    record: {
      logic: { name: 'DEFAULT_ORDER', kind: 'DEFAULT', role: 'DEFAULT_GATEWAYS' },
      evaluation_status: ordered.length ? 'SUCCESS' : 'FAILURE',
      failure_reason: ordered.length ? 'NO_ERROR' : 'NO_ELIGIBLE_GATEWAY',
      preferred_gateway: request.preferredGateway,
      eligibility_drops: drops,
      final_gateways: ordered.map((g) => g.gateway),
      decided_gateway: ordered[0]?.gateway ?? null,
    },
  };
}
