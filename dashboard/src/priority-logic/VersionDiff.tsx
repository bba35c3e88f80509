// Comparing versions of a logic. A logic's lineage is the chain of copies it belongs to: the
// versions it was copied from (copied_from, up to version 1) and the copies made from it or its
// copies (the COPY entries of the merchant's History). "Compare versions" in a logic's History
// picks any two of them and shows what differs (rules, gateways, splits, enforce, ranking, and the
// code line by line); the Activate and staggered-release confirmations show what the logic changes
// against the live one. The words come from logic-diff.ts, as in LiveLogicDiff (the approver's view).
import { useEffect, useId, useMemo, useState } from 'react';
import { useApiQuery } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { api } from '../api/client';
import { getLogic, type AuditEntry } from './api';
import { codeLineDiff, diffHunks, diffLogics } from './logic-diff';
import type { Logic, LogicDefinition } from './types';

/** How far the lineage is followed each way (a chain of copies is short; this only bounds a loop). */
const MAX_LINEAGE = 50;

type Fetch = (id: string) => Promise<Logic>;
type MerchantAudit = () => Promise<readonly AuditEntry[]>;

/** The merchant's History (its newest 1,000 entries), where each copy's COPY entry names its source. */
const merchantAudit: MerchantAudit = async () => (await api<{ entries: AuditEntry[] }>('/v1/priority-logics/audit', { query: { limit: 1000 } })).entries;

/**
 * The logics of `logic`'s lineage, oldest version first: its sources (walking copied_from; a deleted
 * source ends the walk) and every copy descending from any of them that the History records.
 */
export async function loadLineage(logic: Logic, fetchLogic: Fetch = getLogic, history: MerchantAudit = merchantAudit): Promise<Logic[]> {
  const found = new Map<string, Logic>([[logic.id, logic]]);
  let cursor: Logic = logic;
  while (cursor.copied_from && !found.has(cursor.copied_from) && found.size < MAX_LINEAGE) {
    let source: Logic;
    try {
      source = await fetchLogic(cursor.copied_from);
    } catch {
      break;
    }
    found.set(source.id, source);
    cursor = source;
  }
  let entries: readonly AuditEntry[] = [];
  try {
    entries = await history();
  } catch {
    // Without the History the sources alone are compared.
  }
  // Copies: a COPY entry names its source in after.copied_from; follow them until nothing new.
  const copies = entries.filter((e) => e.action === 'COPY' && e.logic_id && typeof e.after?.['copied_from'] === 'string');
  let grew = true;
  while (grew && found.size < MAX_LINEAGE) {
    grew = false;
    for (const e of copies) {
      if (found.has(e.logic_id!) || !found.has(e.after!['copied_from'] as string)) continue;
      try {
        found.set(e.logic_id!, await fetchLogic(e.logic_id!));
        grew = true;
      } catch {
        // deleted since
      }
      if (found.size >= MAX_LINEAGE) break;
    }
  }
  return [...found.values()].sort((a, b) => a.version - b.version || a.created.localeCompare(b.created));
}

export const versionLabel = (l: Logic, current?: string): string => `v${l.version} · ${l.name} (${l.status_label || l.status})${l.id === current ? ' · this logic' : ''}`;

/** The differences between two definitions as a table, and the code line by line. */
export function DiffTable({ before, after, beforeLabel, afterLabel, testId, same }: { before: LogicDefinition; after: LogicDefinition; beforeLabel: string; afterLabel: string; testId: string; same: string }) {
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
                <li key={i} className="code-diff-gap">
                  <span aria-hidden="true">⋯</span>
                  <span className="sr-only">unchanged lines</span>
                </li>
              ) : (
                <li key={i} className={`code-diff-line ${l.kind}`}>
                  <span className="code-diff-num" aria-hidden="true">{l.before ?? ''}</span>
                  <span className="code-diff-num" aria-hidden="true">{l.after ?? ''}</span>
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

/**
 * "Compare versions" in a logic's History: any two versions of its lineage. The lineage is loaded
 * when asked for (it reads the merchant's History), not with every logic page.
 */
export function VersionDiff({ logic, fetchLogic = getLogic, history = merchantAudit }: { logic: Logic; fetchLogic?: Fetch; history?: MerchantAudit }) {
  const [open, setOpen] = useState(false);
  const [fromId, setFromId] = useState('');
  const [toId, setToId] = useState('');
  const fromField = useId();
  const toField = useId();
  // Through the data layer, loaded when asked for; again for another logic or a new row version.
  const loaded = useApiQuery(queryKeys.priorityLogic.lineage(logic.id, logic.row_version), () => loadLineage(logic, fetchLogic, history), { enabled: open });
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
  else if (lineage.length < 2) body = <p className="muted small" data-testid="version-diff-single">This is the only version of this logic. Copy it to edit, and the copies can be compared here.</p>;
  else {
    const from = lineage.find((l) => l.id === fromId);
    const to = lineage.find((l) => l.id === toId);
    body = (
      <>
        <div className="toolbar">
          <div className="field">
            <label htmlFor={fromField}>Compare version</label>
            <select id={fromField} value={fromId} onChange={(e) => setFromId(e.target.value)}>
              {lineage.map((l) => (
                <option key={l.id} value={l.id}>
                  {versionLabel(l, logic.id)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={toField}>with version</label>
            <select id={toField} value={toId} onChange={(e) => setToId(e.target.value)}>
              {lineage.map((l) => (
                <option key={l.id} value={l.id}>
                  {versionLabel(l, logic.id)}
                </option>
              ))}
            </select>
          </div>
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

/** In the Activate (or staggered release) confirmation: what this logic changes against the live one. */
export function ActivateLiveDiff({ logic, liveId, fetchLogic = getLogic }: { logic: Logic; liveId: string | null; fetchLogic?: Fetch }) {
  const other = liveId !== null && liveId !== logic.id;
  const loaded = useApiQuery(queryKeys.priorityLogic.logic(liveId ?? ''), () => fetchLogic(liveId ?? ''), { enabled: other });
  const live: Logic | 'failed' | null = loaded.error ? 'failed' : loaded.data;
  if (!liveId) return <p className="muted small" data-testid="activate-diff-none">No logic is live now: payments use the default ordering until this one is released.</p>;
  if (liveId === logic.id) return null;
  return (
    <div className="activate-diff" data-testid="activate-diff-panel">
      <h3 className="small">Changes against the live logic</h3>
      {live === null ? (
        <p className="muted small">Loading the live logic…</p>
      ) : live === 'failed' ? (
        <p className="muted small">The live logic could not be loaded.</p>
      ) : (
        <DiffTable
          before={live.definition}
          after={logic.definition}
          beforeLabel={`Live: ${live.name}`}
          afterLabel="This logic"
          testId="activate-diff"
          same={`It routes exactly as the live logic “${live.name}”.`}
        />
      )}
    </div>
  );
}
