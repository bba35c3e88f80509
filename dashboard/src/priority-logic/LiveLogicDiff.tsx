// "Changes against the live logic": what this logic would change if released in place of the
// logic now active (the approver's diff; a code change is shown line by line). The table is
// VersionDiff's DiffTable, as in History's Compare versions and the Activate confirmation.
import { useApiQuery } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { getLogic } from './api';
import type { Logic } from './types';
import { DiffTable } from './VersionDiff';

export function LiveLogicDiff({ logic, liveId }: { logic: Logic; liveId: string | null }) {
  const other = liveId !== null && liveId !== logic.id;
  const loaded = useApiQuery(queryKeys.priorityLogic.logic(liveId ?? ''), (signal) => getLogic(liveId ?? '', signal), { enabled: other });
  const live: Logic | null | 'failed' = loaded.error ? 'failed' : loaded.data;
  if (!liveId || liveId === logic.id) return null;
  let body;
  if (live === null) body = <p className="muted small">Loading the live logic…</p>;
  else if (live === 'failed') body = <p className="muted small">The live logic could not be loaded.</p>;
  else
    body = (
      <DiffTable
        before={live.definition}
        after={logic.definition}
        beforeLabel={`Live: ${live.name}`}
        afterLabel="This logic"
        testId="live-diff"
        same={`It routes exactly as the live logic “${live.name}”.`}
      />
    );
  return (
    <section className="card" aria-labelledby="live-diff-title">
      <h2 id="live-diff-title">Changes against the live logic</h2>
      {body}
    </section>
  );
}
