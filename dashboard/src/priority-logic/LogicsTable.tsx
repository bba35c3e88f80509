// 1.2 All Priority Logics: every logic (active and inactive) with name, description, status, type,
// creation and modification dates. Filter by status and type, search by name, sort by column:
// all server-side (GET /v1/priority-logics?status=&kind=&search=&sort=&order=&limit=&offset=).
import { useEffect, useRef, useState } from 'react';
import { useApiQuery, useInvalidate } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { ErrorState } from '../components/ErrorState';
import { ExportCsvButton } from '../components/ExportCsvButton';
import type { CsvColumn } from '../format/csv';
import { formatDateTime } from '../format/datetime';
import { can } from '../auth/permissions';
import { useSession } from '../auth/session';
import { Link, navigate, useQueryParams } from '../router';
import { listLogics, type ListQuery } from './api';
import { DeleteLogicDialog } from './DeleteLogicDialog';
import { KIND_LABELS, STATUS_LABELS, type Logic, type LogicKind, type LogicList, type LogicStatus } from './types';

const PAGE = 25;
const oneOf = (value: string | null, allowed: readonly string[]): string => (value && allowed.includes(value) ? value : '');
type SortKey = NonNullable<ListQuery['sort']>;

export function BinIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M6 2h4l.5 1H13v1.5H3V3h2.5L6 2zm-2 3.5h8l-.6 8.1a1 1 0 0 1-1 .9H5.6a1 1 0 0 1-1-.9L4 5.5zm2.2 1.5.3 6h1l-.2-6H6.2zm2.5 0-.2 6h1l.3-6h-1.1z" fill="currentColor" />
    </svg>
  );
}

export const STATUS_BADGE: Record<string, string> = { ACTIVE: 'badge-active', INACTIVE: 'badge-inactive', STAGGERED: 'badge-staggered', PENDING_APPROVAL: 'badge-pending', REJECTED: 'badge-inactive' };

export function StatusBadges({ logic }: { logic: Logic }) {
  return (
    <span className="row" style={{ gap: 4 }}>
      <span className={`badge ${STATUS_BADGE[logic.status] ?? ''}`} data-testid="status">
        {logic.status_label ?? STATUS_LABELS[logic.status] ?? logic.status}
        {logic.status === 'STAGGERED' && logic.stagger_percentage !== null ? ` ${logic.stagger_percentage}%` : ''}
      </span>
      {logic.is_fallback ? <span className="badge badge-fallback">Fallback</span> : null}
    </span>
  );
}

/** The dashboard's one date-time format, in the chosen time zone (format/datetime.ts). */
export const formatDate = (iso: string) => formatDateTime(iso);

const CSV_COLUMNS: CsvColumn<Logic>[] = [
  { header: 'id', value: (l) => l.id },
  { header: 'name', value: (l) => l.name },
  { header: 'description', value: (l) => l.description },
  { header: 'status', value: (l) => l.status },
  { header: 'type', value: (l) => l.type ?? KIND_LABELS[l.kind] },
  { header: 'created_utc', value: (l) => l.created },
  { header: 'modified_utc', value: (l) => l.updated },
];

