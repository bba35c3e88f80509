// Default routing: a DEFAULT logic (its default gateways, tried in order), and the default
// ordering of a merchant with no active logic, made from the accounts themselves: every account
// that can take the payment, by priority, the order's preferred gateway first.

import { DEFAULT_ORDER, type EligibilityDrop, type RoutingDecisionRecord } from '../decision-record.ts';
import { accountIneligibility } from '../eligibility.ts';
import { structuralErrors } from '../validate.ts';
import type { CompiledLogic, DefaultLogic, GatewayAccount, RoutingPayment } from '../types.ts';

export function compileDefaultLogic(logic: DefaultLogic): CompiledLogic {
  const gateways = logic.defaultGateways;
  const compileErrors = structuralErrors(logic);
  return {
    kind: 'DEFAULT',
    name: logic.name,
    enforce: logic.enforce,
    defaultGateways: gateways,
    compileErrors,
    source: logic,
    evaluate() {
      if (compileErrors.length > 0) return { ok: false, reason: 'COMPILATION_ERROR', message: compileErrors.join('; ') };
      return { ok: true, gateways: gateways.slice(), enforced: logic.enforce, outcome: 'DEFAULT_ORDER' };
    },
    dispose() {},
  };
}

const byPriorityThenName = (a: GatewayAccount, b: GatewayAccount): number => a.priority - b.priority || a.gateway.localeCompare(b.gateway);

/**
 * The default ordering. Drops are per account, in the accounts' order: an account that cannot take
 * the payment, and, when the order names a gateway reference id, the other accounts of that
 * reference's gateway. Never enforced. The record names no logic (no id): no logic decided.
 */
export function decideDefaultOrder(p: RoutingPayment): RoutingDecisionRecord {
  const ref = p.preferredReferenceId ?? null;
  const drops: EligibilityDrop[] = [];
  const drop = (a: GatewayAccount, reason: EligibilityDrop['reason']): void => {
    drops.push({ gateway: a.gateway, gatewayReferenceId: a.gatewayReferenceId, accountId: a.accountId, reason, source: 'DEFAULT_ORDER' });
  };
  const eligible = p.gateways.filter((a) => {
    const reason = accountIneligibility(a, p);
    if (reason) drop(a, reason);
    // A gateway reference id on the order picks one credential set among a gateway's accounts.
    else if (ref && a.gatewayReferenceId !== ref && p.gateways.some((o) => o.gateway === a.gateway && o.gatewayReferenceId === ref)) drop(a, 'OTHER_GATEWAY_REFERENCE_ID');
    else return true;
    return false;
  });
  const ordered = [...eligible].sort(byPriorityThenName);
  const preferredAt = p.preferredGateway ? ordered.findIndex((a) => a.gateway === p.preferredGateway) : -1;
  if (preferredAt > 0) ordered.unshift(...ordered.splice(preferredAt, 1));
  return {
    logic: { name: DEFAULT_ORDER, kind: 'DEFAULT', role: 'DEFAULT_GATEWAYS' },
    primary: { name: DEFAULT_ORDER, status: 'SUCCESS', failure_reason: 'NO_ERROR' },
    evaluationStatus: 'DEFAULT_ORDER',
    producedList: [...p.gateways].sort(byPriorityThenName).map((a) => ({ gateway: a.gateway, gatewayReferenceId: a.gatewayReferenceId })),
    enforced: false,
    ...(p.preferredGateway ? { preferredGateway: { gateway: p.preferredGateway, applied: preferredAt >= 0 } } : {}),
    eligibilityDrops: drops,
    finalGateways: ordered.map((a) => ({ gateway: a.gateway, gatewayReferenceId: a.gatewayReferenceId })),
    ...(ordered.length === 0 ? { failureReason: 'NO_ELIGIBLE_GATEWAY' as const } : {}),
    decidedGateway: ordered[0]?.gateway ?? null,
    accountIds: ordered.map((a) => a.accountId),
  };
}
