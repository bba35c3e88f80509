// Block and allow list entries by kind, a page at a time: add values, remove one (with
// confirmation), import a file (text, one value a line, or CSV, value in the first column).
import { useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { errorText, formatDateTime } from '../analytics/format';
import { useApiQuery, useInvalidate } from '../api/query.ts';
import { queryKeys } from '../api/query-keys.ts';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { FieldErrorList } from '../priority-logic/FieldErrors';
import { LIST_KINDS, addEntries, importFile, listEntries, removeEntry, type ListEntry, type ListKind, type ListName } from './api';
import { ErrorState } from '../components/ErrorState.tsx';
import { useCursorParam, useQueryParams } from '../router';
import { ExportCsvButton } from '../components/ExportCsvButton';
import type { CsvColumn } from '../format/csv';

const PAGE_SIZE = 25;
const isKind = (v: string): v is ListKind => (LIST_KINDS as readonly string[]).includes(v);

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
  const [kind, setKind] = useState<ListKind>('email');
  const [values, setValues] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<ApiError | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [removing, setRemoving] = useState<ListEntry | null>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const invalidate = useInvalidate();
  const restart = () => {
    setCursors([]);
    void invalidate(queryKeys.risk.all); // every page of the lists, and the audit trail
  };
  const showError = (error: unknown) => {
    setErrors(error instanceof ApiError && error.fields.length ? error : null);
    setFailure(errorText(error));
  };

  async function add() {
    const items = values.split(/[\n,]/).map((v) => v.trim()).filter(Boolean);
    setErrors(null);
    setFailure(null);
    setMessage(null);
    if (items.length === 0) {
      setFailure('Enter at least one value.');
      return;
    }
    setBusy(true);
    try {
      const answer = await addEntries(list, kind, items, note.trim() || undefined);
      setMessage(`Added ${answer.added} of ${items.length} to the ${list} (${kind}).`);
      setValues('');
      restart();
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  }

  async function upload() {
    const file = fileInput.current?.files?.[0];
    setErrors(null);
    setFailure(null);
    setMessage(null);
    if (!file) {
      setFailure('Choose a file to import.');
      return;
    }
    setBusy(true);
    try {
      const answer = await importFile(list, kind, file);
      setMessage(`Imported ${file.name}: ${answer.added} added of ${answer.received} values${answer.skipped_header ? ' (a header line was skipped)' : ''}.`);
      if (fileInput.current) fileInput.current.value = '';
      restart();
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  }

  const entries = loaded.data?.entries ?? [];
  const fieldReasons = (errors?.fields ?? []).map((f) => `${f.field_name}: ${f.reason}`);
  return (
    <div className="stack">
      <div className="toolbar">
        <div className="field">
          <label>
            List
            <select value={list} onChange={(e) => { setList(e.target.value === 'allowlist' ? 'allowlist' : 'blocklist'); setCursors([]); }}>
              <option value="blocklist">Blocklist</option>
              <option value="allowlist">Allowlist</option>
            </select>
          </label>
        </div>
        <div className="field">
          <label>
            Show kind
            <select aria-label="Show kind" value={filter} onChange={(e) => { setFilter(isKind(e.target.value) ? e.target.value : ''); setCursors([]); }}>
              <option value="">All kinds</option>
              {LIST_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
            </select>
          </label>
        </div>
      </div>
      {loaded.error ? <ErrorState error={loaded.error} onRetry={loaded.reload} retrying={loaded.loading} /> : null}
      {entries.length > 0 ? (
        <p className="table-actions">
          <ExportCsvButton name={`risk-${list}`} label={`Export CSV of the ${list}`} columns={LIST_COLUMNS} rows={entries} />
        </p>
      ) : null}
      <div role="status" aria-live="polite" data-testid="lists-message">{message}</div>
      {loaded.data && entries.length === 0 ? <p className="empty">No entries{filter ? ` of kind ${filter}` : ''} in the {list}.</p> : null}
      {entries.length > 0 ? (
        <div className="card table-scroll">
          <table className="table" aria-label={`${list} entries`}>
            <thead><tr><th>Kind</th><th>Value</th><th>Note</th><th>Added</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {entries.map((e) => (
                <tr key={`${e.kind}|${e.value}`} data-testid="list-entry-row">
                  <td>{e.kind}</td>
                  <td><code>{e.value}</code></td>
                  <td>{e.note ?? ''}</td>
                  <td>{formatDateTime(e.created)}</td>
                  <td className="actions">
                    {canEdit ? <button type="button" className="btn btn-small btn-danger" aria-label={`Remove ${e.kind} ${e.value}`} onClick={() => setRemoving(e)}>Remove</button> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div className="row">
        <button type="button" className="btn btn-small" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>Previous page</button>
        <button type="button" className="btn btn-small" disabled={!loaded.data?.next_cursor} onClick={() => loaded.data?.next_cursor && setCursors([...cursors, loaded.data.next_cursor])}>Next page</button>
      </div>
      {canEdit ? (
        <div className="card stack" aria-label="Add entries" role="group">
          <h2>Add to the {list}</h2>
          <div className="grid-form">
            <div className="field">
              <label>
                Kind
                <select aria-label="Entry kind" value={kind} onChange={(e) => isKind(e.target.value) && setKind(e.target.value)}>
                  {LIST_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
                </select>
              </label>
            </div>
            <div className="field">
              <label>
                Values (one a line or comma-separated)
                <textarea rows={3} value={values} onChange={(e) => setValues(e.target.value)} />
              </label>
            </div>
            <div className="field">
              <label>
                Note
                <input type="text" value={note} onChange={(e) => setNote(e.target.value)} />
              </label>
            </div>
          </div>
          <div className="row">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void add()}>Add entries</button>
          </div>
          <div className="row">
            <label className="row">
              Import a file of {kind} values
              <input ref={fileInput} type="file" accept=".txt,.csv,text/plain,text/csv" aria-label="Blocklist file" />
            </label>
            <button type="button" className="btn" disabled={busy} onClick={() => void upload()}>Import file</button>
          </div>
          {failure ? <p role="alert" className="field-error" data-testid="lists-error">{failure}</p> : null}
          <FieldErrorList messages={fieldReasons} testId="lists-field-errors" />
        </div>
      ) : null}
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
