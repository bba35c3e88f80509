import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '../auth/permissions.ts';
import { renderWithSession } from '../priority-logic/test-helpers.tsx';
import { apiError, json, stubFetch } from '../analytics/test-fetch.ts';
import { OrderPage } from './OrderPage.tsx';

const session = { role: 'ADMIN' as Role };

const decisionFailed = {
  logic: { id: 'pl_1', name: 'cards-by-brand', version: 3, kind: 'RULES', role: 'PRIMARY' },
  primary: { name: 'cards-by-brand', status: 'SUCCESS', failure_reason: 'NO_ERROR' },
  evaluation_status: 'RULE_MATCHED',
  matched_rule: { index: 0, name: 'visa first' },
  produced_list: [
    { gateway: 'SIM_ALPHA', gateway_reference_id: null },
    { gateway: 'SIM_GAMMA', gateway_reference_id: null },
  ],
  enforced: false,
  eligibility_drops: [{ gateway: 'SIM_GAMMA', gateway_reference_id: null, reason: 'CARD_BRAND_NOT_SUPPORTED', source: 'LOGIC' }],
  final_gateways: [
    { gateway: 'SIM_ALPHA', gateway_reference_id: null },
    { gateway: 'SIM_BETA', gateway_reference_id: null },
  ],
  decided_gateway: 'SIM_ALPHA',
  account_ids: ['acc_a', 'acc_b'],
  ranking: {
    mode: 'WITHIN_LOGIC',
    applied: true,
    explored: false,
    gateways: [
      { gateway: 'SIM_ALPHA', account_id: 'acc_a', label: 'EXPLOIT', score: 0.91, mean: 0.93, health: 'UP', fee_minor: 200 },
      { gateway: 'SIM_BETA', account_id: 'acc_b', label: 'ELIMINATED', score: 0.2, mean: 0.21, health: 'DOWN', fee_minor: 380 },
    ],
  },
};
const decisionFallback = {
  ...decisionFailed,
  logic: { id: 'pl_fb', name: 'safe-default', version: 1, kind: 'DEFAULT', role: 'FALLBACK' },
  primary: { name: 'cards-by-brand', status: 'FAILURE', failure_reason: 'PL_EVALUATION_FAILED', message: 'boom' },
  fallback: { name: 'safe-default', status: 'SUCCESS', failure_reason: 'NO_ERROR' },
  ranking: undefined,
  decided_gateway: 'SIM_BETA',
};

const detail = {
  order: {
    order_id: 'ord_42',
    status: 'CHARGED',
    amount: '100.00',
    currency: 'INR',
    customer_id: 'cust_7',
    customer_email: 'c@example.com',
    created_at: '2026-01-05T10:00:00Z',
    updated_at: '2026-01-05T10:00:05Z',
    amount_refunded: '0.00',
  },
  attempts: [
    {
      attempt: 1,
      txn_id: 'm1-ord_42-1',
      txn_uuid: 'txn_1',
      status: 'AUTHORIZATION_FAILED',
      gateway: 'SIM_ALPHA',
      unified_error: { code: 'INSUFFICIENT_FUNDS', message: 'The card has insufficient funds', category: 'USER_ERROR' },
      gateway_code: '51',
      gateway_message: 'Not sufficient funds',
      latency_ms: 182,
      created_at: '2026-01-05T10:00:01Z',
      routing_decision: decisionFailed,
    },
    {
      attempt: 2,
      txn_id: 'm1-ord_42-2',
      txn_uuid: 'txn_2',
      status: 'CHARGED',
      gateway: 'SIM_BETA',
      unified_error: null,
      gateway_code: '00',
      gateway_message: 'Approved',
      latency_ms: 95,
      created_at: '2026-01-05T10:00:03Z',
      routing_decision: decisionFallback,
    },
  ],
  refunds: [{ id: 'rfnd_1', unique_request_id: 'r-1', amount: '10.00', status: 'SUCCESS', created_at: '2026-01-05T11:00:00Z' }],
};

