import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoutingEngine } from './decide.ts';
import { explain } from './explain.ts';
import { payment } from './testing/fixtures.ts';
import type { RulesLogic } from './types.ts';

const logic: RulesLogic = {
  kind: 'RULES',
  name: 'cards',
  enforce: false,
  defaultGateways: [{ gateway: 'PAYU' }],
  rules: [
    { name: 'upi', condition: { dimension: 'payment_method_type', operator: 'equal', value: 'UPI' }, output: { type: 'PRIORITY', gateways: [{ gateway: 'ICICI' }] } },
    {
      name: 'big amex',
      condition: {
        all: [
          { dimension: 'card_brand', operator: 'equal', value: 'AMEX' },
          { dimension: 'amount', operator: 'greater_than', value: 100 },
        ],
      },
      output: { type: 'PRIORITY', gateways: [{ gateway: 'STRIPE' }] },
    },
    {
      name: 'icici or big',
      condition: {
        any: [
          { dimension: 'card_issuer', operator: 'equal', value: 'HDFC Bank' },
          { dimension: 'amount', operator: 'greater_than', value: 1_000_000 },
        ],
      },
      output: { type: 'PRIORITY', gateways: [{ gateway: 'HDFC' }] },
    },
    { name: 'visa', condition: { dimension: 'card_brand', operator: 'in', value: ['VISA'] }, output: { type: 'PRIORITY', gateways: [{ gateway: 'HDFC' }, { gateway: 'RAZORPAY' }] } },
    { name: 'never reached', condition: { dimension: 'currency', operator: 'equal', value: 'INR' }, output: { type: 'PRIORITY', gateways: [{ gateway: 'PAYU' }] } },
  ],
};

describe('explain', () => {
  it('says which rule matched and why each earlier rule did not', () => {
    const x = explain({ logic, payment: payment() });
    assert.deepEqual(x.matchedRule, { index: 3, name: 'visa' });
    assert.equal(x.rules.length, 4);
    assert.deepEqual(
      x.rules[0].failedLeaves.map((l) => [l.path, l.dimension, l.actual, l.expected]),
      [['rules[0].condition', 'payment_method_type', 'CARD', 'UPI']],
    );
    // An `all` fails on its first failing leaf.
    assert.deepEqual(
      x.rules[1].failedLeaves.map((l) => [l.path, l.actual]),
      [['rules[1].condition.all[0]', 'VISA']],
    );
    // An `any` fails only when every branch fails: all are listed.
    assert.deepEqual(
      x.rules[2].failedLeaves.map((l) => l.path),
      ['rules[2].condition.any[0]', 'rules[2].condition.any[1]'],
    );
    assert.equal(x.rules[3].matched, true);
    assert.deepEqual(
      x.decision.finalGateways.map((g) => g.gateway),
      ['HDFC', 'RAZORPAY', 'PAYU'],
    );
    assert.equal(x.consistent, true);
    assert.deepEqual(x.validationErrors, []);
  });
  it('works on a compiled logic and with no match', () => {
    const engine = createRoutingEngine();
    const compiled = engine.compile(logic);
    const x = explain({ logic: compiled, payment: payment({ currency: 'USD', card: { ...payment().card!, brand: 'RUPAY', issuer: 'SBI' } }), engine });
    assert.equal(x.matchedRule, null);
    assert.equal(x.rules.length, 5);
    assert.equal(x.decision.evaluationStatus, 'NO_RULE_MATCHED');
    assert.deepEqual(
      x.decision.finalGateways.map((g) => g.gateway),
      ['PAYU'],
    );
  });
  it('notes absent values', () => {
    const x = explain({ logic, payment: payment({ card: null, paymentMethodType: 'NB' }) });
    assert.equal(x.rules[1].failedLeaves[0].note, 'value absent');
  });
  it('explains non-rule kinds with the decision only', () => {
    const x = explain({ logic: { kind: 'DEFAULT', name: 'd', enforce: false, defaultGateways: [{ gateway: 'ADYEN' }] }, payment: payment() });
    assert.deepEqual(x.rules, []);
    assert.equal(x.decision.failureReason, 'NO_ELIGIBLE_GATEWAY');
    assert.deepEqual(
      x.validationErrors.map((e) => e.code),
      ['INVALID_GATEWAY'],
    );
  });
});
