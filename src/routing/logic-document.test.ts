import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { exportLogicDocument, parseLogicDocument, serializeLogicDocument } from './logic-document.ts';
import { logicArb } from './testing/fixtures.ts';
import type { RulesLogic } from './types.ts';

const logic: RulesLogic = {
  kind: 'RULES',
  name: 'Cards',
  description: 'cards to HDFC',
  enforce: true,
  defaultGateways: [{ gateway: 'PAYU', gatewayReferenceId: 'acc_1' }],
  rules: [
    {
      name: 'visa big',
      condition: {
        all: [
          { dimension: 'card_brand', operator: 'equal', value: 'VISA' },
          {
            any: [
              {
                dimension: 'amount',
                operator: 'between',
                value: [
                  { amount: 100, currency: 'INR' },
                  { amount: 500, currency: 'INR' },
                ],
              },
            ],
          },
        ],
      },
      output: {
        type: 'VOLUME_SPLIT',
        splits: [
          { gateway: 'HDFC', weight: 60 },
          { gateway: 'ICICI', gatewayReferenceId: null, weight: 40 },
        ],
      },
    },
  ],
};
const AT = '2026-11-23T13:00:00.000Z';

describe('logic documents', () => {
  it('exports a self-contained versioned document', () => {
    const doc = exportLogicDocument(logic, AT);
    assert.equal(doc.format, 'junction.priority-logic');
    assert.equal(doc.formatVersion, 1);
    assert.equal(doc.exportedAt, AT);
    assert.deepEqual(doc.definition, { rules: logic.rules });
    assert.notEqual((doc.definition as { rules: unknown }).rules, logic.rules, 'shares nothing with the live logic');
  });
  it('round-trips through JSON text', () => {
    const r = parseLogicDocument(JSON.parse(serializeLogicDocument(logic, AT)));
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.logic, logic);
  });
  it('export → import is the identity (property)', () => {
    fc.assert(
      fc.property(logicArb, (generated) => {
        const l = JSON.parse(JSON.stringify(generated)) as typeof generated; // plain prototypes for deepEqual
        const r = parseLogicDocument(JSON.parse(JSON.stringify(exportLogicDocument(l, AT))));
        assert.ok(r.ok, JSON.stringify(r));
        assert.deepEqual(r.logic, l);
        assert.deepEqual(exportLogicDocument(r.logic, AT), exportLogicDocument(l, AT));
      }),
      { numRuns: 500 },
    );
  });
  it('rejects unknown keys with their path', () => {
    const doc = JSON.parse(serializeLogicDocument(logic, AT));
    doc.colour = 'red';
    doc.definition.rules[0].condition.all[0].operater = 'equal';
    doc.definition.rules[0].output.splits[1].wieght = 3;
    const r = parseLogicDocument(doc);
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && r.errors.map((e) => e.field).sort(), ['colour', 'definition.rules[0].condition.all[0].operater', 'definition.rules[0].output.splits[1].wieght']);
  });
  it('reports wrong types, missing fields, bad format and version', () => {
    const r = parseLogicDocument({
      format: 'other',
      formatVersion: 2,
      name: 5,
      kind: 'RULES',
      enforce: 'yes',
      defaultGateways: [{}],
      definition: { rules: [{ name: 'x', condition: {}, output: { type: 'NOPE' } }] },
    });
    assert.equal(r.ok, false);
    const fields = !r.ok ? r.errors.map((e) => e.field) : [];
    for (const f of ['format', 'formatVersion', 'name', 'enforce', 'defaultGateways[0].gateway', 'definition.rules[0].condition.dimension', 'definition.rules[0].output.type']) {
      assert.ok(fields.includes(f), `${f} not reported in ${JSON.stringify(fields)}`);
    }
    assert.equal(parseLogicDocument('nope').ok, false);
    assert.equal(parseLogicDocument(null).ok, false);
  });
  it('runs validation and prefixes definition paths', () => {
    const doc = JSON.parse(serializeLogicDocument(logic, AT));
    doc.definition.rules[0].condition.all[0].operator = 'greater_than';
    doc.defaultGateways = [];
    const r = parseLogicDocument(doc);
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && r.errors.map((e) => [e.code, e.field]), [
      ['DEFAULT_GATEWAYS_REQUIRED', 'defaultGateways'],
      ['INVALID_CONDITIONS', 'definition.rules[0].condition.all[0]'],
    ]);
  });
});
