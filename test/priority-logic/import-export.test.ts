// Share and import: export -> import (raw JSON or a file upload) -> export is lossless, and an
// import is validated exactly like a create. Dry run: the trace of a stored logic or a draft.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../helpers/test-app.ts';
import { ADMIN_TOKEN, VIEWER_TOKEN, api, assertError, bearer, createLogic, startPlApp, uniqueName } from './pl-helpers.ts';

let j: TestApp;
before(async () => {
  j = await startPlApp();
});
after(async () => {
  await j.close();
});

const RULES = [
  {
    name: 'big ICICI cards',
    condition: {
      all: [
        { dimension: 'card_issuer', operator: 'equal', value: 'ICICI Bank' },
        { dimension: 'amount', operator: 'greater_than', value: { amount: 50000, currency: 'INR' } },
      ],
    },
    output: {
      type: 'VOLUME_SPLIT_PRIORITY',
      splits: [
        { gateways: [{ gateway: 'SIM_BETA' }, { gateway: 'SIM_ALPHA' }], weight: 70 },
        { gateways: [{ gateway: 'SIM_GAMMA' }], weight: 30 },
      ],
    },
  },
  {
    name: 'visa',
    condition: {
      any: [
        { dimension: 'card_brand', operator: 'in', value: ['VISA', 'MASTERCARD'] },
        { dimension: 'card_bin', operator: 'between', value: ['400000', '499999'] },
      ],
    },
    output: { type: 'PRIORITY', gateways: [{ gateway: 'SIM_GAMMA' }, { gateway: 'SIM_BETA' }] },
  },
  {
    name: 'offer',
    condition: { dimension: 'udf1', operator: 'equal', value: 'payu_offer' },
    output: {
      type: 'VOLUME_SPLIT',
      splits: [
        { gateway: 'SIM_ALPHA', weight: 40 },
        { gateway: 'SIM_BETA', weight: 60 },
      ],
    },
  },
];

function multipart(filename: string, content: string): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----junctiontest7b3c';
  const payload = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/json\r\n\r\n${content}\r\n--${boundary}--\r\n`);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${ADMIN_TOKEN}` } };
}

function withoutVolatile(doc: Record<string, unknown>): Record<string, unknown> {
  const { exportedAt: _e, name: _n, ...rest } = doc;
  return rest;
}

