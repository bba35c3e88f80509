// The estimator: per (gateway, segment level) a discounted Beta posterior with hierarchical
// back-off to the coarser level, and a two-sided Bernoulli CUSUM per arm that restarts only that
// arm from the estimated change point when it alarms. See docs/routing-benchmark.md for why.
import type { AdaptiveSettings, ArmStats, OutcomeFeedback, ScoreSnapshot, ScoringConfig, Segment } from './types.ts';

/** Defaults of the recovery and probing refinements (`ScoringConfig.adaptive`). */
export const DEFAULT_ADAPTIVE: AdaptiveSettings = { dropSkipBelow: 0.35, riseRejoinsParent: true, probeStart: 1, probeRampMs: 600_000, probeLateFactor: 0.25, fullScaleAt: 0 };

/** The adaptive settings of a config (defaults when absent). */
export function adaptive(config: ScoringConfig): AdaptiveSettings {
  const a = config.adaptive;
  if (a === undefined) return DEFAULT_ADAPTIVE;
  // Hot path: `scoringConfig()` fills every field, so usually no copy is needed.
  if (a.dropSkipBelow !== undefined && a.riseRejoinsParent !== undefined && a.probeStart !== undefined && a.probeRampMs !== undefined && a.probeLateFactor !== undefined && a.fullScaleAt !== undefined) return a as AdaptiveSettings;
  return { ...DEFAULT_ADAPTIVE, ...a };
}

export const DEFAULT_SCORING_CONFIG: ScoringConfig = {
  // Issuer before card brand: issuer effects (an acquirer's relationship with a bank) cross card
  // brands, so HDFC cards of every brand pool; a brand effect is still learned at the finest level.
  levels: [[], ['paymentMethodType'], ['paymentMethodType', 'issuer'], ['paymentMethodType', 'issuer', 'paymentMethod']],
  priorMean: 0.9,
  priorStrength: 100,
  rootPriorStrength: 10,
  discount: 1 - 1 / 1000,
  halfLifeMs: 3_600_000,
  detector: { drop: 0.5, rise: 0.5, riseBelow: 0.75, threshold: 10, riseThreshold: 8, postAlarmPriorStrength: 2, postAlarmEvidence: 10 },
  propagateResets: true,
  ranking: 'THOMPSON',
  posteriorScale: 12,
  // Probes: 4% of decisions while a gateway is DOWN or degraded within `health.recentAlarmMs` of
  // its alarm (a 20-30 s outage is then back within a few hundred outcomes), 1% after that
  // (`adaptive.probeLateFactor`).
  exploration: { floor: 0.01, probe: 0.04 },
  health: { downBelow: 0.35, fluctuateBelow: 0.75, recentAlarmMs: 300_000 },
  scheduledOutages: [],
  fees: {},
  costTolerance: 0,
  adaptive: { ...DEFAULT_ADAPTIVE },
};

/** A config with the defaults filled in (nested objects merged one level deep). */
export function scoringConfig(partial: Partial<ScoringConfig> = {}): ScoringConfig {
  const d = DEFAULT_SCORING_CONFIG;
  return {
    ...d,
    ...partial,
    detector: { ...d.detector, ...partial.detector },
    exploration: { ...d.exploration, ...partial.exploration },
    health: { ...d.health, ...partial.health },
    adaptive: { ...DEFAULT_ADAPTIVE, ...partial.adaptive },
  };
}

// ---------------------------------------------------------------- keys

/** The arm key of a gateway at one level: `GW|level|value|value`. */
export function armKey(gateway: string, segment: Segment, level: number, config: ScoringConfig): string {
  let key = gateway + '|' + level;
  for (const field of config.levels[level]) key += '|' + (segment[field] ?? '-');
  return key;
}

/** Keys of a gateway's arms, coarse to fine. */
export function armKeys(gateway: string, segment: Segment, config: ScoringConfig): string[] {
  const keys: string[] = [];
  for (let level = 0; level < config.levels.length; level++) keys.push(armKey(gateway, segment, level, config));
  return keys;
}

