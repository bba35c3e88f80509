import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '../auth/permissions.ts';
import { renderWithSession } from '../priority-logic/test-helpers.tsx';
import { apiError, json, stubFetch, type Route } from '../analytics/test-fetch.ts';
import { RiskPage } from './RiskPage.tsx';

const session = { role: 'ADMIN' as Role };

const config = {
  enabled: true,
  mode: 'sequential',
  provider: 'builtin',
  fail_open: true,
  provider_timeout_ms: 300,
  velocity: [{ id: 'card_1h', dimension: 'card_fingerprint', metric: 'count', window_seconds: 3600, limit: 5, action: 'block' }],
  card_testing: null,
  amount_limits: [],
  mismatch: null,
};
const rule = { id: 'rrl_1', name: 'huge', condition: { dimension: 'amount', operator: 'greater_than', value: { amount: 5_000_000, currency: 'INR' } }, action: 'block', score: 80, enabled: true };
const held = {
  txn_uuid: 'tu_1',
  txn_id: 'ord_r-1',
  order_id: 'ord_r',
  status: 'AUTHORIZED',
  amount: 60000,
  currency: 'INR',
  gateway: 'SIM_ALPHA',
  risk: { score: 60, reasons: ['rule "mid" matched (review)'] },
  created: '2026-12-04T10:00:00Z',
};
const blockedRow = {
  txn_uuid: 'tu_2',
  txn_id: 'ord_b-1',
  order_id: 'ord_b',
  status: 'JUSPAY_DECLINED',
  amount: 123456,
  currency: 'INR',
  payment_method_type: 'CARD',
  code: 'RISK_BLOCKLISTED',
  score: 100,
  mode: 'sequential',
  reasons: ['email fraud@example.com is on the blocklist'],
  blocked_by: ['blocklist'],
  checks: [{ check: 'blocklist', action: 'block', score: 100, reasons: ['email fraud@example.com is on the blocklist'] }],
  created: '2026-12-04T10:00:00Z',
};

function routes(extra: Route[] = []): Route[] {
  return [
    ...extra,
    { path: '/v1/risk/config', handle: json({ configured: true, config }) },
    { path: '/v1/risk/rules', handle: json({ rules: [rule] }) },
    {
      path: '/v1/risk/lists/blocklist',
      handle: (c) =>
        json({
          list: 'blocklist',
          entries: c.url.searchParams.get('after')
            ? [{ kind: 'ip', value: '10.0.0.0/8', note: null, created: '2026-12-04T10:00:00Z' }]
            : [{ kind: 'email', value: 'a@b.c', note: 'x', created: '2026-12-04T10:00:00Z' }],
          next_cursor: c.url.searchParams.get('after') ? null : 'email|a@b.c',
        }),
    },
    { path: '/v1/risk/reviews', handle: json({ reviews: [held] }) },
    { path: '/v1/risk/blocked', handle: json({ blocked: [blockedRow], next_cursor: null }) },
    {
      path: '/v1/risk/block-rate',
      handle: json({ bucket: '1h', bucket_seconds: 3600, buckets: [{ start: '2026-12-04T10:00:00Z', checked: 4, blocked: 1 }], by: [{ key: 'rule:huge', blocked: [1], total: 1 }], truncated: false }),
    },
    { path: '/v1/risk/audit', handle: json({ audit: [{ id: 'a1', actor: 'u1', action: 'rule.create', entity: 'rule:rrl_1', detail: {}, at: '2026-12-04T10:00:00Z' }] }) },
  ];
}

