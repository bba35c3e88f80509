// Two Junction instances with REDIS_URL route on one view: feedback taken by one (payments and
// update-gateway-score) moves the decisions of the other. Runs when REDIS_URL is set.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setAllGateways } from '../helpers/api-helpers.ts';
import { DEMO_MERCHANT, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { json, pay, settings } from '../routing-intelligence/helpers.ts';

const url = process.env.REDIS_URL;
if (!url) throw new Error('test/redis needs REDIS_URL (it runs in `npm run test:pg`)');

let a: TestApp;
let b: TestApp;
before(async () => {
  // Mean ranking, not Thompson sampling: under test is the shared view, and with sampling a gateway
  // nobody has tried yet wins an occasional draw against one with 15 successes (a flaky assertion).
  a = await startTestApp({ redisUrl: url }, { scoringConfig: { ranking: 'MEAN' } });
  b = await startTestApp({ redisUrl: url }, { scoringConfig: { ranking: 'MEAN' } });
  await a.scoring.reset('demo_merchant');
});
after(async () => {
  await a.scoring.reset('demo_merchant');
  await a.close();
  await b.close(); // closes its Redis connections too: the process exits
});

const CARD = { amount: 100, currency: 'INR', paymentMethodType: 'CARD', paymentMethod: 'VISA' };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('feedback through one instance moves the decisions of the other', async () => {
  for (const j of [a, b]) {
    setAllGateways(j);
    await settings(j, { ranking_mode: 'WITHIN_LOGIC', max_attempts: 3, exploration_percent: 0, probe_percent: 0 });
  }
  // Instance A learns that SIM_ALPHA is the best gateway from its payments (the merchant's order).
  await settings(a, { ranking_mode: 'OFF' });
  for (let i = 0; i < 15; i++) assert.equal((await pay(a)).first, 'SIM_ALPHA');
  await pause(300); // B's read cache (200 ms) expires
  const learnt = (await json(b, 'GET', '/v1/routing/health')).json.gateways.find((g: any) => g.gateway === 'SIM_ALPHA');
  assert.ok(learnt.observations >= 14, `B sees A's feedback: ${JSON.stringify(learnt)}`);
  const before: string[] = [];
  for (let i = 0; i < 10; i++) before.push((await json(b, 'POST', '/v1/decide-gateway', { paymentInfo: CARD })).json.decided_gateway);
  assert.ok(
    before.every((g) => g === 'SIM_ALPHA'),
    before.join(','),
  );

  // A's payments on SIM_ALPHA start failing (a gateway outage): B moves away without any traffic of its own.
  a.simulator.forMerchant(DEMO_MERCHANT).startOutage('SIM_ALPHA');
  for (let i = 0; i < 6; i++) assert.equal((await pay(a)).status, 'CHARGED');
  await pause(300);
  const afterwards: string[] = [];
  for (let i = 0; i < 10; i++) afterwards.push((await json(b, 'POST', '/v1/decide-gateway', { paymentInfo: CARD })).json.decided_gateway);
  assert.ok(afterwards.filter((g) => g === 'SIM_ALPHA').length === 0, afterwards.join(','));

  // And the other way round, through update-gateway-score on B.
  for (let i = 0; i < 12; i++) {
    const r = await json(b, 'POST', '/v1/update-gateway-score', { gateway: 'SIM_BETA', paymentInfo: { paymentMethodType: 'CARD', paymentMethod: 'VISA' }, status: 'FAILURE' });
    assert.equal(r.status, 200, r.body);
  }
  await pause(300);
  const beta = (await json(a, 'GET', '/v1/routing/health?payment_method_type=CARD&payment_method=VISA')).json.gateways.find((g: any) => g.gateway === 'SIM_BETA');
  assert.notEqual(beta.health, 'UP', JSON.stringify(beta));
});
