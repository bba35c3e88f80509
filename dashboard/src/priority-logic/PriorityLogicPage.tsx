// The Priority Logic dashboard: Active Priority Logics (live figures) and All Priority Logics.
import { can } from '../auth/permissions';
import { useSession } from '../auth/session';
import { navigate } from '../router';
import { ActiveLogics } from './ActiveLogics';
import { LogicsTable } from './LogicsTable';
import { GuardRollbackBanner } from './ReleaseGuard';

export function PriorityLogicPage() {
  const { user } = useSession();
  const canEdit = can(user?.role, 'logic.edit');
  return (
    <section className="page">
      <div className="page-header">
        <div>
          <h1>Priority Logic</h1>
          <p>Decide which gateways each payment may use, in which order, and whether that list is enforced.</p>
        </div>
        {canEdit ? (
          <div className="actions">
            <button type="button" className="btn" onClick={() => navigate('/priority-logic/import')}>
              Import Rule
            </button>
            <button type="button" className="btn btn-primary" onClick={() => navigate('/priority-logic/new')}>
              Create Priority Logic
            </button>
          </div>
        ) : null}
      </div>
      <GuardRollbackBanner />
      <ActiveLogics />
      <LogicsTable />
    </section>
  );
}
