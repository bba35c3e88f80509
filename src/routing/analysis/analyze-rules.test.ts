import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkEligibility } from '../eligibility.ts';
import { interpretCondition, interpretRules } from '../kinds/rules/interpret-rules.ts';
import { account, paymentArb, ruleArb } from '../testing/fixtures.ts';
import type { GatewayAccount, LeafCondition, RoutingPayment, Rule, RuleOutput } from '../types.ts';
import { analyzeRules, type RuleWarning } from './analyze-rules.ts';

const leaf = (dimension: string, operator: LeafCondition['operator'], value: LeafCondition['value']): LeafCondition => ({ dimension, operator, value });
const to = (...gateways: string[]): RuleOutput => ({ type: 'PRIORITY', gateways: gateways.map((gateway) => ({ gateway })) });
const rule = (name: string, condition: Rule['condition'], output: RuleOutput = to('PAYU')): Rule => ({ name, condition, output });
const logic = (rules: Rule[], extra: { enforce?: boolean; defaultGateways?: string[] } = {}) => ({
  rules,
  enforce: extra.enforce ?? false,
  defaultGateways: (extra.defaultGateways ?? ['PAYU']).map((gateway) => ({ gateway })),
});
const codes = (ws: RuleWarning[]) => ws.map((w) => `${w.code}@${w.rule}`).sort();

/** A payment as the payment path builds it: amounts of at least 1, an extended BIN that starts with the BIN. */
function realistic(p: RoutingPayment): RoutingPayment {
  const card = p.card?.extendedBin && !p.card.extendedBin.startsWith(p.card.bin) ? { ...p.card, extendedBin: p.card.bin + p.card.extendedBin.slice(6) } : p.card;
  return { ...p, amount: Math.max(1, p.amount), card };
}

// The analysis keeps no copy of the rules; the examples read them back through this.
const rulesOf = new WeakMap<object, Rule[]>();
function run(l: ReturnType<typeof logic>, accounts: GatewayAccount[] = []): ReturnType<typeof analyzeRules> {
  const a = analyzeRules(l, accounts);
  rulesOf.set(a, l.rules);
  return a;
}
function logicRules(a: object): Rule[] {
  return rulesOf.get(a)!;
}

