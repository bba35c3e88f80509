// The guard of a staggered release at work: the design's baseline read from the active logic's
// recent payments, the periodic look at every running guard (the two arms' payments since the
// stagger started, the sequential test of release-guard.ts, the action it calls for), and the
// merchant webhook of an action. Safe with several instances: an action runs under the merchant's
// routing lock and checks that the guard is still running, so a guard acts once.
import type { OutgoingEvent } from '../ports/payment-store.ts';
import type { PriorityLogicStore } from '../ports/priority-logic-store.ts';
import { buildLogicEventEnvelope } from '../webhook-events.ts';
import { armsFrom, evaluateGuard, successBaseline, type ArmGroup, type Baseline, type FeeRuleLike, type GuardEvidence, type GuardMetric } from './release-guard.ts';
import type { PriorityLogic, ReleaseGuard } from './types.ts';

export const GUARD_ACTOR_ID = 'system:release-guard';

/** What the guard does on its verdict: roll back (WORSE), promote (PASSED, asked for), or only finish (PASSED). */
export type GuardAction = 'ROLLBACK' | 'PROMOTE' | 'PASS';

/** The fee rule of a merchant's gateway account for a segment, or null (no fees known). */
export type FeeRuleLookup = (merchantId: string) => Promise<(group: ArmGroup) => FeeRuleLike | null>;

const DAY_MS = 86_400_000;
/** Settled payments of the active logic needed to size a design on them. */
const MIN_BASELINE = 100;

/**
 * The active logic's last 7 days of settled payments as the design's baseline; null when fewer
 * than 100 (a success rate then assumes 80%; cost and latency need a planned sample from the user).
 */
export async function guardBaseline(store: PriorityLogicStore, merchantId: string, activeLogicId: string, metric: GuardMetric, now: Date, feeRule?: FeeRuleLookup): Promise<Baseline | null> {
  // No logic has the empty id: every row lands in the OLD arm.
  const groups = await store.guardArms(merchantId, '', activeLogicId, new Date(now.getTime() - 7 * DAY_MS));
  const rule = feeRule ? await feeRule(merchantId) : () => null;
  const { oldArm } = armsFrom(groups, metric, rule);
  if (oldArm.n < MIN_BASELINE) return metric === 'SUCCESS_RATE' ? successBaseline(0.8) : null;
  const mean = oldArm.sum / oldArm.n;
  if (metric === 'SUCCESS_RATE') return successBaseline(mean);
  return { mean, variance: Math.max(0, (oldArm.sumSq - oldArm.n * mean * mean) / (oldArm.n - 1)) };
}

/** The merchant webhook of a guard's action (PRIORITY_LOGIC_ROLLED_BACK / PRIORITY_LOGIC_PROMOTED). */
export function guardWebhook(action: 'ROLLBACK' | 'PROMOTE', logic: PriorityLogic, guard: ReleaseGuard, targetUrl: string, version: string | null, now: Date): OutgoingEvent {
  const eventName = action === 'ROLLBACK' ? 'PRIORITY_LOGIC_ROLLED_BACK' : 'PRIORITY_LOGIC_PROMOTED';
  const payload = buildLogicEventEnvelope(
    eventName,
    {
      priorityLogic: { id: logic.id, name: logic.name, kind: logic.kind, version: logic.version, status: logic.status },
      releaseGuard: guardToJson(guard),
    },
    now.getTime(),
  );
  return { merchantId: logic.merchantId, eventName, payload, targetUrl, webhookVersion: version };
}

/** A guard in the API's words (snake_case), for the API and the webhook. */
export function guardToJson(g: ReleaseGuard): Record<string, unknown> {
  return {
    id: g.id,
    logic_id: g.logicId,
    baseline_logic_id: g.baselineLogicId,
    stagger_percentage: g.staggerPercentage,
    state: g.state,
    end_reason: g.endReason,
    metric: g.metric,
    tolerance: g.tolerance,
    detectable_effect: g.detectableEffect,
    min_sample: g.minSample,
    planned_sample: g.plannedSample,
    alpha: g.alpha,
    auto_promote: g.autoPromote,
    evidence: g.evidence ? evidenceToJson(g.evidence) : null,
    started: g.startedAt.toISOString(),
    last_evaluated: g.lastEvaluatedAt?.toISOString() ?? null,
    ended: g.endedAt?.toISOString() ?? null,
  };
}

function evidenceToJson(e: GuardEvidence): Record<string, unknown> {
  return {
    verdict: e.verdict,
    metric: e.metric,
    new_logic: e.newLogic,
    old_logic: e.oldLogic,
    worse_by: e.worseBy,
    interval: e.interval,
    likelihood_ratio: e.likelihoodRatio,
    threshold: e.threshold,
    summary: e.summary,
  };
}

export interface ReleaseGuardWorkerDeps {
  store: PriorityLogicStore;
  /** The lifecycle's action for the guard (priority-logic-service guardAct). */
  act(guard: ReleaseGuard, evidence: GuardEvidence, action: GuardAction): Promise<boolean>;
  feeRule?: FeeRuleLookup;
  now?: () => Date;
  /** Guards looked at per pass (the least recently looked at first). */
  batchSize?: number;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

export interface GuardLook {
  guardId: string;
  verdict: GuardEvidence['verdict'];
  acted: boolean;
}

/** One look at a guard: evidence from the two arms' payments, then the action it calls for. */
export async function lookAtGuard(deps: ReleaseGuardWorkerDeps, guard: ReleaseGuard): Promise<GuardLook> {
  const now = deps.now ?? (() => new Date());
  const groups = await deps.store.guardArms(guard.merchantId, guard.logicId, guard.baselineLogicId, guard.startedAt);
  const rule = guard.metric === 'COST' && deps.feeRule ? await deps.feeRule(guard.merchantId) : () => null;
  const { newArm, oldArm } = armsFrom(groups, guard.metric, rule);
  const evidence = evaluateGuard(guard, newArm, oldArm);
  let acted = false;
  if (evidence.verdict === 'WORSE') acted = await deps.act(guard, evidence, 'ROLLBACK');
  else if (evidence.verdict === 'PASSED') acted = await deps.act(guard, evidence, guard.autoPromote ? 'PROMOTE' : 'PASS');
  else await deps.store.recordGuardLook(guard.id, evidence, now());
  return { guardId: guard.id, verdict: evidence.verdict, acted };
}

/** A pass over the running guards; one guard's failure does not stop the others. */
export async function lookAtRunningGuards(deps: ReleaseGuardWorkerDeps): Promise<GuardLook[]> {
  const guards = await deps.store.runningGuards(deps.batchSize ?? 100);
  const looks: GuardLook[] = [];
  for (const guard of guards) {
    try {
      looks.push(await lookAtGuard(deps, guard));
    } catch (error) {
      deps.log?.('release guard look failed', { guard: guard.id, merchant: guard.merchantId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return looks;
}
