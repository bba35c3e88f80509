// The service's sandbox: merchant code compiled and evaluated in a pool of worker threads, each
// hosting a QuickJS evaluator, so that no merchant's code ever runs on the event loop that serves
// HTTP and the database. See README.md ("The worker pool") for the argument; in short:
//  - deadline: QuickJS's interrupt stops ordinary overruns in the worker at `deadlineMs`; what it
//    cannot stop (a catch-and-retry recursion, an allocation storm) is stopped from outside: after
//    `hardTimeoutMs` of wall-clock the worker is terminated and a warm spare takes its place;
//  - memory and stack: QuickJS's own limits per evaluation, the worker's V8 heap and stack limits,
//    and a cap on each worker's WebAssembly heap;
//  - fair share: each tenant (merchant) has its own bounded queue, and holds at most `maxShare`
//    workers at once, so another merchant's decision never waits behind it; tenants with work are
//    served round-robin, and within a tenant live payments go before dry runs and checks;
//  - a host-level fault (compile overflowing the host stack, a dead worker) costs that evaluation
//    and that worker only: the next evaluation starts in a clean worker;
//  - a merchant whose code had to be killed gets failures at once until the pool has replaced the
//    worker (so it never has two workers down, and others always find a ready one), and the lane
//    it was killed in (payments, or dry runs and checks) stays suspended for a growing time
//    (100 ms doubling to 5 s, back to 100 ms after 10 s without a kill), so hostile code cannot
//    keep the pool busy restarting workers.
// Every failure is an ordinary CodeEvaluationResult: the routing engine falls back to the logic's
// default gateways and the trace says why.
//
// The parts: pool-scheduler.ts (worker lifecycle and dispatch), tenant-queues.ts (per-merchant
// queueing, fair share and suspension), pool-backstop.ts (the hard deadline), pool-worker.ts
// (starting a worker thread), evaluator-worker.ts (the worker's side).

import type { AsyncCodeEvaluator, AsyncCompiledCode, CodeCheckResult, CodeEvaluationResult, EvaluationOwner } from '../routing/kinds/code-evaluator.ts';
import type { QuickJsEvaluatorOptions } from './quickjs-evaluator.ts';
import { PoolScheduler } from './pool-scheduler.ts';

export interface EvaluatorPoolOptions extends Omit<QuickJsEvaluatorOptions, 'cpuClock'> {
  /** Workers serving evaluations. Default 2. */
  workers?: number;
  /** Started workers kept idle to replace a killed one at once. Default 1. */
  spares?: number;
  /** Wall-clock limit of one evaluation in a worker before it is terminated. Default 3 × deadlineMs (min deadlineMs + 100). */
  hardTimeoutMs?: number;
  /** Wall-clock limit of a compile (building a realm runs our prelude). Default 3,000 ms. */
  compileTimeoutMs?: number;
  /** Workers one tenant may hold at once. Default half the pool (at least 1). */
  maxShare?: number;
  /** Queued evaluations per tenant and lane; more fail at once. Default 32. */
  queueLimit?: number;
  /** Longest wait in the queue before an evaluation fails. Default 1,000 ms. */
  maxWaitMs?: number;
  /** First suspension of a lane after a kill, doubling per kill up to suspendMaxMs. Default 100 ms. */
  suspendMs?: number;
  /** Default 5,000 ms. */
  suspendMaxMs?: number;
  /** V8 heap limit of each worker (MiB). Default 64. */
  workerHeapMb?: number;
  /** V8 stack of each worker (MiB). Default 4. */
  workerStackMb?: number;
  /**
   * Nice value of the worker threads (Linux: per thread); null (default) leaves them at the process's.
   * Measured: nice 10 added about 2 ms to a payment decided by a trivial code logic on a busy
   * 2-core machine (the worker waits for a CPU behind the request threads) and did not measurably
   * improve the fair-share figures, which the share limit and the kill-and-suspend already give.
   */
  niceness?: number | null;
}

export interface EvaluatorPoolStats {
  workers: number;
  /** Workers started and ready to evaluate. */
  ready: number;
  busy: number;
  spares: number;
  queued: number;
  /** Evaluations per tenant currently running. */
  running: Record<string, number>;
  /** Workers terminated for overrunning the hard timeout. */
  kills: number;
  /** Workers replaced after a host-level fault or an unexpected exit. */
  replaced: number;
  /** Evaluations refused because the tenant's queue was full, its wait too long, or its lane suspended. */
  rejected: number;
  completed: number;
  /** Largest number of workers one tenant held at once since start. */
  maxHeldByOneTenant: number;
}

export interface EvaluatorPool extends AsyncCodeEvaluator {
  stats(): EvaluatorPoolStats;
  /** Starts the workers now rather than at the first evaluation (the service does, at start). */
  warm(): void;
  /** Stops every worker; pending and later evaluations fail. */
  close(): Promise<void>;
}

export function createEvaluatorPool(options: EvaluatorPoolOptions = {}): EvaluatorPool {
  const {
    workers: workerCount = 2,
    spares: spareCount = 1,
    compileTimeoutMs = 3_000,
    queueLimit = 32,
    maxWaitMs = 1_000,
    suspendMs = 100,
    suspendMaxMs = 5_000,
    workerHeapMb = 64,
    workerStackMb = 4,
    niceness = null,
    ...rest
  } = options;
  const deadlineMs = rest.deadlineMs ?? 50;
  const hardTimeoutMs = options.hardTimeoutMs ?? Math.max(3 * deadlineMs, deadlineMs + 100);
  const maxShare = options.maxShare ?? Math.max(1, Math.floor(workerCount / 2));
  const evaluatorOptions: QuickJsEvaluatorOptions = { heapBytes: 96 * 1024 * 1024, ...rest };
  const maxCodeBytes = evaluatorOptions.maxCodeBytes ?? 64 * 1024;
  if (!(workerCount >= 1) || !(maxShare >= 1) || !(queueLimit >= 1)) throw new RangeError('workers, maxShare and queueLimit must be at least 1');
  const scheduler = new PoolScheduler({
    workerCount,
    spareCount,
    deadlineMs,
    hardTimeoutMs,
    compileTimeoutMs,
    maxShare,
    queueLimit,
    maxWaitMs,
    suspendMs,
    suspendMaxMs,
    evaluatorOptions,
    niceness,
    workerHeapMb,
    workerStackMb,
  });

  return {
    check(source: string, owner: EvaluationOwner): Promise<CodeCheckResult> {
      if (typeof source !== 'string' || source.trim() === '') return Promise.resolve({ ok: false, reason: 'COMPILATION_ERROR', message: 'Please provide Code field' });
      const bytes = Buffer.byteLength(source, 'utf8');
      if (bytes > maxCodeBytes) return Promise.resolve({ ok: false, reason: 'CODE_TOO_LARGE', message: `code is ${bytes} bytes; the limit is ${maxCodeBytes}` });
      return new Promise((resolve) => scheduler.enqueue({ kind: 'check', source, owner, resolve, queuedAt: performance.now() }));
    },
    load(source: string): AsyncCompiledCode {
      const programId = scheduler.addProgram(source);
      return {
        evaluate(input, owner) {
          return new Promise<CodeEvaluationResult>((resolve) => scheduler.enqueue({ kind: 'run', programId, input, owner, queuedAt: performance.now(), resolve }));
        },
        dispose() {
          scheduler.disposeProgram(programId);
        },
      };
    },
    warm(): void {
      scheduler.start();
    },
    stats(): EvaluatorPoolStats {
      return scheduler.stats();
    },
    close(): Promise<void> {
      return scheduler.close();
    },
  };
}
