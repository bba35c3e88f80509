// POST /v1/priority-logics/analyze: the rule analysis of a stored logic or a draft, against the
// merchant's own gateway accounts (the demo's SIM_DELTA takes no UPI). Warnings, never errors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSecondMerchant } from '../helpers/api-helpers.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { VIEWER_TOKEN, api, assertError, bearer, createLogic, startPlApp, uniqueName } from './pl-helpers.ts';

let j: TestApp;
before(async () => {
  j = await startPlApp();
});
after(async () => {
  await j.close();
});

const to = (...gateways: string[]) => ({ type: 'PRIORITY', gateways: gateways.map((gateway) => ({ gateway })) });
const RULES = [
  { name: 'big', condition: { dimension: 'amount', operator: 'greater_than_equal', value: 100000 }, output: to('SIM_ALPHA') },
  { name: 'visa', condition: { dimension: 'card_brand', operator: 'equal', value: 'VISA' }, output: to('SIM_BETA') },
  {
    name: 'big visa',
    condition: {
      all: [
        { dimension: 'amount', operator: 'greater_than', value: 500000 },
        { dimension: 'card_brand', operator: 'equal', value: 'VISA' },
      ],
    },
    output: to('SIM_GAMMA'),
  },
  {
    name: 'impossible',
    condition: {
      all: [
        { dimension: 'amount', operator: 'less_than', value: 100 },
        { dimension: 'amount', operator: 'greater_than', value: 200 },
      ],
    },
    output: to('SIM_GAMMA'),
  },
  // Only UPI is left (the payment API takes CARD, NB, UPI and WALLET), and SIM_DELTA takes no UPI.
  { name: 'upi', condition: { dimension: 'payment_method_type', operator: 'not_in', value: ['CARD', 'NB', 'WALLET'] }, output: to('SIM_DELTA', 'SIM_ALPHA') },
];

describe('rule analysis API', () => {
  test('a stored logic: shadowed and impossible rules, an overlap with its witness, a gateway the rule cannot use', async () => {
    const logic = await createLogic(j, { name: uniqueName('Analysed'), kind: 'RULES', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { rules: RULES } });
    const r = await api(j, 'POST', '/v1/priority-logics/analyze', { logic_id: logic.id });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.logic_id, logic.id);
    assert.equal(r.json.analysed, true);
    const byCode = (code: string) => r.json.warnings.filter((w: { code: string }) => w.code === code);
    assert.deepEqual(
      byCode('RULE_SHADOWED').map((w: { rule_index: number; other_rule_index: number }) => [w.rule_index, w.other_rule_index]),
      [[2, 0]],
    );
    assert.deepEqual(
      byCode('RULE_NEVER_MATCHES').map((w: { rule_index: number; rule_name: string }) => [w.rule_index, w.rule_name]),
      [[3, 'impossible']],
    );
    const overlap = byCode('RULES_OVERLAP').find((w: { rule_index: number }) => w.rule_index === 1);
    assert.ok(overlap, JSON.stringify(r.json.warnings));
    assert.equal(overlap.other_rule_index, 0);
    const witness = Object.fromEntries(overlap.witness.map((f: { dimension: string; value: unknown }) => [f.dimension, f.value]));
    assert.equal(String(witness.card_brand).toUpperCase(), 'VISA');
    assert.ok(Number(witness.amount) >= 100000, JSON.stringify(witness));
    assert.deepEqual(
      byCode('GATEWAY_NEVER_USABLE').map((w: { rule_index: number; gateway: string }) => [w.rule_index, w.gateway]),
      [[4, 'SIM_DELTA']],
    );
  });

  test('the save answers with the same warnings: create and copy of a rule-based logic; none for other kinds', async () => {
    const created = await api(j, 'POST', '/v1/priority-logics', { name: uniqueName('Saved'), kind: 'RULES', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { rules: RULES } });
    assert.equal(created.status, 201, created.body);
    const analysed = await api(j, 'POST', '/v1/priority-logics/analyze', { logic_id: created.json.id });
    assert.deepEqual(created.json.warnings, analysed.json.warnings);
    assert.ok(created.json.warnings.some((w: { code: string }) => w.code === 'RULE_SHADOWED'));
    const copy = await api(j, 'POST', `/v1/priority-logics/${created.json.id}/copy`, { name: uniqueName('Fixed'), definition: { rules: RULES.slice(0, 2) } });
    assert.equal(copy.status, 201, copy.body);
    assert.deepEqual(
      copy.json.warnings.map((w: { code: string; rule_index: number }) => `${w.code}@${w.rule_index}`),
      ['RULES_OVERLAP@1'],
    );
    const plain = await api(j, 'POST', '/v1/priority-logics', { name: uniqueName('Plain'), kind: 'DEFAULT', defaultGateways: [{ gateway: 'SIM_ALPHA' }] });
    assert.equal(plain.status, 201, plain.body);
    assert.deepEqual(plain.json.warnings, []);
  });

  test('a draft, with enforce: payments left without a gateway; a viewer may analyse; a broken draft is refused with its field', async () => {
    const draft = { kind: 'RULES', enforce: true, defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { rules: [RULES[4]] } };
    const r = await api(j, 'POST', '/v1/priority-logics/analyze', { logic: draft }, bearer(VIEWER_TOKEN));
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.logic_id, null);
    const left = r.json.warnings.filter((w: { code: string }) => w.code === 'ENFORCED_NO_GATEWAY');
    // SIM_ALPHA is listed after SIM_DELTA, so every UPI payment still has a gateway: no warning for the rule.
    assert.deepEqual(left, []);
    const strict = await api(j, 'POST', '/v1/priority-logics/analyze', { logic: { ...draft, definition: { rules: [{ ...RULES[4], output: to('SIM_DELTA') }] } } });
    assert.equal(strict.status, 200, strict.body);
    const codes = strict.json.warnings.map((w: { code: string; rule_index: number }) => `${w.code}@${w.rule_index}`).sort();
    assert.deepEqual(codes, ['ENFORCED_NO_GATEWAY@0', 'GATEWAY_NEVER_USABLE@0']);
    const w = strict.json.warnings.find((x: { code: string }) => x.code === 'ENFORCED_NO_GATEWAY');
    assert.ok(
      w.witness.some((f: { dimension: string; value: unknown }) => f.dimension === 'payment_method_type' && String(f.value).toUpperCase() === 'UPI'),
      JSON.stringify(w),
    );
    assertError(
      await api(j, 'POST', '/v1/priority-logics/analyze', {
        logic: { kind: 'RULES', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { rules: [{ name: 'x', condition: { dimension: 'card_brand' }, output: to('SIM_ALPHA') }] } },
      }),
      400,
      'INVALID_CONDITIONS',
      'Invalid Conditions',
      'definition.rules[0].condition.operator',
    );
    assertError(await api(j, 'POST', '/v1/priority-logics/analyze', {}), 400, 'MISSING_MANDATORY_PARAMETER');
  });

  test('a default logic has no rules to analyse; another merchant cannot analyse our logic', async () => {
    const r = await api(j, 'POST', '/v1/priority-logics/analyze', { logic: { kind: 'DEFAULT', defaultGateways: [{ gateway: 'SIM_ALPHA' }] } });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json.warnings, []);
    const mine = await createLogic(j, { name: uniqueName('Mine'), kind: 'RULES', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { rules: RULES.slice(0, 2) } });
    const m2 = await createSecondMerchant(j);
    const other = await api(j, 'POST', '/v1/priority-logics/analyze', { logic_id: mine.id }, { basic: m2.auth });
    assert.equal(other.status, 404, other.body);
  });
});
