// Code-based logic evaluations (recorded) and the sandbox worker pool (read at scrape time).
import { Counter, Gauge } from 'prom-client';
import { boundedLabel } from './labels.ts';
import type { MetricFamilyContext, MetricsRecorder, SandboxStatsSample } from './types.ts';

export function registerSandboxEvaluationMetrics({ registry, prefix: p }: MetricFamilyContext): Pick<MetricsRecorder, 'sandboxEvaluation'> {
  const sandboxEvaluations = new Counter({
    name: `${p}sandbox_evaluations_total`,
    help: 'Code-based logic evaluations by result (OK, TIMEOUT, or the failure reason).',
    labelNames: ['result'],
    registers: [registry],
  });
  return {
    sandboxEvaluation(result) {
      sandboxEvaluations.inc({ result: boundedLabel(result) });
    },
  };
}

export function registerSandboxPoolGauges({ registry, prefix: p, sources }: MetricFamilyContext): void {
  const sandboxGauge = (name: string, help: string, pick: (s: SandboxStatsSample) => number) =>
    new Gauge({
      name: `${p}${name}`,
      help,
      registers: [registry],
      collect() {
        const s = sources().sandbox?.();
        this.set(s ? pick(s) : 0);
      },
    });
  sandboxGauge('sandbox_workers', 'Sandbox worker threads.', (s) => s.workers);
  sandboxGauge('sandbox_workers_busy', 'Sandbox workers evaluating now.', (s) => s.busy);
  sandboxGauge('sandbox_queued', 'Evaluations waiting for a sandbox worker.', (s) => s.queued);
  // Monotonic counts kept by the pool, exposed as counters read at scrape time.
  new Counter({
    name: `${p}sandbox_worker_kills_total`,
    help: 'Sandbox workers stopped from outside for overrunning the hard deadline.',
    registers: [registry],
    collect() {
      const s = sources().sandbox?.();
      this.reset();
      if (s) this.inc(s.kills);
    },
  });
  new Counter({
    name: `${p}sandbox_rejected_total`,
    help: "Evaluations refused (a merchant's queue full or its lane suspended).",
    registers: [registry],
    collect() {
      const s = sources().sandbox?.();
      this.reset();
      if (s) this.inc(s.rejected);
    },
  });
}
