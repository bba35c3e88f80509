import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '../auth/permissions.ts';
import { renderWithSession } from '../priority-logic/test-helpers.tsx';
import { apiError, json, stubFetch, type Route } from '../analytics/test-fetch.ts';
import { GatewaysPage } from './GatewaysPage.tsx';

const session = { role: 'ADMIN' as Role };

const alpha = {
  account_id: 'acc_a',
  gateway: 'SIM_ALPHA',
  gateway_reference_id: 'main',
  enabled: true,
  payment_method_types: ['CARD', 'UPI'],
  payment_methods: [],
  card_brands: ['VISA'],
  currencies: ['INR'],
  priority: 10,
  fees: { percent: 2, fixed_minor: 0, 'CARD.percent': 1.8, 'brand.AMEX.fixed_minor': 500 },
  health: { status: 'UP', mean: 0.9, observations: 10, scheduled_outage: false, last_alarm_at: null },
  simulated: true,
  simulator: { profile: {}, active_outages: [{ id: 'o1', mode: 'DOWN', starts_at: '2026-01-05T10:00:00Z', ends_at: '2026-01-05T10:01:00Z' }] },
};
const beta = {
  ...alpha,
  account_id: 'acc_b',
  gateway: 'SIM_BETA',
  gateway_reference_id: null,
  priority: 20,
  fees: {},
  health: { status: 'FLUCTUATE', mean: 0.6, observations: 10, scheduled_outage: false, last_alarm_at: null },
  simulator: { profile: {}, active_outages: [] },
};

const stripe = {
  ...alpha,
  account_id: 'acc_s',
  gateway: 'STRIPE',
  gateway_reference_id: null,
  priority: 60,
  fees: {},
  payment_method_types: [],
  card_brands: [],
  currencies: [],
  simulated: false,
  simulator: null,
  connector: {
    display_name: 'Stripe',
    capabilities: {
      payment_method_types: ['CARD'],
      capture_modes: ['AUTO', 'MANUAL'],
      three_d_secure: true,
      partial_capture: true,
      refunds: true,
      partial_refunds: true,
      sync: true,
      webhooks: true,
      asynchronous_modifications: false,
    },
    credentials: [{ name: 'secret_key', label: 'Secret key', required: true }],
  },
};

function routes(patch: Route['handle'], gateways: unknown[] = [beta, alpha]): Route[] {
  return [
    { path: '/v1/dashboard/gateways', handle: json({ gateways }) },
    {
      path: '/v1/routing/health',
      handle: json({
        segment: null,
        thresholds: { down_below: 0.3, fluctuate_below: 0.7 },
        gateways: [{ gateway: 'SIM_ALPHA', health: 'DOWN', mean: 0.1, evidence: 1, observations: 1, last_alarm_at: null, alarms: 1, scheduled_outage: false }],
      }),
    },
    { method: 'PATCH', path: /^\/v1\/dashboard\/gateways\/[^/]+$/, handle: patch },
  ];
}

