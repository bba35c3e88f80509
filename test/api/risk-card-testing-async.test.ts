// The card-testing guard learns from every way a decline arrives: the gateway's direct answer, the
// status sync settling an attempt whose answer was lost, and gateway webhooks (which go through the
// same outcome path). Each attempt counts once, however many reports of its decline arrive.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { createOrderOk, declineAll, payByCard, setAllGateways, timeoutAll } from '../helpers/api-helpers.ts';

let j: TestApp;
before(async () => {
  j = await startTestApp();
});
after(() => j.close());
beforeEach(async () => {
  setAllGateways(j);
  await j.db.query('DELETE FROM risk_velocity_events');
  await j.db.query('DELETE FROM risk_blocks');
});

async function configure(config: Record<string, unknown>) {
  const r = await j.app.inject({ method: 'PUT', url: '/v1/risk/config', headers: { authorization: j.basic, 'content-type': 'application/json' }, payload: JSON.stringify(config) });
  assert.equal(r.statusCode, 200, r.body);
}

const guard = { card_testing: { small_amount_max: 500, threshold: 3, window_seconds: 600, block_seconds: 3600, sources: ['client_ip'] } };
const hardDecline = {
  kind: 'FAILED',
  failure: 'HARD_DECLINE',
  raw: { code: 'DO_NOT_HONOR', message: 'Do not honor', gatewayTxnId: null },
  unified: { code: 'DO_NOT_HONOR', message: 'Do not honor', category: 'USER_ERROR' },
} as const;

async function probe(ip: string) {
  return payByCard(j, await createOrderOk(j, { amount: '1.00' }), { client_ip: ip });
}

describe('card-testing guard and asynchronous outcomes', () => {
  test('a decline the status sync finds counts like a direct one: the third probe blocks the IP', async () => {
    await configure(guard);
    declineAll(j);
    for (let i = 0; i < 2; i++) assert.equal((await probe('203.0.113.10')).json.status, 'AUTHORIZATION_FAILED');
    // The third probe is pending at the bank; it settles as a decline and the status sync finds it.
    setAllGateways(j, { baseSuccessRate: 0, failureMix: { HARD_DECLINE: 1, SOFT_DECLINE: 0, TECHNICAL_ERROR: 0, TIMEOUT: 0 }, pendingProbability: 1 });
    const lost = await probe('203.0.113.10');
    assert.equal(lost.json.status, 'AUTHORIZING', lost.body);
    await j.simulator.settleAllPending();
    const synced = await j.payments.syncTxn(lost.json.txn_uuid);
    assert.equal(synced.status, 'AUTHORIZATION_FAILED');
    setAllGateways(j);
    const blocked = await payByCard(j, await createOrderOk(j, { amount: '50.00' }), { client_ip: '203.0.113.10' });
    assert.equal(blocked.json.error_code, 'RISK_CARD_TESTING', blocked.body);
  });

  test('a decline reported by a webhook after the gateway already answered it counts once', async () => {
    await configure(guard);
    declineAll(j);
    for (let i = 0; i < 2; i++) {
      const p = await probe('203.0.113.20');
      assert.equal(p.json.status, 'AUTHORIZATION_FAILED', p.body);
      // The gateway's webhook for the same decline, twice (a redelivery): the path gateway webhooks take.
      await j.payments.applyOutcome(p.json.txn_uuid, hardDecline);
      await j.payments.applyOutcome(p.json.txn_uuid, hardDecline);
    }
    setAllGateways(j);
    const stillOk = await payByCard(j, await createOrderOk(j, { amount: '50.00' }), { client_ip: '203.0.113.20' });
    assert.equal(stillOk.json.status, 'CHARGED', stillOk.body);
  });

  test('a decline that arrives only by webhook (the direct answer was lost) counts', async () => {
    await configure(guard);
    timeoutAll(j, false);
    for (let i = 0; i < 3; i++) {
      const p = await probe('203.0.113.30');
      assert.equal(p.json.status, 'AUTHORIZING', p.body);
      await j.payments.applyOutcome(p.json.txn_uuid, hardDecline);
    }
    setAllGateways(j);
    const blocked = await payByCard(j, await createOrderOk(j, { amount: '50.00' }), { client_ip: '203.0.113.30' });
    assert.equal(blocked.json.error_code, 'RISK_CARD_TESTING', blocked.body);
  });

  test('technical errors found asynchronously do not count, nor do declines above small_amount_max', async () => {
    await configure(guard);
    timeoutAll(j, false);
    for (let i = 0; i < 3; i++) {
      const p = await probe('203.0.113.40');
      await j.payments.applyOutcome(p.json.txn_uuid, { ...hardDecline, failure: 'TECHNICAL_ERROR' });
      const big = await payByCard(j, await createOrderOk(j, { amount: '90.00' }), { client_ip: '203.0.113.40' });
      await j.payments.applyOutcome(big.json.txn_uuid, hardDecline);
    }
    setAllGateways(j);
    const ok = await payByCard(j, await createOrderOk(j, { amount: '50.00' }), { client_ip: '203.0.113.40' });
    assert.equal(ok.json.status, 'CHARGED', ok.body);
  });
});
