// Juspay decision engine compatibility (issue 19): the engine's example requests from
// ../shared/spec/decision-engine.md sent over HTTP to Junction, every answer checked against a
// schema written here from the spec (sections 1-5; not from Junction's types), the error cases
// included, and Junction's tenancy rule (a key acts only for the engine merchants mapped to its
// own merchant). Real payments' routing: Junction's Priority Logic decides, its scores rank.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Type, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { startTestApp, DEMO_KEY, DEMO_MERCHANT, DEMO_USER_TOKENS, type TestApp } from '../helpers/test-app.ts';
import { createSecondMerchant } from '../helpers/api-helpers.ts';

const ADMIN_SECRET = 'test-engine-admin-secret';
let j: TestApp;
let base: string;

before(async () => {
  j = await startTestApp({ adminApiKey: ADMIN_SECRET });
  await j.app.listen({ port: 0, host: '127.0.0.1' });
  const address = j.app.server.address();
  if (!address || typeof address !== 'object') throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
});
after(async () => {
  await j.close();
});

// ---- the spec's shapes ------------------------------------------------------------------------
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const S = {
  createMerchant: Type.Object({ message: Type.String(), merchant_id: Type.String(), gateway_success_rate_based_decider_input: Nullable(Type.String()), api_key: Nullable(Type.String()) }),
  getMerchant: Type.Object({ merchant_id: Type.String(), gateway_success_rate_based_decider_input: Nullable(Type.String()), hierarchy: Type.Optional(Type.Unknown()) }),
  deleteMerchant: Type.Object({ message: Type.String(), merchant_id: Type.String() }),
  // DecidedGateway: every key always present (nullable).
  decided: Type.Object(
    {
      decided_gateway: Type.String(),
      fallback_gateways: Type.Array(Type.String()),
      gateway_priority_map: Nullable(Type.Record(Type.String(), Nullable(Type.Number({ minimum: 0, maximum: 1 })))),
      filter_wise_gateways: Type.Unknown(),
      priority_logic_tag: Nullable(Type.String()),
      routing_approach: Type.String({
        pattern:
          '^(SR_SELECTION_V3_ROUTING|PRIORITY_LOGIC|DEFAULT|MERCHANT_PREFERENCE|NONE|NTW_BASED_ROUTING|SR_SELECTION_MULTI_OBJECTIVE|AB_TEST_STATIC_ALGORITHM|SR_SELECTION(_V2_ROUTING)?|PL_(ALL_|GLOBAL_)?DOWNTIME_ROUTING|SR_V[23]_((ALL_|GLOBAL_)?DOWNTIME_ROUTING|(DOWNTIME_|ALL_DOWNTIME_|GLOBAL_DOWNTIME_)?HEDGING))$',
      }),
      gateway_before_evaluation: Nullable(Type.String()),
      priority_logic_output: Nullable(
        Type.Object({
          isEnforcement: Type.Boolean(),
          gws: Type.Array(Type.String()),
          priorityLogicTag: Nullable(Type.String()),
          gatewayReferenceIds: Type.Unknown(),
          primaryLogic: Type.Unknown(),
          fallbackLogic: Type.Unknown(),
        }),
      ),
      debit_routing_output: Type.Unknown(),
      reset_approach: Type.Union(['NO_RESET', 'ELIMINATION_RESET', 'SRV2_RESET', 'SRV3_RESET', 'SRV2_ELIMINATION_RESET', 'SRV3_ELIMINATION_RESET'].map((v) => Type.Literal(v))),
      routing_dimension: Nullable(Type.String()),
      routing_dimension_level: Nullable(Type.String()),
      is_scheduled_outage: Type.Boolean(),
      is_dynamic_mga_enabled: Type.Boolean(),
      gateway_mga_id_map: Type.Unknown(),
      is_rust_based_decider: Type.Boolean(),
      // null in NTW_BASED_ROUTING's answer (the engine's debit_routing.rs sets `latency: None`).
      latency: Nullable(Type.Number({ minimum: 0 })),
      multi_objective_info: Type.Unknown(),
    },
    { additionalProperties: false },
  ),
  // docs/api-refs/decide-gateway-debit-routing.mdx
  debitRouting: Type.Object(
    {
      co_badged_card_networks_info: Type.Array(Type.Object({ network: Type.String(), saving_percentage: Type.Number({ minimum: 0 }) }, { additionalProperties: false })),
      issuer_country: Type.String(),
      is_regulated: Type.Boolean(),
      regulated_name: Nullable(Type.String()),
      card_type: Type.String(),
    },
    { additionalProperties: false },
  ),
  deciderError: Type.Object({
    status: Type.String(),
    error_code: Type.String(),
    error_message: Type.String(),
    priority_logic_tag: Type.Unknown(),
    routing_approach: Type.Unknown(),
    filter_wise_gateways: Type.Unknown(),
    error_info: Type.Object({ code: Type.String(), user_message: Type.String(), developer_message: Type.String() }),
    priority_logic_output: Type.Unknown(),
    is_dynamic_mga_enabled: Type.Boolean(),
  }),
  scoreUpdated: Type.Object({
    message: Type.Literal('Gateway score updated successfully'),
    merchant_id: Type.String(),
    gateway: Type.String(),
    payment_id: Type.String(),
    gsm_info: Type.Optional(Type.Unknown()),
  }),
  teError: Type.Object({ code: Type.Literal('TE_04'), message: Type.String(), data: Type.Unknown() }),
  ruleSaved: Type.Object({
    message: Type.String({ pattern: 'Configuration (created|updated) successfully$' }),
    merchant_id: Type.String(),
    config: Type.Object({ type: Type.String(), data: Type.Record(Type.String(), Type.Unknown()) }),
  }),
  ruleGot: Type.Object({ merchant_id: Type.String(), config: Type.Object({ type: Type.String(), data: Type.Record(Type.String(), Type.Unknown()) }) }),
};

function conforms(schema: TSchema, body: unknown, what: string): void {
  const errors = [...Value.Errors(schema, body)].slice(0, 5);
  assert.equal(errors.length, 0, `${what} does not match the spec: ${JSON.stringify(errors)}\n${JSON.stringify(body)}`);
}

async function call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string; json: any }> {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: r.status, text, json };
}

