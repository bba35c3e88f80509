// The decision pipeline: choose the logic (active or staggered), evaluate it, fall back when it
// fails, filter by eligibility, apply the preferred gateway, then enforce or cascade.

import type { EligibilityDrop, LogicRole, LogicStatus, RoutingDecisionRecord } from './decision-record.ts';
import { checkEligibility } from './eligibility.ts';
import { orderBucket } from './hash.ts';
import type { AsyncCodeEvaluator, CodeEvaluator } from './kinds/code-evaluator.ts';
import { compileCodeLogic } from './kinds/code-routing.ts';
import { compileDefaultLogic, decideDefaultOrder } from './kinds/default-routing.ts';
import { compileRulesLogic } from './kinds/rules/compile-rules.ts';
import { compileVolumeLogic } from './kinds/volume-routing.ts';
import type { CompiledLogic, GatewayRef, LogicDefinition, LogicEvaluation, RoutingPayment } from './types.ts';

export interface LogicSlot {
  id: string;
  name: string;
  version: number;
  compiled: CompiledLogic;
}
export interface StaggeredSlot extends LogicSlot {
  /** Share of orders (0..100, resolution 0.01) that go to the staggered logic. */
  percentage: number;
}

export interface DecisionInput {
  payment: RoutingPayment;
  /** The merchant's active logic; none: the default ordering of the accounts decides. */
  active?: LogicSlot | null;
  staggered?: StaggeredSlot;
  fallback?: LogicSlot;
  /** Replaces the deciding logic's default gateways (e.g. merchant-level defaults). */
  defaultGatewaysOverride?: GatewayRef[];
}

export type { DecisionFailureReason, EligibilityDrop, LogicRole, LogicStatus, RoutingDecisionRecord } from './decision-record.ts';

export interface RoutingEngineOptions {
  /** Synchronous (in-thread) or asynchronous (worker pool; decide with decideAsync). */
  codeEvaluator?: CodeEvaluator | AsyncCodeEvaluator;
  /**
   * Gateway names the platform knows. A logic that outputs a name outside it fails with
   * GATEWAY_NAME_PARSE_FAILURE (and the fallback runs). Without it, only malformed names fail.
   */
  knownGateways?: Iterable<string>;
  /** 'interpreted' runs rules through the reference interpreter (for diagnostics). */
  rulesMatcher?: 'compiled' | 'interpreted';
}

export interface RoutingEngine {
  compile(logic: LogicDefinition): CompiledLogic;
  decide(input: DecisionInput): RoutingDecisionRecord;
  /** The same decision, awaiting logics that evaluate elsewhere (code in the worker pool). */
  decideAsync(input: DecisionInput): Promise<RoutingDecisionRecord>;
}

const GATEWAY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const STAGGER_SALT = 'stagger';

/** True when the order falls in the staggered share. Sticky: the same order always gets the same answer. */
export function inStaggeredShare(p: RoutingPayment, percentage: number): { bucket: number; staggered: boolean } {
  const bucket = orderBucket(p.merchantId, p.orderId, STAGGER_SALT);
  return { bucket, staggered: bucket < Math.round(Math.min(100, Math.max(0, percentage)) * 100) };
}

export function compileLogic(logic: LogicDefinition, opts: RoutingEngineOptions = {}): CompiledLogic {
  switch (logic.kind) {
    case 'DEFAULT':
      return compileDefaultLogic(logic);
    case 'VOLUME':
      return compileVolumeLogic(logic);
    case 'RULES':
      return compileRulesLogic(logic, opts.rulesMatcher);
    case 'CODE':
      return compileCodeLogic(logic, opts.codeEvaluator);
  }
}

type Checked = Extract<LogicEvaluation, { ok: true }> | Extract<LogicEvaluation, { ok: false }>;

/** Evaluations already awaited by decideAsync, by compiled logic. */
type Awaited = ReadonlyMap<CompiledLogic, LogicEvaluation>;

function runLogic(compiled: CompiledLogic, p: RoutingPayment, known: ReadonlySet<string> | null, awaited?: Awaited): Checked {
  let r: LogicEvaluation;
  try {
    r = awaited?.get(compiled) ?? compiled.evaluate(p);
  } catch (e) {
    return { ok: false, reason: 'UNHANDLED_EXCEPTION', message: e instanceof Error ? e.message : String(e) };
  }
  return checkNames(r, known);
}

