import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLogicDocument } from '../../../src/routing/logic-document.ts';
import { RuleBuilder } from './RuleBuilder';
import { newRule, ruleDraftOf, ruleOf, type FieldErrors, type RuleDraft } from './model';
import { optionsOf } from './gateways';
import { GATEWAYS, keyboardDrag, layoutSortables } from './test-helpers';
import type { Rule } from './types';

const options = optionsOf(GATEWAYS.gateways);

function Harness({ initial, errors = {}, onRules }: { initial?: RuleDraft[]; errors?: FieldErrors; onRules: (rules: Rule[]) => void }) {
  const [rules, setRules] = useState<RuleDraft[]>(initial ?? [newRule(0)]);
  onRules(rules.map(ruleOf));
  return <RuleBuilder rules={rules} onChange={setRules} options={options} errors={errors} />;
}

function setup(initial?: RuleDraft[], errors?: FieldErrors) {
  const out: { rules: Rule[] } = { rules: [] };
  const user = userEvent.setup();
  render(<Harness initial={initial} errors={errors} onRules={(r) => (out.rules = r)} />);
  return { user, out };
}

const rule = (n: number) => screen.getByRole('region', { name: `Rule ${n}` });
const optionLabels = (select: HTMLElement) =>
  within(select)
    .getAllByRole('option')
    .map((o) => o.textContent);