const admin = { 'x-admin-secret': ADMIN_SECRET };
const demoKey = { 'x-api-key': DEMO_KEY };

/** The spec's decide-gateway example (section 2), for an engine merchant. */
const decideBody = (merchantId: string, paymentId: string, extra: Record<string, unknown> = {}, info: Record<string, unknown> = {}) => ({
  merchantId,
  eligibleGatewayList: ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA'],
  rankingAlgorithm: 'SR_BASED_ROUTING',
  eliminationEnabled: true,
  paymentInfo: {
    paymentId,
    amount: 100.5,
    currency: 'INR',
    country: 'IN',
    customerId: 'cust_1',
    udfs: ['a', null],
    preferredGateway: null,
    paymentType: 'ORDER_PAYMENT',
    metadata: '{"channel":"web"}',
    internalMetadata: null,
    isEmi: false,
    emiBank: null,
    emiTenure: null,
    paymentMethodType: 'CARD',
    paymentMethod: 'CREDIT',
    paymentSource: null,
    authType: 'THREE_DS',
    cardIssuerBankName: 'HDFC Bank',
    cardIsin: '411111',
    cardType: 'CREDIT',
    cardSwitchProvider: 'VISA',
    ...info,
  },
  ...extra,
});

describe('decision engine API', () => {
  test('health and readiness', async () => {
    const health = await call('GET', '/health');
    assert.equal(health.status, 200);
    assert.equal(health.json.message, 'Health is good');
    const ready = await call('GET', '/health/ready');
    assert.deepEqual([ready.status, ready.json], [200, { message: 'Up' }]);
  });

  test('merchant accounts: create with x-admin-secret (a key for it), get, duplicate, unknown, delete; plain-text 401s', async () => {
    assert.deepEqual(
      [(await call('POST', '/merchant-account/create', { merchant_id: 'de_shop_1' })).status, (await call('POST', '/merchant-account/create', { merchant_id: 'de_shop_1' })).text],
      [401, 'Missing authentication credentials'],
    );
    const bad = await call('POST', '/merchant-account/create', { merchant_id: 'de_shop_1' }, { 'x-admin-secret': 'wrong' });
    assert.deepEqual([bad.status, bad.text], [401, 'Invalid admin secret']);
    const created = await call('POST', '/merchant-account/create', { merchant_id: 'de_shop_1', gateway_success_rate_based_decider_input: null }, admin);
    assert.equal(created.status, 200, created.text);
    conforms(S.createMerchant, created.json, 'merchant-account/create');
    assert.equal(created.json.merchant_id, 'de_shop_1');
    assert.match(created.json.api_key, /.{16,}/);
    // The key it answers works for this engine merchant.
    const got = await call('GET', '/merchant-account/de_shop_1', undefined, { 'x-api-key': created.json.api_key });
    assert.equal(got.status, 200, got.text);
    conforms(S.getMerchant, got.json, 'merchant-account/{id}');
    const dup = await call('POST', '/merchant-account/create', { merchant_id: 'de_shop_1' }, admin);
    assert.equal(dup.status, 400);
    conforms(S.teError, dup.json, 'duplicate merchant');
    const unknown = await call('GET', '/merchant-account/de_nobody', undefined, admin);
    assert.equal(unknown.status, 404);
    conforms(S.teError, unknown.json, 'unknown merchant');
    const wrongKey = await call('GET', '/merchant-account/de_shop_1', undefined, { 'x-api-key': 'no-such-key' });
    assert.deepEqual([wrongKey.status, wrongKey.text], [401, 'Invalid API key']);
    const deleted = await call('DELETE', '/merchant-account/de_shop_1', undefined, admin);
    assert.equal(deleted.status, 200, deleted.text);
    conforms(S.deleteMerchant, deleted.json, 'delete merchant');
    assert.equal((await call('GET', '/merchant-account/de_shop_1', undefined, admin)).status, 404);
  });

  test("decide-gateway: the spec's example routed by Junction, answered in the engine's shape; the score update after it", async () => {
    // A Hyperswitch profile id mapped onto the demo merchant explicitly.
    const mapped = await call('POST', '/merchant-account/create', { merchant_id: 'pro_demo_1', junction_merchant_id: DEMO_MERCHANT }, admin);
    assert.equal(mapped.status, 200, mapped.text);
    const r = await call('POST', '/decide-gateway', decideBody('pro_demo_1', 'pay_1'), demoKey);
    assert.equal(r.status, 200, r.text);
    conforms(S.decided, r.json, 'decide-gateway');
    assert.ok(['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA'].includes(r.json.decided_gateway));
    assert.deepEqual([r.json.decided_gateway, ...r.json.fallback_gateways].sort(), ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA']);
    assert.equal(r.json.routing_dimension, 'ORDER_PAYMENT,CARD,CREDIT,VISA');
    assert.equal(r.json.is_rust_based_decider, true);

    const update = await call(
      'POST',
      '/update-gateway-score',
      { merchantId: 'pro_demo_1', gateway: r.json.decided_gateway, paymentId: 'pay_1', status: 'CHARGED', txnLatency: { gatewayLatency: 120 }, unknownKey: 1 },
      demoKey,
    );
    assert.equal(update.status, 200, update.text);
    conforms(S.scoreUpdated, update.json, 'update-gateway-score');
  });

  test('gateways Junction has no account of are still ranked (the engine names are opaque); one candidate is DEFAULT; a preference wins', async () => {
    const r = await call('POST', '/decide-gateway', decideBody('pro_demo_1', 'pay_2', { eligibleGatewayList: ['stripe', 'adyen'] }), demoKey);
    assert.equal(r.status, 200, r.text);
    conforms(S.decided, r.json, 'decide-gateway (unknown gateways)');
    assert.deepEqual([r.json.decided_gateway, ...r.json.fallback_gateways].sort(), ['adyen', 'stripe']);
    const one = await call('POST', '/decide-gateway', decideBody('pro_demo_1', 'pay_3', { eligibleGatewayList: ['stripe'] }), demoKey);
    assert.deepEqual([one.json.decided_gateway, one.json.routing_approach], ['stripe', 'DEFAULT']);
    const preferred = await call('POST', '/decide-gateway', decideBody('pro_demo_1', 'pay_4', {}, { preferredGateway: 'SIM_GAMMA' }), demoKey);
    assert.equal(preferred.status, 200, preferred.text);
    assert.deepEqual([preferred.json.decided_gateway, preferred.json.routing_approach], ['SIM_GAMMA', 'MERCHANT_PREFERENCE']);
  });

  test('feedback moves the scores: a gateway that keeps failing after its decisions drops below the others', async () => {
    for (let i = 0; i < 40; i++) {
      const d = await call('POST', '/decide-gateway', decideBody('pro_demo_1', `fb_${i}`, { eligibleGatewayList: ['acq_x', 'acq_y'] }), demoKey);
      assert.equal(d.status, 200, d.text);
      for (const gateway of ['acq_x', 'acq_y']) {
        const u = await call('POST', '/update-gateway-score', { merchantId: 'pro_demo_1', gateway, paymentId: `fb_${i}`, status: gateway === 'acq_x' ? 'AUTHORIZATION_FAILED' : 'CHARGED' }, demoKey);
        assert.equal(u.status, 200, u.text);
      }
    }
    const d = await call('POST', '/decide-gateway', decideBody('pro_demo_1', 'fb_final', { eligibleGatewayList: ['acq_x', 'acq_y'] }), demoKey);
    assert.ok(d.json.gateway_priority_map.acq_y > d.json.gateway_priority_map.acq_x, JSON.stringify(d.json.gateway_priority_map));
    assert.equal(d.json.decided_gateway, 'acq_y');
  });

  test("the legacy /update-score: the spec's txn_detail body, answered with the text Success, applied like update-gateway-score", async () => {
    const legacy = (paymentId: string, gateway: string, status: string, extra: Record<string, unknown> = {}) => ({
      txn_detail: {
        id: '1',
        txnId: `txn_${paymentId}`,
        orderId: `order_${paymentId}`,
        merchantId: 'pro_demo_1',
        status,
        type: 'ORDER_PAYMENT',
        txnUuid: paymentId,
        gateway,
        dateCreated: '2026-04-30T00:00:00.000000000Z',
        txnAmount: 1000.0,
        netAmount: 1000.0,
        currency: 'USD',
        txnObjectType: 'ORDER_PAYMENT',
        sourceObject: 'CREDIT',
        isEmi: false,
        partitionKey: null,
      },
      txn_card_info: {
        id: '1',
        txnId: `txn_${paymentId}`,
        txnDetailId: '1',
        paymentMethodType: 'CARD',
        paymentMethod: 'CREDIT',
        authType: 'THREE_DS',
        cardIsin: '411111',
        cardType: 'CREDIT',
        dateCreated: '2026-04-30T00:00:00.000000000Z',
        partitionKey: null,
      },
      log_message: 'Transaction completed',
      enforce_dynaic_routing_failure: false,
      txn_latency: { gatewayLatency: 120.5 },
      ...extra,
    });
    for (let i = 0; i < 20; i++) {
      const d = await call('POST', '/decide-gateway', decideBody('pro_demo_1', `lg_${i}`, { eligibleGatewayList: ['acq_l', 'acq_m'] }), demoKey);
      assert.equal(d.status, 200, d.text);
      const r = await call('POST', '/update-score', legacy(`lg_${i}`, 'acq_l', 'AUTHORIZATION_FAILED'), demoKey);
      assert.deepEqual([r.status, r.text], [200, 'Success']);
    }
    const d = await call('POST', '/decide-gateway', decideBody('pro_demo_1', 'lg_final', { eligibleGatewayList: ['acq_l', 'acq_m'] }), demoKey);
    assert.equal(d.json.decided_gateway, 'acq_m', d.text);
    const noKey = legacy('lg_x', 'acq_l', 'CHARGED');
    delete (noKey.txn_detail as Record<string, unknown>).partitionKey;
    const missing = await call('POST', '/update-score', noKey, demoKey);
    assert.equal(missing.status, 400);
    assert.match(missing.json.error_message, /partitionKey/);
    const badId = await call('POST', '/update-score', { ...legacy('lg_y', 'acq_l', 'CHARGED'), txn_detail: { ...legacy('lg_y', 'acq_l', 'CHARGED').txn_detail, id: 'abc' } }, demoKey);
    assert.equal(badId.status, 400);
    assert.match(badId.json.error_message, /txn_detail\.id/);
  });

  test('feedback without a matching decision changes nothing (the engine drops it)', async () => {
    const before = await call('POST', '/decide-gateway', decideBody('pro_demo_1', 'nm_0', { eligibleGatewayList: ['acq_p', 'acq_q'] }), demoKey);
    for (let i = 0; i < 30; i++) {
      const u = await call('POST', '/update-gateway-score', { merchantId: 'pro_demo_1', gateway: 'acq_p', paymentId: `never_decided_${i}`, status: 'AUTHORIZATION_FAILED' }, demoKey);
      assert.equal(u.status, 200);
    }
    const afterUpdates = await call('POST', '/decide-gateway', decideBody('pro_demo_1', 'nm_1', { eligibleGatewayList: ['acq_p', 'acq_q'] }), demoKey);
    assert.equal(afterUpdates.json.gateway_priority_map.acq_p, before.json.gateway_priority_map.acq_p);
  });

  test('errors in the engine shapes: unknown merchant, bad enum, lowercase status, missing fields, unknown dimension', async () => {
    const unknown = await call('POST', '/decide-gateway', decideBody('no_such_merchant', 'e_1'), demoKey);
    assert.equal(unknown.status, 400);
    conforms(S.deciderError, unknown.json, 'unknown merchant');
    assert.equal(unknown.json.error_info.code, 'MERCHANT_NOT_FOUND');
    const badEnum = await call('POST', '/decide-gateway', decideBody('pro_demo_1', 'e_2', { rankingAlgorithm: 'SrBasedRouting' }), demoKey);
    assert.equal(badEnum.status, 400);
    conforms(S.deciderError, badEnum.json, 'bad enum');
    assert.equal(badEnum.json.error_info.code, 'INVALID_INPUT');
    assert.match(badEnum.json.error_message, /rankingAlgorithm/);
    const missing = await call(
      'POST',
      '/decide-gateway',
      { merchantId: 'pro_demo_1', paymentInfo: { paymentId: 'e_3', amount: 10, currency: 'INR', paymentMethodType: 'CARD', paymentMethod: 'CREDIT' } },
      demoKey,
    );
    assert.equal(missing.status, 400);
    assert.match(missing.json.error_message, /paymentInfo\.paymentType/);
    const lower = await call('POST', '/update-gateway-score', { merchantId: 'pro_demo_1', gateway: 'SIM_ALPHA', paymentId: 'pay_1', status: 'charged' }, demoKey);
    assert.equal(lower.status, 400);
    conforms(S.deciderError, lower.json, 'lowercase status');
    assert.match(lower.json.error_message, /status/);
    const dims = await call('POST', '/config-sr-dimension', { merchant_id: 'pro_demo_1', paymentInfo: { udfs: [1], fields: ['currency', 'shoe_size'] } }, demoKey);
    assert.equal(dims.status, 400);
    conforms(S.teError, dims.json, 'unknown dimension');
    assert.match(dims.json.message, /shoe_size/);
    const ntw = await call('POST', '/decide-gateway', decideBody('pro_demo_1', 'e_4', { rankingAlgorithm: 'NTW_BASED_ROUTING' }), demoKey);
    assert.deepEqual([ntw.status, ntw.json.error_code], [400, 'debit_routing_not_enabled']);
  });

  test('rule configuration: the engine defaults, get, update, delete; elimination demotes a gateway below the threshold', async () => {
    const created = await call('POST', '/rule/create', { merchant_id: 'pro_demo_1', config: { type: 'successRate', data: { defaultHedgingPercent: 2 } } }, demoKey);
    assert.equal(created.status, 200, created.text);
    conforms(S.ruleSaved, created.json, 'rule/create');
    assert.deepEqual([created.json.config.data.defaultBucketSize, created.json.config.data.defaultHedgingPercent, created.json.config.data.defaultLowerResetFactor], [125, 2, 3]);
    assert.equal((await call('POST', '/rule/create', { merchant_id: 'pro_demo_1', config: { type: 'successRate', data: {} } }, demoKey)).status, 400);
    const got = await call('POST', '/rule/get', { merchant_id: 'pro_demo_1', algorithm: 'successRate' }, demoKey);
    conforms(S.ruleGot, got.json, 'rule/get');
    assert.equal((await call('POST', '/rule/get', { merchant_id: 'pro_demo_1', algorithm: 'elimination' }, demoKey)).status, 404);
    const missingThreshold = await call('POST', '/rule/create', { merchant_id: 'pro_demo_1', config: { type: 'elimination', data: {} } }, demoKey);
    assert.equal(missingThreshold.status, 400);
    conforms(S.teError, missingThreshold.json, 'elimination without threshold');
    const elim = await call('POST', '/rule/create', { merchant_id: 'pro_demo_1', config: { type: 'elimination', data: { threshold: 0.5 } } }, demoKey);
    assert.equal(elim.status, 200, elim.text);
    // acq_x has failed 40 times in the feedback test: below 0.5, it is demoted, not removed.
    const d = await call('POST', '/decide-gateway', decideBody('pro_demo_1', 'el_1', { eligibleGatewayList: ['acq_x', 'acq_y'] }), demoKey);
    assert.equal(d.status, 200, d.text);
    assert.equal(d.json.decided_gateway, 'acq_y');
    assert.deepEqual(d.json.fallback_gateways, ['acq_x']);
    assert.equal(d.json.routing_approach, 'SR_V3_DOWNTIME_ROUTING');
    const updated = await call('POST', '/rule/update', { merchant_id: 'pro_demo_1', config: { type: 'elimination', data: { threshold: 0.1 } } }, demoKey);
    conforms(S.ruleSaved, updated.json, 'rule/update');
    const deleted = await call('POST', '/rule/delete', { merchant_id: 'pro_demo_1', algorithm: 'elimination' }, demoKey);
    assert.equal(deleted.status, 200, deleted.text);
    const sr = await call('POST', '/config-sr-dimension', { merchant_id: 'pro_demo_1', paymentInfo: { udfs: [1, 2], fields: ['currency', 'card_network'] } }, demoKey);
    assert.deepEqual([sr.status, sr.json], [200, 'SR Dimension configuration updated successfully']);
    const srGot = await call('GET', '/config-sr-dimension/pro_demo_1', undefined, demoKey);
    assert.deepEqual(srGot.json.paymentInfo, { udfs: [1, 2], fields: ['currency', 'card_network'] });
  });

  test('network (debit) routing: NTW_BASED_ROUTING ranks the co-badged networks by fee, NTW_SR_HYBRID_ROUTING adds them to the success-rate decision', async () => {
    // The engine's example (docs/api-refs/decide-gateway-debit-routing.mdx), USD 1000 on a non-regulated co-badged debit card.
    const metadata = JSON.stringify({
      merchant_category_code: 'merchant_category_code_0001',
      acquirer_country: 'US',
      co_badged_card_data: { co_badged_card_networks: ['VISA', 'NYCE', 'PULSE', 'STAR'], issuer_country: 'US', is_regulated: false, regulated_name: null, card_type: 'debit' },
    });
    const ntwBody = (paymentId: string, ranking: string, meta = metadata) =>
      decideBody(
        'pro_demo_1',
        paymentId,
        { rankingAlgorithm: ranking, eligibleGatewayList: ['SIM_ALPHA', 'SIM_BETA'] },
        { amount: 1000, currency: 'USD', paymentMethod: 'DEBIT', cardType: 'DEBIT', metadata: meta },
      );
    assert.equal((await call('POST', '/decide-gateway', ntwBody('n_0', 'NTW_BASED_ROUTING'), demoKey)).json.error_info.code, 'TE_05', 'the flag is off');
    const flag = await call('POST', '/merchant-account/pro_demo_1/debit-routing', { enabled: true }, demoKey);
    assert.deepEqual(flag.json, { merchant_id: 'pro_demo_1', debit_routing_enabled: true });
    try {
      const ntw = await call('POST', '/decide-gateway', ntwBody('n_1', 'NTW_BASED_ROUTING'), demoKey);
      assert.equal(ntw.status, 200, ntw.text);
      conforms(S.decided, ntw.json, 'NTW decide');
      conforms(S.debitRouting, ntw.json.debit_routing_output, 'debit_routing_output');
      assert.deepEqual([ntw.json.routing_approach, ntw.json.decided_gateway, ntw.json.gateway_priority_map], ['NTW_BASED_ROUTING', 'SIM_ALPHA', null]);
      assert.deepEqual(
        ntw.json.debit_routing_output.co_badged_card_networks_info.map((n: { network: string }) => n.network),
        ['STAR', 'VISA', 'PULSE', 'NYCE'],
      );
      assert.equal(ntw.json.debit_routing_output.co_badged_card_networks_info[0].saving_percentage, 0.11);

      const hybrid = await call('POST', '/decide-gateway', ntwBody('n_2', 'NTW_SR_HYBRID_ROUTING'), demoKey);
      assert.equal(hybrid.status, 200, hybrid.text);
      conforms(S.decided, hybrid.json, 'hybrid decide');
      assert.match(hybrid.json.routing_approach, /^SR_/);
      assert.ok(['SIM_ALPHA', 'SIM_BETA'].includes(hybrid.json.decided_gateway));
      assert.deepEqual(hybrid.json.debit_routing_output, ntw.json.debit_routing_output);

      // Without co_badged_card_data: NTW is the engine's CO_BADGED_NETWORK_NOT_FOUND; hybrid keeps its SR decision.
      const none = await call('POST', '/decide-gateway', ntwBody('n_3', 'NTW_BASED_ROUTING', '{"channel":"web"}'), demoKey);
      assert.equal(none.status, 400);
      conforms(S.deciderError, none.json, 'no co-badged data');
      assert.deepEqual([none.json.error_code, none.json.error_info.code], ['invalid_request_error', 'CO_BADGED_NETWORK_NOT_FOUND']);
      const hybridNone = await call('POST', '/decide-gateway', ntwBody('n_4', 'NTW_SR_HYBRID_ROUTING', '{"channel":"web"}'), demoKey);
      assert.equal(hybridNone.status, 200, hybridNone.text);
      assert.equal(hybridNone.json.debit_routing_output, null);
    } finally {
      await call('POST', '/merchant-account/pro_demo_1/debit-routing', { enabled: false }, demoKey);
    }
  });

  test('hierarchy: /admin/hierarchy/sync makes each Hyperswitch profile an engine merchant with its ancestry; reconcile reports linked, unlinked and stranded scopes', async () => {
    const tree = {
      orgs: [
        {
          org_id: 'org_h1',
          org_name: 'Org One',
          merchants: [
            { merchant_id: 'hs_m1', merchant_name: 'Shop', profiles: [{ profile_id: 'pro_h1', profile_name: 'Web' }, { profile_id: 'pro_h2' }] },
            { merchant_id: 'hs_m2', junction_merchant_id: DEMO_MERCHANT, profiles: [{ profile_id: 'pro_h3' }] },
          ],
        },
      ],
    };
    assert.equal((await call('POST', '/admin/hierarchy/sync', tree, demoKey)).status, 401, 'operator only');
    const bad = await call('POST', '/admin/hierarchy/sync', { orgs: [{ org_id: 'org_h1', merchants: [{ merchant_id: 'hs_m1', profiles: [{}] }] }] }, admin);
    assert.equal(bad.status, 400);
    conforms(S.teError, bad.json, 'bad tree');
    assert.match(bad.json.message, /orgs\[0\]\.merchants\[0\]\.profiles\[0\]\.profile_id/);
    // An engine merchant named like the HS merchant: stranded (the scope is the profile, not the merchant).
    assert.equal((await call('POST', '/merchant-account/create', { merchant_id: 'hs_m1', junction_merchant_id: DEMO_MERCHANT }, admin)).status, 200);

    const first = await call('POST', '/admin/hierarchy/sync', tree, admin);
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.json, { orgs_seen: 1, merchants_seen: 2, profiles_created: 3, profiles_updated: 0, profiles_unchanged: 0, stranded: ['hs_m1'] });
    const got = await call('GET', '/merchant-account/pro_h1', undefined, admin);
    conforms(S.getMerchant, got.json, 'merchant account with hierarchy');
    assert.deepEqual(
      { ...got.json.hierarchy, synced_at: 'x' },
      { v: 1, hs_org_id: 'org_h1', hs_org_name: 'Org One', hs_merchant_id: 'hs_m1', hs_merchant_name: 'Shop', profile_name: 'Web', synced_at: 'x' },
    );
    // pro_h3 is the demo merchant's routing scope: the demo key acts for it; pro_h1 is a merchant of its own.
    assert.equal((await call('GET', '/merchant-account/pro_h3', undefined, demoKey)).status, 200);
    assert.equal((await call('GET', '/merchant-account/pro_h1', undefined, demoKey)).status, 404);

    const again = await call('POST', '/admin/hierarchy/sync', { ...tree, report_stranded: false }, admin);
    assert.deepEqual([again.json.profiles_created, again.json.profiles_updated, again.json.profiles_unchanged, again.json.stranded], [0, 0, 3, []]);
    const renamed = structuredClone(tree);
    renamed.orgs[0]!.org_name = 'Org One Ltd';
    assert.deepEqual((await call('POST', '/admin/hierarchy/sync', renamed, admin)).json.profiles_updated, 3);

    const withNew = structuredClone(tree);
    withNew.orgs[0]!.merchants[0]!.profiles.push({ profile_id: 'pro_h4' });
    const reconciled = await call('POST', '/admin/hierarchy/reconcile', { ...withNew, include_all_scopes: true }, admin);
    assert.equal(reconciled.status, 200, reconciled.text);
    assert.deepEqual(reconciled.json.missing_in_de, ['pro_h4']);
    assert.equal(reconciled.json.linked, 3);
    assert.equal(reconciled.json.stranded, 1);
    assert.ok(reconciled.json.unlinked >= 1, 'pro_demo_1 is not in the tree');
    assert.deepEqual(
      reconciled.json.scopes.find((x: any) => x.scope_id === 'pro_h2'),
      { scope_id: 'pro_h2', classification: 'linked', hs_merchant_id: 'hs_m1', hs_org_id: 'org_h1', has_ancestry: true },
    );
    assert.equal((await call('GET', '/merchant-account/pro_h4', undefined, admin)).status, 404, 'reconcile writes nothing');
  });

  test("tenancy: another merchant's key cannot act for this engine merchant (as if it did not exist); a dashboard user's Bearer token can for its own", async () => {
    const other = await createSecondMerchant(j);
    const asOther = { 'x-api-key': other.apiKey };
    const d = await call('POST', '/decide-gateway', decideBody('pro_demo_1', 'x_1'), asOther);
    assert.equal(d.status, 400);
    assert.equal(d.json.error_info.code, 'MERCHANT_NOT_FOUND');
    const u = await call('POST', '/update-gateway-score', { merchantId: 'pro_demo_1', gateway: 'SIM_ALPHA', paymentId: 'pay_1', status: 'AUTHORIZATION_FAILED' }, asOther);
    assert.equal(u.json.error_info.code, 'MERCHANT_NOT_FOUND');
    assert.equal((await call('POST', '/rule/get', { merchant_id: 'pro_demo_1', algorithm: 'successRate' }, asOther)).status, 404);
    assert.equal((await call('DELETE', '/merchant-account/pro_demo_1', undefined, asOther)).status, 404);
    assert.equal((await call('GET', '/merchant-account/pro_demo_1', undefined, demoKey)).status, 200);
    // Only the operator creates merchant accounts.
    assert.equal((await call('POST', '/merchant-account/create', { merchant_id: 'pro_other' }, asOther)).status, 401);
    const bearer = await call('POST', '/decide-gateway', decideBody('pro_demo_1', 'b_1'), { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` });
    assert.equal(bearer.status, 200, bearer.text);
  });
});

describe('decision engine routing rules (Euclid) as Priority Logics', () => {
  const c = (name: string) => ({ gateway_name: name, gateway_id: null });
  const ADVANCED = {
    type: 'advanced',
    data: {
      globals: {},
      default_selection: { priority: [c('sim_alpha'), c('sim_beta')] },
      metadata: {},
      rules: [
        {
          name: 'visa_big',
          routing_type: 'priority',
          output: [c('sim_gamma'), c('sim_alpha')],
          statements: [
            {
              condition: [
                { lhs: 'card_network', comparison: 'equal', value: { type: 'enum_variant', value: 'Visa' }, metadata: {} },
                { lhs: 'amount', comparison: 'greater_than', value: { type: 'number', value: 50000 }, metadata: {} },
              ],
              nested: null,
            },
          ],
        },
        {
          name: 'upi_split',
          routing_type: 'volume_split',
          output: [
            { split: 70, output: c('sim_beta') },
            { split: 30, output: c('sim_gamma') },
          ],
          statements: [{ condition: [{ lhs: 'payment_method', comparison: 'equal', value: { type: 'enum_variant', value: 'upi' }, metadata: {} }], nested: null }],
        },
      ],
    },
  };
  const S_CREATED = Type.Object({ rule_id: Type.String(), name: Type.String(), algorithm_for: Type.String(), created_at: Type.String(), modified_at: Type.String() });
  const S_LISTED = Type.Array(
    Type.Object({
      id: Type.String(),
      created_by: Type.String(),
      name: Type.String(),
      description: Nullable(Type.String()),
      algorithm_data: Type.Unknown(),
      algorithm_for: Type.String(),
      created_at: Type.String(),
      modified_at: Type.String(),
    }),
  );
  const connector = Type.Object({ gateway_name: Type.String(), gateway_id: Nullable(Type.String()) });
  const S_EVALUATED = Type.Object({
    payment_id: Nullable(Type.String()),
    status: Type.Union([Type.Literal('success'), Type.Literal('default_selection')]),
    output: Type.Union([
      Type.Object({ type: Type.Literal('straight_through'), connector }),
      Type.Object({ type: Type.Literal('priority'), connectors: Type.Array(connector) }),
      Type.Object({ type: Type.Literal('volume_split'), splits: Type.Array(Type.Object({ connector, split: Type.Number() })) }),
      Type.Object({ type: Type.Literal('volume_split_priority'), splits: Type.Array(Type.Object({ connectors: Type.Array(connector), split: Type.Number() })) }),
    ]),
    evaluated_output: Type.Array(connector),
    eligible_connectors: Type.Array(connector),
  });

  test('create each kind: a Priority Logic of the matching kind, visible through our own API; listed with its algorithm', async () => {
    const kinds: Array<[string, unknown, string]> = [
      ['single', { type: 'single', data: c('sim_alpha') }, 'DEFAULT'],
      ['priority', { type: 'priority', data: [c('sim_beta'), c('sim_alpha')] }, 'DEFAULT'],
      [
        'volume',
        {
          type: 'volume_split',
          data: [
            { split: 60, output: c('sim_alpha') },
            { split: 40, output: c('sim_beta') },
          ],
        },
        'VOLUME',
      ],
      ['advanced', ADVANCED, 'RULES'],
    ];
    for (const [name, algorithm, kind] of kinds) {
      const r = await call('POST', '/routing/create', { rule_id: `hs_${name}`, name: `Engine ${name}`, created_by: 'pro_demo_1', algorithm_for: 'payment', algorithm }, demoKey);
      assert.equal(r.status, 200, r.text);
      conforms(S_CREATED, r.json, `routing/create ${name}`);
      assert.equal(r.json.rule_id, `hs_${name}`);
      const logics = (await call('GET', `/v1/priority-logics?search=${encodeURIComponent(`Engine ${name}`)}`, undefined, { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` })).json.logics;
      assert.equal(logics.length, 1, `Engine ${name}`);
      assert.equal(logics[0].kind, kind);
    }
    const listed = await call('POST', '/routing/list/pro_demo_1', {}, demoKey);
    assert.equal(listed.status, 200, listed.text);
    conforms(S_LISTED, listed.json, 'routing/list');
    assert.deepEqual(listed.json.find((r: any) => r.id === 'hs_advanced').algorithm_data, ADVANCED);
    const dup = await call('POST', '/routing/create', { rule_id: 'hs_single', name: 'Another', created_by: 'pro_demo_1', algorithm: { type: 'single', data: c('sim_alpha') } }, demoKey);
    assert.equal(dup.status, 400);
    conforms(S.teError, dup.json, 'duplicate rule id');
    const unknownGateway = await call('POST', '/routing/create', { name: 'Worldpay', created_by: 'pro_demo_1', algorithm: { type: 'single', data: c('worldpay') } }, demoKey);
    assert.equal(unknownGateway.status, 400);
    assert.match(unknownGateway.json.message, /worldpay/);
    const unknownKey = await call(
      'POST',
      '/routing/create',
      {
        name: 'Bad key',
        created_by: 'pro_demo_1',
        algorithm: {
          ...ADVANCED,
          data: {
            ...ADVANCED.data,
            rules: [{ ...ADVANCED.data.rules[0], statements: [{ condition: [{ lhs: 'shoe_size', comparison: 'equal', value: { type: 'number', value: 1 } }], nested: null }] }],
          },
        },
      },
      demoKey,
    );
    assert.equal(unknownKey.status, 400);
    assert.match(unknownKey.json.message, /shoe_size/);
  });

  test('activate, evaluate (a matched rule, a split, the default with fallback_output), and decide-gateway follows the rule', async () => {
    const activated = await call('POST', '/routing/activate', { created_by: 'pro_demo_1', routing_algorithm_id: 'hs_advanced' }, demoKey);
    assert.deepEqual([activated.status, activated.text], [200, '']);
    const active = await call('POST', '/routing/list/active/pro_demo_1', {}, demoKey);
    assert.deepEqual(
      active.json.map((r: any) => r.id),
      ['hs_advanced'],
    );
    const routing = (await call('GET', '/v1/priority-logics/routing', undefined, { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` })).json;
    const logic = (await call('GET', `/v1/priority-logics/${routing.active_logic_id}`, undefined, { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` })).json;
    assert.equal(logic.name, 'Engine advanced');

    const visa = await call(
      'POST',
      '/routing/evaluate',
      {
        created_by: 'pro_demo_1',
        payment_id: 'ev_1',
        parameters: {
          payment_method: { type: 'enum_variant', value: 'card' },
          card_network: { type: 'enum_variant', value: 'Visa' },
          amount: { type: 'number', value: 100000 },
          currency: { type: 'enum_variant', value: 'INR' },
        },
      },
      demoKey,
    );
    assert.equal(visa.status, 200, visa.text);
    conforms(S_EVALUATED, visa.json, 'routing/evaluate');
    assert.deepEqual([visa.json.status, visa.json.output.type, visa.json.evaluated_output.map((x: any) => x.gateway_name)], ['success', 'priority', ['sim_gamma', 'sim_alpha']]);
    const upi = await call(
      'POST',
      '/routing/evaluate',
      { created_by: 'pro_demo_1', parameters: { payment_method: { type: 'enum_variant', value: 'upi' }, amount: { type: 'number', value: 1000 } } },
      demoKey,
    );
    assert.equal(upi.status, 200, upi.text);
    assert.deepEqual([upi.json.output.type, upi.json.output.splits.map((s: any) => s.split)], ['volume_split', [70, 30]]);
    const none = await call(
      'POST',
      '/routing/evaluate',
      {
        created_by: 'pro_demo_1',
        fallback_output: [c('sim_delta')],
        parameters: { payment_method: { type: 'enum_variant', value: 'card' }, card_network: { type: 'enum_variant', value: 'Mastercard' }, amount: { type: 'number', value: 100 } },
      },
      demoKey,
    );
    assert.equal(none.status, 200, none.text);
    assert.deepEqual([none.json.status, none.json.evaluated_output], ['default_selection', [c('sim_delta')]]);
    const badKey = await call('POST', '/routing/evaluate', { created_by: 'pro_demo_1', parameters: { shoe_size: { type: 'number', value: 42 } } }, demoKey);
    assert.equal(badKey.status, 400);
    conforms(S.teError, badKey.json, 'unknown routing key');
    const badEnum = await call('POST', '/routing/evaluate', { created_by: 'pro_demo_1', parameters: { card_network: { type: 'enum_variant', value: 'Dogecard' } } }, demoKey);
    assert.equal(badEnum.status, 400);

    // decide-gateway with PL_BASED_ROUTING: the active rule's order.
    const d = await call(
      'POST',
      '/decide-gateway',
      decideBody('pro_demo_1', 'pl_1', { rankingAlgorithm: 'PL_BASED_ROUTING', eligibleGatewayList: ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA'] }, { amount: 1000, cardSwitchProvider: 'VISA' }),
      demoKey,
    );
    assert.equal(d.status, 200, d.text);
    assert.deepEqual([d.json.decided_gateway, d.json.routing_approach, d.json.priority_logic_tag], ['SIM_GAMMA', 'PRIORITY_LOGIC', 'Engine advanced']);
  });

  test('/routing/hybrid: the active rule and a decision over its list; /decision_gateway: the legacy payload decided the same way', async () => {
    const visaParameters = {
      payment_method: { type: 'enum_variant', value: 'card' },
      card_network: { type: 'enum_variant', value: 'Visa' },
      amount: { type: 'number', value: 100000 },
      currency: { type: 'enum_variant', value: 'INR' },
    };
    const dynamic = decideBody('pro_demo_1', 'hy_1', { rankingAlgorithm: 'PL_BASED_ROUTING', eligibleGatewayList: [] }, { amount: 1000, cardSwitchProvider: 'VISA' });
    const hybrid = await call(
      'POST',
      '/routing/hybrid',
      { static_routing_request: { created_by: 'pro_demo_1', payment_id: 'hy_1', parameters: visaParameters }, dynamic_routing_request: dynamic },
      demoKey,
    );
    assert.equal(hybrid.status, 200, hybrid.text);
    conforms(S_EVALUATED, hybrid.json.static_routing, 'hybrid static_routing');
    conforms(S.decided, hybrid.json.dynamic_routing.decision, 'hybrid decision');
    assert.equal(hybrid.json.dynamic_routing.status, 'success');
    // No candidates in the decide body: the rule's evaluated list (sim_gamma, sim_alpha) became them.
    assert.deepEqual([hybrid.json.dynamic_routing.decision.decided_gateway, hybrid.json.dynamic_routing.decision.fallback_gateways], ['sim_gamma', ['sim_alpha']]);
    assert.deepEqual(hybrid.json.evaluated_connectors, [{ gateway_name: 'sim_gamma', gateway_id: null }]);

    const staticOnly = await call('POST', '/routing/hybrid', { static_routing_request: { created_by: 'pro_demo_1', parameters: visaParameters } }, demoKey);
    assert.deepEqual(
      staticOnly.json.evaluated_connectors.map((x: any) => x.gateway_name),
      ['sim_gamma', 'sim_alpha'],
    );
    assert.equal(staticOnly.json.dynamic_routing, undefined);
    // The decision fails (an unknown merchant) but the rule's list stands: the engine's graceful degradation.
    const degraded = await call(
      'POST',
      '/routing/hybrid',
      { static_routing_request: { created_by: 'pro_demo_1', parameters: visaParameters }, dynamic_routing_request: { ...dynamic, merchantId: 'pro_nobody' } },
      demoKey,
    );
    assert.equal(degraded.status, 200, degraded.text);
    assert.deepEqual([degraded.json.dynamic_routing.status, degraded.json.dynamic_routing.decision, degraded.json.evaluated_connectors.length], ['fallback', null, 2]);
    const empty = await call('POST', '/routing/hybrid', {}, demoKey);
    assert.equal(empty.status, 400);
    conforms(S.teError, empty.json, 'empty hybrid');

    // The legacy decider payload (docs/api-refs/decision-gateway-legacy.mdx), for the same merchant.
    const legacy = {
      orderReference: {
        id: 1,
        orderId: 'order_001',
        amount: 1000.0,
        currency: 'INR',
        dateCreated: '2026-03-31T00:00:00.000000000Z',
        merchantId: 'pro_demo_1',
        status: 'NEW',
        orderType: 'ORDER_PAYMENT',
        udfs: [],
        customerId: 'cust_123',
        preferredGateway: null,
        metadata: null,
      },
      orderMetadata: { id: 1, dateCreated: '2026-03-31T00:00:00.000000000Z', lastUpdated: '2026-03-31T00:00:00.000000000Z', orderReferenceId: 1, partitionKey: null },
      txnDetail: {
        id: 1,
        dateCreated: '2026-03-31T00:00:00.000000000Z',
        orderId: 'order_001',
        status: 'PENDING_VBV',
        txnId: 'txn_001',
        merchantId: 'pro_demo_1',
        txnUuid: 'pay_legacy_1',
        currency: 'INR',
        txnAmount: 1000.0,
        txnObjectType: 'ORDER_PAYMENT',
        txnType: 'ORDER_PAYMENT',
        gateway: 'SIM_ALPHA',
        partitionKey: null,
      },
      txnCardInfo: {
        id: 1,
        txnId: 'txn_001',
        txnDetailId: 1,
        dateCreated: '2026-03-31T00:00:00.000000000Z',
        paymentMethodType: 'CARD',
        paymentMethod: 'CREDIT',
        authType: 'THREE_DS',
        cardIsin: '411111',
        cardType: 'CREDIT',
        cardSwitchProvider: 'VISA',
        partitionKey: null,
      },
      merchantAccount: { id: 1, merchantId: 'pro_demo_1', gatewayPriorityLogic: '', useCodeForGatewayPriority: true, gatewaySuccessRateBasedDeciderInput: '{}' },
      enforceGatewayList: ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA'],
      priorityLogicScript: null,
      priorityLogicOutput: null,
    };
    const decided = await call('POST', '/decision_gateway', legacy, demoKey);
    assert.equal(decided.status, 200, decided.text);
    conforms(
      Type.Object({ decided_gateway: S.decided, filter_list: Type.Array(Type.Tuple([Type.String(), Type.Array(Type.String())])), latency: Nullable(Type.Number()) }, { additionalProperties: false }),
      decided.json,
      '/decision_gateway',
    );
    assert.ok(['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA'].includes(decided.json.decided_gateway.decided_gateway));
    const { partitionKey: _dropped, ...noPartitionKey } = legacy.txnDetail;
    const missing = await call('POST', '/decision_gateway', { ...legacy, txnDetail: noPartitionKey }, demoKey);
    assert.equal(missing.status, 400);
    conforms(S.deciderError, missing.json, 'legacy without partitionKey');
    assert.match(missing.json.error_message, /txnDetail\.partitionKey/);
    const modern = await call('POST', '/decision_gateway', decideBody('pro_demo_1', 'lg_2'), demoKey);
    assert.equal(modern.status, 400, 'a /decide-gateway body is refused here, as the engine does');
    const other = await createSecondMerchant(j);
    assert.equal((await call('POST', '/decision_gateway', legacy, { 'x-api-key': other.apiKey })).json.error_info.code, 'MERCHANT_NOT_FOUND');
  });

  test('update makes a new version released in place (history kept); delete is refused while live; another merchant sees none of it', async () => {
    const updated = await call(
      'POST',
      '/routing/update',
      { rule_id: 'hs_advanced', created_by: 'pro_demo_1', name: 'Engine advanced v2', algorithm: { type: 'priority', data: [c('sim_beta')] } },
      demoKey,
    );
    assert.equal(updated.status, 200, updated.text);
    const routing = (await call('GET', '/v1/priority-logics/routing', undefined, { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` })).json;
    const logic = (await call('GET', `/v1/priority-logics/${routing.active_logic_id}`, undefined, { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` })).json;
    assert.deepEqual([logic.name, logic.kind, logic.version], ['Engine advanced v2', 'DEFAULT', 2]);
    const refused = await call('POST', '/routing/delete', { created_by: 'pro_demo_1', rule_id: 'hs_advanced' }, demoKey);
    assert.equal(refused.status, 400);
    conforms(S.teError, refused.json, 'delete while live');
    const deleted = await call('POST', '/routing/delete', { created_by: 'pro_demo_1', rule_id: 'hs_single' }, demoKey);
    assert.equal(deleted.status, 200, deleted.text);
    const other = await createSecondMerchant(j);
    const asOther = { 'x-api-key': other.apiKey };
    assert.equal((await call('POST', '/routing/list/pro_demo_1', {}, asOther)).status, 404);
    assert.equal((await call('POST', '/routing/activate', { created_by: 'pro_demo_1', routing_algorithm_id: 'hs_priority' }, asOther)).status, 404);
    await call('POST', '/routing/deactivate', { created_by: 'pro_demo_1', routing_algorithm_id: 'hs_advanced' }, demoKey);
  });
});
