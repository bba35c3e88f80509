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

import { Worker } from 'node:worker_threads';
import type {
  AsyncCodeEvaluator,
  AsyncCompiledCode,
  CodeCheckResult,
  CodeEvaluationInput,
  CodeEvaluationResult,
  EvaluationOwner,
} from '../routing/kinds/code-evaluator.ts';
import type { QuickJsEvaluatorOptions } from './quickjs-evaluator.ts';
import type { WorkerData, WorkerRequest, WorkerResponse } from './evaluator-worker.ts';
import { threadCpu } from './thread-cpu.ts';
import { workerEntry } from './worker-entry.ts';

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


type Job =
  | { kind: 'run'; programId: number; input: CodeEvaluationInput; owner: EvaluationOwner; resolve: (r: CodeEvaluationResult) => void; queuedAt: number }
  | { kind: 'check'; source: string; owner: EvaluationOwner; resolve: (r: CodeCheckResult) => void; queuedAt: number };

interface Slot {
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

interface Lane {
  suspendedUntil: number;
  nextSuspendMs: number;
  lastKillAt: number;
}

function fail(reason: 'PL_EVALUATION_FAILED' | 'MEMORY_EXCEEDED', message: string): CodeEvaluationResult {
  return { ok: false, reason, message };
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

  const sources = new Map<number, string>();
  let nextProgramId = 1;
  let nextRequestId = 1;
  let closed = false;
  const active: Slot[] = [];
  const spares: Slot[] = [];
  /** Per tenant: its queue (FIFO) and how many workers it holds. */
  const queues = new Map<string, Job[]>();
  const running = new Map<string, number>();
  /** Round-robin order of tenants with queued work. */
  const turn: string[] = [];
  const lanes = new Map<string, Lane>();
  /**
   * Tenants whose code was killed while the pool has not yet replaced the worker: they wait until
   * the pool is whole again, so one merchant can never have more than one worker down at a time
   * (and others always find a ready one).
   */
  const recovering = new Set<string>();
  const counters = { kills: 0, replaced: 0, rejected: 0, completed: 0, maxHeldByOneTenant: 0 };
  let waitTimer: NodeJS.Timeout | null = null;

  function spawn(): Slot {
    const entry = workerEntry();
    const data: WorkerData & { entry: string } = { options: evaluatorOptions, niceness, entry: entry.entry };
    const worker = new Worker(entry.bootstrap, {
      eval: true,
      workerData: data,
      resourceLimits: { maxOldGenerationSizeMb: workerHeapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: workerStackMb },
    });
    worker.unref();
    const slot: Slot = { worker, ready: false, job: null, compiled: new Set(), retired: false, statPath: null, cpuMs: undefined };
    worker.on('message', (message: WorkerResponse) => onMessage(slot, message));
    worker.on('error', (error: Error & { code?: string }) => {
      const memory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      retire(slot, memory ? fail('MEMORY_EXCEEDED', 'the sandbox worker ran out of memory') : fail('PL_EVALUATION_FAILED', `sandbox worker failed: ${error.message}`), 'replaced');
    });
    worker.on('exit', () => retire(slot, fail('PL_EVALUATION_FAILED', 'sandbox worker stopped'), 'replaced'));
    return slot;
  }

  /** Workers start with the first evaluation (most merchants never use code): until then none run. */
  let started = false;
  /** When a worker last became ready while none was: queue waits count from then, not from a cold start. */
  let readySince = Number.POSITIVE_INFINITY;

  function ensureWorkers(): void {
    if (closed || !started) return;
    while (active.length < workerCount) active.push(spares.shift() ?? spawn());
    while (spares.length < spareCount) spares.push(spawn());
  }

  function onMessage(slot: Slot, message: WorkerResponse): void {
    if (message.cpuMs !== undefined) slot.cpuMs = message.cpuMs;
    if (message.id === 0) {
      if (!active.some((s) => s.ready && !s.retired)) readySince = performance.now();
      slot.statPath = typeof message.result === 'string' ? message.result : null;
      slot.ready = true;
      if (recovering.size > 0 && [...active, ...spares].every((s) => s.ready) && spares.length >= spareCount) recovering.clear();
      pump();
      return;
    }
    const current = slot.job;
    if (current === null || current.id !== message.id) return;
    clearTimeout(current.timer);
    if (message.progress === 'compiled') {
      // Compiled: the evaluation itself gets the ordinary hard timeout from now.
      current.timer = startTimer(slot, current.job, hardTimeoutMs);
      return;
    }
    slot.job = null;
    release(current.job.owner.tenant);
    counters.completed++;
    const job = current.job;
    if (job.kind === 'run') {
      if (message.compiled === true) slot.compiled.add(job.programId);
      job.resolve(message.result as CodeEvaluationResult);
    } else {
      job.resolve(message.result as CodeCheckResult);
    }
    if (!message.healthy) retire(slot, null, 'replaced');
    else pump();
  }

  /** Takes a worker out of service (killed, faulted or exited); its job, if any, gets `outcome`. */
  function retire(slot: Slot, outcome: CodeEvaluationResult | null, count: 'kills' | 'replaced'): void {
    if (slot.retired) return;
    slot.retired = true;
    const current = slot.job;
    slot.job = null;
    if (current) {
      clearTimeout(current.timer);
      release(current.job.owner.tenant);
      settle(current.job, outcome ?? fail('PL_EVALUATION_FAILED', 'sandbox worker stopped'));
    }
    for (const list of [active, spares]) {
      const at = list.indexOf(slot);
      if (at >= 0) list.splice(at, 1);
    }
    if (!closed) counters[count]++;
    void slot.worker.terminate().catch(() => {});
    ensureWorkers();
    pump();
  }

  function settle(job: Job, result: CodeEvaluationResult): void {
    if (job.kind === 'run') job.resolve(result);
    else job.resolve(result.ok ? { ok: true } : { ok: false, reason: 'COMPILATION_ERROR', message: result.message });
  }

  function release(tenant: string): void {
    const n = (running.get(tenant) ?? 1) - 1;
    if (n <= 0) running.delete(tenant);
    else running.set(tenant, n);
  }

  function laneOf(owner: EvaluationOwner): Lane {
    const key = `${owner.tenant}\u0000${owner.lane}`;
    let lane = lanes.get(key);
    if (!lane) {
      lane = { suspendedUntil: 0, nextSuspendMs: suspendMs, lastKillAt: Number.NEGATIVE_INFINITY };
      lanes.set(key, lane);
    }
    return lane;
  }

  function enqueue(job: Job): void {
    const lane = laneOf(job.owner);
    const now = performance.now();
    if (closed) return settle(job, fail('PL_EVALUATION_FAILED', 'sandbox closed'));
    if (lane.suspendedUntil > now) {
      counters.rejected++;
      return settle(job, fail('PL_EVALUATION_FAILED', `sandbox suspended for ${Math.ceil(lane.suspendedUntil - now)} ms after this merchant's code overran its deadline`));
    }
    if (recovering.has(job.owner.tenant)) {
      counters.rejected++;
      return settle(job, fail('PL_EVALUATION_FAILED', "sandbox suspended while it replaces the worker this merchant's code overran"));
    }
    let queue = queues.get(job.owner.tenant);
    if (!queue) {
      queue = [];
      queues.set(job.owner.tenant, queue);
    }
    if (queue.reduce((n, queued) => n + (queued.owner.lane === job.owner.lane ? 1 : 0), 0) >= queueLimit) {
      counters.rejected++;
      return settle(job, fail('PL_EVALUATION_FAILED', `sandbox queue of this merchant is full (${queueLimit} waiting)`));
    }
    queue.push(job);
    if (!turn.includes(job.owner.tenant)) turn.push(job.owner.tenant);
    if (!started) {
      started = true;
      ensureWorkers();
    }
    pump();
  }

  /** Hands queued jobs to idle workers: tenants in turn, none above its share. */
  function pump(): void {
    expireWaits();
    for (;;) {
      const slot = active.find((s) => s.ready && s.job === null && !s.retired);
      if (!slot) break;
      const at = turn.findIndex((t) => (running.get(t) ?? 0) < maxShare);
      if (at < 0) break;
      const tenant = turn[at]!;
      const queue = queues.get(tenant)!;
      // A merchant's live payments go before its own editors' dry runs and checks.
      const paymentAt = queue.findIndex((queued) => queued.owner.lane === 'payment');
      const job = queue.splice(Math.max(0, paymentAt), 1)[0]!;
      turn.splice(at, 1);
      if (queue.length > 0) turn.push(tenant);
      else queues.delete(tenant);
      dispatch(slot, job);
    }
    scheduleWaitCheck();
  }

  function dispatch(slot: Slot, job: Job): void {
    const id = nextRequestId++;
    const held = (running.get(job.owner.tenant) ?? 0) + 1;
    running.set(job.owner.tenant, held);
    counters.maxHeldByOneTenant = Math.max(counters.maxHeldByOneTenant, held);
    let request: WorkerRequest;
    let limit: number;
    if (job.kind === 'run') {
      const source = sources.get(job.programId);
      if (source === undefined) {
        release(job.owner.tenant);
        return settle(job, fail('PL_EVALUATION_FAILED', 'program disposed'));
      }
      const compiling = !slot.compiled.has(job.programId);
      request = { id, op: 'run', programId: job.programId, input: job.input, ...(compiling ? { source } : {}) };
      limit = compiling ? compileTimeoutMs : hardTimeoutMs;
    } else {
      request = { id, op: 'check', source: job.source };
      limit = compileTimeoutMs;
    }
    slot.job = { job, timer: startTimer(slot, job, limit), id };
    slot.worker.postMessage(request);
  }

  /**
   * The hard deadline counts the worker's CPU time where the platform tells it (Linux): a worker
   * that only waited for a CPU on a busy machine gets more wall-clock time, up to 10 times the
   * limit; one that burned the limit in CPU is killed. Elsewhere it counts wall-clock time.
   */
  function startTimer(slot: Slot, job: Job, limit: number, startedAt = performance.now()): NodeJS.Timeout {
    const cpuAtStart = slot.cpuMs;
    const check = (after: number): NodeJS.Timeout => setTimeout(() => {
      if (slot.job?.job !== job) return;
      const cpuNow = threadCpu(slot.statPath);
      if (cpuAtStart !== undefined && cpuNow !== undefined) {
        const spent = cpuNow - cpuAtStart;
        if (spent < limit && performance.now() - startedAt < 10 * limit) {
          slot.job.timer = check(Math.max(10, limit - spent));
          return;
        }
      }
      kill(slot, job, limit);
    }, after);
    return check(limit);
  }

  /** The interrupt handler did not stop it: kill the thread, suspend the lane. */
  function kill(slot: Slot, job: Job, limit: number): void {
    const lane = laneOf(job.owner);
    const now = performance.now();
    // The suspension grows with each kill, and starts small again only after a quiet spell.
    if (now - lane.lastKillAt > 2 * suspendMaxMs) lane.nextSuspendMs = suspendMs;
    lane.lastKillAt = now;
    lane.suspendedUntil = now + lane.nextSuspendMs;
    lane.nextSuspendMs = Math.min(lane.nextSuspendMs * 2, suspendMaxMs);
    recovering.add(job.owner.tenant);
    const queued = queues.get(job.owner.tenant) ?? [];
    queues.delete(job.owner.tenant);
    const at = turn.indexOf(job.owner.tenant);
    if (at >= 0) turn.splice(at, 1);
    for (const waiting of queued) {
      counters.rejected++;
      settle(waiting, fail('PL_EVALUATION_FAILED', "sandbox suspended while it replaces the worker this merchant's code overran"));
    }
    const what = job.kind === 'run' ? `CPU deadline of ${deadlineMs} ms exceeded` : 'compile took too long';
    retire(slot, fail('PL_EVALUATION_FAILED', `${what}: the sandbox worker was stopped after ${limit} ms`), 'kills');
  }

  /** Fails queued jobs that waited longer than maxWaitMs. */
  function expireWaits(): void {
    const now = performance.now();
    // Waiting for workers to start is not the tenant's wait.
    if (!active.some((s) => s.ready && !s.retired)) return;
    for (const [tenant, queue] of queues) {
      while (queue.length > 0 && now - Math.max(queue[0]!.queuedAt, readySince) > maxWaitMs) {
        counters.rejected++;
        settle(queue.shift()!, fail('PL_EVALUATION_FAILED', `waited over ${maxWaitMs} ms for the sandbox`));
      }
      if (queue.length === 0) {
        queues.delete(tenant);
        const at = turn.indexOf(tenant);
        if (at >= 0) turn.splice(at, 1);
      }
    }
  }

  function scheduleWaitCheck(): void {
    if (waitTimer !== null || queues.size === 0 || closed) return;
    waitTimer = setTimeout(() => {
      waitTimer = null;
      pump();
    }, Math.max(10, Math.ceil(maxWaitMs / 4)));
    waitTimer.unref();
  }

  return {
    check(source: string, owner: EvaluationOwner): Promise<CodeCheckResult> {
      if (typeof source !== 'string' || source.trim() === '') return Promise.resolve({ ok: false, reason: 'COMPILATION_ERROR', message: 'Please provide Code field' });
      const bytes = Buffer.byteLength(source, 'utf8');
      if (bytes > maxCodeBytes) return Promise.resolve({ ok: false, reason: 'CODE_TOO_LARGE', message: `code is ${bytes} bytes; the limit is ${maxCodeBytes}` });
      return new Promise((resolve) => enqueue({ kind: 'check', source, owner, resolve, queuedAt: performance.now() }));
    },
    load(source: string): AsyncCompiledCode {
      const programId = nextProgramId++;
      sources.set(programId, source);
      return {
        evaluate(input, owner) {
          return new Promise<CodeEvaluationResult>((resolve) =>
            enqueue({ kind: 'run', programId, input, owner, queuedAt: performance.now(), resolve }),
          );
        },
        dispose() {
          if (!sources.delete(programId)) return;
          for (const slot of [...active, ...spares]) {
            if (slot.compiled.delete(programId)) slot.worker.postMessage({ op: 'dispose', programId } satisfies WorkerRequest);
          }
        },
      };
    },
    warm(): void {
      started = true;
      ensureWorkers();
    },
    stats(): EvaluatorPoolStats {
      let queued = 0;
      for (const q of queues.values()) queued += q.length;
      return {
        workers: active.length,
        ready: active.filter((s) => s.ready && !s.retired).length,
        busy: active.filter((s) => s.job !== null).length,
        spares: spares.length,
        queued,
        running: Object.fromEntries(running),
        ...counters,
      };
    },
    async close(): Promise<void> {
      closed = true;
      if (waitTimer) clearTimeout(waitTimer);
      for (const queue of queues.values()) for (const job of queue) settle(job, fail('PL_EVALUATION_FAILED', 'sandbox closed'));
      queues.clear();
      turn.length = 0;
      const all = [...active, ...spares];
      active.length = 0;
      spares.length = 0;
      await Promise.all(
        all.map((slot) => {
          slot.retired = true;
          if (slot.job) {
            clearTimeout(slot.job.timer);
            settle(slot.job.job, fail('PL_EVALUATION_FAILED', 'sandbox closed'));
            slot.job = null;
          }
          return slot.worker.terminate().catch(() => 0);
        }),
      );
    },
  };
}