describe('OrderPage', () => {
  beforeEach(() => {
    session.role = 'ADMIN';
  });
  afterEach(() => vi.unstubAllGlobals());

  it('renders the attempts with their unified errors and each routing trace', async () => {
    stubFetch([{ path: '/v1/dashboard/orders/ord_42', handle: json(detail) }]);
    renderWithSession(<OrderPage orderId="ord_42" />, session.role);

    const rows = await screen.findAllByTestId('attempt-row');
    expect(rows).toHaveLength(2);
    const first = within(rows[0]!);
    expect(first.getByText('INSUFFICIENT_FUNDS')).toBeTruthy();
    expect(first.getByText('The card has insufficient funds')).toBeTruthy();
    expect(first.getByText('USER_ERROR')).toBeTruthy();
    expect(first.getByText('51')).toBeTruthy();
    expect(first.getByText('Not sufficient funds')).toBeTruthy();
    expect(first.getByText('182 ms')).toBeTruthy();
    expect(within(rows[1]!).getByText('CHARGED')).toBeTruthy();
    expect(screen.getByTestId('order-amount').textContent).toBe('₹100.00');

    const traces = screen.getAllByTestId('routing-trace');
    expect(traces).toHaveLength(2);
    const t1 = within(traces[0]!);
    expect(t1.getByTestId('trace-role').textContent).toContain('Primary (active) logic');
    expect(t1.getByTestId('trace-logic').textContent).toContain('cards-by-brand');
    expect(t1.getByTestId('trace-logic').textContent).toContain('Rules');
    expect(t1.getByTestId('trace-logic').textContent).toContain('version 3');
    expect(t1.getByTestId('trace-evaluation').textContent).toContain('RULE_MATCHED');
    expect(t1.getByTestId('trace-evaluation').textContent).toContain('visa first');
    expect(t1.getByTestId('trace-enforcement').textContent).toContain('Not enforced');
    expect(t1.getByTestId('trace-drop').textContent).toContain('CARD_BRAND_NOT_SUPPORTED');
    expect(t1.getByText('EXPLOIT')).toBeTruthy();
    expect(t1.getByText('ELIMINATED')).toBeTruthy();
    expect(t1.getByTestId('trace-final-gateway').textContent).toBe('SIM_ALPHA');
    expect(t1.getByText('Raw JSON')).toBeTruthy();
    expect(JSON.parse(t1.getByTestId('routing-trace-json').textContent!)).toEqual(decisionFailed);

    const t2 = within(traces[1]!);
    expect(t2.getByTestId('trace-role').textContent).toContain('Fallback logic');
    expect(t2.getByTestId('trace-primary').textContent).toContain('PL_EVALUATION_FAILED');
    expect(t2.getByTestId('trace-primary').textContent).toContain('boom');
    expect(t2.getByTestId('trace-fallback').textContent).toContain('safe-default');
    expect(t2.getByTestId('trace-final-gateway').textContent).toBe('SIM_BETA');

    expect(screen.getAllByTestId('refund-row')).toHaveLength(1);
  });

  it('hides the refund form from a VIEWER', async () => {
    session.role = 'VIEWER';
    stubFetch([{ path: '/v1/dashboard/orders/ord_42', handle: json(detail) }]);
    renderWithSession(<OrderPage orderId="ord_42" />, session.role);
    await screen.findAllByTestId('attempt-row');
    expect(screen.queryByRole('form', { name: /refund/i })).toBeNull();
    expect(screen.queryByLabelText(/refund amount/i)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Refund' })).toBeNull();
  });

  it('sends a refund and shows the server field error next to the amount', async () => {
    const api = stubFetch([
      { path: '/v1/dashboard/orders/ord_42', handle: json(detail) },
      {
        method: 'POST',
        path: '/v1/dashboard/orders/ord_42/refunds',
        handle: apiError(400, 'INVALID_INPUT', 'Invalid amount', [{ field_name: 'amount', reason: 'exceeds the refundable amount (9000 minor units left)' }]),
      },
    ]);
    const user = userEvent.setup();
    renderWithSession(<OrderPage orderId="ord_42" />, session.role);
    const amount = await screen.findByLabelText(/refund amount/i);
    await user.type(amount, '95.00');
    await user.click(screen.getByRole('button', { name: 'Refund' }));
    // A refund asks first: nothing is sent before the confirmation.
    const dialog = await screen.findByRole('dialog', { name: 'Refund ₹95.00?' });
    expect(api.to('/v1/dashboard/orders/ord_42/refunds', 'POST')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Refund' }));

    const error = await screen.findByTestId('refund-amount-error');
    expect(error.textContent).toBe('exceeds the refundable amount (9000 minor units left)');
    expect(amount.getAttribute('aria-invalid')).toBe('true');
    expect(amount.getAttribute('aria-describedby')).toBe(error.id);

    const posts = api.to('/v1/dashboard/orders/ord_42/refunds', 'POST');
    expect(posts).toHaveLength(1);
    const body = posts[0]!.body as { amount: string; unique_request_id: string };
    expect(body.amount).toBe('95.00');
    expect(body.unique_request_id).toMatch(/^rfnd_[a-z0-9]+_[0-9a-f]{16}$/);

    // A retry of the same refund keeps its unique_request_id (idempotent).
    await user.click(screen.getByRole('button', { name: 'Refund' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Refund' }));
    await vi.waitFor(() => expect(api.to('/v1/dashboard/orders/ord_42/refunds', 'POST')).toHaveLength(2));
    expect((api.to('/v1/dashboard/orders/ord_42/refunds', 'POST')[1]!.body as { unique_request_id: string }).unique_request_id).toBe(body.unique_request_id);
  });

  it('checks the amount before sending', async () => {
    const api = stubFetch([{ path: '/v1/dashboard/orders/ord_42', handle: json(detail) }]);
    const user = userEvent.setup();
    renderWithSession(<OrderPage orderId="ord_42" />, session.role);
    await user.type(await screen.findByLabelText(/refund amount/i), '1.234');
    await user.click(screen.getByRole('button', { name: 'Refund' }));
    expect((await screen.findByTestId('refund-amount-error')).textContent).toBe('must have at most 2 decimal places for INR');
    expect(api.to('/v1/dashboard/orders/ord_42/refunds', 'POST')).toHaveLength(0);
  });

  it('does not refund when the confirmation is cancelled', async () => {
    const api = stubFetch([{ path: '/v1/dashboard/orders/ord_42', handle: json(detail) }]);
    const user = userEvent.setup();
    renderWithSession(<OrderPage orderId="ord_42" />, session.role);
    await user.type(await screen.findByLabelText(/refund amount/i), '5');
    await user.click(screen.getByRole('button', { name: 'Refund' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.to('/v1/dashboard/orders/ord_42/refunds', 'POST')).toHaveLength(0);
  });

  it('shows the seed words with Retry when the order fails to load, and loads again on Retry', async () => {
    let fail = true;
    stubFetch([
      { path: '/v1/dashboard/orders/ord_42', handle: () => (fail ? apiError(503, 'SERVICE_UNAVAILABLE', 'upstream down') : json(detail)) },
      { path: '/v1/dashboard/orders/ord_42/webhooks', handle: json({ order_id: 'ord_42', webhooks: [] }) },
    ]);
    const user = userEvent.setup();
    renderWithSession(<OrderPage orderId="ord_42" />, session.role);
    const alert = await screen.findByTestId('error-state');
    expect(alert.textContent).toContain('Something went wrong. Please try again');
    expect(alert.textContent).not.toContain('upstream down');
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findAllByTestId('attempt-row')).toHaveLength(2);
    expect(screen.queryByTestId('error-state')).toBeNull();
  });

  it('reloads the order after a refund is accepted', async () => {
    let refunded = false;
    const api = stubFetch([
      {
        path: '/v1/dashboard/orders/ord_42',
        handle: () => json(refunded ? { ...detail, refunds: [...detail.refunds, { id: 'rfnd_2', unique_request_id: 'x', amount: '5.00', status: 'PENDING' }] } : detail),
      },
      {
        method: 'POST',
        path: '/v1/dashboard/orders/ord_42/refunds',
        handle: (call) => {
          refunded = true;
          const id = (call.body as { unique_request_id: string }).unique_request_id;
          return json({ ...detail, refunds: [...detail.refunds, { id: 'rfnd_2', unique_request_id: id, amount: '5.00', status: 'PENDING' }] });
        },
      },
    ]);
    const user = userEvent.setup();
    renderWithSession(<OrderPage orderId="ord_42" />, session.role);
    await user.type(await screen.findByLabelText(/refund amount/i), '5');
    await user.click(screen.getByRole('button', { name: 'Refund' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Refund ₹5.00?' })).getByRole('button', { name: 'Refund' }));
    expect(await screen.findByText('Refund of ₹5.00 requested (PENDING).')).toBeTruthy();
    await vi.waitFor(() => expect(screen.getAllByTestId('refund-row')).toHaveLength(2));
    expect(api.to('/v1/dashboard/orders/ord_42')).toHaveLength(2);
  });

  it('says when the order does not exist', async () => {
    stubFetch([{ path: '/v1/dashboard/orders/nope', handle: apiError(404, 'NOT_FOUND', 'Order not found') }]);
    renderWithSession(<OrderPage orderId="nope" />, session.role);
    expect((await screen.findByRole('alert')).textContent).toBe('Order nope was not found.');
  });

  it("shows the order's webhook delivery log below the refunds", async () => {
    stubFetch([
      { path: '/v1/dashboard/orders/ord_42', handle: json(detail) },
      {
        path: '/v1/dashboard/orders/ord_42/webhooks',
        handle: json({
          order_id: 'ord_42',
          webhooks: [
            {
              id: 'evt_1',
              event_name: 'ORDER_SUCCEEDED',
              status: 'DELIVERED',
              attempts: 1,
              last_status_code: 200,
              last_error: null,
              target_url: 'https://x',
              date_created: '2026-01-05T10:00:06Z',
              next_attempt_at: null,
              delivered_at: '2026-01-05T10:00:07Z',
            },
          ],
        }),
      },
    ]);
    renderWithSession(<OrderPage orderId="ord_42" />, session.role);
    const section = (await screen.findByRole('heading', { name: 'Webhooks' })).closest('section')!;
    expect(await within(section).findByText('ORDER_SUCCEEDED')).toBeTruthy();
    expect(within(section).getByRole('button', { name: 'Resend ORDER_SUCCEEDED evt_1' })).toBeTruthy();
  });
});
