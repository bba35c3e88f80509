// End to end: payments through POST /orders + POST /txns, routed by each kind of logic, a
// staggered release, enforcement, a failing code logic with its fallback, the default ordering
// without an active logic, and the dashboard metrics over what was decided.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { inStaggeredShare, type RoutingPayment } from '../../src/routing/index.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { createOrderOk, declineAll, payByCard, post, setAllGateways } from '../helpers/api-helpers.ts';
import { APPROVER_TOKEN, actOk, api, bearer, createLogic, defaultLogic, getLogic, startPlApp, uniqueName } from './pl-helpers.ts';

let j: TestApp;
before(async () => {
  j = await startPlApp();
});
after(async () => {
  await j.close();
});
beforeEach(() => {
  setAllGateways(j, { baseSuccessRate: 1 });
});

interface TxnRow {
  gateway: string | null;
  status: string;
  routing_decision: Record<string, any>;
}

async function lastTxn(orderId: string): Promise<TxnRow> {
  const rows = await j.db.query<TxnRow>(
    'SELECT t.gateway, t.status, t.routing_decision FROM txns t JOIN orders o ON o.id = t.order_pk WHERE o.merchant_id = $1 AND o.order_id = $2 ORDER BY t.attempt DESC LIMIT 1',
    ['demo_merchant', orderId],
  );
  assert.equal(rows.length, 1, `a txn for ${orderId}`);
  return rows[0]!;
}

async function payCard(fields: Record<string, string> = {}, orderFields: Record<string, string> = {}): Promise<{ orderId: string; status: number; body: string; txn: TxnRow }> {
  const orderId = await createOrderOk(j, orderFields);
  const r = await payByCard(j, orderId, fields);
  return { orderId, status: r.status, body: r.body, txn: await lastTxn(orderId) };
}

async function resetRouting(): Promise<void> {
  const routing = (await api(j, 'GET', '/v1/priority-logics/routing')).json;
  if (routing.staggered_logic_id) await actOk(j, routing.staggered_logic_id, 'revoke');
  if (routing.active_logic_id) await actOk(j, routing.active_logic_id, 'deactivate');
  if (routing.fallback_logic_id) assert.equal((await api(j, 'POST', '/v1/priority-logics/fallback/unset', {})).status, 200);
}

async function release(body: Record<string, unknown>): Promise<any> {
  await resetRouting();
  const logic = await createLogic(j, body);
  if (logic.status === 'PENDING_APPROVAL') await actOk(j, logic.id, 'approve', {}, bearer(APPROVER_TOKEN));
  await actOk(j, logic.id, 'activate');
  return getLogic(j, logic.id);
}

const logicIds: Record<string, string> = {};