/** Every key one decision reads (fetch them in one round trip). */
export function armKeysForDecision(gateways: readonly string[], segment: Segment, config: ScoringConfig): string[] {
  const keys: string[] = [];
  for (const gateway of gateways) for (let level = 0; level < config.levels.length; level++) keys.push(armKey(gateway, segment, level, config));
  return keys;
}

// ---------------------------------------------------------------- arms

export function emptyArm(nowMillis: number): ArmStats {
  return { s: 0, f: 0, t: nowMillis, cd: 0, ds: 0, df: 0, cu: 0, us: 0, uf: 0, r: 0, a: 0, h: 0 };
}

function timeDecay(arm: ArmStats, nowMillis: number, config: ScoringConfig): number {
  const dt = nowMillis - arm.t;
  return dt <= 0 ? 1 : Math.pow(0.5, dt / config.halfLifeMs);
}

/**
 * The prior an arm's counts are shrunk to: its parent's estimate with `priorStrength`
 * pseudo-observations; right after the arm's own alarm (until it has that much evidence again),
 * the rate the detector accepted, with `postAlarmPriorStrength`.
 */
function shrink(arm: ArmStats, s: number, n: number, inheritedResetMs: number, level: number, parentMean: number, now: number, config: ScoringConfig, parentEvidence = Infinity): { mean: number; evidence: number } {
  // A parent cannot lend more certainty than it has apart from this arm's own outcomes (which it
  // also counted): right after a restart of a coarse arm its finer arms are as uncertain as it is,
  // so Thompson sampling re-tests them; in steady state parents hold far more than `priorStrength`.
  const strength = level === 0 ? config.rootPriorStrength : Math.min(config.priorStrength, Math.max(1, parentEvidence - n));
  // Only for a while: after `health.recentAlarmMs` the arm is shrunk to its parent again, so a
  // gateway that went down is re-tested (and, if still down, restarted again within a few outcomes).
  if (arm.a > 0 && arm.r > inheritedResetMs && n < Math.min(strength, config.detector.postAlarmEvidence) && now - arm.r < config.health.recentAlarmMs) {
    const m = Math.min(strength, config.detector.postAlarmPriorStrength);
    return { mean: (s + m * arm.h) / (n + m), evidence: n + m };
  }
  return { mean: (s + strength * parentMean) / (n + strength), evidence: n + strength };
}

function clampP(p: number): number {
  return p < 0.01 ? 0.01 : p > 0.995 ? 0.995 : p;
}

export interface Estimate {
  mean: number;
  /** Effective observations at the finest level, prior included. */
  evidence: number;
  /** Time of the most recent reset (alarm) on the chain, for health. */
  lastResetMs: number;
}

/**
 * Hierarchical estimate for one gateway from its arm chain (coarse to fine). Read-only: counts
 * are decayed to `nowMillis` on the fly, and a finer arm whose ancestor reset after it is
 * treated as empty.
 */
export function estimateChain(chain: readonly (ArmStats | undefined)[], nowMillis: number, config: ScoringConfig): Estimate {
  let mean = config.priorMean;
  let evidence = config.rootPriorStrength;
  let resetFloor = 0;
  let lastResetMs = 0;
  for (let level = 0; level < chain.length; level++) {
    const arm = chain[level];
    if (arm === undefined || arm.r < resetFloor) {
      evidence = level === 0 ? config.rootPriorStrength : Math.min(config.priorStrength, evidence);
      continue;
    }
    if (arm.r > lastResetMs) lastResetMs = arm.r;
    const k = timeDecay(arm, nowMillis, config);
    const s = arm.s * k;
    const n = (arm.s + arm.f) * k;
    const shrunk = shrink(arm, s, n, resetFloor, level, mean, nowMillis, config, evidence);
    if (config.propagateResets && arm.r > resetFloor) resetFloor = arm.r;
    mean = shrunk.mean;
    evidence = shrunk.evidence;
  }
  return { mean, evidence, lastResetMs };
}

