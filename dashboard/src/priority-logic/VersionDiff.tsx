// Comparing versions of a logic. A logic's lineage is the chain of copies it belongs to: the
// versions it was copied from (copied_from, up to version 1) and every copy made from any of them,
// as the server answers it (GET /v1/priority-logics/{id}/versions). "Compare versions" in a logic's History
// picks any two of them and shows what differs (rules, gateways, splits, enforce, ranking, and the
// code line by line); the Activate and staggered-release confirmations show what the logic changes
// against the live one. The words come from logic-diff.ts, as in LiveLogicDiff (the approver's view).
import { useEffect, useId, useMemo, useState } from 'react';
import { useApiQuery } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { api } from '../api/client';
import { getLogic } from './api';
import { codeLineDiff, diffHunks, diffLogics } from './logic-diff';
import type { Logic, LogicDefinition } from './types';

type Fetch = (id: string) => Promise<Logic>;
type FetchVersions = (logicId: string, signal?: AbortSignal) => Promise<Logic[]>;

/** A logic's versions from the server (GET /v1/priority-logics/{id}/versions): the whole lineage, oldest first. */
const getVersions: FetchVersions = async (logicId, signal) => (await api<{ versions: Logic[] }>(`/v1/priority-logics/${encodeURIComponent(logicId)}/versions`, { signal })).versions;

const versionLabel = (l: Logic, current?: string): string => `v${l.version} · ${l.name} (${l.status_label || l.status})${l.id === current ? ' · this logic' : ''}`;

