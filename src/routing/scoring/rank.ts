// Ranking: orders the gateways the logic allowed by sampled success rate, with health
// (UP / FLUCTUATE / DOWN), bounded exploration, probes of DOWN gateways and the merchant's
// cost trade-off. Never adds a gateway to an enforced list; mode OFF keeps the logic's order
// except that DOWN gateways move behind the healthy ones (and are probed).
import { sampleBeta } from './beta.ts';
import { adaptive, armKey, estimateChain } from './estimator.ts';
import type { ArmStats, FeeRule, GatewayFees, GatewayScore, Health, RankInput, RankLabel, RankResult, ScoringConfig, Segment, UniformRng } from './types.ts';

/** The fee rule of a payment: the most specific of the gateway's rules (card brand > payment method > type > default). */
export function feeRuleOf(fees: GatewayFees, segment: Pick<Segment, 'cardBrand' | 'paymentMethod' | 'paymentMethodType'>): FeeRule {
  return (
    (segment.cardBrand != null ? fees.byCardBrand?.[segment.cardBrand] : undefined) ??
    (segment.paymentMethod != null ? fees.byPaymentMethod?.[segment.paymentMethod] : undefined) ??
    fees.byPaymentMethodType?.[segment.paymentMethodType] ??
    fees.default
  );
}

/**
 * The fee of a payment on a gateway in ten-thousandths of a minor unit, exactly (an integer: the
 * fixed part and basis points are integers), or null when the gateway has no fee model. The
 * ranking compares these, so two fees that round to the same minor unit are still told apart.
 */
export function feeExactFor(gateway: string, segment: Segment, config: ScoringConfig): number | null {
  const fees = config.fees[gateway];
  if (fees === undefined) return null;
  const rule = feeRuleOf(fees, segment);
  return rule.fixedMinor * 10_000 + (segment.amountMinor ?? 0) * rule.percentBps;
}

/** The fee in whole minor units, rounded half up (what a decision records and answers), or null. */
export function feeFor(gateway: string, segment: Segment, config: ScoringConfig): number | null {
  const exact = feeExactFor(gateway, segment, config);
  if (exact === null || Number.isSafeInteger(exact)) return exact === null ? null : minorOf(exact);
  // Past 2^53 ten-thousandths (amounts over about 9 * 10^11 minor units) the product is rounded: redo it in BigInt.
  const rule = feeRuleOf(config.fees[gateway]!, segment);
  return Number(BigInt(rule.fixedMinor) + (BigInt(segment.amountMinor ?? 0) * BigInt(rule.percentBps) + 5_000n) / 10_000n);
}

const minorOf = (tenThousandths: number): number => Math.floor((tenThousandths + 5_000) / 10_000);

export function inScheduledOutage(gateway: string, segment: Segment, nowMillis: number, config: ScoringConfig): boolean {
  for (const window of config.scheduledOutages) {
    if (window.gateway === gateway && nowMillis >= window.startMs && nowMillis < window.endMs && (window.paymentMethodType === undefined || window.paymentMethodType === segment.paymentMethodType))
      return true;
  }
  return false;
}

export function classifyHealth(mean: number, lastResetMs: number, nowMillis: number, config: ScoringConfig): Health {
  if (mean < config.health.downBelow) return 'DOWN';
  if (mean < config.health.fluctuateBelow) return 'FLUCTUATE';
  if (lastResetMs > 0 && nowMillis - lastResetMs < config.health.recentAlarmMs) return 'FLUCTUATE';
  return 'UP';
}

interface Scored extends GatewayScore {
  /** The fee in ten-thousandths of a minor unit (feeExactFor), compared by the cost trade-off. */
  feeExact: number | null;
  index: number;
  scheduled: boolean;
  /** Time of the last alarm on the gateway's chain (0: none). */
  lastResetMs: number;
  /** Its rise test has started to gather successes (`Estimate.rising`). */
  rising: boolean;
}

