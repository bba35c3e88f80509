// The risk engine: runs the checks in a fixed order and combines their answers. An allowlist hit
// ends the assessment with allow (no list, velocity or rule can block a trusted payer); otherwise
// block wins over review over allow. Counters are touched last and only when no synchronous
// check already blocks, so a blocked attempt never eats a legitimate payer's velocity budget.
import {
  allowlistCheck,
  amountLimitCheck,
  blocklistCheck,
  cardTestingCheck,
  compileRiskRules,
  mismatchCheck,
  rulesCheck,
  toRoutingPayment,
  velocityCheck,
  worse,
  type CompiledRiskRule,
} from './checks.ts';
import type { ListIndex } from './lists.ts';
import type { CheckResult, RiskAction, RiskAssessment, RiskConfig, RiskContext, RiskRule } from './types.ts';
import type { VelocityStore } from './velocity-store.ts';

/** A merchant's risk setup, compiled once and reused until it changes. */
export interface RiskProfile {
  config: RiskConfig;
  rules: CompiledRiskRule[];
  blocklist: ListIndex | null;
  allowlist: ListIndex | null;
}

export function buildRiskProfile(config: RiskConfig, rules: readonly RiskRule[], lists: { blocklist: ListIndex | null; allowlist: ListIndex | null }): RiskProfile {
  return { config, rules: compileRiskRules(rules), blocklist: lists.blocklist?.seal() ?? null, allowlist: lists.allowlist?.seal() ?? null };
}

export function combine(checks: CheckResult[], provider = 'builtin'): RiskAssessment {
  let action: RiskAction = 'allow';
  let score = 0;
  for (const c of checks) {
    action = worse(action, c.action);
    score += c.score;
  }
  const deciding = checks.find((c) => c.action === action && c.action !== 'allow');
  const reasons = checks.flatMap((c) => c.reasons);
  return {
    action,
    score: Math.min(100, score),
    reasons,
    code: deciding?.code ?? null,
    checks,
    allowlisted: checks.some((c) => c.allowlisted === true),
    provider,
  };
}

export interface AssessOptions {
  /** Unique per attempt: velocity counts it once however often it is assessed. */
  eventId: string;
  /** Read counters, add nothing. */
  dryRun?: boolean;
}

export async function assessRisk(ctx: RiskContext, profile: RiskProfile, velocity: VelocityStore, options: AssessOptions): Promise<RiskAssessment> {
  const checks: CheckResult[] = [];
  const allow = allowlistCheck(ctx, profile.allowlist);
  checks.push(allow);
  if (allow.allowlisted) return combine(checks);
  const blocked = blocklistCheck(ctx, profile.blocklist);
  checks.push(blocked);
  if (blocked.action === 'block') return combine(checks);
  const { checks: cfg } = profile.config;
  checks.push(await cardTestingCheck(ctx, cfg.cardTesting, velocity));
  checks.push(amountLimitCheck(ctx, cfg.amountLimits));
  checks.push(mismatchCheck(ctx, cfg.mismatch));
  checks.push(rulesCheck(toRoutingPayment(ctx), profile.rules));
  if (checks.some((c) => c.action === 'block')) return combine(checks);
  if (cfg.velocity.length > 0) checks.push(await velocityCheck(ctx, cfg.velocity, velocity, options.eventId, options.dryRun));
  return combine(checks);
}

/** Juspay's order-status `risk` block for an assessment. */
export function riskBlock(a: RiskAssessment): Record<string, unknown> {
  const status = a.action === 'block' ? 'REJECTED' : a.action === 'review' || a.action === 'challenge_3ds' ? 'FLAGGED' : 'PASSED';
  // challenge_3ds: Junction's step-up (Juspay's block knows PROCEED, REVIEW and DECLINE only).
  const recommended = a.action === 'block' ? 'DECLINE' : a.action === 'review' ? 'REVIEW' : a.action === 'challenge_3ds' ? 'CHALLENGE' : 'PROCEED';
  return {
    provider: a.provider,
    status,
    flagged: a.action !== 'allow',
    recommended_action: recommended,
    score: a.score,
    message: a.reasons[0] ?? (a.action === 'allow' ? 'Passed the risk checks' : ''),
    reasons: a.reasons,
  };
}