describe('rule analysis: examples', () => {
  it('a rule whose conditions contradict each other never matches', () => {
    const a = run(logic([rule('contradiction', { all: [leaf('amount', 'greater_than', 500_00), leaf('amount', 'less_than', 100_00)] }), rule('fine', leaf('card_brand', 'equal', 'VISA'))]));
    assert.deepEqual(codes(a.warnings), ['RULE_NEVER_MATCHES@0']);
    assert.equal(a.examples[0], null);
    assert.ok(a.examples[1] && interpretRules(logicRules(a), a.examples[1]) === 1);
  });

  it('amounts and BIN ranges that cannot occur never match', () => {
    const a = run(
      logic([
        rule('zero amount', leaf('amount', 'less_than', 1)),
        rule('empty BIN range', leaf('card_bin', 'between', ['499999', '400000'])),
        rule('visa and not a card', { all: [leaf('card_brand', 'equal', 'VISA'), leaf('card_bin', 'not_in', [])] }),
      ]),
    );
    assert.deepEqual(codes(a.warnings), ['RULE_NEVER_MATCHES@0', 'RULE_NEVER_MATCHES@1']);
  });

  it('a card field set but no card never matches (a card brand needs a card)', () => {
    const a = run(logic([rule('brand without card', { all: [leaf('card_brand', 'equal', 'VISA'), leaf('card_bin', 'equal', '411111'), leaf('card_bin', 'not_equal', '411111')] })]));
    assert.deepEqual(codes(a.warnings), ['RULE_NEVER_MATCHES@0']);
  });

  it('a rule covered by earlier rules is shadowed, naming the first of them', () => {
    const a = run(
      logic([
        rule('big', leaf('amount', 'greater_than_equal', 1000_00), to('PAYU')),
        rule('visa', leaf('card_brand', 'in', ['VISA', 'MASTERCARD']), to('STRIPE')),
        rule('big visa', { all: [leaf('amount', 'greater_than', 5000_00), leaf('card_brand', 'equal', 'visa')] }, to('HDFC')),
        rule('small visa', { all: [leaf('amount', 'less_than', 1000_00), leaf('card_brand', 'equal', 'VISA')] }, to('HDFC')),
      ]),
    );
    const shadowed = a.warnings.filter((w) => w.code === 'RULE_SHADOWED');
    assert.deepEqual(
      shadowed.map((w) => [w.rule, w.otherRule]),
      [
        [2, 0],
        [3, 1],
      ],
    );
  });

  it('BIN prefixes, 6- and 8-digit BINs and ranges are reasoned about exactly', () => {
    const a = run(
      logic([
        rule('visa range', leaf('card_bin', 'starts_with', '4')),
        rule('one visa bin', leaf('card_bin', 'equal', '411111')),
        rule('one extended bin', leaf('card_bin', 'equal', '41111122')),
        rule('mastercard range', leaf('card_bin', 'between', ['510000', '559999'])),
        rule('inside mastercard', leaf('card_bin', 'starts_with', '5123')),
        rule('outside', leaf('card_bin', 'starts_with', '56')),
      ]),
    );
    assert.deepEqual(codes(a.warnings.filter((w) => w.code !== 'RULES_OVERLAP')), ['RULE_SHADOWED@1', 'RULE_SHADOWED@2', 'RULE_SHADOWED@4']);
    assert.ok(a.examples[5]);
    assert.equal(interpretRules(logicRules(a), a.examples[5]!), 5);
  });

  it('an amount pinned to a currency only shadows that currency', () => {
    const a = run(
      logic([
        rule('big INR', leaf('amount', 'greater_than', { amount: 1000_00, currency: 'INR' })),
        rule('big', leaf('amount', 'greater_than', 2000_00), to('STRIPE')),
        rule('big USD', leaf('amount', 'greater_than', { amount: 3000_00, currency: 'USD' }), to('HDFC')),
      ]),
    );
    assert.deepEqual(codes(a.warnings.filter((w) => w.code !== 'RULES_OVERLAP')), ['RULE_SHADOWED@2']);
    const example = a.examples[1]!;
    assert.notEqual(example.currency.toUpperCase(), 'INR');
  });

  it('an overlap comes with a payment that both rules match; the same output is not an overlap', () => {
    const a = run(
      logic([
        rule('visa', leaf('card_brand', 'equal', 'VISA'), to('STRIPE')),
        rule('big', leaf('amount', 'greater_than', 1000_00), to('PAYU')),
        rule('vip', leaf('udf1', 'starts_with', 'vip'), to('STRIPE')),
      ]),
    );
    const overlaps = a.warnings.filter((w) => w.code === 'RULES_OVERLAP');
    assert.deepEqual(
      overlaps.map((w) => [w.rule, w.otherRule]),
      [
        [1, 0],
        [2, 1],
      ],
    );
    for (const w of overlaps) {
      assert.ok(interpretCondition(logicRules(a)[w.rule!].condition, w.witnessPayment!));
      assert.ok(interpretCondition(logicRules(a)[w.otherRule!].condition, w.witnessPayment!));
      assert.ok(w.witness!.some((f) => f.dimension === 'amount'));
    }
  });

  it('a gateway whose accounts cannot take any payment of the rule is named', () => {
    const accounts = [account('PAYU'), account('STRIPE', { paymentMethodTypes: ['CARD'], currencies: ['USD'] }), account('HDFC', { cardBrands: ['VISA'] })];
    const a = run(
      logic([
        rule('upi', leaf('payment_method_type', 'equal', 'UPI'), to('STRIPE', 'PAYU')),
        rule('inr cards', { all: [leaf('currency', 'equal', 'INR'), leaf('payment_method_type', 'equal', 'CARD')] }, to('STRIPE', 'PAYU')),
        rule('amex', leaf('card_brand', 'equal', 'AMEX'), to('HDFC', 'PAYU')),
        rule('usd cards', { all: [leaf('currency', 'equal', 'USD'), leaf('payment_method_type', 'equal', 'CARD')] }, to('STRIPE')),
      ]),
      accounts,
    );
    const never = a.warnings.filter((w) => w.code === 'GATEWAY_NEVER_USABLE');
    assert.deepEqual(
      never.map((w) => [w.rule, w.gateway]),
      [
        [0, 'STRIPE'],
        [1, 'STRIPE'],
        [2, 'HDFC'],
      ],
    );
  });

  it('with enforce on, payments left with no eligible gateway are shown, for rules and for the default gateways', () => {
    const accounts = [account('PAYU', { currencies: ['INR'] }), account('STRIPE', { currencies: ['USD', 'EUR'] })];
    const a = run(
      logic([rule('cards', leaf('payment_method_type', 'equal', 'CARD'), to('PAYU')), rule('usd', leaf('currency', 'equal', 'USD'), to('STRIPE'))], { enforce: true, defaultGateways: ['PAYU'] }),
      accounts,
    );
    const left = a.warnings.filter((w) => w.code === 'ENFORCED_NO_GATEWAY');
    assert.deepEqual(
      left.map((w) => w.rule),
      [0, null],
    );
    for (const w of left) {
      const p = w.witnessPayment!;
      const gateways = w.rule === null ? ['PAYU'] : outputNames(logicRules(a)[w.rule].output);
      assert.equal(interpretRules(logicRules(a), p), w.rule ?? -1);
      assert.ok(
        gateways.every((g) => !checkEligibility({ gateway: g }, p).eligible),
        JSON.stringify(p),
      );
    }
    const relaxed = run(logic(logicRules(a), { enforce: false }), accounts);
    assert.equal(relaxed.warnings.filter((w) => w.code === 'ENFORCED_NO_GATEWAY').length, 0);
  });

  it('the catch-all "Otherwise" rule is not reported as overlapping the rules before it; a rule it shadows would be', () => {
    const a = run(logic([rule('visa', leaf('card_brand', 'equal', 'VISA'), to('STRIPE')), rule('otherwise', { all: [] }, to('PAYU', 'HDFC'))]));
    assert.deepEqual(a.warnings, []);
    assert.ok(a.examples[1] && interpretRules(logicRules(a), a.examples[1]) === 1);
  });

  it('time windows crossing midnight, booleans and free text', () => {
    const a = run(
      logic([
        rule('night', leaf('time_of_day', 'between', ['22:00', '06:00'])),
        rule('late night', leaf('time_of_day', 'between', ['23:00', '23:59'])),
        rule('emi', leaf('emi', 'equal', true), to('STRIPE')),
        rule('not emi and emi', { all: [leaf('emi', 'equal', true), leaf('emi', 'not_equal', true)] }),
        rule('vip', leaf('udf1', 'in', ['vip1', 'vip2']), to('HDFC')),
        rule('vip prefix', leaf('udf1', 'starts_with', 'vip'), to('HDFC')),
      ]),
    );
    assert.deepEqual(codes(a.warnings.filter((w) => w.code !== 'RULES_OVERLAP')), ['RULE_NEVER_MATCHES@3', 'RULE_SHADOWED@1']);
    assert.ok(a.examples[5] && interpretRules(logicRules(a), a.examples[5]) === 5);
  });
});