export function rankGateways(input: RankInput): RankResult {
  const { candidates, mode, config, segment, nowMillis, rng, stats } = input;
  const pool: string[] = [...candidates];
  if (mode === 'ALL_ELIGIBLE' && !input.enforced) for (const gateway of input.allEligible) if (!pool.includes(gateway)) pool.push(gateway);

  const levels = config.levels.length;
  const keys = keysLineUp(input.keys, pool, levels) ? input.keys : null;
  const chain: (ArmStats | undefined)[] = new Array(levels);
  const scored: Scored[] = [];
  let outageNow = false;
  for (let index = 0; index < pool.length; index++) {
    const gateway = pool[index];
    for (let level = 0; level < levels; level++) chain[level] = stats[keys ? keys[index * levels + level] : armKey(gateway, segment, level, config)];
    const estimate = estimateChain(chain, nowMillis, config);
    const scheduled = inScheduledOutage(gateway, segment, nowMillis, config);
    const health = scheduled ? 'DOWN' : classifyHealth(estimate.mean, estimate.lastResetMs, nowMillis, config);
    if (health === 'DOWN' && estimate.lastResetMs > 0 && nowMillis - estimate.lastResetMs < config.health.recentAlarmMs) outageNow = true;
    const feeExact = feeExactFor(gateway, segment, config);
    scored.push({
      gateway,
      label: 'DEFAULT',
      health,
      mean: estimate.mean,
      score: estimate.mean,
      evidence: estimate.evidence,
      feeMinor: feeExact === null ? null : minorOf(feeExact),
      feeExact,
      index,
      scheduled,
      lastResetMs: estimate.lastResetMs,
      rising: estimate.rising,
    });
  }
  if (mode !== 'OFF' && config.ranking === 'THOMPSON') {
    // Thompson sampling is made greedier by `posteriorScale`; with `adaptive.fullScaleAt` > 0 only
    // as evidence builds up. While a gateway of this decision is in a recent outage, the others
    // are sampled from their plain posterior (`adaptive.outageScale`): its traffic lands on
    // gateways known from far fewer outcomes, and a greedy draw locked it onto whichever of them
    // happened to read best (issue 13, finding 2: an 80% gateway took a third of an outage).
    const outageScale = adaptive(config).outageScale;
    for (const s of scored) {
      const scale = outageNow && outageScale > 0 ? Math.min(outageScale, thompsonScale(s.evidence, config)) : thompsonScale(s.evidence, config);
      s.score = sampleBeta(s.mean * s.evidence * scale, (1 - s.mean) * s.evidence * scale, rng);
    }
  }

  if (mode === 'OFF') return healthOrder(scored, config, nowMillis, rng);

  const live = scored.filter((s) => s.health !== 'DOWN');
  const down = scored.filter((s) => s.health === 'DOWN');
  live.sort((a, b) => b.score - a.score || a.index - b.index);
  down.sort((a, b) => b.mean - a.mean || a.index - b.index);

  // Cost trade-off: the cheapest gateway whose expected success (the posterior mean, not a Thompson
  // draw: a draw from a gateway with little evidence strays tens of points, so the trade would be
  // decided by noise) is within the tolerance of the best expected success goes first.
  if (config.costTolerance > 0 && live.length > 1) {
    const best = Math.max(...live.map((s) => s.mean));
    let pick = 0;
    for (let i = 1; i < live.length; i++) {
      const fee = live[i].feeExact;
      const pickFee = live[pick].feeExact;
      if (live[i].mean >= best - config.costTolerance && fee !== null && (pickFee === null || fee < pickFee)) pick = i;
    }
    if (pick > 0) live.unshift(...live.splice(pick, 1));
  }
  for (const s of live) s.label = 'EXPLOIT';
  for (const s of down) s.label = 'ELIMINATED';

  // Exploration: rarely probe a DOWN gateway (so recovery is noticed), rarely try a non-best one.
  let explored = false;
  const u = rng.next();
  // Probes go to DOWN gateways and to live non-first ones that are not UP: scored below
  // `fluctuateBelow`, or FLUCTUATE after a recent alarm (a gateway coming back from an outage
  // sits there; the ranking gives it almost no traffic, so without probes its recovery would go
  // unnoticed: the "dead zone" of issue 13, an estimate of 0.76 that nothing ever re-tested).
  const probeable = [...down.filter((s) => !s.scheduled), ...live.filter((s, i) => i > 0 && s.health !== 'UP')];
  const probe = pickProbe(probeable, u, config, nowMillis);
  if (probe !== null) {
    const pick = probe;
    if (down.includes(pick)) down.splice(down.indexOf(pick), 1);
    else live.splice(live.indexOf(pick), 1);
    pick.label = 'EXPLORE';
    live.unshift(pick);
    explored = true;
  } else if (u >= config.exploration.probe && u < config.exploration.probe + config.exploration.floor && live.length > 1) {
    exploreNonFirst(live, (u - config.exploration.probe) / config.exploration.floor);
    explored = true;
  }

  const ordered = [...live, ...down];
  return { gateways: ordered.map((s) => s.gateway), scores: ordered.map(strip), explored };
}

