// The entries of a block or allow list, a page of them, each with Remove for an editor.
import { formatDateTime } from '../analytics/format';
import type { ListEntry, ListName } from './api';

export function ListEntriesTable({ list, entries, canEdit, onRemove }: { list: ListName; entries: readonly ListEntry[]; canEdit: boolean; onRemove: (entry: ListEntry) => void }) {
  return (
    <div className="card table-scroll">
      <table className="table" aria-label={`${list} entries`}>
        <thead>
          <tr>
            <th>Kind</th>
            <th>Value</th>
            <th>Note</th>
            <th>Added</th>
            <th>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={`${e.kind}|${e.value}`} data-testid="list-entry-row">
              <td>{e.kind}</td>
              <td>
                <code>{e.value}</code>
              </td>
              <td>{e.note ?? ''}</td>
              <td>{formatDateTime(e.created)}</td>
              <td className="actions">
                {canEdit ? (
                  <button type="button" className="btn btn-small btn-danger" aria-label={`Remove ${e.kind} ${e.value}`} onClick={() => onRemove(e)}>
                    Remove
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
