import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.ts';
import type { GatewaySimulator } from '../../connectors/simulator/simulator.ts';
import { SimulatorFleet } from '../../connectors/simulator/simulator-fleet.ts';
import { TEST_ACCOUNT, cardRequest, instantProfile } from '../../connectors/simulator/test-fixtures.ts';
import { simulatorRoutes, type SimulatorCaller } from './simulator-routes.ts';

const OWN = { authorization: `Merchant ${TEST_ACCOUNT.merchantId}` };
const OTHER = { authorization: 'Merchant m_other' };
const OPERATOR = { authorization: 'Bearer operator' };

/** Test authentication: "Bearer operator" is the admin, "Merchant <id>" a merchant's key, "Viewer <id>" a read-only session. */
function callerOf(authorization: string | undefined): SimulatorCaller {
  if (authorization === 'Bearer operator') return { kind: 'ADMIN' };
  const match = /^(Merchant|Viewer) (\w+)$/.exec(authorization ?? '');
  if (!match) throw new AppError('UNAUTHENTICATED');
  return { kind: 'MERCHANT', merchantId: match[2]!, mayChange: match[1] === 'Merchant' };
}

async function build(fleet: SimulatorFleet): Promise<FastifyInstance> {
  const app = Fastify();
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof AppError) return reply.code(error.status).send({ error_code: error.code, message: error.message, fields: error.fields });
    const validation = (error as { validation?: unknown }).validation;
    if (validation) return reply.code(400).send({ error_code: 'INVALID_INPUT', message: error instanceof Error ? error.message : 'invalid', fields: [] });
    return reply.code(500).send({ error_code: 'INTERNAL_ERROR' });
  });
  await app.register(
    simulatorRoutes({
      simulators: fleet,
      callerOf: async (request) => callerOf(request.headers.authorization),
      merchantExists: async (merchantId) => merchantId === TEST_ACCOUNT.merchantId || merchantId === 'm_other',
    }),
  );
  await app.ready();
  return app;
}

