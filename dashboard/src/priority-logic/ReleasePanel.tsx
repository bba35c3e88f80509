// The Release card of a logic's view: the approval notice of a code logic, the rejected notice,
// and an Admin's release controls (Activate, a staggered release and its percentage, Promote,
// Revoke, Deactivate, the fallback logic). Each control asks for a confirmation first (`ask`).
import { useEffect, useId, useState } from 'react';
import type { AuditEntry } from './api';
import { formatDate } from './StatusBadges';
import { GuardSettingsFields, GuardStatus, guardDraftProblem, guardDraftToApi, type GuardDraft } from './ReleaseGuard';
import type { Logic, Routing } from './types';
import type { PendingRelease } from './use-release-actions';

type Ask = (p: PendingRelease) => void;

interface ReleasePanelProps {
  logic: Logic;
  routing: Routing | null;
  entries: AuditEntry[] | null;
  canRelease: boolean;
  canApprove: boolean;
  /** The signed-in user created this logic (an approver cannot approve their own). */
  ownLogic: boolean;
  ask: Ask;
}

export function ReleasePanel({ logic, routing, entries, canRelease, canApprove, ownLogic, ask }: ReleasePanelProps) {
  return (
    <section className="card" aria-labelledby="release-title" data-testid="release">
      <h2 id="release-title">Release</h2>
      {logic.status === 'PENDING_APPROVAL' ? <ApprovalNotice logic={logic} canApprove={canApprove} ownLogic={ownLogic} ask={ask} /> : null}
      {logic.status === 'REJECTED' ? <RejectedNotice entries={entries} /> : null}
      {!canRelease ? (
        <p className="muted small">Only an Admin can release, stagger, promote, revoke, deactivate or set the fallback logic.</p>
      ) : logic.status === 'PENDING_APPROVAL' || logic.status === 'REJECTED' ? null : (
        <ReleaseControls logic={logic} routing={routing} ask={ask} />
      )}
      <GuardStatus logicId={logic.id} />
    </section>
  );
}

function ApprovalNotice({ logic, canApprove, ownLogic, ask }: { logic: Logic; canApprove: boolean; ownLogic: boolean; ask: Ask }) {
  return (
    <div className="alert alert-warning">
      Code-based logics need an approval by an Approver who did not create them before they can be released.
      {canApprove ? (
        ownLogic ? (
          <p style={{ margin: '8px 0 0' }}>You created this logic: another approver must approve it.</p>
        ) : (
          <div style={{ marginTop: 8, display: 'flex', gap: 8, flexWrap: 'wrap' }}>
            <button type="button" className="btn btn-primary" onClick={() => ask({ action: 'approve', label: 'Approve', text: `Approve the code of “${logic.name}” for release?` })}>
              Approve
            </button>
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => ask({ action: 'reject', label: 'Reject', text: `Reject “${logic.name}”? It can then not be released; its author copies it to try again.` })}
            >
              Reject
            </button>
          </div>
        )
      ) : null}
    </div>
  );
}

/** Who rejected the logic, when and why (from its History). */
function RejectedNotice({ entries }: { entries: AuditEntry[] | null }) {
  const entry = entries?.find((e) => e.action === 'REJECT');
  const reason = typeof entry?.after?.reason === 'string' ? entry.after.reason : null;
  return (
    <div className="alert alert-error" data-testid="rejected">
      Rejected{entry ? ` by ${entry.actor_email ?? entry.actor_id} on ${formatDate(entry.created)}` : ''}
      {reason ? `: ${reason}` : '.'}
      <p style={{ margin: '8px 0 0' }}>A rejected logic cannot be released. Copy it to make a new version for approval.</p>
    </div>
  );
}

