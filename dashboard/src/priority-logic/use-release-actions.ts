// The release actions of a logic's view (Activate, Stagger, Promote, Revoke, Deactivate, fallback,
// Approve, Reject): the one asked for in the confirm dialog, running it, and the stale-view state.
// Every change sends the logic's row version and the routing version; a SYNC_CONFLICT closes the
// dialog and shows "Error! Try Syncing again".
import { useState } from 'react';
import { ApiError } from '../api/client';
import { useToast } from '../components/Toast';
import { audit, rejectLogic, releaseAction, stagger, unsetFallback, type ReleaseAction } from './api';
import type { LogicView } from './use-logic-view';

export type PendingRelease =
  | { action: ReleaseAction; label: string; text: string }
  | { action: 'stagger'; label: string; text: string; percentage: number; guard?: Record<string, unknown> }
  | { action: 'unset-fallback'; label: string; text: string }
  | { action: 'reject'; label: string; text: string };

export function useReleaseActions(id: string, view: LogicView) {
  const toast = useToast();
  const { logic, routing, setLogic, setRouting, setEntries, changed, load } = view;
  const [pending, setPending] = useState<PendingRelease | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [syncError, setSyncError] = useState(false);
  const [rejectReason, setRejectReason] = useState('');

  const sync = async () => {
    await load();
    setSyncError(false);
    toast.show('Synced with the server', 'info');
  };

  const run = async (p: PendingRelease) => {
    if (!logic) return;
    setBusy(true);
    setActionError(null);
    try {
      if (p.action === 'unset-fallback') {
        setRouting(await unsetFallback(routing?.version));
        await load();
        changed();
      } else if (p.action === 'reject') {
        if (!rejectReason.trim()) {
          setActionError('Say why the logic is rejected: the reason is kept in its History.');
          return;
        }
        const result = await rejectLogic(logic.id, logic.row_version, rejectReason.trim(), routing?.version);
        // The History first, so the rejected banner shows who and why as it appears.
        const trail = await audit(id).catch(() => null);
        if (trail) setEntries(trail.entries);
        setLogic(result.logic);
        setRouting(result.routing);
        setRejectReason('');
        changed();
      } else {
        const result =
          p.action === 'stagger' ? await stagger(logic.id, p.percentage, logic.row_version, routing?.version, p.guard) : await releaseAction(logic.id, p.action, logic.row_version, routing?.version);
        setLogic(result.logic);
        setRouting(result.routing);
        changed();
      }
      toast.show(`${p.label}: done`, 'success');
      setPending(null);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'SYNC_CONFLICT') {
        setPending(null);
        setSyncError(true);
      } else {
        const message = e instanceof ApiError && e.status < 500 ? e.message : 'Something went wrong. Please try again';
        setActionError(message);
        toast.show(message, 'error');
      }
    } finally {
      setBusy(false);
    }
  };

  const ask = (p: PendingRelease) => {
    setActionError(null);
    setPending(p);
  };

  const cancel = () => {
    setPending(null);
    setActionError(null);
  };

  return { pending, busy, actionError, syncError, rejectReason, setRejectReason, sync, run, ask, cancel };
}

export type ReleaseActions = ReturnType<typeof useReleaseActions>;
