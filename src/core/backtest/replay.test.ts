import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogicDefinition } from '../../routing/index.ts';
import type { LoggedDecisionFacts, StoredPayment } from '../ports/backtest-store.ts';
import { loggedPropensities, routingPaymentOf, segmentOf } from './replay.ts';

const facts = (over: Partial<LoggedDecisionFacts>): LoggedDecisionFacts => ({
  logicId: 'pl_1',
  role: 'PRIMARY',
  evaluationStatus: 'VOLUME_SPLIT',
  matchedRuleIndex: null,
  firstProduced: 'A',
  decidedGateway: 'A',
  ...over,
});

const volume: LogicDefinition = {
  kind: 'VOLUME',
  name: 'v',
  enforce: false,
  defaultGateways: [{ gateway: 'A' }],
  splits: [
    { gateway: 'A', weight: 60 },
    { gateway: 'B', weight: 30 },
    { gateway: 'C', weight: 10 },
  ],
};

const rules: LogicDefinition = {
  kind: 'RULES',
  name: 'r',
  enforce: false,
  defaultGateways: [{ gateway: 'A' }],
  rules: [
    { name: 'fixed', condition: { dimension: 'payment_method_type', operator: 'equal', value: 'UPI' }, output: { type: 'PRIORITY', gateways: [{ gateway: 'C' }] } },
    {
      name: 'split',
      condition: { all: [] },
      output: {
        type: 'VOLUME_SPLIT_PRIORITY',
        splits: [
          { gateways: [{ gateway: 'A' }, { gateway: 'C' }], weight: 70 },
          { gateways: [{ gateway: 'B' }], weight: 30 },
        ],
      },
    },
  ],
};

describe('logged propensities', () => {
  it("a volume split's weights are the chances of the gateway used and of the draft's", () => {
    assert.deepEqual(loggedPropensities(facts({}), volume, 'A', 'B'), { propensity: 0.6, draftPropensity: 0.3 });
    assert.deepEqual(loggedPropensities(facts({ firstProduced: 'C' }), volume, 'C', 'D'), { propensity: 0.1, draftPropensity: 0 });
    assert.deepEqual(loggedPropensities(facts({}), volume, 'A', null), { propensity: 0.6, draftPropensity: 0 });
  });

  it("a rule whose output is a split: that rule's weights", () => {
    const d = facts({ evaluationStatus: 'RULE_MATCHED', matchedRuleIndex: 1, firstProduced: 'B' });
    assert.deepEqual(loggedPropensities(d, rules, 'B', 'A'), { propensity: 0.3, draftPropensity: 0.7 });
    // A rule with a fixed priority list was not randomised.
    assert.deepEqual(loggedPropensities({ ...d, matchedRuleIndex: 0, firstProduced: 'C' }, rules, 'C', 'A'), { propensity: null, draftPropensity: null });
  });

  it('unknown when the pick was not the gateway used, the logic failed, or the logic is not known', () => {
    const none = { propensity: null, draftPropensity: null };
    assert.deepEqual(loggedPropensities(facts({ firstProduced: 'B' }), volume, 'A', 'B'), none, 'eligibility or ranking changed the pick');
    assert.deepEqual(loggedPropensities(facts({ role: 'DEFAULT_GATEWAYS' }), volume, 'A', 'B'), none);
    assert.deepEqual(loggedPropensities(facts({}), null, 'A', 'B'), none);
    assert.deepEqual(loggedPropensities(facts({ evaluationStatus: 'DEFAULT_ORDER' }), volume, 'A', 'B'), none);
  });
});

describe('a stored payment as the engine reads it', () => {
  const stored: StoredPayment = {
    id: 'txn_1',
    createdAtMs: Date.parse('2026-12-01T10:00:00Z'),
    cursorAt: '2026-12-01 10:00:00.123456+00',
    status: 'CHARGED',
    amount: 12_345,
    currency: 'INR',
    paymentMethodType: 'CARD',
    paymentMethod: 'VISA',
    authType: 'THREE_DS',
    gateway: 'SIM_ALPHA',
    gatewayAccountId: 'gwa_1',
    card: { bin: '411111', extendedBin: '41111111', brand: 'VISA', type: 'CREDIT', subType: null, issuer: 'HDFC Bank', issuerCountry: 'IN', savedToLocker: true },
    upi: null,
    wallet: null,
    bank: null,
    decision: facts({}),
    orderId: 'ord_1',
    customerId: 'cust_1',
    productId: null,
    description: 'shoes',
    udf: { udf1: 'web' },
    metadata: { 'JUSPAY:gateway_reference_id': 'ref_9' },
    billingCountry: 'IN',
    shippingCountry: null,
    orderGatewayId: 902,
  };

  it('carries the card, the order facts, the preferred gateway and the time of the payment', () => {
    const p = routingPaymentOf('m1', stored, []);
    assert.equal(p.merchantId, 'm1');
    assert.equal(p.orderId, 'ord_1');
    assert.equal(p.amount, 12_345);
    assert.deepEqual(p.card, { bin: '411111', extendedBin: '41111111', brand: 'VISA', type: 'CREDIT', subType: null, issuer: 'HDFC Bank', issuerCountry: 'IN' });
    assert.equal(p.isDomestic, true);
    assert.equal(p.preferredGateway, 'SIM_BETA');
    assert.equal(p.preferredReferenceId, 'ref_9');
    assert.deepEqual(p.udf, { udf1: 'web' });
    assert.equal(p.nowMillis, stored.createdAtMs);
    assert.equal(p.addToLocker, true);
    assert.equal(p.dryRun, true);
    assert.equal(segmentOf(stored), 'CARD|VISA');
    assert.equal(segmentOf({ paymentMethodType: 'UPI', paymentMethod: '' }), 'UPI|-');
  });
});