/** The caller's keys are the pool's, gateway by gateway and level by level (armKeysForDecision's order: `GW|level|…`). */
function keysLineUp(keys: readonly string[] | undefined, pool: readonly string[], levels: number): keys is readonly string[] {
  if (keys === undefined || keys.length !== pool.length * levels) return false;
  for (let index = 0; index < pool.length; index++) {
    const gateway = pool[index];
    const first = keys[index * levels];
    if (!first.startsWith(gateway) || first.charCodeAt(gateway.length) !== 124 /* | */) return false;
  }
  return true;
}

/** The posterior scale at this much evidence: 1 (the plain posterior) up to `posteriorScale` at `adaptive.fullScaleAt`. */
export function thompsonScale(evidence: number, config: ScoringConfig): number {
  const fullAt = adaptive(config).fullScaleAt;
  if (fullAt <= 0 || evidence >= fullAt) return config.posteriorScale;
  return Math.max(1, config.posteriorScale * (evidence / fullAt));
}

/**
 * Probe rate per probeable gateway: `exploration.probe` split among them, starting lower right
 * after the gateway's alarm (an outage that just began is unlikely to be over already) and growing
 * linearly to the full rate over `probeRampMs`. Returns the gateway `u` (uniform) falls on, if any.
 */
function pickProbe(probeable: readonly Scored[], u: number, config: ScoringConfig, nowMillis: number): Scored | null {
  if (probeable.length === 0) return null;
  const { probeStart, probeRampMs, probeLateFactor, probeBoost } = adaptive(config);
  let acc = 0;
  for (const s of probeable) {
    const elapsed = s.lastResetMs > 0 ? nowMillis - s.lastResetMs : Infinity;
    const ramp = (probeStart >= 1 || probeRampMs <= 0 ? 1 : Math.min(1, probeStart + (1 - probeStart) * (elapsed / probeRampMs))) * (elapsed < config.health.recentAlarmMs ? 1 : probeLateFactor);
    const rate = (config.exploration.probe * ramp) / probeable.length;
    // Boosted probes share at most half of all decisions, so a burst never starves the live gateways.
    acc += s.rising && probeBoost > rate && config.exploration.probe > 0 ? Math.min(probeBoost, 0.5 / probeable.length) : rate;
    if (u < acc) return s;
  }
  return null;
}

/**
 * Ranking OFF: the logic's order, except that DOWN gateways (estimated below `downBelow`, or in a
 * scheduled outage) move behind the healthy ones, in their order, labelled ELIMINATED (a last
 * resort for the fallback, never removed: when every gateway is DOWN the order is unchanged). A
 * DOWN gateway is still probed first at `exploration.probe` (scheduled outages never), so its
 * recovery is noticed and it returns to its place.
 */
function healthOrder(scored: Scored[], config: ScoringConfig, nowMillis: number, rng: UniformRng): RankResult {
  const down = scored.filter((s) => s.health === 'DOWN');
  if (down.length === 0 || down.length === scored.length) {
    for (const s of down) s.label = 'ELIMINATED';
    return { gateways: scored.map((s) => s.gateway), scores: scored.map(strip), explored: false };
  }
  const live = scored.filter((s) => s.health !== 'DOWN');
  for (const s of down) s.label = 'ELIMINATED';
  const probe = pickProbe(
    down.filter((s) => !s.scheduled),
    rng.next(),
    config,
    nowMillis,
  );
  let ordered = [...live, ...down];
  if (probe !== null) {
    probe.label = 'EXPLORE';
    ordered = [probe, ...ordered.filter((s) => s !== probe)];
  }
  return { gateways: ordered.map((s) => s.gateway), scores: ordered.map(strip), explored: probe !== null };
}

/** Moves the gateway that `v` (uniform in [0, 1)) picks among all but the first to the front, labelled EXPLORE (live has at least two). */
export function exploreNonFirst(live: { label: RankLabel }[], v: number): void {
  const i = 1 + Math.min(live.length - 2, Math.floor(v * (live.length - 1)));
  const pick = live.splice(i, 1)[0];
  pick.label = 'EXPLORE';
  live.unshift(pick);
}

function strip(s: Scored): GatewayScore {
  return { gateway: s.gateway, label: s.label, health: s.health, mean: s.mean, score: s.score, evidence: s.evidence, feeMinor: s.feeMinor };
}
