// An order's outgoing webhooks (GET /v1/dashboard/orders/{id}/webhooks): event, delivery status,
// attempts, last answer and error, times; EDITOR and ADMIN can send one again (same event id and
// body, due at once), after which the log reloads.
import { useState } from 'react';
import { api } from '../api/client.ts';
import { can } from '../auth/permissions.ts';
import { useSession } from '../auth/session.tsx';
import { errorText, formatDateTime } from '../analytics/format.ts';
import { useApiQuery } from '../api/query.ts';
import { queryKeys } from '../api/query-keys.ts';
import { statusBadgeClass } from './types.ts';
import { ErrorState } from '../components/ErrorState.tsx';
import { ExportCsvButton } from '../components/ExportCsvButton.tsx';
import type { CsvColumn } from '../format/csv.ts';

export interface WebhookDelivery {
  id: string;
  eventName: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  targetUrl: string;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function normalizeWebhookLog(raw: unknown): WebhookDelivery[] {
  const list = (raw as { webhooks?: unknown } | null)?.webhooks;
  if (!Array.isArray(list)) return [];
  return list.map((item) => {
    const w = (item ?? {}) as Record<string, unknown>;
    return {
      id: str(w.id) ?? '',
      eventName: str(w.event_name) ?? '–',
      status: str(w.status) ?? 'PENDING',
      attempts: typeof w.attempts === 'number' ? w.attempts : 0,
      lastStatusCode: typeof w.last_status_code === 'number' ? w.last_status_code : null,
      lastError: str(w.last_error),
      createdAt: str(w.date_created),
      nextAttemptAt: str(w.next_attempt_at),
      deliveredAt: str(w.delivered_at),
      targetUrl: str(w.target_url) ?? '',
    };
  });
}

const CSV_COLUMNS: CsvColumn<WebhookDelivery>[] = [
  { header: 'event_id', value: (w) => w.id },
  { header: 'event', value: (w) => w.eventName },
  { header: 'status', value: (w) => w.status },
  { header: 'attempts', value: (w) => w.attempts },
  { header: 'last_status_code', value: (w) => w.lastStatusCode },
  { header: 'last_error', value: (w) => w.lastError },
  { header: 'target_url', value: (w) => w.targetUrl },
  { header: 'created_utc', value: (w) => w.createdAt },
  { header: 'next_attempt_utc', value: (w) => w.nextAttemptAt },
  { header: 'delivered_utc', value: (w) => w.deliveredAt },
];

const DELIVERY_BADGE: Record<string, string> = { DELIVERED: 'CHARGED', FAILED: 'AUTHORIZATION_FAILED', PENDING: 'PENDING_VBV' };

export function WebhookLog({ orderId }: { orderId: string }) {
  const role = useSession().user?.role;
  const path = `/v1/dashboard/orders/${encodeURIComponent(orderId)}/webhooks`;
  const { data, error, loading, reload } = useApiQuery(queryKeys.payments.webhooks(orderId), async (signal) => normalizeWebhookLog(await api<unknown>(path, { signal })));
  const [sending, setSending] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const mayResend = can(role, 'webhook.resend');

  async function resend(delivery: WebhookDelivery) {
    setSending(delivery.id);
    setMessage(null);
    setSendError(null);
    try {
      await api<unknown>(`${path}/${encodeURIComponent(delivery.id)}/resend`, { method: 'POST' });
      setMessage(`${delivery.eventName} (${delivery.id}) queued to be sent again.`);
      void reload();
    } catch (e) {
      setSendError(errorText(e));
    } finally {
      setSending(null);
    }
  }

  return (
    <section className="card" aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Webhooks</h2>
      {error ? <ErrorState error={error} onRetry={reload} retrying={loading} /> : null}
      {loading && !data ? (
        <p className="muted" role="status">
          Loading webhooks…
        </p>
      ) : null}
      {data && data.length === 0 ? <p className="empty">No webhook for this order.</p> : null}
      {data && data.length > 0 ? (
        <p className="table-actions">
          <ExportCsvButton name={`webhooks-${orderId}`} label="Export CSV of the webhook log" columns={CSV_COLUMNS} rows={data} />
        </p>
      ) : null}
      {data && data.length > 0 ? (
        <div className="table-scroll">
          <table className="table" aria-labelledby="webhooks-heading">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Attempts
                </th>
                <th scope="col">Last answer</th>
                <th scope="col">Last error</th>
                <th scope="col">Created</th>
                <th scope="col">Next attempt / delivered</th>
                {mayResend ? (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {data.map((w) => (
                <tr key={w.id} data-testid="webhook-row">
                  <th scope="row">
                    <code title={w.id}>{w.eventName}</code>
                  </th>
                  <td>
                    <span className={statusBadgeClass(DELIVERY_BADGE[w.status] ?? w.status)} data-testid="webhook-status">
                      {w.status}
                    </span>
                  </td>
                  <td className="num" data-testid="webhook-attempts">
                    {w.attempts}
                  </td>
                  <td data-testid="webhook-last-status">{w.lastStatusCode ?? '–'}</td>
                  <td>{w.lastError ?? '–'}</td>
                  <td>{formatDateTime(w.createdAt)}</td>
                  <td>{w.deliveredAt ? formatDateTime(w.deliveredAt) : w.nextAttemptAt ? formatDateTime(w.nextAttemptAt) : '–'}</td>
                  {mayResend ? (
                    <td>
                      <button type="button" className="btn" disabled={sending !== null} onClick={() => void resend(w)} aria-label={`Resend ${w.eventName} ${w.id}`}>
                        {sending === w.id ? 'Sending…' : 'Resend'}
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {sendError ? (
        <p role="alert" className="field-error">
          {sendError}
        </p>
      ) : null}
      <div role="status" aria-live="polite">
        {message}
      </div>
    </section>
  );
}
