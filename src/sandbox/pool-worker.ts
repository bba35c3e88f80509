// Starting one worker thread of the evaluator pool: a QuickJS evaluator in a thread with its own
// V8 heap and stack limits, whose answers, errors and exit are handed to the pool.

import { Worker } from 'node:worker_threads';
import type { CodeEvaluationResult } from '../routing/kinds/code-evaluator.ts';
import type { QuickJsEvaluatorOptions } from './quickjs-evaluator.ts';
import type { WorkerData, WorkerResponse } from './evaluator-worker.ts';
import { fail, type Job } from './pool-jobs.ts';
import { workerEntry } from './worker-entry.ts';

export interface Slot {
  worker: Worker;
  ready: boolean;
  /** The job running in it, with its timer. */
  job: { job: Job; timer: NodeJS.Timeout; id: number } | null;
  /** Programs compiled in this worker. */
  compiled: Set<number>;
  retired: boolean;
  /** The worker thread's /proc stat file (Linux), and its CPU time at its last answer. */
  statPath: string | null;
  cpuMs: number | undefined;
}

export interface WorkerLimits {
  evaluatorOptions: QuickJsEvaluatorOptions;
  niceness: number | null;
  workerHeapMb: number;
  workerStackMb: number;
}

export interface SlotEvents {
  message(slot: Slot, message: WorkerResponse): void;
  /** The worker failed or exited; its job, if any, gets `outcome`. */
  failed(slot: Slot, outcome: CodeEvaluationResult): void;
}

export function spawnSlot(limits: WorkerLimits, events: SlotEvents): Slot {
  const entry = workerEntry();
  const data: WorkerData & { entry: string } = { options: limits.evaluatorOptions, niceness: limits.niceness, entry: entry.entry };
  const worker = new Worker(entry.bootstrap, {
    eval: true,
    workerData: data,
    resourceLimits: { maxOldGenerationSizeMb: limits.workerHeapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: limits.workerStackMb },
  });
  worker.unref();
  const slot: Slot = { worker, ready: false, job: null, compiled: new Set(), retired: false, statPath: null, cpuMs: undefined };
  worker.on('message', (message: WorkerResponse) => events.message(slot, message));
  worker.on('error', (error: Error & { code?: string }) => {
    const memory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
    events.failed(slot, memory ? fail('MEMORY_EXCEEDED', 'the sandbox worker ran out of memory') : fail('PL_EVALUATION_FAILED', `sandbox worker failed: ${error.message}`));
  });
  worker.on('exit', () => events.failed(slot, fail('PL_EVALUATION_FAILED', 'sandbox worker stopped')));
  return slot;
}
