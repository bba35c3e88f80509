// How fast can any detector notice the "Partial -5 pp" drop at a given false-alarm budget?
// The CUSUM that knows both the rate before and after the change is optimal for this question
// (Lorden's worst-case detection delay, Moustakides 1986), so its delay at a given average run
// length to false alarm (ARL0) is a lower bound for every detector, ours included, which must
// also estimate both rates. Monte Carlo with a fixed seed:
//   npx tsx sim/detection-bound.ts [p0] [p1]
// Defaults: PG_A's counted success rate on cards before and after the drop (hard declines, which
// do not count, excluded): 0.93 / (0.93 + 0.07 - h) -> 0.88 / (0.88 + 0.12 - h), h = 0.45 x 0.07.
import { createRng } from '../src/connectors/simulator/simulator-profile.ts';

const hard = 0.45 * (1 - 0.93);
const p0 = Number(process.argv[2] ?? 0.93 / (1 - hard));
const p1 = Number(process.argv[3] ?? 0.88 / (1 - hard));
const rng = createRng(20261204);
const up = Math.log(p1 / p0);
const down = Math.log((1 - p1) / (1 - p0));

function runLength(p: number, h: number, cap: number): number {
  let c = 0;
  for (let n = 1; n <= cap; n++) {
    c = Math.max(0, c + (rng.next() < p ? up : down));
    if (c > h) return n;
  }
  return cap;
}

console.log(`Bernoulli CUSUM, p0 = ${p0.toFixed(4)}, p1 = ${p1.toFixed(4)} (KL(p1 || p0) = ${(p1 * Math.log(p1 / p0) + (1 - p1) * Math.log((1 - p1) / (1 - p0))).toFixed(4)} nats per outcome)`);
console.log('| threshold | ARL0 (outcomes to a false alarm, mean of 400 runs) | delay after the drop (mean of 4,000 runs, from zero) |');
console.log('|---:|---:|---:|');
for (let h = 3; h <= 7.01; h += 0.5) {
  let sum0 = 0;
  for (let k = 0; k < 400; k++) sum0 += runLength(p0, h, 10_000_000);
  let sum1 = 0;
  for (let k = 0; k < 4000; k++) sum1 += runLength(p1, h, 10_000_000);
  console.log(`| ${h.toFixed(1)} | ${Math.round(sum0 / 400)} | ${(sum1 / 4000).toFixed(0)} |`);
}