describe('RiskPage', () => {
  beforeEach(() => {
    session.role = 'ADMIN';
  });
  afterEach(() => vi.unstubAllGlobals());

  it('shows the API reasons next to the configuration fields they name', async () => {
    const api = stubFetch(
      routes([
        {
          method: 'PUT',
          path: '/v1/risk/config',
          handle: apiError(400, 'INVALID_INPUT', 'Invalid risk configuration', [
            { field_name: 'velocity[0].limit', reason: 'must be a positive integer' },
            { field_name: 'provider_timeout_ms', reason: 'must be from 10 to 10000' },
          ]),
        },
      ]),
    );
    renderWithSession(<RiskPage />, session.role);
    const limit = await screen.findByLabelText('Velocity 1 limit');
    await userEvent.clear(limit);
    await userEvent.type(limit, '0');
    await userEvent.click(screen.getByRole('button', { name: 'Save configuration' }));
    expect((await screen.findByTestId('error-velocity[0].limit')).textContent).toContain('must be a positive integer');
    expect(screen.getByTestId('error-provider_timeout_ms').textContent).toContain('from 10 to 10000');
    const sent = api.to('/v1/risk/config', 'PUT')[0]!.body as typeof config;
    expect(sent.velocity[0]!.limit).toBe(0);
  });

  it('a viewer sees the configuration disabled and no save button', async () => {
    session.role = 'VIEWER';
    stubFetch(routes());
    renderWithSession(<RiskPage />, session.role);
    expect((await screen.findByLabelText('Velocity 1 limit')).matches(':disabled')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save configuration' })).toBeNull();
    expect(screen.getByText(/Read only for your role/)).toBeTruthy();
  });

  it('creates a rule with the Priority Logic condition editor', async () => {
    const api = stubFetch(routes([{ method: 'POST', path: '/v1/risk/rules', handle: (c) => json({ id: 'rrl_2', ...(c.body as object) }, 201) }]));
    renderWithSession(<RiskPage />, session.role);
    await userEvent.click(screen.getByRole('tab', { name: 'Rules' }));
    expect((await screen.findAllByTestId('risk-rule-row')).map((r) => r.getAttribute('data-rule-name'))).toEqual(['huge']);
    await userEvent.click(screen.getByRole('button', { name: '+ New rule' }));
    const form = screen.getByRole('form', { name: 'New risk rule' });
    await userEvent.type(within(form).getByLabelText('Name'), 'disposable mail');
    await userEvent.selectOptions(within(form).getByLabelText('Action'), 'review');
    const leaf = within(form).getByTestId('cond-condition.all[0]');
    await userEvent.selectOptions(within(leaf).getByLabelText('Dimension'), 'metadata');
    await userEvent.type(within(leaf).getByLabelText('Metadata key'), 'risk.email_domain');
    await userEvent.type(within(leaf).getByLabelText('Value'), 'mailinator.com');
    await userEvent.click(within(form).getByRole('button', { name: 'Create rule' }));
    await vi.waitFor(() => expect(api.to('/v1/risk/rules', 'POST')).toHaveLength(1));
    expect(api.to('/v1/risk/rules', 'POST')[0]!.body).toEqual({
      name: 'disposable mail',
      action: 'review',
      score: 50,
      enabled: true,
      condition: { all: [{ dimension: 'metadata.risk.email_domain', operator: 'equal', value: 'mailinator.com' }] },
    });
  });

  it('edits a rule in the condition editor and disables one', async () => {
    const api = stubFetch(routes([{ method: 'PUT', path: '/v1/risk/rules/rrl_1', handle: (c) => json({ ...rule, ...(c.body as object) }) }]));
    renderWithSession(<RiskPage />, session.role);
    await userEvent.click(screen.getByRole('tab', { name: 'Rules' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Edit rule huge' }));
    const form = screen.getByRole('form', { name: 'Edit rule huge' });
    const leaf = within(form).getByTestId('cond-condition.all[0]');
    expect((within(leaf).getByLabelText('Dimension') as HTMLSelectElement).value).toBe('amount');
    const value = within(leaf).getByLabelText('Value') as HTMLInputElement;
    expect(value.value).toBe('50000.00');
    await userEvent.clear(value);
    await userEvent.type(value, '75000');
    await userEvent.click(within(form).getByRole('button', { name: 'Save rule' }));
    await vi.waitFor(() => expect(api.to('/v1/risk/rules/rrl_1', 'PUT')).toHaveLength(1));
    expect(api.to('/v1/risk/rules/rrl_1', 'PUT')[0]!.body).toMatchObject({
      name: 'huge',
      action: 'block',
      score: 80,
      condition: { all: [{ dimension: 'amount', operator: 'greater_than', value: { amount: 7_500_000, currency: 'INR' } }] },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Disable' }));
    await vi.waitFor(() => expect(api.to('/v1/risk/rules/rrl_1', 'PUT')).toHaveLength(2));
    expect(api.to('/v1/risk/rules/rrl_1', 'PUT')[1]!.body).toEqual({ enabled: false });
  });

  it('a held payment is approved only after confirmation; a viewer gets no decision buttons', async () => {
    const api = stubFetch(routes([{ method: 'POST', path: '/v1/risk/reviews/tu_1/approve', handle: json({ status: 'CHARGED' }) }]));
    const { unmount } = renderWithSession(<RiskPage />, session.role);
    await userEvent.click(screen.getByRole('tab', { name: 'Review queue' }));
    const row = await screen.findByTestId('review-row');
    expect(row.textContent).toContain('₹600.00');
    await userEvent.click(within(row).getByRole('button', { name: 'Approve ord_r' }));
    expect(api.to('/v1/risk/reviews/tu_1/approve', 'POST')).toHaveLength(0);
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Approve and capture' }));
    expect((await screen.findByTestId('review-message')).textContent).toMatch(/Approved ord_r: CHARGED/);
    expect(api.to('/v1/risk/reviews/tu_1/approve', 'POST')).toHaveLength(1);
    unmount();
    session.role = 'VIEWER';
    renderWithSession(<RiskPage />, session.role);
    await userEvent.click(screen.getByRole('tab', { name: 'Review queue' }));
    await screen.findByTestId('review-row');
    expect(screen.queryByRole('button', { name: /^(Approve|Reject) / })).toBeNull();
  });

  it('blocked payments show the code, reasons, amount and a link to the order', async () => {
    stubFetch(routes());
    renderWithSession(<RiskPage />, session.role);
    await userEvent.click(screen.getByRole('tab', { name: 'Blocked payments' }));
    const row = await screen.findByTestId('blocked-row');
    expect(row.textContent).toContain('RISK_BLOCKLISTED');
    expect(row.textContent).toContain('₹1,234.56');
    expect(row.textContent).toContain('email fraud@example.com is on the blocklist');
    expect(within(row).getByRole('link', { name: 'ord_b' }).getAttribute('href')).toBe('/dashboard/payments/ord_b');
  });

  it('block rate lists blocks per rule with their share of checked attempts', async () => {
    stubFetch(routes());
    renderWithSession(<RiskPage />, session.role);
    await userEvent.click(screen.getByRole('tab', { name: 'Block rate' }));
    const row = await screen.findByTestId('block-rate-row');
    expect(row.textContent).toContain('Rule "huge"');
    expect(screen.getByTestId('block-rate-summary').textContent).toMatch(/1 of 4 checked attempts blocked/);
  });

  it('lists page with the next cursor', async () => {
    const api = stubFetch(routes());
    renderWithSession(<RiskPage />, session.role);
    await userEvent.click(screen.getByRole('tab', { name: 'Lists' }));
    await screen.findByText('a@b.c');
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await screen.findByText('10.0.0.0/8');
    expect(api.to('/v1/risk/lists/blocklist').at(-1)!.url.searchParams.get('after')).toBe('email|a@b.c');
  });

  it('a dry run shows the verdict and every check', async () => {
    const api = stubFetch(
      routes([
        {
          method: 'POST',
          path: '/v1/risk/dry-run',
          handle: json({
            action: 'block',
            score: 100,
            code: 'RISK_BLOCKLISTED',
            reasons: ['email x is on the blocklist'],
            allowlisted: false,
            checks: [
              { check: 'allowlist', action: 'allow', score: 0, reasons: [] },
              { check: 'blocklist', action: 'block', score: 100, reasons: ['email x is on the blocklist'] },
            ],
          }),
        },
      ]),
    );
    renderWithSession(<RiskPage />, session.role);
    await userEvent.click(screen.getByRole('tab', { name: 'Dry run' }));
    await userEvent.clear(screen.getByLabelText('Amount'));
    await userEvent.type(screen.getByLabelText('Amount'), '12.34');
    await userEvent.type(screen.getByLabelText('Email'), 'x@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect((await screen.findByTestId('dry-run-verdict')).textContent).toBe('block');
    expect(screen.getAllByTestId('dry-run-check').map((r) => r.getAttribute('data-check'))).toEqual(['allowlist', 'blocklist']);
    expect(api.to('/v1/risk/dry-run', 'POST')[0]!.body).toEqual({ amount: 1234, currency: 'INR', payment_method_type: 'CARD', email: 'x@example.com' });
  });
});
