// Routing as a service (decide-gateway / update-gateway-score), the health read model, scheduled
// outages, and logics' ranking modes: enforced lists are never widened.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setAllGateways } from '../helpers/api-helpers.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { json, pay, resetSettings, settings } from './helpers.ts';

let j: TestApp;
before(async () => {
  j = await startTestApp();
});
after(() => j.close());
beforeEach(async () => {
  setAllGateways(j);
  await resetSettings(j);
  await j.scoring.reset('demo_merchant');
  await clearRouting();
  for (const o of (await json(j, 'GET', '/v1/routing/scheduled-outages')).json.outages) await json(j, 'DELETE', `/v1/routing/scheduled-outages/${o.id}`);
});

const ADMIN = 'Bearer test_pl_admin_token_0001';
const APPROVER = 'Bearer test_pl_approver_token_0001';
const VIEWER = 'Bearer test_pl_viewer_token_0001';
const CARD = { amount: 100.5, currency: 'INR', paymentMethodType: 'CARD', paymentMethod: 'VISA', cardIsin: '411111' };

function fieldsOf(r: { json: any }): string[] {
  return (r.json.error_info?.fields ?? []).map((f: { field_name: string }) => f.field_name);
}

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

/** Imports a logic document (the document carries the ranking mode), approves and activates it. */
async function releaseLogic(gateways: string[], enforce: boolean, mode: 'OFF' | 'WITHIN_LOGIC' | 'ALL_ELIGIBLE'): Promise<string> {
  const doc = {
    format: 'junction.priority-logic',
    formatVersion: 1,
    name: `ranked ${mode} ${enforce} ${Math.random().toString(36).slice(2, 7)}`,
    kind: 'DEFAULT',
    enforce,
    defaultGateways: gateways.map((gateway) => ({ gateway })),
    ranking: { mode },
    definition: {},
  };
  const created = await json(j, 'POST', '/v1/priority-logics/import', doc, ADMIN);
  assert.equal(created.status, 201, created.body);
  const id = created.json.id as string;
  const exported = await json(j, 'GET', `/v1/priority-logics/${id}/export`, undefined, ADMIN);
  assert.deepEqual(exported.json.ranking, { mode }, 'the ranking mode survives export');
  if (created.json.status === 'PENDING_APPROVAL') {
    const current = (await json(j, 'GET', `/v1/priority-logics/${id}`, undefined, ADMIN)).json;
    assert.equal((await json(j, 'POST', `/v1/priority-logics/${id}/approve`, { version: current.row_version }, APPROVER)).status, 200);
  }
  const current = (await json(j, 'GET', `/v1/priority-logics/${id}`, undefined, ADMIN)).json;
  const activated = await json(j, 'POST', `/v1/priority-logics/${id}/activate`, { version: current.row_version }, ADMIN);
  assert.equal(activated.status, 200, activated.body);
  return id;
}