describe('simulator routes', () => {
  let fleet: SimulatorFleet;
  let simulator: GatewaySimulator;
  let app: FastifyInstance;
  beforeEach(async () => {
    fleet = new SimulatorFleet({ profiles: { SIM_ALPHA: instantProfile(1) } });
    simulator = fleet.forMerchant(TEST_ACCOUNT.merchantId);
    app = await build(fleet);
  });
  afterEach(async () => {
    await app.close();
    await fleet.close();
  });

  function threeDs(): string {
    const reply = simulator.authorize('SIM_ALPHA', TEST_ACCOUNT.accountId, cardRequest({ authType: 'THREE_DS', merchantId: 'shop<script>' }));
    assert.ok(!reply.timedOut);
    return reply.body.gateway_txn_id;
  }

  it('GET bank page: self-contained HTML with amount, merchant, masked card and both buttons', async () => {
    const id = threeDs();
    const res = await app.inject({ method: 'GET', url: `/simulator/bank/${id}` });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    assert.match(res.body, /100\.00 INR/);
    assert.match(res.body, /411111XXXXXX1111/);
    assert.ok(!res.body.includes('4111111111111111'));
    assert.match(res.body, /shop&lt;script&gt;/, 'escaped');
    assert.match(res.body, /Authenticate \(success\)/);
    assert.match(res.body, /Fail authentication/);
    assert.equal((res.body.match(/<form method="post"/g) ?? []).length, 2);
    assert.ok(!/<script/i.test(res.body));
  });

  it('POST bank page (form) records the result and redirects to the return URL with gateway_txn_id', async () => {
    const id = threeDs();
    const res = await app.inject({ method: 'POST', url: `/simulator/bank/${id}`, payload: 'result=success', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.statusCode, 302);
    const location = new URL(res.headers.location as string);
    assert.equal(location.origin + location.pathname, 'https://shop.example/return');
    assert.equal(location.searchParams.get('x'), '1');
    assert.equal(location.searchParams.get('gateway_txn_id'), id);
    assert.equal(simulator.bankPage(id)?.authentication, 'success');
    const done = simulator.completeAuthentication(id);
    assert.equal(done?.timedOut === false && done.body.status, 'CHARGED');
  });

  it('POST bank page with JSON failure, a bad result, an unknown payment', async () => {
    const id = threeDs();
    const fail = await app.inject({ method: 'POST', url: `/simulator/bank/${id}`, payload: { result: 'failure' } });
    assert.equal(fail.statusCode, 302);
    assert.equal(simulator.bankPage(id)?.authentication, 'failure');
    const bad = await app.inject({ method: 'POST', url: `/simulator/bank/${id}`, payload: { result: 'maybe' } });
    assert.equal(bad.statusCode, 400);
    const missing = await app.inject({ method: 'GET', url: '/simulator/bank/sim_nope' });
    assert.equal(missing.statusCode, 404);
  });

  it('control API: list, get, put, patch, validation errors with the field', async () => {
    const list = await app.inject({ headers: OWN, method: 'GET', url: '/simulator/gateways' });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(Object.keys(list.json().gateways).sort(), ['SIM_ALPHA', 'SIM_BETA', 'SIM_DELTA', 'SIM_EPSILON', 'SIM_GAMMA', 'SIM_ZETA']);

    const one = await app.inject({ headers: OWN, method: 'GET', url: '/simulator/gateways/SIM_BETA' });
    assert.equal(one.json().baseSuccessRate, 0.9);
    assert.equal((await app.inject({ headers: OWN, method: 'GET', url: '/simulator/gateways/NOPE' })).statusCode, 404);

    const profile = { ...instantProfile(0.7), overrides: { paymentMethodType: { UPI: 0.99 }, paymentMethod: {}, cardBrand: {}, issuer: {} } };
    const put = await app.inject({ headers: OWN, method: 'PUT', url: '/simulator/gateways/SIM_BETA', payload: profile });
    assert.equal(put.statusCode, 200);
    assert.equal(simulator.getProfile('SIM_BETA')?.overrides.paymentMethodType.UPI, 0.99);

    const patch = await app.inject({ headers: OWN, method: 'PATCH', url: '/simulator/gateways/SIM_BETA', payload: { baseSuccessRate: 0.6, latency: { jitterMs: 5 } } });
    assert.equal(patch.statusCode, 200);
    assert.equal(patch.json().baseSuccessRate, 0.6);
    assert.deepEqual(patch.json().latency, { fixedMs: 0, jitterMs: 5 });

    const invalid = await app.inject({
      headers: OWN,
      method: 'PATCH',
      url: '/simulator/gateways/SIM_BETA',
      payload: { failureMix: { HARD_DECLINE: 0, SOFT_DECLINE: 0, TECHNICAL_ERROR: 0, TIMEOUT: 0 } },
    });
    assert.equal(invalid.statusCode, 400);
    assert.equal(invalid.json().fields[0].field_name, 'failureMix');
    const window = await app.inject({ headers: OWN, method: 'PUT', url: '/simulator/gateways/SIM_BETA', payload: { ...profile, outages: [{ startMs: 10, endMs: 5 }] } });
    assert.equal(window.statusCode, 400);
    assert.equal(window.json().fields[0].field_name, 'outages[0].endMs');
    const schema = await app.inject({ headers: OWN, method: 'PUT', url: '/simulator/gateways/SIM_BETA', payload: { ...profile, baseSuccessRate: 2 } });
    assert.equal(schema.statusCode, 400);
  });

  it('outages: start with a duration or an end, end them', async () => {
    const started = await app.inject({ headers: OWN, method: 'POST', url: '/simulator/gateways/SIM_ALPHA/outages', payload: { durationMs: 60_000, paymentMethodType: 'CARD' } });
    assert.equal(started.statusCode, 201);
    assert.equal(started.json().paymentMethodType, 'CARD');
    const reply = simulator.authorize('SIM_ALPHA', 'a', cardRequest());
    assert.equal(!reply.timedOut && reply.body.code, 'GW_DOWN');

    const until = await app.inject({ headers: OWN, method: 'POST', url: '/simulator/gateways/SIM_ALPHA/outages', payload: { until: new Date(Date.now() + 60_000).toISOString(), mode: 'TIMEOUT' } });
    assert.equal(until.statusCode, 201);
    assert.equal(until.json().mode, 'TIMEOUT');
    const badUntil = await app.inject({ headers: OWN, method: 'POST', url: '/simulator/gateways/SIM_ALPHA/outages', payload: { until: 'tomorrow-ish' } });
    assert.equal(badUntil.statusCode, 400);
    assert.equal(badUntil.json().fields[0].field_name, 'until');

    const ended = await app.inject({ headers: OWN, method: 'DELETE', url: '/simulator/gateways/SIM_ALPHA/outages' });
    assert.deepEqual(ended.json(), { ended: 2 });
    const after = simulator.authorize('SIM_ALPHA', 'a', cardRequest());
    assert.equal(!after.timedOut && after.body.code, '00');
    assert.equal((await app.inject({ headers: OWN, method: 'DELETE', url: '/simulator/gateways/NOPE/outages' })).statusCode, 404);
  });

  it('reset restores defaults and forgets payments', async () => {
    const id = threeDs();
    await app.inject({ headers: OWN, method: 'PATCH', url: '/simulator/gateways/SIM_ALPHA', payload: { baseSuccessRate: 0.1 } });
    const res = await app.inject({ headers: OWN, method: 'POST', url: '/simulator/reset' });
    assert.equal(res.statusCode, 200);
    assert.equal(simulator.getProfile('SIM_ALPHA')?.baseSuccessRate, 1);
    assert.equal(simulator.bankPage(id), undefined);
    assert.deepEqual(res.json(), { reset: true, scope: 'MERCHANT', merchant_id: TEST_ACCOUNT.merchantId });
  });

  it('the control API needs a caller, the bank page does not', async () => {
    assert.equal((await app.inject({ method: 'GET', url: '/simulator/gateways' })).statusCode, 401);
    assert.equal((await app.inject({ method: 'POST', url: '/simulator/reset' })).statusCode, 401);
    // Authenticated before the body is parsed: no validation detail for an unknown caller.
    assert.equal((await app.inject({ method: 'PUT', url: '/simulator/gateways/SIM_ALPHA', payload: { nonsense: true } })).statusCode, 401);
    assert.equal((await app.inject({ method: 'GET', url: '/simulator/gateways', headers: OWN })).statusCode, 200);
    const id = threeDs();
    assert.equal((await app.inject({ method: 'GET', url: `/simulator/bank/${id}` })).statusCode, 200);
  });

  it('a merchant reaches only its own simulator; a read-only role may look but not change', async () => {
    await app.inject({ headers: OWN, method: 'PATCH', url: '/simulator/gateways/SIM_ALPHA', payload: { baseSuccessRate: 0.25 } });
    assert.equal(simulator.getProfile('SIM_ALPHA')?.baseSuccessRate, 0.25);
    const theirs = await app.inject({ headers: OTHER, method: 'GET', url: '/simulator/gateways/SIM_ALPHA' });
    assert.equal(theirs.json().baseSuccessRate, 1, 'm_other has its own SIM_ALPHA');
    const named = await app.inject({ headers: OTHER, method: 'GET', url: `/simulator/gateways/SIM_ALPHA?merchant_id=${TEST_ACCOUNT.merchantId}` });
    assert.equal(named.statusCode, 403);
    assert.equal(named.json().fields[0].field_name, 'merchant_id');
    const ownNamed = await app.inject({ headers: OWN, method: 'GET', url: `/simulator/gateways/SIM_ALPHA?merchant_id=${TEST_ACCOUNT.merchantId}` });
    assert.equal(ownNamed.json().baseSuccessRate, 0.25);

    const viewer = { authorization: `Viewer ${TEST_ACCOUNT.merchantId}` };
    assert.equal((await app.inject({ headers: viewer, method: 'GET', url: '/simulator/gateways/SIM_ALPHA' })).statusCode, 200);
    assert.equal((await app.inject({ headers: viewer, method: 'POST', url: '/simulator/gateways/SIM_ALPHA/outages', payload: {} })).statusCode, 403);
    assert.equal((await app.inject({ headers: viewer, method: 'POST', url: '/simulator/reset' })).statusCode, 403);
    assert.equal(simulator.getProfile('SIM_ALPHA')?.outages.length, 0);
  });

  it('the admin names the merchant, or resets every merchant', async () => {
    const missing = await app.inject({ headers: OPERATOR, method: 'GET', url: '/simulator/gateways' });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().fields[0].field_name, 'merchant_id');
    assert.equal((await app.inject({ headers: OPERATOR, method: 'GET', url: '/simulator/gateways?merchant_id=m_ghost' })).statusCode, 404);
    const started = await app.inject({ headers: OPERATOR, method: 'POST', url: '/simulator/gateways/SIM_BETA/outages?merchant_id=m_other', payload: {} });
    assert.equal(started.statusCode, 201);
    assert.equal(fleet.forMerchant('m_other').getProfile('SIM_BETA')?.outages.length, 1);
    assert.equal(simulator.getProfile('SIM_BETA')?.outages.length, 0);
    simulator.startOutage('SIM_BETA');
    const all = await app.inject({ headers: OPERATOR, method: 'POST', url: '/simulator/reset' });
    assert.deepEqual(all.json(), { reset: true, scope: 'ALL_MERCHANTS' });
    assert.equal(fleet.forMerchant('m_other').getProfile('SIM_BETA')?.outages.length, 0);
    assert.equal(simulator.getProfile('SIM_BETA')?.outages.length, 0);
  });
});
