// The release guard's periodic look (issue 17, item 2): every interval (default 30 s), each running
// guard of a staggered release is evaluated on the payments so far and acts on its verdict (roll
// back, promote, pass). The test is always valid, so looking often does not raise the false
// rollback rate; the interval only bounds how late a rollback comes. Safe on several instances:
// a guard's action takes the merchant's routing lock and checks that the guard still runs.
import { lookAtRunningGuards, type ReleaseGuardWorkerDeps } from '../core/priority-logic/release-guard-service.ts';
import { periodic } from './periodic.ts';

export function createReleaseGuardWorker(deps: ReleaseGuardWorkerDeps & { intervalMs?: number }) {
  const runOnce = () => lookAtRunningGuards(deps);
  const task = periodic(runOnce, deps.intervalMs ?? 30_000, (error) => deps.log?.('release guard pass failed', { error: error instanceof Error ? error.message : String(error) }));
  return { runOnce, start: task.start, stop: task.stop };
}

export type ReleaseGuardWorker = ReturnType<typeof createReleaseGuardWorker>;
