import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '../auth/permissions.ts';
import { renderWithSession } from '../priority-logic/test-helpers.tsx';
import { queryClient } from '../api/query.ts';
import { prefetchDefaultReport } from './analytics-request.ts';
import { AnalyticsPage } from './AnalyticsPage.tsx';
import { apiError, json, stubFetch, type Route } from './test-fetch.ts';
import type { AnalyticsAnswer, HealthAnswer, LiveAnswer } from './types.ts';

const session = { role: 'VIEWER' as Role };

export const sample: AnalyticsAnswer = {
  from: '2026-01-04T10:00:00Z',
  to: '2026-01-05T10:00:00Z',
  bucket: 'hour',
  totals: { attempts: 1200, charged: 1020, success_rate: 0.85, orders: 1100, amount_charged_minor: 10200000, currency: 'INR', amounts_charged: [{ currency: 'INR', amount_minor: 10200000 }] },
  by_gateway: [
    { gateway: null, attempts: 3, charged: 0, success_rate: 0, latency_ms: { p50: null, p90: null, p99: null } },
    { gateway: 'SIM_BETA', attempts: 500, charged: 400, success_rate: 0.8, latency_ms: { p50: 120, p90: 340, p99: 900 } },
    { gateway: 'SIM_ALPHA', attempts: 700, charged: 620, success_rate: 0.8857, latency_ms: { p50: 80, p90: 200, p99: 450 } },
  ],
  series: [
    { t: '2026-01-05T08:00:00Z', gateway: 'SIM_ALPHA', attempts: 300, charged: 270 },
    { t: '2026-01-05T08:00:00Z', gateway: 'SIM_BETA', attempts: 200, charged: 150 },
    { t: '2026-01-05T09:00:00Z', gateway: 'SIM_ALPHA', attempts: 400, charged: 350 },
    { t: '2026-01-05T09:00:00Z', gateway: 'SIM_BETA', attempts: 300, charged: 250 },
  ],
  failures: [
    { error_code: 'GATEWAY_TIMEOUT', category: 'GATEWAY_ERROR', count: 60 },
    { error_code: 'INSUFFICIENT_FUNDS', category: 'USER_ERROR', count: 90 },
    { error_code: 'DO_NOT_HONOR', category: 'ISSUER_ERROR', count: 30 },
  ],
  by_logic: [
    { logic_id: 'pl_1', logic_name: 'cards-by-brand', attempts: 1000, charged: 870, success_rate: 0.87 },
    { logic_id: 'DEFAULT_ORDER', logic_name: 'Default order', attempts: 200, charged: 150, success_rate: 0.75 },
  ],
  first_attempt: { orders: 1100, charged_first_attempt: 900, charged_after_fallback: 100 },
  filters: { payment_method_types: ['CARD', 'UPI'], card_brands: ['VISA', 'MASTERCARD'], gateways: ['SIM_ALPHA', 'SIM_BETA'], logics: [{ id: 'pl_1', name: 'cards-by-brand' }] },
};

const health: HealthAnswer = {
  segment: null,
  thresholds: { down_below: 0.3, fluctuate_below: 0.7 },
  gateways: [
    { gateway: 'SIM_ALPHA', health: 'DOWN', mean: 0.12, evidence: 40, observations: 38, last_alarm_at: '2026-01-05T09:59:00Z', alarms: 1, scheduled_outage: false },
    { gateway: 'SIM_BETA', health: 'UP', mean: 0.91, evidence: 80, observations: 77, last_alarm_at: null, alarms: 0, scheduled_outage: false },
  ],
};

function liveNow(): LiveAnswer {
  const now = Math.floor(Date.now() / 10_000) * 10_000;
  const t = (k: number) => new Date(now - k * 10_000).toISOString();
  return {
    step_seconds: 10,
    series: [
      { t: t(2), gateway: 'SIM_ALPHA', attempts: 8, charged: 8 },
      { t: t(2), gateway: 'SIM_BETA', attempts: 2, charged: 2 },
      { t: t(1), gateway: 'SIM_ALPHA', attempts: 1, charged: 0 },
      { t: t(1), gateway: 'SIM_BETA', attempts: 9, charged: 9 },
      { t: t(0), gateway: 'SIM_BETA', attempts: 10, charged: 9 },
    ],
  };
}