describe('decide-gateway and update-gateway-score', () => {
  test('decide answers a gateway, the priority map, labels and the decision record', async () => {
    const r = await json(j, 'POST', '/v1/decide-gateway', { paymentInfo: CARD });
    assert.equal(r.status, 200, r.body);
    assert.ok(['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA', 'SIM_DELTA'].includes(r.json.decided_gateway));
    assert.equal(r.json.ranking_mode, 'WITHIN_LOGIC');
    assert.ok(['SR_SELECTION', 'SR_EXPLORATION'].includes(r.json.routing_approach));
    assert.deepEqual(Object.keys(r.json.gateway_priority_map).sort(), ['SIM_ALPHA', 'SIM_BETA', 'SIM_DELTA', 'SIM_GAMMA']);
    for (const label of Object.values(r.json.gateway_labels)) assert.ok(['EXPLOIT', 'EXPLORE', 'ELIMINATED'].includes(label as string));
    assert.equal(r.json.decision.ranking.segment.card_brand, 'VISA');
    assert.equal(r.json.routing_dimension.amount, 10050);
    assert.equal(r.json.gateways[0].gateway, r.json.decided_gateway);
  });

  test('eligibleGatewayList restricts the decision; PL_BASED_ROUTING keeps the merchant order', async () => {
    const only = await json(j, 'POST', '/v1/decide-gateway', { paymentInfo: CARD, eligibleGatewayList: ['SIM_BETA', 'SIM_GAMMA'] });
    assert.deepEqual(only.json.gateways.map((g: any) => g.gateway).sort(), ['SIM_BETA', 'SIM_GAMMA']);
    const pl = await json(j, 'POST', '/v1/decide-gateway', { paymentInfo: CARD, rankingAlgorithm: 'PL_BASED_ROUTING' });
    assert.equal(pl.json.decided_gateway, 'SIM_ALPHA');
    assert.equal(pl.json.ranking_mode, 'OFF');
    assert.equal(pl.json.routing_approach, 'DEFAULT');
  });

  test('failures reported through update-gateway-score move decisions away; hard declines do not', async () => {
    for (let i = 0; i < 15; i++) {
      const hard = await json(j, 'POST', '/v1/update-gateway-score', {
        gateway: 'SIM_ALPHA',
        paymentInfo: { paymentMethodType: 'CARD', paymentMethod: 'VISA' },
        status: 'AUTHORIZATION_FAILED',
        gatewayCode: '51',
      });
      assert.equal(hard.status, 200, hard.body);
      assert.equal(hard.json.counted, false);
    }
    let health = (await json(j, 'GET', '/v1/routing/health')).json.gateways.find((g: any) => g.gateway === 'SIM_ALPHA');
    assert.equal(health.observations, 0);
    for (let i = 0; i < 12; i++) {
      const r = await json(j, 'POST', '/v1/update-gateway-score', {
        gateway: 'SIM_ALPHA',
        paymentInfo: { paymentMethodType: 'CARD', paymentMethod: 'VISA', currency: 'INR', amount: 10 },
        status: 'FAILURE',
      });
      assert.equal(r.status, 200, r.body);
      assert.equal(r.json.counted, true);
    }
    health = (await json(j, 'GET', '/v1/routing/health?payment_method_type=CARD&payment_method=VISA')).json.gateways.find((g: any) => g.gateway === 'SIM_ALPHA');
    assert.notEqual(health.health, 'UP', JSON.stringify(health));
    const decided: string[] = [];
    for (let i = 0; i < 20; i++) decided.push((await json(j, 'POST', '/v1/decide-gateway', { paymentInfo: CARD })).json.decided_gateway);
    assert.ok(decided.filter((g) => g === 'SIM_ALPHA').length <= 3, decided.join(','));
  });

  test("validation errors name the field; the merchant is the API key's", async () => {
    const missing = await json(j, 'POST', '/v1/decide-gateway', { paymentInfo: { currency: 'INR', paymentMethodType: 'CARD' } });
    assert.equal(missing.status, 400);
    assert.ok(fieldsOf(missing).includes('paymentInfo.amount'), missing.body);
    const badType = await json(j, 'POST', '/v1/decide-gateway', { paymentInfo: { ...CARD, paymentMethodType: 'TELEPATHY' } });
    assert.ok(fieldsOf(badType).includes('paymentInfo.paymentMethodType'), badType.body);
    const badMode = await json(j, 'POST', '/v1/decide-gateway', { paymentInfo: CARD, rankingMode: 'SOMETIMES' });
    assert.equal(badMode.status, 400);
    assert.ok(
      fieldsOf(badMode).some((f) => f.startsWith('rankingMode')),
      badMode.body,
    );
    const other = await json(j, 'POST', '/v1/decide-gateway', { merchantId: 'someone_else', paymentInfo: CARD });
    assert.ok(fieldsOf(other).includes('merchantId'), other.body);
    const badStatus = await json(j, 'POST', '/v1/update-gateway-score', { gateway: 'SIM_ALPHA', paymentInfo: { paymentMethodType: 'CARD' }, status: 'MAYBE' });
    assert.ok(fieldsOf(badStatus).includes('status'), badStatus.body);
    const noKey = await j.app.inject({ method: 'POST', url: '/v1/decide-gateway', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ paymentInfo: CARD }) });
    assert.equal(noKey.statusCode, 401);
  });

  test('both endpoints are in the OpenAPI document under the routing tag', async () => {
    const doc = JSON.parse((await j.app.inject({ method: 'GET', url: '/openapi.json' })).body);
    for (const path of ['/v1/decide-gateway', '/v1/update-gateway-score']) {
      assert.ok(doc.paths[path]?.post, path);
      assert.deepEqual(doc.paths[path].post.tags, ['routing']);
      assert.ok(doc.paths[path].post.requestBody, `${path} documents its body`);
    }
    for (const path of ['/v1/routing/health', '/v1/routing/scheduled-outages', '/v1/routing/settings']) assert.ok(doc.paths[path], path);
  });
});

