// The guard of a staggered release (issue 17, item 2): while a new logic takes a share of the
// orders, its payments are compared with the active logic's payments of the same period, and the
// release is rolled back as soon as the new logic is shown worse than the tolerance allows; after
// the planned sample without that, the guard passes (and promotes the logic when asked to).
// Pure: no I/O. docs/safe-change.md explains it in plain words.
//
// The test is an always-valid one-sided mixture sequential probability ratio test (mSPRT; Robbins
// 1970, Johari, Koomen, Pekelis and Walsh 2017) on the difference of the two arms' means:
//   worse-ness  theta = old - new (success rate) or new - old (cost, latency),
//   H0: theta <= tolerance (not worse beyond the tolerance),  H1: theta > tolerance.
// With the estimate x = theta_hat - tolerance and its variance V (both arms' sample variances over
// their sizes), the likelihood ratio of N(theta, V) against theta = tolerance, mixed over a
// half-normal prior of scale tau on theta - tolerance > 0, is
//   L = 2 sqrt(V / (V + tau^2)) exp(tau^2 x^2 / (2 V (V + tau^2))) Phi(x tau / sqrt(V (V + tau^2))).
// Under H0 it is a (super)martingale in the information 1/V, so by Ville's inequality the chance
// that it EVER reaches 1/alpha is at most alpha: the guard may look after every payment, or every
// minute, without raising the false rollback rate. Roll back when L >= 1/alpha. (The variance is the
// sample variance: a normal approximation, checked in the simulator by sim/release-guard-validation.ts.)
//
// The design: the planned sample is the smallest number of the new logic's payments at which a
// logic worse by `detectableEffect` beyond the tolerance crosses the boundary with probability at
// least `power` (90%) at that look alone; looking earlier only adds chances, so a logic that much
// worse is rolled back within the planned sample with at least that probability.
import { invalidField } from '../errors.ts';

export const GUARD_METRICS = ['SUCCESS_RATE', 'COST', 'LATENCY'] as const;
export type GuardMetric = (typeof GUARD_METRICS)[number];

/** Settings in the metric's own units: success rate in percentage points, cost in basis points of the amount, latency in milliseconds. */
export interface GuardSettings {
  metric: GuardMetric;
  /** How much worse the new logic may be before it is rolled back. */
  tolerance: number;
  /** The worsening beyond the tolerance that the design is sized to catch (and the mixture's scale). */
  detectableEffect: number;
  /** The new logic's settled payments needed before the guard may decide anything. */
  minSample: number;
  /** The new logic's settled payments after which, not rolled back, the guard passes. */
  plannedSample: number;
  /** The false rollback rate: the chance of rolling back a logic that is not worse beyond the tolerance. */
  alpha: number;
  /** Promote the new logic when the guard passes. */
  autoPromote: boolean;
}

/** One arm's payments: count, sum and sum of squares of the metric (in the metric's units). */
export interface ArmStats {
  n: number;
  sum: number;
  sumSq: number;
}

export type GuardVerdict = 'COLLECTING' | 'WATCHING' | 'WORSE' | 'PASSED';

export interface GuardEvidence {
  verdict: GuardVerdict;
  metric: GuardMetric;
  newLogic: { n: number; mean: number | null };
  oldLogic: { n: number; mean: number | null };
  /** How much worse the new logic is (metric units; negative: better), null before both arms have payments. */
  worseBy: number | null;
  /** Always-valid (1 - alpha) interval of worseBy: holds at every look. */
  interval: { low: number; high: number } | null;
  /** The mSPRT likelihood ratio and the boundary it is compared with (1 / alpha). */
  likelihoodRatio: number;
  threshold: number;
  /** The evidence in plain words. */
  summary: string;
}

/** The design's power: Phi^-1(0.9). */
const Z_POWER = 1.2815515655446004;
const UNIT: Record<GuardMetric, string> = { SUCCESS_RATE: 'points', COST: 'bps', LATENCY: 'ms' };
/** Internally a success is 1 and a failure 0; the settings speak in percentage points. */
const SCALE: Record<GuardMetric, number> = { SUCCESS_RATE: 100, COST: 1, LATENCY: 1 };

export const GUARD_DEFAULTS: Record<GuardMetric, { tolerance: number; detectableEffect: number; maxTolerance: number }> = {
  SUCCESS_RATE: { tolerance: 1, detectableEffect: 2, maxTolerance: 50 },
  COST: { tolerance: 5, detectableEffect: 10, maxTolerance: 10_000 },
  LATENCY: { tolerance: 100, detectableEffect: 200, maxTolerance: 60_000 },
};
export const DEFAULT_MIN_SAMPLE = 200;
export const DEFAULT_ALPHA = 0.05;

