// "Changes against the live logic": what this logic would change if released in place of the
// logic now active (the approver's diff; a code change is shown line by line). The body is
// VersionDiff's LiveDiffBody, as in the Activate confirmation.
import type { Logic } from './types';
import { LiveDiffBody } from './VersionDiff';

export function LiveLogicDiff({ logic, liveId }: { logic: Logic; liveId: string | null }) {
  if (!liveId || liveId === logic.id) return null;
  return (
    <section className="card" aria-labelledby="live-diff-title">
      <h2 id="live-diff-title">Changes against the live logic</h2>
      <LiveDiffBody logic={logic} liveId={liveId} testId="live-diff" />
    </section>
  );
}
