// The benchmark's informed reference (sim/informed-policy.ts): it must use only what it is told,
// the grouping, outages and rate changes, and learn the rates like any learner. If it cheated
// (ranked on the true rates) the bound it sets in docs/routing-benchmark.md would mean nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/connectors/simulator/simulator-profile.ts';
import { InformedPolicy, type InformedView } from '../../sim/informed-policy.ts';
import { runScenario } from '../../sim/run-scenario.ts';
import { buildScenarios } from '../../sim/scenarios.ts';

const view = (rate: number[], down: boolean[] = rate.map(() => false), source: string[] = rate.map(() => 'base')): InformedView => ({ rate, down, source });

function feed(policy: InformedPolicy, v: InformedView, gateway: number, successes: number, failures: number): void {
  for (let i = 0; i < successes; i++) policy.record(policy.ticket(gateway, v), true);
  for (let i = 0; i < failures; i++) policy.record(policy.ticket(gateway, v), false);
}

function firstShare(policy: InformedPolicy, v: InformedView, gateway: number, draws = 2000): number {
  const rng = createRng(9);
  let hits = 0;
  for (let i = 0; i < draws; i++) if (policy.rank(v, rng)[0] === gateway) hits++;
  return hits / draws;
}

describe('informed reference policy (benchmark)', () => {
  it('never puts a gateway in an outage first while another is live', () => {
    const policy = new InformedPolicy();
    const v = view([0, 0.5], [true, false]);
    feed(policy, view([0.9, 0.5]), 0, 500, 0);
    const rng = createRng(1);
    for (let i = 0; i < 500; i++) assert.deepEqual(policy.rank(v, rng), [1, 0]);
  });

  it('ranks on learnt counts, not on the rates it is shown', () => {
    const policy = new InformedPolicy();
    // Shown rates say gateway 1 is better; the outcomes it learnt say gateway 0 is.
    const v = view([0.5, 0.505]);
    feed(policy, v, 0, 950, 50);
    feed(policy, v, 1, 500, 500);
    assert.ok(firstShare(policy, v, 0) > 0.99);
  });

  it('restarts a group when its rate changes by a point or more, not for less', () => {
    const policy = new InformedPolicy();
    feed(policy, view([0.9, 0.9]), 0, 900, 100);
    feed(policy, view([0.9, 0.9]), 1, 400, 600);
    assert.ok(firstShare(policy, view([0.9, 0.9]), 0) > 0.99);
    // 0.5 points: the counts stay, gateway 0 keeps winning.
    assert.ok(firstShare(policy, view([0.895, 0.9]), 0) > 0.99);
    // 2 points: gateway 0's counts restart, so it is uncertain (uniform prior) again.
    const share = firstShare(policy, view([0.875, 0.9]), 0);
    assert.ok(share > 0.3 && share < 0.7, `after a restart gateway 0 is first in ${share}`);
  });

  it('drops feedback from before a restart', () => {
    const policy = new InformedPolicy();
    const before = view([0.9, 0.9]);
    const stale = policy.ticket(0, before);
    feed(policy, before, 1, 600, 400);
    const after = view([0.5, 0.9]);
    policy.rank(after, createRng(2)); // notices the change and restarts gateway 0's group
    for (let i = 0; i < 1000; i++) policy.record(stale, true);
    const share = firstShare(policy, after, 0);
    assert.ok(share < 0.7, `stale successes must not count: gateway 0 first in ${share}`);
  });

  it('keeps separate groups per rate source and pools payments of one source', () => {
    const policy = new InformedPolicy();
    const hdfc = view([0.9, 0.9], undefined, ['base', 'issuer:HDFC']);
    const other = view([0.9, 0.9], undefined, ['base', 'base']);
    feed(policy, hdfc, 0, 800, 200);
    feed(policy, hdfc, 1, 990, 10);
    feed(policy, other, 1, 500, 500);
    assert.ok(firstShare(policy, hdfc, 1) > 0.99, 'HDFC payments follow the HDFC group');
    assert.ok(firstShare(policy, other, 0) > 0.99, 'other payments follow the base group');
  });

  it('in a full outage it never routes to the down gateway, and regret stays far below static priority', () => {
    const scenario = buildScenarios(3000).find((s) => s.id === 'full-outage')!;
    const result = runScenario(scenario, { payments: 3000, seed: 5 });
    assert.ok(result.informed.regretPp < result.static.regretPp / 5, `informed ${result.informed.regretPp} vs static ${result.static.regretPp}`);
    // Buckets of 2% of the run: 17..26 lie inside the outage (30%-60%), with some margin for the
    // Poisson arrival times.
    const during = result.informed.series.slice(17, 27).map((point) => point.eventShare);
    assert.ok(
      during.every((share) => share === 0 || Number.isNaN(share)),
      `share of PG_A during the outage: ${during.join(', ')}`,
    );
    const before = result.informed.series.slice(5, 14).map((point) => point.eventShare);
    assert.ok(
      before.some((share) => share > 0.5),
      'PG_A carries its segment before the outage',
    );
  });
});