// ---------------------------------------------------------------------------------------------
// Settings from the API.
// ---------------------------------------------------------------------------------------------

/** The guard as the API takes it (snake_case); `plannedSample` may be left to the design. */
export type GuardInput = Omit<GuardSettings, 'plannedSample'> & { plannedSample: number | null };

const fieldError = (field: string, reason: string) => invalidField(field ? `release_guard.${field}` : 'release_guard', reason);

/** Reads `release_guard` of a stagger request; every error names its field. */
export function readGuardInput(raw: unknown): GuardInput {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw fieldError('', 'must be an object');
  const o = raw as Record<string, unknown>;
  const known = new Set(['metric', 'tolerance', 'detectable_effect', 'min_sample', 'planned_sample', 'alpha', 'auto_promote']);
  for (const key of Object.keys(o)) if (!known.has(key)) throw fieldError(key, 'is not a guard setting');
  const metric = o.metric ?? 'SUCCESS_RATE';
  if (typeof metric !== 'string' || !(GUARD_METRICS as readonly string[]).includes(metric)) throw fieldError('metric', `must be one of ${GUARD_METRICS.join(', ')}`);
  const m = metric as GuardMetric;
  const d = GUARD_DEFAULTS[m];
  const number = (key: string, fallback: number, min: number, max: number, integer = false): number => {
    const v = o[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw fieldError(key, 'must be a number');
    if (integer && !Number.isInteger(v)) throw fieldError(key, 'must be a whole number');
    if (v < min || v > max) throw fieldError(key, `must be from ${min} to ${max}`);
    return v;
  };
  const tolerance = number('tolerance', d.tolerance, 0, d.maxTolerance);
  const detectableEffect = number('detectable_effect', d.detectableEffect, Number.EPSILON, d.maxTolerance);
  const minSample = number('min_sample', DEFAULT_MIN_SAMPLE, 30, 10_000_000, true);
  const alpha = number('alpha', DEFAULT_ALPHA, 0.001, 0.2);
  const planned = o.planned_sample;
  let plannedSample: number | null = null;
  if (planned !== undefined && planned !== null) {
    plannedSample = number('planned_sample', 0, minSample, 100_000_000, true);
  }
  if (o.auto_promote !== undefined && typeof o.auto_promote !== 'boolean') throw fieldError('auto_promote', 'must be true or false');
  return { metric: m, tolerance, detectableEffect, minSample, plannedSample, alpha, autoPromote: o.auto_promote === true };
}

// ---------------------------------------------------------------------------------------------
// The test.
// ---------------------------------------------------------------------------------------------

/**
 * log erfc(x) for x >= 0, with a relative error below 1.2e-7 everywhere, far tails included (the
 * Chebyshev fit of Numerical Recipes' erfcc, kept in logs): the test multiplies a tiny tail
 * probability by a huge exponential when the new logic is much better, so the tail must be right
 * in relative terms, not only absolutely.
 */
function logErfc(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) - x * x + poly;
}

/** log of the standard normal CDF. */
export function logNormalCdf(z: number): number {
  if (z < 0) return Math.log(0.5) + logErfc(-z / Math.SQRT2);
  return Math.log1p(-0.5 * Math.exp(logErfc(z / Math.SQRT2)));
}

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  return Math.exp(logNormalCdf(z));
}

/** log of the one-sided mixture likelihood ratio for estimate x (beyond the tolerance) with variance V. */
export function logMixtureRatio(x: number, variance: number, tau: number): number {
  const t2 = tau * tau;
  const s = variance + t2;
  return Math.log(2) + 0.5 * Math.log(variance / s) + (t2 * x * x) / (2 * variance * s) + logNormalCdf((x * tau) / Math.sqrt(variance * s));
}

/** Half-width of the always-valid two-sided (1 - alpha) interval (symmetric normal mixture). */
function intervalHalfWidth(variance: number, tau: number, alpha: number): number {
  const t2 = tau * tau;
  return Math.sqrt(((variance * (variance + t2)) / t2) * (2 * Math.log(1 / alpha) + Math.log((variance + t2) / variance)));
}

