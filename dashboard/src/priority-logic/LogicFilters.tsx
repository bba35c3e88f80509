// The filters of All Priority Logics: search by name, status and type.
import { KIND_LABELS, STATUS_LABELS, type LogicKind, type LogicStatus } from './types';

interface LogicFiltersProps {
  search: string;
  setSearch: (text: string) => void;
  status: LogicStatus | '';
  setStatus: (status: LogicStatus | '') => void;
  kind: LogicKind | '';
  setKind: (kind: LogicKind | '') => void;
  loading: boolean;
}

export function LogicFilters({ search, setSearch, status, setStatus, kind, setKind, loading }: LogicFiltersProps) {
  return (
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
  );
}
