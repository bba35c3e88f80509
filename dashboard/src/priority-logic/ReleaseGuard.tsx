// The guard of a staggered release (docs/safe-change.md#guarded-staggered-release): its settings
// when starting a stagger, its live state on the logic's page (the sequential test's evidence in
// plain words, progress towards the planned sample), and the banner of a rollback.
import { useId } from 'react';
import { Link } from '../router';
import { api } from '../api/client';
import { useApiQuery } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { formatDateTime } from '../format/datetime';
import './release-guard.css';

// The metric a guard watches is the engine's own (type-only: nothing of the server is bundled).
export type { GuardMetric } from '../../../src/core/priority-logic/release-guard.ts';
import type { GuardMetric } from '../../../src/core/priority-logic/release-guard.ts';

/** What the form holds; null: no guard. */
export interface GuardDraft {
  metric: GuardMetric;
  tolerance: string;
  alpha: string;
  autoPromote: boolean;
  plannedSample: string;
}

export interface ReleaseGuardInfo {
  id: string;
  logic_id: string;
  baseline_logic_id: string;
  stagger_percentage: number;
  state: 'RUNNING' | 'ROLLED_BACK' | 'PASSED' | 'PROMOTED' | 'ENDED';
  end_reason: string | null;
  metric: GuardMetric;
  tolerance: number;
  detectable_effect: number;
  min_sample: number;
  planned_sample: number;
  alpha: number;
  auto_promote: boolean;
  evidence: {
    verdict: 'COLLECTING' | 'WATCHING' | 'WORSE' | 'PASSED';
    new_logic: { n: number; mean: number | null };
    old_logic: { n: number; mean: number | null };
    worse_by: number | null;
    interval: { low: number; high: number } | null;
    likelihood_ratio: number;
    threshold: number;
    summary: string;
  } | null;
  started: string;
  last_evaluated: string | null;
  ended: string | null;
}

const BASE = '/v1/priority-logics';
const guardsOfLogic = (id: string, signal?: AbortSignal) => api<{ guards: ReleaseGuardInfo[] }>(`${BASE}/${encodeURIComponent(id)}/guards`, { signal });
export const recentGuards = (signal?: AbortSignal) => api<{ guards: ReleaseGuardInfo[] }>(`${BASE}/guards`, { signal });

const UNITS: Record<GuardMetric, string> = { SUCCESS_RATE: 'points', COST: 'bps', LATENCY: 'ms' };
const DEFAULT_TOLERANCE: Record<GuardMetric, string> = { SUCCESS_RATE: '1', COST: '5', LATENCY: '100' };
const METRIC_LABELS: Record<GuardMetric, string> = { SUCCESS_RATE: 'Success rate', COST: 'Cost (fee in bps of the amount)', LATENCY: 'Latency' };

export const newGuardDraft = (): GuardDraft => ({ metric: 'SUCCESS_RATE', tolerance: '1', alpha: '5', autoPromote: false, plannedSample: '' });

/** Why the draft cannot be sent, or null. */
export function guardDraftProblem(d: GuardDraft): string | null {
  const tolerance = Number(d.tolerance);
  if (d.tolerance.trim() === '' || !Number.isFinite(tolerance) || tolerance < 0) return `Enter a tolerance of 0 ${UNITS[d.metric]} or more.`;
  const alpha = Number(d.alpha);
  if (!Number.isFinite(alpha) || alpha < 0.1 || alpha > 20) return 'Enter a false rollback rate from 0.1% to 20%.';
  if (d.plannedSample.trim() !== '' && (!Number.isInteger(Number(d.plannedSample)) || Number(d.plannedSample) < 200)) return 'Enter a planned sample of at least 200 payments, or leave it empty.';
  return null;
}

/** The API's release_guard for a valid draft. */
export function guardDraftToApi(d: GuardDraft): Record<string, unknown> {
  return {
    metric: d.metric,
    tolerance: Number(d.tolerance),
    alpha: Number(d.alpha) / 100,
    auto_promote: d.autoPromote,
    ...(d.plannedSample.trim() !== '' ? { planned_sample: Number(d.plannedSample) } : {}),
  };
}