function routes(analytics: Route['handle'] = json(sample)): Route[] {
  return [
    { path: '/v1/dashboard/analytics', handle: analytics },
    { path: '/v1/routing/health', handle: json(health) },
    { path: '/v1/dashboard/live', handle: () => json(liveNow()) },
    {
      path: '/v1/dashboard/gateways',
      handle: json({
        gateways: [
          { account_id: 'acc_a', gateway: 'SIM_ALPHA', simulated: true, simulator: { profile: {}, active_outages: [] } },
          { account_id: 'acc_b', gateway: 'SIM_BETA', simulated: true, simulator: { profile: {}, active_outages: [] } },
          { account_id: 'acc_r', gateway: 'RAZORPAY', simulated: false, simulator: null },
        ],
      }),
    },
    {
      method: 'POST',
      path: /^\/v1\/dashboard\/gateways\/[^/]+\/outage$/,
      handle: json({ gateway: 'SIM_BETA', id: 'o1', mode: 'TIMEOUT', starts_at: new Date().toISOString(), ends_at: new Date(Date.now() + 45_000).toISOString() }, 201),
    },
    { method: 'DELETE', path: /^\/v1\/dashboard\/gateways\/[^/]+\/outage$/, handle: json({ gateway: 'SIM_BETA', ended: 1 }) },
  ];
}

