import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { conditionArb, leafArb, payment, paymentArb, ruleArb, upiPayment } from '../../testing/fixtures.ts';
import type { Condition, LeafCondition, RoutingPayment, Rule, RuleOutput, RulesLogic } from '../../types.ts';
import { compileCondition, compileRules, compileRulesLogic } from './compile-rules.ts';
import { evaluateLeaf, interpretCondition, interpretRules } from './interpret-rules.ts';

/** Checks a leaf with both evaluators and insists they agree. */
function holds(leaf: LeafCondition | Condition, p: RoutingPayment): boolean {
  const compiled = compileCondition(leaf)(p);
  const interpreted = interpretCondition(leaf, p);
  assert.equal(compiled, interpreted, `compiled and interpreted disagree on ${JSON.stringify(leaf)}`);
  return compiled;
}
const leaf = (dimension: string, operator: LeafCondition['operator'], value: LeafCondition['value']): LeafCondition => ({ dimension, operator, value });

describe('rule conditions', () => {
  it('compares enum dimensions case-insensitively', () => {
    assert.equal(holds(leaf('card_brand', 'equal', 'visa'), payment()), true);
    assert.equal(holds(leaf('card_brand', 'in', ['MASTERCARD', 'Visa']), payment()), true);
    assert.equal(holds(leaf('card_brand', 'not_in', ['MASTERCARD']), payment()), true);
    assert.equal(holds(leaf('payment_method_type', 'not_equal', 'CARD'), payment()), false);
  });
  it('compares free strings exactly and supports prefixes', () => {
    const p = payment({ udf: { udf1: 'payu_offer' }, metadata: { segment: 'vip' } });
    assert.equal(holds(leaf('udf1', 'equal', 'payu_offer'), p), true);
    assert.equal(holds(leaf('udf1', 'equal', 'PAYU_OFFER'), p), false);
    assert.equal(holds(leaf('udf1', 'starts_with', 'payu'), p), true);
    assert.equal(holds(leaf('metadata.segment', 'in', ['vip', 'gold']), p), true);
    assert.equal(holds(leaf('metadata.other', 'equal', 'vip'), p), false);
    assert.equal(holds(leaf('metadata.other', 'not_equal', 'vip'), p), true);
  });
  it('treats a missing value as not equal to anything', () => {
    const p = upiPayment();
    assert.equal(holds(leaf('card_brand', 'equal', 'VISA'), p), false);
    assert.equal(holds(leaf('card_brand', 'not_equal', 'VISA'), p), true);
    assert.equal(holds(leaf('card_bin', 'in', ['411111']), p), false);
    assert.equal(holds(leaf('card_bin', 'not_in', ['411111']), p), true);
    assert.equal(holds(leaf('emi_tenure', 'greater_than', 3), p), false);
  });
  it('matches BINs exactly (6 or 8 digits), by prefix and by range', () => {
    const p = payment();
    assert.equal(holds(leaf('card_bin', 'equal', '411111'), p), true);
    assert.equal(holds(leaf('card_bin', 'equal', '41111122'), p), true);
    assert.equal(holds(leaf('card_bin', 'equal', '41111123'), p), false);
    assert.equal(holds(leaf('card_bin', 'in', ['512345', '41111122']), p), true);
    assert.equal(holds(leaf('card_bin', 'starts_with', '4111112'), p), true);
    assert.equal(holds(leaf('card_bin', 'starts_with', ['5', '6']), p), false);
    assert.equal(holds(leaf('card_bin', 'between', ['400000', '499999']), p), true);
    assert.equal(holds(leaf('card_bin', 'between', ['41111123', '41999999']), p), false);
    const noExt = payment({ card: { ...payment().card!, extendedBin: null } });
    assert.equal(holds(leaf('card_bin', 'between', ['41000000', '41999999']), noExt), false);
  });
  it('compares amounts in minor units, pinned to a currency when given', () => {
    const p = payment({ amount: 50_000, currency: 'INR' });
    assert.equal(holds(leaf('amount', 'greater_than', 10_000), p), true);
    assert.equal(holds(leaf('amount', 'greater_than', { amount: 10_000, currency: 'INR' }), p), true);
    assert.equal(holds(leaf('amount', 'greater_than', { amount: 10_000, currency: 'USD' }), p), false);
    assert.equal(holds(leaf('amount', 'not_equal', { amount: 10_000, currency: 'USD' }), p), false);
    assert.equal(holds(leaf('amount', 'between', [50_000, 60_000]), p), true);
    assert.equal(
      holds(
        leaf('amount', 'between', [
          { amount: 1, currency: 'inr' },
          { amount: 49_999, currency: 'inr' },
        ]),
        p,
      ),
      false,
    );
  });
  it('handles time of day, including windows across midnight', () => {
    const at = (h: number, m: number) => payment({ nowMillis: Date.UTC(2026, 0, 1, h, m) });
    assert.equal(holds(leaf('time_of_day', 'between', ['09:00', '17:30']), at(10, 30)), true);
    assert.equal(holds(leaf('time_of_day', 'between', ['22:00', '06:00']), at(23, 15)), true);
    assert.equal(holds(leaf('time_of_day', 'between', ['22:00', '06:00']), at(5, 59)), true);
    assert.equal(holds(leaf('time_of_day', 'between', ['22:00', '06:00']), at(12, 0)), false);
    assert.equal(holds(leaf('time_of_day', 'less_than', 600), at(9, 59)), true);
  });
  it('handles numbers and booleans', () => {
    const p = payment({ emi: { isEmi: true, bank: 'HDFC', tenure: 6 } });
    assert.equal(holds(leaf('emi', 'equal', true), p), true);
    assert.equal(holds(leaf('emi_tenure', 'in', [3, 6]), p), true);
    assert.equal(holds(leaf('emi_tenure', 'between', [7, 12]), p), false);
    assert.equal(holds(leaf('is_domestic', 'equal', true), p), true);
    assert.equal(holds(leaf('is_domestic', 'equal', true), payment({ isDomestic: undefined })), false);
  });
  it('nests all/any to any depth', () => {
    const c: Condition = {
      all: [leaf('payment_method_type', 'equal', 'CARD'), { any: [leaf('card_brand', 'equal', 'AMEX'), { all: [leaf('card_issuer', 'equal', 'ICICI Bank'), leaf('amount', 'less_than', 20_000)] }] }],
    };
    assert.equal(holds(c, payment()), true);
    assert.equal(holds(c, payment({ amount: 30_000 })), false);
  });
  it('first matching rule wins; no match gives the default gateways', () => {
    const logic: RulesLogic = {
      kind: 'RULES',
      name: 'r',
      enforce: false,
      defaultGateways: [{ gateway: 'PAYU' }],
      rules: [
        { name: 'upi', condition: leaf('payment_method_type', 'equal', 'UPI'), output: { type: 'PRIORITY', gateways: [{ gateway: 'ICICI' }] } },
        { name: 'visa', condition: leaf('card_brand', 'equal', 'VISA'), output: { type: 'PRIORITY', gateways: [{ gateway: 'HDFC' }, { gateway: 'STRIPE' }] } },
        { name: 'cards', condition: leaf('payment_method_type', 'equal', 'CARD'), output: { type: 'PRIORITY', gateways: [{ gateway: 'STRIPE' }] } },
      ],
    };
    const c = compileRulesLogic(logic);
    const r = c.evaluate(payment());
    assert.ok(r.ok);
    assert.deepEqual(r.matchedRule, { index: 1, name: 'visa' });
    assert.deepEqual(
      r.gateways.map((g) => g.gateway),
      ['HDFC', 'STRIPE'],
    );
    const none = c.evaluate(payment({ paymentMethodType: 'NB', card: null }));
    assert.ok(none.ok);
    assert.equal(none.outcome, 'NO_RULE_MATCHED');
    assert.deepEqual(none.gateways, [{ gateway: 'PAYU' }]);
  });
  it('an invalid rule makes the logic fail with COMPILATION_ERROR at evaluation', () => {
    const c = compileRulesLogic({
      kind: 'RULES',
      name: 'bad',
      enforce: false,
      defaultGateways: [{ gateway: 'PAYU' }],
      rules: [{ name: 'x', condition: leaf('shoe_size', 'equal', '42'), output: { type: 'PRIORITY', gateways: [{ gateway: 'PAYU' }] } }],
    });
    const r = c.evaluate(payment());
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.reason, 'COMPILATION_ERROR');
    assert.match(c.compileErrors[0], /unknown dimension 'shoe_size'/);
  });
});

