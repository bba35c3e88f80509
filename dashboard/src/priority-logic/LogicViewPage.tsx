// /priority-logic/:id: a logic's details and definition, its release (Activate, Stagger, Promote,
// Revoke, Deactivate, fallback, Approve), Share Rule (Download / Copy JSON), Copy to edit, Delete,
// a dry run and the audit trail. Every change sends the logic's row version and the routing
// version; a stale view answers "Error! Try Syncing again" with a Sync button.
import { useCallback, useEffect, useId, useState } from 'react';
import { ApiError } from '../api/client';
import { useApiQuery, useAppQueryClient } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { can } from '../auth/permissions';
import { useSession } from '../auth/session';
import { CodeEditor } from '../components/CodeEditor';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useToast } from '../components/Toast';
import { Link, navigate } from '../router';
import { GuardSettingsFields, GuardStatus, guardDraftProblem, guardDraftToApi, type GuardDraft } from './ReleaseGuard';
import { audit, exportLogic, getLogic, getRouting, rejectLogic, releaseAction, stagger, unsetFallback, type AuditEntry, type ReleaseAction } from './api';
import { DeleteLogicDialog } from './DeleteLogicDialog';
import { DryRunPanel } from './DryRunPanel';
import { BacktestTab } from './BacktestTab';
import { ReleaseRuleCheck, RuleAnalysisPanel } from './RuleAnalysisPanel';
import { LiveLogicDiff } from './LiveLogicDiff';
import { ActivateLiveDiff, VersionDiff } from './VersionDiff';
import { gatewayText } from './GatewayListEditor';
import { StatusBadges, formatDate } from './LogicsTable';
import { describeCondition } from './model';
import { KIND_LABELS, RANKING_LABELS, type GatewayRef, type Logic, type RankingMode, type Routing, type RuleOutput } from './types';
import { ErrorState } from '../components/ErrorState';

type Pending =
  | { action: ReleaseAction; label: string; text: string }
  | { action: 'stagger'; label: string; text: string; percentage: number; guard?: Record<string, unknown> }
  | { action: 'unset-fallback'; label: string; text: string }
  | { action: 'reject'; label: string; text: string };

function Chain({ list }: { list: readonly GatewayRef[] }) {
  if (list.length === 0) return <span className="muted">(none)</span>;
  return (
    <span className="gateway-chain">
      {list.map((g, i) => (
        <span key={`${g.gateway}-${i}`} className="row" style={{ gap: 6 }}>
          {i > 0 ? (
            <span className="muted" aria-hidden="true">
              →
            </span>
          ) : null}
          <span className="gateway-chip">{gatewayText(g)}</span>
        </span>
      ))}
    </span>
  );
}

function OutputView({ output }: { output: RuleOutput }) {
  if (output.type === 'PRIORITY') return <Chain list={output.gateways} />;
  if (output.type === 'VOLUME_SPLIT')
    return (
      <span className="gateway-chain">
        {output.splits.map((s, i) => (
          <span key={i} className="gateway-chip">
            {gatewayText(s)} {s.weight}%
          </span>
        ))}
      </span>
    );
  return (
    <div className="stack">
      {output.splits.map((s, i) => (
        <div key={i} className="row">
          <strong className="small">{s.weight}%:</strong> <Chain list={s.gateways} />
        </div>
      ))}
    </div>
  );
}

