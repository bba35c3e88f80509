import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DryRunPanel } from './DryRunPanel';
import { mockFetch, renderWithSession, route } from './test-helpers';

const decision = (finalGateways: { gateway: string }[], failureReason?: string) => ({
  logic_id: 'pl_1',
  validation_errors: [],
  matched_rule: null,
  rules: [],
  consistent: true,
  decision: {
    logic: { id: 'pl_1', name: 'x', version: 1, kind: 'DEFAULT', role: 'PRIMARY' },
    primary: { name: 'x', status: 'SUCCESS' },
    evaluationStatus: 'OK',
    producedList: [{ gateway: 'SIM_ALPHA' }],
    enforced: true,
    eligibilityDrops: [{ gateway: 'SIM_ALPHA', reason: 'currency' }],
    finalGateways,
    ...(failureReason ? { failureReason } : {}),
  },
});

describe('dry run outcome', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('no gateway left after enforce is said in words, never "(none)NULL_AFTER_ENFORCE"', async () => {
    mockFetch(route('POST', '/v1/priority-logics/dry-run', { body: decision([], 'NULL_AFTER_ENFORCE') }));
    const user = userEvent.setup();
    renderWithSession(<DryRunPanel source={() => ({ logic_id: 'pl_1' })} />);
    await user.click(screen.getByRole('button', { name: 'Run test' }));
    const final = await screen.findByTestId('dry-run-final');
    expect(final.textContent).not.toContain('(none)NULL_AFTER_ENFORCE');
    expect(final.textContent).not.toContain('(none)');
    expect(screen.getByTestId('dry-run-outcome').textContent).toMatch(/^No gateway to try: the logic is enforced .* NULL_AFTER_ENFORCE$/);
  });

  it('a normal decision lists the final gateways', async () => {
    mockFetch(route('POST', '/v1/priority-logics/dry-run', { body: decision([{ gateway: 'SIM_BETA' }]) }));
    const user = userEvent.setup();
    renderWithSession(<DryRunPanel source={() => ({ logic_id: 'pl_1' })} />);
    await user.click(screen.getByRole('button', { name: 'Run test' }));
    expect((await screen.findByTestId('dry-run-final')).textContent).toBe('SIM_BETA');
    expect(screen.queryByTestId('dry-run-outcome')).toBeNull();
  });
});
