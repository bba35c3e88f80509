import { describe, expect, it } from 'vitest';
// The engine's own strict reader and validator: the dashboard's output must pass them unchanged.
import { parseLogicDocument } from '../../../src/routing/logic-document.ts';
import {
  OPERATORS_BY_KIND,
  conditionOf,
  displayReason,
  locatedReason,
  draftFromDefinition,
  emptyDraft,
  fromMinor,
  gatewayItem,
  humanPath,
  isFormField,
  leafFromCondition,
  lineColumn,
  newGroup,
  newLeaf,
  newRule,
  serverFieldErrors,
  toLogicInput,
  toMinor,
  validateDraft,
  withDimension,
  withOperator,
  type LeafDraft,
} from './model';
import { OPERATORS_BY_KIND as ENGINE_OPERATORS, DIMENSION_NAMES, lookupDimension } from '../../../src/routing/dimensions.ts';
import { DIMENSIONS } from './model';

const doc = (input: ReturnType<typeof toLogicInput>) => ({ format: 'junction.priority-logic', formatVersion: 1, ...input });

describe('dimension catalogue', () => {
  it('offers exactly the engine dimensions, with the engine operators per kind', () => {
    const ours = DIMENSIONS.map((d) => (d.name === 'metadata' ? 'metadata.<key>' : d.name)).sort();
    expect(ours).toEqual([...DIMENSION_NAMES].sort());
    for (const d of DIMENSIONS) {
      if (d.name === 'metadata') continue;
      const spec = lookupDimension(d.name)!;
      expect(d.kind).toBe(spec.kind);
      expect([...OPERATORS_BY_KIND[d.kind]].sort()).toEqual([...ENGINE_OPERATORS[spec.kind]].sort());
    }
  });
});