describe('export and import', () => {
  test('export -> raw JSON import (renamed) -> export: equal except name and date', async () => {
    const src = await createLogic(j, {
      name: uniqueName('Share me'),
      description: 'rules to share',
      kind: 'RULES',
      enforce: true,
      defaultGateways: [{ gateway: 'SIM_ALPHA' }, { gateway: 'SIM_BETA' }],
      definition: { rules: RULES },
    });
    const exported = await api(j, 'GET', `/v1/priority-logics/${src.id}/export`, undefined, bearer(VIEWER_TOKEN));
    assert.equal(exported.status, 200, exported.body);
    assert.equal(exported.json.format, 'junction.priority-logic');
    assert.match(String(exported.headers['content-disposition']), /attachment/);
    // Same name: refused like a create.
    assertError(await api(j, 'POST', '/v1/priority-logics/import', exported.json), 409, 'NAME_ALREADY_EXISTS', 'Configuration Name already exists', 'name');
    const newName = uniqueName('Imported');
    const imported = await api(j, 'POST', `/v1/priority-logics/import?name=${encodeURIComponent(newName)}`, exported.json);
    assert.equal(imported.status, 201, imported.body);
    assert.equal(imported.json.name, newName);
    assert.equal(imported.json.status, 'INACTIVE');
    const again = await api(j, 'GET', `/v1/priority-logics/${imported.json.id}/export`);
    assert.deepEqual(withoutVolatile(again.json), withoutVolatile(exported.json));
    assert.deepEqual(imported.json.definition.rules, src.definition.rules);
  });

  test('multipart file upload imports the same document', async () => {
    const src = await createLogic(j, {
      name: uniqueName('Volume'),
      kind: 'VOLUME',
      defaultGateways: [{ gateway: 'SIM_GAMMA' }],
      definition: {
        splits: [
          { gateway: 'SIM_ALPHA', weight: 25 },
          { gateway: 'SIM_BETA', weight: 75 },
        ],
      },
    });
    const doc = (await api(j, 'GET', `/v1/priority-logics/${src.id}/export`)).json;
    doc.name = uniqueName('Uploaded');
    const upload = multipart('logic.json', JSON.stringify(doc, null, 2));
    const r = await j.app.inject({ method: 'POST', url: '/v1/priority-logics/import', ...upload });
    assert.equal(r.statusCode, 201, r.body);
    const created = JSON.parse(r.body);
    assert.equal(created.name, doc.name);
    const back = (await api(j, 'GET', `/v1/priority-logics/${created.id}/export`)).json;
    assert.deepEqual(withoutVolatile(back), withoutVolatile(doc));
    // A code logic imported from a file still needs approval.
    const code = {
      format: 'junction.priority-logic',
      formatVersion: 1,
      name: uniqueName('Code file'),
      kind: 'CODE',
      enforce: false,
      defaultGateways: [{ gateway: 'SIM_ALPHA' }],
      definition: { code: 'setGatewayPriority(["SIM_BETA"]);' },
    };
    const codeUpload = await j.app.inject({ method: 'POST', url: '/v1/priority-logics/import', ...multipart('code.json', JSON.stringify(code)) });
    assert.equal(codeUpload.statusCode, 201, codeUpload.body);
    assert.equal(JSON.parse(codeUpload.body).status, 'PENDING_APPROVAL');
  });

  test('an import is validated exactly like a create, with field paths', async () => {
    const base = { format: 'junction.priority-logic', formatVersion: 1, kind: 'RULES', enforce: false };
    assertError(
      await api(j, 'POST', '/v1/priority-logics/import', { ...base, name: uniqueName('i'), defaultGateways: [], definition: { rules: [] } }),
      400,
      'DEFAULT_GATEWAYS_REQUIRED',
      'Need at least 1',
      'defaultGateways',
    );
    assertError(
      await api(j, 'POST', '/v1/priority-logics/import', {
        ...base,
        name: uniqueName('i'),
        defaultGateways: [{ gateway: 'SIM_ALPHA' }],
        definition: { rules: [{ name: 'r', condition: { dimension: 'colour', operator: 'equal', value: 'red' }, output: { type: 'PRIORITY', gateways: [{ gateway: 'SIM_BETA' }] } }] },
      }),
      400,
      'INVALID_CONDITIONS',
      'Invalid Conditions',
      'definition.rules[0].condition',
    );
    assertError(
      await api(j, 'POST', '/v1/priority-logics/import', { ...base, name: uniqueName('i'), defaultGateways: [{ gateway: 'SIM_EPSILON' }], definition: { rules: [] } }),
      400,
      'INVALID_GATEWAY',
      undefined,
      'defaultGateways[0]',
    );
    assertError(
      await api(j, 'POST', '/v1/priority-logics/import', { ...base, kind: 'CODE', name: uniqueName('i'), defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { code: '' } }),
      400,
      'CODE_REQUIRED',
      'Please provide Code field',
      'definition.code',
    );
    assertError(
      await api(j, 'POST', '/v1/priority-logics/import', { ...base, name: uniqueName('i'), defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { rules: [] }, colour: 'red' }),
      400,
      'INVALID_INPUT',
      undefined,
      'colour',
    );
    assertError(
      await api(j, 'POST', '/v1/priority-logics/import', { ...base, formatVersion: 9, name: uniqueName('i'), defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { rules: [] } }),
      400,
      'INVALID_INPUT',
      undefined,
      'formatVersion',
    );
    const bad = await j.app.inject({ method: 'POST', url: '/v1/priority-logics/import', ...multipart('x.json', '{not json') });
    assert.equal(bad.statusCode, 400);
    assert.equal(JSON.parse(bad.body).error_info.fields[0].field_name, 'file');
    assertError(
      await api(j, 'POST', '/v1/priority-logics/import', { ...base, name: uniqueName('i'), defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { rules: [] } }, bearer(VIEWER_TOKEN)),
      403,
      'UNAUTHORIZED',
      'You do not have access',
    );
  });
});

