// Per-merchant queueing and fair share for the evaluator pool: each tenant (merchant) has its own
// bounded queue and holds at most `maxShare` workers at once; tenants with work are served
// round-robin, and within a tenant live payments go before dry runs and checks. A lane whose code
// had to be killed stays suspended for a growing time.

import type { EvaluationOwner } from '../routing/kinds/code-evaluator.ts';
import { fail, settle, type Job, type PoolCounters } from './pool-jobs.ts';

export interface FairShareLimits {
  maxShare: number;
  queueLimit: number;
  maxWaitMs: number;
  suspendMs: number;
  suspendMaxMs: number;
}

interface Lane {
  suspendedUntil: number;
  nextSuspendMs: number;
  lastKillAt: number;
}

const REPLACING = "sandbox suspended while it replaces the worker this merchant's code overran";

export class TenantQueues {
  /** Per tenant: its queue (FIFO) and how many workers it holds. */
  private readonly queues = new Map<string, Job[]>();
  private readonly holding = new Map<string, number>();
  /** Round-robin order of tenants with queued work. */
  private readonly turn: string[] = [];
  private readonly lanes = new Map<string, Lane>();
  /**
   * Tenants whose code was killed while the pool has not yet replaced the worker: they wait until
   * the pool is whole again, so one merchant can never have more than one worker down at a time
   * (and others always find a ready one).
   */
  private readonly recovering = new Set<string>();

  constructor(
    private readonly limits: FairShareLimits,
    private readonly counters: PoolCounters,
  ) {}

  /** Queues the job, or fails it at once (lane suspended, tenant recovering, queue full); true when queued. */
  admit(job: Job): boolean {
    const lane = this.laneOf(job.owner);
    const now = performance.now();
    if (lane.suspendedUntil > now) {
      return this.reject(job, `sandbox suspended for ${Math.ceil(lane.suspendedUntil - now)} ms after this merchant's code overran its deadline`);
    }
    if (this.recovering.has(job.owner.tenant)) return this.reject(job, REPLACING);
    let queue = this.queues.get(job.owner.tenant);
    if (!queue) {
      queue = [];
      this.queues.set(job.owner.tenant, queue);
    }
    if (queue.reduce((n, queued) => n + (queued.owner.lane === job.owner.lane ? 1 : 0), 0) >= this.limits.queueLimit) {
      return this.reject(job, `sandbox queue of this merchant is full (${this.limits.queueLimit} waiting)`);
    }
    queue.push(job);
    if (!this.turn.includes(job.owner.tenant)) this.turn.push(job.owner.tenant);
    return true;
  }

  /** The next job for an idle worker: tenants in turn, none above its share; undefined if none may run. */
  take(): Job | undefined {
    const at = this.turn.findIndex((t) => (this.holding.get(t) ?? 0) < this.limits.maxShare);
    if (at < 0) return undefined;
    const tenant = this.turn[at]!;
    const queue = this.queues.get(tenant)!;
    // A merchant's live payments go before its own editors' dry runs and checks.
    const paymentAt = queue.findIndex((queued) => queued.owner.lane === 'payment');
    const job = queue.splice(Math.max(0, paymentAt), 1)[0]!;
    this.turn.splice(at, 1);
    if (queue.length > 0) this.turn.push(tenant);
    else this.queues.delete(tenant);
    return job;
  }

  /** The tenant now holds one more worker. */
  hold(tenant: string): void {
    const held = (this.holding.get(tenant) ?? 0) + 1;
    this.holding.set(tenant, held);
    this.counters.maxHeldByOneTenant = Math.max(this.counters.maxHeldByOneTenant, held);
  }

  release(tenant: string): void {
    const n = (this.holding.get(tenant) ?? 1) - 1;
    if (n <= 0) this.holding.delete(tenant);
    else this.holding.set(tenant, n);
  }

  /** The tenant's code was killed: suspend its lane, fail its queued jobs, refuse more until the pool is whole. */
  suspendAfterKill(owner: EvaluationOwner): void {
    const lane = this.laneOf(owner);
    const { suspendMs, suspendMaxMs } = this.limits;
    const now = performance.now();
    // The suspension grows with each kill, and starts small again only after a quiet spell.
    if (now - lane.lastKillAt > 2 * suspendMaxMs) lane.nextSuspendMs = suspendMs;
    lane.lastKillAt = now;
    lane.suspendedUntil = now + lane.nextSuspendMs;
    lane.nextSuspendMs = Math.min(lane.nextSuspendMs * 2, suspendMaxMs);
    this.recovering.add(owner.tenant);
    const queued = this.queues.get(owner.tenant) ?? [];
    this.queues.delete(owner.tenant);
    this.removeFromTurn(owner.tenant);
    for (const waiting of queued) this.reject(waiting, REPLACING);
  }

  /** Whether some tenant waits for the pool to replace a killed worker. */
  get anyRecovering(): boolean {
    return this.recovering.size > 0;
  }

  /** The pool is whole again: tenants whose code was killed may queue again. */
  endRecovery(): void {
    this.recovering.clear();
  }

  /** Fails queued jobs that waited longer than maxWaitMs (counting from `readySince` at the earliest). */
  expire(readySince: number): void {
    const now = performance.now();
    const { maxWaitMs } = this.limits;
    for (const [tenant, queue] of this.queues) {
      while (queue.length > 0 && now - Math.max(queue[0]!.queuedAt, readySince) > maxWaitMs) {
        this.reject(queue.shift()!, `waited over ${maxWaitMs} ms for the sandbox`);
      }
      if (queue.length === 0) {
        this.queues.delete(tenant);
        this.removeFromTurn(tenant);
      }
    }
  }

  /** Fails every queued job (the pool is closing). */
  drain(message: string): void {
    for (const queue of this.queues.values()) for (const job of queue) settle(job, fail('PL_EVALUATION_FAILED', message));
    this.queues.clear();
    this.turn.length = 0;
  }

  get hasQueued(): boolean {
    return this.queues.size > 0;
  }

  queuedCount(): number {
    let queued = 0;
    for (const q of this.queues.values()) queued += q.length;
    return queued;
  }

  /** Evaluations per tenant currently running. */
  running(): Record<string, number> {
    return Object.fromEntries(this.holding);
  }

  private laneOf(owner: EvaluationOwner): Lane {
    const key = `${owner.tenant}\u0000${owner.lane}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { suspendedUntil: 0, nextSuspendMs: this.limits.suspendMs, lastKillAt: Number.NEGATIVE_INFINITY };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  private removeFromTurn(tenant: string): void {
    const at = this.turn.indexOf(tenant);
    if (at >= 0) this.turn.splice(at, 1);
  }

  private reject(job: Job, message: string): false {
    this.counters.rejected++;
    settle(job, fail('PL_EVALUATION_FAILED', message));
    return false;
  }
}
