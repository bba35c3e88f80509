import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoutingEngine, inStaggeredShare, type LogicSlot } from './decide.ts';
import { account, fakeCodeEvaluator, payment, upiPayment } from './testing/fixtures.ts';
import type { LogicDefinition } from './types.ts';

const engine = createRoutingEngine({ codeEvaluator: fakeCodeEvaluator });
const gw = (...names: string[]) => names.map((gateway) => ({ gateway }));
const slot = (logic: LogicDefinition, id = 'pl_a', version = 1): LogicSlot => ({ id, name: logic.name, version, compiled: engine.compile(logic) });
const def = (name: string, gateways: string[], enforce = false): LogicDefinition => ({ kind: 'DEFAULT', name, enforce, defaultGateways: gw(...gateways) });
const code = (name: string, source: string, defaults = ['PAYU'], enforce = false): LogicDefinition => ({ kind: 'CODE', name, enforce, defaultGateways: gw(...defaults), code: source });
const names = (d: { finalGateways: { gateway: string }[] }) => d.finalGateways.map((g) => g.gateway);

describe('decide', () => {
  it('records a successful primary decision', () => {
    const d = engine.decide({ payment: payment(), active: slot(code('issuer', 'issuer-split', ['RAZORPAY'])) });
    assert.deepEqual(d.logic, { id: 'pl_a', name: 'issuer', version: 1, kind: 'CODE', role: 'PRIMARY' });
    assert.deepEqual(d.primary, { name: 'issuer', status: 'SUCCESS', failure_reason: 'NO_ERROR' });
    assert.equal(d.evaluationStatus, 'CODE_EVALUATED');
    assert.deepEqual(names(d), ['ICICI', 'HDFC', 'RAZORPAY']);
    assert.equal(d.failureReason, undefined);
  });
  it('drops ineligible gateways with a reason each', () => {
    const p = payment({
      currency: 'GBP',
      card: { ...payment().card!, brand: 'AMEX' },
      gateways: [...payment().gateways, account('ONLYUPI', { paymentMethodTypes: ['UPI'] }), account('NBONLY', { paymentMethods: ['HDFC_NB'] })],
    });
    const d = engine.decide({ payment: p, active: slot(def('d', ['CCAVENUE', 'ADYEN', 'STRIPE', 'HDFC', 'ONLYUPI', 'NBONLY', 'PAYU'])) });
    assert.deepEqual(names(d), ['PAYU']);
    assert.deepEqual(
      d.eligibilityDrops.map((x) => [x.gateway, x.reason]),
      [
        ['CCAVENUE', 'DISABLED'],
        ['ADYEN', 'NOT_CONFIGURED'],
        ['STRIPE', 'CURRENCY_NOT_SUPPORTED'],
        ['HDFC', 'CARD_BRAND_NOT_SUPPORTED'],
        ['ONLYUPI', 'PAYMENT_METHOD_TYPE_NOT_SUPPORTED'],
        ['NBONLY', 'PAYMENT_METHOD_NOT_SUPPORTED'],
      ],
    );
  });
  it('moves the preferred gateway to the front when eligible', () => {
    const active = slot(def('d', ['PAYU', 'RAZORPAY', 'ICICI']));
    assert.deepEqual(names(engine.decide({ payment: payment({ preferredGateway: 'ICICI' }), active })), ['ICICI', 'PAYU', 'RAZORPAY']);
    assert.deepEqual(names(engine.decide({ payment: payment({ preferredGateway: 'STRIPE' }), active })), ['STRIPE', 'PAYU', 'RAZORPAY', 'ICICI']);
    const d = engine.decide({ payment: payment({ preferredGateway: 'CCAVENUE' }), active });
    assert.deepEqual(names(d), ['PAYU', 'RAZORPAY', 'ICICI']);
    assert.deepEqual(d.preferredGateway, { gateway: 'CCAVENUE', applied: false, reason: 'DISABLED' });
  });
  it('under enforce the preferred gateway only counts when it is in the list', () => {
    const active = slot(def('d', ['PAYU', 'RAZORPAY'], true));
    assert.deepEqual(names(engine.decide({ payment: payment({ preferredGateway: 'RAZORPAY' }), active })), ['RAZORPAY', 'PAYU']);
    const d = engine.decide({ payment: payment({ preferredGateway: 'ICICI' }), active });
    assert.deepEqual(names(d), ['PAYU', 'RAZORPAY']);
    assert.deepEqual(d.preferredGateway, { gateway: 'ICICI', applied: false, reason: 'NOT_IN_ENFORCED_LIST' });
  });
  it('enforced with nothing eligible: NULL_AFTER_ENFORCE, no fallback to defaults', () => {
    const d = engine.decide({ payment: upiPayment(), active: slot(code('e', 'enforce-anything', ['PAYU'])) });
    assert.deepEqual(names(d), ['ICICI']);
    const d2 = engine.decide({ payment: upiPayment(), active: slot({ kind: 'VOLUME', name: 'v', enforce: true, defaultGateways: gw('PAYU'), splits: [{ gateway: 'STRIPE', weight: 100 }] }) });
    assert.deepEqual(names(d2), []);
    assert.equal(d2.enforced, true);
    assert.equal(d2.failureReason, 'NULL_AFTER_ENFORCE');
  });
  it('not enforced with nothing eligible: NO_ELIGIBLE_GATEWAY', () => {
    const d = engine.decide({ payment: upiPayment(), active: slot(def('d', ['STRIPE', 'CCAVENUE'])) });
    assert.equal(d.failureReason, 'NO_ELIGIBLE_GATEWAY');
  });
  it('a failing logic runs the fallback logic and records both', () => {
    const d = engine.decide({ payment: payment(), active: slot(code('broken', 'memory-hog')), fallback: slot(def('safe', ['RAZORPAY']), 'pl_fb', 3) });
    assert.equal(d.logic.role, 'FALLBACK');
    assert.equal(d.logic.id, 'pl_fb');
    assert.equal(d.primary.status, 'FAILURE');
    assert.equal(d.primary.failure_reason, 'MEMORY_EXCEEDED');
    assert.deepEqual(d.fallback, { name: 'safe', status: 'SUCCESS', failure_reason: 'NO_ERROR' });
    assert.deepEqual(names(d), ['RAZORPAY']);
  });
  it('when the fallback fails too, the default gateways decide (never enforced)', () => {
    const d = engine.decide({
      payment: payment(),
      active: slot(code('broken', 'throws', ['RAZORPAY', 'PAYU'], true)),
      fallback: slot(code('also broken', 'no such script')),
    });
    assert.equal(d.logic.role, 'DEFAULT_GATEWAYS');
    assert.equal(d.primary.failure_reason, 'UNHANDLED_EXCEPTION');
    assert.equal(d.fallback?.failure_reason, 'COMPILATION_ERROR');
    assert.equal(d.evaluationStatus, 'LOGIC_FAILED');
    assert.equal(d.enforced, false);
    assert.deepEqual(names(d), ['RAZORPAY', 'PAYU']);
  });
  it('a host-level exception and a bad gateway name are logic failures', () => {
    const d1 = engine.decide({ payment: payment(), active: slot(code('host', 'host-throws')) });
    assert.equal(d1.primary.failure_reason, 'UNHANDLED_EXCEPTION');
    assert.deepEqual(names(d1), ['PAYU']);
    const d2 = engine.decide({ payment: payment(), active: slot(code('bad', 'bad-name')) });
    assert.equal(d2.primary.failure_reason, 'GATEWAY_NAME_PARSE_FAILURE');
    const strict = createRoutingEngine({ codeEvaluator: fakeCodeEvaluator, knownGateways: ['PAYU', 'HDFC', 'ICICI'] });
    const d3 = strict.decide({ payment: payment(), active: { id: 'x', name: 'x', version: 1, compiled: strict.compile(code('x', 'setGatewayPriority(["PAYU","RAZORPAY"])')) } });
    assert.equal(d3.primary.failure_reason, 'GATEWAY_NAME_PARSE_FAILURE');
  });
  it('defaultGatewaysOverride replaces the logic defaults', () => {
    const d = engine.decide({ payment: payment(), active: slot(def('d', ['PAYU'])), defaultGatewaysOverride: gw('ICICI') });
    assert.deepEqual(names(d), ['PAYU', 'ICICI']);
  });
  it('resolves gateway reference ids to accounts', () => {
    const p = payment({ gateways: [account('PAYU', { gatewayReferenceId: 'acc_1', enabled: false }), account('PAYU', { gatewayReferenceId: 'acc_2' })] });
    const d = engine.decide({ payment: p, active: slot(def('d', ['PAYU'])) });
    assert.deepEqual(d.finalGateways, [{ gateway: 'PAYU', gatewayReferenceId: 'acc_2' }]);
    const d2 = engine.decide({ payment: p, active: slot({ kind: 'DEFAULT', name: 'd', enforce: true, defaultGateways: [{ gateway: 'PAYU', gatewayReferenceId: 'acc_1' }] }) });
    assert.deepEqual(
      d2.eligibilityDrops.map((x) => x.reason),
      ['DISABLED'],
    );
    assert.equal(d2.failureReason, 'NULL_AFTER_ENFORCE');
  });
  it('reports the matched rule', () => {
    const d = engine.decide({
      payment: payment(),
      active: slot({
        kind: 'RULES',
        name: 'r',
        enforce: false,
        defaultGateways: gw('PAYU'),
        rules: [{ name: 'visa', condition: { dimension: 'card_brand', operator: 'equal', value: 'VISA' }, output: { type: 'PRIORITY', gateways: gw('HDFC') } }],
      }),
    });
    assert.deepEqual(d.matchedRule, { index: 0, name: 'visa' });
    assert.equal(d.evaluationStatus, 'RULE_MATCHED');
    assert.deepEqual(names(d), ['HDFC', 'PAYU']);
  });
});

