import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../connectors/simulator/simulator-profile.ts';
import { CounterfactualEstimator, type LoggedDecision } from './counterfactual.ts';

/** Two gateways with known success rates; the logging logic and the draft as functions of the payment index. */
function simulate(
  seed: number,
  n: number,
  opts: {
    rates: Record<string, number>;
    logging: (i: number, u: number) => { used: string; propensity: number | null; propensityOf: (g: string) => number | null };
    draft: (i: number) => string | null;
  },
): { estimator: CounterfactualEstimator; truth: number } {
  const rng = createRng(seed);
  const estimator = new CounterfactualEstimator();
  let truth = 0;
  for (let i = 0; i < n; i++) {
    const log = opts.logging(i, rng.next());
    const success = rng.next() < opts.rates[log.used]!;
    const draft = opts.draft(i);
    const expectedLogging = Object.keys(opts.rates).reduce((s, g) => s + (log.propensityOf(g) ?? (g === log.used ? 1 : 0)) * opts.rates[g]!, 0);
    truth += (draft === null ? 0 : opts.rates[draft]!) - expectedLogging;
    const d: LoggedDecision = { segment: 'CARD|VISA', used: log.used, success, propensity: log.propensity, draftPropensity: draft === null ? null : log.propensityOf(draft), draft };
    estimator.add(d);
  }
  return { estimator, truth: truth / n };
}

const split = (u: number) => ({ used: u < 0.5 ? 'A' : 'B', propensity: 0.5, propensityOf: () => 0.5 });
const always = (g: string) => () => ({ used: g, propensity: null, propensityOf: () => null });

describe('counterfactual estimate', () => {
  it('a draft that chooses what was used changes nothing: difference exactly 0', () => {
    const { estimator } = simulate(1, 2_000, { rates: { A: 0.8, B: 0.6 }, logging: always('A'), draft: () => 'A' });
    const r = estimator.result();
    assert.equal(r.changed, 0);
    assert.deepEqual(r.difference, { estimate: 0, low: 0, high: 0 });
    assert.equal(r.draft.estimate, r.actual);
  });

  it('a draft that leaves payments without a gateway loses them all', () => {
    const { estimator } = simulate(2, 1_000, { rates: { A: 0.8 }, logging: always('A'), draft: () => null });
    const r = estimator.result();
    assert.equal(r.changed, 1_000);
    assert.equal(r.draft.estimate, 0);
    assert.ok(Math.abs(r.difference.estimate + r.actual) < 1e-12);
  });

  it('randomised logging: the doubly robust interval covers the true difference in at least 90% of seeds', () => {
    let covered = 0;
    let error = 0;
    const seeds = 40;
    for (let seed = 100; seed < 100 + seeds; seed++) {
      const { estimator, truth } = simulate(seed, 4_000, { rates: { A: 0.9, B: 0.6 }, logging: (_, u) => split(u), draft: () => 'A' });
      const r = estimator.result();
      assert.equal(r.supported, r.changed);
      if (r.difference.low <= truth && truth <= r.difference.high) covered++;
      error += r.difference.estimate - truth;
    }
    assert.ok(covered / seeds >= 0.9, `covered ${covered}/${seeds}`);
    assert.ok(Math.abs(error / seeds) < 0.01, `mean error ${error / seeds}`);
  });

  it('a gateway the history never used is extrapolated: the interval takes the worst case', () => {
    const { estimator } = simulate(3, 2_000, { rates: { A: 0.7, B: 0.95 }, logging: always('A'), draft: () => 'B' });
    const r = estimator.result();
    assert.equal(r.extrapolated, 2_000);
    assert.ok(r.difference.low <= -r.actual + 1e-9 && r.difference.high >= 1 - r.actual - 1e-9, JSON.stringify(r.difference));
  });

  it('deterministic logging that used the draft gateway elsewhere: model only, with the model uncertainty in the interval', () => {
    let covered = 0;
    for (let seed = 200; seed < 230; seed++) {
      const { estimator, truth } = simulate(seed, 4_000, {
        rates: { A: 0.85, B: 0.65 },
        // Round robin: deterministic, so no propensities.
        logging: (i) => ({ used: i % 2 === 0 ? 'A' : 'B', propensity: null, propensityOf: (g: string) => (g === (i % 2 === 0 ? 'A' : 'B') ? 1 : 0) }),
        draft: () => 'A',
      });
      const r = estimator.result();
      assert.ok(r.modelOnly >= 1_990 && r.extrapolated <= 1, JSON.stringify(r));
      if (r.difference.low <= truth && truth <= r.difference.high) covered++;
    }
    assert.ok(covered >= 27, `covered ${covered}/30`);
  });

  it('refuses a propensity outside (0, 1]', () => {
    const e = new CounterfactualEstimator();
    assert.throws(() => e.add({ segment: 's', used: 'A', success: true, propensity: 0, draft: 'A' }), RangeError);
    assert.throws(() => e.add({ segment: 's', used: 'A', success: true, propensity: 1.5, draft: 'A' }), RangeError);
  });
});
