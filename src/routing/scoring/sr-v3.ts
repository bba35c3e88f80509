// Baseline: the success-rate method (SR v3) of Juspay's open decision engine, as the spec
// describes it. Per gateway and dimension the last N outcomes (1 / 0) in a list that starts full
// of successes (optimistic); score = their mean; with probability `hedging` the best gateway is
// demoted (another eligible one, uniformly chosen, goes first); a gateway whose score falls below
// the elimination threshold is dropped to the end. Per payment-method-type overrides of N and of
// hedging. User and issuer failures do not count (same filter as ours). The engine's optional reset
// (a per-merchant feature flag, off by default; gw_scoring.rs reset_sr_v3_score) is `reset`: a
// gateway scoring more than `upperFactor` sigmas below the best has its window refilled with a
// score `lowerFactor` sigmas under the best, its failures spread evenly, so it can win again.
import type { FeedbackResult } from './estimator.ts';
import type { PolicyRankInput, RoutingPolicy } from './policy.ts';
import { exploreNonFirst } from './rank.ts';
import type { GatewayScore, OutcomeFeedback, RankResult, Segment, SegmentField } from './types.ts';

export interface SrV3Config {
  defaultBucketSize: number;
  /** Probability (0..1) of hedging. */
  defaultHedging: number;
  subLevel: { paymentMethodType: string; bucketSize: number; hedging: number }[];
  eliminationThreshold: number;
  /** The SR dimension: the fields the bucket is keyed by. */
  dimension: SegmentField[];
  /** The engine's SRV3 reset (its defaults: 3 and 3); null: off, as the engine is unless the merchant's flag is on. */
  reset: { upperFactor: number; lowerFactor: number } | null;
}

export const DEFAULT_SR_V3_CONFIG: SrV3Config = {
  defaultBucketSize: 125,
  defaultHedging: 0.05,
  subLevel: [
    { paymentMethodType: 'CARD', bucketSize: 200, hedging: 0.01 },
    { paymentMethodType: 'UPI', bucketSize: 500, hedging: 0.01 },
    { paymentMethodType: 'NB', bucketSize: 50, hedging: 0.01 },
    { paymentMethodType: 'WALLET', bucketSize: 50, hedging: 0.01 },
  ],
  eliminationThreshold: 0.35,
  dimension: ['paymentMethodType', 'paymentMethod'],
  reset: null,
};

/** The engine's reset default factors (constants.rs DEFAULT_SR_V3_BASED_{UPPER,LOWER}_RESET_FACTOR). */
export const SR_V3_RESET_FACTORS = { upperFactor: 3, lowerFactor: 3 };

/**
 * The engine's reset of one window: below `threshold` (best - upper x sigma) a gateway's window is
 * refilled with `zeros` failures spread evenly among successes, zeros = floor((1 - best + lower x
 * sigma) x size) within [2, size]; sigma = sqrt(max(best (1 - best), 0.09) / size).
 */
export function srV3Reset(best: number, size: number, factors: { upperFactor: number; lowerFactor: number }): { threshold: number; window: number[] } {
  const sigma = Math.sqrt(Math.max(best * (1 - best), 0.09) / size);
  const threshold = best - factors.upperFactor * sigma;
  const zeros = Math.min(size, Math.max(2, Math.floor((1 - best + factors.lowerFactor * sigma) * size)));
  const interval = (size - 1) / (zeros - 1);
  const window: number[] = [];
  let placed = 0;
  for (let i = size; i >= 1; i--) {
    if (size - i >= placed * interval) {
      window.push(0);
      placed++;
    } else window.push(1);
  }
  return { threshold, window: window.reverse() };
}

interface Bucket {
  outcomes: number[];
  next: number;
  sum: number;
}

export type SrV3State = Record<string, Bucket>;

