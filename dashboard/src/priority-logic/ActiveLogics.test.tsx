// The Active Priority Logics table: every configuration that decided in the window is listed (one
// replaced inside the window too), the shown Traffic % adds up to 100, the default ordering is a row
// only when it decided in the window, and a staggered release shows its split.
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ActiveLogics, shownShares } from './ActiveLogics';
import { mockFetch, renderWithSession, route } from './test-helpers';
import type { LogicMetrics, MetricsReport } from './types';

const routing = (active: string | null, staggered: string | null = null, percentage: number | null = null): MetricsReport['routing'] => ({
  active_logic_id: active,
  staggered_logic_id: staggered,
  stagger_percentage: percentage,
  fallback_logic_id: null,
  version: 3,
  updated: '2026-01-01T00:00:00Z',
});

const metric = (id: string, name: string | null, roles: string[], decided: number, traffic: number): LogicMetrics => ({
  logic_id: id,
  name,
  kind: 'RULES',
  type: 'Rule Based',
  status: 'ACTIVE',
  roles,
  decided,
  traffic_percent: traffic,
  gateway_undecided_percent: 0,
  success_rate: 90,
  settled: decided,
  succeeded: decided,
  volume: { count: decided, amounts: [] },
  latency_ms: { p50: 100, p95: 200 },
});

function serve(report: MetricsReport) {
  mockFetch(route('GET', '/v1/priority-logics/metrics', (c) => ({ body: c.url.includes('trend_buckets') ? { ...report, logics: [] } : report })));
}

async function shownTraffic(): Promise<number[]> {
  const section = await screen.findByTestId('active-logics');
  await within(section).findAllByRole('row');
  return within(section)
    .getAllByTestId('traffic-percent')
    .map((td) => Number((td.textContent ?? '').replace('%', '')));
}

const total = (xs: number[]) => Math.round(xs.reduce((s, x) => s + x, 0) * 10) / 10;

describe('Active Priority Logics', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('lists a logic replaced inside the window, and the Traffic % adds up to 100', async () => {
    serve({
      from: '',
      to: '',
      total_decided: 1000,
      routing: routing('pl_new', 'pl_next', 10),
      logics: [metric('pl_new', 'New', ['ACTIVE'], 811, 81.1), metric('pl_old', 'Old', [], 98, 9.8), metric('pl_next', 'Next', ['STAGGERED'], 91, 9.1)],
    });
    renderWithSession(<ActiveLogics />);
    const old = await screen.findByTestId('active-row-pl_old');
    expect(within(old).getByText('Old')).toBeTruthy();
    expect(within(old).getByText('Replaced')).toBeTruthy();
    expect(total(await shownTraffic())).toBe(100);
    // Live configurations first, then the replaced one.
    const ids = screen
      .getAllByRole('row')
      .slice(1)
      .map((r) => r.getAttribute('data-testid'));
    expect(ids).toEqual(['active-row-pl_new', 'active-row-pl_next', 'active-row-pl_old']);
  });

  it('shows shares that round unevenly so that they still add up to 100', async () => {
    serve({
      from: '',
      to: '',
      total_decided: 3,
      routing: routing('pl_c'),
      logics: [metric('pl_c', 'C', ['ACTIVE'], 1, 33.34), metric('pl_a', 'A', [], 1, 33.33), metric('pl_b', 'B', [], 1, 33.33)],
    });
    renderWithSession(<ActiveLogics />);
    await screen.findByTestId('active-row-pl_b');
    expect(total(await shownTraffic())).toBe(100);
  });

  it('has no Default ordering row while a logic was active all window', async () => {
    serve({ from: '', to: '', total_decided: 500, routing: routing('pl_a'), logics: [metric('pl_a', 'A', ['ACTIVE'], 500, 100)] });
    renderWithSession(<ActiveLogics />);
    await screen.findByTestId('active-row-pl_a');
    expect(screen.queryByTestId('active-row-DEFAULT_ORDER')).toBeNull();
    expect(screen.queryByText(/Default ordering/)).toBeNull();
    expect(await shownTraffic()).toEqual([100]);
  });

  it('shows default-ordering decisions made before a logic was activated as a replaced row, not as the live configuration', async () => {
    serve({
      from: '',
      to: '',
      total_decided: 400,
      routing: routing('pl_a'),
      logics: [metric('pl_a', 'A', ['ACTIVE'], 300, 75), metric('DEFAULT_ORDER', 'DEFAULT_ORDER', [], 100, 25)],
    });
    renderWithSession(<ActiveLogics />);
    const def = await screen.findByTestId('active-row-DEFAULT_ORDER');
    expect(within(def).getByText('Default ordering')).toBeTruthy();
    expect(within(def).queryByText(/no active logic/)).toBeNull();
    expect(within(def).getByText('Replaced')).toBeTruthy();
    expect(total(await shownTraffic())).toBe(100);
  });

  it('shows the staggered split', async () => {
    serve({
      from: '',
      to: '',
      total_decided: 200,
      routing: routing('pl_a', 'pl_s', 10),
      logics: [metric('pl_a', 'Alpha', ['ACTIVE'], 180, 90), metric('pl_s', 'Canary', ['STAGGERED'], 20, 10)],
    });
    renderWithSession(<ActiveLogics />);
    const active = await screen.findByTestId('active-row-pl_a');
    expect(within(active).getByText('Active 90%')).toBeTruthy();
    expect(within(screen.getByTestId('active-row-pl_s')).getByText('Staggered 10%')).toBeTruthy();
    expect(screen.getByTestId('stagger-split').textContent).toBe('Staggered release: Alpha 90% · Canary 10% of new payments');
  });
});

describe('shownShares', () => {
  it('adds up to 100 at one decimal, zeros without traffic', () => {
    expect(shownShares([33.34, 33.33, 33.33])).toEqual([33.4, 33.3, 33.3]);
    expect(shownShares([90, 10, 0])).toEqual([90, 10, 0]);
    expect(shownShares([0, 0])).toEqual([0, 0]);
  });
});