describe('payments routed by each kind', () => {
  test('no active logic: the default ordering (account priority), recorded as DEFAULT_ORDER', async () => {
    await resetRouting();
    const p = await payCard();
    assert.equal(p.status, 200, p.body);
    assert.equal(p.txn.gateway, 'SIM_ALPHA');
    assert.equal(p.txn.routing_decision.logic.name, 'DEFAULT_ORDER');
  });

  test('default routing: the listed order', async () => {
    const logic = await release(defaultLogic(uniqueName('Gamma then alpha'), ['SIM_GAMMA', 'SIM_ALPHA']));
    logicIds.default = logic.id;
    const p = await payCard();
    assert.equal(p.status, 200, p.body);
    assert.equal(p.txn.status, 'CHARGED');
    assert.equal(p.txn.gateway, 'SIM_GAMMA');
    const d = p.txn.routing_decision;
    assert.deepEqual(d.logic, { id: logic.id, name: logic.name, version: 1, kind: 'DEFAULT', role: 'PRIMARY' });
    assert.equal(d.primary.status, 'SUCCESS');
    assert.deepEqual(
      d.finalGateways.map((g: { gateway: string }) => g.gateway),
      ['SIM_GAMMA', 'SIM_ALPHA'],
    );
    // The order's preferred gateway moves to the front.
    const preferred = await payCard(
      {},
      { gateway_id: String((await j.db.query<{ gateway_id: number }>("SELECT gateway_id FROM gateway_accounts WHERE merchant_id = 'demo_merchant' AND gateway = 'SIM_BETA'"))[0]!.gateway_id) },
    );
    assert.equal(preferred.status, 200, preferred.body);
    assert.equal(preferred.txn.gateway, 'SIM_BETA');
  });

  test('volume routing: the split follows the weights, sticky per order', async () => {
    const logic = await release({
      name: uniqueName('Half half'),
      kind: 'VOLUME',
      defaultGateways: [{ gateway: 'SIM_ALPHA' }],
      definition: {
        splits: [
          { gateway: 'SIM_BETA', weight: 50 },
          { gateway: 'SIM_GAMMA', weight: 50 },
        ],
      },
    });
    logicIds.volume = logic.id;
    const counts: Record<string, number> = {};
    // Fixed order ids: the draw is a hash of merchant + order id, so the split is deterministic.
    for (let i = 0; i < 60; i++) {
      const p = await payCard({}, { order_id: `vol_${i}` });
      assert.equal(p.status, 200, p.body);
      counts[p.txn.gateway!] = (counts[p.txn.gateway!] ?? 0) + 1;
      assert.equal(p.txn.routing_decision.evaluationStatus, 'VOLUME_SPLIT');
    }
    assert.deepEqual(Object.keys(counts).sort(), ['SIM_BETA', 'SIM_GAMMA']);
    assert.ok(counts.SIM_BETA! >= 15 && counts.SIM_BETA! <= 45, JSON.stringify(counts));
  });

  test('rule-based routing: first matching rule, else the default gateways', async () => {
    const logic = await release({
      name: uniqueName('Rules'),
      kind: 'RULES',
      defaultGateways: [{ gateway: 'SIM_ALPHA' }],
      definition: {
        rules: [
          { name: 'offer', condition: { dimension: 'udf1', operator: 'equal', value: 'payu_offer' }, output: { type: 'PRIORITY', gateways: [{ gateway: 'SIM_DELTA' }] } },
          { name: 'icici', condition: { dimension: 'card_issuer', operator: 'equal', value: 'ICICI Bank' }, output: { type: 'PRIORITY', gateways: [{ gateway: 'SIM_BETA' }] } },
        ],
      },
    });
    logicIds.rules = logic.id;
    let p = await payCard({}, { udf1: 'payu_offer' });
    assert.equal(p.txn.gateway, 'SIM_DELTA');
    assert.deepEqual(p.txn.routing_decision.matchedRule, { index: 0, name: 'offer' });
    p = await payCard({ card_number: '5555555555554444' });
    assert.equal(p.status, 200, p.body);
    assert.equal(p.txn.gateway, 'SIM_BETA');
    assert.deepEqual(p.txn.routing_decision.matchedRule, { index: 1, name: 'icici' });
    p = await payCard();
    assert.equal(p.txn.gateway, 'SIM_ALPHA');
    assert.equal(p.txn.routing_decision.evaluationStatus, 'NO_RULE_MATCHED');
  });

  test('code-based routing (approved): the script decides, enforce from the script', async () => {
    const logic = await release({
      name: uniqueName('Code'),
      kind: 'CODE',
      defaultGateways: [{ gateway: 'SIM_ALPHA' }],
      definition: {
        code: 'if (order.udf1 == "payu_offer") enforceGatewayPriority(["SIM_BETA"]);\nelse if (payment.cardIssuer == "ICICI Bank") setGatewayPriority(["SIM_GAMMA", "SIM_BETA"]);\nelse setGatewayPriority(["SIM_DELTA", "SIM_ALPHA"]);',
      },
    });
    logicIds.code = logic.id;
    let p = await payCard({}, { udf1: 'payu_offer' });
    assert.equal(p.txn.gateway, 'SIM_BETA');
    assert.equal(p.txn.routing_decision.enforced, true);
    assert.deepEqual(
      p.txn.routing_decision.finalGateways.map((g: { gateway: string }) => g.gateway),
      ['SIM_BETA'],
    );
    p = await payCard({ card_number: '5555555555554444' });
    assert.equal(p.txn.gateway, 'SIM_GAMMA');
    p = await payCard();
    assert.equal(p.txn.gateway, 'SIM_DELTA');
    assert.equal(p.txn.routing_decision.evaluationStatus, 'CODE_EVALUATED');
  });
});

