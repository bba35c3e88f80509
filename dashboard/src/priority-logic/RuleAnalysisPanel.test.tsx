import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RuleAnalysisPanel } from './RuleAnalysisPanel';
import { mockFetch, route } from './test-helpers';

afterEach(() => vi.unstubAllGlobals());

const WARNINGS = {
  logic_id: 'pl_1',
  kind: 'RULES',
  analysed: true,
  warnings: [
    {
      code: 'RULE_SHADOWED',
      rule_index: 2,
      rule_name: 'big visa',
      other_rule_index: 0,
      message: 'rule 3 ("big visa") can never match: every payment it matches is taken by earlier rules (first rule 1 ("big")).',
    },
    {
      code: 'RULES_OVERLAP',
      rule_index: 1,
      rule_name: 'visa',
      other_rule_index: 0,
      message: 'rule 2 ("visa") and rule 1 ("big") both match some payments.',
      witness: [
        { dimension: 'amount', value: 100000, description: '100000..4999999' },
        { dimension: 'card_brand', value: 'VISA', description: 'VISA' },
      ],
    },
    { code: 'ENFORCED_NO_GATEWAY', rule_index: null, rule_name: null, message: 'With enforce on, some payments that match no rule have no eligible gateway.' },
  ],
};

describe('RuleAnalysisPanel', () => {
  it('sends the draft, and shows the warnings grouped by rule with their witness payment', async () => {
    const { calls } = mockFetch(route('POST', '/v1/priority-logics/analyze', { body: WARNINGS }));
    const draft = { logic: { name: 'd', kind: 'RULES' as const, enforce: true, defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { rules: [] } } };
    render(<RuleAnalysisPanel source={() => draft} />);
    fireEvent.click(screen.getByRole('button', { name: 'Check the rules' }));
    await waitFor(() => expect(screen.getByText('Rule 3 (big visa)')).toBeTruthy());
    expect(calls[0]!.body).toEqual(draft);
    expect(screen.getByText('Rule 2 (visa)')).toBeTruthy();
    expect(screen.getByText('Default gateways')).toBeTruthy();
    expect(screen.getByText(/For example: amount: 100000\.\.4999999, card_brand: VISA/)).toBeTruthy();
    expect(screen.getByText('Shadowed by an earlier rule')).toBeTruthy();
  });

  it('says so when nothing is wrong, and shows a refused draft with its field', async () => {
    mockFetch(
      route('POST', '/v1/priority-logics/analyze', (call) =>
        call.body && (call.body as { logic_id?: string }).logic_id === 'pl_ok'
          ? { body: { logic_id: 'pl_ok', kind: 'RULES', analysed: true, warnings: [] } }
          : {
              status: 400,
              body: { error_message: 'Invalid Conditions', error_info: { code: 'INVALID_CONDITIONS', fields: [{ field_name: 'definition.rules[0].condition', reason: 'is required' }] } },
            },
      ),
    );
    const { unmount } = render(<RuleAnalysisPanel source={() => ({ logic_id: 'pl_ok' })} />);
    fireEvent.click(screen.getByRole('button', { name: 'Check the rules' }));
    await waitFor(() => expect(screen.getByTestId('rule-analysis-clean')).toBeTruthy());
    unmount();
    render(<RuleAnalysisPanel source={() => ({ logic_id: 'pl_broken' })} />);
    fireEvent.click(screen.getByRole('button', { name: 'Check the rules' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/condition/i));
  });
});
