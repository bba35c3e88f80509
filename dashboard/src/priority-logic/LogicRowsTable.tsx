// The rows of All Priority Logics: each logic with View, and Copy and Delete for an editor; the
// sortable columns ask the server for another order.
import { Link, navigate } from '../router';
import type { ListQuery } from './api';
import { StatusBadges, formatDate } from './StatusBadges';
import { KIND_LABELS, type Logic } from './types';

export type SortKey = NonNullable<ListQuery['sort']>;

function BinIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M6 2h4l.5 1H13v1.5H3V3h2.5L6 2zm-2 3.5h8l-.6 8.1a1 1 0 0 1-1 .9H5.6a1 1 0 0 1-1-.9L4 5.5zm2.2 1.5.3 6h1l-.2-6H6.2zm2.5 0-.2 6h1l.3-6h-1.1z" fill="currentColor" />
    </svg>
  );
}

interface LogicRowsTableProps {
  logics: readonly Logic[];
  canEdit: boolean;
  sort: SortKey;
  order: 'asc' | 'desc';
  sortBy: (key: SortKey) => void;
  onDelete: (logic: Logic) => void;
}

export function LogicRowsTable({ logics, canEdit, sort, order, sortBy, onDelete }: LogicRowsTableProps) {
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
  return (
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
                    <button type="button" className="btn btn-small btn-danger" aria-label={`Delete ${l.name}`} title="Delete" onClick={() => onDelete(l)}>
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
  );
}
