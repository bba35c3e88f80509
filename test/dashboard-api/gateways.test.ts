// Gateways in the dashboard: accounts without credentials, with health and simulator profiles;
// configuration by ADMIN with field-named errors; simulated outages by EDITOR or ADMIN that make
// the next payment fail over, and end on DELETE.
import { createMerchantService } from '../../src/core/merchants/merchant-service.ts';
import { createMerchantRepository } from '../../src/storage/merchant-repository.ts';
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { createOrder, createSecondMerchant, payByCard, setAllGateways } from '../helpers/api-helpers.ts';
import { DEMO_MERCHANT, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { ADMIN, APPROVER, EDITOR, VIEWER, assertFieldError, assertNoAccess, dash, dashOk, payCard } from './dashboard-helpers.ts';

let j: TestApp;
let second: { merchantId: string; apiKey: string; auth: string };
const account: Record<string, string> = {};

before(async () => {
  j = await startTestApp();
  setAllGateways(j);
  second = await createSecondMerchant(j);
  for (const a of await j.merchants.listGatewayAccounts('demo_merchant')) account[a.gateway] = a.id;
  // A real (not simulated) gateway account: outages cannot be injected into it. Saved the way a
  // database from before connectors were checked holds one (the service now refuses a gateway
  // without a connector: GATEWAY_NOT_CONNECTED).
  const unchecked = createMerchantService({ store: createMerchantRepository(j.db), keyRing: j.keyRing });
  const stripe = await unchecked.createGatewayAccount('demo_merchant', { gateway: 'STRIPE', credentials: { api_key: 'sk_test_0123456789abcdef' }, enabled: false, priority: 500 });
  account.STRIPE = stripe.id;
});
after(async () => {
  await j.close();
});
afterEach(() => {
  for (const gateway of ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA', 'SIM_DELTA']) j.simulator.forMerchant(DEMO_MERCHANT).endOutage(gateway);
});

async function attempts(orderId: string): Promise<Array<{ gateway: string; status: string; error_code: string | null }>> {
  return j.db.query(`SELECT t.gateway, t.status, t.error_code FROM txns t JOIN orders o ON o.id = t.order_pk WHERE o.merchant_id = 'demo_merchant' AND o.order_id = $1 ORDER BY t.attempt`, [orderId]);
}

describe('gateway list', () => {
  test("the merchant's accounts, never credentials, with health and the simulator profile", async () => {
    const r = await dashOk(j, '/v1/dashboard/gateways', VIEWER);
    const by = Object.fromEntries(r.gateways.map((g: any) => [g.gateway, g]));
    assert.deepEqual(Object.keys(by).sort(), ['SIM_ALPHA', 'SIM_BETA', 'SIM_DELTA', 'SIM_GAMMA', 'STRIPE']);
    const alpha = by.SIM_ALPHA;
    assert.equal(alpha.account_id, account.SIM_ALPHA);
    assert.deepEqual(alpha.payment_method_types, ['CARD', 'NB', 'UPI', 'WALLET']);
    assert.equal(alpha.priority, 10);
    assert.deepEqual(alpha.fees, { percent: 2, fixed_minor: 0 });
    assert.ok(['UP', 'FLUCTUATE', 'DOWN'].includes(alpha.health.status), JSON.stringify(alpha.health));
    assert.equal(alpha.simulated, true);
    assert.equal(typeof alpha.simulator.profile.baseSuccessRate, 'number');
    assert.deepEqual(alpha.simulator.active_outages, []);
    assert.equal(by.STRIPE.simulated, false);
    assert.equal(by.STRIPE.simulator, null);
    const text = JSON.stringify(r);
    // The connector says which credentials an account needs (names); no value of any account's credentials is ever sent.
    assert.equal(by.STRIPE.connector.display_name, 'Stripe');
    assert.deepEqual(
      by.STRIPE.connector.credentials.map((c: { name: string }) => c.name),
      ['secret_key', 'webhook_secret', 'raw_card_data_enabled'],
    );
    assert.deepEqual(by.STRIPE.connector.capabilities.payment_method_types, ['CARD']);
    for (const [gateway, id] of Object.entries(account)) {
      const secrets = Object.values((await j.merchants.connectorAccount('demo_merchant', id)).credentials);
      assert.ok(secrets.length > 0, gateway);
      for (const secret of secrets) assert.ok(!text.includes(secret), `no credential value of ${gateway}`);
    }
    for (const [gateway, id] of Object.entries(account)) {
      const secrets = (await j.merchants.connectorAccount('demo_merchant', id)).credentials;
      for (const value of Object.values(secrets)) assert.ok(!text.includes(value), `a ${gateway} credential leaked`);
    }
  });

  test('each merchant sees its own accounts', async () => {
    const theirs = await dashOk(j, '/v1/dashboard/gateways', { basic: second.auth });
    assert.deepEqual(
      theirs.gateways.map((g: any) => g.gateway),
      ['SIM_ALPHA'],
    );
    assert.notEqual(theirs.gateways[0].account_id, account.SIM_ALPHA);
  });
});

describe('gateway configuration', () => {
  test('ADMIN changes fields; the change is stored and routing sees it', async () => {
    const r = await dash(
      j,
      'PATCH',
      `/v1/dashboard/gateways/${account.SIM_DELTA}`,
      {
        enabled: false,
        priority: 5,
        card_brands: ['visa'],
        currencies: ['INR', 'USD'],
        payment_method_types: ['CARD'],
        payment_methods: ['VISA'],
        fees: { percent: 1.25, fixed_minor: 100 },
      },
      ADMIN,
    );
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(
      [r.json.enabled, r.json.priority, r.json.card_brands, r.json.currencies, r.json.payment_method_types, r.json.payment_methods, r.json.fees],
      [false, 5, ['VISA'], ['INR', 'USD'], ['CARD'], ['VISA'], { percent: 1.25, fixed_minor: 100 }],
    );
    const stored = await j.merchants.getGatewayAccount('demo_merchant', account.SIM_DELTA!);
    assert.deepEqual([stored.enabled, stored.priority], [false, 5]);
    // Disabled, so not chosen even with the best priority.
    const paid = await payCard(j);
    assert.equal((await attempts(paid.orderId))[0]!.gateway, 'SIM_ALPHA');
    const back = await dash(j, 'PATCH', `/v1/dashboard/gateways/${account.SIM_DELTA}`, { enabled: true, priority: 40, card_brands: [], payment_methods: [] }, ADMIN);
    assert.equal(back.status, 200, back.body);
  });

  test('only ADMIN configures gateways', async () => {
    for (const who of [VIEWER, EDITOR, APPROVER]) assertNoAccess(await dash(j, 'PATCH', `/v1/dashboard/gateways/${account.SIM_ALPHA}`, { priority: 1 }, who));
    assert.equal((await j.merchants.getGatewayAccount('demo_merchant', account.SIM_ALPHA!)).priority, 10);
  });

  const invalid: Array<{ body: unknown; field: string }> = [
    { body: { priority: -1 }, field: 'priority' },
    { body: { priority: 1.5 }, field: 'priority' },
    { body: { priority: 'high' }, field: 'priority' },
    { body: { enabled: 'yes' }, field: 'enabled' },
    { body: { card_brands: ['VISA', 'BITCOIN'] }, field: 'card_brands' },
    { body: { card_brands: 'VISA' }, field: 'card_brands' },
    { body: { payment_method_types: ['CHEQUE'] }, field: 'payment_method_types' },
    { body: { payment_methods: ['nb icici!'] }, field: 'payment_methods' },
    { body: { currencies: ['XYZ'] }, field: 'currencies' },
    { body: { currencies: ['RUPEES'] }, field: 'currencies.0' },
    { body: { fees: { percent: -1 } }, field: 'fees.percent' },
    { body: { fees: { 'bad name!': 1 } }, field: 'fees.bad name!' },
    { body: { credentials: { api_key: 'x' } }, field: 'credentials' },
    { body: { gateway: 'SIM_ZETA' }, field: 'gateway' },
    { body: {}, field: 'body' },
  ];
  for (const c of invalid) {
    test(`PATCH ${JSON.stringify(c.body)} answers 400 naming ${c.field}`, async () => {
      assertFieldError(await dash(j, 'PATCH', `/v1/dashboard/gateways/${account.SIM_ALPHA}`, c.body, ADMIN), 400, c.field);
    });
  }

  test("an unknown account, or another merchant's, is not found", async () => {
    assert.equal((await dash(j, 'PATCH', '/v1/dashboard/gateways/gwa_nope', { priority: 1 }, ADMIN)).status, 404);
    const [theirs] = await j.merchants.listGatewayAccounts(second.merchantId);
    const r = await dash(j, 'PATCH', `/v1/dashboard/gateways/${theirs!.id}`, { priority: 1 }, ADMIN);
    assert.equal(r.status, 404, r.body);
    assert.equal((await j.merchants.getGatewayAccount(second.merchantId, theirs!.id)).priority, 10);
  });
});

describe('simulated outages', () => {
  test('an outage makes the next payment on that gateway fail; DELETE ends it', async () => {
    await j.merchants.updateRoutingSettings('demo_merchant', { max_attempts: 1 });
    const started = await dash(j, 'POST', '/v1/dashboard/gateways/SIM_ALPHA/outage', { duration_seconds: 120 }, EDITOR);
    assert.equal(started.status, 201, started.body);
    assert.equal(started.json.mode, 'DOWN');
    assert.equal(Date.parse(started.json.ends_at) - Date.parse(started.json.starts_at), 120_000);
    const listed = await dashOk(j, '/v1/dashboard/gateways');
    assert.equal(listed.gateways.find((g: any) => g.gateway === 'SIM_ALPHA').simulator.active_outages.length, 1);

    const failed = await payCard(j);
    assert.equal(failed.status, 'AUTHORIZATION_FAILED');
    assert.deepEqual(
      (await attempts(failed.orderId)).map((a) => [a.gateway, a.error_code]),
      [['SIM_ALPHA', 'GATEWAY_DOWN']],
    );

    const ended = await dash(j, 'DELETE', '/v1/dashboard/gateways/SIM_ALPHA/outage', undefined, EDITOR);
    assert.equal(ended.status, 200, ended.body);
    assert.deepEqual(ended.json, { gateway: 'SIM_ALPHA', ended: 1 });
    const ok = await payCard(j);
    assert.equal(ok.status, 'CHARGED');
    assert.deepEqual(
      (await attempts(ok.orderId)).map((a) => a.gateway),
      ['SIM_ALPHA'],
    );
  });

  test('with fallback on, the payment moves to the next gateway during the outage', async () => {
    await j.merchants.updateRoutingSettings('demo_merchant', { max_attempts: 3 });
    assert.equal((await dash(j, 'POST', '/v1/dashboard/gateways/sim_alpha/outage', { duration_seconds: 60, mode: 'DOWN' }, ADMIN)).status, 201);
    const paid = await payCard(j);
    assert.equal(paid.status, 'CHARGED');
    assert.deepEqual(
      (await attempts(paid.orderId)).map((a) => [a.gateway, a.status]),
      [
        ['SIM_ALPHA', 'AUTHORIZATION_FAILED'],
        ['SIM_BETA', 'CHARGED'],
      ],
    );
    assert.equal((await dash(j, 'DELETE', '/v1/dashboard/gateways/SIM_ALPHA/outage', undefined, ADMIN)).json.ended, 1);
  });

  test('a TIMEOUT outage leaves the payment unsettled, never retried elsewhere', async () => {
    await j.merchants.updateRoutingSettings('demo_merchant', { max_attempts: 3 });
    assert.equal((await dash(j, 'POST', '/v1/dashboard/gateways/SIM_ALPHA/outage', { duration_seconds: 30, mode: 'TIMEOUT' }, EDITOR)).status, 201);
    const paid = await payCard(j);
    assert.notEqual(paid.status, 'CHARGED');
    assert.deepEqual(
      (await attempts(paid.orderId)).map((a) => a.gateway),
      ['SIM_ALPHA'],
    );
  });

  test("an outage from one merchant's dashboard is that merchant's only: not in another's view, not on its payments", async () => {
    assert.equal((await dash(j, 'POST', '/v1/dashboard/gateways/SIM_ALPHA/outage', { duration_seconds: 120 }, EDITOR)).status, 201);
    try {
      const mine = await dashOk(j, '/v1/dashboard/gateways');
      assert.equal(mine.gateways.find((g: any) => g.gateway === 'SIM_ALPHA').simulator.active_outages.length, 1);
      const theirs = await dashOk(j, '/v1/dashboard/gateways', { basic: second.auth });
      assert.deepEqual(theirs.gateways.find((g: any) => g.gateway === 'SIM_ALPHA').simulator.active_outages, []);
      // The second merchant routes to SIM_ALPHA only: still charged.
      const order = await createOrder(j, {}, { auth: second.auth });
      const paid = await payByCard(j, order.orderId, { merchant_id: second.merchantId }, { auth: second.auth });
      assert.equal(paid.json.status, 'CHARGED', paid.body);
      // Its own DELETE ends nothing of the demo merchant's.
      assert.deepEqual((await dash(j, 'DELETE', '/v1/dashboard/gateways/SIM_ALPHA/outage', undefined, { basic: second.auth })).json, { gateway: 'SIM_ALPHA', ended: 0 });
      assert.equal(j.simulator.forMerchant(DEMO_MERCHANT).getProfile('SIM_ALPHA')!.outages.length, 1);
    } finally {
      await dash(j, 'DELETE', '/v1/dashboard/gateways/SIM_ALPHA/outage', undefined, EDITOR);
    }
  });

  test('VIEWER and APPROVER may not inject or end outages', async () => {
    for (const who of [VIEWER, APPROVER]) {
      assertNoAccess(await dash(j, 'POST', '/v1/dashboard/gateways/SIM_ALPHA/outage', { duration_seconds: 60 }, who));
      assertNoAccess(await dash(j, 'DELETE', '/v1/dashboard/gateways/SIM_ALPHA/outage', undefined, who));
    }
    assert.equal(j.simulator.forMerchant(DEMO_MERCHANT).getProfile('SIM_ALPHA')!.outages.length, 0);
  });

  test("only the merchant's simulated gateways", async () => {
    const notMine = await dash(j, 'POST', '/v1/dashboard/gateways/SIM_ZETA/outage', { duration_seconds: 60 }, ADMIN);
    assertFieldError(notMine, 404, 'gateway', 'RESOURCE_NOT_FOUND');
    const real = await dash(j, 'POST', '/v1/dashboard/gateways/STRIPE/outage', { duration_seconds: 60 }, ADMIN);
    assertFieldError(real, 400, 'gateway', 'INVALID_ACTION');
    assertFieldError(await dash(j, 'DELETE', '/v1/dashboard/gateways/STRIPE/outage', undefined, ADMIN), 400, 'gateway');
    assertFieldError(await dash(j, 'POST', '/v1/dashboard/gateways/NOT_A_GATEWAY/outage', { duration_seconds: 60 }, ADMIN), 404, 'gateway');
    // The second merchant has SIM_ALPHA only.
    assertFieldError(await dash(j, 'POST', '/v1/dashboard/gateways/SIM_BETA/outage', { duration_seconds: 60 }, { basic: second.auth }), 404, 'gateway');
    assert.equal(j.simulator.forMerchant(DEMO_MERCHANT).getProfile('SIM_ZETA')!.outages.length, 0);
  });

  const invalid: Array<{ body: unknown; field: string }> = [
    { body: { duration_seconds: 0 }, field: 'duration_seconds' },
    { body: { duration_seconds: 3601 }, field: 'duration_seconds' },
    { body: { duration_seconds: '60' }, field: 'duration_seconds' },
    { body: {}, field: 'duration_seconds' },
    { body: { duration_seconds: 60, mode: 'SLOW' }, field: 'mode' },
    { body: { duration_seconds: 60, until: 5 }, field: 'until' },
  ];
  for (const c of invalid) {
    test(`POST outage ${JSON.stringify(c.body)} answers 400 naming ${c.field}`, async () => {
      assertFieldError(await dash(j, 'POST', '/v1/dashboard/gateways/SIM_ALPHA/outage', c.body, EDITOR), 400, c.field);
      assert.equal(j.simulator.forMerchant(DEMO_MERCHANT).getProfile('SIM_ALPHA')!.outages.length, 0);
    });
  }
});
