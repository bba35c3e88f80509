// The counterfactual estimate of a backtest (issue 17, item 1): given past payments in the order
// they happened, each with the gateway that was used, its outcome, the probabilities the logging
// logic had of choosing that gateway and the draft's gateway (when it was randomised: a volume
// split), and the gateway the draft logic would have chosen, estimate the draft's success rate and
// its difference from what happened, with a confidence interval. One pass, constant memory per
// (gateway, segment).
//
// Per payment the estimate is doubly robust (Dudik, Langford and Li, 2011):
//   DR = q(draft) + [draft = used] / p(used) * (outcome - q(used))
// where q is the success-rate model learnt from the outcomes before this payment (a Beta posterior
// per gateway and segment, shrunk towards the gateway's overall rate while the segment has few
// outcomes) and p(used) the logging logic's propensity. Three kinds of changed payment:
// - supported (the logging was randomised and could have chosen the draft's gateway): DR, unbiased
//   on average when the propensities are right;
// - model only (the logging never chose that way, but the draft's gateway has outcomes in the
//   payment's segment): the model's prediction, and the interval adds the model's own uncertainty
//   (its posterior variance, taken as shared by all payments of a gateway and segment);
// - extrapolated (no outcome of the draft's gateway in the segment at the time): nothing in the
//   history says how it would have gone; the point estimate uses the model's backoff, and the
//   interval takes the worst case for these payments (each could have succeeded or failed).
// The interval is otherwise the normal one of the mean of the per-payment differences (DR - outcome).

/** One past payment as the backtest replays it. */
export interface LoggedDecision {
  /** The payment's scoring segment (payment method type, method/brand, ...), as a key. */
  segment: string;
  /** The gateway the payment went to. */
  used: string;
  success: boolean;
  /** Probability the logging logic had of choosing `used` (0 < p <= 1); null when not randomised or unknown. */
  propensity: number | null;
  /** Probability the logging logic had of choosing the draft's gateway (randomised logging only). */
  draftPropensity?: number | null;
  /** The gateway the draft would have chosen; null when the draft leaves the payment with none. */
  draft: string | null;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface CounterfactualEstimate {
  payments: number;
  /** Payments where the draft picks another gateway (or none). */
  changed: number;
  /** Changed payments the logging could have routed the draft's way (estimated doubly robustly). */
  supported: number;
  /** Changed payments whose estimate is the model's alone (the logging never routed that way). */
  modelOnly: number;
  /** Changed payments with no outcome of the draft's gateway in their segment at the time: worst case in the interval. */
  extrapolated: number;
  /** Success rate of what happened. */
  actual: number;
  /** Estimated success rate under the draft. */
  draft: Interval;
  /** Draft minus actual. */
  difference: Interval;
}

export interface EstimatorOptions {
  /** Beta prior of an unseen gateway: successes and failures (default 1, 1). */
  prior?: { success: number; failure: number };
  /** A segment needs this many outcomes of a gateway before its own rate is used (default 20). */
  minSegmentOutcomes?: number;
  /** Normal quantile of the interval (default 1.96: 95%). */
  z?: number;
}

interface Counts {
  n: number;
  s: number;
}

/** How one payment counts in the estimate (see the header). */
export type ContributionKind = 'same' | 'none' | 'supported' | 'modelOnly' | 'extrapolated';

/** One payment's part of the estimate, as scored by the model that was learnt before it. */
export interface Contribution {
  kind: ContributionKind;
  /** The outcome that happened (1 success, 0 failure). */
  y: number;
  /** The per-payment estimate of the draft's outcome (doubly robust, the model's, or 0 for no gateway). */
  dr: number;
  /** The model's rate of the draft's gateway (extrapolated payments: their worst-case band). */
  rate: number;
  /** The (gateway, segment) cell whose model a model-only payment rests on. */
  cell?: string;
}

/**
 * Sums contributions of payments (all of them, or one group: a gateway, a method, a segment) into
 * the estimate and its interval. The model's own counts come from the estimator that scored them.
 */
export class EstimateAccumulator {
  private n = 0;
  private successes = 0;
  private changed = 0;
  private supported = 0;
  private modelOnly = 0;
  private extrapolated = 0;
  private readonly modelOnlyCells = new Map<string, number>();
  private extrapolatedLow = 0;
  private extrapolatedHigh = 0;
  private sumDr = 0;
  private sumDrSq = 0;
  private sumDiff = 0;
  private sumDiffSq = 0;

  add(c: Contribution): void {
    if (c.kind !== 'same') this.changed++;
    if (c.kind === 'supported') this.supported++;
    else if (c.kind === 'modelOnly') {
      this.modelOnly++;
      this.modelOnlyCells.set(c.cell!, (this.modelOnlyCells.get(c.cell!) ?? 0) + 1);
    } else if (c.kind === 'extrapolated') {
      this.extrapolated++;
      this.extrapolatedLow += c.rate;
      this.extrapolatedHigh += 1 - c.rate;
    }
    const diff = c.dr - c.y;
    this.n++;
    this.successes += c.y;
    this.sumDr += c.dr;
    this.sumDrSq += c.dr * c.dr;
    this.sumDiff += diff;
    this.sumDiffSq += diff * diff;
  }