describe('ranking modes of a logic', () => {
  test('an enforced list is never widened, even with ALL_ELIGIBLE', async () => {
    await releaseLogic(['SIM_BETA'], true, 'ALL_ELIGIBLE');
    for (let i = 0; i < 5; i++) {
      const p = await pay(j);
      assert.equal(p.first, 'SIM_BETA');
      assert.deepEqual(
        p.routing.ranking.gateways.map((g: any) => g.gateway),
        ['SIM_BETA'],
      );
    }
    const d = await json(j, 'POST', '/v1/decide-gateway', { paymentInfo: CARD, rankingMode: 'ALL_ELIGIBLE' });
    assert.deepEqual(
      d.json.gateways.map((g: any) => g.gateway),
      ['SIM_BETA'],
    );
    assert.equal(d.json.enforced, true);
  });

  test("ALL_ELIGIBLE widens a non-enforced list to every eligible gateway; WITHIN_LOGIC keeps to the logic's", async () => {
    await releaseLogic(['SIM_BETA', 'SIM_GAMMA'], false, 'ALL_ELIGIBLE');
    const wide = await pay(j);
    assert.deepEqual(wide.routing.ranking.gateways.map((g: any) => g.gateway).sort(), ['SIM_ALPHA', 'SIM_BETA', 'SIM_DELTA', 'SIM_GAMMA']);
    assert.equal(wide.routing.ranking.mode, 'ALL_ELIGIBLE');
    await clearRouting();
    await releaseLogic(['SIM_BETA', 'SIM_GAMMA'], false, 'WITHIN_LOGIC');
    const within = await pay(j);
    assert.deepEqual(within.routing.ranking.gateways.map((g: any) => g.gateway).sort(), ['SIM_BETA', 'SIM_GAMMA']);
  });

  test('a logic with ranking OFF keeps its order even when the merchant default ranks', async () => {
    await settings(j, { ranking_mode: 'WITHIN_LOGIC' });
    await releaseLogic(['SIM_DELTA', 'SIM_GAMMA', 'SIM_BETA'], false, 'OFF');
    for (let i = 0; i < 5; i++) {
      const p = await pay(j);
      assert.equal(p.first, 'SIM_DELTA');
      assert.deepEqual(
        p.routing.ranking.gateways.map((g: any) => [g.gateway, g.label]),
        [
          ['SIM_DELTA', 'DEFAULT'],
          ['SIM_GAMMA', 'DEFAULT'],
          ['SIM_BETA', 'DEFAULT'],
        ],
      );
    }
  });
});

