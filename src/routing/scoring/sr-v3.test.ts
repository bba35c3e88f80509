import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSrV3Policy, SR_V3_RESET_FACTORS, srV3Reset } from './sr-v3.ts';
import type { Segment, UniformRng } from './types.ts';

const CARD: Segment = { paymentMethodType: 'CARD', paymentMethod: 'VISA' };
const OTHER: Segment = { paymentMethodType: 'EMI', paymentMethod: 'HDFC_EMI' };
const fixed = (u: number): UniformRng => ({ next: () => u });

function rank(policy: ReturnType<typeof createSrV3Policy>, segment: Segment, u = 0.99): string[] {
  return policy.rank({ candidates: ['A', 'B', 'C'], mode: 'WITHIN_LOGIC', allEligible: ['A', 'B', 'C'], enforced: false, segment, nowMillis: 0, rng: fixed(u) }).gateways;
}

describe('SR v3 baseline', () => {
  it('starts optimistic (a window full of successes) and keeps the logic order on ties', () => {
    const policy = createSrV3Policy();
    assert.deepEqual(rank(policy, CARD), ['A', 'B', 'C']);
  });

  it('scores the mean of the last N outcomes, N per payment method type (CARD 200, default 125)', () => {
    const policy = createSrV3Policy();
    policy.record({ gateway: 'A', segment: CARD, success: false, countsAgainstGateway: true, atMillis: 0 });
    policy.record({ gateway: 'A', segment: OTHER, success: false, countsAgainstGateway: true, atMillis: 0 });
    const cardScore = policy.rank({ candidates: ['A'], mode: 'WITHIN_LOGIC', allEligible: ['A'], enforced: false, segment: CARD, nowMillis: 0, rng: fixed(0.99) }).scores[0].mean;
    const otherScore = policy.rank({ candidates: ['A'], mode: 'WITHIN_LOGIC', allEligible: ['A'], enforced: false, segment: OTHER, nowMillis: 0, rng: fixed(0.99) }).scores[0].mean;
    assert.equal(cardScore, 199 / 200);
    assert.equal(otherScore, 124 / 125);
    assert.deepEqual(rank(policy, CARD), ['B', 'C', 'A']);
  });

  it('forgets outcomes older than the window', () => {
    const policy = createSrV3Policy({ defaultBucketSize: 10, subLevel: [] });
    for (let i = 0; i < 10; i++) policy.record({ gateway: 'A', segment: CARD, success: false, countsAgainstGateway: true, atMillis: 0 });
    for (let i = 0; i < 10; i++) policy.record({ gateway: 'A', segment: CARD, success: true, countsAgainstGateway: false, atMillis: 0 });
    assert.equal(policy.state['A|CARD|VISA'].sum, 10);
  });

  it('eliminates below 0.35 and ignores failures that do not count', () => {
    const policy = createSrV3Policy({ defaultBucketSize: 20, subLevel: [] });
    for (let i = 0; i < 14; i++) policy.record({ gateway: 'A', segment: CARD, success: false, countsAgainstGateway: false, atMillis: 0 });
    assert.deepEqual(rank(policy, CARD), ['A', 'B', 'C']);
    for (let i = 0; i < 14; i++) policy.record({ gateway: 'A', segment: CARD, success: false, countsAgainstGateway: true, atMillis: 0 });
    const result = policy.rank({ candidates: ['A', 'B', 'C'], mode: 'WITHIN_LOGIC', allEligible: ['A', 'B', 'C'], enforced: false, segment: CARD, nowMillis: 0, rng: fixed(0.99) });
    assert.deepEqual(result.gateways, ['B', 'C', 'A']);
    assert.equal(result.scores[2].label, 'ELIMINATED');
  });

  it('hedges: with the hedging probability another gateway goes first', () => {
    const policy = createSrV3Policy();
    assert.deepEqual(rank(policy, OTHER, 0.01), ['B', 'A', 'C']);
    assert.deepEqual(rank(policy, OTHER, 0.049), ['C', 'A', 'B']);
    assert.deepEqual(rank(policy, OTHER, 0.06), ['A', 'B', 'C']);
    // CARD hedges at 1%.
    assert.deepEqual(rank(policy, CARD, 0.02), ['A', 'B', 'C']);
  });

  it('resets, when on, a gateway far below the best as the engine does: window refilled lower_factor sigmas under the best, failures spread', () => {
    // best 0.9 over 125: sigma = sqrt(0.09 / 125) = 0.02683; threshold = 0.9 - 3 sigma = 0.8195;
    // zeros = floor((1 - 0.9 + 3 sigma) x 125) = floor(22.56) = 22, score (125 - 22) / 125 = 0.824.
    const { threshold, window } = srV3Reset(0.9, 125, SR_V3_RESET_FACTORS);
    assert.ok(Math.abs(threshold - (0.9 - 3 * Math.sqrt(0.09 / 125))) < 1e-12);
    assert.equal(window.length, 125);
    assert.equal(window.filter((x) => x === 0).length, 22);
    assert.deepEqual([window[0], window[124]], [0, 0], 'the failures are spread from one end of the window to the other');
    const gaps = window
      .flatMap((x, i) => (x === 0 ? [i] : []))
      .map((at, k, all) => (k === 0 ? 0 : at - all[k - 1]!))
      .slice(1);
    assert.ok(Math.max(...gaps) - Math.min(...gaps) <= 1, `evenly: ${gaps.join(',')}`);
    // best 0.1 over 10: floor((0.9 + 3 x 0.0949) x 10) = 11, clamped to the window's 10.
    assert.equal(srV3Reset(0.1, 10, SR_V3_RESET_FACTORS).window.filter((x) => x === 0).length, 10, 'zeros clamped to the window');

    const withReset = createSrV3Policy({ defaultBucketSize: 125, subLevel: [], reset: SR_V3_RESET_FACTORS, eliminationThreshold: 0 });
    const without = createSrV3Policy({ defaultBucketSize: 125, subLevel: [], eliminationThreshold: 0 });
    for (const policy of [withReset, without]) {
      for (let i = 0; i < 60; i++) policy.record({ gateway: 'A', segment: OTHER, success: false, countsAgainstGateway: true, atMillis: 0 });
      for (let i = 0; i < 12; i++) policy.record({ gateway: 'B', segment: OTHER, success: false, countsAgainstGateway: true, atMillis: 0 });
    }
    // B (0.904) is the best; A (0.52) is more than 3 sigmas under it: reset to 103 / 125 = 0.824.
    const scoreOf = (policy: ReturnType<typeof createSrV3Policy>, g: string) =>
      policy.rank({ candidates: ['A', 'B'], mode: 'WITHIN_LOGIC', allEligible: ['A', 'B'], enforced: false, segment: OTHER, nowMillis: 0, rng: fixed(0.99) }).scores.find((x) => x.gateway === g)!.mean;
    assert.equal(scoreOf(withReset, 'A'), 103 / 125);
    assert.equal(withReset.state['A|EMI|HDFC_EMI'].sum, 103, 'the window itself is refilled, as the engine rewrites the Redis queue');
    assert.equal(scoreOf(without, 'A'), 65 / 125);
    assert.equal(scoreOf(withReset, 'B'), 113 / 125, 'the best is untouched');
  });
});
