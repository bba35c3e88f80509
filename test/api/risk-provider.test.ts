// An external risk provider behind the RiskProvider port: the reference provider's local emulator
// declines, flags for review and accepts; a provider that stalls past the merchant's deadline,
// fails or is down follows the merchant's fail-open or fail-closed choice, and the attempt always
// ends in a defined state.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { createOrderOk, orderStatus, payByCard, setAllGateways } from '../helpers/api-helpers.ts';
import { sendRiskWebhook, startRiskProviderEmulator, type RiskProviderEmulator } from '../../emulators/risk-provider/risk-provider-emulator.ts';
import { createReferenceRiskProvider } from '../../src/connectors/risk-providers/reference-risk-provider.ts';

const WEBHOOK_SECRET = 'rp_whsec_test';
let j: TestApp;
let emulator: RiskProviderEmulator;
before(async () => {
  emulator = await startRiskProviderEmulator({ apiKey: 'rp_test_key', reviewAbove: 50_000 });
  // Registered the way a deployment does (RISK_REFERENCE_URL / RISK_REFERENCE_API_KEY); a second
  // id through buildApp's riskProviders option.
  j = await startTestApp(
    { riskReference: { url: emulator.origin, apiKey: 'rp_test_key', webhookSecret: WEBHOOK_SECRET } },
    { riskProviders: [createReferenceRiskProvider({ id: 'reference-2', baseUrl: emulator.origin, apiKey: 'rp_test_key' })] },
  );
});
after(async () => {
  await j.close();
  await emulator.close();
});
beforeEach(() => setAllGateways(j));

async function configure(config: Record<string, unknown>) {
  const r = await j.app.inject({ method: 'PUT', url: '/v1/risk/config', headers: { authorization: j.basic, 'content-type': 'application/json' }, payload: JSON.stringify(config) });
  assert.equal(r.statusCode, 200, r.body);
}