/** The guard's settings in the Stagger form: off by default; on, a metric, tolerance, rate and promotion. */
export function GuardSettingsFields({ value, onChange }: { value: GuardDraft | null; onChange: (v: GuardDraft | null) => void }) {
  const id = useId();
  const problem = value ? guardDraftProblem(value) : null;
  return (
    <fieldset className="guard-settings">
      <legend className="sr-only">Release guard</legend>
      <label className="row" htmlFor={`${id}-on`}>
        <input id={`${id}-on`} type="checkbox" checked={value !== null} onChange={(e) => onChange(e.target.checked ? newGuardDraft() : null)} />
        Guard this release: roll it back automatically when the new logic is worse
      </label>
      {value ? (
        <div className="guard-grid">
          <label htmlFor={`${id}-metric`}>Compare</label>
          <select
            id={`${id}-metric`}
            value={value.metric}
            onChange={(e) => {
              const metric = e.target.value as GuardMetric;
              onChange({ ...value, metric, tolerance: DEFAULT_TOLERANCE[metric] });
            }}
          >
            {(Object.keys(METRIC_LABELS) as GuardMetric[]).map((m) => (
              <option key={m} value={m}>
                {METRIC_LABELS[m]}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-tol`}>Tolerance ({UNITS[value.metric]} worse)</label>
          <input id={`${id}-tol`} type="number" min={0} step="any" value={value.tolerance} onChange={(e) => onChange({ ...value, tolerance: e.target.value })} style={{ width: 90 }} />
          <label htmlFor={`${id}-alpha`}>False rollback rate (%)</label>
          <input id={`${id}-alpha`} type="number" min={0.1} max={20} step="any" value={value.alpha} onChange={(e) => onChange({ ...value, alpha: e.target.value })} style={{ width: 90 }} />
          <label htmlFor={`${id}-planned`}>Planned sample (payments of the new logic)</label>
          <input
            id={`${id}-planned`}
            type="number"
            min={200}
            placeholder="from the design"
            value={value.plannedSample}
            onChange={(e) => onChange({ ...value, plannedSample: e.target.value })}
            style={{ width: 140 }}
          />
          <label className="row guard-promote" htmlFor={`${id}-promote`}>
            <input id={`${id}-promote`} type="checkbox" checked={value.autoPromote} onChange={(e) => onChange({ ...value, autoPromote: e.target.checked })} />
            Promote to full when it passes
          </label>
        </div>
      ) : null}
      {problem ? <p className="field-error">{problem}</p> : null}
    </fieldset>
  );
}

const STATE_WORDS: Record<ReleaseGuardInfo['state'], string> = {
  RUNNING: 'Watching',
  ROLLED_BACK: 'Rolled back',
  PASSED: 'Passed',
  PROMOTED: 'Passed and promoted',
  ENDED: 'Ended',
};

const END_WORDS: Record<string, string> = {
  REVOKE: 'the release was revoked',
  PROMOTE: 'the logic was promoted by hand',
  ACTIVATE: 'another logic was activated',
  REPLACED: 'a new guard replaced it',
  DEACTIVATE: 'the active logic was deactivated',
};

/** In the dashboard's chosen time zone, like every other date. */
function when(iso: string | null): string {
  return iso ? formatDateTime(iso) : '';
}

/** The latest guard of a logic: state, evidence in plain words, progress; polls while it runs. */
export function GuardStatus({ logicId }: { logicId: string }) {
  // A release action invalidates every Priority Logic query, this one included.
  const loaded = useApiQuery(queryKeys.priorityLogic.guards(logicId), (signal) => guardsOfLogic(logicId, signal), { refetchInterval: 30_000 });
  const guard = loaded.data?.guards[0];
  if (!guard) return null;
  const evidence = guard.evidence;
  const progress = evidence ? Math.min(100, Math.round((evidence.new_logic.n / guard.planned_sample) * 100)) : 0;
  const unit = UNITS[guard.metric];
  return (
    <section className={`guard-status guard-${guard.state.toLowerCase()}`} aria-label="Release guard" data-testid="guard-status">
      <h3>
        Release guard: <span className="badge">{STATE_WORDS[guard.state]}</span>
      </h3>
      {guard.state === 'ROLLED_BACK' ? (
        <p className="alert alert-error" role="alert">
          The guard rolled this release back on {when(guard.ended)}: the new logic was worse than the tolerance of {guard.tolerance} {unit}. All orders went back to the active logic.
        </p>
      ) : null}
      {guard.state === 'ENDED' && guard.end_reason ? <p className="muted small">Ended because {END_WORDS[guard.end_reason] ?? guard.end_reason.toLowerCase()}.</p> : null}
      <p className="muted small">
        {METRIC_LABELS[guard.metric]}, tolerance {guard.tolerance} {unit}, false rollback rate at most {Math.round(guard.alpha * 1000) / 10}%, planned sample {guard.planned_sample.toLocaleString()}{' '}
        payments of the new logic{guard.auto_promote ? ', promotes itself when it passes' : ''}. Started {when(guard.started)}.
      </p>
      {evidence ? (
        <>
          {guard.state === 'RUNNING' ? (
            <div className="guard-progress">
              <progress max={100} value={progress} aria-label="Payments of the new logic towards the planned sample" />
              <span className="small">
                {evidence.new_logic.n.toLocaleString()} of {guard.planned_sample.toLocaleString()} payments ({progress}%)
              </span>
            </div>
          ) : null}
          <p data-testid="guard-evidence">{evidence.summary}</p>
          {guard.last_evaluated ? <p className="muted small">Last looked at {when(guard.last_evaluated)}.</p> : null}
        </>
      ) : (
        <p className="muted">No look yet: the guard looks every 30 seconds.</p>
      )}
    </section>
  );
}

/** Rollbacks of the last 7 days on the Priority Logic page: a banner per rolled-back logic. */
export function GuardRollbackBanner({ now = Date.now() }: { now?: number }) {
  const loaded = useApiQuery(queryKeys.priorityLogic.recentGuards(), (signal) => recentGuards(signal), { refetchInterval: 60_000 });
  const recent = (loaded.data?.guards ?? []).filter((g) => g.state === 'ROLLED_BACK' && g.ended && now - Date.parse(g.ended) < 7 * 86_400_000);
  if (recent.length === 0) return null;
  return (
    <div className="alert alert-error" role="alert" data-testid="guard-rollback-banner">
      {recent.map((g) => (
        <p key={g.id}>
          A release guard rolled back a staggered release on {when(g.ended)}: {g.evidence?.summary ?? 'the new logic was worse than its tolerance.'}{' '}
          <Link to={`/priority-logic/${encodeURIComponent(g.logic_id)}`}>See the logic</Link>
        </p>
      ))}
    </div>
  );
}
