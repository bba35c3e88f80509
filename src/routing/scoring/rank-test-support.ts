// What the ranking tests share: a time, a segment, gateways, fixed and seeded random draws, and
// score snapshots with given success rates.
import { applyFeedback, scoringConfig } from './estimator.ts';
import type { RankInput, ScoreSnapshot, ScoringConfig, Segment, UniformRng } from './types.ts';

export const T = 1_767_225_600_000;
export const SEGMENT: Segment = { paymentMethodType: 'CARD', paymentMethod: 'VISA', cardBrand: 'VISA', issuer: 'HDFC', currency: 'INR', amountMinor: 100_000 };
export const ALL = ['A', 'B', 'C', 'D'];
export const LABELS = new Set(['EXPLOIT', 'EXPLORE', 'ELIMINATED', 'DEFAULT']);

export function seq(values: number[]): UniformRng {
  let i = 0;
  return { next: () => values[i++ % values.length] };
}
export function rngOf(seed: number): UniformRng {
  let s = seed >>> 0;
  return {
    next: () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    },
  };
}

/** Stats where each gateway has `rates[g]` success over `n` outcomes. */
export function statsWith(rates: Record<string, number>, config: ScoringConfig, n = 2000): ScoreSnapshot {
  const stats: ScoreSnapshot = {};
  for (const [gateway, rate] of Object.entries(rates)) {
    const successes = Math.round(rate * 1000);
    for (let i = 0; i < n; i++) {
      const success = (i * 7919) % 1000 < successes;
      applyFeedback(stats, { gateway, segment: SEGMENT, success, countsAgainstGateway: !success, atMillis: T + i }, config);
    }
  }
  return stats;
}

export function input(partial: Partial<RankInput>): RankInput {
  const config = partial.config ?? scoringConfig({ exploration: { floor: 0, probe: 0 } });
  return { candidates: ALL, mode: 'WITHIN_LOGIC', allEligible: ALL, enforced: false, segment: SEGMENT, nowMillis: T + 10_000, rng: rngOf(1), stats: {}, ...partial, config };
}
