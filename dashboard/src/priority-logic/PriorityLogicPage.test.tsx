import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PriorityLogicPage } from './PriorityLogicPage';
import { mockFetch, renderWithSession, route } from './test-helpers';
import type { Logic, LogicMetrics } from './types';

const routing = { active_logic_id: 'pl_a', staggered_logic_id: 'pl_s', stagger_percentage: 10, fallback_logic_id: null, version: 3, updated: '2025-01-01T00:00:00Z' };

function logic(id: string, name: string, status: Logic['status']): Logic {
  return {
    id,
    name,
    description: `${name} description`,
    kind: 'RULES',
    type: 'Rule Based',
    status,
    status_label: status === 'ACTIVE' ? 'Active' : status === 'STAGGERED' ? 'Staggered' : 'Inactive',
    is_fallback: false,
    stagger_percentage: status === 'STAGGERED' ? 10 : null,
    enforce: false,
    ranking: { mode: 'OFF' },
    version: 1,
    row_version: 1,
    definition: { kind: 'RULES', name, enforce: false, defaultGateways: [{ gateway: 'SIM_ALPHA' }], rules: [] },
    created_by: 'u',
    approved_by: null,
    approved_at: null,
    copied_from: null,
    created: '2025-01-01T00:00:00Z',
    updated: '2025-01-02T00:00:00Z',
  };
}

const metric = (id: string, name: string, roles: string[], traffic: number, success: number | null): LogicMetrics => ({
  logic_id: id,
  name,
  kind: 'RULES',
  type: 'Rule Based',
  status: 'ACTIVE',
  roles,
  decided: 100,
  traffic_percent: traffic,
  gateway_undecided_percent: 1.5,
  success_rate: success,
  settled: 90,
  succeeded: 80,
  volume: { count: 120, amounts: [{ currency: 'INR', count: 120, amount: 1234500 }] },
  latency_ms: { p50: 180, p95: 420 },
});

describe('Priority Logic page', () => {
  beforeEach(() => window.history.replaceState(null, '', '/dashboard/priority-logic'));
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('lists every logic and filters, searches and sorts on the server', async () => {
    const { calls } = mockFetch(
      route('GET', '/v1/priority-logics/metrics', { body: { from: '', to: '', total_decided: 0, routing, logics: [] } }),
      route('GET', '/v1/priority-logics', { body: { logics: [logic('pl_a', 'Alpha first', 'ACTIVE'), logic('pl_s', 'Staggered one', 'STAGGERED')], total: 2, routing } }),
    );
    const user = userEvent.setup();
    renderWithSession(<PriorityLogicPage />);
    const table = await screen.findByRole('table', { name: 'All Priority Logics' });
    expect(within(table).getByRole('link', { name: 'Alpha first' }).getAttribute('href')).toBe('/dashboard/priority-logic/pl_a');
    expect(within(table).getByText('Staggered 10%')).toBeTruthy();
    expect(within(table).getByRole('columnheader', { name: /Description/ })).toBeTruthy();

    await user.selectOptions(screen.getByLabelText('Status'), 'ACTIVE');
    await user.selectOptions(screen.getByLabelText('Type'), 'RULES');
    await user.type(screen.getByLabelText('Search by name'), 'Alpha');
    await user.click(screen.getByRole('button', { name: 'Sort by Name' }));
    await waitFor(() => {
      const last = calls.filter((c) => c.url.startsWith('/v1/priority-logics?')).at(-1)!;
      const q = new URLSearchParams(last.url.split('?')[1]);
      expect(Object.fromEntries(q)).toMatchObject({ status: 'ACTIVE', kind: 'RULES', search: 'Alpha', sort: 'name', order: 'asc' });
    });
    await user.click(screen.getByRole('button', { name: 'Sort by Name' }));
    await waitFor(() => expect(calls.at(-1)!.url).toContain('order=desc'));
    expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('descending');
  });

  it('Active Priority Logics: traffic, gateway undecided and performance, polled every 5 seconds', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let success = 91.5;
    const { calls } = mockFetch(
      route('GET', '/v1/priority-logics/metrics', (c) => ({
        body: {
          from: '',
          to: '',
          total_decided: 200,
          routing,
          // The trend request (one, with trend_buckets) gets eight slices; the live one none.
          logics: c.url.includes('trend_buckets=8')
            ? [{ ...metric('pl_a', 'Alpha first', ['ACTIVE'], 90, 80), trend: Array.from({ length: 8 }, (_, i) => ({ from: '', decided: 10 + i, success_rate: 80 + i })) }]
            : [metric('pl_a', 'Alpha first', ['ACTIVE'], 90, success), metric('pl_s', 'Staggered one', ['STAGGERED'], 10, null), { ...metric('pl_x', 'Old', [], 0, 50), decided: 0 }],
        },
      })),
      route('GET', '/v1/priority-logics', { body: { logics: [], total: 0, routing } }),
    );
    renderWithSession(<PriorityLogicPage />);
    const section = await screen.findByTestId('active-logics');
    const row = await within(section).findByTestId('active-row-pl_a');
    expect(within(row).getByText('90%')).toBeTruthy();
    expect(within(row).getByText('1.5%')).toBeTruthy();
    expect(within(row).getByText('91.5%')).toBeTruthy();
    expect(within(row).getByText('180 ms / 420 ms')).toBeTruthy();
    expect(within(row).getByText('120 txns · ₹12,345.00')).toBeTruthy();
    expect(within(section).getByText('Staggered 10%')).toBeTruthy();
    expect(within(section).queryByText('Old')).toBeNull();
    await waitFor(() => expect(within(row).getByRole('img', { name: 'Alpha first success rate trend' }).querySelector('polyline')).toBeTruthy());
    expect(calls.filter((c) => c.url.includes('trend_buckets=8')).length, 'one request for all the trend slices').toBe(1);
    const live = () => calls.filter((c) => c.url === '/v1/priority-logics/metrics').length;
    const before = live();
    success = 95;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5000);
    });
    await waitFor(() => expect(live()).toBe(before + 1));
    expect(await within(section).findByText('95%')).toBeTruthy();
  });

  it('hides create and import for a viewer', async () => {
    mockFetch(
      route('GET', '/v1/priority-logics/metrics', { body: { from: '', to: '', total_decided: 0, routing, logics: [] } }),
      route('GET', '/v1/priority-logics', { body: { logics: [logic('pl_a', 'A', 'INACTIVE')], total: 1, routing } }),
    );
    renderWithSession(<PriorityLogicPage />, 'VIEWER');
    await screen.findByRole('table', { name: 'All Priority Logics' });
    expect(screen.queryByRole('button', { name: 'Create Priority Logic' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Import Rule' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete A' })).toBeNull();
    expect(screen.getByRole('button', { name: 'View A' })).toBeTruthy();
  });

  it('delete from the table: confirm, then the list reloads', async () => {
    const { calls } = mockFetch(
      route('GET', '/v1/priority-logics/metrics', { body: { from: '', to: '', total_decided: 0, routing, logics: [] } }),
      route('DELETE', '/v1/priority-logics/pl_a', { body: logic('pl_a', 'A', 'INACTIVE') }),
      route('GET', '/v1/priority-logics', { body: { logics: [logic('pl_a', 'A', 'INACTIVE')], total: 1, routing } }),
    );
    const user = userEvent.setup();
    renderWithSession(<PriorityLogicPage />, 'EDITOR');
    await user.click(await screen.findByRole('button', { name: 'Delete A' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Delete Priority Logic' })).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(calls.find((c) => c.method === 'DELETE')!.body).toEqual({ version: 1 });
  });
});
