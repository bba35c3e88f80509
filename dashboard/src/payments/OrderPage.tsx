// One order: summary, attempts with unified and raw gateway errors, each attempt's routing
// decision trace, refunds, (ADMIN) the refund form, and the webhook delivery log with its re-send.
// GET /v1/dashboard/orders/{order_id}.
import { api, ApiError } from '../api/client.ts';
import { useSession } from '../auth/session.tsx';
import { can } from '../auth/permissions.ts';
import { Link } from '../router.tsx';
import { formatDateTime, formatMs } from '../analytics/format.ts';
import { useApiQuery, useInvalidate } from '../api/query.ts';
import { queryKeys } from '../api/query-keys.ts';
import { RefundForm } from './RefundForm.tsx';
import { formatDecimalMoney } from '../format/money.ts';
import { RoutingTrace } from './RoutingTrace.tsx';
import { WebhookLog } from './WebhookLog.tsx';
import { normalizeOrderDetail, statusBadgeClass } from './types.ts';
import './payments.css';
import { ErrorState } from '../components/ErrorState.tsx';

export function OrderPage({ orderId }: { orderId: string }) {
  const role = useSession().user?.role;
  const invalidate = useInvalidate();
  const { data, error, loading, reload } = useApiQuery(queryKeys.payments.order(orderId), async (signal) =>
    normalizeOrderDetail(await api<unknown>(`/v1/dashboard/orders/${encodeURIComponent(orderId)}`, { signal })),
  );

  return (
    <section className="page order-page">
      <p className="back-link"><Link to="/payments">← Payments</Link></p>
      <header className="page-header">
        <h1>Order {orderId}</h1>
      </header>
      {error ? (
        <ErrorState error={error} onRetry={reload} retrying={loading} message={error instanceof ApiError && error.status === 404 ? `Order ${orderId} was not found.` : undefined} />
      ) : null}
      {loading && !data ? <p className="muted" role="status">Loading order…</p> : null}
      {data ? (
        <>
          <section className="card" aria-labelledby="order-summary-heading">
            <h2 id="order-summary-heading">Summary</h2>
            <dl className="order-summary">
              <div><dt>Order id</dt><dd data-testid="order-id">{data.order.orderId || orderId}</dd></div>
              <div><dt>Status</dt><dd><span className={statusBadgeClass(data.order.status)} data-testid="order-status">{data.order.status}</span></dd></div>
              <div><dt>Amount</dt><dd data-testid="order-amount">{formatDecimalMoney(data.order.amount, data.order.currency)}</dd></div>
              {data.order.amountRefunded ? <div><dt>Refunded</dt><dd data-testid="order-refunded">{formatDecimalMoney(data.order.amountRefunded, data.order.currency)}</dd></div> : null}
              <div>
                <dt>Customer</dt>
                <dd data-testid="order-customer">
                  {[data.order.customerId, data.order.customerEmail, data.order.customerPhone].filter(Boolean).join(' · ') || '–'}
                </dd>
              </div>
              <div><dt>Created</dt><dd>{formatDateTime(data.order.createdAt)}</dd></div>
              {data.order.updatedAt ? <div><dt>Updated</dt><dd>{formatDateTime(data.order.updatedAt)}</dd></div> : null}
              {data.order.description ? <div><dt>Description</dt><dd>{data.order.description}</dd></div> : null}
            </dl>
          </section>

          <section className="card" aria-labelledby="attempts-heading">
            <h2 id="attempts-heading">Attempts</h2>
            {data.attempts.length === 0 ? (
              <p className="empty">No payment attempt on this order yet.</p>
            ) : (
              <div className="table-scroll">
                <table className="table attempts-table" aria-labelledby="attempts-heading">
                  <thead>
                    <tr>
                      <th scope="col">Attempt</th>
                      <th scope="col">Txn id</th>
                      <th scope="col">Status</th>
                      <th scope="col">Gateway</th>
                      <th scope="col">Error code</th>
                      <th scope="col">Error message</th>
                      <th scope="col">Category</th>
                      <th scope="col">Gateway code</th>
                      <th scope="col">Gateway message</th>
                      <th scope="col" className="num">Latency</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.attempts.map((a) => (
                      <tr key={a.txnUuid ?? a.txnId ?? a.number} data-testid="attempt-row">
                        <th scope="row">{a.number}</th>
                        <td><code>{a.txnId ?? '–'}</code></td>
                        <td><span className={statusBadgeClass(a.status)}>{a.status}</span></td>
                        <td>{a.gateway ?? '–'}</td>
                        <td data-testid="attempt-error-code">{a.unifiedError ? <code>{a.unifiedError.code}</code> : '–'}</td>
                        <td>{a.unifiedError?.message ?? '–'}</td>
                        <td data-testid="attempt-error-category">{a.unifiedError?.category ?? '–'}</td>
                        <td>{a.gatewayCode ? <code>{a.gatewayCode}</code> : '–'}</td>
                        <td>{a.gatewayMessage ?? '–'}</td>
                        <td className="num">{formatMs(a.latencyMs)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          {data.attempts.length > 0 ? (
            <section className="card" aria-labelledby="decisions-heading">
              <h2 id="decisions-heading">Routing decisions</h2>
              {data.attempts.map((a) => (
                <article key={a.txnUuid ?? a.txnId ?? a.number} className="attempt-decision" aria-labelledby={`decision-${a.number}`}>
                  <h3 id={`decision-${a.number}`}>
                    Attempt {a.number}
                    {a.gateway ? ` · ${a.gateway}` : ''} · {a.status}
                  </h3>
                  <RoutingTrace decision={a.routingDecision} attemptGateway={a.gateway} attemptNumber={a.number} />
                </article>
              ))}
            </section>
          ) : null}

          <section className="card" aria-labelledby="refunds-heading">
            <h2 id="refunds-heading">Refunds</h2>
            {data.refunds.length === 0 ? (
              <p className="empty">No refunds.</p>
            ) : (
              <table className="table" aria-labelledby="refunds-heading">
                <thead>
                  <tr>
                    <th scope="col">Refund id</th>
                    <th scope="col">Request id</th>
                    <th scope="col" className="num">Amount</th>
                    <th scope="col">Status</th>
                    <th scope="col">Reference</th>
                    <th scope="col">Error</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {data.refunds.map((r) => (
                    <tr key={r.id || r.uniqueRequestId} data-testid="refund-row">
                      <td><code>{r.id || '–'}</code></td>
                      <td><code>{r.uniqueRequestId ?? '–'}</code></td>
                      <td className="num">{formatDecimalMoney(r.amount, data.order.currency)}</td>
                      <td><span className={statusBadgeClass(r.status)}>{r.status}</span></td>
                      <td>{r.arn ?? r.ref ?? '–'}</td>
                      <td>{r.errorCode ? `${r.errorCode}${r.errorMessage ? `: ${r.errorMessage}` : ''}` : '–'}</td>
                      <td>{formatDateTime(r.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {can(role, 'order.refund') ? <RefundForm orderId={data.order.orderId || orderId} currency={data.order.currency} onRefunded={() => void invalidate(queryKeys.payments.all)} /> : null}
          </section>

          <WebhookLog orderId={data.order.orderId || orderId} />
        </>
      ) : null}
    </section>
  );
}
