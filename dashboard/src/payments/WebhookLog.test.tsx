import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '../auth/permissions.ts';
import { renderWithSession } from '../priority-logic/test-helpers.tsx';
import { apiError, json, stubFetch } from '../analytics/test-fetch.ts';
import { WebhookLog } from './WebhookLog.tsx';

const session = { role: 'EDITOR' as Role };

const PATH = '/v1/dashboard/orders/ord_42/webhooks';
const failed = {
  id: 'evt_aaa',
  event_name: 'ORDER_SUCCEEDED',
  order_id: 'ord_42',
  target_url: 'https://shop.example/hooks',
  status: 'FAILED',
  attempts: 17,
  last_status_code: 503,
  last_error: 'HTTP 503',
  date_created: '2026-01-05T10:00:00Z',
  next_attempt_at: null,
  delivered_at: null,
};
const delivered = { ...failed, id: 'evt_bbb', event_name: 'TXN_CHARGED', status: 'DELIVERED', attempts: 1, last_status_code: 200, last_error: null, delivered_at: '2026-01-05T10:00:02Z' };

describe('WebhookLog', () => {
  beforeEach(() => {
    session.role = 'EDITOR';
  });
  afterEach(() => vi.unstubAllGlobals());

  it('lists each webhook with its status, attempts, last answer and error', async () => {
    stubFetch([{ path: PATH, handle: json({ order_id: 'ord_42', webhooks: [failed, delivered] }) }]);
    renderWithSession(<WebhookLog orderId="ord_42" />, session.role);
    const rows = await screen.findAllByTestId('webhook-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText('ORDER_SUCCEEDED')).toBeTruthy();
    expect(within(rows[0]!).getByTestId('webhook-status').textContent).toBe('FAILED');
    expect(within(rows[0]!).getByTestId('webhook-attempts').textContent).toBe('17');
    expect(within(rows[0]!).getByTestId('webhook-last-status').textContent).toBe('503');
    expect(within(rows[0]!).getByText('HTTP 503')).toBeTruthy();
    expect(within(rows[1]!).getByTestId('webhook-status').textContent).toBe('DELIVERED');
  });

  it('exports the log as CSV through the shared writer', async () => {
    stubFetch([{ path: PATH, handle: json({ order_id: 'ord_42', webhooks: [failed, delivered] }) }]);
    const blobs: Blob[] = [];
    const saved = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
    URL.createObjectURL = (b: Blob | MediaSource) => (blobs.push(b as Blob), 'blob:x');
    URL.revokeObjectURL = () => undefined;
    const clicked: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    renderWithSession(<WebhookLog orderId="ord_42" />, session.role);
    await screen.findAllByTestId('webhook-row');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Export CSV of the webhook log' }));
    click.mockRestore();
    URL.createObjectURL = saved.create;
    URL.revokeObjectURL = saved.revoke;
    expect(clicked[0]).toMatch(/^webhooks-ord_42-.*\.csv$/);
    const text = (await blobs[0]!.text()).replace(/^\uFEFF/, '');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('event_id,event,status,attempts,last_status_code,last_error,target_url,created_utc,next_attempt_utc,delivered_utc');
    expect(lines[1]).toBe('evt_aaa,ORDER_SUCCEEDED,FAILED,17,503,HTTP 503,https://shop.example/hooks,2026-01-05T10:00:00Z,,');
  });

  it('Resend posts to the event and reloads the log, which shows it queued again', async () => {
    let resent = false;
    const fetch = stubFetch([
      {
        path: PATH,
        handle: () =>
          json({
            order_id: 'ord_42',
            webhooks: [resent ? { ...failed, status: 'PENDING', attempts: 0, last_status_code: null, last_error: null, next_attempt_at: '2026-01-06T09:00:00Z' } : failed, delivered],
          }),
      },
      {
        method: 'POST',
        path: `${PATH}/evt_aaa/resend`,
        handle: () => {
          resent = true;
          return json({ ...failed, status: 'PENDING', attempts: 0 }, 202);
        },
      },
    ]);
    renderWithSession(<WebhookLog orderId="ord_42" />, session.role);
    await userEvent.click(await screen.findByRole('button', { name: 'Resend ORDER_SUCCEEDED evt_aaa' }));
    expect(await screen.findByText(/ORDER_SUCCEEDED \(evt_aaa\) queued to be sent again/)).toBeTruthy();
    expect(fetch.to(`${PATH}/evt_aaa/resend`, 'POST')).toHaveLength(1);
    await vi.waitFor(() => expect(screen.getAllByTestId('webhook-status')[0]!.textContent).toBe('PENDING'));
    expect(fetch.to(PATH).length).toBeGreaterThanOrEqual(2);
  });

  it('shows a refused re-send', async () => {
    stubFetch([
      { path: PATH, handle: json({ order_id: 'ord_42', webhooks: [failed] }) },
      { method: 'POST', path: `${PATH}/evt_aaa/resend`, handle: apiError(404, 'RESOURCE_NOT_FOUND', 'Webhook evt_aaa of order ord_42 not found') },
    ]);
    renderWithSession(<WebhookLog orderId="ord_42" />, session.role);
    await userEvent.click(await screen.findByRole('button', { name: /Resend/ }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/not found/);
  });

  it('a VIEWER sees the log without a Resend button', async () => {
    session.role = 'VIEWER';
    stubFetch([{ path: PATH, handle: json({ order_id: 'ord_42', webhooks: [failed] }) }]);
    renderWithSession(<WebhookLog orderId="ord_42" />, session.role);
    await screen.findAllByTestId('webhook-row');
    expect(screen.queryByRole('button', { name: /Resend/ })).toBeNull();
  });

  it('says when the order has no webhook', async () => {
    stubFetch([{ path: PATH, handle: json({ order_id: 'ord_42', webhooks: [] }) }]);
    renderWithSession(<WebhookLog orderId="ord_42" />, session.role);
    expect(await screen.findByText('No webhook for this order.')).toBeTruthy();
  });
});