export function LogicsTable() {
  const { user } = useSession();
  const canEdit = can(user?.role, 'logic.edit');
  // Filters, search, sort and page live in the URL (?status=&kind=&search=&sort=&order=&offset=), so a view can be shared.
  const [params, setParams] = useQueryParams();
  const [status, setStatus] = useState<LogicStatus | ''>(() => oneOf(params.get('status'), Object.keys(STATUS_LABELS)) as LogicStatus | '');
  const [kind, setKind] = useState<LogicKind | ''>(() => oneOf(params.get('kind'), Object.keys(KIND_LABELS)) as LogicKind | '');
  const [search, setSearch] = useState(() => params.get('search') ?? '');
  const [debounced, setDebounced] = useState(() => (params.get('search') ?? '').trim());
  const [sort, setSort] = useState<SortKey>(() => (oneOf(params.get('sort'), ['name', 'status', 'created', 'updated']) || 'updated') as SortKey);
  const [order, setOrder] = useState<'asc' | 'desc'>(() => (params.get('order') === 'asc' ? 'asc' : 'desc'));
  const [offset, setOffset] = useState(() => Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0));
  const firstFilters = useRef(true);
  const [deleting, setDeleting] = useState<Logic | null>(null);

  useEffect(() => {
    const t = setTimeout(() => setDebounced(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);

  useEffect(() => {
    if (firstFilters.current) {
      firstFilters.current = false; // the page from the URL stays on the first load
      return;
    }
    setOffset(0);
  }, [status, kind, debounced, sort, order]);

  useEffect(() => {
    setParams({ status, kind, search: debounced, sort: sort === 'updated' ? null : sort, order: order === 'desc' ? null : order, offset: offset || null });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status, kind, debounced, sort, order, offset]);

  const listQuery: ListQuery = { status, kind, search: debounced, sort, order, limit: PAGE, offset };
  const { data, error, loading, reload } = useApiQuery<LogicList>(queryKeys.priorityLogic.list({ ...listQuery }), (signal) => listLogics(listQuery, signal));
  const invalidate = useInvalidate();

  const sortBy = (key: SortKey) => {
    if (sort === key) setOrder(order === 'asc' ? 'desc' : 'asc');
    else {
      setSort(key);
      setOrder(key === 'name' || key === 'status' ? 'asc' : 'desc');
    }
  };

  const header = (key: SortKey | null, label: string) => {
    if (!key) return <th scope="col">{label}</th>;
    const active = sort === key;
    return (
      <th scope="col" aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <button type="button" className="th-sort" onClick={() => sortBy(key)} aria-label={`Sort by ${label}`}>
          {label}
          <span aria-hidden="true">{active ? (order === 'asc' ? '▲' : '▼') : '↕'}</span>
        </button>
      </th>
    );
  };

  const logics = data?.logics ?? [];
  const total = data?.total ?? 0;
  return (
    <section className="card" aria-labelledby="all-title" data-testid="all-logics">
      <div className="card-header">
        <h2 id="all-title">All Priority Logics</h2>
        <span className="muted small">{data ? `${total} ${total === 1 ? 'logic' : 'logics'}` : ''}</span>
      </div>
      <div className="toolbar" role="search">
        <div className="field">
          <label htmlFor="pl-search">Search by name</label>
          <input id="pl-search" type="search" placeholder="Configuration name" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="pl-status">Status</label>
          <select id="pl-status" value={status} onChange={(e) => setStatus(e.target.value as LogicStatus | '')}>
            <option value="">All statuses</option>
            {(Object.keys(STATUS_LABELS) as LogicStatus[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="pl-type">Type</label>
          <select id="pl-type" value={kind} onChange={(e) => setKind(e.target.value as LogicKind | '')}>
            <option value="">All types</option>
            {(Object.keys(KIND_LABELS) as LogicKind[]).map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        {loading ? (
          <span className="muted small" role="status">
            Loading…
          </span>
        ) : null}
      </div>
      {error ? <ErrorState error={error} onRetry={reload} retrying={loading} /> : null}
      {logics.length > 0 ? (
        <p className="table-actions">
          <ExportCsvButton name="priority-logics" label="Export CSV of Priority Logics" columns={CSV_COLUMNS} rows={logics} />
        </p>
      ) : null}
      {data && logics.length === 0 ? (
        <p className="empty">{debounced || status || kind ? 'No Priority Logic matches these filters.' : 'No Priority Logic yet. Create one to start routing by your rules.'}</p>
      ) : null}
      {logics.length > 0 ? (
        <div className="table-wrap">
          <table className="table" aria-label="All Priority Logics">
            <thead>
              <tr>
                {header('name', 'Name')}
                {header(null, 'Description')}
                {header('status', 'Status')}
                {header(null, 'Type')}
                {header('created', 'Created')}
                {header('updated', 'Modified')}
                <th scope="col" className="actions">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {logics.map((l) => (
                <tr key={l.id} data-testid={`logic-row-${l.id}`}>
                  <td>
                    <Link to={`/priority-logic/${l.id}`}>{l.name}</Link>
                  </td>
                  <td className="muted" style={{ maxWidth: 260 }}>
                    {l.description || '—'}
                  </td>
                  <td>
                    <StatusBadges logic={l} />
                  </td>
                  <td>{l.type ?? KIND_LABELS[l.kind]}</td>
                  <td className="small">{formatDate(l.created)}</td>
                  <td className="small">{formatDate(l.updated)}</td>
                  <td className="actions">
                    <button type="button" className="btn btn-small" aria-label={`View ${l.name}`} onClick={() => navigate(`/priority-logic/${l.id}`)}>
                      View
                    </button>
                    {canEdit ? (
                      <>
                        <button type="button" className="btn btn-small" aria-label={`Copy ${l.name}`} onClick={() => navigate(`/priority-logic/${l.id}/copy`)}>
                          Copy
                        </button>
                        <button type="button" className="btn btn-small btn-danger" aria-label={`Delete ${l.name}`} title="Delete" onClick={() => setDeleting(l)}>
                          <BinIcon />
                        </button>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {total > PAGE ? (
        <div className="row" style={{ marginTop: 12 }}>
          <span className="muted small">
            {offset + 1}–{Math.min(offset + PAGE, total)} of {total}
          </span>
          <span className="spacer" />
          <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            Previous
          </button>
          <button type="button" className="btn btn-small" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
            Next
          </button>
        </div>
      ) : null}
      <DeleteLogicDialog
        logic={deleting}
        onClose={() => {
          setDeleting(null);
          void invalidate(queryKeys.priorityLogic.all); // a refusal may mean the list is out of date
        }}
        onDeleted={() => setDeleting(null)}
      />
    </section>
  );
}
