// Reads a stored decision record in any shape it was ever written in:
//  - the default router's (until 2026-12): snake_case, final_gateways as names, drops per account;
//  - the engine's (until 2026-12): camelCase, with a snake_case ranking block and the payment
//    path's fallback_attempt / previous_attempts;
//  - the current RoutingDecisionRecord (camelCase throughout).
// Returns null for what is not a decision record at all.

import type { EligibilityDrop, LogicStatus, PreviousAttempt, RankedGateway, RankingRecord, RoutingDecisionRecord } from './decision-record.ts';
import { DEFAULT_ORDER } from './decision-record.ts';
import type { GatewayRef } from './types.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** The value under the camelCase key, else under the snake_case one. */
const pick = (o: Json, camel: string, snake: string): unknown => (camel in o ? o[camel] : o[snake]);

function logicStatus(v: unknown): LogicStatus | undefined {
  if (!isObject(v)) return undefined;
  const out = { name: str(v.name) ?? '', status: v.status === 'FAILURE' ? 'FAILURE' : 'SUCCESS', failure_reason: pick(v, 'failureReason', 'failure_reason') } as LogicStatus;
  if (typeof v.message === 'string') out.message = v.message;
  return out;
}

function ranked(v: unknown): RankedGateway {
  const o = isObject(v) ? v : {};
  const out: RankedGateway = { gateway: str(o.gateway) ?? '', accountId: str(pick(o, 'accountId', 'account_id')) ?? '', label: str(o.label) ?? 'DEFAULT' };
  const score = num(o.score);
  const mean = num(o.mean);
  const evidence = num(o.evidence);
  const fee = pick(o, 'feeMinor', 'fee_minor');
  if (score !== undefined) out.score = score;
  if (mean !== undefined) out.mean = mean;
  if (typeof o.health === 'string') out.health = o.health;
  if (evidence !== undefined) out.evidence = evidence;
  if (typeof fee === 'number' || fee === null) out.feeMinor = fee;
  return out;
}

export function readRanking(v: unknown): RankingRecord | undefined {
  if (!isObject(v)) return undefined;
  const out: RankingRecord = { mode: str(v.mode) ?? 'OFF', applied: v.applied === true };
  if (typeof v.reason === 'string') out.reason = v.reason;
  if (typeof v.error === 'string') out.error = v.error;
  const health = pick(v, 'healthApplied', 'health_applied');
  if (typeof health === 'boolean') out.healthApplied = health;
  if (typeof v.explored === 'boolean') out.explored = v.explored;
  if (isObject(v.segment)) {
    const segment: Record<string, string | number> = {};
    for (const [k, x] of Object.entries(v.segment)) if (typeof x === 'string' || typeof x === 'number') segment[k] = x;
    out.segment = segment;
  }
  const order = pick(v, 'logicOrder', 'logic_order');
  if (Array.isArray(order)) out.logicOrder = order.filter((g): g is string => typeof g === 'string');
  if (Array.isArray(v.gateways)) out.gateways = v.gateways.map(ranked);
  return out;
}

function attempts(v: unknown): PreviousAttempt[] {
  return list(v)
    .filter(isObject)
    .map((a) => ({ gateway: str(a.gateway) ?? '', code: str(a.code) ?? '', unified: str(a.unified), retryable: a.retryable === true }));
}

function gatewayRef(v: unknown): GatewayRef {
  const o = isObject(v) ? v : {};
  const ref = pick(o, 'gatewayReferenceId', 'gateway_reference_id');
  return 'gatewayReferenceId' in o || 'gateway_reference_id' in o ? { gateway: str(o.gateway) ?? '', gatewayReferenceId: str(ref) } : { gateway: str(o.gateway) ?? '' };
}

/** The default router's record: snake_case, no logic id. */
function fromDefaultRouter(o: Json): RoutingDecisionRecord {
  const logic = isObject(o.logic) ? o.logic : {};
  const names = list(o.final_gateways).map((g) => (typeof g === 'string' ? g : (str(isObject(g) ? g.gateway : null) ?? '')));
  const finals = names.map((gateway) => ({ gateway, gatewayReferenceId: null }));
  const drops: EligibilityDrop[] = list(o.eligibility_drops)
    .filter(isObject)
    .map((d) => ({
      gateway: str(d.gateway) ?? '',
      gatewayReferenceId: null,
      ...(typeof d.account_id === 'string' ? { accountId: d.account_id } : {}),
      reason: (str(d.reason) ?? 'DISABLED') as EligibilityDrop['reason'],
      source: 'DEFAULT_ORDER',
    }));
  const preferred = str(o.preferred_gateway);
  const record: RoutingDecisionRecord = {
    logic: { name: str(logic.name) ?? DEFAULT_ORDER, kind: 'DEFAULT', role: 'DEFAULT_GATEWAYS' },
    primary: { name: str(logic.name) ?? DEFAULT_ORDER, status: 'SUCCESS', failure_reason: 'NO_ERROR' },
    evaluationStatus: 'DEFAULT_ORDER',
    producedList: finals.map((f) => ({ gateway: f.gateway })),
    enforced: false,
    ...(preferred ? { preferredGateway: { gateway: preferred, applied: names[0] === preferred } } : {}),
    eligibilityDrops: drops,
    finalGateways: finals,
    ...(finals.length === 0 ? { failureReason: 'NO_ELIGIBLE_GATEWAY' as const } : {}),
    decidedGateway: str(o.decided_gateway),
    accountIds: [],
  };
  return withFollowUps(record, o);
}