describe('AnalyticsPage', () => {
  beforeEach(() => {
    session.role = 'VIEWER';
  });
  afterEach(() => vi.unstubAllGlobals());

  it('uses the report the navigation prefetched: one request for the page, not two', async () => {
    let answer: (() => void) | null = null;
    const api = stubFetch(routes(() => json(sample)));
    const gate = new Promise<void>((resolve) => (answer = resolve));
    const fetchStub = globalThis.fetch;
    vi.stubGlobal('fetch', async (...args: Parameters<typeof fetch>) => {
      await gate; // the prefetch is still in flight when the page mounts
      return fetchStub(...args);
    });
    prefetchDefaultReport(queryClient);
    renderWithSession(<AnalyticsPage />, session.role);
    answer!();
    expect((await screen.findByTestId('total-attempts')).textContent).toBe('1,200');
    const reports = api.calls.filter((c) => c.url.pathname === '/v1/dashboard/analytics');
    expect(reports).toHaveLength(1);
    expect(reports[0]!.url.searchParams.has('logic_id')).toBe(false); // no filter
    expect(Date.parse(reports[0]!.url.searchParams.get('to')!) - Date.parse(reports[0]!.url.searchParams.get('from')!)).toBe(24 * 3600_000);
  });

  it('asks again when the page is opened without a prefetch a moment later (no stale prefetched range)', async () => {
    const api = stubFetch(routes());
    prefetchDefaultReport(queryClient, Date.now() - 2_000);
    renderWithSession(<AnalyticsPage />, session.role);
    expect((await screen.findByTestId('total-attempts')).textContent).toBe('1,200');
    const tos = api.calls.filter((c) => c.url.pathname === '/v1/dashboard/analytics').map((c) => Date.parse(c.url.searchParams.get('to')!));
    expect(tos).toHaveLength(2);
    expect(tos[1]! - tos[0]!).toBeGreaterThanOrEqual(2_000);
  });

  it('renders totals, failures, latency, logics and first attempt figures from the answer', async () => {
    const api = stubFetch(routes());
    renderWithSession(<AnalyticsPage />, session.role);

    expect((await screen.findByTestId('total-attempts')).textContent).toBe('1,200');
    expect(screen.getByTestId('total-charged').textContent).toBe('1,020');
    expect(screen.getByTestId('total-success-rate').textContent).toBe('85.0%');
    expect(screen.getByTestId('total-orders').textContent).toBe('1,100');
    expect(screen.getByTestId('total-amount').textContent).toBe('₹1,02,000.00');
    expect(screen.getAllByTestId('gateway-stats-row').map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['No gateway', 'SIM_ALPHA', 'SIM_BETA']);

    const failures = screen.getAllByTestId('failure-row');
    expect(failures.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['INSUFFICIENT_FUNDS', 'GATEWAY_TIMEOUT', 'DO_NOT_HONOR']);
    expect(failures[0]!.textContent).toContain('USER_ERROR');
    expect(failures[0]!.textContent).toContain('90');
    expect(failures[0]!.textContent).toContain('50.0%');
    expect(screen.getAllByTestId('failure-category-row')).toHaveLength(3);

    const latency = screen.getAllByTestId('latency-row');
    expect(latency[0]!.textContent).toContain('SIM_ALPHA');
    expect(latency[0]!.textContent).toContain('80 ms');
    expect(latency[1]!.textContent).toContain('900 ms');

    const logics = screen.getAllByTestId('logic-row');
    expect(logics[0]!.textContent).toContain('cards-by-brand');
    expect(logics[0]!.textContent).toContain('87.0%');
    expect(logics[1]!.textContent).toContain('Default gateway order (no logic)');

    expect(screen.getByTestId('first-attempt-charged').textContent).toContain('900');
    expect(screen.getByTestId('first-attempt-charged').textContent).toContain('81.8%');
    expect(screen.getByTestId('fallback-charged').textContent).toContain('100');
    expect(screen.getByTestId('fallback-share').textContent).toContain('10.0%');

    expect(screen.getByRole('figure', { name: 'Success rate by gateway over time' })).toBeTruthy();
    expect(screen.getByRole('figure', { name: 'Attempts over time' })).toBeTruthy();

    // Health badges, polled from the routing health API.
    const badges = await screen.findAllByTestId('gateway-health');
    expect(badges.map((b) => b.getAttribute('data-gateway'))).toEqual(['SIM_ALPHA', 'SIM_BETA']);
    expect(within(badges[0]!).getByText('DOWN').className).toContain('badge-down');
    expect(within(badges[1]!).getByText('UP').className).toContain('badge-up');

    // Default range: the last 24 hours.
    const q = api.to('/v1/dashboard/analytics')[0]!.url.searchParams;
    expect(Date.parse(q.get('to')!) - Date.parse(q.get('from')!)).toBe(24 * 3600_000);
  });

  it('sends the range and filters as query parameters', async () => {
    const api = stubFetch(routes());
    const user = userEvent.setup();
    renderWithSession(<AnalyticsPage />, session.role);
    await screen.findByTestId('total-attempts');

    await user.selectOptions(screen.getByLabelText('Payment method type'), 'CARD');
    await user.selectOptions(screen.getByLabelText('Card brand'), 'VISA');
    await user.selectOptions(screen.getByLabelText('Gateway'), 'SIM_BETA');
    await user.selectOptions(screen.getByLabelText('Logic'), 'cards-by-brand');
    await user.selectOptions(screen.getByLabelText('Time range'), '7d');

    await vi.waitFor(() => {
      const q = api.to('/v1/dashboard/analytics').at(-1)!.url.searchParams;
      expect(q.get('payment_method_type')).toBe('CARD');
      expect(q.get('card_brand')).toBe('VISA');
      expect(q.get('gateway')).toBe('SIM_BETA');
      expect(q.get('logic_id')).toBe('pl_1');
      expect(Date.parse(q.get('to')!) - Date.parse(q.get('from')!)).toBe(7 * 24 * 3600_000);
    });
    // The range picker's request leaves before the page re-renders, and the page uses it: one request for 7 days.
    expect(api.to('/v1/dashboard/analytics').filter((c) => Date.parse(c.url.searchParams.get('to')!) - Date.parse(c.url.searchParams.get('from')!) === 7 * 24 * 3600_000)).toHaveLength(1);

    await user.selectOptions(screen.getByLabelText('Time range'), 'custom');
    const from = screen.getByLabelText('From') as HTMLInputElement;
    const to = screen.getByLabelText('To') as HTMLInputElement;
    await user.clear(from);
    await user.type(from, '2026-01-02T00:00');
    await user.clear(to);
    await user.type(to, '2026-01-03T12:30');
    await vi.waitFor(() => {
      const q = api.to('/v1/dashboard/analytics').at(-1)!.url.searchParams;
      expect(q.get('from')).toBe(new Date('2026-01-02T00:00').toISOString());
      expect(q.get('to')).toBe(new Date('2026-01-03T12:30').toISOString());
      expect(q.get('gateway')).toBe('SIM_BETA');
    });
  });

  it('shows empty data gracefully and the API error message', async () => {
    const empty: AnalyticsAnswer = {
      ...sample,
      totals: { attempts: 0, charged: 0, success_rate: null, orders: 0, amount_charged_minor: 0, currency: null, amounts_charged: [] },
      by_gateway: [],
      series: [],
      failures: [],
      by_logic: [],
      first_attempt: { orders: 0, charged_first_attempt: 0, charged_after_fallback: 0 },
    };
    stubFetch(routes(json(empty)));
    const { unmount } = renderWithSession(<AnalyticsPage />, session.role);
    expect(await screen.findByText('No payment attempts in this range and filters.')).toBeTruthy();
    expect(screen.getByText('No failed attempts in this range.')).toBeTruthy();
    expect(screen.getAllByText('No data in this range.')).toHaveLength(2);
    expect(screen.getByTestId('total-success-rate').textContent).toBe('–');
    expect(screen.getByTestId('total-amount').textContent).toBe('0');
    unmount();

    vi.unstubAllGlobals();
    stubFetch(routes(apiError(403, 'UNAUTHORIZED', 'You do not have access')));
    renderWithSession(<AnalyticsPage />, session.role);
    const alerts = await screen.findAllByRole('alert');
    expect(alerts.map((a) => a.textContent)).toContain('You do not have access');
  });

  it('asks for the live panels (health, live traffic) only once the report has answered', async () => {
    let answer: (() => void) | null = null;
    const gate = new Promise<void>((resolve) => (answer = resolve));
    const api = stubFetch(routes(() => json(sample)));
    const fetchStub = globalThis.fetch;
    vi.stubGlobal('fetch', async (...args: Parameters<typeof fetch>) => {
      if (String(args[0]).includes('/v1/dashboard/analytics')) await gate;
      return fetchStub(...args);
    });
    renderWithSession(<AnalyticsPage />, session.role);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(api.to('/v1/dashboard/live')).toHaveLength(0); // the report (held back) is the only request so far
    expect(api.to('/v1/routing/health')).toHaveLength(0);
    answer!();
    await screen.findByTestId('total-attempts');
    await vi.waitFor(() => expect(api.to('/v1/dashboard/live').length + api.to('/v1/routing/health').length).toBeGreaterThanOrEqual(2));
  });

  it('shows the live panels after 300 ms when the report is slow', async () => {
    const api = stubFetch(routes(() => json(sample)));
    const fetchStub = globalThis.fetch;
    vi.stubGlobal('fetch', async (...args: Parameters<typeof fetch>) => {
      if (String(args[0]).includes('/v1/dashboard/analytics')) await new Promise(() => undefined); // never answers
      return fetchStub(...args);
    });
    renderWithSession(<AnalyticsPage />, session.role);
    await vi.waitFor(() => expect(api.to('/v1/dashboard/live').length).toBeGreaterThanOrEqual(1), { timeout: 2_000 });
    expect(screen.queryByTestId('total-attempts')).toBeNull();
  });

  it('shows live traffic and lets an EDITOR start and end a simulated outage', async () => {
    session.role = 'EDITOR';
    const api = stubFetch(routes());
    const user = userEvent.setup();
    renderWithSession(<AnalyticsPage />, session.role);

    const share = await screen.findAllByTestId('live-share-row');
    expect(share.map((r) => r.getAttribute('data-gateway'))).toEqual(['SIM_ALPHA', 'SIM_BETA']);
    expect(share[0]!.textContent).toContain('30.0%'); // 9 of 30 attempts in the last 30 s
    expect(screen.getByRole('figure', { name: 'Attempts per gateway, last 5 minutes' })).toBeTruthy();
    expect(api.to('/v1/dashboard/live')[0]!.url.searchParams.get('seconds')).toBe('300');

    const select = await screen.findByLabelText('Simulated gateway');
    await vi.waitFor(() =>
      expect(
        within(select)
          .getAllByRole('option')
          .map((o) => o.textContent),
      ).toEqual(['SIM_ALPHA', 'SIM_BETA']),
    );
    await user.selectOptions(select, 'SIM_BETA');
    await user.clear(screen.getByLabelText('Duration (seconds)'));
    await user.type(screen.getByLabelText('Duration (seconds)'), '45');
    await user.selectOptions(screen.getByLabelText('Mode'), 'TIMEOUT');
    await user.click(screen.getByRole('button', { name: 'Start outage' }));
    // An outage asks first: nothing is sent before the confirmation.
    const dialog = await screen.findByRole('dialog', { name: 'Start an outage on SIM_BETA?' });
    expect(api.to('/v1/dashboard/gateways/SIM_BETA/outage', 'POST')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Start outage' }));
    expect(await screen.findByText('Outage started on SIM_BETA (TIMEOUT) for 45 s.')).toBeTruthy();
    expect(screen.getByTestId('active-outages').textContent).toContain('SIM_BETA (TIMEOUT) until');
    const post = api.to('/v1/dashboard/gateways/SIM_BETA/outage', 'POST');
    expect(post).toHaveLength(1);
    expect(post[0]!.body).toEqual({ duration_seconds: 45, mode: 'TIMEOUT' });

    await user.click(screen.getByRole('button', { name: 'End outage' }));
    expect(await screen.findByText('Outage on SIM_BETA ended.')).toBeTruthy();
    expect(api.to('/v1/dashboard/gateways/SIM_BETA/outage', 'DELETE')).toHaveLength(1);
  });

  it('hides the outage controls from a VIEWER', async () => {
    const api = stubFetch(routes());
    renderWithSession(<AnalyticsPage />, session.role);
    await screen.findAllByTestId('live-share-row');
    expect(screen.queryByRole('button', { name: 'Start outage' })).toBeNull();
    expect(api.to('/v1/dashboard/gateways')).toHaveLength(0);
  });
});