function checkNames(r: LogicEvaluation, known: ReadonlySet<string> | null): Checked {
  if (!r.ok) return r;
  for (const g of r.gateways) {
    if (typeof g?.gateway !== 'string' || !GATEWAY_NAME.test(g.gateway) || (known !== null && !known.has(g.gateway))) {
      return { ok: false, reason: 'GATEWAY_NAME_PARSE_FAILURE', message: `not a gateway name: ${JSON.stringify(g?.gateway)}` };
    }
  }
  return r;
}

function statusOf(name: string, r: Checked): LogicStatus {
  return r.ok ? { name, status: 'SUCCESS', failure_reason: 'NO_ERROR' } : { name, status: 'FAILURE', failure_reason: r.reason, message: r.message };
}

/** The logic that decides first: the active one, or the staggered one for orders in its share. */
function chooseSlot(input: DecisionInput & { active: LogicSlot }): { chosen: LogicSlot; role: LogicRole; staggerBucket?: number } {
  if (!input.staggered) return { chosen: input.active, role: 'PRIMARY' };
  const s = inStaggeredShare(input.payment, input.staggered.percentage);
  return s.staggered ? { chosen: input.staggered, role: 'STAGGERED', staggerBucket: s.bucket } : { chosen: input.active, role: 'PRIMARY', staggerBucket: s.bucket };
}

async function evaluateAsync(compiled: CompiledLogic, p: RoutingPayment): Promise<LogicEvaluation> {
  try {
    return compiled.evaluateAsync ? await compiled.evaluateAsync(p) : compiled.evaluate(p);
  } catch (e) {
    return { ok: false, reason: 'UNHANDLED_EXCEPTION', message: e instanceof Error ? e.message : String(e) };
  }
}

/** decideWith, after awaiting the logics it will run (the fallback only when the first fails). */
export async function decideWithAsync(input: DecisionInput, known: ReadonlySet<string> | null): Promise<RoutingDecisionRecord> {
  if (!hasActive(input)) return decideDefaultOrder(input.payment);
  const awaited = new Map<CompiledLogic, LogicEvaluation>();
  const { chosen } = chooseSlot(input);
  const first = await evaluateAsync(chosen.compiled, input.payment);
  awaited.set(chosen.compiled, first);
  if (!checkNames(first, known).ok && input.fallback && !awaited.has(input.fallback.compiled)) {
    awaited.set(input.fallback.compiled, await evaluateAsync(input.fallback.compiled, input.payment));
  }
  return decideWith(input, known, awaited);
}

const hasActive = (input: DecisionInput): input is DecisionInput & { active: LogicSlot } => input.active != null;