/** The smallest x (beyond the tolerance) at which the test rejects, for variance V. */
export function boundary(variance: number, tau: number, alpha: number): number {
  const target = Math.log(1 / alpha);
  let lo = 0;
  let hi = Math.sqrt(variance);
  while (logMixtureRatio(hi, variance, tau) < target) hi *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (logMixtureRatio(mid, variance, tau) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

function meanAndVariance(a: ArmStats, metric: GuardMetric): { mean: number; variance: number } {
  const mean = a.sum / a.n;
  if (metric === 'SUCCESS_RATE') {
    // The variance of a success rate from the rate with one success and one failure added: an arm of
    // all successes (or all failures) would otherwise claim no variance at all.
    const smoothed = (a.sum + 1) / (a.n + 2);
    return { mean, variance: smoothed * (1 - smoothed) };
  }
  return { mean, variance: a.n > 1 ? Math.max(0, (a.sumSq - a.n * mean * mean) / (a.n - 1)) : 0 };
}

const higherIsBetter = (metric: GuardMetric): boolean => metric === 'SUCCESS_RATE';

function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Evaluates the guard on the two arms' payments so far (stats in internal units: 0/1 for success, bps, ms). */
export function evaluateGuard(settings: GuardSettings, newArm: ArmStats, oldArm: ArmStats): GuardEvidence {
  const scale = SCALE[settings.metric];
  const unit = UNIT[settings.metric];
  const threshold = 1 / settings.alpha;
  const base = {
    metric: settings.metric,
    newLogic: { n: newArm.n, mean: newArm.n ? round((newArm.sum / newArm.n) * scale, 4) : null },
    oldLogic: { n: oldArm.n, mean: oldArm.n ? round((oldArm.sum / oldArm.n) * scale, 4) : null },
    threshold,
  };
  if (newArm.n < 2 || oldArm.n < 2) {
    return {
      ...base,
      verdict: 'COLLECTING',
      worseBy: null,
      interval: null,
      likelihoodRatio: 0,
      summary: `Collecting payments: ${newArm.n} of the new logic and ${oldArm.n} of the active one so far; the guard decides nothing before ${settings.minSample} of the new logic's.`,
    };
  }
  const a = meanAndVariance(newArm, settings.metric);
  const b = meanAndVariance(oldArm, settings.metric);
  const worse = higherIsBetter(settings.metric) ? b.mean - a.mean : a.mean - b.mean;
  const variance = Math.max(a.variance / newArm.n + b.variance / oldArm.n, Number.EPSILON);
  const tau = settings.detectableEffect / scale;
  const x = worse - settings.tolerance / scale;
  const logL = logMixtureRatio(x, variance, tau);
  const half = intervalHalfWidth(variance, tau, settings.alpha);
  const worseBy = round(worse * scale, 4);
  // A difference of success rates lies within +-100 points whatever the interval's arithmetic says.
  const bound = settings.metric === 'SUCCESS_RATE' ? 1 : Number.POSITIVE_INFINITY;
  const interval = { low: round(Math.max(-bound, worse - half) * scale, 4), high: round(Math.min(bound, worse + half) * scale, 4) };
  const likelihoodRatio = Math.exp(Math.min(logL, 700));
  const words = (v: number): string => (v >= 0 ? `${round(v, 2)} ${unit} worse` : `${round(-v, 2)} ${unit} better`);
  const range = `between ${words(interval.low)} and ${words(interval.high)}`;
  const measured = `${newArm.n} payments of the new logic and ${oldArm.n} of the active one: the new logic is ${words(worseBy)} (always-valid ${round((1 - settings.alpha) * 100, 1)}% interval: ${range})`;
  let verdict: GuardVerdict;
  let summary: string;
  if (newArm.n < settings.minSample) {
    verdict = 'COLLECTING';
    summary = `${measured}. The guard decides nothing before ${settings.minSample} payments of the new logic.`;
  } else if (logL >= Math.log(threshold)) {
    verdict = 'WORSE';
    summary = `${measured}. That is beyond the tolerance of ${settings.tolerance} ${unit} with a false alarm rate of at most ${settings.alpha}: the release is rolled back.`;
  } else if (newArm.n >= settings.plannedSample) {
    verdict = 'PASSED';
    summary = `${measured}. After the planned ${settings.plannedSample} payments it is not shown worse than the tolerance of ${settings.tolerance} ${unit}: the guard passes.`;
  } else {
    verdict = 'WATCHING';
    summary = `${measured}. Not shown worse than the tolerance of ${settings.tolerance} ${unit} yet (evidence ${round(likelihoodRatio, 2)} of the ${round(threshold, 2)} needed); the guard watches until ${settings.plannedSample} payments of the new logic.`;
  }
  return { ...base, verdict, worseBy, interval, likelihoodRatio: round(likelihoodRatio, 4), summary };
}

// ---------------------------------------------------------------------------------------------
// The design.
// ---------------------------------------------------------------------------------------------

/** What the design assumes of the active logic's payments: their mean and variance (internal units). */
export interface Baseline {
  mean: number;
  variance: number;
}

/** The baseline of a success rate p: variance p(1 - p). */
export const successBaseline = (rate: number): Baseline => ({ mean: rate, variance: rate * (1 - rate) });

/**
 * The planned sample: the smallest number of the new logic's payments at which a logic
 * `detectableEffect` beyond the tolerance worse is rolled back with probability >= 90% (at that
 * look alone), the new logic taking `sharePercent` of the orders.
 */
export function plannedSample(settings: Omit<GuardSettings, 'plannedSample'>, baseline: Baseline, sharePercent: number): number {
  const scale = SCALE[settings.metric];
  const share = Math.min(99, Math.max(1, sharePercent)) / 100;
  const ratio = (1 - share) / share; // old payments per new payment
  // The mixture's scale is the effect the design is sized for.
  const effect = settings.detectableEffect / scale;
  const worseMean = baseline.mean - (settings.tolerance + settings.detectableEffect) / scale;
  const newVariance = settings.metric === 'SUCCESS_RATE' ? successBaseline(Math.min(1, Math.max(0, worseMean))).variance : baseline.variance;
  const enough = (n: number): boolean => {
    const variance = newVariance / n + baseline.variance / (n * ratio);
    // x ~ N(effect, V): the look at n rejects with probability Phi((effect - boundary) / sqrt(V)).
    return (effect - boundary(variance, effect, settings.alpha)) / Math.sqrt(variance) >= Z_POWER;
  };
  let hi = Math.max(settings.minSample, 2);
  while (!enough(hi)) {
    hi *= 2;
    if (hi > 1e9) return 1e9;
  }
  let lo = Math.max(1, Math.floor(hi / 2));
  while (lo + 1 < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (enough(mid)) hi = mid;
    else lo = mid;
  }
  return Math.max(hi, settings.minSample);
}

// ---------------------------------------------------------------------------------------------
// The arms from the stored payments.
// ---------------------------------------------------------------------------------------------

/** One group of an arm's settled payments (one gateway account and segment), as the store sums them. */
export interface ArmGroup {
  arm: 'NEW' | 'OLD';
  accountId: string | null;
  paymentMethodType: string;
  paymentMethod: string;
  cardBrand: string;
  settled: number;
  succeeded: number;
  latencyN: number;
  latencySum: number;
  latencySumSq: number;
  /** Over succeeded payments: sums of 10,000 / amount and of its square. */
  inverseAmountSum: number;
  inverseAmountSumSq: number;
}

/** A fee rule: fixed part in minor units, percentage in basis points. */
export interface FeeRuleLike {
  fixedMinor: number;
  percentBps: number;
}

/**
 * Each arm's statistics of the metric: success (0/1 per settled payment), latency (ms per settled
 * payment that has one), cost (fee in basis points of the amount, per succeeded payment: fixed fee
 * x 10,000 / amount + the percentage; exact from the group's sums). A group whose account has no
 * fee rule counts as free only when `feeRule` says so; null leaves its payments out of the cost.
 */
export function armsFrom(groups: readonly ArmGroup[], metric: GuardMetric, feeRule: (group: ArmGroup) => FeeRuleLike | null): { newArm: ArmStats; oldArm: ArmStats } {
  const newArm: ArmStats = { n: 0, sum: 0, sumSq: 0 };
  const oldArm: ArmStats = { n: 0, sum: 0, sumSq: 0 };
  for (const g of groups) {
    const arm = g.arm === 'NEW' ? newArm : oldArm;
    if (metric === 'SUCCESS_RATE') {
      arm.n += g.settled;
      arm.sum += g.succeeded;
      arm.sumSq += g.succeeded;
    } else if (metric === 'LATENCY') {
      arm.n += g.latencyN;
      arm.sum += g.latencySum;
      arm.sumSq += g.latencySumSq;
    } else {
      const rule = feeRule(g);
      if (!rule || g.succeeded === 0) continue;
      const f = rule.fixedMinor;
      const p = rule.percentBps;
      arm.n += g.succeeded;
      arm.sum += f * g.inverseAmountSum + g.succeeded * p;
      arm.sumSq += f * f * g.inverseAmountSumSq + 2 * f * p * g.inverseAmountSum + g.succeeded * p * p;
    }
  }
  return { newArm, oldArm };
}
