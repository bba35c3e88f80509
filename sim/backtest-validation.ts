// Validation of the backtest's counterfactual estimate (issue 17, item 1) in the simulator, where
// the truth is known: every payment carries each gateway's true success probability. A logging
// logic routes the traffic (its outcomes are what a merchant's history holds); a draft logic is then
// backtested on that history; the estimate of "draft minus what happened" is compared with the true
// difference of the two logics on the same payments, E[success | draft] - E[success | logging].
//
// Run: npx tsx sim/backtest-validation.ts [--payments=N] [--sets=A,B,C]
// Seeds: the held-out sets of sim/scenarios.ts (nothing here is tuned on them: the estimator's only
// settings, a Beta(1,1) prior and a 20-outcome backoff, were fixed before any run).
import { CounterfactualEstimator, type CounterfactualEstimate } from '../src/core/backtest/counterfactual.ts';
import { drawPayments } from './run-scenario.ts';
import { buildScenarios, GATEWAYS, SEED_SETS, type SeedSetName } from './scenarios.ts';
import { createRng } from '../src/connectors/simulator/simulator-profile.ts';

type SimPayment = ReturnType<typeof drawPayments>[number];

/** A logging logic: per payment, each incumbent gateway's probability of being chosen. */
interface LoggingLogic {
  name: string;
  randomised: boolean;
  probabilities(p: SimPayment): number[];
}

const G = (name: string): number => GATEWAYS.indexOf(name as (typeof GATEWAYS)[number]);

const LOGGING: LoggingLogic[] = [
  { name: 'volume split 40/30/20/10', randomised: true, probabilities: () => [0.4, 0.3, 0.2, 0.1, 0] },
  {
    name: 'rules + 70/30 split on cards',
    randomised: true,
    probabilities: (p) => (p.context.paymentMethodType === 'CARD' ? [0.7, 0, 0.3, 0, 0] : [0, 0.5, 0, 0.5, 0]),
  },
  { name: 'static priority (PG_B first, not randomised)', randomised: false, probabilities: () => [0, 1, 0, 0, 0] },
];

/** The draft: a rule-based logic (VISA to PG_A, MASTERCARD to PG_C, the rest to PG_D). */
function draft(p: SimPayment): number {
  if (p.context.cardBrand === 'VISA') return G('PG_A');
  if (p.context.cardBrand === 'MASTERCARD') return G('PG_C');
  return G('PG_D');
}

function segmentKey(p: SimPayment): string {
  return `${p.context.paymentMethodType}|${p.context.paymentMethod ?? ''}|${p.context.issuer ?? ''}`;
}

export interface SeedResult {
  seed: number;
  truth: number;
  estimate: CounterfactualEstimate;
  covered: boolean;
}

export function validateOnSeed(scenarioId: string, logging: LoggingLogic, seed: number, payments: number): SeedResult {
  const scenario = buildScenarios(payments).find((s) => s.id === scenarioId);
  if (!scenario) throw new Error(`no scenario ${scenarioId}`);
  const drawn = drawPayments(scenario, { seed, payments });
  const choice = createRng(seed * 7919 + 17);
  const estimator = new CounterfactualEstimator();
  let truthDraft = 0;
  let truthLogging = 0;
  for (const p of drawn) {
    const probs = logging.probabilities(p);
    let u = choice.next();
    let used = probs.length - 1;
    for (let g = 0; g < probs.length; g++) {
      if (u < probs[g]) {
        used = g;
        break;
      }
      u -= probs[g];
    }
    const d = draft(p);
    truthDraft += p.p[d];
    truthLogging += probs.reduce((sum, pi, g) => sum + pi * p.p[g], 0);
    estimator.add({
      segment: segmentKey(p),
      used: GATEWAYS[used],
      success: p.attempts[used].success,
      propensity: logging.randomised ? probs[used] : null,
      draftPropensity: logging.randomised ? probs[d] : null,
      draft: GATEWAYS[d],
    });
  }
  const truth = (truthDraft - truthLogging) / drawn.length;
  const estimate = estimator.result();
  return { seed, truth, estimate, covered: estimate.difference.low <= truth && truth <= estimate.difference.high };
}

/** Wilson interval of a proportion. */
function wilson(k: number, n: number): [number, number] {
  const z = 1.96;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [c - h, c + h];
}

function share(results: SeedResult[], key: 'changed' | 'supported' | 'modelOnly' | 'extrapolated'): string {
  const total = results.reduce((s, r) => s + r.estimate.payments, 0);
  return `${((100 * results.reduce((s, r) => s + r.estimate[key], 0)) / total).toFixed(1)}%`;
}

function main(): void {
  const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const payments = Number(arg('payments') ?? 10_000);
  const sets = (arg('sets') ?? 'A,B,C').split(',') as SeedSetName[];
  const seeds = sets.flatMap((s) => SEED_SETS[s]);
  console.log(`Backtest estimator validation: ${seeds.length} seeds (held-out sets ${sets.join(', ')}), ${payments} payments each; 95% intervals.`);
  for (const scenarioId of ['stationary', 'full-outage', 'slow-drift']) {
    for (const logging of LOGGING) {
      const results = seeds.map((seed) => validateOnSeed(scenarioId, logging, seed, payments));
      const covered = results.filter((r) => r.covered).length;
      const [lo, hi] = wilson(covered, results.length);
      const meanTruth = results.reduce((s, r) => s + r.truth, 0) / results.length;
      const meanErr = results.reduce((s, r) => s + (r.estimate.difference.estimate - r.truth), 0) / results.length;
      const meanHalf = results.reduce((s, r) => s + (r.estimate.difference.high - r.estimate.difference.low) / 2, 0) / results.length;
      console.log(
        `${scenarioId.padEnd(12)} ${logging.name.padEnd(46)} coverage ${covered}/${results.length} = ${((100 * covered) / results.length).toFixed(1)}% (95% CI ${(100 * lo).toFixed(1)}-${(100 * hi).toFixed(1)}%)` +
          `  true diff ${(100 * meanTruth).toFixed(2)} pts, mean error ${(100 * meanErr).toFixed(2)} pts, mean half-width ${(100 * meanHalf).toFixed(2)} pts` +
          `, changed ${share(results, 'changed')}: supported ${share(results, 'supported')}, model only ${share(results, 'modelOnly')}, extrapolated ${share(results, 'extrapolated')}`,
      );
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
