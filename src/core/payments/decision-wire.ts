// The routing decision record outside the process: at the HTTP edge and in storage, which keeps
// the JSON it always kept (so rows written before and after read alike, and SQL over them holds).
// The APIs have always shown two shapes and keep showing them: the default ordering in the default router's snake_case words (final_gateways as
// names, drops per account), a logic's decision in the engine's camelCase (snake-cased as a whole
// where the API speaks snake_case: order status, transaction trace). The ranking block and the
// fallback-attempt fields have always been snake_case.
import { isDefaultOrdering, readDecisionRecord, type RankingRecord, type RoutingDecisionRecord } from '../../routing/index.ts';
import { snakeCaseKeys } from './order-status-view.ts';

export { readDecisionRecord };

function rankingWire(r: RankingRecord): Record<string, unknown> {
  return {
    mode: r.mode,
    applied: r.applied,
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.healthApplied !== undefined ? { health_applied: r.healthApplied } : {}),
    ...(r.explored !== undefined ? { explored: r.explored } : {}),
    ...(r.segment !== undefined ? { segment: r.segment } : {}),
    ...(r.logicOrder !== undefined ? { logic_order: r.logicOrder } : {}),
    ...(r.gateways !== undefined
      ? {
          gateways: r.gateways.map((g) => ({
            gateway: g.gateway,
            account_id: g.accountId,
            label: g.label,
            ...(g.score !== undefined ? { score: g.score } : {}),
            ...(g.mean !== undefined ? { mean: g.mean } : {}),
            ...(g.health !== undefined ? { health: g.health } : {}),
            ...(g.evidence !== undefined ? { evidence: g.evidence } : {}),
            ...(g.feeMinor !== undefined ? { fee_minor: g.feeMinor } : {}),
          })),
        }
      : {}),
  };
}

function followUps(r: RoutingDecisionRecord): Record<string, unknown> {
  return {
    ...(r.ranking ? { ranking: rankingWire(r.ranking) } : {}),
    ...(r.fallbackAttempt !== undefined ? { fallback_attempt: r.fallbackAttempt, previous_attempts: (r.previousAttempts ?? []).map((a) => ({ ...a })) } : {}),
  };
}

function defaultOrderingWire(r: RoutingDecisionRecord): Record<string, unknown> {
  const decided = r.finalGateways.length > 0;
  return {
    logic: { name: r.logic.name, kind: r.logic.kind, role: r.logic.role },
    evaluation_status: decided ? 'SUCCESS' : 'FAILURE',
    failure_reason: decided ? 'NO_ERROR' : 'NO_ELIGIBLE_GATEWAY',
    preferred_gateway: r.preferredGateway?.gateway ?? null,
    eligibility_drops: r.eligibilityDrops.map((d) => ({ gateway: d.gateway, account_id: d.accountId ?? null, reason: d.reason })),
    final_gateways: r.finalGateways.map((g) => g.gateway),
    decided_gateway: r.decidedGateway,
    ...followUps(r),
  };
}

function logicDecisionWire(r: RoutingDecisionRecord, accounts: boolean): Record<string, unknown> {
  return {
    logic: { id: r.logic.id, name: r.logic.name, version: r.logic.version, kind: r.logic.kind, role: r.logic.role },
    primary: r.primary,
    evaluationStatus: r.evaluationStatus,
    producedList: r.producedList,
    enforced: r.enforced,
    eligibilityDrops: r.eligibilityDrops.map((d) => ({ gateway: d.gateway, gatewayReferenceId: d.gatewayReferenceId, reason: d.reason, source: d.source })),
    finalGateways: r.finalGateways,
    ...(r.fallback ? { fallback: r.fallback } : {}),
    ...(r.matchedRule ? { matchedRule: r.matchedRule } : {}),
    ...(r.preferredGateway ? { preferredGateway: r.preferredGateway } : {}),
    ...(r.staggerBucket !== undefined ? { staggerBucket: r.staggerBucket } : {}),
    ...(r.failureReason ? { failureReason: r.failureReason } : {}),
    ...(accounts ? { decidedGateway: r.decidedGateway, accountIds: r.accountIds } : {}),
    ...followUps(r),
  };
}

/**
 * The record as decide-gateway and the dry run show it, and as a transaction stores it. `accounts: false` (dry run) leaves out
 * decidedGateway and accountIds, which only a decision for a real payment has ever shown.
 */
export function decisionWire(record: RoutingDecisionRecord, options: { accounts?: boolean } = {}): Record<string, unknown> {
  return isDefaultOrdering(record) ? defaultOrderingWire(record) : logicDecisionWire(record, options.accounts ?? true);
}

/** Keys in PostgreSQL's jsonb order (shorter first, then bytewise), as a stored record reads back. */
function jsonbOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonbOrder);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, jsonbOrder(v)]));
}

/** A stored transaction's record as the snake_case APIs (order status, transaction trace) show it. */
export function storedDecisionWire(record: RoutingDecisionRecord): Record<string, unknown> {
  return snakeCaseKeys(jsonbOrder(decisionWire(record))) as Record<string, unknown>;
}
