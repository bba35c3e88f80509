// Worker-thread side of the evaluator pool (evaluator-pool.ts): hosts one QuickJS evaluator and
// answers run / check / dispose requests, one at a time. Programs are compiled lazily, the first
// time this worker is asked to run them (the request then carries the source).

import { readlinkSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { CodeEvaluationInput, CodeEvaluationResult, CompiledCode } from '../routing/kinds/code-evaluator.ts';
import { createQuickJsEvaluator, type QuickJsEvaluatorOptions } from './quickjs-evaluator.ts';
import { threadCpu } from './thread-cpu.ts';

export type WorkerRequest =
  | { id: number; op: 'run'; programId: number; source?: string; input: CodeEvaluationInput }
  | { id: number; op: 'check'; source: string }
  | { op: 'dispose'; programId: number };

export interface WorkerResponse {
  /** 0 announces that the worker is ready. */
  id: number;
  result: unknown;
  /**
   * False when the QuickJS module hit a host-level fault (e.g. the host stack overflowed inside
   * WebAssembly): its state can no longer be trusted, and the pool replaces the whole worker.
   */
  healthy: boolean;
  /** For a run: the program is now compiled in this worker (later runs need not send the source). */
  compiled?: boolean;
  /** Sent before the answer when a run had to compile first: the evaluation's own deadline starts now. */
  progress?: 'compiled';
  /** CPU time this thread has used so far (ms), when the platform tells (Linux /proc); with every answer. */
  cpuMs?: number;
}

export interface WorkerData {
  options: QuickJsEvaluatorOptions;
  /** Nice value for this thread, set by the bootstrap before this module loads (worker-entry.ts). */
  niceness: number | null;
}

const port = parentPort;
if (port === null) throw new Error('evaluator-worker.ts must run in a worker thread');
const data = workerData as WorkerData;

/** `/proc/<pid>/task/<tid>/stat` of this thread: the pool reads it to tell a busy worker from a starved one. */
const statPath = ((): string | null => {
  try {
    return `/proc/${readlinkSync('/proc/thread-self')}/stat`;
  } catch {
    return null;
  }
})();
// The in-VM deadline counts this thread's CPU time, like the pool's outer one.
const evaluator = await createQuickJsEvaluator({ ...data.options, cpuClock: () => threadCpu(statPath) });
const programs = new Map<number, CompiledCode>();

function run(request: Extract<WorkerRequest, { op: 'run' }>): CodeEvaluationResult {
  let program = programs.get(request.programId);
  if (program === undefined) {
    if (request.source === undefined) return { ok: false, reason: 'PL_EVALUATION_FAILED', message: 'program not compiled in this worker' };
    const compiled = evaluator.compile(request.source);
    if (!compiled.ok) {
      const where = compiled.line !== undefined ? ` (line ${compiled.line}${compiled.column !== undefined ? `, column ${compiled.column}` : ''})` : '';
      return { ok: false, reason: compiled.reason, message: `${compiled.message}${where}` };
    }
    program = compiled.program;
    programs.set(request.programId, program);
    port!.postMessage({ id: request.id, result: null, healthy: evaluator.healthy, progress: 'compiled', cpuMs: threadCpu(statPath) } satisfies WorkerResponse);
  }
  return program.evaluate(request.input);
}

port.on('message', (request: WorkerRequest) => {
  if (request.op === 'dispose') {
    programs.get(request.programId)?.dispose();
    programs.delete(request.programId);
    return;
  }
  let response: WorkerResponse;
  if (request.op === 'run') {
    const result = run(request);
    response = { id: request.id, result, healthy: evaluator.healthy, compiled: programs.has(request.programId), cpuMs: threadCpu(statPath) };
  } else {
    const compiled = evaluator.compile(request.source);
    if (compiled.ok) compiled.program.dispose();
    response = { id: request.id, result: compiled.ok ? { ok: true } : compiled, healthy: evaluator.healthy, cpuMs: threadCpu(statPath) };
  }
  port.postMessage(response);
});
port.postMessage({ id: 0, result: statPath, healthy: true, cpuMs: threadCpu(statPath) } satisfies WorkerResponse);
