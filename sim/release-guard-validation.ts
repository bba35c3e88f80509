// Validation of the guarded staggered release (issue 17, item 2) in the simulator, where the truth
// is known: every simulated payment carries each gateway's true success probability (its segment,
// its card), so a logic's true success rate on the same payments is known exactly.
//
// Per seed, orders arrive one by one; each lands in the staggered share with the configured
// probability (the router's sticky per-order bucket is a hash of the order id: uniform, as here);
// the active logic sends its payments to PG_A and the new logic's outcome is drawn from a known
// change of that: the same (an A/A release), exactly 1 point worse, exactly 2 points worse or
// 2 points better. The guard looks every 100 payments of the new logic (as the periodic worker
// would) and at the planned sample, with the production code (src/core/priority-logic/release-guard.ts).
//
// Claims checked (defaults: alpha 0.05, stagger 20%):
//   - false rollbacks (A/A with tolerance 0; exactly at the tolerance of 1 point) at most alpha;
//   - a logic 2 points worse (tolerance 0) rolled back within the design's planned sample in at
//     least 90% of seeds.
//
// Run: npx tsx sim/release-guard-validation.ts [--seeds=N] [--share=P] [--alpha=A]
// Seeds: 1..N for the orders and outcomes; the payments' success probabilities come from the
// held-out set A's first seed of the stationary scenario (nothing here is tuned: the guard's
// settings are the API defaults, fixed before any run).
import { evaluateGuard, plannedSample, successBaseline, type GuardSettings } from '../src/core/priority-logic/release-guard.ts';
import { createRng } from '../src/connectors/simulator/simulator-profile.ts';
import { drawPayments } from './run-scenario.ts';
import { buildScenarios, GATEWAYS, HELD_OUT_A } from './scenarios.ts';

const arg = (name: string, fallback: number): number => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
};
const LOOK_EVERY = 100;

// The pool of payments: true success probabilities of PG_A, per payment.
const POOL_SIZE = 20_000;
let pool: number[] | null = null;
function poolOfPayments(): number[] {
  if (pool) return pool;
  const scenario = buildScenarios(POOL_SIZE).find((s) => s.id === 'stationary')!;
  pool = drawPayments(scenario, { payments: POOL_SIZE, seed: HELD_OUT_A[0]! }).map((p) => p.p[GATEWAYS.indexOf('PG_A')]!);
  return pool;
}

interface Case {
  name: string;
  /** The new logic's success probability, from the active logic's, on the same payment. */
  shift: number;
  tolerance: number;
  /** The claim: at most alpha rolled back, or at least 90% rolled back within the planned sample. */
  claim: 'FALSE_ALARM' | 'DETECTION' | 'NONE';
}

export const CASES: Case[] = [
  { name: 'A/A: the same routing, tolerance 0', shift: 0, tolerance: 0, claim: 'FALSE_ALARM' },
  { name: 'exactly at the tolerance: 1 point worse, tolerance 1', shift: -0.01, tolerance: 1, claim: 'FALSE_ALARM' },
  { name: '2 points worse, tolerance 0', shift: -0.02, tolerance: 0, claim: 'DETECTION' },
  { name: '2 points worse, tolerance 1 (1 beyond it)', shift: -0.02, tolerance: 1, claim: 'NONE' },
  { name: '2 points better, tolerance 0', shift: 0.02, tolerance: 0, claim: 'NONE' },
];

