// Data types of success-rate scoring. Plain data only: arm statistics are JSON numbers so any
// store (in-memory here, Redis elsewhere) can hold them; time is always passed in.

/** Segment dimensions an outcome or a decision is keyed by (null / absent: unknown). */
export interface Segment {
  paymentMethodType: string;
  paymentMethod?: string | null;
  cardBrand?: string | null;
  cardType?: string | null;
  issuer?: string | null;
  currency?: string | null;
  authType?: string | null;
  /** Used by the fee model only (integer minor units). */
  amountMinor?: number;
}

export type SegmentField = Exclude<keyof Segment, 'amountMinor'>;

/** What the payment path reports after an attempt on a gateway. */
export interface OutcomeFeedback {
  gateway: string;
  segment: Segment;
  success: boolean;
  /**
   * From the connector's status table. A failure that does not count against the gateway (hard
   * decline, shopper error) is ignored for scoring. Successes pass `false` (nothing to count).
   */
  countsAgainstGateway: boolean;
  /** When the outcome happened (epoch ms); may be earlier than "now" when feedback is late. */
  atMillis: number;
}

/** A seedable uniform source in [0, 1) (the simulator's mulberry32 has this shape). */
export interface UniformRng {
  next(): number;
}

/**
 * Statistics of one arm (gateway x segment level), short keys to keep stored state small:
 * s/f discounted success/failure counts, t last update, cd/cu CUSUM statistics for a drop / a
 * rise, ds/df and us/uf outcomes since each CUSUM last left zero, r time of the last reset
 * (its own alarm or a coarser arm's), a alarms since the arm last restarted with its parent, h the rate the detector accepted at the last alarm (the restarted
 * arm's prior until it has its own evidence).
 */
export interface ArmStats {
  s: number;
  f: number;
  t: number;
  cd: number;
  ds: number;
  df: number;
  cu: number;
  us: number;
  uf: number;
  r: number;
  a: number;
  h: number;
  /**
   * Small-drop detector: its CUSUM statistic and the successes / failures since it last left zero
   * (the segment its GLR is computed on). Absent in arms stored before it existed (read as 0).
   */
  gd?: number;
  gs?: number;
  gf?: number;
  /** The rate the small-drop GLR tests against: the arm's estimate when its segment began. */
  gp?: number;
  /** ... and how many of the arm's own (discounted) outcomes that estimate rested on. */
  gn?: number;
  /** The arm's estimate just before its last outage alarm (0 / absent: none to restore). */
  pm?: number;
}

/** Arm statistics by arm key: what one read of the store returns. */
export type ScoreSnapshot = Record<string, ArmStats>;

export type RankingMode = 'OFF' | 'WITHIN_LOGIC' | 'ALL_ELIGIBLE';
export type RankLabel = 'EXPLOIT' | 'EXPLORE' | 'ELIMINATED' | 'DEFAULT';
export type Health = 'UP' | 'FLUCTUATE' | 'DOWN';

export interface FeeRule {
  fixedMinor: number;
  percentBps: number;
}
/** Fees of one gateway account: the most specific rule wins (card brand > payment method > type > default). */
export interface GatewayFees {
  default: FeeRule;
  byPaymentMethodType?: Record<string, FeeRule>;
  byPaymentMethod?: Record<string, FeeRule>;
  byCardBrand?: Record<string, FeeRule>;
}

/** A merchant-marked maintenance window: the gateway is DOWN for matching payments. */
export interface ScheduledOutage {
  gateway: string;
  startMs: number;
  endMs: number;
  paymentMethodType?: string;
}

export interface AdaptiveSettings {
  /** The drop detector does not run on arms estimated below this (already DOWN). */
  dropSkipBelow: number;
  /** After a rise alarm (recovery) the arm is shrunk to its parent again, not to the rise test's rate. */
  riseRejoinsParent: boolean;
  /** Probe rate of a DOWN gateway right after its alarm, as a fraction of `exploration.probe`... */
  probeStart: number;
  /** ... growing linearly to the full `exploration.probe` over this long (ms). */
  probeRampMs: number;
  /**
   * A probeable gateway whose last alarm is older than `health.recentAlarmMs` (degraded or DOWN
   * for a while, or never alarmed) is probed at this fraction of `exploration.probe`: recoveries
   * come soon after an alarm, a gateway that stays bad pays less.
   */
  probeLateFactor: number;
  /** Evidence at which Thompson sampling uses the full `posteriorScale` (linearly from 1 below it; 0: always full). */
  fullScaleAt: number;
  /**
   * Probe rate of a probeable gateway whose rise test has started to gather successes (0: off):
   * one good answer from a DOWN gateway is worth confirming at once, so the base probe rate can
   * stay low while it is down and a recovery is still settled within a few dozen decisions.
   */
  probeBoost: number;
  /** Pseudo-outcomes at the pre-outage rate an arm gets back on recovery (0: off; see `restoreRate`). */
  restoreEvidence: number;
  /**
   * Thompson scale of every gateway of a decision while one of them is DOWN after a recent alarm
   * (0: `posteriorScale` as usual): the gateways that take its traffic are re-tested honestly.
   */
  outageScale: number;
}

