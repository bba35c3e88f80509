// Optional backstop: the QuickJS evaluator in a worker thread, for async callers. The in-thread
// deadline still bounds each evaluation; the parent adds a wall-clock kill (Worker.terminate)
// for anything the interrupt handler cannot stop, then starts a fresh worker and recompiles
// programs there on demand. Costs a message round trip per evaluation (tens of µs).

import { Worker } from 'node:worker_threads';
import type {
  CodeCompileResult,
  CodeEvaluationInput,
  CodeEvaluationResult,
} from '../routing/kinds/code-evaluator.ts';
import type { QuickJsEvaluatorOptions } from './quickjs-evaluator.ts';
import type { WorkerRequest, WorkerResponse } from './evaluator-worker.ts';

export interface WorkerEvaluatorOptions extends QuickJsEvaluatorOptions {
  /** Wall-clock limit per request before the worker is killed. Default 20 × deadlineMs + 250. */
  hardTimeoutMs?: number;
}

export interface AsyncCompiledCode {
  evaluate(input: CodeEvaluationInput): Promise<CodeEvaluationResult>;
  dispose(): Promise<void>;
}

export type AsyncCodeCompileResult =
  | { ok: true; program: AsyncCompiledCode }
  | Extract<CodeCompileResult, { ok: false }>;

export interface WorkerEvaluator {
  compile(source: string): Promise<AsyncCodeCompileResult>;
  /** Stops the worker; pending requests fail. */
  close(): Promise<void>;
  /** How many times a worker was killed for overrunning the hard timeout. */
  readonly kills: number;
}

// Loader hooks from `--import tsx` do not reach worker threads on Node 20, so a TypeScript entry
// registers tsx inside the worker first; a compiled .js entry is imported directly.
const WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './evaluator-worker.ts' : './evaluator-worker.js', import.meta.url).href;
const WORKER_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.entry.endsWith('.ts')) (await import('tsx/esm/api')).register();
  await import(workerData.entry);
})().catch((error) => { setImmediate(() => { throw error; }); });
`;

type Pending = { resolve: (value: unknown) => void; timer: NodeJS.Timeout };
type Request = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

export async function createWorkerEvaluator(options: WorkerEvaluatorOptions = {}): Promise<WorkerEvaluator> {
  const { hardTimeoutMs: hardOption, ...evaluatorOptions } = options;
  const hardTimeoutMs = hardOption ?? 20 * (options.deadlineMs ?? 50) + 250;
  const sources = new Map<number, string>();
  let nextProgramId = 1;
  let nextRequestId = 1;
  let kills = 0;
  let closed = false;

  interface Live {
    worker: Worker;
    ready: Promise<void>;
    pending: Map<number, Pending>;
    compiled: Set<number>;
  }
  let live: Live | null = null;

  function start(): Live {
    const worker = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData: { entry: WORKER_ENTRY, options: evaluatorOptions } });
    const pending = new Map<number, Pending>();
    let markReady: () => void = () => {};
    let markFailed: (error: unknown) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    const state: Live = { worker, ready, pending, compiled: new Set() };
    worker.on('message', (message: WorkerResponse) => {
      if (message.id === 0) return markReady();
      const entry = pending.get(message.id);
      if (!entry) return;
      clearTimeout(entry.timer);
      pending.delete(message.id);
      entry.resolve(message.result);
    });
    const fail = (why: string): void => {
      markFailed(new Error(why));
      if (live === state) live = null;
      for (const [id, entry] of pending) {
        clearTimeout(entry.timer);
        entry.resolve({ ok: false, reason: 'PL_EVALUATION_FAILED', message: why });
        pending.delete(id);
      }
    };
    worker.on('error', (error) => fail(`sandbox worker failed: ${error.message}`));
    worker.on('exit', () => fail('sandbox worker stopped'));
    ready.catch(() => {});
    return state;
  }

  async function send(request: Request): Promise<unknown> {
    if (closed) return { ok: false, reason: 'PL_EVALUATION_FAILED', message: 'evaluator closed' };
    if (live === null) live = start();
    const state = live;
    try {
      await state.ready;
    } catch (error) {
      return { ok: false, reason: 'PL_EVALUATION_FAILED', message: String(error) };
    }
    if ('programId' in request && request.op === 'evaluate' && !state.compiled.has(request.programId)) {
      const source = sources.get(request.programId);
      if (source === undefined) return { ok: false, reason: 'PL_EVALUATION_FAILED', message: 'program disposed' };
      const recompiled = (await roundTrip(state, { op: 'compile', programId: request.programId, source })) as { ok: boolean };
      if (!recompiled.ok) return { ok: false, reason: 'PL_EVALUATION_FAILED', message: 'could not recompile in a new worker' };
      state.compiled.add(request.programId);
    }
    return roundTrip(state, request);
  }

  function roundTrip(state: Live, request: Request): Promise<unknown> {
    const id = nextRequestId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        // The in-thread deadline did not stop it: kill the thread. Programs are recompiled in
        // the next worker from their sources.
        kills++;
        state.pending.delete(id);
        resolve({ ok: false, reason: 'PL_EVALUATION_FAILED', message: `sandbox worker killed after ${hardTimeoutMs} ms` });
        if (live === state) live = null;
        void state.worker.terminate();
      }, hardTimeoutMs);
      state.pending.set(id, { resolve, timer });
      state.worker.postMessage({ ...request, id });
    });
  }

  return {
    async compile(source: string): Promise<AsyncCodeCompileResult> {
      const programId = nextProgramId++;
      const result = (await send({ op: 'compile', programId, source })) as { ok: true } | Extract<CodeCompileResult, { ok: false }> | CodeEvaluationResult;
      if (!result.ok) {
        const reason = result.reason === 'CODE_TOO_LARGE' ? 'CODE_TOO_LARGE' : 'COMPILATION_ERROR';
        return { ...(result as Extract<CodeCompileResult, { ok: false }>), reason };
      }
      sources.set(programId, source);
      live?.compiled.add(programId);
      return {
        ok: true,
        program: {
          evaluate: async (input) => (await send({ op: 'evaluate', programId, input })) as CodeEvaluationResult,
          dispose: async () => {
            sources.delete(programId);
            if (live?.compiled.delete(programId)) await send({ op: 'dispose', programId });
          },
        },
      };
    },
    async close(): Promise<void> {
      closed = true;
      const state = live;
      live = null;
      if (state) await state.worker.terminate();
    },
    get kills() {
      return kills;
    },
  };
}
