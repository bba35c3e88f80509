// Worker-thread side of createWorkerEvaluator: hosts one QuickJS evaluator and answers
// compile / evaluate / dispose requests, one at a time, from the parent thread.

import { parentPort, workerData } from 'node:worker_threads';
import type { CodeEvaluationInput, CompiledCode } from '../routing/kinds/code-evaluator.ts';
import { createQuickJsEvaluator, type QuickJsEvaluatorOptions } from './quickjs-evaluator.ts';

export type WorkerRequest =
  | { id: number; op: 'compile'; programId: number; source: string }
  | { id: number; op: 'evaluate'; programId: number; input: CodeEvaluationInput }
  | { id: number; op: 'dispose'; programId: number };

export interface WorkerResponse {
  id: number;
  result: unknown;
}

const port = parentPort;
if (port === null) throw new Error('evaluator-worker.ts must run in a worker thread');

const evaluator = await createQuickJsEvaluator((workerData as { options: QuickJsEvaluatorOptions }).options);
const programs = new Map<number, CompiledCode>();

port.on('message', (request: WorkerRequest) => {
  let result: unknown;
  switch (request.op) {
    case 'compile': {
      const compiled = evaluator.compile(request.source);
      if (compiled.ok) {
        programs.get(request.programId)?.dispose();
        programs.set(request.programId, compiled.program);
        result = { ok: true };
      } else {
        result = compiled;
      }
      break;
    }
    case 'evaluate': {
      const program = programs.get(request.programId);
      result = program
        ? program.evaluate(request.input)
        : { ok: false, reason: 'PL_EVALUATION_FAILED', message: 'program not compiled in this worker' };
      break;
    }
    case 'dispose': {
      programs.get(request.programId)?.dispose();
      programs.delete(request.programId);
      result = null;
      break;
    }
  }
  const response: WorkerResponse = { id: request.id, result };
  port.postMessage(response);
});
port.postMessage({ id: 0, result: 'ready' } satisfies WorkerResponse);