export interface ScoringConfig {
  /** Recovery and probing refinements (optional; `scoringConfig()` fills the defaults). */
  adaptive?: Partial<AdaptiveSettings>;
  /** Segment levels, coarse to fine; each finer level backs off to the previous one. */
  levels: SegmentField[][];
  /** Prior success rate for an arm with no data at the coarsest level. */
  priorMean: number;
  /** Pseudo-observations a level borrows from its parent (hierarchical shrinkage). */
  priorStrength: number;
  /** Pseudo-observations the coarsest level borrows from `priorMean`. */
  rootPriorStrength: number;
  /** Per-observation discount (1 - 1/window): effective memory of an arm in outcomes. */
  discount: number;
  /** Time decay of an arm's counts: half-life in ms (stale arms become uncertain again). */
  halfLifeMs: number;
  detector: {
    /** Relative drop tested for: p1 = p0 * (1 - drop). */
    drop: number;
    /** Relative rise tested for on degraded arms: p1 = p0 + rise * (1 - p0). */
    rise: number;
    /** The rise detector runs while the arm's estimate is below this or below `health.fluctuateBelow`. */
    riseBelow: number;
    /** CUSUM alarm threshold (log-likelihood ratio) of the drop detector. */
    threshold: number;
    /** Threshold of the rise detector: lower, since a false rise only costs a few probes. */
    riseThreshold: number;
    /**
     * Prior strength of an arm that alarmed on its own until it has that many observations again:
     * its parent no longer describes it (an issuer-specific outage must not be averaged away).
     */
    postAlarmPriorStrength: number;
    /** ... until the arm has this many (discounted) observations of its own again. */
    postAlarmEvidence: number;
    /**
     * Small-drop detector (issue 13): absolute drop in points the second CUSUM is tuned to
     * (p1 = p0 - smallDrop); it only picks the segment a generalised likelihood ratio is computed
     * on. 0 turns the small-drop detector off.
     */
    smallDrop?: number;
    /** Alarm threshold of the small-drop GLR (log-likelihood ratio at the post-change MLE). */
    glrThreshold?: number;
    /** The GLR alarms only after this many outcomes in its segment (a burst is the big CUSUM's job). */
    glrMinOutcomes?: number;
    /** A segment starts only on an arm with this many (discounted) outcomes of its own. */
    glrMinEvidence?: number;
    /**
     * The small-drop detector runs on arms of this level and coarser only: a small drop of a whole
     * gateway or payment method shows there first, and every further arm tested adds false alarms.
     */
    glrMaxLevel?: number;
  };
  /** Propagate a reset of a coarse arm to its finer arms (a gateway-wide outage). */
  propagateResets: boolean;
  ranking: 'THOMPSON' | 'MEAN';
  /** Thompson sampling draws from a Beta with the evidence multiplied by this (>1: greedier). */
  posteriorScale: number;
  exploration: {
    /** Probability that a uniformly chosen non-eliminated, non-best candidate is tried first. */
    floor: number;
    /**
     * Probability that a DOWN (not scheduled) or degraded gateway (not first and not UP: below
     * `health.fluctuateBelow`, or alarmed within `health.recentAlarmMs`) is probed first; in every
     * ranking mode for DOWN gateways (see `adaptive.probeLateFactor`).
     */
    probe: number;
  };
  health: {
    /** Estimated success below this: DOWN (skipped except for probes). */
    downBelow: number;
    /** Estimated success below this, or an alarm within `recentAlarmMs`: FLUCTUATE. */
    fluctuateBelow: number;
    recentAlarmMs: number;
  };
  scheduledOutages: ScheduledOutage[];
  fees: Record<string, GatewayFees>;
  /** Prefer a cheaper gateway while its score is within this many probability points of the best. */
  costTolerance: number;
}

export interface GatewayScore {
  gateway: string;
  label: RankLabel;
  health: Health;
  /** Posterior mean of the success rate (hard declines excluded). */
  mean: number;
  /** The value ranked on (a Thompson sample, or the mean). */
  score: number;
  /** Effective observations behind the estimate at the finest level (prior included). */
  evidence: number;
  /** Fee for this payment in whole minor units, rounded half up (null without a fee model); the ranking compares the exact fee. */
  feeMinor: number | null;
}

export interface RankResult {
  /** The order to try; ELIMINATED gateways last (they remain a last resort). */
  gateways: string[];
  scores: GatewayScore[];
  /** True when the first gateway was placed there to explore. */
  explored: boolean;
}

export interface RankInput {
  /** Eligible gateways, already ordered by the logic. */
  candidates: readonly string[];
  mode: RankingMode;
  /** All eligible gateways (ALL_ELIGIBLE widens to these unless enforced). */
  allEligible: readonly string[];
  enforced: boolean;
  segment: Segment;
  nowMillis: number;
  rng: UniformRng;
  config: ScoringConfig;
  /** The arm statistics read for this decision (see `armKeysForDecision`). */
  stats: ScoreSnapshot;
  /**
   * The keys `stats` was read with, when the caller built them as `armKeysForDecision(allEligible, …)`:
   * the ranking then looks them up instead of building each again.
   */
  keys?: readonly string[];
}
