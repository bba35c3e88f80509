// Changes refresh what they change: a release action on the view page loads the list, the figures
// and the History again (not the logic and routing it just answered); deleting from the list loads
// the list and the figures again; the cache does not outlive a test or a sign-out.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { queryClient } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { ActiveLogics } from './ActiveLogics';
import { LogicsTable } from './LogicsTable';
import { LogicViewPage } from './LogicViewPage';
import { mockFetch, renderWithSession, route, type MockCall } from './test-helpers';
import type { Logic, Routing } from './types';

vi.mock('../components/CodeEditor', () => ({ CodeEditor: () => null }));

const routing = (over: Partial<Routing> = {}): Routing => ({
  active_logic_id: null,
  staggered_logic_id: null,
  stagger_percentage: null,
  fallback_logic_id: null,
  version: 7,
  updated: '2025-01-01T00:00:00Z',
  ...over,
});
const logic = (over: Partial<Logic> = {}): Logic => ({
  id: 'pl_1',
  name: 'A',
  description: '',
  kind: 'DEFAULT',
  type: 'Default',
  status: 'INACTIVE',
  status_label: 'Inactive',
  is_fallback: false,
  stagger_percentage: null,
  enforce: false,
  ranking: { mode: 'OFF' },
  version: 1,
  row_version: 5,
  definition: { kind: 'DEFAULT', name: 'A', enforce: false, defaultGateways: [{ gateway: 'SIM_ALPHA' }] },
  created_by: 'usr_1',
  approved_by: null,
  approved_at: null,
  copied_from: null,
  created: '2025-01-01T00:00:00Z',
  updated: '2025-01-01T00:00:00Z',
  ...over,
});
const report = { from: '', to: '', total_decided: 0, routing: routing(), logics: [] };
const gets = (calls: MockCall[], path: string) => calls.filter((c) => c.method === 'GET' && c.url.split('?')[0] === path).length;

describe('invalidation after a change', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('Activate on the view page loads the list, the figures and the History again', async () => {
    let active = false;
    const { calls } = mockFetch(
      route('GET', '/v1/priority-logics/pl_1', () => ({ body: logic(active ? { status: 'ACTIVE', status_label: 'Active', row_version: 6 } : {}) })),
      route('GET', '/v1/priority-logics/routing', { body: routing() }),
      route('GET', '/v1/priority-logics/audit', { body: { entries: [] } }),
      route('GET', '/v1/priority-logics/metrics', { body: report }),
      route('GET', '/v1/priority-logics', () => ({ body: { logics: [logic(active ? { status: 'ACTIVE', status_label: 'Active' } : {})], total: 1, routing: routing() } })),
      route('POST', '/v1/priority-logics/analyze', { body: { logic_id: 'pl_1', kind: 'DEFAULT', analysed: false, warnings: [] } }),
      route('POST', '/v1/priority-logics/pl_1/activate', () => {
        active = true;
        return { body: { logic: logic({ status: 'ACTIVE', status_label: 'Active', row_version: 6 }), routing: routing({ active_logic_id: 'pl_1', version: 8 }) } };
      }),
    );
    const user = userEvent.setup();
    renderWithSession(
      <>
        <ActiveLogics />
        <LogicsTable />
        <LogicViewPage id="pl_1" />
      </>,
    );
    await screen.findByTestId('logic-row-pl_1');
    await user.click(await screen.findByRole('button', { name: 'Activate' }));
    const before = {
      list: gets(calls, '/v1/priority-logics'),
      metrics: gets(calls, '/v1/priority-logics/metrics'),
      audit: gets(calls, '/v1/priority-logics/audit'),
      logic: gets(calls, '/v1/priority-logics/pl_1'),
    };
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Activate' }));
    await waitFor(() => expect(within(screen.getByTestId('logic-row-pl_1')).getByTestId('status').textContent).toBe('Active'));
    await waitFor(() => expect(gets(calls, '/v1/priority-logics/metrics')).toBeGreaterThan(before.metrics));
    expect(gets(calls, '/v1/priority-logics')).toBeGreaterThan(before.list);
    expect(gets(calls, '/v1/priority-logics/audit')).toBeGreaterThan(before.audit);
    // The logic shown is the action's answer: not asked for again.
    expect(gets(calls, '/v1/priority-logics/pl_1')).toBe(before.logic);
    expect(screen.getByRole('button', { name: 'Deactivate' })).toBeTruthy();
  });

  it('deleting from the list loads the list and the figures again', async () => {
    let deleted = false;
    const { calls } = mockFetch(
      route('GET', '/v1/priority-logics/metrics', { body: report }),
      route('GET', '/v1/priority-logics', () => ({ body: { logics: deleted ? [] : [logic()], total: deleted ? 0 : 1, routing: routing() } })),
      route('DELETE', '/v1/priority-logics/pl_1', () => {
        deleted = true;
        return { body: logic() };
      }),
    );
    const user = userEvent.setup();
    renderWithSession(
      <>
        <ActiveLogics />
        <LogicsTable />
      </>,
    );
    await user.click(await screen.findByRole('button', { name: 'Delete A' }));
    const metricsBefore = gets(calls, '/v1/priority-logics/metrics');
    await user.click(within(screen.getByRole('dialog', { name: 'Delete Priority Logic' })).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByTestId('logic-row-pl_1')).toBeNull());
    await waitFor(() => expect(gets(calls, '/v1/priority-logics/metrics')).toBeGreaterThan(metricsBefore));
  });

  it('the cache starts empty in every test', () => {
    expect(queryClient.getQueryCache().findAll({ queryKey: queryKeys.priorityLogic.all })).toHaveLength(0);
  });
});