function withFollowUps(record: RoutingDecisionRecord, o: Json): RoutingDecisionRecord {
  const ranking = readRanking(o.ranking);
  if (ranking) record.ranking = ranking;
  const attempt = num(pick(o, 'fallbackAttempt', 'fallback_attempt'));
  if (attempt !== undefined) {
    record.fallbackAttempt = attempt;
    record.previousAttempts = attempts(pick(o, 'previousAttempts', 'previous_attempts'));
  }
  return record;
}

/** The engine's record (old or current). */
function fromEngine(o: Json): RoutingDecisionRecord {
  const logic = isObject(o.logic) ? o.logic : {};
  const finals = list(o.finalGateways)
    .filter(isObject)
    .map((g) => ({ gateway: str(g.gateway) ?? '', gatewayReferenceId: str(g.gatewayReferenceId) }));
  const record: RoutingDecisionRecord = {
    logic: {
      ...(typeof logic.id === 'string' ? { id: logic.id } : {}),
      name: str(logic.name) ?? '',
      ...(typeof logic.version === 'number' ? { version: logic.version } : {}),
      kind: (str(logic.kind) ?? 'DEFAULT') as RoutingDecisionRecord['logic']['kind'],
      role: (str(logic.role) ?? 'PRIMARY') as RoutingDecisionRecord['logic']['role'],
    },
    primary: logicStatus(o.primary) ?? { name: str(logic.name) ?? '', status: 'SUCCESS', failure_reason: 'NO_ERROR' },
    evaluationStatus: (str(o.evaluationStatus) ?? 'DEFAULT_ORDER') as RoutingDecisionRecord['evaluationStatus'],
    producedList: list(o.producedList).map(gatewayRef),
    enforced: o.enforced === true,
    eligibilityDrops: list(o.eligibilityDrops)
      .filter(isObject)
      .map((d) => ({
        gateway: str(d.gateway) ?? '',
        gatewayReferenceId: str(d.gatewayReferenceId),
        ...(typeof d.accountId === 'string' ? { accountId: d.accountId } : {}),
        reason: (str(d.reason) ?? 'DISABLED') as EligibilityDrop['reason'],
        source: (str(d.source) ?? 'LOGIC') as EligibilityDrop['source'],
      })),
    finalGateways: finals,
    decidedGateway: 'decidedGateway' in o ? str(o.decidedGateway) : (finals[0]?.gateway ?? null),
    accountIds: list(o.accountIds).filter((id): id is string => typeof id === 'string'),
  };
  const fallback = logicStatus(o.fallback);
  if (fallback) record.fallback = fallback;
  if (isObject(o.matchedRule)) record.matchedRule = { index: num(o.matchedRule.index) ?? 0, name: str(o.matchedRule.name) ?? '' };
  if (isObject(o.preferredGateway)) {
    const p = o.preferredGateway;
    record.preferredGateway = {
      gateway: str(p.gateway) ?? '',
      applied: p.applied === true,
      ...(typeof p.reason === 'string' ? { reason: p.reason as NonNullable<RoutingDecisionRecord['preferredGateway']>['reason'] } : {}),
    };
  }
  const bucket = num(o.staggerBucket);
  if (bucket !== undefined) record.staggerBucket = bucket;
  if (o.failureReason === 'NULL_AFTER_ENFORCE' || o.failureReason === 'NO_ELIGIBLE_GATEWAY') record.failureReason = o.failureReason;
  return withFollowUps(record, o);
}

export function readDecisionRecord(stored: unknown): RoutingDecisionRecord | null {
  if (!isObject(stored) || !isObject(stored.logic)) return null;
  if ('final_gateways' in stored || 'eligibility_drops' in stored) return fromDefaultRouter(stored);
  return fromEngine(stored);
}