describe('draft → engine format', () => {
  it('builds a rules logic the engine reads and validates without a problem', () => {
    const d = emptyDraft('RULES');
    d.name = 'ICICI cards to BETA';
    d.defaultGateways = [gatewayItem('SIM_ALPHA'), gatewayItem('SIM_GAMMA')];
    const issuer: LeafDraft = { ...withDimension(newLeaf(), 'card_issuer'), value: 'ICICI Bank' };
    const amount: LeafDraft = { ...withOperator(withDimension(newLeaf(), 'amount'), 'greater_than'), value: '500.00', currency: 'INR' };
    const bins: LeafDraft = { ...withOperator(withDimension(newLeaf(), 'card_bin'), 'between'), from: '411111', to: '411199' };
    const brands: LeafDraft = { ...withOperator(withDimension(newLeaf(), 'card_brand'), 'in'), values: 'VISA, MASTERCARD' };
    const udf: LeafDraft = { ...withDimension(newLeaf(), 'udf1'), value: 'payu_offer' };
    const meta: LeafDraft = { ...withOperator(withDimension(newLeaf(), 'metadata'), 'starts_with'), metadataKey: 'channel', values: 'app' };
    const time: LeafDraft = { ...withOperator(withDimension(newLeaf(), 'time_of_day'), 'between'), from: '22:00', to: '6:00' };
    const emi: LeafDraft = { ...withDimension(newLeaf(), 'emi'), value: 'false' };
    const r0 = newRule(0);
    r0.name = 'icici';
    r0.root = { ...newGroup('all'), children: [issuer, amount, { ...newGroup('any'), children: [bins, brands] }] };
    r0.output = { ...r0.output, type: 'PRIORITY', gateways: [gatewayItem('SIM_BETA'), gatewayItem('SIM_ALPHA')] };
    const r1 = newRule(1);
    r1.name = 'offer';
    r1.root = { ...newGroup('any'), children: [udf, meta, time, emi] };
    r1.output = {
      ...r1.output,
      type: 'VOLUME_SPLIT',
      splits: [
        { ...gatewayItem('SIM_ALPHA'), weight: 40 },
        { ...gatewayItem('SIM_BETA'), weight: 60 },
      ],
    };
    const r2 = newRule(2);
    r2.root = { ...newGroup('all'), children: [{ ...withDimension(newLeaf(), 'currency'), value: 'USD' }] };
    r2.output = {
      ...r2.output,
      type: 'VOLUME_SPLIT_PRIORITY',
      prioritySplits: [
        { id: 'a', weight: 70, gateways: [gatewayItem('SIM_ALPHA'), gatewayItem('SIM_BETA')] },
        { id: 'b', weight: 30, gateways: [gatewayItem('SIM_GAMMA', 'ref_1')] },
      ],
    };
    d.rules = [r0, r1, r2];

    expect(validateDraft(d)).toEqual({});
    const input = toLogicInput(d);
    expect(input.definition).toEqual({
      rules: [
        {
          name: 'icici',
          condition: {
            all: [
              { dimension: 'card_issuer', operator: 'equal', value: 'ICICI Bank' },
              { dimension: 'amount', operator: 'greater_than', value: { amount: 50000, currency: 'INR' } },
              {
                any: [
                  { dimension: 'card_bin', operator: 'between', value: ['411111', '411199'] },
                  { dimension: 'card_brand', operator: 'in', value: ['VISA', 'MASTERCARD'] },
                ],
              },
            ],
          },
          output: { type: 'PRIORITY', gateways: [{ gateway: 'SIM_BETA' }, { gateway: 'SIM_ALPHA' }] },
        },
        {
          name: 'offer',
          condition: {
            any: [
              { dimension: 'udf1', operator: 'equal', value: 'payu_offer' },
              { dimension: 'metadata.channel', operator: 'starts_with', value: 'app' },
              { dimension: 'time_of_day', operator: 'between', value: ['22:00', '06:00'] },
              { dimension: 'emi', operator: 'equal', value: false },
            ],
          },
          output: {
            type: 'VOLUME_SPLIT',
            splits: [
              { gateway: 'SIM_ALPHA', weight: 40 },
              { gateway: 'SIM_BETA', weight: 60 },
            ],
          },
        },
        {
          name: 'Rule 3',
          condition: { all: [{ dimension: 'currency', operator: 'equal', value: 'USD' }] },
          output: {
            type: 'VOLUME_SPLIT_PRIORITY',
            splits: [
              { gateways: [{ gateway: 'SIM_ALPHA' }, { gateway: 'SIM_BETA' }], weight: 70 },
              { gateways: [{ gateway: 'SIM_GAMMA', gatewayReferenceId: 'ref_1' }], weight: 30 },
            ],
          },
        },
      ],
    });
    const parsed = parseLogicDocument(doc(input));
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);

    // And back: the draft of the stored definition produces the same definition.
    const back = draftFromDefinition({ kind: 'RULES', name: input.name, enforce: false, defaultGateways: input.defaultGateways, rules: (input.definition as { rules: never[] }).rules });
    expect(toLogicInput(back).definition).toEqual(input.definition);
  });

  it('builds default, volume and code logics the engine accepts', () => {
    const base = { name: 'x', defaultGateways: [gatewayItem('SIM_ALPHA')] };
    const def = { ...emptyDraft('DEFAULT'), ...base };
    const vol = {
      ...emptyDraft('VOLUME'),
      ...base,
      splits: [
        { ...gatewayItem('SIM_ALPHA'), weight: 50 },
        { ...gatewayItem('SIM_BETA'), weight: 50 },
      ],
    };
    const code = { ...emptyDraft('CODE'), ...base, rankingMode: 'WITHIN_LOGIC' as const };
    for (const d of [def, vol, code]) {
      const parsed = parseLogicDocument(doc(toLogicInput(d)));
      expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    }
    expect(toLogicInput(def).definition).toEqual({});
    expect(toLogicInput(code).ranking).toEqual({ mode: 'WITHIN_LOGIC' });
    expect(toLogicInput(def).ranking).toBeUndefined();
    expect(toLogicInput(def, { alwaysRanking: true }).ranking).toEqual({ mode: 'OFF' });
  });

  it('amounts: major units with a currency, or minor units for any currency', () => {
    expect(toMinor('500.5', 'INR')).toBe(50050);
    expect(toMinor('500.505', 'INR')).toBeNull();
    expect(toMinor('1000', 'JPY')).toBe(1000);
    expect(fromMinor(50050, 'INR')).toBe('500.50');
    expect(fromMinor(5, 'INR')).toBe('0.05');
    expect(fromMinor(-50050, 'INR')).toBe('-500.50'); // the sign kept (it used to be dropped)
    expect(toMinor('-5', 'INR')).toBeNull();
    expect(toMinor('500.500', 'INR')).toBe(50050); // trailing zeros are not decimals of value
    expect(toMinor('90000', '')).toBe(90000);
    const anyCurrency: LeafDraft = { ...withOperator(withDimension(newLeaf(), 'amount'), 'less_than'), value: '90000', currency: '' };
    expect(conditionOf(anyCurrency)).toEqual({ dimension: 'amount', operator: 'less_than', value: 90000 });
    expect(
      leafFromCondition({
        dimension: 'amount',
        operator: 'between',
        value: [
          { amount: 100, currency: 'INR' },
          { amount: 250000, currency: 'INR' },
        ],
      }),
    ).toMatchObject({
      from: '1.00',
      to: '2500.00',
      currency: 'INR',
    });
  });
});

