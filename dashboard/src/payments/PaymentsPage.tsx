// Payments: search orders by order id, customer id or email (prefix), filter by status and time,
// newest first, "Load more" through next_cursor. GET /v1/dashboard/orders. The search, filters and
// the number of pages shown live in the URL (?q=…&status=…&range=…&pages=2), so a view can be shared.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useAppQueryClient } from '../api/query.ts';
import { queryKeys } from '../api/query-keys.ts';
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

/** The API's filters for a search; a range preset is resolved against now, on every load. */
function requestParams(query: Query): Record<string, string> {
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
  return p;
}

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
  // One infinite query per search: its pages are the "Load more" pages (next_cursor); a Retry or
  // an invalidation loads every page shown again.
  const client = useAppQueryClient();
  const orderQuery = useInfiniteQuery(
    {
      queryKey: queryKeys.payments.orders({ search: query.search.trim(), status: query.status, range: query.range }),
      initialPageParam: null as string | null,
      queryFn: ({ pageParam, signal }) => api<OrderList>('/v1/dashboard/orders', { query: { ...requestParams(query), limit: PAGE_SIZE, cursor: pageParam }, signal }),
      getNextPageParam: (last: OrderList) => last.next_cursor ?? undefined,
    },
    client,
  );
  const { data, error, isFetching, isFetchingNextPage, hasNextPage, fetchNextPage, refetch } = orderQuery;
  const loading = isFetching && !isFetchingNextPage;
  const loadingMore = isFetchingNextPage;
  const searched = data !== undefined && !orderQuery.isPlaceholderData;
  const orders = useMemo(() => {
    const seen = new Set<string>();
    return (data?.pages ?? []).flatMap((page) => (page.orders ?? []).filter((o) => !seen.has(o.order_id) && seen.add(o.order_id)));
  }, [data]);
  const shownPages = data?.pages.length ?? 0;
  const pagesRef = useRef(pages);

  // A shared link with ?pages=N shows the same N pages: they are loaded one after the other.
  useEffect(() => {
    if (data && !orderQuery.isPlaceholderData && !error && !isFetching && hasNextPage && shownPages < pagesRef.current) void fetchNextPage();
  }, [data, orderQuery.isPlaceholderData, error, isFetching, hasNextPage, shownPages, fetchNextPage]);

  async function loadMore() {
    if (!hasNextPage) return;
    const answer = await fetchNextPage();
    if (answer.isError) return;
    pagesRef.current = answer.data?.pages.length ?? pagesRef.current + 1;
    setParams({ pages: pagesRef.current > 1 ? pagesRef.current : null });
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
      <OrderSearchForm query={query} setQuery={setQuery} draft={draft} setDraft={setDraft} onSubmit={submit} />

      {error ? <ErrorState error={error} onRetry={() => void refetch()} retrying={loading} /> : null}
      {orders.length > 0 ? (
        <p className="table-actions">
          <ExportCsvButton name="payments" label="Export CSV of payments" columns={CSV_COLUMNS} rows={orders} />
        </p>
      ) : null}
      {loading && orders.length === 0 ? (
        <p className="muted" role="status">
          Loading orders…
        </p>
      ) : null}
      {!loading && searched && orders.length === 0 && !error ? <p className="empty">{filtered ? 'No orders match this search.' : 'No orders yet.'}</p> : null}
      {orders.length > 0 ? <OrdersTable orders={orders} loading={loading} /> : null}
      {hasNextPage ? (
        <p>
          <button type="button" className="btn" onClick={() => void loadMore()} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </p>
      ) : null}
    </section>
  );
}

interface OrderSearchFormProps {
  query: Query;
  setQuery: (update: (q: Query) => Query) => void;
  /** The search text as typed (searched on submit, or with a change of status or range). */
  draft: string;
  setDraft: (text: string) => void;
  onSubmit: (event: FormEvent) => void;
}

function OrderSearchForm({ query, setQuery, draft, setDraft, onSubmit }: OrderSearchFormProps) {
  return (
    <form className="toolbar" role="search" aria-label="Search orders" onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor="orders-search">Search</label>
        <input id="orders-search" type="search" placeholder="Order id, customer id or email" value={draft} onChange={(e) => setDraft(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="orders-status">Status</label>
        <select id="orders-status" value={query.status} onChange={(e) => setQuery((q) => ({ ...q, status: e.target.value, search: draft }))}>
          <option value="">Any status</option>
          {ORDER_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="orders-range">Created</label>
        <select id="orders-range" value={query.range} onChange={(e) => setQuery((q) => ({ ...q, range: e.target.value as Query['range'], search: draft }))}>
          <option value="all">Any time</option>
          {RANGE_PRESETS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="btn btn-primary">
        Search
      </button>
    </form>
  );
}

function OrdersTable({ orders, loading }: { orders: readonly OrderListRow[]; loading: boolean }) {
  return (
    <div className="card table-scroll">
      <table className="table orders-table" aria-label="Orders">
        <thead>
          <tr>
            <th scope="col">Order id</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col">Customer</th>
            <th scope="col" className="num">
              Attempts
            </th>
            <th scope="col">Gateway</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody aria-busy={loading || undefined}>
          {orders.map((o) => (
            <tr key={o.order_id} data-testid="order-row">
              <th scope="row">
                <Link to={`/payments/${encodeURIComponent(o.order_id)}`}>{o.order_id}</Link>
              </th>
              <td>
                <span className={statusBadgeClass(o.status)}>{o.status}</span>
              </td>
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
  );
}