describe('dry run', () => {
  test('a stored rules logic: which rule matched, why earlier rules did not, and the decision', async () => {
    const logic = await createLogic(j, { name: uniqueName('Dry'), kind: 'RULES', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { rules: RULES } });
    const r = await api(j, 'POST', '/v1/priority-logics/dry-run', {
      logic_id: logic.id,
      payment: { payment_method_type: 'CARD', card_number: '4111111111111111', amount: '100.00', currency: 'INR', udf1: 'payu_offer' },
    });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.logic_id, logic.id);
    assert.deepEqual(r.json.matched_rule, { index: 1, name: 'visa' });
    assert.equal(r.json.rules.length, 2);
    assert.equal(r.json.rules[0].matched, false);
    assert.ok(r.json.rules[0].failedLeaves.length >= 1, JSON.stringify(r.json.rules[0]));
    assert.equal(r.json.decision.evaluationStatus, 'RULE_MATCHED');
    assert.deepEqual(r.json.decision.finalGateways.map((g: { gateway: string }) => g.gateway).slice(0, 2), ['SIM_GAMMA', 'SIM_BETA']);
    assert.equal(r.json.decision.logic.id, logic.id);
    assert.equal(r.json.consistent, true);
    assert.deepEqual(r.json.validation_errors, []);
  });

  test('a draft (not saved) with a card BIN, and a draft with problems lists them', async () => {
    let r = await api(j, 'POST', '/v1/priority-logics/dry-run', {
      logic: {
        kind: 'RULES',
        defaultGateways: [{ gateway: 'SIM_BETA' }],
        definition: { rules: [{ name: 'icici', condition: { dimension: 'card_issuer', operator: 'equal', value: 'ICICI Bank' }, output: { type: 'PRIORITY', gateways: [{ gateway: 'SIM_DELTA' }] } }] },
      },
      payment: { card_bin: '555555', amount: 10 },
    });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json.matched_rule, { index: 0, name: 'icici' });
    assert.equal(r.json.decision.finalGateways[0].gateway, 'SIM_DELTA');
    r = await api(j, 'POST', '/v1/priority-logics/dry-run', {
      logic: { kind: 'DEFAULT', defaultGateways: [{ gateway: 'SIM_EPSILON' }, { gateway: 'SIM_ALPHA' }] },
      payment: { payment_method_type: 'UPI' },
    });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.validation_errors[0].code, 'INVALID_GATEWAY');
    assert.equal(r.json.decision.eligibilityDrops[0].reason, 'NOT_CONFIGURED');
    assert.equal(r.json.decision.finalGateways[0].gateway, 'SIM_ALPHA');
    // A structurally broken draft is refused with its field.
    assertError(
      await api(j, 'POST', '/v1/priority-logics/dry-run', {
        logic: {
          kind: 'RULES',
          defaultGateways: [{ gateway: 'SIM_ALPHA' }],
          definition: { rules: [{ name: 'x', condition: { dimension: 'card_brand' }, output: { type: 'PRIORITY', gateways: [{ gateway: 'SIM_ALPHA' }] } }] },
        },
        payment: {},
      }),
      400,
      'INVALID_CONDITIONS',
      'Invalid Conditions',
      'definition.rules[0].condition.operator',
    );
    // A rule without a condition is the catch-all; without an output it is refused, naming the output.
    assertError(
      await api(j, 'POST', '/v1/priority-logics/dry-run', { logic: { kind: 'RULES', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { rules: [{ name: 'x' }] } }, payment: {} }),
      400,
      'INVALID_INPUT',
      undefined,
      'definition.rules[0].output',
    );
    assertError(await api(j, 'POST', '/v1/priority-logics/dry-run', { payment: {} }), 400, 'MISSING_MANDATORY_PARAMETER');
  });

  test('a code draft runs in the sandbox; a throwing one shows the failure', async () => {
    let r = await api(j, 'POST', '/v1/priority-logics/dry-run', {
      logic: {
        kind: 'CODE',
        defaultGateways: [{ gateway: 'SIM_ALPHA' }],
        definition: { code: 'if (order.udf1 == "payu_offer") enforceGatewayPriority(["SIM_BETA"]); else setGatewayPriority(["SIM_GAMMA"]);' },
      },
      payment: { udf1: 'payu_offer', card_number: '4111111111111111' },
    });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.decision.enforced, true);
    assert.deepEqual(
      r.json.decision.finalGateways.map((g: { gateway: string }) => g.gateway),
      ['SIM_BETA'],
    );
    r = await api(j, 'POST', '/v1/priority-logics/dry-run', {
      logic: { kind: 'CODE', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { code: 'throw new Error("boom")' } },
      payment: {},
    });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.decision.primary.status, 'FAILURE');
    assert.equal(r.json.decision.primary.failure_reason, 'UNHANDLED_EXCEPTION');
    assert.equal(r.json.decision.finalGateways[0].gateway, 'SIM_ALPHA');
  });
});
