// "Changes against the live logic": what this logic would change if released in place of the
// logic now active (the approver's diff; a code change is shown line by line). The table is
// VersionDiff's DiffTable, as in History's Compare versions and the Activate confirmation.
import { useEffect, useState } from 'react';
import { getLogic } from './api';
import type { Logic } from './types';
import { DiffTable } from './VersionDiff';

export function LiveLogicDiff({ logic, liveId }: { logic: Logic; liveId: string | null }) {
  const [live, setLive] = useState<Logic | null | 'failed'>(null);
  useEffect(() => {
    if (!liveId || liveId === logic.id) return;
    let current = true;
    setLive(null);
    getLogic(liveId).then(
      (l) => current && setLive(l),
      () => current && setLive('failed'),
    );
    return () => {
      current = false;
    };
  }, [liveId, logic.id]);
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