/** Result of applying one outcome: how many arms alarmed (for monitoring false alarms). */
export interface FeedbackResult {
  counted: boolean;
  alarms: number;
}

/**
 * Applies one outcome to the arms of its gateway (all levels) in `stats`, in place. Failures that
 * do not count against the gateway are ignored. Pure apart from mutating `stats`.
 */
export function applyFeedback(stats: ScoreSnapshot, outcome: OutcomeFeedback, config: ScoringConfig): FeedbackResult {
  if (!outcome.success && !outcome.countsAgainstGateway) return { counted: false, alarms: 0 };
  const x = outcome.success ? 1 : 0;
  const now = outcome.atMillis;
  let parentMean = config.priorMean;
  let parentEvidence = config.rootPriorStrength;
  let resetFloor = 0;
  let alarms = 0;
  const chain: ArmStats[] = [];
  for (let level = 0; level < config.levels.length; level++) {
    const key = armKey(outcome.gateway, outcome.segment, level, config);
    let arm = stats[key];
    if (arm === undefined) {
      arm = emptyArm(now);
      arm.r = resetFloor;
      stats[key] = arm;
    } else if (arm.r < resetFloor) {
      // A coarser arm restarted after this one last did: restart this one too.
      arm.s = arm.f = arm.cd = arm.ds = arm.df = arm.cu = arm.us = arm.uf = arm.a = 0;
      arm.r = resetFloor;
    }
    chain.push(arm);
    const alarm = updateArmDetail(arm, x, now, parentMean, config, resetFloor, level, parentEvidence);
    if (alarm !== NO_ALARM) alarms++;
    if (alarm === REJOIN_ALARM && level > 0 && (parentMean < config.detector.riseBelow || parentMean < config.health.fluctuateBelow)) {
      // A recovery seen first on a finer arm while its coarser arms are still degraded: they hold
      // the same stale failures (this arm's outcomes are theirs too), so they restart as well.
      for (let up = 0; up < level; up++) {
        restart(chain[up], x, chain[up].h, now);
        chain[up].a = 0;
      }
      parentMean = config.priorMean;
      parentEvidence = config.rootPriorStrength;
      for (let up = 0; up < level; up++) {
        const shrunkUp = shrink(chain[up], chain[up].s, chain[up].s + chain[up].f, 0, up, parentMean, now, config, parentEvidence);
        parentMean = shrunkUp.mean;
        parentEvidence = shrunkUp.evidence;
      }
    }
    const shrunk = shrink(arm, arm.s, arm.s + arm.f, resetFloor, level, parentMean, now, config, parentEvidence);
    if (config.propagateResets && arm.r > resetFloor) resetFloor = arm.r;
    parentMean = shrunk.mean;
    parentEvidence = shrunk.evidence;
  }
  return { counted: true, alarms };
}

/** One observation on one arm; returns true when a change detector alarmed (arm restarted). */
export function updateArm(arm: ArmStats, x: 0 | 1, now: number, parentMean: number, config: ScoringConfig, inheritedResetMs = 0, level = 0, parentEvidence = Infinity): boolean {
  return updateArmDetail(arm, x, now, parentMean, config, inheritedResetMs, level, parentEvidence) !== NO_ALARM;
}

const NO_ALARM = 0;
const DROP_ALARM = 1;
const RISE_ALARM = 2;
/** A rise after which the arm rejoined its parent (`adaptive.riseRejoinsParent`). */
const REJOIN_ALARM = 3;