  /** Variance of the mean from the model's uncertainty on model-only payments (cells fully correlated). */
  private modelVariance(model: CounterfactualEstimator): number {
    let v = 0;
    for (const [cell, m] of this.modelOnlyCells) {
      const r = model.cellPosterior(cell);
      v += (m / this.n) ** 2 * r.variance;
    }
    return v;
  }

  private interval(sum: number, sumSq: number, z: number, modelVariance: number): Interval {
    const n = this.n;
    const mean = n ? sum / n : 0;
    const variance = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : 0;
    const half = n ? z * Math.sqrt(variance / n + modelVariance) : 0;
    const low = n ? this.extrapolatedLow / n : 0;
    const high = n ? this.extrapolatedHigh / n : 0;
    return { estimate: mean, low: mean - half - low, high: mean + half + high };
  }

  result(model: CounterfactualEstimator): CounterfactualEstimate {
    const mv = this.modelVariance(model);
    return {
      payments: this.n,
      changed: this.changed,
      supported: this.supported,
      modelOnly: this.modelOnly,
      extrapolated: this.extrapolated,
      actual: this.n ? this.successes / this.n : 0,
      draft: this.interval(this.sumDr, this.sumDrSq, model.z, mv),
      difference: this.interval(this.sumDiff, this.sumDiffSq, model.z, mv),
    };
  }
}

/** Streams logged decisions into the estimate. */
export class CounterfactualEstimator {
  private readonly bySegment = new Map<string, Counts>();
  private readonly byGateway = new Map<string, Counts>();
  private readonly prior: { success: number; failure: number };
  private readonly minSegment: number;
  readonly z: number;
  private readonly total = new EstimateAccumulator();

  constructor(options: EstimatorOptions = {}) {
    this.prior = options.prior ?? { success: 1, failure: 1 };
    this.minSegment = options.minSegmentOutcomes ?? 20;
    this.z = options.z ?? 1.96;
  }

  /** The model's success rate of a gateway for a segment, from the outcomes seen so far. */
  predict(gateway: string, segment: string): { rate: number; seen: boolean } {
    const seg = this.bySegment.get(`${gateway}\u0000${segment}`);
    const all = this.byGateway.get(gateway);
    const { success: a, failure: b } = this.prior;
    if (seg && seg.n >= this.minSegment) return { rate: (seg.s + a) / (seg.n + a + b), seen: true };
    // Few outcomes in the segment: shrink towards the gateway's overall rate (itself shrunk to the prior).
    const base = all ? (all.s + a) / (all.n + a + b) : a / (a + b);
    const k = this.minSegment;
    if (seg && seg.n > 0) return { rate: (seg.s + k * base) / (seg.n + k), seen: true };
    return { rate: base, seen: false };
  }

  /** The Beta posterior variance of a (gateway, segment) cell's rate, from every outcome learnt. */
  cellPosterior(cell: string): { variance: number } {
    const { success: a, failure: b } = this.prior;
    const c = this.bySegment.get(cell) ?? { n: 0, s: 0 };
    const r = (c.s + a) / (c.n + a + b);
    return { variance: (r * (1 - r)) / (c.n + a + b + 1) };
  }

  /**
   * Scores one payment with the model learnt before it, then learns its outcome. Add the
   * contribution to any EstimateAccumulator (a group's); add() also adds it to the total.
   */
  score(d: LoggedDecision): Contribution {
    if (d.propensity !== null && !(d.propensity > 0 && d.propensity <= 1)) throw new RangeError(`propensity must be in (0, 1], not ${d.propensity}`);
    const y = d.success ? 1 : 0;
    let c: Contribution;
    if (d.draft === null) {
      c = { kind: 'none', y, dr: 0, rate: 0 }; // no gateway: the payment fails
    } else if (d.draft === d.used) {
      // The same choice: the real outcome, or with randomised logging its doubly robust weight.
      if (d.propensity === null) c = { kind: 'same', y, dr: y, rate: y };
      else {
        const q = this.predict(d.used, d.segment).rate;
        c = { kind: 'same', y, dr: q + (y - q) / d.propensity, rate: q };
      }
    } else {
      const q = this.predict(d.draft, d.segment);
      // The correction term of DR is zero when the choices differ.
      if (d.propensity !== null && (d.draftPropensity ?? 0) > 0) c = { kind: 'supported', y, dr: q.rate, rate: q.rate };
      else if (q.seen) c = { kind: 'modelOnly', y, dr: q.rate, rate: q.rate, cell: `${d.draft}\u0000${d.segment}` };
      else c = { kind: 'extrapolated', y, dr: q.rate, rate: q.rate };
    }
    // The model learns the outcome after the payment (what it knew at the time came first).
    this.learn(`${d.used}\u0000${d.segment}`, this.bySegment, y);
    this.learn(d.used, this.byGateway, y);
    return c;
  }

  add(d: LoggedDecision): void {
    this.total.add(this.score(d));
  }

  private learn(key: string, map: Map<string, Counts>, y: number): void {
    const c = map.get(key);
    if (c) {
      c.n++;
      c.s += y;
    } else {
      map.set(key, { n: 1, s: y });
    }
  }

  result(): CounterfactualEstimate {
    return this.total.result(this);
  }
}