describe('staggered release', () => {
  const active = slot(def('current', ['PAYU']), 'pl_cur');
  const next = (percentage: number) => ({ ...slot(def('next', ['RAZORPAY']), 'pl_next', 2), percentage });
  it('0% never and 100% always takes the staggered logic', () => {
    for (let i = 0; i < 500; i++) {
      const p = payment({ orderId: `o${i}` });
      assert.equal(engine.decide({ payment: p, active, staggered: next(0) }).logic.role, 'PRIMARY');
      assert.equal(engine.decide({ payment: p, active, staggered: next(100) }).logic.role, 'STAGGERED');
    }
  });
  it('is sticky per order: retries see the same logic', () => {
    for (let i = 0; i < 200; i++) {
      const a = engine.decide({ payment: payment({ orderId: `o${i}`, txnId: 't1' }), active, staggered: next(30) });
      const b = engine.decide({ payment: payment({ orderId: `o${i}`, txnId: 't2', nowMillis: 5 }), active, staggered: next(30) });
      assert.equal(a.logic.id, b.logic.id);
      assert.equal(a.staggerBucket, b.staggerBucket);
    }
  });
  it('lands within 1 point of the rollout percentage over 100,000 orders', () => {
    for (const pct of [10, 20, 33.33, 50, 90]) {
      let hits = 0;
      const N = 100_000;
      for (let i = 0; i < N; i++) if (inStaggeredShare(payment({ orderId: `order_${i * 7919}_${pct}` }), pct).staggered) hits++;
      assert.ok(Math.abs((hits / N) * 100 - pct) <= 1, `${pct}% → ${(hits / N) * 100}%`);
    }
  });
  it('raising the percentage keeps orders already on the new logic there', () => {
    for (let i = 0; i < 2000; i++) {
      const p = payment({ orderId: `r${i}` });
      if (inStaggeredShare(p, 10).staggered) assert.ok(inStaggeredShare(p, 20).staggered);
    }
  });
});
