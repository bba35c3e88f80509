// The confirmation of a release action: its question, the reason of a rejection, and before an
// Activate or a Stagger the rule check and the diff against the live logic.
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ReleaseRuleCheck } from './RuleAnalysisPanel';
import type { Logic, Routing } from './types';
import type { ReleaseActions } from './use-release-actions';
import { ActivateLiveDiff } from './VersionDiff';

export function ReleaseConfirmDialog({ logic, routing, release }: { logic: Logic; routing: Routing | null; release: ReleaseActions }) {
  const { pending, busy, actionError, rejectReason, setRejectReason, run, cancel } = release;
  return (
    <ConfirmDialog
      open={pending !== null}
      title={pending?.label ?? ''}
      confirmLabel={pending?.label}
      danger={pending?.action === 'deactivate' || pending?.action === 'revoke' || pending?.action === 'reject'}
      busy={busy}
      error={actionError}
      onConfirm={() => pending && void run(pending)}
      onCancel={cancel}
    >
      <p>{pending?.text}</p>
      {pending?.action === 'reject' ? (
        <div className="field">
          <label htmlFor="reject-reason">Reason (required)</label>
          <textarea id="reject-reason" rows={3} maxLength={500} value={rejectReason} onChange={(e) => setRejectReason(e.target.value)} />
        </div>
      ) : null}
      {pending && logic.kind === 'RULES' && (pending.action === 'activate' || pending.action === 'stagger') ? <ReleaseRuleCheck logicId={logic.id} /> : null}
      {pending && (pending.action === 'activate' || pending.action === 'stagger') ? <ActivateLiveDiff logic={logic} liveId={routing?.active_logic_id ?? null} /> : null}
    </ConfirmDialog>
  );
}
