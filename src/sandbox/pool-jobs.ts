// What the evaluator pool queues and hands to a worker, and how a job is answered when it
// fails before or instead of its worker's answer.

import type { CodeCheckResult, CodeEvaluationInput, CodeEvaluationResult, EvaluationOwner } from '../routing/kinds/code-evaluator.ts';

export type Job =
  | { kind: 'run'; programId: number; input: CodeEvaluationInput; owner: EvaluationOwner; resolve: (r: CodeEvaluationResult) => void; queuedAt: number }
  | { kind: 'check'; source: string; owner: EvaluationOwner; resolve: (r: CodeCheckResult) => void; queuedAt: number };

/** The pool's counters, reported by stats(). */
export interface PoolCounters {
  kills: number;
  replaced: number;
  rejected: number;
  completed: number;
  maxHeldByOneTenant: number;
}

export function fail(reason: 'PL_EVALUATION_FAILED' | 'MEMORY_EXCEEDED', message: string): CodeEvaluationResult {
  return { ok: false, reason, message };
}

/** Answers a job with a failure (or success) decided by the pool rather than by a worker. */
export function settle(job: Job, result: CodeEvaluationResult): void {
  if (job.kind === 'run') job.resolve(result);
  else job.resolve(result.ok ? { ok: true } : { ok: false, reason: 'COMPILATION_ERROR', message: result.message });
}