function ReleaseControls({ logic, routing, ask }: { logic: Logic; routing: Routing | null; ask: Ask }) {
  const [percentage, setPercentage] = useState('10');
  const [guardDraft, setGuardDraft] = useState<GuardDraft | null>(null);
  const shownPercentage = logic.stagger_percentage;
  useEffect(() => {
    if (shownPercentage) setPercentage(String(shownPercentage));
  }, [shownPercentage]);
  const otherStaggered = routing?.staggered_logic_id && routing.staggered_logic_id !== logic.id;
  const field = { logic, percentage, setPercentage, guardDraft, setGuardDraft, ask };
  return (
    <div className="stack">
      {logic.status === 'INACTIVE' ? (
        <>
          <div>
            <h3>Full Release</h3>
            <p className="muted small">100% of traffic moves to this logic at once; the active logic becomes inactive.</p>
            <button type="button" className="btn btn-primary" onClick={() => ask({ action: 'activate', label: 'Activate', text: `Route 100% of traffic through “${logic.name}” now?` })}>
              Activate
            </button>
            {otherStaggered ? <p className="muted small">Another logic is in a staggered release: promote or revoke it first.</p> : null}
          </div>
          <div>
            <h3>Staggered Release</h3>
            <p className="muted small">Only this share of orders goes to the new logic; the rest stays on the active one.</p>
            <PercentageField {...field} button="Start staggered release" dialogLabel="Stagger" withGuard />
          </div>
        </>
      ) : null}
      {logic.status === 'STAGGERED' ? (
        <>
          <p>
            This logic decides <strong>{logic.stagger_percentage ?? routing?.stagger_percentage}%</strong> of orders.
          </p>
          <PercentageField {...field} button="Update percentage" dialogLabel="Update percentage" />
          <div className="row">
            <button type="button" className="btn btn-primary" onClick={() => ask({ action: 'promote', label: 'Promote to full', text: `Move 100% of traffic to “${logic.name}”?` })}>
              Promote to full
            </button>
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => ask({ action: 'revoke', label: 'Revoke', text: `Stop the staggered release of “${logic.name}”? All traffic returns to the active logic.` })}
            >
              Revoke
            </button>
          </div>
        </>
      ) : null}
      {logic.status === 'ACTIVE' ? (
        <div>
          <p>This logic decides all traffic{routing?.staggered_logic_id ? ' except the staggered share' : ''}.</p>
          <button
            type="button"
            className="btn btn-danger"
            onClick={() => ask({ action: 'deactivate', label: 'Deactivate', text: `Deactivate “${logic.name}”? Payments use the default ordering until another logic is released.` })}
          >
            Deactivate
          </button>
        </div>
      ) : null}
      <div>
        <h3>Fallback logic</h3>
        <p className="muted small">Decides when the active or staggered logic fails (bad code, timeout, memory).</p>
        {logic.is_fallback ? (
          <button type="button" className="btn" onClick={() => ask({ action: 'unset-fallback', label: 'Unset fallback', text: 'Remove the fallback logic?' })}>
            Unset fallback
          </button>
        ) : logic.status === 'INACTIVE' ? (
          <button type="button" className="btn" onClick={() => ask({ action: 'fallback', label: 'Set as fallback', text: `Make “${logic.name}” the fallback logic?` })}>
            Set as fallback
          </button>
        ) : (
          <p className="muted small">Only an inactive logic can be the fallback.</p>
        )}
      </div>
    </div>
  );
}

interface PercentageFieldProps {
  logic: Logic;
  percentage: string;
  setPercentage: (text: string) => void;
  guardDraft: GuardDraft | null;
  setGuardDraft: (draft: GuardDraft | null) => void;
  ask: Ask;
  button: string;
  dialogLabel: string;
  withGuard?: boolean;
}

/** The percentage field and its button: starting a staggered release, or changing its share. */
function PercentageField({ logic, percentage, setPercentage, guardDraft, setGuardDraft, ask, button, dialogLabel, withGuard = false }: PercentageFieldProps) {
  const pctId = useId();
  const pctNumber = Number(percentage);
  const pctValid = Number.isInteger(pctNumber) && pctNumber >= 1 && pctNumber <= 99;
  // A guard goes with a new staggered release (a change of percentage keeps the running one).
  const guardOk = guardDraft === null || guardDraftProblem(guardDraft) === null;
  return (
    <>
      <div className="row">
        <label htmlFor={pctId}>Staggered release percentage</label>
        <input id={pctId} type="number" min={1} max={99} value={percentage} onChange={(e) => setPercentage(e.target.value)} style={{ width: 90 }} aria-invalid={!pctValid || undefined} />
        <button
          type="button"
          className="btn"
          disabled={!pctValid || (withGuard && !guardOk)}
          onClick={() => {
            const guard = withGuard && guardDraft ? guardDraftToApi(guardDraft) : undefined;
            const text = `Send ${pctNumber}% of orders to “${logic.name}”?${guard ? ' The guard rolls the release back if it is worse than the tolerance.' : ''}`;
            ask({ action: 'stagger', label: dialogLabel, percentage: pctNumber, text, ...(guard ? { guard } : {}) });
          }}
        >
          {button}
        </button>
      </div>
      {!pctValid ? <p className="field-error">Enter a percentage from 1 to 99.</p> : null}
      {withGuard ? <GuardSettingsFields value={guardDraft} onChange={setGuardDraft} /> : null}
    </>
  );
}
