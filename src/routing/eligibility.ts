// Eligibility: which of the merchant's gateway accounts can take this payment. The one place it is
// decided: logics, the default ordering and ranking all ask here. Every drop has a reason so a
// decision can be explained.
//
// Case rule: capability lists are compared ASCII-case-insensitively with the payment's values.
// Stored lists are upper-cased when an account is saved and the payment path upper-cases payment
// method, brand and currency when it parses them, so on those values this is exact comparison;
// callers that pass raw values (decide-gateway's paymentInfo, dry-run samples) get the same answer.
// A payment value that is absent (null or '') has nothing to check against and never drops.

import type { GatewayAccount, GatewayRef, RoutingPayment } from './types.ts';

export type EligibilityReason = 'NOT_CONFIGURED' | 'DISABLED' | 'PAYMENT_METHOD_TYPE_NOT_SUPPORTED' | 'PAYMENT_METHOD_NOT_SUPPORTED' | 'CARD_BRAND_NOT_SUPPORTED' | 'CURRENCY_NOT_SUPPORTED';

export type Eligibility = { eligible: true; gatewayReferenceId: string | null; account: GatewayAccount } | { eligible: false; reason: EligibilityReason };

/** The payment facts eligibility reads. */
export type EligibilityFacts = Pick<RoutingPayment, 'paymentMethodType' | 'paymentMethod' | 'currency'> & { card: { brand: string | null } | null };

function supports(list: readonly string[], value: string | null | undefined): boolean {
  if (list.length === 0) return true;
  if (value == null || value === '') return true;
  const v = value.toUpperCase();
  for (const x of list) if (x.toUpperCase() === v) return true;
  return false;
}

/** Why this account cannot take the payment, or null when it can. */
export function accountIneligibility(a: GatewayAccount, p: EligibilityFacts): Exclude<EligibilityReason, 'NOT_CONFIGURED'> | null {
  if (!a.enabled) return 'DISABLED';
  if (!supports(a.paymentMethodTypes, p.paymentMethodType)) return 'PAYMENT_METHOD_TYPE_NOT_SUPPORTED';
  if (!supports(a.paymentMethods, p.paymentMethod)) return 'PAYMENT_METHOD_NOT_SUPPORTED';
  if (p.card && !supports(a.cardBrands, p.card.brand)) return 'CARD_BRAND_NOT_SUPPORTED';
  if (!supports(a.currencies, p.currency)) return 'CURRENCY_NOT_SUPPORTED';
  return null;
}

/** Priority order: lower priority first, then gateway name and account id so ties are stable. */
export function byPriority(a: GatewayAccount, b: GatewayAccount): number {
  return a.priority - b.priority || a.gateway.localeCompare(b.gateway) || a.accountId.localeCompare(b.accountId);
}

const ordered = new WeakMap<readonly GatewayAccount[], { ref: string | null; list: readonly GatewayAccount[] }>();

/**
 * The accounts in the order one of a gateway's accounts is chosen: the order's gateway reference
 * id first, then by priority.
 */
export function accountsInChoiceOrder(p: Pick<RoutingPayment, 'gateways' | 'preferredReferenceId'>): readonly GatewayAccount[] {
  const ref = p.preferredReferenceId ?? null;
  const cached = ordered.get(p.gateways);
  if (cached && cached.ref === ref) return cached.list;
  const rank = (a: GatewayAccount): number => (ref !== null && a.gatewayReferenceId === ref ? 0 : 1);
  const list = [...p.gateways].sort((a, b) => rank(a) - rank(b) || byPriority(a, b));
  ordered.set(p.gateways, { ref, list });
  return list;
}

/**
 * An entry with a reference id needs that exact account; without one, the first eligible account
 * of the gateway in choice order is taken. The chosen account is returned with its reference id.
 */
export function checkEligibility(g: GatewayRef, p: RoutingPayment): Eligibility {
  let firstProblem: EligibilityReason | null = null;
  let found = false;
  for (const a of accountsInChoiceOrder(p)) {
    if (a.gateway !== g.gateway) continue;
    if (g.gatewayReferenceId != null && a.gatewayReferenceId !== g.gatewayReferenceId) continue;
    found = true;
    const problem = accountIneligibility(a, p);
    if (problem === null) return { eligible: true, gatewayReferenceId: g.gatewayReferenceId ?? a.gatewayReferenceId, account: a };
    firstProblem ??= problem;
  }
  return { eligible: false, reason: found ? (firstProblem as EligibilityReason) : 'NOT_CONFIGURED' };
}