describe('reference risk provider', () => {
  test('declines (RISK_PROVIDER_DECLINED, no gateway), reviews (held authorised) and accepts; no card number reaches it', async () => {
    await configure({ provider: 'reference', provider_timeout_ms: 2000 });
    const declined = await payByCard(j, await createOrderOk(j, { customer_email: 'mallory@decline.test' }));
    assert.equal(declined.json.status, 'JUSPAY_DECLINED', declined.body);
    assert.equal(declined.json.error_code, 'RISK_PROVIDER_DECLINED');
    const status = await orderStatus(j, declined.json.order_id);
    assert.equal(status.json.risk.provider, 'reference');
    assert.equal(status.json.risk.status, 'REJECTED');
    assert.match(status.json.risk.message, /confirmed fraud/);
    const review = await payByCard(j, await createOrderOk(j, { amount: '900.00' }));
    assert.equal(review.json.status, 'AUTHORIZED', review.body);
    assert.equal((await orderStatus(j, review.json.order_id)).json.risk.recommended_action, 'REVIEW');
    const ok = await payByCard(j, await createOrderOk(j, { amount: '10.00' }));
    assert.equal(ok.json.status, 'CHARGED', ok.body);
    assert.ok(emulator.received.length >= 3);
    assert.ok(!JSON.stringify(emulator.received).includes('4111111111111111'), 'the provider never sees a card number');
  });

  test('a provider past its deadline: fail closed declines, fail open proceeds', async () => {
    await configure({ provider: 'reference', provider_timeout_ms: 50, fail_open: false });
    emulator.faults.stallNext(400, 1, '/v1/assessments');
    const closed = await payByCard(j, await createOrderOk(j));
    assert.equal(closed.json.status, 'JUSPAY_DECLINED', closed.body);
    assert.equal(closed.json.error_code, 'RISK_PROVIDER_DECLINED');
    assert.match(closed.json.error_message, /did not answer within 50 ms/);
    await configure({ provider: 'reference', provider_timeout_ms: 50, fail_open: true });
    emulator.faults.stallNext(400, 1, '/v1/assessments');
    const open = await payByCard(j, await createOrderOk(j));
    assert.equal(open.json.status, 'CHARGED', open.body);
    assert.equal((await orderStatus(j, open.json.order_id)).json.risk.status, 'PASSED');
  });

  test('a provider registered through buildApp options is used by the merchant who names it', async () => {
    await configure({ provider: 'reference-2', provider_timeout_ms: 2000, fail_open: false });
    const declined = await payByCard(j, await createOrderOk(j, { customer_email: 'eve@decline.test' }));
    assert.equal(declined.json.error_code, 'RISK_PROVIDER_DECLINED', declined.body);
    assert.equal((await orderStatus(j, declined.json.order_id)).json.risk.provider, 'reference-2');
  });

  test('signed webhooks: a later decline voids a held payment, an accept captures one; a bad signature changes nothing', async () => {
    await configure({ provider: 'reference', provider_timeout_ms: 2000 });
    const deliver = async (headers: Record<string, string>, body: string) => (await j.app.inject({ method: 'POST', url: '/webhooks/risk/reference', headers, payload: body })).statusCode;
    const held = [await payByCard(j, await createOrderOk(j, { amount: '900.00' })), await payByCard(j, await createOrderOk(j, { amount: '901.00' }))];
    for (const h of held) assert.equal(h.json.status, 'AUTHORIZED', h.body);
    const forged = await sendRiskWebhook('', 'not-the-secret', { merchant_id: 'demo_merchant', order_id: held[0]!.json.order_id, decision: 'DECLINE' }, async (headers, body) => {
      const r = await j.app.inject({ method: 'POST', url: '/webhooks/risk/reference', headers, payload: body });
      assert.equal(JSON.parse(r.body).error_info.fields[0].field_name, 'x-risk-signature');
      return r.statusCode;
    });
    assert.equal(forged, 400);
    assert.equal((await orderStatus(j, held[0]!.json.order_id)).json.status, 'AUTHORIZED');
    assert.equal(
      await sendRiskWebhook('', WEBHOOK_SECRET, { merchant_id: 'demo_merchant', order_id: held[0]!.json.order_id, decision: 'DECLINE', reasons: ['chargeback on linked account'] }, deliver),
      200,
    );
    const voided = await orderStatus(j, held[0]!.json.order_id);
    assert.equal(voided.json.status, 'VOIDED');
    assert.equal(voided.json.risk.status, 'REJECTED');
    assert.equal(voided.json.txn_detail.risk_checks.late.effect, 'void');
    assert.equal(await sendRiskWebhook('', WEBHOOK_SECRET, { merchant_id: 'demo_merchant', order_id: held[1]!.json.order_id, decision: 'ACCEPT' }, deliver), 200);
    const captured = await orderStatus(j, held[1]!.json.order_id);
    assert.equal(captured.json.status, 'CHARGED');
    assert.equal(captured.json.txn_detail.risk_checks.review.state, 'APPROVED');
    const reviews = await j.app.inject({ method: 'GET', url: '/v1/risk/reviews', headers: { authorization: j.basic } });
    assert.ok(!reviews.body.includes(held[0]!.json.txn_uuid) && !reviews.body.includes(held[1]!.json.txn_uuid));
  });

  test('a webhook for a merchant that does not run the provider changes nothing', async () => {
    await configure({ provider: 'reference', provider_timeout_ms: 2000 });
    const held = await payByCard(j, await createOrderOk(j, { amount: '900.00' }));
    assert.equal(held.json.status, 'AUTHORIZED', held.body);
    await configure({ provider: 'builtin' });
    let answer: Record<string, unknown> = {};
    await sendRiskWebhook('', WEBHOOK_SECRET, { merchant_id: 'demo_merchant', order_id: held.json.order_id, decision: 'DECLINE' }, async (headers, body) => {
      const res = await j.app.inject({ method: 'POST', url: '/webhooks/risk/reference', headers, payload: body });
      answer = JSON.parse(res.body);
      return res.statusCode;
    });
    assert.equal(answer.handled, false);
    assert.equal((await orderStatus(j, held.json.order_id)).json.status, 'AUTHORIZED');
  });

  test('a provider error or outage follows the same choice', async () => {
    await configure({ provider: 'reference', provider_timeout_ms: 500, fail_open: false });
    emulator.faults.failNext(500, 1, '/v1/assessments');
    const failed = await payByCard(j, await createOrderOk(j));
    assert.equal(failed.json.error_code, 'RISK_PROVIDER_DECLINED', failed.body);
    await configure({ provider: 'reference', provider_timeout_ms: 500, fail_open: true });
    await emulator.down();
    try {
      const down = await payByCard(j, await createOrderOk(j));
      assert.equal(down.json.status, 'CHARGED', down.body);
    } finally {
      await emulator.up();
    }
  });
});