function wilson(k: number, n: number, z = 1.96): [number, number] {
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

export interface CaseResult {
  rolledBack: number;
  withinPlan: number;
  planned: number;
  detectionSamples: number[];
}

export interface GuardValidationOptions {
  seeds: number;
  share: number;
  alpha: number;
}

/** The active logic's true success rate over the pool. */
export function baseRate(): number {
  const p = poolOfPayments();
  return p.reduce((s, x) => s + x, 0) / p.length;
}

export function runCase(c: Case, { seeds: SEEDS, share: SHARE, alpha: ALPHA }: GuardValidationOptions): CaseResult {
  const pool = poolOfPayments();
  const base: Omit<GuardSettings, 'plannedSample'> = { metric: 'SUCCESS_RATE', tolerance: c.tolerance, detectableEffect: 2, minSample: 200, alpha: ALPHA, autoPromote: false };
  const planned = plannedSample(base, successBaseline(baseRate()), SHARE);
  const settings: GuardSettings = { ...base, plannedSample: planned };
  let rolledBack = 0;
  let withinPlan = 0;
  const detectionSamples: number[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const rng = createRng(0x9e3779b1 ^ (seed * 7919 + Math.round(c.shift * 1000) * 131 + c.tolerance * 17));
    const newArm = { n: 0, sum: 0, sumSq: 0 };
    const oldArm = { n: 0, sum: 0, sumSq: 0 };
    let decided = false;
    // The guard goes on to the planned sample; the false-alarm cases run twice as long to show
    // that looking longer does not raise the rate (the test is valid at every look).
    const horizon = c.claim === 'FALSE_ALARM' ? planned * 2 : planned;
    while (newArm.n < horizon) {
      const p = pool[Math.floor(rng.next() * pool.length)]!;
      const staggered = rng.next() * 100 < SHARE;
      const q = staggered ? Math.min(1, Math.max(0, p + c.shift)) : p;
      const success = rng.next() < q ? 1 : 0;
      const arm = staggered ? newArm : oldArm;
      arm.n++;
      arm.sum += success;
      arm.sumSq += success;
      if (staggered && (newArm.n % LOOK_EVERY === 0 || newArm.n === planned)) {
        const verdict = evaluateGuard({ ...settings, plannedSample: horizon }, newArm, oldArm).verdict;
        if (verdict === 'WORSE') {
          rolledBack++;
          if (newArm.n <= planned) withinPlan++;
          detectionSamples.push(newArm.n);
          decided = true;
          break;
        }
      }
    }
    void decided;
  }
  return { rolledBack, withinPlan, planned, detectionSamples };
}

function main(): void {
  const options = { seeds: arg('seeds', 1000), share: arg('share', 20), alpha: arg('alpha', 0.05) };
  const { seeds: SEEDS, share: SHARE, alpha: ALPHA } = options;
  const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
  console.log(`Guarded release in the simulator: ${SEEDS} seeds per case, stagger ${SHARE}%, alpha ${ALPHA}, a look every ${LOOK_EVERY} payments of the new logic`);
  console.log(`Active logic's true success rate on the pool (PG_A, stationary scenario, held-out seed ${HELD_OUT_A[0]}): ${pct(baseRate())}`);
  let failed = false;
  for (const c of CASES) {
    const r = runCase(c, options);
    const sorted = [...r.detectionSamples].sort((a, b) => a - b);
    const median = sorted.length ? sorted[Math.floor(sorted.length / 2)] : null;
    if (c.claim === 'FALSE_ALARM') {
      const [lo, hi] = wilson(r.rolledBack, SEEDS);
      const ok = r.rolledBack / SEEDS <= ALPHA;
      failed ||= !ok;
      console.log(
        `- ${c.name}: false rollbacks ${r.rolledBack}/${SEEDS} = ${pct(r.rolledBack / SEEDS)} (95% CI ${pct(lo)}-${pct(hi)}) over ${2 * r.planned} payments of the new logic; claim <= ${pct(ALPHA)}: ${ok ? 'holds' : 'FAILS'}`,
      );
    } else if (c.claim === 'DETECTION') {
      const [lo, hi] = wilson(r.withinPlan, SEEDS);
      const ok = r.withinPlan / SEEDS >= 0.9;
      failed ||= !ok;
      console.log(
        `- ${c.name}: rolled back within the planned ${r.planned} payments of the new logic in ${r.withinPlan}/${SEEDS} = ${pct(r.withinPlan / SEEDS)} (95% CI ${pct(lo)}-${pct(hi)}), median at ${median}; claim >= 90%: ${ok ? 'holds' : 'FAILS'}`,
      );
    } else {
      console.log(`- ${c.name}: rolled back in ${r.rolledBack}/${SEEDS} = ${pct(r.rolledBack / SEEDS)} within ${r.planned} payments${median ? `, median at ${median}` : ''}`);
    }
  }
  if (failed) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) main();
