import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GuardRollbackBanner, GuardSettingsFields, GuardStatus, guardDraftProblem, guardDraftToApi, newGuardDraft, type GuardDraft, type ReleaseGuardInfo } from './ReleaseGuard';
import { mockFetch, route } from './test-helpers';

afterEach(() => vi.unstubAllGlobals());

const GUARD: ReleaseGuardInfo = {
  id: 'rg_1',
  logic_id: 'pl_new',
  baseline_logic_id: 'pl_old',
  stagger_percentage: 20,
  state: 'RUNNING',
  end_reason: null,
  metric: 'SUCCESS_RATE',
  tolerance: 1,
  detectable_effect: 2,
  min_sample: 200,
  planned_sample: 5380,
  alpha: 0.05,
  auto_promote: true,
  evidence: {
    verdict: 'WATCHING',
    new_logic: { n: 1345, mean: 89.2 },
    old_logic: { n: 5400, mean: 90 },
    worse_by: 0.8,
    interval: { low: -1.2, high: 2.8 },
    likelihood_ratio: 1.7,
    threshold: 20,
    summary:
      '1345 payments of the new logic and 5400 of the active one: the new logic is 0.8 points worse (always-valid 95% interval: between 1.2 points better and 2.8 points worse). Not shown worse than the tolerance of 1 points yet.',
  },
  started: '2026-12-04T10:00:00Z',
  last_evaluated: '2026-12-04T11:00:00Z',
  ended: null,
};

function Harness({ onValue }: { onValue: (v: GuardDraft | null) => void }) {
  const [value, setValue] = useState<GuardDraft | null>(null);
  return (
    <GuardSettingsFields
      value={value}
      onChange={(v) => {
        setValue(v);
        onValue(v);
      }}
    />
  );
}

describe('guard settings', () => {
  it('is off by default; on, it sends the metric, tolerance, rate and promotion the user chose', () => {
    let last: GuardDraft | null = null;
    render(
      <Harness
        onValue={(v) => {
          last = v;
        }}
      />,
    );
    expect(screen.queryByLabelText(/Tolerance/)).toBeNull();
    fireEvent.click(screen.getByLabelText(/Guard this release/));
    fireEvent.change(screen.getByLabelText('Compare'), { target: { value: 'LATENCY' } });
    expect((screen.getByLabelText(/Tolerance \(ms worse\)/) as HTMLInputElement).value).toBe('100');
    fireEvent.change(screen.getByLabelText(/False rollback rate/), { target: { value: '2' } });
    fireEvent.click(screen.getByLabelText(/Promote to full/));
    expect(guardDraftToApi(last!)).toEqual({ metric: 'LATENCY', tolerance: 100, alpha: 0.02, auto_promote: true });
    fireEvent.change(screen.getByLabelText(/Tolerance/), { target: { value: '-3' } });
    expect(screen.getByText(/Enter a tolerance of 0 ms or more/)).toBeTruthy();
  });

  it('names what is wrong with a draft', () => {
    expect(guardDraftProblem(newGuardDraft())).toBeNull();
    expect(guardDraftProblem({ ...newGuardDraft(), alpha: '50' })).toMatch(/false rollback rate/);
    expect(guardDraftProblem({ ...newGuardDraft(), plannedSample: '20' })).toMatch(/planned sample/);
    expect(guardDraftToApi({ ...newGuardDraft(), plannedSample: '900' })).toMatchObject({ planned_sample: 900, alpha: 0.05, tolerance: 1 });
  });
});

describe('guard status', () => {
  it('shows a running guard: progress towards the planned sample and the evidence in plain words', async () => {
    mockFetch(route('GET', '/v1/priority-logics/pl_new/guards', { body: { guards: [GUARD] } }));
    render(<GuardStatus logicId="pl_new" />);
    await waitFor(() => expect(screen.getByTestId('guard-evidence').textContent).toMatch(/0.8 points worse/));
    expect(screen.getByText('Watching')).toBeTruthy();
    expect(screen.getByText(/1,345 of 5,380 payments \(25%\)/)).toBeTruthy();
    expect(screen.getByText(/promotes itself when it passes/)).toBeTruthy();
  });

  it('says plainly that the guard rolled a release back, and shows nothing without a guard', async () => {
    const rolledBack = {
      ...GUARD,
      state: 'ROLLED_BACK' as const,
      end_reason: 'WORSE',
      ended: '2026-12-04T12:00:00Z',
      evidence: { ...GUARD.evidence!, verdict: 'WORSE' as const, summary: 'the new logic is 3 points worse: the release is rolled back.' },
    };
    mockFetch(route('GET', '/v1/priority-logics/pl_new/guards', { body: { guards: [rolledBack] } }), route('GET', '/v1/priority-logics/pl_none/guards', { body: { guards: [] } }));
    const { unmount } = render(<GuardStatus logicId="pl_new" />);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/rolled this release back/));
    expect(screen.getByText('Rolled back')).toBeTruthy();
    unmount();
    const { container } = render(<GuardStatus logicId="pl_none" />);
    await new Promise((r) => setTimeout(r, 20));
    expect(container.textContent).toBe('');
  });

  it("the Priority Logic page's banner lists rollbacks of the last 7 days only, linking to the logic", async () => {
    const now = Date.parse('2026-12-04T12:00:00Z');
    const recent = { ...GUARD, state: 'ROLLED_BACK' as const, ended: '2026-12-04T11:00:00Z' };
    const old = { ...GUARD, id: 'rg_0', logic_id: 'pl_older', state: 'ROLLED_BACK' as const, ended: '2026-11-20T11:00:00Z' };
    mockFetch(route('GET', '/v1/priority-logics/guards', { body: { guards: [recent, old, { ...GUARD, id: 'rg_2' }] } }));
    render(<GuardRollbackBanner now={now} />);
    await waitFor(() => expect(screen.getByTestId('guard-rollback-banner')).toBeTruthy());
    const links = screen.getAllByRole('link', { name: 'See the logic' });
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['/dashboard/priority-logic/pl_new']);
  });
});
