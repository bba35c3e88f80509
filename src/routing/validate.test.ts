import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeCodeEvaluator, GATEWAYS, account } from './testing/fixtures.ts';
import type { Condition, LogicDefinition, RulesLogic } from './types.ts';
import { validateLogic, type ValidationCode, type ValidationError } from './validate.ts';

const rules = (rs: RulesLogic['rules'], over: Partial<RulesLogic> = {}): RulesLogic => ({
  kind: 'RULES',
  name: 'Cards to HDFC',
  enforce: false,
  defaultGateways: [{ gateway: 'PAYU' }],
  rules: rs,
  ...over,
});
const rule = (condition: Condition, gateways = ['PAYU']) => ({ name: 'r', condition, output: { type: 'PRIORITY' as const, gateways: gateways.map((gateway) => ({ gateway })) } });
const codes = (errors: ValidationError[]) => errors.map((e) => e.code);
const only = (errors: ValidationError[], code: ValidationCode) => {
  assert.deepEqual(codes(errors), [code], JSON.stringify(errors));
  return errors[0];
};
const ctx = { gateways: GATEWAYS };

describe('validateLogic', () => {
  it('accepts a good logic', () => {
    assert.deepEqual(validateLogic(rules([rule({ dimension: 'card_brand', operator: 'in', value: ['VISA', 'MASTERCARD'] }, ['HDFC'])]), ctx), []);
  });
  it('NAME_ALREADY_EXISTS', () => {
    const e = only(validateLogic(rules([]), { existingNames: ['cards to hdfc '] }), 'NAME_ALREADY_EXISTS');
    assert.equal(e.message, 'Configuration Name already exists');
    assert.equal(e.field, 'name');
  });
  it('NAME_REQUIRED', () => {
    only(validateLogic(rules([], { name: '  ' })), 'NAME_REQUIRED');
  });
  it('CODE_REQUIRED', () => {
    const e = only(validateLogic({ kind: 'CODE', name: 'c', enforce: false, defaultGateways: [{ gateway: 'PAYU' }], code: ' ' }), 'CODE_REQUIRED');
    assert.equal(e.message, 'Please provide Code field');
  });
  it('COMPILATION_ERROR and CODE_TOO_LARGE come from the evaluator, with line and column', () => {
    const code = (c: string): LogicDefinition => ({ kind: 'CODE', name: 'c', enforce: false, defaultGateways: [{ gateway: 'PAYU' }], code: c });
    const e = only(validateLogic(code('if ('), { codeEvaluator: fakeCodeEvaluator }), 'COMPILATION_ERROR');
    assert.equal(e.line, 1);
    assert.equal(e.column, 5);
    assert.equal(e.field, 'code');
    only(validateLogic(code('x'.repeat(10_001)), { codeEvaluator: fakeCodeEvaluator }), 'CODE_TOO_LARGE');
    assert.deepEqual(validateLogic(code('issuer-split'), { codeEvaluator: fakeCodeEvaluator }), []);
  });
  it('DEFAULT_GATEWAYS_REQUIRED', () => {
    const e = only(validateLogic(rules([], { defaultGateways: [] })), 'DEFAULT_GATEWAYS_REQUIRED');
    assert.equal(e.message, 'Need at least 1');
    assert.equal(e.field, 'defaultGateways');
  });
  describe('INVALID_CONDITIONS names the condition path and the reason', () => {
    const cases: [string, Condition, RegExp][] = [
      ['unknown dimension', { dimension: 'shoe_size', operator: 'equal', value: '42' }, /unknown dimension 'shoe_size'/],
      ['operator not allowed', { dimension: 'card_brand', operator: 'less_than', value: 'VISA' }, /operator 'less_than' is not allowed for dimension 'card_brand'/],
      ['unknown operator', { dimension: 'card_brand', operator: 'like' as 'equal', value: 'VISA' }, /unknown operator 'like'/],
      ['wrong value type', { dimension: 'amount', operator: 'greater_than', value: 'lots' }, /expects an amount/],
      ['between unordered', { dimension: 'amount', operator: 'between', value: [1000, 10] }, /two ordered values/],
      ['between one value', { dimension: 'emi_tenure', operator: 'between', value: [3] }, /needs two values/],
      ['empty in', { dimension: 'currency', operator: 'in', value: [] }, /non-empty list/],
      ['bad bin', { dimension: 'card_bin', operator: 'equal', value: '4111' }, /6 or 8 digits/],
      ['bin range of mixed length', { dimension: 'card_bin', operator: 'between', value: ['400000', '49999999'] }, /same length/],
      ['bad time', { dimension: 'time_of_day', operator: 'greater_than', value: '25:00' }, /HH:MM/],
      ['list for a scalar operator', { dimension: 'card_brand', operator: 'equal', value: ['VISA'] }, /single value/],
      ['mixed currencies', { dimension: 'amount', operator: 'between', value: [{ amount: 1, currency: 'INR' }, 5] }, /same currency/],
      ['empty group', { all: [] }, /at least one condition/],
    ];
    for (const [label, bad, why] of cases) {
      it(label, () => {
        const e = only(
          validateLogic(rules([rule({ dimension: 'payment_method_type', operator: 'equal', value: 'CARD' }), rule({ all: [{ dimension: 'currency', operator: 'equal', value: 'INR' }, bad] })])),
          'INVALID_CONDITIONS',
        );
        assert.match(e.message, /^Invalid Conditions: /);
        assert.match(e.message, why);
        assert.match(e.field, /^rules\[1\]\.condition\.all\[1\]/);
      });
    }
  });
  it('INVALID_GATEWAY: not a gateway the merchant has, or an unknown account', () => {
    const e = only(validateLogic(rules([rule({ dimension: 'currency', operator: 'equal', value: 'INR' }, ['PAYU', 'ADYEN'])]), ctx), 'INVALID_GATEWAY');
    assert.equal(e.field, 'rules[0].output.gateways[1]');
    only(validateLogic(rules([], { defaultGateways: [{ gateway: 'PAYU', gatewayReferenceId: 'nope' }] }), ctx), 'INVALID_GATEWAY');
  });
  it('GATEWAY_NOT_SUPPORTED: the rule pins a payment method type the gateway lacks', () => {
    const e = only(validateLogic(rules([rule({ all: [{ dimension: 'payment_method_type', operator: 'equal', value: 'UPI' }] }, ['ICICI', 'HDFC'])]), ctx), 'GATEWAY_NOT_SUPPORTED');
    assert.equal(e.field, 'rules[0].output.gateways[1]');
    assert.match(e.message, /HDFC.*payment_method_type UPI/);
    // An OR of UPI and NB: HDFC takes NB, so it is supported.
    assert.deepEqual(
      validateLogic(
        rules([
          rule(
            {
              any: [
                { dimension: 'payment_method_type', operator: 'equal', value: 'UPI' },
                { dimension: 'payment_method_type', operator: 'equal', value: 'NB' },
              ],
            },
            ['HDFC'],
          ),
        ]),
        ctx,
      ),
      [],
    );
    only(validateLogic(rules([rule({ dimension: 'card_brand', operator: 'in', value: ['AMEX'] }, ['HDFC'])]), ctx), 'GATEWAY_NOT_SUPPORTED');
    only(validateLogic(rules([rule({ dimension: 'amount', operator: 'greater_than', value: { amount: 1, currency: 'GBP' } }, ['STRIPE'])]), ctx), 'GATEWAY_NOT_SUPPORTED');
  });
  it('NO_GATEWAY_SELECTED: an output with no gateway', () => {
    const e = only(validateLogic(rules([rule({ dimension: 'currency', operator: 'equal', value: 'INR' }, [])])), 'NO_GATEWAY_SELECTED');
    assert.equal(e.message, 'No Gateway Selected: rules[0].output.gateways: no gateway selected');
    only(validateLogic(rules([rule({ dimension: 'currency', operator: 'equal', value: 'INR' }, [''])])), 'NO_GATEWAY_SELECTED');
    only(validateLogic({ kind: 'VOLUME', name: 'v', enforce: false, defaultGateways: [{ gateway: 'PAYU' }], splits: [] }), 'NO_GATEWAY_SELECTED');
  });
  it('INVALID_VOLUME_SPLIT: weights must be integers 0..100 summing to 100', () => {
    const v = (ws: number[]): LogicDefinition => ({ kind: 'VOLUME', name: 'v', enforce: false, defaultGateways: [{ gateway: 'PAYU' }], splits: ws.map((weight, i) => ({ gateway: `G${i}`, weight })) });
    assert.deepEqual(validateLogic(v([30, 70])), []);
    assert.match(only(validateLogic(v([30, 60])), 'INVALID_VOLUME_SPLIT').message, /sum to 90/);
    assert.equal(only(validateLogic(v([30.5, 70])), 'INVALID_VOLUME_SPLIT').field, 'splits[0].weight');
    assert.deepEqual(
      validateLogic(v([-10, 110])).map((e) => [e.code, e.field]),
      [
        ['INVALID_VOLUME_SPLIT', 'splits[0].weight'],
        ['INVALID_VOLUME_SPLIT', 'splits[1].weight'],
      ],
    );
    only(
      validateLogic(
        rules([
          {
            name: 'split',
            condition: { dimension: 'currency', operator: 'equal', value: 'INR' },
            output: { type: 'VOLUME_SPLIT_PRIORITY', splits: [{ gateways: [{ gateway: 'PAYU' }], weight: 50 }] },
          },
        ]),
      ),
      'INVALID_VOLUME_SPLIT',
    );
  });
  it('reports several problems at once', () => {
    const errors = validateLogic(rules([rule({ dimension: 'x', operator: 'equal', value: 1 }, [])], { defaultGateways: [], name: '' }));
    assert.deepEqual(codes(errors).sort(), ['DEFAULT_GATEWAYS_REQUIRED', 'INVALID_CONDITIONS', 'NAME_REQUIRED', 'NO_GATEWAY_SELECTED']);
  });
  it('uses account capabilities, where an empty list means all', () => {
    const gateways = [account('ONLYUPI', { paymentMethodTypes: ['UPI'] })];
    assert.deepEqual(validateLogic(rules([rule({ dimension: 'payment_method_type', operator: 'equal', value: 'upi' }, ['ONLYUPI'])], { defaultGateways: [{ gateway: 'ONLYUPI' }] }), { gateways }), []);
  });
});