describe('compiled rules agree with the reference interpreter (property)', () => {
  it('on random leaves and payments', () => {
    fc.assert(
      fc.property(leafArb, paymentArb, (l, p) => compileCondition(l)(p) === evaluateLeaf(l, p).result),
      { numRuns: 3000 },
    );
  });
  it('on random nested conditions', () => {
    fc.assert(
      fc.property(conditionArb, paymentArb, (c, p) => compileCondition(c)(p) === interpretCondition(c, p)),
      { numRuns: 1000 },
    );
  });
  it('on random rule sets: same first match', () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 12 }), fc.array(paymentArb, { minLength: 1, maxLength: 8 }), (rules, ps) => {
        const plain = compileRules(rules, { index: false });
        const indexed = compileRules(rules, { index: true });
        return ps.every((p) => {
          const want = interpretRules(rules, p);
          return plain.match(p) === want && indexed.match(p) === want;
        });
      }),
      { numRuns: 600 },
    );
  });
  it('on large rule sets sharing an indexable dimension (the index is exercised)', () => {
    const pinnedRule: fc.Arbitrary<Rule> = fc.record({
      name: fc.constant('r'),
      condition: fc
        .tuple(
          fc.oneof(
            fc.record({ dimension: fc.constant('card_issuer'), operator: fc.constant('equal' as const), value: fc.constantFrom('ICICI Bank', 'hdfc bank', 'SBI') }),
            fc.record({ dimension: fc.constant('card_issuer'), operator: fc.constant('in' as const), value: fc.uniqueArray(fc.constantFrom('ICICI Bank', 'HDFC Bank', 'SBI'), { minLength: 1 }) }),
            fc.record({ dimension: fc.constant('udf1'), operator: fc.constant('equal' as const), value: fc.constantFrom('gold', 'Gold') }),
          ),
          conditionArb,
        )
        .map(([pin, rest]): Condition => ({ all: [pin, rest] })),
      output: fc.constant<RuleOutput>({ type: 'PRIORITY', gateways: [{ gateway: 'PAYU' }] }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 5, arbitrary: pinnedRule }, { weight: 1, arbitrary: ruleArb }), { minLength: 8, maxLength: 40 }),
        fc.array(paymentArb, { minLength: 1, maxLength: 10 }),
        (rules, ps) => {
          const indexed = compileRules(rules, { index: true });
          return ps.every((p) => indexed.match(p) === interpretRules(rules, p));
        },
      ),
      { numRuns: 500 },
    );
  });
  it('with the index forced onto amount or any pinned dimension', () => {
    const dims = ['amount', 'card_brand', 'currency', 'payment_method_type', 'udf1', 'card_issuer', 'metadata.segment'];
    fc.assert(
      fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 20 }), fc.constantFrom(...dims), fc.array(paymentArb, { minLength: 1, maxLength: 10 }), (rules, dim, ps) => {
        const indexed = compileRules(rules, { indexOn: dim });
        return ps.every((p) => indexed.match(p) === interpretRules(rules, p));
      }),
      { numRuns: 1000 },
    );
  });
  it('indexes amount bands', () => {
    const rules = Array.from({ length: 40 }, (_, i) => ({
      name: `band${i}`,
      condition: {
        all: [
          { dimension: 'amount', operator: 'between' as const, value: [i * 100, i * 100 + 99] },
          { dimension: 'card_brand', operator: 'in' as const, value: ['VISA', 'AMEX'] },
        ],
      },
      output: { type: 'PRIORITY' as const, gateways: [{ gateway: 'PAYU' }] },
    }));
    const c = compileRules(rules);
    assert.equal(c.indexedOn, 'amount');
    assert.equal(c.match(payment({ amount: 1234 })), 12);
    assert.equal(c.match(payment({ amount: 1200 })), 12);
    assert.equal(c.match(payment({ amount: 1199 })), 11);
    assert.equal(c.match(payment({ amount: 99_999 })), -1);
  });
  it('indexes large rule sets on their most selective dimension', () => {
    const rules = Array.from({ length: 50 }, (_, i) => ({
      name: `r${i}`,
      condition: {
        all: [
          { dimension: 'payment_method_type', operator: 'equal' as const, value: 'CARD' },
          { dimension: 'card_issuer', operator: 'equal' as const, value: `BANK_${i}` },
        ],
      },
      output: { type: 'PRIORITY' as const, gateways: [{ gateway: 'PAYU' }] },
    }));
    const c = compileRules(rules);
    assert.equal(c.indexedOn, 'card_issuer');
    assert.equal(c.match(payment({ card: { ...payment().card!, issuer: 'bank_42' } })), 42);
    assert.equal(c.match(payment({ card: null })), -1);
  });
});

