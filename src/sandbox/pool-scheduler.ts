// The evaluator pool's scheduler: keeps the workers (active ones and warm spares) started,
// hands queued jobs to idle workers in fair-share order (tenant-queues.ts), reads their answers,
// and takes a worker out of service when it is killed, faults or exits.

import type { CodeCheckResult, CodeEvaluationResult } from '../routing/kinds/code-evaluator.ts';
import type { WorkerRequest, WorkerResponse } from './evaluator-worker.ts';
import type { EvaluatorPoolStats } from './evaluator-pool.ts';
import { startBackstop } from './pool-backstop.ts';
import { fail, settle, type Job, type PoolCounters } from './pool-jobs.ts';
import { spawnSlot, type Slot, type SlotEvents, type WorkerLimits } from './pool-worker.ts';
import { TenantQueues, type FairShareLimits } from './tenant-queues.ts';

export interface SchedulerConfig extends WorkerLimits, FairShareLimits {
  workerCount: number;
  spareCount: number;
  deadlineMs: number;
  hardTimeoutMs: number;
  compileTimeoutMs: number;
}

export class PoolScheduler {
  private readonly counters: PoolCounters = { kills: 0, replaced: 0, rejected: 0, completed: 0, maxHeldByOneTenant: 0 };
  private readonly queues: TenantQueues;
  /** Sources of the loaded programs, by program id. */
  private readonly sources = new Map<number, string>();
  private readonly active: Slot[] = [];
  private readonly spares: Slot[] = [];
  private readonly events: SlotEvents = {
    message: (slot, message) => this.onMessage(slot, message),
    failed: (slot, outcome) => this.retire(slot, outcome, 'replaced'),
  };
  private nextProgramId = 1;
  private nextRequestId = 1;
  private closed = false;
  /** Workers start with the first evaluation (most merchants never use code): until then none run. */
  private started = false;
  /** When a worker last became ready while none was: queue waits count from then, not from a cold start. */
  private readySince = Number.POSITIVE_INFINITY;
  private waitTimer: NodeJS.Timeout | null = null;

  constructor(private readonly config: SchedulerConfig) {
    this.queues = new TenantQueues(config, this.counters);
  }

  /** Starts the workers now rather than at the first evaluation. */
  start(): void {
    this.started = true;
    this.ensureWorkers();
  }

  addProgram(source: string): number {
    const programId = this.nextProgramId++;
    this.sources.set(programId, source);
    return programId;
  }

  disposeProgram(programId: number): void {
    if (!this.sources.delete(programId)) return;
    for (const slot of [...this.active, ...this.spares]) {
      if (slot.compiled.delete(programId)) slot.worker.postMessage({ op: 'dispose', programId } satisfies WorkerRequest);
    }
  }

  enqueue(job: Job): void {
    if (this.closed) return settle(job, fail('PL_EVALUATION_FAILED', 'sandbox closed'));
    if (!this.queues.admit(job)) return;
    if (!this.started) this.start();
    this.pump();
  }