function updateArmDetail(arm: ArmStats, x: 0 | 1, now: number, parentMean: number, config: ScoringConfig, inheritedResetMs: number, level: number, parentEvidence: number): number {
  const k = timeDecay(arm, now, config);
  if (k < 1) {
    arm.s *= k;
    arm.f *= k;
  }
  if (now > arm.t) arm.t = now;
  const p0 = clampP(shrink(arm, arm.s, arm.s + arm.f, inheritedResetMs, level, parentMean, now, config, parentEvidence).mean);
  const { drop, rise, riseBelow, threshold, riseThreshold } = config.detector;
  let alarm: number = NO_ALARM;

  // Drop detector: H0 p0 against H1 p0 * (1 - drop). Not on arms already estimated DOWN: another
  // alarm there says nothing new, and restarting would throw away the probes' evidence.
  const pd = p0 * (1 - drop);
  const cd = p0 < adaptive(config).dropSkipBelow ? 0 : arm.cd + (x === 1 ? Math.log(pd / p0) : Math.log((1 - pd) / (1 - p0)));
  if (cd <= 0) {
    arm.cd = 0;
    arm.ds = arm.df = 0;
  } else {
    arm.cd = cd;
    if (x === 1) arm.ds++;
    else arm.df++;
    if (cd > threshold) {
      restart(arm, x, pd, now);
      alarm = DROP_ALARM;
    }
  }

  // Rise detector (degraded arms only): H0 p0 against H1 p0 + rise * (1 - p0). It runs on every
  // arm the ranking probes as degraded (below `health.fluctuateBelow`) even when `riseBelow` is
  // set lower, so no estimate sits between the two thresholds with neither probes nor the test.
  if (alarm === NO_ALARM) {
    if (p0 < riseBelow || p0 < config.health.fluctuateBelow) {
      // H0 is the estimate before the outcomes the statistic has gathered since it left zero
      // (`us`/`uf`), not today's estimate: that one already includes them, so during a recovery
      // it climbed with every probe's success and the test, comparing each success with a
      // baseline that had just risen, needed dozens of probes instead of a handful.
      const sBefore = Math.max(0, arm.s - arm.us);
      const nBefore = Math.max(sBefore, arm.s + arm.f - arm.us - arm.uf);
      const base = arm.us + arm.uf > 0 ? clampP(shrink(arm, sBefore, nBefore, inheritedResetMs, level, parentMean, now, config, parentEvidence).mean) : p0;
      const pu = base + rise * (1 - base);
      const cu = arm.cu + (x === 1 ? Math.log(pu / base) : Math.log((1 - pu) / (1 - base)));
      if (cu <= 0) {
        arm.cu = 0;
        arm.us = arm.uf = 0;
      } else {
        arm.cu = cu;
        if (x === 1) arm.us++;
        else arm.uf++;
        if (cu > riseThreshold) {
          restart(arm, x, pu, now);
          // A recovery: the gateway most likely returned to its usual rate, so the arm rejoins its
          // parent (with only the alarm's outcome of its own) and is re-tested at once instead of
          // climbing from the rise test's rate one probe at a time.
          if (adaptive(config).riseRejoinsParent) {
            arm.a = 0;
            alarm = REJOIN_ALARM;
          } else alarm = RISE_ALARM;
        }
      }
    } else {
      arm.cu = 0;
      arm.us = arm.uf = 0;
    }
  }

  if (alarm === NO_ALARM) {
    arm.s = arm.s * config.discount + x;
    arm.f = arm.f * config.discount + (1 - x);
  }
  return alarm;
}

/**
 * Restarts an arm after an alarm: it keeps only the outcome that raised the alarm, and until it
 * has its own evidence it is shrunk towards the rate the detector accepted (`accepted`), not
 * towards its parent. (Keeping the outcomes since the CUSUM last left zero was tried: at high
 * success rates the statistic wanders above zero for long stretches, so that run mixes in many
 * pre-change successes and the restarted estimate stays too high.)
 */
function restart(arm: ArmStats, x: 0 | 1, accepted: number, now: number): void {
  arm.s = x;
  arm.f = 1 - x;
  arm.h = accepted;
  arm.cd = arm.ds = arm.df = 0;
  arm.cu = arm.us = arm.uf = 0;
  arm.r = now;
  arm.a++;
}
