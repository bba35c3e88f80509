// Payments: search orders by order id, customer id or email (prefix), filter by status and time,
// newest first, "Load more" through next_cursor. GET /v1/dashboard/orders.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import { Link } from '../router.tsx';
import { errorText, formatCount, formatDateTime } from '../analytics/format.ts';
import { RANGE_PRESETS, resolveRange, type RangePreset } from '../analytics/time-range.ts';
import { ORDER_STATUSES, amountText, statusBadgeClass, type OrderList, type OrderListRow } from './types.ts';
import './payments.css';

const PAGE_SIZE = 50;

interface Query {
  search: string;
  status: string;
  range: RangePreset | 'all';
}

export function PaymentsPage() {
  const [draft, setDraft] = useState('');
  const [query, setQuery] = useState<Query>({ search: '', status: '', range: 'all' });
  const [orders, setOrders] = useState<OrderListRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [searched, setSearched] = useState(false);
  const params = useRef<Record<string, string>>({});
  const generation = useRef(0);

  useEffect(() => {
    const controller = new AbortController();
    const gen = ++generation.current;
    const p: Record<string, string> = {};
    if (query.search.trim()) p.search = query.search.trim();
    if (query.status) p.status = query.status;
    if (query.range !== 'all') {
      const r = resolveRange({ preset: query.range, customFrom: '', customTo: '' });
      if (r.ok) {
        p.from = r.from;
        p.to = r.to;
      }
    }
    params.current = p;
    setLoading(true);
    setError(null);
    api<OrderList>('/v1/dashboard/orders', { query: { ...p, limit: PAGE_SIZE }, signal: controller.signal })
      .then((answer) => {
        if (gen !== generation.current) return;
        setOrders(answer.orders ?? []);
        setCursor(answer.next_cursor ?? null);
        setSearched(true);
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted || gen !== generation.current) return;
        setError(e);
        setOrders([]);
        setCursor(null);
      })
      .finally(() => {
        if (gen === generation.current) setLoading(false);
      });
    return () => controller.abort();
  }, [query]);

  async function loadMore() {
    if (!cursor) return;
    const gen = generation.current;
    setLoadingMore(true);
    setError(null);
    try {
      const answer = await api<OrderList>('/v1/dashboard/orders', { query: { ...params.current, limit: PAGE_SIZE, cursor } });
      if (gen !== generation.current) return;
      setOrders((list) => {
        const seen = new Set(list.map((o) => o.order_id));
        return [...list, ...(answer.orders ?? []).filter((o) => !seen.has(o.order_id))];
      });
      setCursor(answer.next_cursor ?? null);
    } catch (e) {
      if (gen === generation.current) setError(e);
    } finally {
      setLoadingMore(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setQuery((q) => ({ ...q, search: draft }));
  }

  const filtered = query.search.trim() !== '' || query.status !== '' || query.range !== 'all';

  return (
    <section className="page payments-page">
      <header className="page-header">
        <h1>Payments</h1>
      </header>
      <form className="toolbar" role="search" aria-label="Search orders" onSubmit={submit}>
        <div className="field">
          <label htmlFor="orders-search">Search</label>
          <input id="orders-search" type="search" placeholder="Order id, customer id or email" value={draft} onChange={(e) => setDraft(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="orders-status">Status</label>
          <select id="orders-status" value={query.status} onChange={(e) => setQuery((q) => ({ ...q, status: e.target.value, search: draft }))}>
            <option value="">Any status</option>
            {ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="orders-range">Created</label>
          <select id="orders-range" value={query.range} onChange={(e) => setQuery((q) => ({ ...q, range: e.target.value as Query['range'], search: draft }))}>
            <option value="all">Any time</option>
            {RANGE_PRESETS.map((p) => (
              <option key={p.value} value={p.value}>{p.label}</option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn btn-primary">Search</button>
      </form>

      {error ? <p role="alert" className="field-error">{errorText(error)}</p> : null}
      {loading && orders.length === 0 ? <p className="muted" role="status">Loading orders…</p> : null}
      {!loading && searched && orders.length === 0 && !error ? (
        <p className="empty">{filtered ? 'No orders match this search.' : 'No orders yet.'}</p>
      ) : null}
      {orders.length > 0 ? (
        <div className="card table-scroll">
          <table className="table orders-table" aria-label="Orders">
            <thead>
              <tr>
                <th scope="col">Order id</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">Amount</th>
                <th scope="col">Customer</th>
                <th scope="col" className="num">Attempts</th>
                <th scope="col">Gateway</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody aria-busy={loading || undefined}>
              {orders.map((o) => (
                <tr key={o.order_id} data-testid="order-row">
                  <th scope="row"><Link to={`/payments/${encodeURIComponent(o.order_id)}`}>{o.order_id}</Link></th>
                  <td><span className={statusBadgeClass(o.status)}>{o.status}</span></td>
                  <td className="num">{amountText(o.amount)} {o.currency}</td>
                  <td>{o.customer_id ?? '–'}</td>
                  <td className="num">{formatCount(o.txn_count)}</td>
                  <td>{o.gateway ?? '–'}</td>
                  <td>{formatDateTime(o.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {cursor ? (
        <p>
          <button type="button" className="btn" onClick={() => void loadMore()} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </p>
      ) : null}
    </section>
  );
}
