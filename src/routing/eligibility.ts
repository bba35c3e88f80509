// Eligibility: which gateways of a list can actually take this payment, given the merchant's
// configured accounts. Every drop is recorded with a reason so a decision can be explained.

import type { GatewayAccount, GatewayRef, RoutingPayment } from './types.ts';

export type EligibilityReason =
  | 'NOT_CONFIGURED'
  | 'DISABLED'
  | 'PAYMENT_METHOD_TYPE_NOT_SUPPORTED'
  | 'PAYMENT_METHOD_NOT_SUPPORTED'
  | 'CARD_BRAND_NOT_SUPPORTED'
  | 'CURRENCY_NOT_SUPPORTED';

export type Eligibility = { eligible: true; gatewayReferenceId: string | null } | { eligible: false; reason: EligibilityReason };

function supports(list: readonly string[], value: string | null | undefined): boolean {
  if (list.length === 0) return true;
  if (value == null) return true; // nothing to check against (e.g. no payment method given)
  const v = value.toUpperCase();
  for (const x of list) if (x.toUpperCase() === v) return true;
  return false;
}

function accountProblem(a: GatewayAccount, p: RoutingPayment): EligibilityReason | null {
  if (!a.enabled) return 'DISABLED';
  if (!supports(a.paymentMethodTypes, p.paymentMethodType)) return 'PAYMENT_METHOD_TYPE_NOT_SUPPORTED';
  if (!supports(a.paymentMethods, p.paymentMethod)) return 'PAYMENT_METHOD_NOT_SUPPORTED';
  if (p.card && !supports(a.cardBrands, p.card.brand)) return 'CARD_BRAND_NOT_SUPPORTED';
  if (!supports(a.currencies, p.currency)) return 'CURRENCY_NOT_SUPPORTED';
  return null;
}

/**
 * An entry with a reference id needs that exact account; without one, any account of the gateway
 * will do and the first eligible account's reference id is reported.
 */
export function checkEligibility(g: GatewayRef, p: RoutingPayment): Eligibility {
  let firstProblem: EligibilityReason | null = null;
  let found = false;
  for (const a of p.gateways) {
    if (a.gateway !== g.gateway) continue;
    if (g.gatewayReferenceId != null && a.gatewayReferenceId !== g.gatewayReferenceId) continue;
    found = true;
    const problem = accountProblem(a, p);
    if (problem === null) return { eligible: true, gatewayReferenceId: g.gatewayReferenceId ?? a.gatewayReferenceId };
    firstProblem ??= problem;
  }
  return { eligible: false, reason: found ? (firstProblem as EligibilityReason) : 'NOT_CONFIGURED' };
}