export function decideWith(input: DecisionInput, known: ReadonlySet<string> | null, awaited?: Awaited): RoutingDecisionRecord {
  if (!hasActive(input)) return decideDefaultOrder(input.payment);
  const p = input.payment;
  const first = chooseSlot(input);
  const { chosen, staggerBucket } = first;
  let role = first.role;

  let decidingSlot = chosen;
  let result = runLogic(chosen.compiled, p, known, awaited);
  const primary = statusOf(chosen.name, result);
  let fallback: LogicStatus | undefined;
  if (!result.ok && input.fallback) {
    const fr = runLogic(input.fallback.compiled, p, known, awaited);
    fallback = statusOf(input.fallback.name, fr);
    if (fr.ok) {
      result = fr;
      decidingSlot = input.fallback;
      role = 'FALLBACK';
    }
  }

  const defaults: readonly GatewayRef[] = input.defaultGatewaysOverride && input.defaultGatewaysOverride.length > 0 ? input.defaultGatewaysOverride : decidingSlot.compiled.defaultGateways;

  let produced: GatewayRef[];
  let enforced: boolean;
  let evaluationStatus: RoutingDecisionRecord['evaluationStatus'];
  let matchedRule: RoutingDecisionRecord['matchedRule'];
  if (result.ok) {
    produced = result.gateways;
    enforced = result.enforced;
    evaluationStatus = result.outcome;
    matchedRule = result.matchedRule;
    if (result.outcome === 'NO_RULE_MATCHED' && input.defaultGatewaysOverride && input.defaultGatewaysOverride.length > 0) {
      produced = input.defaultGatewaysOverride.slice();
    }
  } else {
    // Both logics failed: the default gateways, never enforced.
    role = 'DEFAULT_GATEWAYS';
    produced = defaults.slice();
    enforced = false;
    evaluationStatus = 'LOGIC_FAILED';
  }

  const drops: EligibilityDrop[] = [];
  const final: { gateway: string; gatewayReferenceId: string | null }[] = [];
  const accountIds: string[] = [];
  const seen = new Set<string>();
  const names = new Set<string>();
  const checked = new Set<string>(); // entries already looked at: no duplicate drops
  const add = (g: GatewayRef, source: EligibilityDrop['source']): void => {
    if (g.gatewayReferenceId == null && names.has(g.gateway)) return;
    const entryKey = `${g.gateway}\u0000${g.gatewayReferenceId ?? ''}`;
    if (checked.has(entryKey)) return;
    checked.add(entryKey);
    const e = checkEligibility(g, p);
    if (!e.eligible) {
      drops.push({ gateway: g.gateway, gatewayReferenceId: g.gatewayReferenceId ?? null, reason: e.reason, source });
      return;
    }
    const key = `${g.gateway}\u0000${e.gatewayReferenceId ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    names.add(g.gateway);
    final.push({ gateway: g.gateway, gatewayReferenceId: e.gatewayReferenceId });
    accountIds.push(e.account.accountId);
  };
  for (const g of produced) add(g, 'LOGIC');

  let preferred: RoutingDecisionRecord['preferredGateway'];
  if (p.preferredGateway) {
    const pg = p.preferredGateway;
    const at = final.findIndex((f) => f.gateway === pg);
    if (at >= 0) {
      final.unshift(...final.splice(at, 1));
      accountIds.unshift(...accountIds.splice(at, 1));
      preferred = { gateway: pg, applied: true };
    } else if (enforced) {
      preferred = { gateway: pg, applied: false, reason: 'NOT_IN_ENFORCED_LIST' };
    } else {
      const e = checkEligibility({ gateway: pg }, p);
      if (e.eligible) {
        final.unshift({ gateway: pg, gatewayReferenceId: e.gatewayReferenceId });
        accountIds.unshift(e.account.accountId);
        seen.add(`${pg}\u0000${e.gatewayReferenceId ?? ''}`);
        names.add(pg);
        preferred = { gateway: pg, applied: true };
      } else {
        drops.push({ gateway: pg, gatewayReferenceId: null, reason: e.reason, source: 'PREFERRED' });
        preferred = { gateway: pg, applied: false, reason: e.reason };
      }
    }
  }

  if (!enforced) for (const g of defaults) add(g, 'DEFAULT_GATEWAYS');

  const slot = role === 'FALLBACK' ? decidingSlot : chosen;
  // Key order is the stored records' own (it is visible on decide-gateway's answer).
  return {
    logic: { id: slot.id, name: slot.name, version: slot.version, kind: slot.compiled.kind, role },
    primary,
    evaluationStatus,
    producedList: produced,
    enforced,
    eligibilityDrops: drops,
    finalGateways: final,
    ...(fallback ? { fallback } : {}),
    ...(matchedRule ? { matchedRule } : {}),
    ...(preferred ? { preferredGateway: preferred } : {}),
    ...(staggerBucket !== undefined ? { staggerBucket } : {}),
    ...(final.length === 0 ? ({ failureReason: enforced ? 'NULL_AFTER_ENFORCE' : 'NO_ELIGIBLE_GATEWAY' } as const) : {}),
    decidedGateway: final[0]?.gateway ?? null,
    accountIds,
  };
}

export function createRoutingEngine(opts: RoutingEngineOptions = {}): RoutingEngine {
  const known = opts.knownGateways ? new Set(opts.knownGateways) : null;
  return {
    compile: (logic) => compileLogic(logic, opts),
    decide: (input) => decideWith(input, known),
    decideAsync: (input) => decideWithAsync(input, known),
  };
}
