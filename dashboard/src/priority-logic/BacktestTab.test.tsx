import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BacktestTab } from './BacktestTab';
import type { Backtest, BacktestReport } from './backtest-api';
import { mockFetch, renderWithSession, route } from './test-helpers';

const rate = (estimate: number, low: number, high: number) => ({ estimate, low, high });

const report: BacktestReport = {
  statement: "The draft's success rates are estimates, not outcomes.",
  logic: { id: 'pl_1', name: 'Beta first', version: 2, kind: 'DEFAULT' },
  window: { from: '2026-11-27T00:00:00.000Z', to: '2026-12-04T00:00:00.000Z' },
  payments: 10,
  moved: 4,
  skipped: 0,
  randomised: 10,
  totals: {
    key: 'ALL',
    payments: 10,
    moved: 4,
    actual_success_rate: rate(80, 49.02, 94.33),
    draft_success_rate: rate(85, 60, 100),
    difference: rate(5, -10, 20),
    supported: 4,
    model_only: 0,
    extrapolated: 0,
  },
  flows: [{ from: 'SIM_ALPHA', to: 'SIM_BETA', count: 4, share: 40 }],
  by_gateway: [
    {
      gateway: 'SIM_ALPHA',
      actual: { payments: 10, share: 100, success_rate: rate(80, 49.02, 94.33) },
      draft: { payments: 6, share: 60, success_rate: rate(83.33, 50, 100) },
      moved_in: 0,
      moved_out: 4,
    },
    { gateway: 'SIM_BETA', actual: { payments: 0, share: 0, success_rate: null }, draft: { payments: 4, share: 40, success_rate: rate(87.5, 60, 100) }, moved_in: 4, moved_out: 0 },
  ],
  by_payment_method_type: [
    {
      key: 'CARD',
      payments: 10,
      moved: 4,
      actual_success_rate: rate(80, 49.02, 94.33),
      draft_success_rate: rate(85, 60, 100),
      difference: rate(5, -10, 20),
      supported: 4,
      model_only: 0,
      extrapolated: 0,
    },
  ],
  by_segment: [],
  segments_omitted: 0,
  cost: { by_currency: [{ currency: 'INR', payments: 10, actual_fees_minor: 2000, draft_fees_minor: 3800, difference_minor: 1800 }], fees_unknown: 0 },
  moved_sample: [
    {
      txn_uuid: 'txn_1',
      order_id: 'ord_1',
      created_at: '2026-12-01T10:00:00.000Z',
      amount_minor: 10000,
      currency: 'INR',
      payment_method_type: 'CARD',
      payment_method: 'VISA',
      segment: 'CARD|VISA',
      status: 'CHARGED',
      success: true,
      actual: { gateway: 'SIM_ALPHA', decision: { logic: { id: 'pl_live', name: 'Live', version: 1 }, evaluationStatus: 'VOLUME_SPLIT', finalGateways: [{ gateway: 'SIM_ALPHA' }] } },
      draft: {
        gateway: 'SIM_BETA',
        decision: {
          logic: { id: 'pl_1', name: 'Beta first', version: 2 },
          evaluationStatus: 'DEFAULT_ORDER',
          finalGateways: [{ gateway: 'SIM_BETA' }, { gateway: 'SIM_ALPHA' }],
          eligibilityDrops: [{ gateway: 'SIM_DELTA', reason: 'PAYMENT_METHOD_NOT_SUPPORTED' }],
        },
      },
    },
  ],
  moved_sample_limit: 200,
};

const job = (status: Backtest['status'], processed: number, withReport = false): Backtest => ({
  id: 'bt_1',
  logic_id: 'pl_1',
  logic_version: 2,
  from: '2026-11-27T00:00:00.000Z',
  to: '2026-12-04T00:00:00.000Z',
  status,
  progress: { processed, total: 10, percent: processed * 10 },
  error: null,
  created_by: 'usr_1',
  created_at: '2026-12-04T10:00:00.000Z',
  finished_at: status === 'DONE' ? '2026-12-04T10:00:02.000Z' : null,
  ...(withReport ? { report } : {}),
});