describe('client checks', () => {
  it('names fields with the server paths and the seed messages', () => {
    const d = emptyDraft('RULES');
    d.rules[0]!.root.children = [];
    d.rules.push(newRule(1));
    const errors = validateDraft(d);
    expect(errors.name).toEqual(['Please provide Configuration Name']);
    expect(errors.defaultGateways).toEqual(['Need at least 1']);
    expect(errors['definition.rules[0].condition.all']).toEqual(['Invalid Conditions: add at least one condition']);
    expect(errors['definition.rules[1].condition.all[0]']).toEqual(['Invalid Conditions: enter a value']);
    expect(errors['definition.rules[0].output.gateways']).toEqual(['No Gateway Selected']);
    const code = validateDraft({ ...emptyDraft('CODE'), code: '  ' });
    expect(code['definition.code']).toEqual(['Please provide Code field']);
    const vol = validateDraft({
      ...emptyDraft('VOLUME'),
      splits: [
        { ...gatewayItem('A'), weight: 30 },
        { ...gatewayItem('B'), weight: 60 },
      ],
    });
    expect(vol['definition.splits']).toEqual(['Invalid Volume Split: weights sum to 90, they must sum to 100']);
  });

  it('checks values against the operator: BIN lengths, between order, time', () => {
    const bin = { ...withDimension(newLeaf(), 'card_bin'), value: '4111' };
    const d = { ...emptyDraft('RULES'), name: 'n', defaultGateways: [gatewayItem('A')] };
    d.rules[0]!.root.children = [
      bin,
      { ...withOperator(withDimension(newLeaf(), 'emi_tenure'), 'between'), from: '12', to: '3' },
      { ...withOperator(withDimension(newLeaf(), 'time_of_day'), 'less_than'), value: '25:00' },
    ];
    d.rules[0]!.output.gateways = [gatewayItem('A')];
    const e = validateDraft(d);
    expect(e['definition.rules[0].condition.all[0]']).toEqual(['Invalid Conditions: expects a BIN of 6 or 8 digits']);
    expect(e['definition.rules[0].condition.all[1]']?.[0]).toMatch(/from.*greater than/);
    expect(e['definition.rules[0].condition.all[2]']).toEqual(['Invalid Conditions: expects a time as HH:MM (UTC)']);
  });
});

describe('server errors', () => {
  it('keeps the field names and makes reasons readable', () => {
    const e = serverFieldErrors([
      { field_name: 'name', reason: 'Configuration Name already exists' },
      { field_name: 'defaultGateways[0]', reason: "Invalid Gateway: defaultGateways[0]: 'NOPE' is not a gateway configured for this merchant" },
      { field_name: 'definition.rules[0].condition.all[1]', reason: "Invalid Conditions: rules[0].condition.all[1]: unknown dimension 'colour'" },
      {
        field_name: 'definition.rules[0].output.gateways[0]',
        reason: "Gateway not supported: rules[0].output.gateways[0]: 'SIM_BETA' does not support payment_method_type UPI that this rule sends it",
      },
      { field_name: 'definition.code', reason: 'COMPILATION_ERROR: SyntaxError: unexpected token (line 3, column 7)' },
    ]);
    expect(e.name).toEqual(['Configuration Name already exists']);
    expect(e['defaultGateways[0]']).toEqual(["INVALID_GATEWAY: Default gateway 1: 'NOPE' is not a gateway configured for this merchant"]);
    expect(e['definition.rules[0].condition.all[1]']).toEqual(["Invalid Conditions: Rule 1 › condition 2: unknown dimension 'colour'"]);
    expect(e['definition.rules[0].output.gateways[0]']![0]).toMatch(/^GATEWAY_NOT_SUPPORTED: Rule 1 › output › gateway 1: /);
    expect(e['definition.code']).toEqual(['COMPILATION_ERROR: SyntaxError: unexpected token (line 3, column 7)']);
    expect(lineColumn(e['definition.code']![0]!)).toEqual({ line: 3, column: 7 });
    expect(humanPath('definition.rules[2].condition.any[0].all[3]')).toBe('Rule 3 › condition 1 › condition 4');
    expect(displayReason('No Gateway Selected: rules[0].output.gateways: no gateway selected')).toBe('No Gateway Selected (Rule 1 › output)');
  });

  it('says a field error\'s location once (never "Default gateway 4: INVALID_GATEWAY: Default gateway 4: …")', () => {
    expect(locatedReason('defaultGateways[3]', "Invalid Gateway: defaultGateways[3]: 'X' is not a gateway configured for this merchant")).toBe(
      "INVALID_GATEWAY: Default gateway 4: 'X' is not a gateway configured for this merchant",
    );
    expect(locatedReason('defaultGateways', 'Need at least 1')).toBe('Default gateways: Need at least 1');
    expect(locatedReason('definition.rules[0].colour', 'definition.rules[0].colour: unknown key')).toBe('Rule 1 › colour: unknown key');
    expect(locatedReason('body', 'something else')).toBe('Document: something else');
    for (const [field, reason] of [
      ['defaultGateways[3]', "Invalid Gateway: defaultGateways[3]: 'X' is not configured"],
      ['definition.rules[1].output.gateways[0]', 'Gateway not supported: rules[1].output.gateways[0]: SIM_X does not take UPI'],
      ['definition.rules[0].condition.all[1]', "Invalid Conditions: rules[0].condition.all[1]: unknown dimension 'colour'"],
    ] as const) {
      const text = locatedReason(field, reason);
      const where = humanPath(field);
      expect(text.split(where).length - 1).toBe(1);
    }
  });

  it('knows which fields the form shows', () => {
    const d = emptyDraft('RULES');
    expect(isFormField('name', d)).toBe(true);
    expect(isFormField('defaultGateways[2]', d)).toBe(true);
    expect(isFormField('definition.rules[0].condition', d)).toBe(true);
    expect(isFormField('definition.rules[5].condition', d)).toBe(false);
    expect(isFormField('body', d)).toBe(false);
  });
});
