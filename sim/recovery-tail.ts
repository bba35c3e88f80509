// Recovery tail under the default settings (docs/intelligent-routing.md, issue 13): the setting of
// the unit test "recovery and outages under the default settings" (src/routing/scoring/rank.test.ts:
// 4 gateways at 97/90/85/80%, 20 decisions a second, the best DOWN for 500 decisions, then
// succeeding every time) over 100 further seeds than the test's 12, with the other gateways warm
// (300 outcomes each) or cold (none). "Back" = 80% of the next 100 first attempts on the returned
// gateway; prints the outcomes after its return until then (median, 90th percentile, over 500).
//   npx tsx sim/recovery-tail.ts
import { createScoringPolicy } from '../src/routing/scoring/index.ts';
import type { Segment, UniformRng } from '../src/routing/scoring/index.ts';
const T = 1_767_225_600_000;
const SEGMENT: Segment = { paymentMethodType: 'CARD', paymentMethod: 'VISA', cardBrand: 'VISA', issuer: 'HDFC', currency: 'INR', amountMinor: 100_000 };
const ALL = ['A', 'B', 'C', 'D'];
const TRUTH: Record<string, number> = { A: 0.97, B: 0.9, C: 0.85, D: 0.8 };
function rngOf(seed: number): UniformRng {
  let s = seed >>> 0;
  return {
    next: () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    },
  };
}
function run(seed: number, others: number, config: object) {
  const policy = createScoringPolicy({ config });
  const rng = rngOf(seed);
  let t = T;
  const left: Record<string, number> = { A: 2000, B: others, C: others, D: others };
  while (Object.values(left).some((n) => n > 0))
    for (const g of ALL) {
      if (left[g] <= 0) continue;
      left[g]--;
      const success = rng.next() < TRUTH[g];
      policy.record({ gateway: g, segment: SEGMENT, success, countsAgainstGateway: !success, atMillis: t });
      t += 50;
    }
  const firsts: string[] = [];
  for (let i = 0; i < 500 + 1500; i++) {
    const ranked = policy.rank({ candidates: ALL, mode: 'WITHIN_LOGIC', allEligible: ALL, enforced: false, segment: SEGMENT, nowMillis: t, rng });
    const g = ranked.gateways[0];
    firsts.push(g);
    const success = g === 'A' ? i >= 500 : rng.next() < TRUTH[g];
    policy.record({ gateway: g, segment: SEGMENT, success, countsAgainstGateway: !success, atMillis: t });
    t += 50;
  }
  const after = firsts.slice(500);
  for (let k = 0; k + 100 <= after.length; k += 10) if (after.slice(k, k + 100).filter((x) => x === 'A').length >= 80) return k + 100;
  return Infinity;
}
for (const [label, config] of [
  ['default', {}],
  ['fullScaleAt 0', { adaptive: { fullScaleAt: 0 } }],
] as const)
  for (const others of [300, 0]) {
    const v: number[] = [];
    for (let seed = 13; seed <= 112; seed++) v.push(run(seed * 7919, others, config));
    v.sort((a, b) => a - b);
    console.log(label, 'others warm', others, 'median', v[49], 'p90', v[89], 'over 500', v.filter((x) => x > 500).length, 'not back in 1500', v.filter((x) => !Number.isFinite(x)).length);
  }
