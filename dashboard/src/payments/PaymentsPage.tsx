// Payments: search orders by order id, customer id or email (prefix), filter by status and time,
// newest first, "Load more" through next_cursor. GET /v1/dashboard/orders. The search, filters and
// the number of pages shown live in the URL (?q=…&status=…&range=…&pages=2), so a view can be shared.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import { Link } from '../router.tsx';
import { formatCount, formatDateTime } from '../analytics/format.ts';
import { useQueryParams } from '../router.tsx';
import { ErrorState } from '../components/ErrorState.tsx';
import { ExportCsvButton } from '../components/ExportCsvButton.tsx';
import type { CsvColumn } from '../format/csv.ts';
import { formatDecimalMoney } from '../format/money.ts';
import { RANGE_PRESETS, resolveRange, type RangePreset } from '../analytics/time-range.ts';
import { ORDER_STATUSES, amountText, statusBadgeClass, type OrderList, type OrderListRow } from './types.ts';
import './payments.css';

const PAGE_SIZE = 50;

interface Query {
  search: string;
  status: string;
  range: RangePreset | 'all';
}

const MAX_PAGES = 20;

const CSV_COLUMNS: CsvColumn<OrderListRow>[] = [
  { header: 'order_id', value: (o) => o.order_id },
  { header: 'status', value: (o) => o.status },
  { header: 'amount', value: (o) => amountText(o.amount) },
  { header: 'currency', value: (o) => o.currency },
  { header: 'customer_id', value: (o) => o.customer_id },
  { header: 'attempts', value: (o) => o.txn_count },
  { header: 'gateway', value: (o) => o.gateway },
  { header: 'created_at_utc', value: (o) => o.created_at },
];

export function PaymentsPage() {
  const [params, setParams] = useQueryParams();
  const rangeParam = params.get('range');
  const query: Query = {
    search: params.get('q') ?? '',
    status: params.get('status') ?? '',
    range: rangeParam && RANGE_PRESETS.some((p) => p.value === rangeParam) ? (rangeParam as RangePreset) : 'all',
  };
  const pages = Math.min(MAX_PAGES, Math.max(1, Number.parseInt(params.get('pages') ?? '1', 10) || 1));
  const setQuery = (update: (q: Query) => Query) => {
    const next = update(query);
    pagesRef.current = 1;
    setParams({ q: next.search.trim(), status: next.status, range: next.range === 'all' ? null : next.range, pages: null });
  };
  const [draft, setDraft] = useState(query.search);
  const [retries, setRetries] = useState(0);
  const [orders, setOrders] = useState<OrderListRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [searched, setSearched] = useState(false);
  const requestParams = useRef<Record<string, string>>({});
  const pagesRef = useRef(pages);
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
    requestParams.current = p;
    setLoading(true);
    setError(null);
    // A shared link with ?pages=N shows the same N pages: they are loaded one after the other.
    const loadPages = async () => {
      let list: OrderListRow[] = [];
      let next: string | null = null;
      for (let i = 0; i < pagesRef.current; i++) {
        const answer: OrderList = await api<OrderList>('/v1/dashboard/orders', { query: { ...p, limit: PAGE_SIZE, cursor: next }, signal: controller.signal });
        const seen = new Set(list.map((o) => o.order_id));
        list = [...list, ...(answer.orders ?? []).filter((o) => !seen.has(o.order_id))];
        next = answer.next_cursor ?? null;
        if (!next) break;
      }
      return { list, next };
    };
    loadPages()
      .then(({ list, next }) => {
        if (gen !== generation.current) return;
        setOrders(list);
        setCursor(next);
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
  }, [query.search, query.status, query.range, retries]);

  async function loadMore() {
    if (!cursor) return;
    const gen = generation.current;
    setLoadingMore(true);
    setError(null);
    try {
      const answer = await api<OrderList>('/v1/dashboard/orders', { query: { ...requestParams.current, limit: PAGE_SIZE, cursor } });
      if (gen !== generation.current) return;
      setOrders((list) => {
        const seen = new Set(list.map((o) => o.order_id));
        return [...list, ...(answer.orders ?? []).filter((o) => !seen.has(o.order_id))];
      });
      setCursor(answer.next_cursor ?? null);
      pagesRef.current += 1;
      setParams({ pages: pagesRef.current > 1 ? pagesRef.current : null });
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

      {error ? <ErrorState error={error} onRetry={() => setRetries((n) => n + 1)} retrying={loading} /> : null}
      {orders.length > 0 ? (
        <p className="table-actions">
          <ExportCsvButton name="payments" label="Export CSV of payments" columns={CSV_COLUMNS} rows={orders} />
        </p>
      ) : null}
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
                  <td className="num">{formatDecimalMoney(o.amount, o.currency)}</td>
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