export function DefinitionView({ logic }: { logic: Logic }) {
  const d = logic.definition;
  return (
    <section className="card" aria-labelledby="def-title">
      <h2 id="def-title">Configuration</h2>
      {d.kind === 'RULES' ? (
        <div className="stack" style={{ marginBottom: 14 }}>
          <h3>Rules</h3>
          {(d.rules ?? []).length === 0 ? <p className="muted">No rules: every payment uses the Default gateways.</p> : null}
          {(d.rules ?? []).map((r, i) => (
            <div key={i} className="trace-rule" data-testid={`view-rule-${i}`}>
              <div>
                <strong>
                  Rule {i + 1}: {r.name}
                </strong>
              </div>
              <div className="small">
                <span className="muted">If</span> {describeCondition(r.condition)}
              </div>
              <div className="small row">
                <span className="muted">Then</span> <OutputView output={r.output} />
              </div>
            </div>
          ))}
        </div>
      ) : null}
      {d.kind === 'VOLUME' ? (
        <div style={{ marginBottom: 14 }}>
          <h3>Volume split</h3>
          <table className="table" style={{ maxWidth: 420 }}>
            <thead>
              <tr>
                <th scope="col">Gateway</th>
                <th scope="col" className="num">
                  Weight
                </th>
              </tr>
            </thead>
            <tbody>
              {(d.splits ?? []).map((s, i) => (
                <tr key={i}>
                  <td>{gatewayText(s)}</td>
                  <td className="num">{s.weight}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {d.kind === 'CODE' ? (
        <div style={{ marginBottom: 14 }}>
          <h3>Code</h3>
          <div className="code-editor">
            <CodeEditor value={d.code ?? ''} readOnly ariaLabel="Code (read-only)" />
          </div>
        </div>
      ) : null}
      <h3>{d.kind === 'DEFAULT' ? 'Gateway priority (Default gateways)' : 'Default Gateways'}</h3>
      <Chain list={d.defaultGateways ?? []} />
    </section>
  );
}

export function LogicViewPage({ id }: { id: string }) {
  const { user } = useSession();
  const toast = useToast();
  // The logic, the routing and the History are queries of the one client: a change here writes its
  // answer into them and invalidates the other Priority Logic queries (the list, the figures).
  const client = useAppQueryClient();
  const logicQuery = useApiQuery(queryKeys.priorityLogic.logic(id), (signal) => getLogic(id, signal));
  const routingQuery = useApiQuery(queryKeys.priorityLogic.routing(), (signal) => getRouting(signal).catch(() => null));
  const auditQuery = useApiQuery(queryKeys.priorityLogic.audit(id), (signal) => audit(id, signal));
  const logic: Logic | null = logicQuery.data;
  const routing: Routing | null = routingQuery.data;
  const entries: AuditEntry[] | null = auditQuery.error ? null : (auditQuery.data?.entries ?? null);
  const loadFailure = logicQuery.error;
  const loadError = loadFailure ? (loadFailure instanceof ApiError ? loadFailure.message : 'Something went wrong. Please try again') : null;
  const setLogic = (l: Logic) => client.setQueryData(queryKeys.priorityLogic.logic(id), l);
  const setRouting = (r: Routing) => client.setQueryData(queryKeys.priorityLogic.routing(), r);
  const setEntries = (e: AuditEntry[]) => client.setQueryData(queryKeys.priorityLogic.audit(id), { entries: e });
  /**
   * After a change: every other Priority Logic query (the list, the figures, this view's History)
   * loads again; the logic and the routing shown are the change's own answer, written above.
   */
  const changed = () => {
    const answered = [queryKeys.priorityLogic.logic(id), queryKeys.priorityLogic.routing()].map((k) => JSON.stringify(k));
    void client.invalidateQueries({ queryKey: queryKeys.priorityLogic.all, predicate: (q) => !answered.includes(JSON.stringify(q.queryKey)) });
  };
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [syncError, setSyncError] = useState(false);
  const [percentage, setPercentage] = useState('10');
  const [deleting, setDeleting] = useState(false);
  const [json, setJson] = useState<string | null>(null);
  const [shareNote, setShareNote] = useState<string | null>(null);
  const [rejectReason, setRejectReason] = useState('');
  const [guardDraft, setGuardDraft] = useState<GuardDraft | null>(null);
  const pctId = useId();
  const jsonId = useId();

  const role = user?.role;
  const canEdit = can(role, 'logic.edit');
  const canRelease = can(role, 'logic.release');
  const canApprove = can(role, 'logic.approve');

  const load = useCallback(async () => {
    await Promise.all([logicQuery.reload(), routingQuery.reload(), auditQuery.reload()]);
  }, [logicQuery.reload, routingQuery.reload, auditQuery.reload]);

  const shownPercentage = logic?.stagger_percentage;
  useEffect(() => {
    if (shownPercentage) setPercentage(String(shownPercentage));
  }, [shownPercentage]);

  const sync = async () => {
    await load();
    setSyncError(false);
    toast.show('Synced with the server', 'info');
  };

  const run = async (p: Pending) => {
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
        const result = p.action === 'stagger' ? await stagger(logic.id, p.percentage, logic.row_version, routing?.version, p.guard) : await releaseAction(logic.id, p.action, logic.row_version, routing?.version);
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

  const ask = (p: Pending) => {
    setActionError(null);
    setPending(p);
  };

  const download = async () => {
    if (!logic) return;
    try {
      const doc = await exportLogic(logic.id);
      const text = JSON.stringify(doc, null, 2);
      const blob = new Blob([text], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${logic.name.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 80) || 'priority-logic'}.json`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      toast.show(e instanceof ApiError ? e.message : 'Something went wrong. Please try again', 'error');
    }
  };

  const copyJson = async () => {
    if (!logic) return;
    try {
      const text = JSON.stringify(await exportLogic(logic.id), null, 2);
      setJson(text);
      try {
        await navigator.clipboard.writeText(text);
        setShareNote('JSON copied to the clipboard.');
        toast.show('JSON copied to the clipboard', 'success');
      } catch {
        setShareNote('The clipboard is not available here: select the JSON below and copy it.');
      }
    } catch (e) {
      toast.show(e instanceof ApiError ? e.message : 'Something went wrong. Please try again', 'error');
    }
  };

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

  const pctNumber = Number(percentage);
  const pctValid = Number.isInteger(pctNumber) && pctNumber >= 1 && pctNumber <= 99;
  const ownLogic = user?.id !== undefined && logic.created_by === user.id;
  /** Live logics (active, staggered, the fallback) cannot be deleted: Delete is shown disabled with the reason. */
  const live = logic.status === 'ACTIVE' || logic.status === 'STAGGERED' || logic.is_fallback;
  const otherStaggered = routing?.staggered_logic_id && routing.staggered_logic_id !== logic.id;
  /** The percentage field and its button: starting a staggered release, or changing its share. */
  // A guard goes with a new staggered release (a change of percentage keeps the running one).
  const guardOk = guardDraft === null || guardDraftProblem(guardDraft) === null;
  const percentageField = (button: string, dialogLabel: string, withGuard = false) => (
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

  return (
    <section className="page">
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
            <button type="button" className="btn btn-danger" onClick={() => setDeleting(true)}>
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

      {syncError ? (
        <div className="alert alert-error row" role="alert" data-testid="sync-error">
          <span>Error! Try Syncing again</span>
          <button type="button" className="btn btn-small" onClick={() => void sync()}>
            Sync
          </button>
        </div>
      ) : null}

      <div className="grid-2">
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

        <section className="card" aria-labelledby="release-title" data-testid="release">
          <h2 id="release-title">Release</h2>
          {logic.status === 'PENDING_APPROVAL' ? (
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
                    <button type="button" className="btn btn-danger" onClick={() => ask({ action: 'reject', label: 'Reject', text: `Reject “${logic.name}”? It can then not be released; its author copies it to try again.` })}>
                      Reject
                    </button>
                  </div>
                )
              ) : null}
            </div>
          ) : null}
          {logic.status === 'REJECTED' ? (
            <div className="alert alert-error" data-testid="rejected">
              {(() => {
                const entry = entries?.find((e) => e.action === 'REJECT');
                const reason = typeof entry?.after?.reason === 'string' ? entry.after.reason : null;
                return (
                  <>
                    Rejected{entry ? ` by ${entry.actor_email ?? entry.actor_id} on ${formatDate(entry.created)}` : ''}{reason ? `: ${reason}` : '.'}
                    <p style={{ margin: '8px 0 0' }}>A rejected logic cannot be released. Copy it to make a new version for approval.</p>
                  </>
                );
              })()}
            </div>
          ) : null}
          {!canRelease ? (
            <p className="muted small">Only an Admin can release, stagger, promote, revoke, deactivate or set the fallback logic.</p>
          ) : logic.status === 'PENDING_APPROVAL' || logic.status === 'REJECTED' ? null : (
            <div className="stack">
              {logic.status === 'INACTIVE' ? (
                <>
                  <div>
                    <h3>Full Release</h3>
                    <p className="muted small">100% of traffic moves to this logic at once; the active logic becomes inactive.</p>
                    <button
                      type="button"
                      className="btn btn-primary"
                      onClick={() => ask({ action: 'activate', label: 'Activate', text: `Route 100% of traffic through “${logic.name}” now?` })}
                    >
                      Activate
                    </button>
                    {otherStaggered ? <p className="muted small">Another logic is in a staggered release: promote or revoke it first.</p> : null}
                  </div>
                  <div>
                    <h3>Staggered Release</h3>
                    <p className="muted small">Only this share of orders goes to the new logic; the rest stays on the active one.</p>
                    {percentageField('Start staggered release', 'Stagger', true)}
                  </div>
                </>
              ) : null}
              {logic.status === 'STAGGERED' ? (
                <>
                  <p>
                    This logic decides <strong>{logic.stagger_percentage ?? routing?.stagger_percentage}%</strong> of orders.
                  </p>
                  {percentageField('Update percentage', 'Update percentage')}
                  <div className="row">
                    <button type="button" className="btn btn-primary" onClick={() => ask({ action: 'promote', label: 'Promote to full', text: `Move 100% of traffic to “${logic.name}”?` })}>
                      Promote to full
                    </button>
                    <button type="button" className="btn btn-danger" onClick={() => ask({ action: 'revoke', label: 'Revoke', text: `Stop the staggered release of “${logic.name}”? All traffic returns to the active logic.` })}>
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
          )}
          <GuardStatus logicId={logic.id} />
        </section>
      </div>

      <DefinitionView logic={logic} />

      <section className="card" aria-labelledby="share-title">
        <h2 id="share-title">Share Rule</h2>
        <p className="muted small">Export this logic as JSON to share it or import it elsewhere.</p>
        <div className="row">
          <button type="button" className="btn" onClick={() => void download()}>
            Download JSON
          </button>
          <button type="button" className="btn" onClick={() => void copyJson()}>
            Copy JSON
          </button>
          {shareNote ? (
            <span className="muted small" role="status">
              {shareNote}
            </span>
          ) : null}
        </div>
        {json !== null ? (
          <div className="field" style={{ marginTop: 12 }}>
            <label htmlFor={jsonId}>Rule JSON</label>
            <textarea id={jsonId} readOnly value={json} rows={12} onFocus={(e) => e.currentTarget.select()} />
          </div>
        ) : null}
      </section>

      <LiveLogicDiff logic={logic} liveId={routing?.active_logic_id ?? null} />
      {logic.kind === 'RULES' ? <RuleAnalysisPanel source={() => ({ logic_id: logic.id })} /> : null}
      {canEdit || (canApprove && logic.status === 'PENDING_APPROVAL') ? <DryRunPanel source={() => ({ logic_id: logic.id })} /> : null}
      <BacktestTab logicId={logic.id} canRun={canEdit || canApprove} />

      <section className="card" aria-labelledby="audit-title">
        <h2 id="audit-title">History</h2>
        {entries === null ? (
          <p className="muted small">No history available.</p>
        ) : entries.length === 0 ? (
          <p className="muted small">No changes yet.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Who</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td className="small">{formatDate(e.created)}</td>
                  <td>{e.action}</td>
                  <td className="small">
                    {e.actor_email ?? (e.actor_role === 'API_KEY' ? 'API key' : e.actor_id)} <span className="muted">({e.actor_role})</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <VersionDiff logic={logic} />
      </section>

      <ConfirmDialog
        open={pending !== null}
        title={pending?.label ?? ''}
        confirmLabel={pending?.label}
        danger={pending?.action === 'deactivate' || pending?.action === 'revoke' || pending?.action === 'reject'}
        busy={busy}
        error={actionError}
        onConfirm={() => pending && void run(pending)}
        onCancel={() => {
          setPending(null);
          setActionError(null);
        }}
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
      <DeleteLogicDialog logic={deleting ? logic : null} onClose={() => setDeleting(false)} onDeleted={() => navigate('/priority-logic')} />
    </section>
  );
}

/** A user as History shows them: the email its entries carry for that user id (else the id). */
export function personLabel(userId: string, entries: readonly AuditEntry[] | null): string {
  return entries?.find((e) => e.actor_id === userId && e.actor_email)?.actor_email ?? userId;
}