/** A select of the logic's versions (`currentId` marked as this logic). */
function VersionPicker(p: { id: string; label: string; value: string; onChange: (id: string) => void; lineage: readonly Logic[]; currentId: string }) {
  return (
    <div className="field">
      <label htmlFor={p.id}>{p.label}</label>
      <select id={p.id} value={p.value} onChange={(e) => p.onChange(e.target.value)}>
        {p.lineage.map((l) => (
          <option key={l.id} value={l.id}>
            {versionLabel(l, p.currentId)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The differences between two definitions as a table, and the code line by line. */
function DiffTable({
  before,
  after,
  beforeLabel,
  afterLabel,
  testId,
  same,
}: {
  before: LogicDefinition;
  after: LogicDefinition;
  beforeLabel: string;
  afterLabel: string;
  testId: string;
  same: string;
}) {
  const lines = useMemo(() => diffLogics(before, after), [before, after]);
  const code = useMemo(() => {
    if (before.kind !== 'CODE' || after.kind !== 'CODE' || (before.code ?? '') === (after.code ?? '')) return null;
    return diffHunks(codeLineDiff(before.code ?? '', after.code ?? ''));
  }, [before, after]);
  if (lines.length === 0) return <p data-testid={`${testId}-same`}>{same}</p>;
  return (
    <div className="stack">
      <div className="table-scroll">
        <table className="table diff-table" data-testid={testId}>
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">{beforeLabel}</th>
              <th scope="col">{afterLabel}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.label}>
                <th scope="row">{l.label}</th>
                <td className={l.before === null ? undefined : 'diff-before'}>{l.before ?? <span className="muted">(none)</span>}</td>
                <td className={l.after === null ? undefined : 'diff-after'}>{l.after ?? <span className="muted">(none)</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {code ? (
        <div>
          <h3 className="small">Code, line by line</h3>
          <ol className="code-diff" aria-label="Code changes" data-testid={`${testId}-code`}>
            {code.map((l, i) =>
              l === null ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list, rendered whole each time and never reordered in place, so the position is a stable key
                <li key={i} className="code-diff-gap">
                  <span aria-hidden="true">⋯</span>
                  <span className="sr-only">unchanged lines</span>
                </li>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list, rendered whole each time and never reordered in place, so the position is a stable key
                <li key={i} className={`code-diff-line ${l.kind}`}>
                  <span className="code-diff-num" aria-hidden="true">
                    {l.before ?? ''}
                  </span>
                  <span className="code-diff-num" aria-hidden="true">
                    {l.after ?? ''}
                  </span>
                  <span className="code-diff-text">
                    <span className="sr-only">{l.kind === 'added' ? `added line ${l.after}: ` : l.kind === 'removed' ? `removed line ${l.before}: ` : `line ${l.after}: `}</span>
                    <span aria-hidden="true">{l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '− ' : '  '}</span>
                    {l.text}
                  </span>
                </li>
              ),
            )}
          </ol>
        </div>
      ) : null}
    </div>
  );
}

/** "Compare versions" in a logic's History: any two versions of its lineage, loaded when asked for. */
export function VersionDiff({ logic, fetchVersions = getVersions }: { logic: Logic; fetchVersions?: FetchVersions }) {
  const [open, setOpen] = useState(false);
  const [fromId, setFromId] = useState('');
  const [toId, setToId] = useState('');
  const fromField = useId();
  const toField = useId();
  // Through the data layer, loaded when asked for; again for another logic or a new row version.
  const loaded = useApiQuery(queryKeys.priorityLogic.lineage(logic.id, logic.row_version), (signal) => fetchVersions(logic.id, signal), { enabled: open });
  const lineage: Logic[] | 'failed' | null = loaded.error ? 'failed' : loaded.data;
  useEffect(() => {
    if (!Array.isArray(lineage)) return;
    // By default: the version this one was copied from (else the one before it) against this one.
    const at = lineage.findIndex((l) => l.id === logic.id);
    const previous = lineage.find((l) => l.id === logic.copied_from) ?? lineage[at - 1] ?? lineage[at + 1];
    setFromId(previous?.id ?? logic.id);
    setToId(logic.id);
  }, [lineage, logic.id, logic.copied_from]);

  if (!open)
    return (
      <div className="version-diff" data-testid="version-diff-panel">
        <h3>Compare versions</h3>
        <p className="muted small">Any two versions of this logic: the logics it was copied from and the copies made from it.</p>
        <button type="button" className="btn btn-small" onClick={() => setOpen(true)}>
          Compare versions
        </button>
      </div>
    );

  let body;
  if (lineage === null) body = <p className="muted small">Loading the versions…</p>;
  else if (lineage === 'failed') body = <p className="muted small">The versions could not be loaded.</p>;
  else if (lineage.length < 2)
    body = (
      <p className="muted small" data-testid="version-diff-single">
        This is the only version of this logic. Copy it to edit, and the copies can be compared here.
      </p>
    );
  else {
    const from = lineage.find((l) => l.id === fromId);
    const to = lineage.find((l) => l.id === toId);
    body = (
      <>
        <div className="toolbar">
          <VersionPicker id={fromField} label="Compare version" value={fromId} onChange={setFromId} lineage={lineage} currentId={logic.id} />
          <VersionPicker id={toField} label="with version" value={toId} onChange={setToId} lineage={lineage} currentId={logic.id} />
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              setFromId(toId);
              setToId(fromId);
            }}
          >
            Swap
          </button>
        </div>
        {from && to ? (
          from.id === to.id ? (
            <p className="muted small">Pick two different versions.</p>
          ) : (
            <DiffTable
              before={from.definition}
              after={to.definition}
              beforeLabel={`v${from.version}: ${from.name}`}
              afterLabel={`v${to.version}: ${to.name}`}
              testId="version-diff"
              same={`v${from.version} and v${to.version} route exactly the same way.`}
            />
          )
        ) : null}
      </>
    );
  }
  return (
    <div className="version-diff" data-testid="version-diff-panel">
      <h3>Compare versions</h3>
      {body}
    </div>
  );
}

/**
 * What this logic changes against the live one (`liveId`, another logic): loading, not loadable, or
 * the table. Shared by the approver's card (LiveLogicDiff) and the Activate confirmation.
 */
export function LiveDiffBody({ logic, liveId, testId, fetchLogic = getLogic }: { logic: Logic; liveId: string; testId: string; fetchLogic?: Fetch }) {
  const loaded = useApiQuery(queryKeys.priorityLogic.logic(liveId), () => fetchLogic(liveId));
  if (loaded.error) return <p className="muted small">The live logic could not be loaded.</p>;
  const live = loaded.data;
  if (!live) return <p className="muted small">Loading the live logic…</p>;
  return (
    <DiffTable
      before={live.definition}
      after={logic.definition}
      beforeLabel={`Live: ${live.name}`}
      afterLabel="This logic"
      testId={testId}
      same={`It routes exactly as the live logic “${live.name}”.`}
    />
  );
}

/** In the Activate (or staggered release) confirmation: what this logic changes against the live one. */
export function ActivateLiveDiff({ logic, liveId, fetchLogic = getLogic }: { logic: Logic; liveId: string | null; fetchLogic?: Fetch }) {
  if (!liveId)
    return (
      <p className="muted small" data-testid="activate-diff-none">
        No logic is live now: payments use the default ordering until this one is released.
      </p>
    );
  if (liveId === logic.id) return null;
  return (
    <div className="activate-diff" data-testid="activate-diff-panel">
      <h3 className="small">Changes against the live logic</h3>
      <LiveDiffBody logic={logic} liveId={liveId} testId="activate-diff" fetchLogic={fetchLogic} />
    </div>
  );
}