export function createSrV3Policy(partial: Partial<SrV3Config> = {}): RoutingPolicy & { readonly state: SrV3State; readonly config: SrV3Config } {
  const config: SrV3Config = { ...DEFAULT_SR_V3_CONFIG, ...partial };
  const state: SrV3State = {};
  const levelOf = (segment: Segment): { bucketSize: number; hedging: number } => {
    for (const level of config.subLevel) if (level.paymentMethodType === segment.paymentMethodType) return level;
    return { bucketSize: config.defaultBucketSize, hedging: config.defaultHedging };
  };
  const keyOf = (gateway: string, segment: Segment): string => {
    let key = gateway;
    for (const field of config.dimension) key += `|${segment[field] ?? '-'}`;
    return key;
  };
  const bucketOf = (gateway: string, segment: Segment): Bucket => {
    const key = keyOf(gateway, segment);
    let bucket = state[key];
    if (bucket === undefined) {
      const size = levelOf(segment).bucketSize;
      bucket = { outcomes: new Array<number>(size).fill(1), next: 0, sum: size };
      state[key] = bucket;
    }
    return bucket;
  };

  return {
    name: 'sr-v3',
    state,
    config,
    rank(input: PolicyRankInput): RankResult {
      const pool: string[] = [...input.candidates];
      if (input.mode === 'ALL_ELIGIBLE' && !input.enforced) for (const g of input.allEligible) if (!pool.includes(g)) pool.push(g);
      const scores: (GatewayScore & { index: number })[] = pool.map((gateway, index) => {
        const bucket = state[keyOf(gateway, input.segment)];
        const mean = bucket === undefined ? 1 : bucket.sum / bucket.outcomes.length;
        return { gateway, index, label: 'EXPLOIT', health: 'UP', mean, score: mean, evidence: bucket?.outcomes.length ?? 0, feeMinor: null };
      });
      if (input.mode === 'OFF') return { gateways: [...input.candidates], scores: scores.map((s) => ({ ...s, label: 'DEFAULT' })), explored: false };
      if (config.reset && scores.length > 0) {
        const best = Math.max(...scores.map((s) => s.mean));
        const size = levelOf(input.segment).bucketSize;
        const { threshold, window } = srV3Reset(best, size, config.reset);
        for (const s of scores) {
          if (s.mean >= threshold) continue;
          const bucket = bucketOf(s.gateway, input.segment);
          bucket.outcomes = [...window];
          bucket.next = 0;
          bucket.sum = window.reduce((a, b) => a + b, 0);
          s.mean = s.score = bucket.sum / size;
        }
      }
      const live = scores.filter((s) => s.mean >= config.eliminationThreshold);
      const dropped = scores.filter((s) => s.mean < config.eliminationThreshold);
      for (const s of dropped) {
        s.label = 'ELIMINATED';
        s.health = 'DOWN';
      }
      live.sort((a, b) => b.score - a.score || a.index - b.index);
      let explored = false;
      const u = input.rng.next();
      const hedging = levelOf(input.segment).hedging;
      if (u < hedging && live.length > 1) {
        exploreNonFirst(live, u / hedging);
        explored = true;
      }
      const ordered = [...live, ...dropped];
      return {
        gateways: ordered.map((s) => s.gateway),
        scores: ordered.map(({ index: _index, ...s }) => s),
        explored,
      };
    },
    record(outcome: OutcomeFeedback): FeedbackResult {
      if (!outcome.success && !outcome.countsAgainstGateway) return { counted: false, alarms: 0 };
      const bucket = bucketOf(outcome.gateway, outcome.segment);
      const x = outcome.success ? 1 : 0;
      const before = bucket.sum / bucket.outcomes.length;
      bucket.sum += x - bucket.outcomes[bucket.next];
      bucket.outcomes[bucket.next] = x;
      bucket.next = (bucket.next + 1) % bucket.outcomes.length;
      const after = bucket.sum / bucket.outcomes.length;
      // An "alarm" for SR v3 is an elimination: the score crossing below the threshold.
      const alarms = before >= config.eliminationThreshold && after < config.eliminationThreshold ? 1 : 0;
      return { counted: true, alarms };
    },
  };
}