describe('the catch-all "Otherwise" rule (an empty `all`, last)', () => {
  const otherwise = (output: RuleOutput): Rule => ({ name: 'Otherwise', condition: { all: [] }, output });
  const outputArb = fc.constantFrom<RuleOutput>(
    { type: 'PRIORITY', gateways: [{ gateway: 'ICICI' }, { gateway: 'PAYU' }] },
    {
      type: 'VOLUME_SPLIT',
      splits: [
        { gateway: 'HDFC', weight: 70 },
        { gateway: 'STRIPE', weight: 30 },
      ],
    },
  );

  it('takes every payment no earlier rule matched, in both evaluators and with any index (property)', () => {
    fc.assert(
      fc.property(
        fc.array(ruleArb, { maxLength: 12 }),
        outputArb,
        fc.array(paymentArb, { minLength: 1, maxLength: 8 }),
        fc.constantFrom<'auto' | boolean>('auto', true, false),
        (rules, out, ps, index) => {
          const all = [...rules, otherwise(out)];
          const compiled = compileRules(all, { index });
          return ps.every((p) => {
            const before = interpretRules(rules, p);
            const want = before >= 0 ? before : rules.length;
            return interpretRules(all, p) === want && compiled.match(p) === want;
          });
        },
      ),
      { numRuns: 600 },
    );
  });

  it('answers its own output (a priority list or a split), never the default gateways', () => {
    fc.assert(
      fc.property(outputArb, fc.boolean(), paymentArb, (out, enforce, p) => {
        const logic: RulesLogic = {
          kind: 'RULES',
          name: 'r',
          enforce,
          defaultGateways: [{ gateway: 'RAZORPAY' }],
          rules: [{ name: 'never', condition: leaf('udf1', 'equal', '\u0000never'), output: { type: 'PRIORITY', gateways: [{ gateway: 'PAYU' }] } }, otherwise(out)],
        };
        const r = compileRulesLogic(logic).evaluate(p);
        if (!r.ok || r.outcome !== 'RULE_MATCHED' || r.matchedRule?.index !== 1 || r.matchedRule.name !== 'Otherwise') return false;
        const allowed = out.type === 'PRIORITY' ? ['ICICI', 'PAYU'] : ['HDFC', 'STRIPE'];
        return r.gateways.length > 0 && r.gateways.every((g) => allowed.includes(g.gateway)) && r.enforced === enforce;
      }),
      { numRuns: 300 },
    );
  });

  it('is refused (COMPILATION_ERROR) anywhere but last, or twice', () => {
    const any = (rules: Rule[]) => compileRulesLogic({ kind: 'RULES', name: 'r', enforce: false, defaultGateways: [{ gateway: 'PAYU' }], rules });
    const cards: Rule = { name: 'cards', condition: leaf('payment_method_type', 'equal', 'CARD'), output: { type: 'PRIORITY', gateways: [{ gateway: 'STRIPE' }] } };
    const o = otherwise({ type: 'PRIORITY', gateways: [{ gateway: 'ICICI' }] });
    const notLast = any([o, cards]);
    assert.match(notLast.compileErrors.join(), /rules\[0\]\.condition: the catch-all rule \(no condition\) must be the last rule/);
    const twice = any([cards, o, o]);
    assert.match(twice.compileErrors.join(), /rules\[2\]\.condition: only one catch-all rule/);
    assert.deepEqual(any([cards, o]).compileErrors, []);
  });
});