  stats(): EvaluatorPoolStats {
    const { active } = this;
    return {
      workers: active.length,
      ready: active.filter((s) => s.ready && !s.retired).length,
      busy: active.filter((s) => s.job !== null).length,
      spares: this.spares.length,
      queued: this.queues.queuedCount(),
      running: this.queues.running(),
      ...this.counters,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.queues.drain('sandbox closed');
    const all = [...this.active, ...this.spares];
    this.active.length = 0;
    this.spares.length = 0;
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
  }

  private ensureWorkers(): void {
    if (this.closed || !this.started) return;
    const { workerCount, spareCount } = this.config;
    while (this.active.length < workerCount) this.active.push(this.spares.shift() ?? spawnSlot(this.config, this.events));
    while (this.spares.length < spareCount) this.spares.push(spawnSlot(this.config, this.events));
  }

  private onMessage(slot: Slot, message: WorkerResponse): void {
    if (message.cpuMs !== undefined) slot.cpuMs = message.cpuMs;
    if (message.id === 0) return this.onReady(slot, message);
    const current = slot.job;
    if (current === null || current.id !== message.id) return;
    clearTimeout(current.timer);
    if (message.progress === 'compiled') {
      // Compiled: the evaluation itself gets the ordinary hard timeout from now.
      current.timer = this.startTimer(slot, current.job, this.config.hardTimeoutMs);
      return;
    }
    slot.job = null;
    this.queues.release(current.job.owner.tenant);
    this.counters.completed++;
    const job = current.job;
    if (job.kind === 'run') {
      if (message.compiled === true) slot.compiled.add(job.programId);
      job.resolve(message.result as CodeEvaluationResult);
    } else {
      job.resolve(message.result as CodeCheckResult);
    }
    if (!message.healthy) this.retire(slot, null, 'replaced');
    else this.pump();
  }

  private onReady(slot: Slot, message: WorkerResponse): void {
    if (!this.active.some((s) => s.ready && !s.retired)) this.readySince = performance.now();
    slot.statPath = typeof message.result === 'string' ? message.result : null;
    slot.ready = true;
    const whole = [...this.active, ...this.spares].every((s) => s.ready) && this.spares.length >= this.config.spareCount;
    if (this.queues.anyRecovering && whole) this.queues.endRecovery();
    this.pump();
  }

  /** Takes a worker out of service (killed, faulted or exited); its job, if any, gets `outcome`. */
  private retire(slot: Slot, outcome: CodeEvaluationResult | null, count: 'kills' | 'replaced'): void {
    if (slot.retired) return;
    slot.retired = true;
    const current = slot.job;
    slot.job = null;
    if (current) {
      clearTimeout(current.timer);
      this.queues.release(current.job.owner.tenant);
      settle(current.job, outcome ?? fail('PL_EVALUATION_FAILED', 'sandbox worker stopped'));
    }
    for (const list of [this.active, this.spares]) {
      const at = list.indexOf(slot);
      if (at >= 0) list.splice(at, 1);
    }
    if (!this.closed) this.counters[count]++;
    void slot.worker.terminate().catch(() => {});
    this.ensureWorkers();
    this.pump();
  }

  /** Hands queued jobs to idle workers: tenants in turn, none above its share. */
  private pump(): void {
    this.expireWaits();
    for (;;) {
      const slot = this.active.find((s) => s.ready && s.job === null && !s.retired);
      if (!slot) break;
      const job = this.queues.take();
      if (!job) break;
      this.dispatch(slot, job);
    }
    this.scheduleWaitCheck();
  }

  private dispatch(slot: Slot, job: Job): void {
    const id = this.nextRequestId++;
    this.queues.hold(job.owner.tenant);
    let request: WorkerRequest;
    let limit: number;
    if (job.kind === 'run') {
      const source = this.sources.get(job.programId);
      if (source === undefined) {
        this.queues.release(job.owner.tenant);
        return settle(job, fail('PL_EVALUATION_FAILED', 'program disposed'));
      }
      const compiling = !slot.compiled.has(job.programId);
      request = { id, op: 'run', programId: job.programId, input: job.input, ...(compiling ? { source } : {}) };
      limit = compiling ? this.config.compileTimeoutMs : this.config.hardTimeoutMs;
    } else {
      request = { id, op: 'check', source: job.source };
      limit = this.config.compileTimeoutMs;
    }
    slot.job = { job, timer: this.startTimer(slot, job, limit), id };
    slot.worker.postMessage(request);
  }

  private startTimer(slot: Slot, job: Job, limit: number): NodeJS.Timeout {
    return startBackstop(slot, job, limit, () => this.kill(slot, job, limit));
  }

  /** The interrupt handler did not stop it: kill the thread, suspend the lane. */
  private kill(slot: Slot, job: Job, limit: number): void {
    this.queues.suspendAfterKill(job.owner);
    const what = job.kind === 'run' ? `CPU deadline of ${this.config.deadlineMs} ms exceeded` : 'compile took too long';
    this.retire(slot, fail('PL_EVALUATION_FAILED', `${what}: the sandbox worker was stopped after ${limit} ms`), 'kills');
  }

  /** Fails queued jobs that waited longer than maxWaitMs. */
  private expireWaits(): void {
    // Waiting for workers to start is not the tenant's wait.
    if (!this.active.some((s) => s.ready && !s.retired)) return;
    this.queues.expire(this.readySince);
  }

  private scheduleWaitCheck(): void {
    if (this.waitTimer !== null || !this.queues.hasQueued || this.closed) return;
    this.waitTimer = setTimeout(
      () => {
        this.waitTimer = null;
        this.pump();
      },
      Math.max(10, Math.ceil(this.config.maxWaitMs / 4)),
    );
    this.waitTimer.unref();
  }
}