describe('GatewaysPage', () => {
  beforeEach(() => {
    session.role = 'ADMIN';
  });
  afterEach(() => vi.unstubAllGlobals());

  it('lists the accounts with fees and live health', async () => {
    stubFetch(routes(json({})));
    renderWithSession(<GatewaysPage />, session.role);
    const rows = await screen.findAllByTestId('gateway-row');
    expect(rows.map((r) => r.getAttribute('data-account-id'))).toEqual(['acc_a', 'acc_b']);
    const a = within(rows[0]!);
    expect(a.getByText('Default: 2%')).toBeTruthy();
    expect(a.getByText('Type CARD: 1.8%')).toBeTruthy();
    expect(a.getByText('Brand AMEX: 500 minor')).toBeTruthy();
    expect(a.getByTestId('gateway-outage').textContent).toContain('DOWN until');
    expect(within(rows[1]!).queryByTestId('gateway-outage')).toBeNull();
    await vi.waitFor(() => expect(a.getByTestId('health-badge').textContent).toBe('DOWN'));
    expect(within(rows[1]!).getByTestId('health-badge').textContent).toBe('FLUCTUATE');
  });

  it("shows a real connector's name and what it takes, and offers only those payment method types", async () => {
    stubFetch(routes(json({}), [stripe]));
    const user = userEvent.setup();
    renderWithSession(<GatewaysPage />, session.role);
    const row = (await screen.findAllByTestId('gateway-row'))[0]!;
    const line = within(row).getByTestId('gateway-connector').textContent ?? '';
    expect(line).toContain('Stripe: takes CARD');
    expect(line).toContain('manual capture');
    expect(line).toContain('3-D Secure');
    expect(line).not.toContain('asynchronous');
    await user.click(screen.getByRole('button', { name: 'Edit STRIPE acc_s' }));
    const group = within(screen.getByRole('form', { name: 'Edit STRIPE (acc_s)' })).getByRole('group', { name: 'Payment method types' });
    expect(
      within(group)
        .getAllByRole('checkbox')
        .map((c) => c.getAttribute('value') ?? (c as HTMLInputElement).name),
    ).toHaveLength(1);
    expect(within(group).getByLabelText('CARD')).toBeTruthy();
    expect(within(group).queryByLabelText('UPI')).toBeNull();
  });

  it('sends a PATCH with the changed fields only, fees as the server models them', async () => {
    const api = stubFetch(routes((call) => json({ ...alpha, ...(call.body as object), fees: (call.body as { fees: object }).fees })));
    const user = userEvent.setup();
    renderWithSession(<GatewaysPage />, session.role);
    await user.click(await screen.findByRole('button', { name: 'Edit SIM_ALPHA acc_a' }));
    const form = screen.getByRole('form', { name: 'Edit SIM_ALPHA (acc_a)' });
    const f = within(form);

    await user.click(f.getByLabelText('Enabled'));
    await user.click(within(f.getByRole('group', { name: 'Payment method types' })).getByLabelText('NB'));
    await user.type(f.getByLabelText('Payment methods'), 'nb_hdfc, NB_ICICI');
    await user.clear(f.getByLabelText('Priority'));
    await user.type(f.getByLabelText('Priority'), '5');
    const pct = f.getByLabelText('Fee default: percentage');
    await user.clear(pct);
    await user.type(pct, '1.95');
    await user.click(f.getByRole('button', { name: 'Add fee rule' }));
    const rules = f.getAllByTestId('fee-rule');
    const added = within(rules.at(-1)!);
    await user.selectOptions(added.getByLabelText(/applies to/), 'method');
    await user.type(added.getByLabelText(/: value$/), 'nb_hdfc');
    await user.type(added.getByLabelText(/fixed fee/), '300');
    await user.click(f.getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByText('Saved SIM_ALPHA (acc_a).')).toBeTruthy();
    const patches = api.to('/v1/dashboard/gateways/acc_a', 'PATCH');
    expect(patches).toHaveLength(1);
    expect(patches[0]!.body).toEqual({
      enabled: false,
      payment_method_types: ['CARD', 'UPI', 'NB'],
      payment_methods: ['NB_HDFC', 'NB_ICICI'],
      priority: 5,
      fees: { percent: 1.95, fixed_minor: 0, 'CARD.percent': 1.8, 'brand.AMEX.fixed_minor': 500, 'method.NB_HDFC.fixed_minor': 300 },
    });
    // The list shows the saved account.
    const row = within(screen.getAllByTestId('gateway-row')[0]!);
    expect(row.getByText('Default: 1.95%')).toBeTruthy();
    expect(row.getByText('Disabled')).toBeTruthy();
  });

  it('shows the server field errors next to their field', async () => {
    stubFetch(
      routes(
        apiError(400, 'INVALID_INPUT', 'Invalid input', [
          { field_name: 'priority', reason: 'must be an integer from 0 to 1000000' },
          { field_name: 'fees.CARD.percent', reason: 'must be a non-negative number' },
        ]),
      ),
    );
    const user = userEvent.setup();
    renderWithSession(<GatewaysPage />, session.role);
    await user.click(await screen.findByRole('button', { name: 'Edit SIM_ALPHA acc_a' }));
    const f = within(screen.getByRole('form', { name: 'Edit SIM_ALPHA (acc_a)' }));
    await user.clear(f.getByLabelText('Priority'));
    await user.type(f.getByLabelText('Priority'), '7');
    await user.click(f.getByRole('button', { name: 'Save changes' }));

    const priority = f.getByLabelText('Priority');
    await vi.waitFor(() => expect(priority.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(priority.getAttribute('aria-describedby')!)!.textContent).toBe('must be an integer from 0 to 1000000');
    const cardRule = f.getAllByTestId('fee-rule')[1]!;
    expect(within(cardRule).getByText('must be a non-negative number')).toBeTruthy();
    expect(f.getByRole('alert').textContent).toBe('Invalid input');
  });

  it('checks fees before sending', async () => {
    const api = stubFetch(routes(json({})));
    const user = userEvent.setup();
    renderWithSession(<GatewaysPage />, session.role);
    await user.click(await screen.findByRole('button', { name: 'Edit SIM_BETA acc_b' }));
    const f = within(screen.getByRole('form', { name: 'Edit SIM_BETA (acc_b)' }));
    await user.type(f.getByLabelText('Fee default: percentage'), '1.234');
    await user.type(f.getByLabelText('Fee default: fixed fee in minor units'), '2.5');
    await user.click(f.getByRole('button', { name: 'Save changes' }));
    expect(await f.findByText('Enter a percentage from 0 to 100 with at most two decimals')).toBeTruthy();
    expect(f.getByText('Enter a whole number of minor units')).toBeTruthy();
    expect(api.to('/v1/dashboard/gateways/acc_b', 'PATCH')).toHaveLength(0);
  });

  it('offers no edit to a VIEWER', async () => {
    session.role = 'VIEWER';
    stubFetch(routes(json({})));
    renderWithSession(<GatewaysPage />, session.role);
    await screen.findAllByTestId('gateway-row');
    expect(screen.queryByRole('button', { name: /^Edit/ })).toBeNull();
  });
});
