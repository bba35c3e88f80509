// /priority-logic/new (create) and /priority-logic/:id/copy (edit = copy: the source's fields in
// the form, saved as a new logic with POST /:id/copy and the source's row version).
import { useApiQuery, useInvalidate } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { ErrorState } from '../components/ErrorState';
import { can } from '../auth/permissions';
import { useSession } from '../auth/session';
import { useToast } from '../components/Toast';
import { Link, navigate } from '../router';
import { copyLogic, createLogic, getLogic } from './api';
import { LogicForm } from './LogicForm';
import { draftFromLogic, emptyDraft } from './model';
import type { Logic } from './types';

export function CreateLogicPage({ copyFromId }: { copyFromId?: string }) {
  const { user } = useSession();
  const toast = useToast();
  const invalidate = useInvalidate();
  const loaded = useApiQuery(queryKeys.priorityLogic.logic(copyFromId ?? ''), (signal) => getLogic(copyFromId ?? '', signal), { enabled: copyFromId !== undefined });
  // The form starts from the logic as answered now, never from an older cached copy: its row
  // version goes with the copy, so the fields must be the ones of that version.
  const source: Logic | null = copyFromId && loaded.fresh ? loaded.data : null;
  const loadError = loaded.error;

  const title = copyFromId ? 'Copy Priority Logic' : 'Create Priority Logic';
  const header = (
    <div className="page-header">
      <div>
        <div className="breadcrumb">
          <Link to="/priority-logic">Priority Logic</Link>
          {source ? (
            <>
              {' / '}
              <Link to={`/priority-logic/${source.id}`}>{source.name}</Link>
            </>
          ) : null}
        </div>
        <h1>{title}</h1>
        <p>
          {copyFromId
            ? 'Editing is copying: change what you need and save it as a new Priority Logic, then release it.'
            : 'Choose the type of routing, name it, set its gateways and save. Saving does not release it.'}
        </p>
      </div>
    </div>
  );

  if (!can(user?.role, 'logic.edit')) {
    return (
      <section className="page">
        {header}
        <div className="alert alert-error" role="alert">
          You do not have access
        </div>
      </section>
    );
  }
  if (copyFromId && !source) {
    return (
      <section className="page">
        {header}
        {loadError ? (
          <ErrorState error={loadError} onRetry={loaded.reload} retrying={loaded.loading} />
        ) : (
          <p className="loading" role="status">
            Loading…
          </p>
        )}
      </section>
    );
  }

  return (
    <section className="page">
      <LogicForm
        key={source ? `${source.id}` : 'new'}
        heading={header}
        mode={source ? 'copy' : 'create'}
        initial={source ? draftFromLogic(source, { name: `${source.name} (copy)` }) : emptyDraft('RULES')}
        onSave={(input) => (source ? copyLogic(source.id, input, source.row_version) : createLogic(input))}
        onSaved={(logic) => {
          toast.show(`Priority Logic “${logic.name}” saved`, 'success');
          void invalidate(queryKeys.priorityLogic.all);
          navigate(`/priority-logic/${logic.id}`);
        }}
        onCancel={() => navigate(source ? `/priority-logic/${source.id}` : '/priority-logic')}
        onSync={source ? () => invalidate(queryKeys.priorityLogic.logic(source.id)) : undefined}
        canDryRun
      />
    </section>
  );
}
