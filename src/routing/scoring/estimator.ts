// The estimator: per (gateway, segment level) a discounted Beta posterior with hierarchical
// back-off to the coarser level, and a two-sided Bernoulli CUSUM per arm that restarts only that
// arm from the estimated change point when it alarms. See docs/routing-benchmark.md for why.
// Its configuration is scoring-config.ts, its store keys arm-keys.ts (both re-exported here).
import type { ArmStats, OutcomeFeedback, ScoreSnapshot, ScoringConfig } from './types.ts';
import { armKey } from './arm-keys.ts';
import { adaptive } from './scoring-config.ts';

export { adaptive, DEFAULT_SCORING_CONFIG, scoringConfig } from './scoring-config.ts';
export { armKey, armKeys, armKeysForDecision } from './arm-keys.ts';

// ---------------------------------------------------------------- arms

export function emptyArm(nowMillis: number): ArmStats {
  return { s: 0, f: 0, t: nowMillis, cd: 0, ds: 0, df: 0, cu: 0, us: 0, uf: 0, r: 0, a: 0, h: 0 };
}

function timeDecay(arm: ArmStats, nowMillis: number, config: ScoringConfig): number {
  const dt = nowMillis - arm.t;
  return dt <= 0 ? 1 : 0.5 ** (dt / config.halfLifeMs);
}

/**
 * The prior an arm's counts are shrunk to: its parent's estimate with `priorStrength`
 * pseudo-observations; right after the arm's own alarm (until it has that much evidence again),
 * the rate the detector accepted, with `postAlarmPriorStrength`.
 */
function shrink(
  arm: ArmStats,
  s: number,
  n: number,
  inheritedResetMs: number,
  level: number,
  parentMean: number,
  now: number,
  config: ScoringConfig,
  parentEvidence = Infinity,
): { mean: number; evidence: number } {
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
  return p < 0.01 ? 0.01 : Math.min(p, 0.995);
}

export interface Estimate {
  mean: number;
  /** Effective observations at the finest level, prior included. */
  evidence: number;
  /** Time of the most recent reset (alarm) on the chain, for health. */
  lastResetMs: number;
  /**
   * An arm on the chain is coming back from an outage (`risingAfterOutage`): the ranking may probe
   * the gateway harder to settle it.
   */
  rising: boolean;
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
  let rising = false;
  for (let level = 0; level < chain.length; level++) {
    const arm = chain[level];
    if (arm === undefined || arm.r < resetFloor) {
      evidence = level === 0 ? config.rootPriorStrength : Math.min(config.priorStrength, evidence);
      continue;
    }
    if (arm.r > lastResetMs) lastResetMs = arm.r;
    if (risingAfterOutage(arm, config)) rising = true;
    const k = timeDecay(arm, nowMillis, config);
    const s = arm.s * k;
    const n = (arm.s + arm.f) * k;
    const shrunk = shrink(arm, s, n, resetFloor, level, mean, nowMillis, config, evidence);
    if (config.propagateResets && arm.r > resetFloor) resetFloor = arm.r;
    mean = shrunk.mean;
    evidence = shrunk.evidence;
  }
  return { mean, evidence, lastResetMs, rising };
}

/**
 * The arm's rise test has gathered successes and no failure since its statistic last left zero,
 * and before them the arm's own outcomes (since its last restart, the prior left out) were those of
 * a DOWN gateway (below `health.downBelow`). A gateway that is merely degraded answers well often,
 * so its successes say little and it is not boosted; one that was failing everything and now
 * answers well most likely came back.
 */
