// The Details card of a logic's view: type, status, Enforce Rule (changed in a copy), ranking,
// versions, who created and approved it, and the logic it was copied from.
import { Link, navigate } from '../router';
import type { AuditEntry } from './api';
import { personLabel } from './LogicHistory';
import { StatusBadges, formatDate } from './StatusBadges';
import { KIND_LABELS, RANKING_LABELS, type Logic, type RankingMode } from './types';

export function LogicDetails({ logic, entries, canEdit }: { logic: Logic; entries: AuditEntry[] | null; canEdit: boolean }) {
  return (
    <section className="card" aria-labelledby="details-title">
      <h2 id="details-title">Details</h2>
      <dl className="detail-list">
        <dt>Type</dt>
        <dd>{logic.type ?? KIND_LABELS[logic.kind]}</dd>
        <dt>Status</dt>
        <dd>
          <StatusBadges logic={logic} />
        </dd>
        <dt>Enforce Rule</dt>
        <dd>
          {logic.enforce ? 'Enforced: no fallback to other gateways' : 'Not enforced'}
          {canEdit ? (
            <>
              {' '}
              <button type="button" className="btn btn-small" onClick={() => navigate(`/priority-logic/${logic.id}/copy`)} aria-label={`Change Enforce Rule (in a copy of “${logic.name}”)`}>
                Change
              </button>
              <span className="muted small"> A logic never changes once saved: Change opens a copy to edit, Enforce included.</span>
            </>
          ) : null}
        </dd>
        <dt>Success-rate ranking</dt>
        <dd>{RANKING_LABELS[logic.ranking?.mode as RankingMode] ?? logic.ranking?.mode ?? 'Off'}</dd>
        <dt>Version</dt>
        <dd>
          {logic.version} <span className="muted small">(row version {logic.row_version})</span>
        </dd>
        <dt>Created</dt>
        <dd>
          {formatDate(logic.created)} <span className="muted small">by {personLabel(logic.created_by, entries)}</span>
        </dd>
        <dt>Modified</dt>
        <dd>{formatDate(logic.updated)}</dd>
        {logic.approved_by ? (
          <>
            <dt>Approved</dt>
            <dd>
              {logic.approved_at ? formatDate(logic.approved_at) : ''} <span className="muted small">by {personLabel(logic.approved_by, entries)}</span>
            </dd>
          </>
        ) : null}
        {logic.copied_from ? (
          <>
            <dt>Copied from</dt>
            <dd>
              <Link to={`/priority-logic/${logic.copied_from}`}>{logic.copied_from}</Link>
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
