import { describe, expect, it } from 'vitest';
import { pivot } from './series.ts';

describe('pivot', () => {
  const points = [
    { t: '2026-01-05T10:00:00Z', gateway: 'B', v: 1 },
    { t: '2026-01-05T10:00:00Z', gateway: 'A', v: 2 },
    { t: '2026-01-05T10:20:00Z', gateway: 'A', v: 3 },
  ];
  const t0 = Date.parse('2026-01-05T10:00:00Z') / 1000;

  it('aligns one column per gateway, sorted, with the missing value', () => {
    const r = pivot(points, (p) => p.v, { missing: 0 });
    expect(r.x).toEqual([t0, t0 + 1200]);
    expect(r.series.map((s) => [s.label, s.values])).toEqual([
      ['A', [2, 3]],
      ['B', [1, 0]],
    ]);
    expect(r.series[0]!.color).not.toBe(r.series[1]!.color);
  });

  it('fills empty slots with the step over the range', () => {
    const r = pivot(points, (p) => p.v, { missing: null, step: 600, from: t0 - 600, to: t0 + 1800 });
    expect(r.x).toEqual([t0 - 600, t0, t0 + 600, t0 + 1200]);
    expect(r.series[0]!.values).toEqual([null, 2, null, 3]);
  });
});
