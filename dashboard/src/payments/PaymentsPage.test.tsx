import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, stubFetch } from '../analytics/test-fetch.ts';
import { PaymentsPage } from './PaymentsPage.tsx';

const row = (id: string, status = 'CHARGED') => ({
  order_id: id,
  status,
  amount: '10.00',
  currency: 'INR',
  customer_id: 'cust_1',
  txn_count: 1,
  gateway: 'SIM_ALPHA',
  created_at: '2026-01-05T10:00:00Z',
});

describe('PaymentsPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists orders with links, searches with filters and loads more with the cursor', async () => {
    const api = stubFetch([
      {
        path: '/v1/dashboard/orders',
        handle: (call) => {
          if (call.url.searchParams.get('cursor') === 'c2') return json({ orders: [row('ord_3')], next_cursor: null });
          if (call.url.searchParams.get('search') === 'ord_1') return json({ orders: [row('ord_1', 'AUTHORIZATION_FAILED')], next_cursor: null });
          return json({ orders: [row('ord_1'), row('ord_2')], next_cursor: 'c2' });
        },
      },
    ]);
    const user = userEvent.setup();
    render(<PaymentsPage />);

    const rows = await screen.findAllByTestId('order-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByRole('link', { name: 'ord_1' }).getAttribute('href')).toBe('/dashboard/payments/ord_1');

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await vi.waitFor(() => expect(screen.getAllByTestId('order-row')).toHaveLength(3));
    expect(api.calls.at(-1)!.url.searchParams.get('cursor')).toBe('c2');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();

    await user.selectOptions(screen.getByLabelText('Status'), 'AUTHORIZATION_FAILED');
    await user.selectOptions(screen.getByLabelText('Created'), '7d');
    await user.type(screen.getByLabelText('Search'), 'ord_1{Enter}');
    await vi.waitFor(() => expect(screen.getAllByTestId('order-row')).toHaveLength(1));
    const last = api.calls.at(-1)!.url.searchParams;
    expect(last.get('search')).toBe('ord_1');
    expect(last.get('status')).toBe('AUTHORIZATION_FAILED');
    expect(Date.parse(last.get('to')!) - Date.parse(last.get('from')!)).toBe(7 * 24 * 3600_000);
    expect(last.get('cursor')).toBeNull();
  });

  it('a shared link with ?pages=2 shows both pages; a failed first load shows the error and Retry loads', async () => {
    let down = true;
    const api = stubFetch([
      {
        path: '/v1/dashboard/orders',
        handle: (call) => {
          if (down) return json({ error_message: 'Too many requests' }, 429);
          if (call.url.searchParams.get('cursor') === 'c2') return json({ orders: [row('ord_3')], next_cursor: 'c3' });
          return json({ orders: [row('ord_1'), row('ord_2')], next_cursor: 'c2' });
        },
      },
    ]);
    window.history.replaceState(null, '', '/dashboard/payments?pages=2');
    const user = userEvent.setup();
    render(<PaymentsPage />);
    const error = await screen.findByTestId('error-state');
    expect(error.textContent).toContain('Too many requests');
    expect(api.calls).toHaveLength(1); // a 4xx is not retried
    down = false;
    await user.click(within(error).getByRole('button', { name: 'Retry' }));
    await vi.waitFor(() => expect(screen.getAllByTestId('order-row')).toHaveLength(3));
    expect(api.calls.filter((c) => c.url.searchParams.get('cursor') === 'c2')).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Load more' })).toBeTruthy();
    expect(screen.queryByTestId('error-state')).toBeNull();
  });

  it('says when nothing matches', async () => {
    stubFetch([{ path: '/v1/dashboard/orders', handle: json({ orders: [], next_cursor: null }) }]);
    render(<PaymentsPage />);
    expect(await screen.findByText('No orders yet.')).toBeTruthy();
  });
});
