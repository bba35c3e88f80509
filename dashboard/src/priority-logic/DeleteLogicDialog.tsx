// Confirm and delete a logic (DELETE with its row version). The server refuses live logics with
// "Active Priority Logics cannot be deleted. Deactivate them first or Revoke in case of a staggered
// release." (LOGIC_IS_LIVE): the refusal is shown in the dialog.
import { useState } from 'react';
import { useAppQueryClient } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { ApiError } from '../api/client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useToast } from '../components/Toast';
import { deleteLogic } from './api';
import type { Logic } from './types';

export function DeleteLogicDialog({ logic, onClose, onDeleted }: { logic: Logic | null; onClose: () => void; onDeleted: (logic: Logic) => void }) {
  const toast = useToast();
  const client = useAppQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; final: boolean } | null>(null);
  const close = () => {
    setError(null);
    onClose();
  };
  const confirm = async () => {
    if (!logic) return;
    setBusy(true);
    setError(null);
    try {
      await deleteLogic(logic.id, logic.row_version);
      toast.show(`Priority Logic “${logic.name}” deleted`, 'success');
      // The list, the figures and the routing load again; the deleted logic's own view is not asked for.
      const own = (key: readonly unknown[]) => key.includes(logic.id);
      void client.invalidateQueries({ queryKey: queryKeys.priorityLogic.all, predicate: (q) => !own(q.queryKey) });
      setError(null);
      onDeleted(logic);
    } catch (e) {
      if (e instanceof ApiError) {
        const message = e.status >= 500 ? 'Something went wrong. Please try again' : e.message;
        // Said once, in the dialog (a toast repeated it).
        setError({ message, final: e.code === 'LOGIC_IS_LIVE' || e.code === 'INVALID_ACTION' || e.code === 'UNAUTHORIZED' || e.code === 'SYNC_CONFLICT' });
      } else setError({ message: 'Something went wrong. Please try again', final: false });
    } finally {
      setBusy(false);
    }
  };
  return (
    <ConfirmDialog
      open={logic !== null}
      title="Delete Priority Logic"
      confirmLabel="Delete"
      danger
      busy={busy}
      error={error?.message ?? null}
      hideConfirm={error?.final}
      onConfirm={() => void confirm()}
      onCancel={close}
    >
      <p>
        Delete <strong>{logic?.name}</strong>? It disappears from the list and its name becomes free again. Active Priority Logics cannot be deleted.
      </p>
    </ConfirmDialog>
  );
}
