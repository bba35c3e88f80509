// /priority-logic/:id: a logic's details and definition, its release (Activate, Stagger, Promote,
// Revoke, Deactivate, fallback, Approve), Share Rule (Download / Copy JSON), Copy to edit, Delete,
// a dry run and the audit trail. Every change sends the logic's row version and the routing
// version; a stale view answers "Error! Try Syncing again" with a Sync button.
import { useState } from 'react';
import { can } from '../auth/permissions';
import { useSession } from '../auth/session';
import { ErrorState } from '../components/ErrorState';
import { Link, navigate } from '../router';
import { BacktestTab } from './BacktestTab';
import { DeleteLogicDialog } from './DeleteLogicDialog';
import { DryRunPanel } from './DryRunPanel';
import { LiveLogicDiff } from './LiveLogicDiff';
import { DefinitionView } from './LogicDefinitionView';
import { LogicDetails } from './LogicDetails';
import { LogicHistory } from './LogicHistory';
import { StatusBadges } from './StatusBadges';
import { ReleaseConfirmDialog } from './ReleaseConfirmDialog';
import { ReleasePanel } from './ReleasePanel';
import { RuleAnalysisPanel } from './RuleAnalysisPanel';
import { ShareRule } from './ShareRule';
import type { Logic } from './types';
import { useLogicView } from './use-logic-view';
import { useReleaseActions } from './use-release-actions';

export function LogicViewPage({ id }: { id: string }) {
  const { user } = useSession();
  const view = useLogicView(id);
  const release = useReleaseActions(id, view);
  const { logic, routing, entries, loadFailure, loadError, load } = view;
  const [deleting, setDeleting] = useState(false);

  const role = user?.role;
  const canEdit = can(role, 'logic.edit');
  const canApprove = can(role, 'logic.approve');

  if (loadError) {
    return (
      <section className="page">
        <div className="breadcrumb">
          <Link to="/priority-logic">Priority Logic</Link>
        </div>
        <ErrorState error={loadFailure} message={loadError} onRetry={() => void load()} />
      </section>
    );
  }
  if (!logic) {
    return (
      <section className="page">
        <p className="loading" role="status">
          Loading…
        </p>
      </section>
    );
  }

  const ownLogic = user?.id !== undefined && logic.created_by === user.id;
  return (
    <section className="page">
      <LogicHeader logic={logic} canEdit={canEdit} onDelete={() => setDeleting(true)} />
      {release.syncError ? (
        <div className="alert alert-error row" role="alert" data-testid="sync-error">
          <span>Error! Try Syncing again</span>
          <button type="button" className="btn btn-small" onClick={() => void release.sync()}>
            Sync
          </button>
        </div>
      ) : null}

      <div className="grid-2">
        <LogicDetails logic={logic} entries={entries} canEdit={canEdit} />
        <ReleasePanel logic={logic} routing={routing} entries={entries} canRelease={can(role, 'logic.release')} canApprove={canApprove} ownLogic={ownLogic} ask={release.ask} />
      </div>

      <DefinitionView logic={logic} />
      <ShareRule logic={logic} />

      <LiveLogicDiff logic={logic} liveId={routing?.active_logic_id ?? null} />
      {logic.kind === 'RULES' ? <RuleAnalysisPanel source={() => ({ logic_id: logic.id })} /> : null}
      {canEdit || (canApprove && logic.status === 'PENDING_APPROVAL') ? <DryRunPanel source={() => ({ logic_id: logic.id })} /> : null}
      <BacktestTab logicId={logic.id} canRun={canEdit || canApprove} />

      <LogicHistory logic={logic} entries={entries} />
      <ReleaseConfirmDialog logic={logic} routing={routing} release={release} />
      <DeleteLogicDialog logic={deleting ? logic : null} onClose={() => setDeleting(false)} onDeleted={() => navigate('/priority-logic')} />
    </section>
  );
}

/** The name, status and description of the logic, with Copy to edit and Delete (or why it cannot be deleted). */
function LogicHeader({ logic, canEdit, onDelete }: { logic: Logic; canEdit: boolean; onDelete: () => void }) {
  /** Live logics (active, staggered, the fallback) cannot be deleted: Delete is shown disabled with the reason. */
  const live = logic.status === 'ACTIVE' || logic.status === 'STAGGERED' || logic.is_fallback;
  return (
    <div className="page-header">
      <div>
        <div className="breadcrumb">
          <Link to="/priority-logic">Priority Logic</Link>
        </div>
        <h1 className="row">
          {logic.name} <StatusBadges logic={logic} />
        </h1>
        <p>{logic.description || <span className="muted">No description</span>}</p>
      </div>
      <div className="actions">
        {canEdit ? (
          <button type="button" className="btn" onClick={() => navigate(`/priority-logic/${logic.id}/copy`)}>
            Copy to edit
          </button>
        ) : null}
        {canEdit && !live ? (
          <button type="button" className="btn btn-danger" onClick={onDelete}>
            Delete
          </button>
        ) : null}
        {canEdit && live ? (
          <>
            <button type="button" className="btn btn-danger" disabled aria-describedby="delete-blocked">
              Delete
            </button>
            <span id="delete-blocked" className="muted small" data-testid="delete-blocked">
              {logic.is_fallback
                ? 'The fallback logic cannot be deleted: unset it first.'
                : 'Active Priority Logics cannot be deleted. Deactivate them first or Revoke in case of a staggered release.'}
            </span>
          </>
        ) : null}
      </div>
    </div>
  );
}
