// The evaluator pool's hard deadline, the backstop behind QuickJS's own interrupt: a job that
// overruns it has its worker killed (PoolScheduler.kill).

import type { Job } from './pool-jobs.ts';
import type { Slot } from './pool-worker.ts';
import { threadCpu } from './thread-cpu.ts';

/**
 * The hard deadline counts the worker's CPU time where the platform tells it (Linux): a worker
 * that only waited for a CPU on a busy machine gets more wall-clock time, up to 10 times the
 * limit; one that burned the limit in CPU is killed. Elsewhere it counts wall-clock time.
 */
export function startBackstop(slot: Slot, job: Job, limit: number, overran: () => void, startedAt = performance.now()): NodeJS.Timeout {
  const cpuAtStart = slot.cpuMs;
  const check = (after: number): NodeJS.Timeout =>
    setTimeout(() => {
      if (slot.job?.job !== job) return;
      const cpuNow = threadCpu(slot.statPath);
      if (cpuAtStart !== undefined && cpuNow !== undefined) {
        const spent = cpuNow - cpuAtStart;
        if (spent < limit && performance.now() - startedAt < 10 * limit) {
          slot.job.timer = check(Math.max(10, limit - spent));
          return;
        }
      }
      overran();
    }, after);
  return check(limit);
}
