// 1.2 All Priority Logics: every logic (active and inactive) with name, description, status, type,
// creation and modification dates. Filter by status and type, search by name, sort by column:
// all server-side (GET /v1/priority-logics?status=&kind=&search=&sort=&order=&limit=&offset=).
import { useEffect, useRef, useState } from 'react';
import { useApiQuery, useInvalidate } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { ErrorState } from '../components/ErrorState';
import { ExportCsvButton } from '../components/ExportCsvButton';
import type { CsvColumn } from '../format/csv';
import { can } from '../auth/permissions';
import { useSession } from '../auth/session';
import { useQueryParams } from '../router';
import { listLogics, type ListQuery } from './api';
import { DeleteLogicDialog } from './DeleteLogicDialog';
import { LogicFilters } from './LogicFilters';
import { LogicRowsTable, type SortKey } from './LogicRowsTable';
import { KIND_LABELS, STATUS_LABELS, type Logic, type LogicKind, type LogicList, type LogicStatus } from './types';

const PAGE = 25;
const oneOf = (value: string | null, allowed: readonly string[]): string => (value && allowed.includes(value) ? value : '');

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

  // biome-ignore lint/correctness/useExhaustiveDependencies: a filter change is the trigger: it sends the list back to its first page
  useEffect(() => {
    if (firstFilters.current) {
      firstFilters.current = false; // the page from the URL stays on the first load
      return;
    }
    setOffset(0);
  }, [status, kind, debounced, sort, order]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the URL follows the filters and page; setParams is not a trigger
  useEffect(() => {
    setParams({ status, kind, search: debounced, sort: sort === 'updated' ? null : sort, order: order === 'desc' ? null : order, offset: offset || null });
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

  const logics = data?.logics ?? [];
  const total = data?.total ?? 0;
  return (
    <section className="card" aria-labelledby="all-title" data-testid="all-logics">
      <div className="card-header">
        <h2 id="all-title">All Priority Logics</h2>
        <span className="muted small">{data ? `${total} ${total === 1 ? 'logic' : 'logics'}` : ''}</span>
      </div>
      <LogicFilters search={search} setSearch={setSearch} status={status} setStatus={setStatus} kind={kind} setKind={setKind} loading={loading} />
      {error ? <ErrorState error={error} onRetry={reload} retrying={loading} /> : null}
      {logics.length > 0 ? (
        <p className="table-actions">
          <ExportCsvButton name="priority-logics" label="Export CSV of Priority Logics" columns={CSV_COLUMNS} rows={logics} />
        </p>
      ) : null}
      {data && logics.length === 0 ? (
        <p className="empty">{debounced || status || kind ? 'No Priority Logic matches these filters.' : 'No Priority Logic yet. Create one to start routing by your rules.'}</p>
      ) : null}
      {logics.length > 0 ? <LogicRowsTable logics={logics} canEdit={canEdit} sort={sort} order={order} sortBy={sortBy} onDelete={setDeleting} /> : null}
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
