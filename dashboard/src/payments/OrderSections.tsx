// The sections of an order's page: its summary, its attempts with their unified and raw gateway
// errors, each attempt's routing decision, and its refunds.
import { formatDateTime, formatMs } from '../analytics/format.ts';
import { formatDecimalMoney } from '../format/money.ts';
import { RoutingTrace } from './RoutingTrace.tsx';
import { statusBadgeClass, type Attempt, type OrderSummary, type RefundRow } from './types.ts';

export function OrderSummaryCard({ order, orderId }: { order: OrderSummary; orderId: string }) {
  return (
    <section className="card" aria-labelledby="order-summary-heading">
      <h2 id="order-summary-heading">Summary</h2>
      <dl className="order-summary">
        <div>
          <dt>Order id</dt>
          <dd data-testid="order-id">{order.orderId || orderId}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <span className={statusBadgeClass(order.status)} data-testid="order-status">
              {order.status}
            </span>
          </dd>
        </div>
        <div>
          <dt>Amount</dt>
          <dd data-testid="order-amount">{formatDecimalMoney(order.amount, order.currency)}</dd>
        </div>
        {order.amountRefunded ? (
          <div>
            <dt>Refunded</dt>
            <dd data-testid="order-refunded">{formatDecimalMoney(order.amountRefunded, order.currency)}</dd>
          </div>
        ) : null}
        <div>
          <dt>Customer</dt>
          <dd data-testid="order-customer">{[order.customerId, order.customerEmail, order.customerPhone].filter(Boolean).join(' · ') || '–'}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatDateTime(order.createdAt)}</dd>
        </div>
        {order.updatedAt ? (
          <div>
            <dt>Updated</dt>
            <dd>{formatDateTime(order.updatedAt)}</dd>
          </div>
        ) : null}
        {order.description ? (
          <div>
            <dt>Description</dt>
            <dd>{order.description}</dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}

export function AttemptsTable({ attempts }: { attempts: readonly Attempt[] }) {
  return (
    <section className="card" aria-labelledby="attempts-heading">
      <h2 id="attempts-heading">Attempts</h2>
      {attempts.length === 0 ? (
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
                <th scope="col" className="num">
                  Latency
                </th>
              </tr>
            </thead>
            <tbody>
              {attempts.map((a) => (
                <tr key={a.txnUuid ?? a.txnId ?? a.number} data-testid="attempt-row">
                  <th scope="row">{a.number}</th>
                  <td>
                    <code>{a.txnId ?? '–'}</code>
                  </td>
                  <td>
                    <span className={statusBadgeClass(a.status)}>{a.status}</span>
                  </td>
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
  );
}

export function RoutingDecisions({ attempts }: { attempts: readonly Attempt[] }) {
  return (
    <section className="card" aria-labelledby="decisions-heading">
      <h2 id="decisions-heading">Routing decisions</h2>
      {attempts.map((a) => (
        <article key={a.txnUuid ?? a.txnId ?? a.number} className="attempt-decision" aria-labelledby={`decision-${a.number}`}>
          <h3 id={`decision-${a.number}`}>
            Attempt {a.number}
            {a.gateway ? ` · ${a.gateway}` : ''} · {a.status}
          </h3>
          <RoutingTrace decision={a.routingDecision} attemptGateway={a.gateway} attemptNumber={a.number} />
        </article>
      ))}
    </section>
  );
}

export function RefundsTable({ refunds, currency }: { refunds: readonly RefundRow[]; currency: string }) {
  return refunds.length === 0 ? (
    <p className="empty">No refunds.</p>
  ) : (
    <table className="table" aria-labelledby="refunds-heading">
      <thead>
        <tr>
          <th scope="col">Refund id</th>
          <th scope="col">Request id</th>
          <th scope="col" className="num">
            Amount
          </th>
          <th scope="col">Status</th>
          <th scope="col">Reference</th>
          <th scope="col">Error</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {refunds.map((r) => (
          <tr key={r.id || r.uniqueRequestId} data-testid="refund-row">
            <td>
              <code>{r.id || '–'}</code>
            </td>
            <td>
              <code>{r.uniqueRequestId ?? '–'}</code>
            </td>
            <td className="num">{formatDecimalMoney(r.amount, currency)}</td>
            <td>
              <span className={statusBadgeClass(r.status)}>{r.status}</span>
            </td>
            <td>{r.arn ?? r.ref ?? '–'}</td>
            <td>{r.errorCode ? `${r.errorCode}${r.errorMessage ? `: ${r.errorMessage}` : ''}` : '–'}</td>
            <td>{formatDateTime(r.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