describe('staggered release', () => {
  test('30%: the staggered logic decides 20-40% of ~200 orders, the same order always gets the same logic', async () => {
    const active = await release(defaultLogic(uniqueName('Stable'), ['SIM_ALPHA']));
    const staged = await createLogic(j, defaultLogic(uniqueName('Candidate'), ['SIM_BETA']));
    await actOk(j, staged.id, 'stagger', { percentage: 30 });
    logicIds.stable = active.id;
    logicIds.candidate = staged.id;
    let staggered = 0;
    const total = 200;
    for (let i = 0; i < total; i++) {
      const p = await payCard({}, { order_id: `stagger_${i}` });
      assert.equal(p.status, 200, p.body);
      const expected = inStaggeredShare({ merchantId: 'demo_merchant', orderId: p.orderId } as RoutingPayment, 30).staggered;
      const d = p.txn.routing_decision;
      assert.equal(d.logic.role, expected ? 'STAGGERED' : 'PRIMARY');
      assert.equal(d.logic.id, expected ? staged.id : active.id);
      assert.equal(p.txn.gateway, expected ? 'SIM_BETA' : 'SIM_ALPHA');
      assert.equal(typeof d.staggerBucket, 'number');
      if (expected) staggered++;
    }
    assert.ok(staggered >= 0.2 * total && staggered <= 0.4 * total, `staggered ${staggered}/${total}`);

    // Retries of one order stay on the logic its first attempt got. Half the orders are picked in
    // the staggered share (the metrics test below counts their declined first attempts).
    for (let i = 0; i < 8; i++) {
      let id = '';
      for (let k = 0; id === '' || inStaggeredShare({ merchantId: 'demo_merchant', orderId: id } as RoutingPayment, 30).staggered !== (i % 2 === 0); k++) id = `retry_${i}_${k}`;
      const orderId = await createOrderOk(j, { order_id: id });
      declineAll(j);
      const first = await payByCard(j, orderId);
      assert.equal(first.json.status, 'AUTHORIZATION_FAILED', first.body);
      const firstTxn = await lastTxn(orderId);
      setAllGateways(j, { baseSuccessRate: 1 });
      const second = await payByCard(j, orderId);
      assert.equal(second.status, 200, second.body);
      const secondTxn = await lastTxn(orderId);
      assert.equal(secondTxn.routing_decision.logic.id, firstTxn.routing_decision.logic.id);
      assert.equal(secondTxn.routing_decision.staggerBucket, firstTxn.routing_decision.staggerBucket);
    }

    // Promote: everything on the candidate.
    await actOk(j, staged.id, 'promote');
    const p = await payCard();
    assert.equal(p.txn.gateway, 'SIM_BETA');
    assert.equal(p.txn.routing_decision.logic.role, 'PRIMARY');
    assert.equal(p.txn.routing_decision.logic.id, staged.id);
  });
});

describe('enforcement and failure handling', () => {
  test('enforce: only the listed gateways; none eligible -> 400 GATEWAY_NOT_FOUND, recorded NULL_AFTER_ENFORCE', async () => {
    const logic = await release(defaultLogic(uniqueName('Delta only'), ['SIM_DELTA'], { enforce: true }));
    logicIds.enforce = logic.id;
    const card = await payCard();
    assert.equal(card.status, 200, card.body);
    assert.equal(card.txn.gateway, 'SIM_DELTA');
    assert.equal(card.txn.routing_decision.enforced, true);
    assert.deepEqual(
      card.txn.routing_decision.finalGateways.map((g: { gateway: string }) => g.gateway),
      ['SIM_DELTA'],
    );

    // SIM_DELTA takes no UPI, and nothing else may be used.
    const orderId = await createOrderOk(j);
    const upi = await post(j, '/txns', { order_id: orderId, payment_method_type: 'UPI', payment_method: 'UPI', txn_type: 'UPI_COLLECT', upi_vpa: 'shopper@okbank' }, { asForm: true });
    assert.equal(upi.status, 400, upi.body);
    assert.equal(upi.json.error_info.code, 'GATEWAY_NOT_FOUND');
    const txn = await lastTxn(orderId);
    assert.equal(txn.status, 'JUSPAY_DECLINED');
    assert.equal(txn.gateway, null);
    assert.equal(txn.routing_decision.failureReason, 'NULL_AFTER_ENFORCE');
    assert.equal(txn.routing_decision.logic.id, logic.id);
    assert.deepEqual(txn.routing_decision.finalGateways, []);
    assert.ok(txn.routing_decision.eligibilityDrops.some((d: { gateway: string; reason: string }) => d.gateway === 'SIM_DELTA' && d.reason === 'PAYMENT_METHOD_TYPE_NOT_SUPPORTED'));
  });

  test('a code logic that throws: the fallback logic decides; the record shows primary FAILURE with UNHANDLED_EXCEPTION', async () => {
    await resetRouting();
    const fallback = await createLogic(j, defaultLogic(uniqueName('Safety net'), ['SIM_GAMMA']));
    await actOk(j, fallback.id, 'fallback');
    const code = await createLogic(j, {
      name: uniqueName('Throws'),
      kind: 'CODE',
      defaultGateways: [{ gateway: 'SIM_ALPHA' }],
      definition: { code: 'if (order.amount > 0) throw new Error("boom");\nsetGatewayPriority(["SIM_BETA"]);' },
    });
    await actOk(j, code.id, 'approve', {}, bearer(APPROVER_TOKEN));
    await actOk(j, code.id, 'activate');
    logicIds.throws = code.id;
    logicIds.fallback = fallback.id;
    const p = await payCard();
    assert.equal(p.status, 200, p.body);
    assert.equal(p.txn.gateway, 'SIM_GAMMA');
    const d = p.txn.routing_decision;
    assert.equal(d.primary.status, 'FAILURE');
    assert.equal(d.primary.failure_reason, 'UNHANDLED_EXCEPTION');
    assert.match(d.primary.message, /boom/);
    assert.equal(d.fallback.status, 'SUCCESS');
    assert.equal(d.fallback.failure_reason, 'NO_ERROR');
    assert.equal(d.logic.role, 'FALLBACK');
    assert.equal(d.logic.id, fallback.id);

    // Without a fallback logic: the failing logic's default gateways, never enforced.
    assert.equal((await api(j, 'POST', '/v1/priority-logics/fallback/unset', {})).status, 200);
    const q = await payCard();
    assert.equal(q.txn.gateway, 'SIM_ALPHA');
    assert.equal(q.txn.routing_decision.logic.role, 'DEFAULT_GATEWAYS');
    assert.equal(q.txn.routing_decision.evaluationStatus, 'LOGIC_FAILED');
  });
});