function risingAfterOutage(arm: ArmStats, config: ScoringConfig): boolean {
  if (!(arm.cu > 0 && arm.us > 0 && arm.uf === 0)) return false;
  const n = arm.s + arm.f - arm.us;
  return n <= 0 || (arm.s - arm.us) / n < config.health.downBelow;
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
      clearSmallDrop(arm);
      arm.r = resetFloor;
    }
    chain.push(arm);
    // The rate of this arm's rise test with this outcome, read before an alarm clears it: a coarser
    // arm restarted by this arm's recovery is restored only if it matches (`restoreRate`).
    const riseRate = arm.us + arm.uf > 0 ? (arm.us + x) / (arm.us + arm.uf + 1) : x;
    const alarm = updateArmDetail(arm, x, now, parentMean, config, resetFloor, level, parentEvidence);
    if (alarm !== NO_ALARM) alarms++;
    if (alarm === REJOIN_ALARM && level > 0 && (parentMean < config.detector.riseBelow || parentMean < config.health.fluctuateBelow)) {
      // A recovery seen first on a finer arm while its coarser arms are still degraded: they hold
      // the same stale failures (this arm's outcomes are theirs too), so they restart as well.
      for (let up = 0; up < level; up++) {
        restart(chain[up], x, chain[up].h, now);
        chain[up].a = 0;
        restoreRate(chain[up], config, riseRate);
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
/** The small-drop GLR alarmed: the arm restarted on the outcomes since the drop began. */
const SMALL_DROP_ALARM = 4;

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
      // Remember the rate the arm had before the outage: a healthy rate it learnt from at least as
      // many outcomes of its own as a restore would lend (not a degraded rate, not the prior).
      if (p0 >= config.health.fluctuateBelow && arm.s + arm.f >= adaptive(config).restoreEvidence) arm.pm = p0;
      restart(arm, x, pd, now);
      alarm = DROP_ALARM;
    }
  }

  // Small-drop detector (issue 13): a drop of a few points is far too small for the CUSUM above
  // (tuned to halve the rate, it needs hundreds of outcomes to reach its threshold on a -5 point
  // drop, and lowering its threshold floods stationary traffic with alarms). A second CUSUM, tuned
  // to a drop of `smallDrop` points, only finds where a drop may have begun (its statistic last
  // left zero); a generalised likelihood ratio at the post-change MLE over that segment decides.
  if (alarm === NO_ALARM && level <= (config.detector.glrMaxLevel ?? Infinity)) alarm = smallDropStep(arm, x, p0, arm.s + arm.f, config, now);

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
          const segmentRate = arm.us / (arm.us + arm.uf);
          restart(arm, x, pu, now);
          // A recovery: the gateway most likely returned to its usual rate, so the arm rejoins its
          // parent (with only the alarm's outcome of its own) and is re-tested at once instead of
          // climbing from the rise test's rate one probe at a time.
          if (adaptive(config).riseRejoinsParent) {
            arm.a = 0;
            restoreRate(arm, config, segmentRate);
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

/** How far below the pre-outage rate the rise test's outcomes may be for that rate to be restored. */
const RESTORE_MARGIN = 0.1;

/**
 * After a recovery, the rate the arm had before its outage comes back as `adaptive.restoreEvidence`
 * pseudo-outcomes (0: off): a gateway back from an outage is most likely as good as it was, and
 * without them its estimate climbs from the prior one outcome at a time while the gateways that
 * carried the traffic hold a thousand outcomes each, which kept its share low for hundreds of
 * decisions. Its own outcomes correct the restored rate as they come (and the detectors watch it).
 */
function restoreRate(arm: ArmStats, config: ScoringConfig, segmentRate: number): void {
  const evidence = adaptive(config).restoreEvidence;
  const before = arm.pm ?? 0;
  // Only when the outcomes that raised the rise alarm look like the old rate: a gateway that came
  // back at 75% after a 20-point drop is not restored to 96%.
  if (evidence > 0 && before > 0 && segmentRate >= before - RESTORE_MARGIN) {
    arm.s += before * evidence;
    arm.f += (1 - before) * evidence;
  }
  arm.pm = 0;
}

/**
 * One outcome through the small-drop detector. On an alarm the arm forgets what it knew before
 * the segment and keeps the segment's outcomes as its evidence: unlike an outage, a small drop
 * leaves a rate worth estimating from the outcomes that showed it, and restarting from a single
 * outcome would make the ranking re-learn the gateway from nothing.
 */
function smallDropStep(arm: ArmStats, x: 0 | 1, p0: number, ownEvidence: number, config: ScoringConfig, now: number): number {
  const { smallDrop = 0, glrThreshold = 0, glrMinOutcomes = 0, glrMinEvidence = 0 } = config.detector;
  const running = (arm.gs ?? 0) + (arm.gf ?? 0) > 0 && arm.gp !== undefined && arm.gp > 0;
  // A segment starts only on an arm that knows its rate from enough outcomes of its own.
  if (smallDrop <= 0 || glrThreshold <= 0 || p0 < adaptive(config).dropSkipBelow || (!running && ownEvidence < glrMinEvidence)) {
    clearSmallDrop(arm);
    return NO_ALARM;
  }
  // H0 is the rate estimated when the segment began (`gp`), not today's estimate: that one
  // already holds the segment's outcomes, so it follows a drop down and the test would never see it.
  const base = running ? (arm.gp as number) : p0;
  // ... and how many outcomes of its own that estimate rested on: the test is two-sample, so an
  // estimate from a few dozen outcomes (a new arm) cannot make a lucky start look like a drop.
  const baseEvidence = running ? (arm.gn ?? 0) : ownEvidence;
  const p1 = base - smallDrop;
  if (p1 <= 0.01) {
    clearSmallDrop(arm);
    return NO_ALARM;
  }
  const gd = (arm.gd ?? 0) + (x === 1 ? Math.log(p1 / base) : Math.log((1 - p1) / (1 - base)));
  if (gd <= 0) {
    clearSmallDrop(arm);
    return NO_ALARM;
  }
  const gs = (arm.gs ?? 0) + x;
  const gf = (arm.gf ?? 0) + (1 - x);
  arm.gd = gd;
  arm.gs = gs;
  arm.gf = gf;
  arm.gp = base;
  arm.gn = baseEvidence;
  const n = gs + gf;
  if (n < glrMinOutcomes) return NO_ALARM;
  if (dropGlr(gs, gf, base, baseEvidence) <= glrThreshold) return NO_ALARM;
  // Restart on the segment: its outcomes (this one included) become the arm's evidence.
  arm.s = gs;
  arm.f = gf;
  arm.h = gs / n;
  arm.cd = arm.ds = arm.df = 0;
  arm.cu = arm.us = arm.uf = 0;
  clearSmallDrop(arm);
  arm.r = now;
  arm.a++;
  return SMALL_DROP_ALARM;
}

/** Ends the small-drop detector's segment (no drop under test). */
function clearSmallDrop(arm: ArmStats): void {
  arm.gd = arm.gs = arm.gf = arm.gp = arm.gn = 0;
}

/**
 * Log generalised likelihood ratio that `s` successes and `f` failures come from a lower rate than
 * the `n0` earlier outcomes whose rate was `p0` (two-sample: both rates at their MLE against one
 * pooled rate); 0 when the segment's rate is not below `p0`. With `n0` = Infinity it is the
 * one-sample GLR against a known `p0`.
 */
export function dropGlr(s: number, f: number, p0: number, n0 = Infinity): number {
  const n = s + f;
  if (n <= 0) return 0;
  const p = s / n;
  if (p >= p0) return 0;
  const pooled = Number.isFinite(n0) ? (p0 * n0 + s) / (n0 + n) : p0;
  const segment = (s > 0 ? s * Math.log(p / pooled) : 0) + (f > 0 ? f * Math.log((1 - p) / (1 - pooled)) : 0);
  const before = Number.isFinite(n0) && n0 > 0 ? n0 * bernoulliKl(p0, pooled) : 0;
  // A likelihood ratio at the maximum is never below 0; with the segment's rate a hair under p0 the
  // floating-point sum can come out at -1e-16.
  return Math.max(0, segment + before);
}

/** KL divergence of Bernoulli(a) from Bernoulli(b), in nats. */
function bernoulliKl(a: number, b: number): number {
  return (a > 0 ? a * Math.log(a / b) : 0) + (a < 1 ? (1 - a) * Math.log((1 - a) / (1 - b)) : 0);
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
  clearSmallDrop(arm);
  arm.r = now;
  arm.a++;
}
