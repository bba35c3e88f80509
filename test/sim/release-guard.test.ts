// The guarded release's claims in the simulator (sim/release-guard-validation.ts), on fewer seeds
// than the published run (docs/safe-change.md): deterministic seeds, so the figures are the same on
// every run; a change to the test or the design that breaks a claim fails here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CASES, runCase } from '../../sim/release-guard-validation.ts';

const options = { seeds: 200, share: 20, alpha: 0.05 };

test('false rollbacks at most alpha: an A/A release and a logic exactly at its tolerance', () => {
  for (const c of CASES.filter((x) => x.claim === 'FALSE_ALARM')) {
    const r = runCase(c, options);
    assert.ok(r.rolledBack / options.seeds <= options.alpha, `${c.name}: ${r.rolledBack} of ${options.seeds}`);
  }
});

test('a logic 2 points worse is rolled back within the planned sample in at least 90% of seeds; a better one never', () => {
  const worse = runCase(CASES.find((x) => x.claim === 'DETECTION')!, options);
  assert.ok(worse.withinPlan / options.seeds >= 0.9, `${worse.withinPlan} of ${options.seeds} within ${worse.planned}`);
  const better = runCase(CASES.find((x) => x.shift > 0)!, options);
  assert.equal(better.rolledBack, 0);
});
