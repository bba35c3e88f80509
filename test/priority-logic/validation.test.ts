// Every configuration error the seed names, through the API, with its stable code, its
// user-visible text and the field it points at.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../helpers/test-app.ts';
import { api, assertError, createLogic, defaultLogic, startPlApp, uniqueName } from './pl-helpers.ts';

let j: TestApp;
before(async () => {
  j = await startPlApp();
});
after(async () => {
  await j.close();
});

const rules = (name: string, rulesList: unknown[], extra: Record<string, unknown> = {}) => ({
  name,
  kind: 'RULES',
  defaultGateways: [{ gateway: 'SIM_ALPHA' }],
  definition: { rules: rulesList },
  ...extra,
});

describe('configuration validation errors', () => {
  test('"Configuration Name already exists" (case-insensitive), field name', async () => {
    const name = uniqueName('Dup');
    await createLogic(j, defaultLogic(name, ['SIM_ALPHA']));
    const r = await api(j, 'POST', '/v1/priority-logics', defaultLogic(`  ${name.toUpperCase()} `, ['SIM_BETA']));
    assertError(r, 409, 'NAME_ALREADY_EXISTS', 'Configuration Name already exists', 'name');
  });

  test('"Please provide Configuration Name"', async () => {
    const r = await api(j, 'POST', '/v1/priority-logics', defaultLogic('', ['SIM_ALPHA']));
    assertError(r, 400, 'NAME_REQUIRED', 'Please provide Configuration Name', 'name');
  });

  test('"Please provide Code field", field definition.code', async () => {
    const r = await api(j, 'POST', '/v1/priority-logics', { name: uniqueName('Code'), kind: 'CODE', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { code: '   ' } });
    assertError(r, 400, 'CODE_REQUIRED', 'Please provide Code field', 'definition.code');
  });

  test('"Need at least 1" default gateway, field defaultGateways', async () => {
    const r = await api(j, 'POST', '/v1/priority-logics', { name: uniqueName('NoDefaults'), kind: 'VOLUME', defaultGateways: [], definition: { splits: [{ gateway: 'SIM_ALPHA', weight: 100 }] } });
    assertError(r, 400, 'DEFAULT_GATEWAYS_REQUIRED', 'Need at least 1', 'defaultGateways');
  });

  test('"Invalid Conditions": unknown dimension, bad operator, malformed condition, field of the condition', async () => {
    let r = await api(
      j,
      'POST',
      '/v1/priority-logics',
      rules(uniqueName('Cond'), [
        { name: 'r0', condition: { dimension: 'no_such_dimension', operator: 'equal', value: 'x' }, output: { type: 'PRIORITY', gateways: [{ gateway: 'SIM_BETA' }] } },
        { name: 'r1', condition: { all: [{ dimension: 'amount', operator: 'starts_with', value: 5 }] }, output: { type: 'PRIORITY', gateways: [{ gateway: 'SIM_BETA' }] } },
      ]),
    );
    assertError(r, 400, 'INVALID_CONDITIONS', 'Invalid Conditions', 'definition.rules[0].condition');
    const fields = r.json.error_info.fields.map((f: { field_name: string }) => f.field_name);
    assert.ok(fields.includes('definition.rules[1].condition.all[0]'), JSON.stringify(fields));
    // Structurally broken condition (no operator): still Invalid Conditions, with the path.
    r = await api(
      j,
      'POST',
      '/v1/priority-logics',
      rules(uniqueName('Cond'), [{ name: 'r0', condition: { dimension: 'card_brand', value: 'VISA' }, output: { type: 'PRIORITY', gateways: [{ gateway: 'SIM_BETA' }] } }]),
    );
    assertError(r, 400, 'INVALID_CONDITIONS', 'Invalid Conditions', 'definition.rules[0].condition.operator');
  });

  test('the catch-all "Otherwise" rule (no condition): accepted last, once; elsewhere "Invalid Conditions" naming the rule', async () => {
    const cards = { name: 'cards', condition: { dimension: 'payment_method_type', operator: 'equal', value: 'CARD' }, output: { type: 'PRIORITY', gateways: [{ gateway: 'SIM_BETA' }] } };
    const otherwise = {
      name: 'Otherwise',
      output: {
        type: 'VOLUME_SPLIT',
        splits: [
          { gateway: 'SIM_ALPHA', weight: 70 },
          { gateway: 'SIM_BETA', weight: 30 },
        ],
      },
    };
    // Accepted without a condition; stored (and exported) as an empty `all`.
    const ok = await api(j, 'POST', '/v1/priority-logics', rules(uniqueName('Otherwise'), [cards, otherwise]));
    assert.equal(ok.status, 201, JSON.stringify(ok.json));
    assert.deepEqual(ok.json.definition.rules[1].condition, { all: [] });
    let r = await api(j, 'POST', '/v1/priority-logics', rules(uniqueName('Otherwise'), [otherwise, cards]));
    assertError(r, 400, 'INVALID_CONDITIONS', 'Invalid Conditions', 'definition.rules[0].condition');
    assert.match(r.json.error_info.fields[0].reason, /must be the last rule/);
    r = await api(j, 'POST', '/v1/priority-logics', rules(uniqueName('Otherwise'), [cards, { ...otherwise, condition: { all: [] } }, otherwise]));
    const fields = r.json.error_info.fields.map((f: { field_name: string }) => f.field_name);
    assert.equal(r.status, 400);
    assert.ok(fields.includes('definition.rules[2].condition'), JSON.stringify(fields));
    // An empty group deeper in a condition is still refused.
    r = await api(j, 'POST', '/v1/priority-logics', rules(uniqueName('Otherwise'), [{ ...cards, condition: { all: [{ any: [] }] } }]));
    assertError(r, 400, 'INVALID_CONDITIONS', 'Invalid Conditions', 'definition.rules[0].condition.all[0].any');
  });

  test('COMPILATION_ERROR carries line and column', async () => {
    const r = await api(j, 'POST', '/v1/priority-logics', {
      name: uniqueName('Broken code'),
      kind: 'CODE',
      defaultGateways: [{ gateway: 'SIM_ALPHA' }],
      definition: { code: 'setGatewayPriority(["SIM_ALPHA"]);\nif (order.udf1 == "x" {\n  setGatewayPriority(["SIM_BETA"]);\n}' },
    });
    assertError(r, 400, 'COMPILATION_ERROR', undefined, 'definition.code');
    const reason = r.json.error_info.fields.find((f: { field_name: string }) => f.field_name === 'definition.code').reason as string;
    assert.match(reason, /line 2/);
    assert.match(reason, /column \d+/);
  });

  test('CODE_TOO_LARGE', async () => {
    const code = `setGatewayPriority(["SIM_ALPHA"]);\n${'// padding padding padding padding padding padding\n'.repeat(1400)}`;
    const r = await api(j, 'POST', '/v1/priority-logics', { name: uniqueName('Big'), kind: 'CODE', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { code } });
    assertError(r, 400, 'CODE_TOO_LARGE', undefined, 'definition.code');
  });

  test('INVALID_GATEWAY: a gateway the merchant has not configured', async () => {
    const r = await api(j, 'POST', '/v1/priority-logics', defaultLogic(uniqueName('Unknown gw'), ['SIM_ALPHA', 'SIM_EPSILON']));
    assertError(r, 400, 'INVALID_GATEWAY', undefined, 'defaultGateways[1]');
    assert.match(r.json.error_info.fields[0].reason, /SIM_EPSILON/);
  });

  test('GATEWAY_NOT_SUPPORTED: the rule sends UPI to a gateway without UPI', async () => {
    const r = await api(
      j,
      'POST',
      '/v1/priority-logics',
      rules(uniqueName('UPI to delta'), [
        { name: 'upi', condition: { dimension: 'payment_method_type', operator: 'equal', value: 'UPI' }, output: { type: 'PRIORITY', gateways: [{ gateway: 'SIM_DELTA' }] } },
      ]),
    );
    assertError(r, 400, 'GATEWAY_NOT_SUPPORTED', undefined, 'definition.rules[0].output.gateways[0]');
  });

  test('"No Gateway Selected": an output without a gateway', async () => {
    let r = await api(
      j,
      'POST',
      '/v1/priority-logics',
      rules(uniqueName('Empty out'), [{ name: 'r', condition: { dimension: 'card_brand', operator: 'equal', value: 'VISA' }, output: { type: 'PRIORITY', gateways: [] } }]),
    );
    assertError(r, 400, 'NO_GATEWAY_SELECTED', 'No Gateway Selected', 'definition.rules[0].output.gateways');
    r = await api(j, 'POST', '/v1/priority-logics', { name: uniqueName('Empty vol'), kind: 'VOLUME', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { splits: [] } });
    assertError(r, 400, 'NO_GATEWAY_SELECTED', 'No Gateway Selected', 'definition.splits');
  });

  test('volume weights must sum to 100', async () => {
    const r = await api(j, 'POST', '/v1/priority-logics', {
      name: uniqueName('Vol'),
      kind: 'VOLUME',
      defaultGateways: [{ gateway: 'SIM_ALPHA' }],
      definition: {
        splits: [
          { gateway: 'SIM_ALPHA', weight: 60 },
          { gateway: 'SIM_BETA', weight: 30 },
        ],
      },
    });
    assertError(r, 400, 'INVALID_VOLUME_SPLIT', 'Invalid Volume Split', 'definition.splits');
  });

  test('every problem is listed in error_info.fields', async () => {
    const name = uniqueName('Many');
    await createLogic(j, defaultLogic(name, ['SIM_ALPHA']));
    const r = await api(j, 'POST', '/v1/priority-logics', {
      name,
      kind: 'RULES',
      defaultGateways: [],
      definition: { rules: [{ name: 'r', condition: { dimension: 'nope', operator: 'equal', value: 1 }, output: { type: 'PRIORITY', gateways: [{ gateway: 'NOT_A_GATEWAY' }] } }] },
    });
    assertError(r, 409, 'NAME_ALREADY_EXISTS', 'Configuration Name already exists');
    const fields = r.json.error_info.fields.map((f: { field_name: string }) => f.field_name);
    for (const f of ['name', 'defaultGateways', 'definition.rules[0].condition', 'definition.rules[0].output.gateways[0]']) assert.ok(fields.includes(f), `${f} in ${JSON.stringify(fields)}`);
    for (const f of r.json.error_info.fields) assert.equal(typeof f.reason, 'string');
  });

  test('unexpected failures: 500 "Something went wrong. Please try again" with the request id, no stack', async () => {
    const original = j.priorityLogic.list;
    j.priorityLogic.list = async () => {
      throw new Error('database exploded at /secret/path.ts:12');
    };
    try {
      const r = await api(j, 'GET', '/v1/priority-logics');
      assertError(r, 500, 'INTERNAL_ERROR', 'Something went wrong. Please try again');
      assert.ok(!r.body.includes('exploded') && !r.body.includes('secret'), r.body);
    } finally {
      j.priorityLogic.list = original;
    }
  });
});
