// Safe automatic fallback: a failed attempt moves to the next gateway only when nothing can
// have been charged, as the gateway status table says; never after a timeout, a hard decline,
// or outside an enforced list.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { createOrderOk, orderStatus, payByCard, setAllGateways, setGateway } from '../helpers/api-helpers.ts';
import { DEMO_MERCHANT, startTestApp, type TestApp } from '../helpers/test-app.ts';

let j: TestApp;
before(async () => {
  j = await startTestApp();
});
after(() => j.close());
beforeEach(async () => {
  setAllGateways(j);
  await j.merchants.updateRoutingSettings('demo_merchant', { max_attempts: 3, retry_soft_declines: false });
  // Each test starts with no health history: a gateway an earlier test made fail would otherwise be
  // DOWN and moved behind the healthy ones (health applies in every ranking mode).
  await j.scoring.reset(DEMO_MERCHANT);
});

const DOWN = { baseSuccessRate: 0, failureMix: { HARD_DECLINE: 0, SOFT_DECLINE: 0, TECHNICAL_ERROR: 1, TIMEOUT: 0 } };

async function attempts(orderId: string) {
  return j.db.query<{ attempt: number; gateway: string; status: string; error_code: string | null }>(
    'SELECT t.attempt, t.gateway, t.status, t.error_code FROM txns t JOIN orders o ON o.id = t.order_pk WHERE o.order_id = $1 ORDER BY t.attempt',
    [orderId],
  );
}

test('a technical error before processing moves the payment to the next gateway, recorded as a second attempt', async () => {
  setGateway(j, 'SIM_ALPHA', DOWN);
  const orderId = await createOrderOk(j);
  const res = await payByCard(j, orderId);
  assert.equal(res.status, 200, res.body);
  assert.equal(res.json.status, 'CHARGED');
  assert.equal(res.json.txn_id, `demo_merchant-${orderId}-2`);
  const rows = await attempts(orderId);
  assert.deepEqual(
    rows.map((r) => [r.attempt, r.gateway, r.status]),
    [
      [1, 'SIM_ALPHA', 'AUTHORIZATION_FAILED'],
      [2, 'SIM_BETA', 'CHARGED'],
    ],
  );
  assert.equal(rows[0]!.error_code, 'GATEWAY_TECHNICAL_ERROR');
  const status = await orderStatus(j, orderId);
  assert.equal(status.json.status, 'CHARGED');
  assert.equal(status.json.routing.fallback_attempt, 1);
  assert.equal(status.json.routing.previous_attempts[0].gateway, 'SIM_ALPHA');
  const camel = JSON.stringify(status.json.routing).match(/"[a-z]+[A-Z][A-Za-z]*":/g);
  assert.equal(camel, null, 'the routing record in the API is snake_case');
});

test('a gateway outage (GW_DOWN) falls back too', async () => {
  j.simulator.forMerchant(DEMO_MERCHANT).startOutage('SIM_ALPHA', { durationMs: 60_000 });
  try {
    const orderId = await createOrderOk(j);
    const res = await payByCard(j, orderId);
    assert.equal(res.json.status, 'CHARGED');
    assert.deepEqual(
      (await attempts(orderId)).map((r) => r.gateway),
      ['SIM_ALPHA', 'SIM_BETA'],
    );
  } finally {
    j.simulator.forMerchant(DEMO_MERCHANT).endOutage('SIM_ALPHA');
  }
});

test('a hard decline is never retried on another gateway', async () => {
  setGateway(j, 'SIM_ALPHA', { baseSuccessRate: 0, failureMix: { HARD_DECLINE: 1, SOFT_DECLINE: 0, TECHNICAL_ERROR: 0, TIMEOUT: 0 } });
  const orderId = await createOrderOk(j);
  const res = await payByCard(j, orderId);
  assert.equal(res.json.status, 'AUTHORIZATION_FAILED');
  assert.equal((await attempts(orderId)).length, 1);
});

test('soft declines move on only when the merchant allows it', async () => {
  const soft = { baseSuccessRate: 0, failureMix: { HARD_DECLINE: 0, SOFT_DECLINE: 1, TECHNICAL_ERROR: 0, TIMEOUT: 0 } };
  setGateway(j, 'SIM_ALPHA', soft);
  const first = await createOrderOk(j);
  assert.equal((await payByCard(j, first)).json.status, 'AUTHORIZATION_FAILED');
  assert.equal((await attempts(first)).length, 1);
  await j.merchants.updateRoutingSettings('demo_merchant', { retry_soft_declines: true });
  const second = await createOrderOk(j);
  assert.equal((await payByCard(j, second)).json.status, 'CHARGED');
  assert.deepEqual(
    (await attempts(second)).map((r) => r.gateway),
    ['SIM_ALPHA', 'SIM_BETA'],
  );
});

