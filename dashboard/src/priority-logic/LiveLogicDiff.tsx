// "Changes against the live logic": what this logic would change if released in place of the
// logic now active (the approver's diff, and a last look before activating a copy).
import { useApiQuery } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { getLogic } from './api';
import { diffLogics, type DiffLine } from './logic-diff';
import type { Logic } from './types';

export function LiveLogicDiff({ logic, liveId }: { logic: Logic; liveId: string | null }) {
  const other = liveId !== null && liveId !== logic.id;
  const loaded = useApiQuery(queryKeys.priorityLogic.logic(liveId ?? ''), (signal) => getLogic(liveId ?? '', signal), { enabled: other });
  const live: Logic | null | 'failed' = loaded.error ? 'failed' : loaded.data;
  if (!liveId || liveId === logic.id) return null;
  let body;
  if (live === null) body = <p className="muted small">Loading the live logic…</p>;
  else if (live === 'failed') body = <p className="muted small">The live logic could not be loaded.</p>;
  else {
    const lines: DiffLine[] = diffLogics(live.definition, logic.definition);
    body = lines.length === 0 ? (
      <p data-testid="live-diff-same">It routes exactly as the live logic “{live.name}”.</p>
    ) : (
      <div className="table-scroll">
        <table className="table" data-testid="live-diff">
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">Live: {live.name}</th>
              <th scope="col">This logic</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.label}>
                <th scope="row">{l.label}</th>
                <td>{l.before ?? <span className="muted">(none)</span>}</td>
                <td>{l.after ?? <span className="muted">(none)</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  return (
    <section className="card" aria-labelledby="live-diff-title">
      <h2 id="live-diff-title">Changes against the live logic</h2>
      {body}
    </section>
  );
}
