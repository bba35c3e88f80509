// Health by default (issue 13): whatever the ranking mode, including OFF (the default), a DOWN
// gateway moves behind the healthy ones for first attempts and comes back through probes, under
// the default settings (no scoring config override, default routing settings apart from
// max_attempts). A DOWN gateway that is the only one, or inside an enforced list, is still tried.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { setAllGateways } from '../helpers/api-helpers.ts';
import { DEMO_MERCHANT, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { json, pay, resetSettings, settings } from './helpers.ts';

let j: TestApp;
before(async () => {
  j = await startTestApp();
});
after(() => j.close());
beforeEach(async () => {
  setAllGateways(j);
  j.simulator.forMerchant(DEMO_MERCHANT).endOutage('SIM_ALPHA');
  await resetSettings(j);
  await j.scoring.reset(DEMO_MERCHANT);
  await clearRouting();
});

const ADMIN = 'Bearer test_pl_admin_token_0001';
const APPROVER = 'Bearer test_pl_approver_token_0001';

async function clearRouting(): Promise<void> {
  const routing = (await json(j, 'GET', '/v1/priority-logics/routing', undefined, ADMIN)).json;
  const act = async (id: string, action: string) => {
    const current = (await json(j, 'GET', `/v1/priority-logics/${id}`, undefined, ADMIN)).json;
    const r = await json(j, 'POST', `/v1/priority-logics/${id}/${action}`, { version: current.row_version }, ADMIN);
    assert.equal(r.status, 200, r.body);
  };
  if (routing.staggered_logic_id) await act(routing.staggered_logic_id, 'revoke');
  if (routing.active_logic_id) await act(routing.active_logic_id, 'deactivate');
}

/** Imports, approves and activates a default-kind logic with ranking OFF. */
async function releaseLogic(gateways: string[], enforce: boolean): Promise<void> {
  const doc = {
    format: 'junction.priority-logic',
    formatVersion: 1,
    name: `health ${enforce} ${Math.random().toString(36).slice(2, 7)}`,
    kind: 'DEFAULT',
    enforce,
    defaultGateways: gateways.map((gateway) => ({ gateway })),
    ranking: { mode: 'OFF' },
    definition: {},
  };
  const created = await json(j, 'POST', '/v1/priority-logics/import', doc, ADMIN);
  assert.equal(created.status, 201, created.body);
  const id = created.json.id as string;
  if (created.json.status === 'PENDING_APPROVAL') {
    const current = (await json(j, 'GET', `/v1/priority-logics/${id}`, undefined, ADMIN)).json;
    assert.equal((await json(j, 'POST', `/v1/priority-logics/${id}/approve`, { version: current.row_version }, APPROVER)).status, 200);
  }
  const current = (await json(j, 'GET', `/v1/priority-logics/${id}`, undefined, ADMIN)).json;
  const activated = await json(j, 'POST', `/v1/priority-logics/${id}/activate`, { version: current.row_version }, ADMIN);
  assert.equal(activated.status, 200, activated.body);
}

test('ranking OFF (the default): a DOWN gateway takes almost no first attempts while down, and is back within 500 payments of its recovery', async (t) => {
  await settings(j, { max_attempts: 3 }); // the fallback saves the attempts a probe spends on a dead gateway
  const current = (await json(j, 'GET', '/v1/routing/settings')).json;
  assert.equal(current.ranking_mode, 'OFF');
  assert.equal(current.probe_percent, 2);
  for (let i = 0; i < 30; i++) assert.equal((await pay(j)).first, 'SIM_ALPHA');

  j.simulator.forMerchant(DEMO_MERCHANT).startOutage('SIM_ALPHA');
  const during: string[] = [];
  let record: any = null;
  for (let i = 0; i < 150; i++) {
    const p = await pay(j);
    assert.equal(p.status, 'CHARGED', 'the fallback keeps payments succeeding');
    during.push(p.first);
    if (p.first !== 'SIM_ALPHA') record = p.routing;
  }
  const moved = during.findIndex((g) => g !== 'SIM_ALPHA');
  assert.ok(moved >= 0 && moved <= 6, `SIM_ALPHA left the head of the order after ${moved} payments: ${during.join(',')}`);
  const rest = during.slice(moved + 1);
  const share = rest.filter((g) => g === 'SIM_ALPHA').length / rest.length;
  // Only probes (2% of decisions by default) try it first; before issue 13 it kept all of them.
  assert.ok(share <= 0.12, `SIM_ALPHA's share of first attempts while DOWN: ${share} (${during.join(',')})`);
  assert.ok(
    rest.filter((g) => g !== 'SIM_ALPHA').every((g) => g === 'SIM_BETA'),
    "the next gateway of the merchant's order takes over",
  );
  assert.equal(record.ranking.mode, 'OFF');
  assert.equal(record.ranking.applied, false);
  assert.equal(record.ranking.health_applied, true);
  assert.deepEqual(
    record.ranking.gateways.map((g: any) => g.gateway),
    ['SIM_BETA', 'SIM_GAMMA', 'SIM_DELTA', 'SIM_ALPHA'],
    'moved behind, never removed',
  );
  assert.equal(record.ranking.gateways.at(-1).label, 'ELIMINATED');
  assert.equal(record.ranking.gateways.at(-1).health, 'DOWN');

  j.simulator.forMerchant(DEMO_MERCHANT).endOutage('SIM_ALPHA');
  const afterwards: string[] = [];
  let back = -1;
  for (let i = 0; i < 500 && back < 0; i++) {
    afterwards.push((await pay(j)).first);
    const last = afterwards.slice(-20);
    if (last.length === 20 && last.every((g) => g === 'SIM_ALPHA')) back = i - 19;
  }
  assert.ok(back >= 0, `SIM_ALPHA was not back at the head within 500 payments: ${afterwards.join(',')}`);
  const health = (await json(j, 'GET', '/v1/routing/health')).json.gateways.find((g: any) => g.gateway === 'SIM_ALPHA');
  assert.notEqual(health.health, 'DOWN', JSON.stringify(health));
  t.diagnostic(`detected after ${moved} payments; SIM_ALPHA share while DOWN ${share.toFixed(3)}; back at the head ${back} payments after recovery`);
});

test('a DOWN gateway that is the only one is still tried; inside an enforced list it only moves behind', async () => {
  await releaseLogic(['SIM_ALPHA'], true);
  j.simulator.forMerchant(DEMO_MERCHANT).startOutage('SIM_ALPHA');
  for (let i = 0; i < 15; i++) {
    const p = await pay(j);
    assert.equal(p.first, 'SIM_ALPHA');
    assert.deepEqual(
      p.routing.ranking.gateways.map((g: any) => g.gateway),
      ['SIM_ALPHA'],
    );
  }
  const alone = (await json(j, 'GET', '/v1/routing/health')).json.gateways.find((g: any) => g.gateway === 'SIM_ALPHA');
  assert.notEqual(alone.health, 'UP', 'it is known to be failing, and still the one tried');

  await clearRouting();
  await releaseLogic(['SIM_ALPHA', 'SIM_GAMMA'], true);
  await settings(j, { max_attempts: 2 });
  const firsts: string[] = [];
  let record: any = null;
  for (let i = 0; i < 40; i++) {
    const p = await pay(j);
    firsts.push(p.first);
    assert.ok(['SIM_ALPHA', 'SIM_GAMMA'].includes(p.first), 'never outside the enforced list');
    assert.deepEqual([...p.routing.ranking.gateways.map((g: any) => g.gateway)].sort(), ['SIM_ALPHA', 'SIM_GAMMA']);
    if (p.first === 'SIM_GAMMA') record = p.routing;
  }
  assert.ok(firsts.filter((g) => g === 'SIM_GAMMA').length >= 30, `the healthy gateway of the enforced list goes first: ${firsts.join(',')}`);
  assert.deepEqual(
    record.ranking.gateways.map((g: any) => [g.gateway, g.label]),
    [
      ['SIM_GAMMA', 'DEFAULT'],
      ['SIM_ALPHA', 'ELIMINATED'],
    ],
  );
});
