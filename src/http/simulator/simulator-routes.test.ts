import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.ts';
import { GatewaySimulator } from '../../connectors/simulator/simulator.ts';
import { TEST_ACCOUNT, cardRequest, instantProfile } from '../../connectors/simulator/test-fixtures.ts';
import { simulatorRoutes } from './simulator-routes.ts';

async function build(simulator: GatewaySimulator, guarded = false): Promise<FastifyInstance> {
  const app = Fastify();
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof AppError) return reply.code(error.status).send({ error_code: error.code, message: error.message, fields: error.fields });
    const validation = (error as { validation?: unknown }).validation;
    if (validation) return reply.code(400).send({ error_code: 'INVALID_INPUT', message: error instanceof Error ? error.message : 'invalid', fields: [] });
    return reply.code(500).send({ error_code: 'INTERNAL_ERROR' });
  });
  await app.register(
    simulatorRoutes({
      simulator,
      requireOperator: guarded
        ? (request) => {
            if (request.headers.authorization !== 'Bearer operator') throw new AppError('UNAUTHENTICATED');
          }
        : undefined,
    }),
  );
  await app.ready();
  return app;
}

describe('simulator routes', () => {
  let simulator: GatewaySimulator;
  let app: FastifyInstance;
  beforeEach(async () => {
    simulator = new GatewaySimulator({ profiles: { SIM_ALPHA: instantProfile(1) } });
    app = await build(simulator);
  });
  afterEach(async () => {
    await app.close();
    simulator.close();
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
    const list = await app.inject({ method: 'GET', url: '/simulator/gateways' });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(Object.keys(list.json().gateways).sort(), ['SIM_ALPHA', 'SIM_BETA', 'SIM_DELTA', 'SIM_EPSILON', 'SIM_GAMMA', 'SIM_ZETA']);

    const one = await app.inject({ method: 'GET', url: '/simulator/gateways/SIM_BETA' });
    assert.equal(one.json().baseSuccessRate, 0.9);
    assert.equal((await app.inject({ method: 'GET', url: '/simulator/gateways/NOPE' })).statusCode, 404);

    const profile = { ...instantProfile(0.7), overrides: { paymentMethodType: { UPI: 0.99 }, paymentMethod: {}, cardBrand: {}, issuer: {} } };
    const put = await app.inject({ method: 'PUT', url: '/simulator/gateways/SIM_BETA', payload: profile });
    assert.equal(put.statusCode, 200);
    assert.equal(simulator.getProfile('SIM_BETA')?.overrides.paymentMethodType.UPI, 0.99);

    const patch = await app.inject({ method: 'PATCH', url: '/simulator/gateways/SIM_BETA', payload: { baseSuccessRate: 0.6, latency: { jitterMs: 5 } } });
    assert.equal(patch.statusCode, 200);
    assert.equal(patch.json().baseSuccessRate, 0.6);
    assert.deepEqual(patch.json().latency, { fixedMs: 0, jitterMs: 5 });

    const invalid = await app.inject({ method: 'PATCH', url: '/simulator/gateways/SIM_BETA', payload: { failureMix: { HARD_DECLINE: 0, SOFT_DECLINE: 0, TECHNICAL_ERROR: 0, TIMEOUT: 0 } } });
    assert.equal(invalid.statusCode, 400);
    assert.equal(invalid.json().fields[0].field_name, 'failureMix');
    const window = await app.inject({ method: 'PUT', url: '/simulator/gateways/SIM_BETA', payload: { ...profile, outages: [{ startMs: 10, endMs: 5 }] } });
    assert.equal(window.statusCode, 400);
    assert.equal(window.json().fields[0].field_name, 'outages[0].endMs');
    const schema = await app.inject({ method: 'PUT', url: '/simulator/gateways/SIM_BETA', payload: { ...profile, baseSuccessRate: 2 } });
    assert.equal(schema.statusCode, 400);
  });

  it('outages: start with a duration or an end, end them', async () => {
    const started = await app.inject({ method: 'POST', url: '/simulator/gateways/SIM_ALPHA/outages', payload: { durationMs: 60_000, paymentMethodType: 'CARD' } });
    assert.equal(started.statusCode, 201);
    assert.equal(started.json().paymentMethodType, 'CARD');
    const reply = simulator.authorize('SIM_ALPHA', 'a', cardRequest());
    assert.equal(!reply.timedOut && reply.body.code, 'GW_DOWN');

    const until = await app.inject({ method: 'POST', url: '/simulator/gateways/SIM_ALPHA/outages', payload: { until: new Date(Date.now() + 60_000).toISOString(), mode: 'TIMEOUT' } });
    assert.equal(until.statusCode, 201);
    assert.equal(until.json().mode, 'TIMEOUT');
    const badUntil = await app.inject({ method: 'POST', url: '/simulator/gateways/SIM_ALPHA/outages', payload: { until: 'tomorrow-ish' } });
    assert.equal(badUntil.statusCode, 400);
    assert.equal(badUntil.json().fields[0].field_name, 'until');

    const ended = await app.inject({ method: 'DELETE', url: '/simulator/gateways/SIM_ALPHA/outages' });
    assert.deepEqual(ended.json(), { ended: 2 });
    const after = simulator.authorize('SIM_ALPHA', 'a', cardRequest());
    assert.equal(!after.timedOut && after.body.code, '00');
    assert.equal((await app.inject({ method: 'DELETE', url: '/simulator/gateways/NOPE/outages' })).statusCode, 404);
  });

  it('reset restores defaults and forgets payments', async () => {
    const id = threeDs();
    await app.inject({ method: 'PATCH', url: '/simulator/gateways/SIM_ALPHA', payload: { baseSuccessRate: 0.1 } });
    const res = await app.inject({ method: 'POST', url: '/simulator/reset' });
    assert.equal(res.statusCode, 200);
    assert.equal(simulator.getProfile('SIM_ALPHA')?.baseSuccessRate, 1);
    assert.equal(simulator.bankPage(id), undefined);
  });

  it('requireOperator guards the control API but not the bank page', async () => {
    const guarded = await build(simulator, true);
    try {
      assert.equal((await guarded.inject({ method: 'GET', url: '/simulator/gateways' })).statusCode, 401);
      assert.equal((await guarded.inject({ method: 'POST', url: '/simulator/reset' })).statusCode, 401);
      assert.equal((await guarded.inject({ method: 'GET', url: '/simulator/gateways', headers: { authorization: 'Bearer operator' } })).statusCode, 200);
      const id = threeDs();
      assert.equal((await guarded.inject({ method: 'GET', url: `/simulator/bank/${id}` })).statusCode, 200);
    } finally {
      await guarded.close();
    }
  });
});
