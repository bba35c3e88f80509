import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSrV3Policy } from './sr-v3.ts';
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
});
