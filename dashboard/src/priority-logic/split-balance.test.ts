import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rebalance, withNewShare } from './split-balance';

const weights = fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 8 });

describe('rebalance', () => {
  it('always sums to 100, every weight whole and within 0..100, the moved slider at its value', () => {
    fc.assert(
      fc.property(weights, fc.nat(), fc.integer({ min: -20, max: 140 }), (ws, i, value) => {
        const index = i % ws.length;
        const out = rebalance(ws, index, value);
        expect(out).toHaveLength(ws.length);
        expect(out.reduce((a, b) => a + b, 0)).toBe(100);
        for (const w of out) expect(Number.isInteger(w) && w >= 0 && w <= 100).toBe(true);
        if (ws.length > 1) expect(out[index]).toBe(Math.min(100, Math.max(0, value)));
      }),
    );
  });

  it('the others keep their proportions (within one point of rounding)', () => {
    fc.assert(
      fc.property(
        weights.filter((ws) => ws.length >= 3),
        fc.integer({ min: 0, max: 100 }),
        (ws, value) => {
          const out = rebalance(ws, 0, value);
          const before = ws.slice(1);
          const sum = before.reduce((a, b) => a + b, 0);
          before.forEach((w, k) => {
            const exact = sum > 0 ? (w * (100 - value)) / sum : (100 - value) / before.length;
            expect(Math.abs(out[k + 1]! - exact)).toBeLessThan(1);
          });
        },
      ),
    );
  });

  it('examples: 50/50 moved to 70 gives 70/30; three sliders share in proportion', () => {
    expect(rebalance([50, 50], 0, 70)).toEqual([70, 30]);
    expect(rebalance([60, 30, 10], 0, 20)).toEqual([20, 60, 20]);
    expect(rebalance([100, 0, 0], 0, 40)).toEqual([40, 30, 30]);
    expect(rebalance([100], 0, 30)).toEqual([100]);
  });
});

describe('withNewShare', () => {
  it('a new gateway gets an even share, never 0, and the total stays 100', () => {
    expect(withNewShare([])).toEqual([100]);
    expect(withNewShare([100])).toEqual([50, 50]);
    expect(withNewShare([50, 50])).toEqual([34, 33, 33]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 7 }), (ws) => {
        const out = withNewShare(ws);
        expect(out.reduce((a, b) => a + b, 0)).toBe(100);
        expect(out.at(-1)).toBe(Math.round(100 / out.length));
      }),
    );
  });
});
