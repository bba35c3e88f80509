// Keeps the dashboard's analytics rollup (analytics_hourly, analytics_daily) current: every
// interval it rebuilds the (merchant, hour) rows touched since its watermark and the hours that
// have closed since the last run, in one database transaction per run. Runs never overlap in
// this process; across instances the rollup's state row makes them take turns.
import type { RollupOptions, RollupResult } from '../core/analytics/types.ts';
import { periodic } from './periodic.ts';

export interface AnalyticsRollupDeps {
  rollup(options: RollupOptions): Promise<RollupResult>;
  intervalMs?: number;
  /** Updates younger than this wait for the next run (transactions that may still be committing). */
  lagMs?: number;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

export const DEFAULT_ROLLUP_INTERVAL_MS = 15_000;
export const DEFAULT_ROLLUP_LAG_MS = 10_000;

export function createAnalyticsRollupWorker(deps: AnalyticsRollupDeps) {
  const intervalMs = deps.intervalMs ?? DEFAULT_ROLLUP_INTERVAL_MS;
  const lagMs = deps.lagMs ?? DEFAULT_ROLLUP_LAG_MS;
  let queue: Promise<unknown> = Promise.resolve();

  /** Serialises runs: a manual run waits for the scheduled one and the other way round. */
  function serial(options: RollupOptions): Promise<RollupResult> {
    const run = queue.then(() => deps.rollup(options));
    queue = run.catch(() => undefined);
    return run;
  }

  const task = periodic(
    () => serial({ lagMs }),
    intervalMs,
    (error) => deps.log?.('analytics rollup failed', { error: error instanceof Error ? error.message : String(error) }),
  );

  return {
    /** Rolls up what changed since the last run (the first run rebuilds everything). */
    runOnce: (options: Partial<RollupOptions> = {}): Promise<RollupResult> => serial({ lagMs, ...options }),
    /** Rebuilds every closed hour and day from the transactions. */
    backfill: (options: Partial<RollupOptions> = {}): Promise<RollupResult> => serial({ lagMs, ...options, full: true }),
    start: task.start,
    async stop(): Promise<void> {
      await task.stop();
      await queue; // a manual run under way
    },
  };
}

export type AnalyticsRollupWorker = ReturnType<typeof createAnalyticsRollupWorker>;
