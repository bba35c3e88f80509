// One order: summary, attempts with unified and raw gateway errors, each attempt's routing
// decision trace, refunds, (ADMIN) the refund form, and the webhook delivery log with its re-send.
// GET /v1/dashboard/orders/{order_id}.
import { api, ApiError } from '../api/client.ts';
import { useSession } from '../auth/session.tsx';
import { can } from '../auth/permissions.ts';
import { Link } from '../router.tsx';
import { useApiQuery, useInvalidate } from '../api/query.ts';
import { queryKeys } from '../api/query-keys.ts';
import { RefundForm } from './RefundForm.tsx';
import { WebhookLog } from './WebhookLog.tsx';
import { AttemptsTable, OrderSummaryCard, RefundsTable, RoutingDecisions } from './OrderSections.tsx';
import { normalizeOrderDetail } from './types.ts';
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
      <p className="back-link">
        <Link to="/payments">← Payments</Link>
      </p>
      <header className="page-header">
        <h1>Order {orderId}</h1>
      </header>
      {error ? <ErrorState error={error} onRetry={reload} retrying={loading} message={error instanceof ApiError && error.status === 404 ? `Order ${orderId} was not found.` : undefined} /> : null}
      {loading && !data ? (
        <p className="muted" role="status">
          Loading order…
        </p>
      ) : null}
      {data ? (
        <>
          <OrderSummaryCard order={data.order} orderId={orderId} />

          <AttemptsTable attempts={data.attempts} />

          {data.attempts.length > 0 ? <RoutingDecisions attempts={data.attempts} /> : null}

          <section className="card" aria-labelledby="refunds-heading">
            <h2 id="refunds-heading">Refunds</h2>
            <RefundsTable refunds={data.refunds} currency={data.order.currency} />
            {can(role, 'order.refund') ? <RefundForm orderId={data.order.orderId || orderId} currency={data.order.currency} onRefunded={() => void invalidate(queryKeys.payments.all)} /> : null}
          </section>

          <WebhookLog orderId={data.order.orderId || orderId} />
        </>
      ) : null}
    </section>
  );
}
