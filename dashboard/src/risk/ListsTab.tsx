// Block and allow list entries by kind, a page at a time: add values, remove one (with
// confirmation), import a file (text, one value a line, or CSV, value in the first column).
import { useState } from 'react';
import { useApiQuery, useInvalidate } from '../api/query.ts';
import { queryKeys } from '../api/query-keys.ts';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { listEntries, removeEntry, type ListEntry, type ListKind, type ListName } from './api';
import { QueryError } from '../components/ErrorState.tsx';
import { useCursorParam, useQueryParams } from '../router';
import { ExportCsvButton } from '../components/ExportCsvButton';
import type { CsvColumn } from '../format/csv';
import { AddListEntries, isKind, KIND_OPTIONS } from './AddListEntries';
import { ListEntriesTable } from './ListEntriesTable';
import { useListEditing } from './use-list-editing';

const PAGE_SIZE = 25;

const LIST_COLUMNS: CsvColumn<ListEntry>[] = [
  { header: 'kind', value: (e) => e.kind },
  { header: 'value', value: (e) => e.value },
  { header: 'note', value: (e) => e.note },
  { header: 'added_utc', value: (e) => e.created },
];

export function ListsTab({ canEdit }: { canEdit: boolean }) {
  const [params, setParams] = useQueryParams();
  const list: ListName = params.get('list') === 'allowlist' ? 'allowlist' : 'blocklist';
  const kindParam = params.get('kind') ?? '';
  const filter: ListKind | '' = isKind(kindParam) ? kindParam : '';
  const setList = (next: ListName) => setParams({ list: next === 'blocklist' ? null : next });
  const setFilter = (next: ListKind | '') => setParams({ kind: next });
  /** Cursors of the pages before the current one; the current page starts after the last. */
  const [cursors, setCursors] = useCursorParam('list_pages');
  const after = cursors[cursors.length - 1];
  const loaded = useApiQuery(queryKeys.risk.list(list, filter, after), (signal) => listEntries(list, { kind: filter || undefined, after, limit: PAGE_SIZE }, signal));
  const [removing, setRemoving] = useState<ListEntry | null>(null);

  const invalidate = useInvalidate();
  const restart = () => {
    setCursors([]);
    void invalidate(queryKeys.risk.all); // every page of the lists, and the audit trail
  };
  const editing = useListEditing(list, restart);
  const { message, setMessage, showError } = editing;

  const entries = loaded.data?.entries ?? [];
  return (
    <div className="stack">
      <div className="toolbar">
        <div className="field">
          <label>
            List
            <select
              value={list}
              onChange={(e) => {
                setList(e.target.value === 'allowlist' ? 'allowlist' : 'blocklist');
                setCursors([]);
              }}
            >
              <option value="blocklist">Blocklist</option>
              <option value="allowlist">Allowlist</option>
            </select>
          </label>
        </div>
        <div className="field">
          <label>
            Show kind
            <select
              aria-label="Show kind"
              value={filter}
              onChange={(e) => {
                setFilter(isKind(e.target.value) ? e.target.value : '');
                setCursors([]);
              }}
            >
              <option value="">All kinds</option>
              {KIND_OPTIONS}
            </select>
          </label>
        </div>
      </div>
      <QueryError query={loaded} />
      {entries.length > 0 ? (
        <p className="table-actions">
          <ExportCsvButton name={`risk-${list}`} label={`Export CSV of the ${list}`} columns={LIST_COLUMNS} rows={entries} />
        </p>
      ) : null}
      <div role="status" aria-live="polite" data-testid="lists-message">
        {message}
      </div>
      {loaded.data && entries.length === 0 ? (
        <p className="empty">
          No entries{filter ? ` of kind ${filter}` : ''} in the {list}.
        </p>
      ) : null}
      {entries.length > 0 ? <ListEntriesTable list={list} entries={entries} canEdit={canEdit} onRemove={setRemoving} /> : null}
      <div className="row">
        <button type="button" className="btn btn-small" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous page
        </button>
        <button type="button" className="btn btn-small" disabled={!loaded.data?.next_cursor} onClick={() => loaded.data?.next_cursor && setCursors([...cursors, loaded.data.next_cursor])}>
          Next page
        </button>
      </div>
      {canEdit ? <AddListEntries list={list} editing={editing} /> : null}
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing ? removing.value : ''} from the ${list}?`}
        danger
        confirmLabel="Remove"
        onCancel={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          try {
            const shownValue = removing.value;
            await removeEntry(list, removing.kind, shownValue);
            setMessage(`Removed ${shownValue} from the ${list}.`);
            restart();
          } catch (error) {
            showError(error);
          }
          setRemoving(null);
        }}
      />
    </div>
  );
}