test('a timeout is never retried elsewhere: the first gateway charged, so a second charge would be a double charge', async () => {
  setGateway(j, 'SIM_ALPHA', { baseSuccessRate: 0, failureMix: { HARD_DECLINE: 0, SOFT_DECLINE: 0, TECHNICAL_ERROR: 0, TIMEOUT: 1 }, timeoutChargedProbability: 1 });
  const orderId = await createOrderOk(j);
  const res = await payByCard(j, orderId);
  assert.equal(res.json.status, 'AUTHORIZING');
  const rows = await attempts(orderId);
  assert.deepEqual(
    rows.map((r) => [r.gateway, r.status]),
    [['SIM_ALPHA', 'AUTHORIZING']],
  );
  // Another attempt on the order is refused while the outcome is unknown...
  const again = await payByCard(j, orderId);
  assert.equal(again.status, 409);
  // ...and the status sync finds the real charge: one charge, on the first gateway.
  const txnUuid = res.json.txn_uuid as string;
  await j.payments.syncTxn(txnUuid);
  const status = await orderStatus(j, orderId);
  assert.equal(status.json.status, 'CHARGED');
  const charged = (await attempts(orderId)).filter((r) => r.status === 'CHARGED');
  assert.deepEqual(
    charged.map((r) => r.gateway),
    ['SIM_ALPHA'],
  );
});

test('max_attempts 1 switches automatic fallback off', async () => {
  await j.merchants.updateRoutingSettings('demo_merchant', { max_attempts: 1 });
  setGateway(j, 'SIM_ALPHA', DOWN);
  const orderId = await createOrderOk(j);
  assert.equal((await payByCard(j, orderId)).json.status, 'AUTHORIZATION_FAILED');
  assert.equal((await attempts(orderId)).length, 1);
});

test('the cascade stops at the last gateway and answers with the last attempt', async () => {
  setAllGateways(j, DOWN);
  const orderId = await createOrderOk(j);
  const res = await payByCard(j, orderId);
  assert.equal(res.json.status, 'AUTHORIZATION_FAILED');
  assert.equal(res.json.txn_id, `demo_merchant-${orderId}-3`);
  assert.equal((await attempts(orderId)).length, 3);
});

test('routing settings (/v1/routing/settings): the API validates and refuses viewers', async () => {
  const viewer = await j.app.inject({
    method: 'PUT',
    url: '/v1/routing/settings',
    headers: { authorization: 'Bearer test_pl_viewer_token_0001', 'content-type': 'application/json' },
    payload: { max_attempts: 2 },
  });
  assert.equal(viewer.statusCode, 403);
  assert.equal(viewer.json().error_message, 'You do not have access');
  const bad = await j.app.inject({ method: 'PUT', url: '/v1/routing/settings', headers: { authorization: j.basic, 'content-type': 'application/json' }, payload: { max_attempts: 9 } });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error_info.fields[0].field_name, 'max_attempts');
  const ok = await j.app.inject({
    method: 'PUT',
    url: '/v1/routing/settings',
    headers: { authorization: j.basic, 'content-type': 'application/json' },
    payload: { max_attempts: 2, retry_soft_declines: true },
  });
  assert.deepEqual([ok.json().max_attempts, ok.json().retry_soft_declines], [2, true]);
  const read = await j.app.inject({ method: 'GET', url: '/v1/routing/settings', headers: { authorization: 'Bearer test_pl_viewer_token_0001' } });
  assert.deepEqual([read.json().max_attempts, read.json().retry_soft_declines, read.json().ranking_mode], [2, true, 'OFF']);
});

test('an enforced list is never widened: the cascade stays inside it', async () => {
  const { createLogic, actOk, defaultLogic, uniqueName } = await import('../priority-logic/pl-helpers.ts');
  setGateway(j, 'SIM_ALPHA', DOWN);
  const logic = await createLogic(j, defaultLogic(uniqueName('enforced alpha'), ['SIM_ALPHA'], { enforce: true }));
  await actOk(j, logic.id, 'activate');
  try {
    const orderId = await createOrderOk(j);
    const res = await payByCard(j, orderId);
    assert.equal(res.json.status, 'AUTHORIZATION_FAILED');
    assert.deepEqual(
      (await attempts(orderId)).map((r) => r.gateway),
      ['SIM_ALPHA'],
    );
  } finally {
    await actOk(j, logic.id, 'deactivate');
  }
});