function outputNames(o: RuleOutput): string[] {
  if (o.type === 'PRIORITY') return o.gateways.map((g) => g.gateway);
  if (o.type === 'VOLUME_SPLIT') return o.splits.filter((s) => s.weight > 0).map((s) => s.gateway);
  return o.splits.filter((s) => s.weight > 0).flatMap((s) => s.gateways.map((g) => g.gateway));
}

const GATEWAY_POOL = ['PAYU', 'RAZORPAY', 'STRIPE', 'HDFC', 'ICICI'];
const accountsArb: fc.Arbitrary<GatewayAccount[]> = fc
  .uniqueArray(
    fc.record({
      gateway: fc.constantFrom(...GATEWAY_POOL),
      enabled: fc.boolean(),
      paymentMethodTypes: fc.uniqueArray(fc.constantFrom('CARD', 'UPI', 'NB', 'WALLET'), { maxLength: 2 }),
      paymentMethods: fc.uniqueArray(fc.constantFrom('VISA', 'MASTERCARD', 'UPI_COLLECT'), { maxLength: 2 }),
      cardBrands: fc.uniqueArray(fc.constantFrom('VISA', 'MASTERCARD', 'AMEX', 'RUPAY'), { maxLength: 2 }),
      currencies: fc.uniqueArray(fc.constantFrom('INR', 'USD'), { maxLength: 1 }),
    }),
    { selector: (a) => a.gateway, maxLength: 5 },
  )
  .map((list) => list.map((a) => account(a.gateway, a)));

