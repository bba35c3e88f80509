// Two Junction instances with REDIS_URL behind the decision engine API (issue 19): a decision made
// on one instance is found by the feedback sent to the other (the decision context is in Redis),
// and the scores that feedback moves are the ones both instances rank by. Runs when REDIS_URL is set.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createSecondMerchant } from '../helpers/api-helpers.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

const url = process.env.REDIS_URL;
if (!url) throw new Error('test/redis needs REDIS_URL (it runs in `npm run test:pg`)');

const SECRET = 'engine-shared-secret';
let a: TestApp;
let b: TestApp;
const run = randomBytes(3).toString('hex');
const engineMerchant = `pro_shared_${run}`;
// A merchant of its own (the same id on both instances, so both read its scores in Redis): the
// other Redis suites, running at the same time, learn and reset the demo merchant's scores.
const merchantId = `m_de_${run}`;
const keys: Record<string, string> = {};

async function call(j: TestApp, path: string, body: unknown, headers: Record<string, string> = { 'x-api-key': keys[j === a ? 'a' : 'b']! }) {
  const r = await j.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });
  return { status: r.statusCode, json: r.body ? JSON.parse(r.body) : null, body: r.body };
}

const decide = (paymentId: string) => ({
  merchantId: engineMerchant,
  eligibleGatewayList: [`gw_x_${run}`, `gw_y_${run}`],
  rankingAlgorithm: 'SR_BASED_ROUTING',
  paymentInfo: { paymentId, amount: 10, currency: 'INR', paymentType: 'ORDER_PAYMENT', paymentMethodType: 'UPI', paymentMethod: 'UPI_COLLECT' },
});

before(async () => {
  a = await startTestApp({ redisUrl: url, adminApiKey: SECRET }, { scoringConfig: { ranking: 'MEAN' } });
  b = await startTestApp({ redisUrl: url, adminApiKey: SECRET }, { scoringConfig: { ranking: 'MEAN' } });
  // Each test instance has its own schema: the merchant and the engine's mapping are made on both.
  for (const [name, j] of [
    ['a', a],
    ['b', b],
  ] as const) {
    keys[name] = (await createSecondMerchant(j, merchantId)).apiKey;
    const r = await call(j, '/merchant-account/create', { merchant_id: engineMerchant, junction_merchant_id: merchantId }, { 'x-admin-secret': SECRET });
    assert.equal(r.status, 200, r.body);
  }
});
after(async () => {
  await a.scoring.reset(merchantId);
  await a.close();
  await b.close();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('decide on one instance, feedback on the other: applied, and both rank by it', async () => {
  for (let i = 0; i < 25; i++) {
    const paymentId = `sh_${run}_${i}`;
    const d = await call(a, '/decide-gateway', decide(paymentId));
    assert.equal(d.status, 200, d.body);
    const x = await call(b, '/update-gateway-score', { merchantId: engineMerchant, gateway: `gw_x_${run}`, paymentId, status: 'AUTHORIZATION_FAILED' });
    const y = await call(b, '/update-gateway-score', { merchantId: engineMerchant, gateway: `gw_y_${run}`, paymentId, status: 'CHARGED' });
    assert.deepEqual([x.status, y.status], [200, 200]);
  }
  await pause(300); // the instances' read caches of the scores (200 ms) expire
  for (const j of [a, b]) {
    const d = await call(j, '/decide-gateway', decide(`sh_${run}_final_${j === a ? 'a' : 'b'}`));
    assert.equal(d.json.decided_gateway, `gw_y_${run}`, d.body);
    assert.ok(d.json.gateway_priority_map[`gw_x_${run}`] < 0.2, d.body);
  }
});

test('feedback sent to the other instance for a payment never decided changes nothing', async () => {
  const before = (await call(a, '/decide-gateway', decide(`nd_${run}_0`))).json.gateway_priority_map;
  for (let i = 0; i < 10; i++) {
    assert.equal((await call(b, '/update-gateway-score', { merchantId: engineMerchant, gateway: `gw_y_${run}`, paymentId: `never_${run}_${i}`, status: 'AUTHORIZATION_FAILED' })).status, 200);
  }
  await pause(300);
  const afterwards = (await call(a, '/decide-gateway', decide(`nd_${run}_1`))).json.gateway_priority_map;
  assert.equal(afterwards[`gw_y_${run}`], before[`gw_y_${run}`]);
});
