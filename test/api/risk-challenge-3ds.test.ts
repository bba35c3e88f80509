// challenge_3ds as a rule action: a matching card payment is stepped up to 3-D Secure (the shopper
// is sent to the authentication page) instead of being held for review; a payment without a card
// cannot be challenged and is held for review; the risk block says FLAGGED / CHALLENGE.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { createOrderOk, orderStatus, payByCard, setAllGateways } from '../helpers/api-helpers.ts';

let j: TestApp;
before(async () => {
  j = await startTestApp();
});
after(() => j.close());
beforeEach(async () => {
  setAllGateways(j);
  await j.db.query('DELETE FROM risk_rules');
});

async function send(method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) {
  const r = await j.app.inject({
    method,
    url,
    headers: { authorization: j.basic, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: r.statusCode, body: r.body, json: JSON.parse(r.body || 'null') };
}

describe('challenge_3ds risk action', () => {
  test('a matching card payment goes through 3-D Secure; others are untouched', async () => {
    assert.equal((await send('PUT', '/v1/risk/config', {})).status, 200);
    const rule = await send('POST', '/v1/risk/rules', { name: 'step up large', condition: { dimension: 'amount', operator: 'greater_than', value: 50_000 }, action: 'challenge_3ds', score: 30 });
    assert.equal(rule.status, 201, rule.body);
    assert.equal(rule.json.action, 'challenge_3ds');
    assert.equal((await send('GET', '/v1/risk/rules')).json.rules[0].action, 'challenge_3ds');

    const small = await payByCard(j, await createOrderOk(j, { amount: '100.00' }));
    assert.equal(small.json.status, 'CHARGED', small.body);

    const large = await payByCard(j, await createOrderOk(j, { amount: '900.00' }));
    assert.equal(large.json.status, 'PENDING_VBV', large.body);
    const status = await orderStatus(j, large.json.order_id);
    assert.equal(status.json.auth_type, 'THREE_DS');
    assert.equal(status.json.risk.status, 'FLAGGED');
    assert.equal(status.json.risk.recommended_action, 'CHALLENGE');
    assert.equal(status.json.txn_detail.risk_checks.action, 'challenge_3ds');
    assert.equal(status.json.txn_detail.risk_checks.review, undefined, 'stepped up, not held for review');
    assert.equal((await send('GET', '/v1/risk/reviews')).json.reviews.length, 0);
  });

  test('a dry run shows the challenge; an unknown action is a 400 naming action', async () => {
    assert.equal((await send('PUT', '/v1/risk/config', {})).status, 200);
    await send('POST', '/v1/risk/rules', { name: 'step up', condition: { dimension: 'amount', operator: 'greater_than', value: 50_000 }, action: 'challenge_3ds', score: 30 });
    const dry = await send('POST', '/v1/risk/dry-run', { amount: 90_000, currency: 'INR', payment_method_type: 'CARD' });
    assert.equal(dry.json.action, 'challenge_3ds', dry.body);
    const bad = await send('POST', '/v1/risk/rules', { name: 'bad', condition: { dimension: 'amount', operator: 'greater_than', value: 1 }, action: 'challenge', score: 30 });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error_info.fields[0].field_name, 'action');
  });

  test('a rule that blocks still wins over a challenge', async () => {
    assert.equal((await send('PUT', '/v1/risk/config', {})).status, 200);
    await send('POST', '/v1/risk/rules', { name: 'step up', condition: { dimension: 'amount', operator: 'greater_than', value: 50_000 }, action: 'challenge_3ds', score: 30 });
    await send('POST', '/v1/risk/rules', { name: 'too large', condition: { dimension: 'amount', operator: 'greater_than', value: 80_000 }, action: 'block', score: 90 });
    const r = await payByCard(j, await createOrderOk(j, { amount: '900.00' }));
    assert.equal(r.json.status, 'JUSPAY_DECLINED', r.body);
    assert.equal(r.json.error_code, 'RISK_RULE');
  });
});