describe('RuleBuilder', () => {
  let restore: (() => void) | null = null;
  afterEach(() => {
    restore?.();
    restore = null;
  });

  it('adds and removes rules', async () => {
    const { user, out } = setup();
    expect(screen.getAllByRole('region', { name: /^Rule \d$/ })).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: '+ Add rule' }));
    await user.click(screen.getByRole('button', { name: '+ Add rule' }));
    expect(screen.getAllByRole('region', { name: /^Rule \d$/ })).toHaveLength(3);
    expect(out.rules.map((r) => r.name)).toEqual(['Rule 1', 'Rule 2', 'Rule 3']);
    await user.click(screen.getByRole('button', { name: 'Remove Rule 2' }));
    expect(out.rules.map((r) => r.name)).toEqual(['Rule 1', 'Rule 3']);
  });

  it('+ Add condition moves the focus to the new row (it appears above the button)', async () => {
    const { user } = setup();
    const r1 = rule(1);
    const before = within(r1).getAllByRole('combobox', { name: 'Dimension' }).length;
    await user.click(within(r1).getByRole('button', { name: '+ Add condition' }));
    const dims = within(r1).getAllByRole('combobox', { name: 'Dimension' });
    expect(dims).toHaveLength(before + 1);
    expect(document.activeElement).toBe(dims.at(-1));
  });

  it('an “Otherwise” rule catches every other payment, stays last, and is sent as an empty all', async () => {
    const { user, out } = setup();
    await user.click(screen.getByRole('button', { name: '+ Add “Otherwise” rule' }));
    expect(screen.queryByRole('button', { name: '+ Add “Otherwise” rule' })).toBeNull();
    expect(screen.getByTestId('otherwise-1').textContent).toContain('every payment that no rule above matched');
    await user.click(screen.getByRole('button', { name: '+ Add rule' }));
    expect(out.rules.map((r) => r.name)).toEqual(['Rule 1', 'Rule 2', 'Otherwise']);
    expect(out.rules[2]!.condition).toEqual({ all: [] });
    expect(screen.getByTestId('otherwise-2')).toBeTruthy();
    // A stored catch-all opens as an “Otherwise” rule again.
    expect(ruleDraftOf(out.rules[2]!).otherwise).toBe(true);
    expect(ruleDraftOf(out.rules[0]!).otherwise).toBeUndefined();
  });

  it('nests AND/OR groups to any depth', async () => {
    const { user, out } = setup();
    const r1 = rule(1);
    await user.click(within(r1).getByRole('button', { name: '+ Add group' }));
    const nested = within(r1).getByTestId('cond-rules[0].condition.all[1]');
    expect(within(nested).getByRole('combobox', { name: 'Match' })).toHaveProperty('value', 'any');
    await user.click(within(nested).getByRole('button', { name: '+ Add group' }));
    const deeper = within(nested).getByTestId('cond-rules[0].condition.all[1].any[1]');
    await user.click(within(deeper).getByRole('button', { name: '+ Add condition' }));
    const cond = out.rules[0]!.condition as { all: unknown[] };
    expect(cond.all).toHaveLength(2);
    expect(cond.all[1]).toMatchObject({ any: [{ dimension: 'payment_method_type' }, { all: [{ dimension: 'payment_method_type' }, { dimension: 'payment_method_type' }] }] });
    // Switch the nested group to AND.
    await user.selectOptions(within(nested).getAllByRole('combobox', { name: 'Match' })[0]!, 'all');
    expect((out.rules[0]!.condition as { all: object[] }).all[1]).toHaveProperty('all');
    await user.click(within(deeper).getByRole('button', { name: 'Remove group' }));
    expect((out.rules[0]!.condition as { all: { all: unknown[] }[] }).all[1]!.all).toHaveLength(1);
  });

  it('offers only the operators valid for the chosen dimension', async () => {
    const { user } = setup();
    const leaf = screen.getByTestId('cond-rules[0].condition.all[0]');
    const dim = within(leaf).getByRole('combobox', { name: 'Dimension' });
    const op = () => within(leaf).getByRole('combobox', { name: 'Operator' });
    expect(optionLabels(op())).toEqual(['equals', 'does not equal', 'is one of', 'is not one of']);
    await user.selectOptions(dim, 'card_bin');
    expect(optionLabels(op())).toEqual(['equals', 'does not equal', 'is one of', 'is not one of', 'starts with', 'is between']);
    await user.selectOptions(dim, 'amount');
    expect(optionLabels(op())).toEqual(['equals', 'does not equal', 'is less than', 'is at most', 'is greater than', 'is at least', 'is between']);
    expect(within(leaf).getByRole('combobox', { name: 'Currency' })).toBeTruthy();
    await user.selectOptions(dim, 'time_of_day');
    expect(optionLabels(op())).toEqual(['is less than', 'is at most', 'is greater than', 'is at least', 'is between']);
    await user.selectOptions(dim, 'emi');
    expect(optionLabels(op())).toEqual(['equals', 'does not equal']);
    expect(optionLabels(within(leaf).getByRole('combobox', { name: 'Value' }))).toEqual(['true', 'false']);
    await user.selectOptions(dim, 'udf3');
    expect(optionLabels(op())).toContain('starts with');
    await user.selectOptions(dim, 'metadata');
    expect(within(leaf).getByLabelText('Metadata key')).toBeTruthy();
  });

  it('takes a range for between and a list for in, in the engine format', async () => {
    const { user, out } = setup();
    const r1 = rule(1);
    await user.click(within(r1).getByRole('button', { name: '+ Add condition' }));
    const a = screen.getByTestId('cond-rules[0].condition.all[0]');
    await user.selectOptions(within(a).getByRole('combobox', { name: 'Dimension' }), 'amount');
    await user.selectOptions(within(a).getByRole('combobox', { name: 'Operator' }), 'between');
    await user.type(within(a).getByLabelText('Range start'), '500');
    await user.type(within(a).getByLabelText('Range end'), '2500.50');
    const b = screen.getByTestId('cond-rules[0].condition.all[1]');
    await user.selectOptions(within(b).getByRole('combobox', { name: 'Dimension' }), 'card_brand');
    await user.selectOptions(within(b).getByRole('combobox', { name: 'Operator' }), 'in');
    await user.type(within(b).getByLabelText('Values (comma-separated)'), 'VISA, MASTERCARD');
    await user.click(within(r1).getByRole('button', { name: '+ Add condition' }));
    const c = screen.getByTestId('cond-rules[0].condition.all[2]');
    await user.selectOptions(within(c).getByRole('combobox', { name: 'Dimension' }), 'card_bin');
    await user.selectOptions(within(c).getByRole('combobox', { name: 'Operator' }), 'starts_with');
    await user.type(within(c).getByLabelText('Prefixes (comma-separated)'), '4111, 5555');
    expect(out.rules[0]!.condition).toEqual({
      all: [
        {
          dimension: 'amount',
          operator: 'between',
          value: [
            { amount: 50000, currency: 'INR' },
            { amount: 250050, currency: 'INR' },
          ],
        },
        { dimension: 'card_brand', operator: 'in', value: ['VISA', 'MASTERCARD'] },
        { dimension: 'card_bin', operator: 'starts_with', value: ['4111', '5555'] },
      ],
    });
  });

  it('reorders rules and conditions with the keyboard (drag handle, Space, ArrowDown, Space)', async () => {
    restore = layoutSortables();
    const { user, out } = setup();
    await user.click(screen.getByRole('button', { name: '+ Add rule' }));
    await user.clear(screen.getByLabelText('Rule 1 name'));
    await user.type(screen.getByLabelText('Rule 1 name'), 'first');
    await keyboardDrag(screen.getByRole('button', { name: 'Drag rule 1 (first)' }), 1);
    expect(out.rules.map((r) => r.name)).toEqual(['Rule 2', 'first']);

    const r1 = rule(1);
    await user.click(within(r1).getByRole('button', { name: '+ Add condition' }));
    await user.selectOptions(within(screen.getByTestId('cond-rules[0].condition.all[1]')).getByRole('combobox', { name: 'Dimension' }), 'udf1');
    await keyboardDrag(within(r1).getByRole('button', { name: 'Drag condition 2 (UDF 1)' }), -1);
    expect((out.rules[0]!.condition as { all: { dimension: string }[] }).all.map((c) => c.dimension)).toEqual(['udf1', 'payment_method_type']);
  });

  it('validates that a volume split output sums to 100', async () => {
    const { user, out } = setup();
    const r1 = rule(1);
    await user.selectOptions(within(r1).getByRole('combobox', { name: 'Output type' }), 'VOLUME_SPLIT');
    await user.selectOptions(within(r1).getByRole('combobox', { name: 'Add gateway to Rule 1 split' }), 'SIM_ALPHA');
    await user.selectOptions(within(r1).getByRole('combobox', { name: 'Add gateway to Rule 1 split' }), 'SIM_BETA');
    // A new gateway takes an even share: 50/50.
    expect(within(r1).getByTestId('rule-1-split-total').textContent).toBe('Total: 100%');
    expect((within(r1).getByRole('spinbutton', { name: 'Weight of SIM_BETA (%)' }) as HTMLInputElement).value).toBe('50');
    // The number field sets one weight exactly (no rebalancing), so the total can be off until fixed.
    const alpha = within(r1).getByRole('spinbutton', { name: 'Weight of SIM_ALPHA (%)' });
    await user.clear(alpha);
    await user.type(alpha, '70');
    expect(within(r1).getByTestId('rule-1-split-total').textContent).toBe('Total: 120%');
    expect(within(r1).getByText('The weights must sum to 100% (now 120%).')).toBeTruthy();
    const beta = within(r1).getByRole('spinbutton', { name: 'Weight of SIM_BETA (%)' });
    await user.clear(beta);
    await user.type(beta, '30');
    expect(within(r1).getByTestId('rule-1-split-total').textContent).toBe('Total: 100%');
    expect(within(r1).queryByText(/must sum to 100/)).toBeNull();
    expect(out.rules[0]!.output).toEqual({
      type: 'VOLUME_SPLIT',
      splits: [
        { gateway: 'SIM_ALPHA', weight: 70 },
        { gateway: 'SIM_BETA', weight: 30 },
      ],
    });
  });

  it('produces a definition the engine reads and validates', async () => {
    const { user, out } = setup();
    const r1 = rule(1);
    const leaf = screen.getByTestId('cond-rules[0].condition.all[0]');
    await user.selectOptions(within(leaf).getByRole('combobox', { name: 'Dimension' }), 'card_issuer');
    await user.type(within(leaf).getByLabelText('Value'), 'ICICI Bank');
    await user.selectOptions(within(r1).getByRole('combobox', { name: 'Add gateway to Rule 1 gateways' }), 'SIM_BETA');
    await user.selectOptions(within(r1).getByRole('combobox', { name: 'Add gateway to Rule 1 gateways' }), 'SIM_ALPHA');
    await user.click(screen.getByRole('button', { name: '+ Add rule' }));
    const r2 = rule(2);
    await user.selectOptions(within(r2).getByRole('combobox', { name: 'Output type' }), 'VOLUME_SPLIT_PRIORITY');
    await user.click(within(r2).getByRole('button', { name: 'Add split part' }));
    await user.selectOptions(within(r2).getByRole('combobox', { name: 'Add gateway to Rule 2 split part 1 gateways' }), 'SIM_GAMMA');
    const l2 = screen.getByTestId('cond-rules[1].condition.all[0]');
    await user.selectOptions(within(l2).getByRole('combobox', { name: 'Dimension' }), 'emi_tenure');
    await user.selectOptions(within(l2).getByRole('combobox', { name: 'Operator' }), 'greater_than_equal');
    await user.type(within(l2).getByLabelText('Value'), '6');

    expect(out.rules).toEqual([
      {
        name: 'Rule 1',
        condition: { all: [{ dimension: 'card_issuer', operator: 'equal', value: 'ICICI Bank' }] },
        output: { type: 'PRIORITY', gateways: [{ gateway: 'SIM_BETA' }, { gateway: 'SIM_ALPHA' }] },
      },
      {
        name: 'Rule 2',
        condition: { all: [{ dimension: 'emi_tenure', operator: 'greater_than_equal', value: 6 }] },
        output: { type: 'VOLUME_SPLIT_PRIORITY', splits: [{ gateways: [{ gateway: 'SIM_GAMMA' }], weight: 100 }] },
      },
    ]);
    const parsed = parseLogicDocument({
      format: 'junction.priority-logic',
      formatVersion: 1,
      name: 'n',
      kind: 'RULES',
      enforce: false,
      defaultGateways: [{ gateway: 'SIM_ALPHA' }],
      definition: { rules: out.rules },
    });
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  });

  it('shows a server "Invalid Conditions" error next to the condition it names', () => {
    setup([newRule(0)], { 'definition.rules[0].condition.all[0]': ["Invalid Conditions: Rule 1 › condition 1: unknown dimension 'colour'"] });
    const leaf = screen.getByTestId('cond-rules[0].condition.all[0]');
    expect(within(leaf).getByText("Invalid Conditions: Rule 1 › condition 1: unknown dimension 'colour'")).toBeTruthy();
  });
});
