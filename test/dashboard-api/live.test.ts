// GET /v1/dashboard/live: attempts per gateway per step over the last seconds, read from the
// transactions; and the dashboard API behind a browser session (cookie, CSRF on changes).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createOrder, createSecondMerchant, payByCard, setAllGateways, setGateway } from '../helpers/api-helpers.ts';
import { DEMO_MERCHANT, DEMO_USER_PASSWORD, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { assertNoAccess, dashOk, payCard } from './dashboard-helpers.ts';

let j: TestApp;
let second: { merchantId: string; apiKey: string; auth: string };

before(async () => {
  j = await startTestApp({ demo: { userPassword: DEMO_USER_PASSWORD } });
  setAllGateways(j);
  second = await createSecondMerchant(j);
  await j.merchants.updateRoutingSettings('demo_merchant', { max_attempts: 3 });
  for (let i = 0; i < 3; i++) await payCard(j);
  setGateway(j, 'SIM_ALPHA', { baseSuccessRate: 0, failureMix: { HARD_DECLINE: 0, SOFT_DECLINE: 0, TECHNICAL_ERROR: 1, TIMEOUT: 0 } });
  await payCard(j);
  setAllGateways(j);
  const order = await createOrder(j, {}, { auth: second.auth });
  await payByCard(j, order.orderId, { merchant_id: second.merchantId }, { auth: second.auth });
});
after(async () => {
  await j.close();
});

test('attempts per gateway per step, zeros included, steps on their boundaries', async () => {
  const r = await dashOk(j, '/v1/dashboard/live?seconds=120&step=10');
  assert.equal(r.step_seconds, 10);
  assert.equal(Date.parse(r.from) % 10_000, 0, 'the first step starts on a step boundary');
  const gateways = [...new Set(r.series.map((p: any) => p.gateway))].sort();
  assert.deepEqual(gateways, ['SIM_ALPHA', 'SIM_BETA']);
  const steps = new Set(r.series.map((p: any) => p.t));
  assert.ok(steps.size >= 11 && steps.size <= 12, `${steps.size} steps`);
  assert.equal(r.series.length, steps.size * gateways.length, 'every gateway has every step');
  const sum = (gateway: string, key: 'attempts' | 'charged') => r.series.filter((p: any) => p.gateway === gateway).reduce((n: number, p: any) => n + p[key], 0);
  assert.deepEqual([sum('SIM_ALPHA', 'attempts'), sum('SIM_ALPHA', 'charged')], [4, 3]);
  assert.deepEqual([sum('SIM_BETA', 'attempts'), sum('SIM_BETA', 'charged')], [1, 1]);
});

test('defaults: the last 300 seconds in 10-second steps; merchants see their own traffic', async () => {
  const r = await dashOk(j, '/v1/dashboard/live');
  assert.equal(r.step_seconds, 10);
  assert.ok(Date.parse(r.to) - Date.parse(r.from) <= 300_000);
  const theirs = await dashOk(j, '/v1/dashboard/live', { basic: second.auth });
  assert.equal(
    theirs.series.reduce((n: number, p: any) => n + p.attempts, 0),
    1,
  );
});

test('behind a session cookie: reads work, changes need the CSRF token and the role', async () => {
  const login = async (email: string) => {
    const r = await j.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password: DEMO_USER_PASSWORD } });
    assert.equal(r.statusCode, 200, r.body);
    return { cookie: String(r.headers['set-cookie']).split(';')[0]!, csrf: (r.json() as { csrf_token: string }).csrf_token };
  };
  const viewer = await login('viewer@demo.junction.local');
  const read = await j.app.inject({ method: 'GET', url: '/v1/dashboard/analytics', headers: { cookie: viewer.cookie } });
  assert.equal(read.statusCode, 200, read.body);
  const editor = await login('editor@demo.junction.local');
  const outage = (headers: Record<string, string>) =>
    j.app.inject({
      method: 'POST',
      url: '/v1/dashboard/gateways/SIM_GAMMA/outage',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ duration_seconds: 30 }),
    });
  const noCsrf = await outage({ cookie: editor.cookie });
  assert.equal(noCsrf.statusCode, 403, noCsrf.body);
  assert.equal(noCsrf.json().error_info.code, 'CSRF_TOKEN_INVALID');
  const r = await outage({ cookie: viewer.cookie, 'x-csrf-token': viewer.csrf });
  assertNoAccess({ status: r.statusCode, json: r.json(), body: r.body });
  const ok = await outage({ cookie: editor.cookie, 'x-csrf-token': editor.csrf });
  assert.equal(ok.statusCode, 201, ok.body);
  j.simulator.forMerchant(DEMO_MERCHANT).endOutage('SIM_GAMMA');
});