describe('health and scheduled outages', () => {
  test('health lists every gateway with thresholds from the routing settings', async () => {
    await settings(j, { health_down_below: 0.3, health_fluctuate_below: 0.8 });
    const r = await json(j, 'GET', '/v1/routing/health', undefined, VIEWER);
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json.thresholds, { down_below: 0.3, fluctuate_below: 0.8 });
    assert.deepEqual(r.json.gateways.map((g: any) => g.gateway).sort(), ['SIM_ALPHA', 'SIM_BETA', 'SIM_DELTA', 'SIM_GAMMA']);
    for (const g of r.json.gateways) assert.equal(g.health, 'UP');
    const bad = await json(j, 'GET', '/v1/routing/health?issuer=HDFC');
    assert.ok(fieldsOf(bad).includes('payment_method_type'), bad.body);
    const inverted = await json(j, 'PUT', '/v1/routing/settings', { health_down_below: 0.9 });
    assert.equal(inverted.status, 400);
    assert.ok(fieldsOf(inverted).includes('health_down_below'), inverted.body);
  });

  test('a scheduled outage marks the gateway DOWN and ranking skips it until it ends', async () => {
    await settings(j, { ranking_mode: 'WITHIN_LOGIC', exploration_percent: 0 });
    const start = new Date(Date.now() - 1000).toISOString();
    const end = new Date(Date.now() + 3600_000).toISOString();
    const created = await json(j, 'POST', '/v1/routing/scheduled-outages', { gateway: 'SIM_ALPHA', start, end });
    assert.equal(created.status, 201, created.body);
    assert.equal(created.json.active, true);
    const listed = await json(j, 'GET', '/v1/routing/scheduled-outages', undefined, VIEWER);
    assert.deepEqual(
      listed.json.outages.map((o: any) => o.id),
      [created.json.id],
    );
    const health = (await json(j, 'GET', '/v1/routing/health')).json.gateways.find((g: any) => g.gateway === 'SIM_ALPHA');
    assert.equal(health.health, 'DOWN');
    assert.equal(health.scheduled_outage, true);
    for (let i = 0; i < 10; i++) {
      const p = await pay(j);
      assert.notEqual(p.first, 'SIM_ALPHA');
      const alpha = p.routing.ranking.gateways.find((g: any) => g.gateway === 'SIM_ALPHA');
      assert.equal(alpha.label, 'ELIMINATED');
      assert.equal(p.routing.ranking.gateways.at(-1).gateway, 'SIM_ALPHA', 'eliminated gateways stay as a last resort');
    }
    // Only UPI payments: cards are not affected.
    const deleted = await json(j, 'DELETE', `/v1/routing/scheduled-outages/${created.json.id}`);
    assert.equal(deleted.status, 200, deleted.body);
    const upi = await json(j, 'POST', '/v1/routing/scheduled-outages', { gateway: 'SIM_ALPHA', start, end, payment_method_type: 'UPI' });
    assert.equal(upi.status, 201, upi.body);
    const cardHealth = (await json(j, 'GET', '/v1/routing/health?payment_method_type=CARD')).json.gateways.find((g: any) => g.gateway === 'SIM_ALPHA');
    assert.equal(cardHealth.scheduled_outage, false);
    const upiHealth = (await json(j, 'GET', '/v1/routing/health?payment_method_type=UPI')).json.gateways.find((g: any) => g.gateway === 'SIM_ALPHA');
    assert.equal(upiHealth.scheduled_outage, true);
    assert.equal((await json(j, 'DELETE', `/v1/routing/scheduled-outages/${created.json.id}`)).status, 404);
  });

  test('scheduled outage validation names the field; viewers cannot create one', async () => {
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ start: iso(now), end: iso(now + 1000) }, 'gateway'],
      [{ gateway: 'SIM_NOPE', start: iso(now), end: iso(now + 1000) }, 'gateway'],
      [{ gateway: 'SIM_ALPHA', start: 'tomorrow', end: iso(now + 1000) }, 'start'],
      [{ gateway: 'SIM_ALPHA', start: iso(now + 5000), end: iso(now + 1000) }, 'end'],
      [{ gateway: 'SIM_ALPHA', start: iso(now - 5000), end: iso(now - 1000) }, 'end'],
      [{ gateway: 'SIM_ALPHA', start: iso(now), end: iso(now + 1000), payment_method_type: 'card' }, 'payment_method_type'],
      [{ gateway: 'SIM_ALPHA', start: iso(now), end: iso(now + 1000), colour: 'red' }, 'colour'],
    ];
    for (const [body, field] of cases) {
      const r = await json(j, 'POST', '/v1/routing/scheduled-outages', body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.body}`);
      assert.ok(fieldsOf(r).includes(field), `${field} in ${r.body}`);
    }
    const viewer = await json(j, 'POST', '/v1/routing/scheduled-outages', { gateway: 'SIM_ALPHA', start: iso(now), end: iso(now + 1000) }, VIEWER);
    assert.equal(viewer.status, 403, viewer.body);
  });
});