describe('Backtest tab', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('runs a backtest on the chosen window, shows progress while it runs, then the report with intervals, the estimate statement and the moved payments side by side', async () => {
    const answers = [job('RUNNING', 4), job('DONE', 10, true)];
    const { calls } = mockFetch(
      route('GET', '/v1/priority-logics/pl_1/backtests', { body: { backtests: [] } }),
      route('POST', '/v1/priority-logics/pl_1/backtests', { status: 202, body: job('QUEUED', 0) }),
      route('GET', '/v1/priority-logics/backtests/bt_1', () => ({ body: answers.length > 1 ? answers.shift() : answers[0] })),
    );
    const user = userEvent.setup();
    renderWithSession(<BacktestTab logicId="pl_1" canRun pollMs={20} now={() => Date.parse('2026-12-04T12:00:00Z')} />);
    const from = screen.getByLabelText('From (UTC day)');
    expect((from as HTMLInputElement).value).toBe('2026-11-27');
    await user.clear(from);
    await user.type(from, '2026-11-30');
    await user.click(screen.getByRole('button', { name: 'Run backtest' }));
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toEqual({ from: '2026-11-30T00:00:00.000Z', to: '2026-12-05T00:00:00.000Z' });
    expect((await screen.findByTestId('backtest-progress')).textContent).toMatch(/of 10 payments/);
    expect((screen.getByRole('button', { name: 'Running…' }) as HTMLButtonElement).disabled).toBe(true);

    expect((await screen.findByTestId('backtest-statement')).textContent).toMatch(/estimates/);
    expect(screen.queryByTestId('backtest-progress')).toBeNull();
    expect(screen.getByTestId('backtest-summary').textContent).toContain('routes 4 of them differently (40.00%)');
    expect(screen.getByTestId('backtest-flows').textContent).toContain('SIM_ALPHA → SIM_BETA: 4 (40.00%)');
    const beta = within(screen.getByTestId('backtest-gateways')).getByRole('row', { name: /SIM_BETA/ });
    expect(beta.textContent).toContain('87.50% (60.00% to 100.00%)');
    expect(within(screen.getByTestId('backtest-methods')).getByRole('row', { name: /CARD/ }).textContent).toContain('+5.00 pts');
    expect(screen.getByTestId('backtest-cost').textContent).toMatch(/INR/);
    expect(screen.getByTestId('moved-actual').textContent).toContain('SIM_ALPHA');
    expect(screen.getByTestId('moved-actual').textContent).toContain('Live v1');
    expect(screen.getByTestId('moved-draft').textContent).toContain('Final gateways: SIM_BETA → SIM_ALPHA');
    expect(screen.getByTestId('moved-draft').textContent).toContain('Dropped: SIM_DELTA (PAYMENT_METHOD_NOT_SUPPORTED)');
    // The whole record of both decisions, side by side.
    await user.click(within(screen.getByTestId('moved-draft')).getByText('Decision record'));
    expect(within(screen.getByTestId('moved-draft')).getByText(/"evaluationStatus": "DEFAULT_ORDER"/)).toBeTruthy();
    expect(within(screen.getByTestId('moved-actual')).getByText(/"evaluationStatus": "VOLUME_SPLIT"/, { ignore: 'script' })).toBeTruthy();
  });

  it('shows the field the API refuses, and no Run button without the right to run', async () => {
    mockFetch(
      route('GET', '/v1/priority-logics/pl_1/backtests', { body: { backtests: [] } }),
      route('POST', '/v1/priority-logics/pl_1/backtests', {
        status: 400,
        body: {
          status: 'Bad Request',
          error_code: 'invalid_request_error',
          error_message: 'Invalid value for to: the window is at most 90 days',
          error_info: { code: 'INVALID_INPUT', fields: [{ field_name: 'to', reason: 'the window is at most 90 days' }] },
        },
      }),
    );
    const user = userEvent.setup();
    const { unmount } = renderWithSession(<BacktestTab logicId="pl_1" canRun />);
    await user.click(screen.getByRole('button', { name: 'Run backtest' }));
    expect((await screen.findByTestId('backtest-error')).textContent).toContain('to: the window is at most 90 days');
    unmount();
    renderWithSession(<BacktestTab logicId="pl_1" canRun={false} />, 'VIEWER');
    expect(screen.queryByRole('button', { name: 'Run backtest' })).toBeNull();
  });

  it('opens on the latest backtest of the logic', async () => {
    mockFetch(route('GET', '/v1/priority-logics/pl_1/backtests', { body: { backtests: [job('DONE', 10)] } }), route('GET', '/v1/priority-logics/backtests/bt_1', { body: job('DONE', 10, true) }));
    renderWithSession(<BacktestTab logicId="pl_1" canRun />);
    expect((await screen.findByTestId('backtest-window')).textContent).toContain('2026-11-27 00:00 to 2026-12-04 00:00 UTC');
  });
});