describe('metrics', () => {
  test('traffic %, gateway undecided %, success rate, volume and latency per logic', async () => {
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const r = await api(j, 'GET', `/v1/priority-logics/metrics?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    assert.equal(r.status, 200, r.body);
    const byId = new Map<string, any>(r.json.logics.map((m: { logic_id: string }) => [m.logic_id, m]));
    const traffic = r.json.logics.reduce((s: number, m: { traffic_percent: number }) => s + m.traffic_percent, 0);
    assert.ok(Math.abs(traffic - 100) < 0.5, `traffic sums to ${traffic}`);
    const candidate = byId.get(logicIds.candidate!);
    assert.ok(candidate, 'the staggered-then-promoted logic has figures');
    assert.ok(candidate.decided >= 40);
    // The retried orders' declined first attempts count as settled failures.
    assert.equal(candidate.success_rate, Math.round((candidate.succeeded / candidate.settled) * 10000) / 100);
    assert.ok(candidate.settled > candidate.succeeded);
    assert.equal(byId.get(logicIds.default!).success_rate, 100);
    assert.equal(candidate.gateway_undecided_percent, 0);
    assert.ok(candidate.volume.amounts[0].amount > 0);
    assert.equal(candidate.volume.amounts[0].currency, 'INR');
    assert.equal(typeof candidate.latency_ms.p50, 'number');
    assert.equal(typeof candidate.latency_ms.p95, 'number');
    const enforce = byId.get(logicIds.enforce!);
    assert.equal(enforce.decided, 2);
    assert.equal(enforce.gateway_undecided_percent, 50);
    assert.ok(byId.get('DEFAULT_ORDER'), 'default ordering has its row');
    for (const id of [logicIds.default, logicIds.volume, logicIds.rules, logicIds.code, logicIds.stable, logicIds.fallback]) assert.ok(byId.get(id!), `metrics for ${id}`);
    // Live logics are marked.
    assert.deepEqual(byId.get(logicIds.throws!).roles, ['ACTIVE']);
    // An empty window.
    const empty = await api(j, 'GET', `/v1/priority-logics/metrics?from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z`);
    assert.equal(empty.status, 200);
    assert.equal(empty.json.total_decided, 0);
    assert.equal((await api(j, 'GET', '/v1/priority-logics/metrics?from=2001-01-02T00:00:00Z&to=2001-01-01T00:00:00Z')).status, 400);
  });

  test('trend_buckets cuts the window into slices whose counts add up to the whole', async () => {
    const from = new Date(Date.now() - 3 * 3600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const whole = await api(j, 'GET', `/v1/priority-logics/metrics?${q}`);
    const sliced = await api(j, 'GET', `/v1/priority-logics/metrics?${q}&trend_buckets=6`);
    assert.equal(sliced.status, 200, sliced.body);
    assert.equal(whole.json.logics[0].trend, undefined, 'no trend unless asked');
    for (const m of sliced.json.logics as Array<{ logic_id: string; decided: number; trend: Array<{ from: string; decided: number; success_rate: number | null }> }>) {
      assert.equal(m.trend.length, 6);
      assert.equal(
        m.trend.reduce((s, p) => s + p.decided, 0),
        m.decided,
        m.logic_id,
      );
      assert.equal(m.trend[0]!.from, new Date(from).toISOString());
      for (const p of m.trend) assert.ok(p.success_rate === null || (p.success_rate >= 0 && p.success_rate <= 100));
    }
    // Most of this test file's payments are in the last slice.
    const candidate = (sliced.json.logics as Array<{ logic_id: string; trend: Array<{ decided: number }> }>).find((m) => m.logic_id === logicIds.candidate)!;
    assert.ok(candidate.trend[5]!.decided > 0);
    const bad = await api(j, 'GET', `/v1/priority-logics/metrics?${q}&trend_buckets=0`);
    assert.equal(bad.status, 400);
    assert.ok(JSON.stringify(bad.json).includes('trend_buckets'), bad.body);
  });
});