describe('rule analysis: properties (reference interpreter as the judge)', () => {
  it('every rule reported unreachable matches no payment first; every other rule has an example it is the first match for', () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 6 }), fc.array(paymentArb.map(realistic), { minLength: 30, maxLength: 30 }), (rules, payments) => {
        const a = analyzeRules(logic(rules));
        if (!a.analysed) return;
        const never = new Set(a.warnings.filter((w) => w.code === 'RULE_NEVER_MATCHES').map((w) => w.rule));
        const unreachable = new Set(a.warnings.filter((w) => w.code === 'RULE_NEVER_MATCHES' || w.code === 'RULE_SHADOWED').map((w) => w.rule));
        for (const p of payments) {
          assert.ok(!unreachable.has(interpretRules(rules, p)), `rule ${interpretRules(rules, p)} reported unreachable matched ${JSON.stringify(p)}`);
          for (const i of never) assert.ok(!interpretCondition(rules[i!].condition, p));
        }
        rules.forEach((_, i) => {
          if (unreachable.has(i)) assert.equal(a.examples[i], null);
          else assert.equal(interpretRules(rules, a.examples[i]!), i, `example of rule ${i} does not reach it`);
        });
        for (const w of a.warnings.filter((x) => x.code === 'RULES_OVERLAP')) {
          assert.ok(interpretCondition(rules[w.rule!].condition, w.witnessPayment!), 'overlap witness misses the rule');
          assert.ok(interpretCondition(rules[w.otherRule!].condition, w.witnessPayment!), 'overlap witness misses the earlier rule');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gateway warnings hold on every payment the rule routes, and enforce witnesses have no eligible gateway', () => {
    fc.assert(
      fc.property(
        fc.array(ruleArb, { minLength: 1, maxLength: 4 }),
        accountsArb,
        fc.boolean(),
        fc.array(paymentArb.map(realistic), { minLength: 30, maxLength: 30 }),
        (rules, accounts, enforce, payments) => {
          const a = analyzeRules(logic(rules, { enforce, defaultGateways: ['PAYU', 'STRIPE'] }), accounts);
          if (!a.analysed) return;
          for (const w of a.warnings.filter((x) => x.code === 'GATEWAY_NEVER_USABLE')) {
            for (const raw of payments) {
              const p = { ...raw, gateways: accounts };
              if (interpretRules(rules, p) === w.rule) assert.ok(!checkEligibility({ gateway: w.gateway! }, p).eligible, `${w.gateway} took ${JSON.stringify(p)}`);
            }
          }
          for (const w of a.warnings.filter((x) => x.code === 'ENFORCED_NO_GATEWAY')) {
            assert.ok(enforce);
            const p = w.witnessPayment!;
            assert.equal(interpretRules(rules, p), w.rule ?? -1);
            const names = w.rule === null ? ['PAYU', 'STRIPE'] : outputNames(rules[w.rule].output);
            for (const g of names) assert.ok(!checkEligibility({ gateway: g }, p).eligible, `${g} is eligible for the witness ${JSON.stringify(p)}`);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
