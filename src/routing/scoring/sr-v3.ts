// Baseline: the success-rate method (SR v3) of Juspay's open decision engine, as the spec
// describes it. Per gateway and dimension the last N outcomes (1 / 0) in a list that starts full
// of successes (optimistic); score = their mean; with probability `hedging` the best gateway is
// demoted (another eligible one, uniformly chosen, goes first); a gateway whose score falls below
// the elimination threshold is dropped to the end. Per payment-method-type overrides of N and of
// hedging. User and issuer failures do not count (same filter as ours).
import type { FeedbackResult } from './estimator.ts';
import type { PolicyRankInput, RoutingPolicy } from './policy.ts';
import type { GatewayScore, OutcomeFeedback, RankResult, Segment, SegmentField } from './types.ts';

export interface SrV3Config {
  defaultBucketSize: number;
  /** Probability (0..1) of hedging. */
  defaultHedging: number;
  subLevel: { paymentMethodType: string; bucketSize: number; hedging: number }[];
  eliminationThreshold: number;
  /** The SR dimension: the fields the bucket is keyed by. */
  dimension: SegmentField[];
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
};

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
    for (const field of config.dimension) key += '|' + (segment[field] ?? '-');
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
        const i = 1 + Math.min(live.length - 2, Math.floor((u / hedging) * (live.length - 1)));
        const pick = live.splice(i, 1)[0];
        pick.label = 'EXPLORE';
        live.unshift(pick);
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
