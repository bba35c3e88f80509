// One evaluation in a realm: the call into the compiled program under the deadline, and the
// marshalling of its answer (the runner's JSON outcome) into a CodeEvaluationResult.

import type { CodeEvaluationInput, CodeEvaluationResult, CodeFailureReason } from '../routing/kinds/code-evaluator.ts';
import { WRAPPER_LINE_OFFSET } from './sandbox-prelude.ts';
import { errorMessage, memoryUsed, type Realm, type RealmLimits } from './quickjs-realm.ts';

/** Memory an evaluation may leave behind (uncollected cycles) before its realm is replaced. */
const GARBAGE_SLACK_BYTES = 256 * 1024;

type RunOutcome =
  | { k: 'ok'; gateways: string[]; enforced: boolean; refs: Record<string, string> }
  | { k: 'none' }
  | { k: 'parse'; message: string }
  | { k: 'throw'; name: string; message: string; line: number; column: number };

export interface Outcome {
  result: CodeEvaluationResult;
  /** The realm should be rebuilt before the next evaluation. */
  poisoned: boolean;
}

export function failure(reason: CodeFailureReason, message: string): CodeEvaluationResult {
  return { ok: false, reason, message };
}

/** The inputs as the JSON text the runner parses inside the sandbox, or a failure. */
export function inputJsonOf(input: CodeEvaluationInput): { json: string } | { failure: CodeEvaluationResult } {
  try {
    return {
      json: JSON.stringify({
        order: input.order,
        txn: input.txn,
        payment: input.payment,
        currentTimeMillis: input.currentTimeMillis,
      }),
    };
  } catch (error) {
    return { failure: failure('PL_EVALUATION_FAILED', `inputs are not plain JSON values: ${String(error)}`) };
  }
}

/** Runs the program once; throws only when the WASM glue itself threw. */
export function runOnce(limits: RealmLimits, realm: Realm, inputJson: string): Outcome {
  const { deadlineMs, memoryBytes, cpuClock } = limits;
  const { context, runtime } = realm;
  const start = performance.now();
  const deadline = start + deadlineMs;
  realm.setDeadline(deadline, deadlineMs, cpuClock?.());
  const arg = context.newString(inputJson);
  let called;
  try {
    called = context.callFunction(realm.run, context.undefined, realm.program, arg);
  } finally {
    arg.dispose();
  }
  if (called.error) {
    // Only uncatchable errors reach here (the runner catches everything else): the interrupt,
    // or an out-of-memory raised while the runner itself was reporting.
    const timedOut = cpuClock === undefined && performance.now() > deadline;
    const message = errorMessage(context, called.error);
    called.error.dispose();
    if (timedOut || message === 'interrupted') {
      return { poisoned: true, result: failure('PL_EVALUATION_FAILED', `CPU deadline of ${deadlineMs} ms exceeded`) };
    }
    if (message === 'out of memory') {
      return { poisoned: true, result: failure('MEMORY_EXCEEDED', `memory limit of ${memoryBytes} bytes exceeded`) };
    }
    return { poisoned: true, result: failure('PL_EVALUATION_FAILED', `sandbox error: ${message}`) };
  }
  const json = context.typeof(called.value) === 'string' ? context.getString(called.value) : '';
  called.value.dispose();
  // Jobs a script queued (promise reactions) are never run: running them later would let one
  // evaluation act inside the next. Such a realm is replaced; the synchronous result stands.
  const pending = runtime.hasPendingJob();
  const result = interpret(limits, json);
  // Reference counting frees an evaluation's objects when it returns, except cycles, which wait
  // for QuickJS's cycle collector; this build cannot be asked to run it, and its trigger counts
  // allocations, not bytes. A script leaving cyclic garbage (possibly holding large buffers)
  // could thus fill the shared WASM heap across evaluations. Measure what stayed behind and
  // replace the realm (freeing everything) once it passes a small slack.
  const leftover = memoryUsed(runtime, context) - realm.baselineBytes;
  return { poisoned: pending || isLimitFailure(result) || leftover > GARBAGE_SLACK_BYTES, result };
}

function interpret(limits: RealmLimits, json: string): CodeEvaluationResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return failure('PL_EVALUATION_FAILED', 'the sandbox returned no result');
  }
  const outcome = parsed as RunOutcome;
  switch (outcome?.k) {
    case 'ok': {
      const gateways = outcome.gateways;
      if (!Array.isArray(gateways) || gateways.length === 0 || !gateways.every((g) => typeof g === 'string' && g !== '')) {
        return failure('GATEWAY_NAME_PARSE_FAILURE', 'the gateway priority is not a list of gateway names');
      }
      const refs: Record<string, string> = {};
      for (const [k, v] of Object.entries(outcome.refs ?? {})) {
        if (typeof v !== 'string') return failure('GATEWAY_NAME_PARSE_FAILURE', 'invalid gateway reference id');
        refs[k] = v;
      }
      return { ok: true, gateways: [...gateways], enforced: outcome.enforced === true, gatewayReferenceIds: refs };
    }
    case 'none':
      return failure('PL_EVALUATION_FAILED', 'no gateway priority set');
    case 'parse':
      return failure('GATEWAY_NAME_PARSE_FAILURE', String(outcome.message));
    case 'throw':
      return classifyThrow(limits, outcome);
    default:
      return failure('PL_EVALUATION_FAILED', 'the sandbox returned no result');
  }
}

function classifyThrow(limits: RealmLimits, t: Extract<RunOutcome, { k: 'throw' }>): CodeEvaluationResult {
  if (t.name === 'InternalError' && (t.message === 'out of memory' || t.message === 'string too long')) {
    return failure('MEMORY_EXCEEDED', `memory limit of ${limits.memoryBytes} bytes exceeded (${t.message})`);
  }
  if (t.name === 'InternalError' && t.message === 'stack overflow') {
    return failure('PL_EVALUATION_FAILED', `stack limit of ${limits.maxStackBytes} bytes exceeded (recursion too deep)`);
  }
  const at = t.line > WRAPPER_LINE_OFFSET ? ` (line ${t.line - WRAPPER_LINE_OFFSET}, column ${t.column})` : '';
  return failure('UNHANDLED_EXCEPTION', `${t.name}: ${t.message}${at}`);
}

function isLimitFailure(result: CodeEvaluationResult): boolean {
  return !result.ok && (result.reason === 'MEMORY_EXCEEDED' || (result.reason === 'PL_EVALUATION_FAILED' && result.message.startsWith('stack limit')));
}
