// The QuickJS (WASM) implementation of the routing engine's CodeEvaluator. One QuickJS runtime
// and context per compiled program: the merchant's code is compiled once into a function inside
// a hardened, frozen realm, and each evaluation is a single call into it. See README.md for the
// isolation argument and the backstop.

import {
  DefaultIntrinsics,
  newQuickJSWASMModule,
  newVariant,
  RELEASE_SYNC,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSWASMModule,
} from 'quickjs-emscripten';
import type {
  CodeCompileResult,
  CodeEvaluationInput,
  CodeEvaluationResult,
  CodeEvaluator,
  CodeFailureReason,
  CompiledCode,
} from '../routing/kinds/code-evaluator.ts';
import { PRELUDE_SOURCE, WRAPPER_LINE_OFFSET, wrapMerchantSource } from './sandbox-prelude.ts';

export interface QuickJsEvaluatorOptions {
  /** CPU deadline per evaluation, in milliseconds. Default 50. */
  deadlineMs?: number;
  /** Heap an evaluation may allocate on top of the program's resident context. Default 8 MiB. */
  memoryBytes?: number;
  /** Largest accepted source, in UTF-8 bytes. Default 64 KiB. */
  maxCodeBytes?: number;
  /**
   * QuickJS stack limit. Default 128 KiB (about 650 nested calls). QuickJS's WASM frames live on
   * the host (V8) stack at roughly twice this size, so values above 256 KiB are refused: an
   * overflow of the host stack inside WASM would leave the module unusable.
   */
  maxStackBytes?: number;
  /**
   * Hard cap on the evaluator's whole WebAssembly heap (all programs' realms plus the running
   * evaluation), in bytes. Default 256 MiB (about 1,500 resident programs of ~160 KiB). This is the bound on real bytes: see README.md
   * ("Memory") for why `memoryBytes` alone is not.
   */
  heapBytes?: number;
  /**
   * CPU time used so far by the calling thread, in ms (the pool's workers read it from /proc). When
   * given, the deadline counts CPU time: past the wall-clock deadline an evaluation goes on while
   * its thread has used less CPU than the deadline, so code that was only waiting for a CPU on a
   * busy machine is not cut. Without it the deadline is wall-clock time.
   */
  cpuClock?: () => number | undefined;
}

export interface QuickJsEvaluator extends CodeEvaluator {
  /** Number of programs currently holding a QuickJS runtime (for leak checks and metrics). */
  readonly livePrograms: number;
  /** False once the WASM module hit a host-level fault; every evaluation then fails fast. */
  readonly healthy: boolean;
  /** Current size of the evaluator's WebAssembly heap in bytes (it grows, never shrinks). */
  readonly heapSizeBytes: number;
}

/** What compile() returns on success, with a diagnostic the tests and metrics use. */
export interface QuickJsProgram extends CompiledCode {
  /** Bytes the program's QuickJS runtime currently holds (`memory_used_size`); 0 once disposed. */
  memoryUsedBytes(): number;
}

const MERCHANT_FILE = 'merchant.js';
const MAX_STACK_CAP = 256 * 1024;
const WASM_PAGE = 64 * 1024;
/** Memory an evaluation may leave behind (uncollected cycles) before its realm is replaced. */
const GARBAGE_SLACK_BYTES = 256 * 1024;
/** The release build's declared initial memory (16 MiB); a smaller memory fails to instantiate. */
const INITIAL_PAGES = 256;

// Date is removed (currentTimeMillis is the clock). Promise stays: without it QuickJS leaks the
// async-function prototypes and aborts in JS_FreeRuntime, which would kill the WASM module.
const INTRINSICS = { ...DefaultIntrinsics, Date: false } as const;

interface Realm {
  runtime: QuickJSRuntime;
  context: QuickJSContext;
  run: QuickJSHandle;
  program: QuickJSHandle;
  /** Moves the deadline the runtime's interrupt handler checks (`budgetMs` of CPU from `cpuStart`, with a cpuClock). */
  setDeadline(at: number, budgetMs?: number, cpuStart?: number): void;
  /** QuickJS's own estimate of the realm's live memory right after compiling. */
  baselineBytes: number;
}

type RunOutcome =
  | { k: 'ok'; gateways: string[]; enforced: boolean; refs: Record<string, string> }
  | { k: 'none' }
  | { k: 'parse'; message: string }
  | { k: 'throw'; name: string; message: string; line: number; column: number };

class CompileFailure extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

/** Thrown by the WASM glue itself (not a JS exception inside QuickJS): the module is suspect. */
class HostFault extends Error {}

export async function createQuickJsEvaluator(options: QuickJsEvaluatorOptions = {}): Promise<QuickJsEvaluator> {
  const deadlineMs = positive(options.deadlineMs ?? 50, 'deadlineMs');
  const memoryBytes = positive(options.memoryBytes ?? 8 * 1024 * 1024, 'memoryBytes');
  const maxCodeBytes = positive(options.maxCodeBytes ?? 64 * 1024, 'maxCodeBytes');
  const maxStackBytes = positive(options.maxStackBytes ?? 128 * 1024, 'maxStackBytes');
  if (maxStackBytes > MAX_STACK_CAP) throw new RangeError(`maxStackBytes must be at most ${MAX_STACK_CAP}`);
  const heapBytes = positive(options.heapBytes ?? 256 * 1024 * 1024, 'heapBytes');
  const maxPages = Math.floor(heapBytes / WASM_PAGE);
  if (maxPages < INITIAL_PAGES) throw new RangeError(`heapBytes must be at least ${INITIAL_PAGES * WASM_PAGE}`);

  // Our own module instance (not the process-wide getQuickJS() singleton), so no other code
  // shares its heap, with a WebAssembly memory that cannot grow past heapBytes: when it is full,
  // malloc fails and QuickJS raises a clean out-of-memory error inside the sandbox.
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: maxPages });
  const wasm: QuickJSWASMModule = await newQuickJSWASMModule(newVariant(RELEASE_SYNC, { wasmMemory: memory }));
  let healthy = true;
  let livePrograms = 0;

  /** Builds a runtime + hardened context and compiles the program into it. */
  function buildRealm(source: string): Realm {
    const runtime = wasm.newRuntime();
    let deadline = 0;
    let budget = 0;
    let cpuStart: number | undefined;
    runtime.setInterruptHandler(() => {
      if (performance.now() <= deadline) return false;
      const cpuNow = cpuStart !== undefined ? options.cpuClock?.() : undefined;
      if (cpuNow !== undefined && cpuStart !== undefined && cpuNow - cpuStart < budget) {
        // Past the wall-clock deadline but not the CPU one: the thread was waiting for a CPU.
        deadline = performance.now() + Math.max(5, budget - (cpuNow - cpuStart));
        return false;
      }
      return true;
    });
    runtime.setMaxStackSize(maxStackBytes);
    runtime.setMemoryLimit(memoryBytes);
    let context: QuickJSContext | undefined;
    const owned: QuickJSHandle[] = [];
    try {
      context = runtime.newContext({ intrinsics: INTRINSICS });
      // Building the realm runs only our prelude and parses (never runs) the merchant's code, so it gets
      // a generous wall-clock budget: on a loaded machine the prelude alone can take over 250 ms.
      deadline = performance.now() + Math.max(deadlineMs * 20, 2_000);
      const prelude = evalOrThrow(context, PRELUDE_SOURCE, 'prelude.js');
      owned.push(prelude);
      const run = context.getProp(prelude, 0);
      owned.push(run);
      const sourceOf = context.getProp(prelude, 1);
      owned.push(sourceOf);

      const wrapped = wrapMerchantSource(source);
      const evaluated = context.evalCode(wrapped, MERCHANT_FILE, { type: 'global' });
      if (evaluated.error) {
        const failure = describeCompileError(context, evaluated.error, source);
        evaluated.error.dispose();
        throw failure;
      }
      const program = evaluated.value;
      owned.push(program);
      // The wrapper is text concatenation; prove the source did not close it early and smuggle
      // statements outside: the compiled function must span the whole wrapper exactly.
      const spanned = context.callFunction(sourceOf, context.undefined, program);
      const text = spanned.error ? '' : context.getString(spanned.value);
      (spanned.error ?? spanned.value).dispose();
      if (text !== wrapped.slice(1, -1)) {
        throw new CompileFailure('the code is not a valid script body (unbalanced braces)');
      }
      // Give every evaluation `memoryBytes` of headroom above what the compiled program holds.
      const baselineBytes = memoryUsed(runtime, context);
      runtime.setMemoryLimit(baselineBytes + memoryBytes);
      sourceOf.dispose();
      prelude.dispose();
      // The interrupt handler stays installed; each evaluation moves the deadline first.
      const setDeadline = (at: number, budgetMs = 0, cpuAtStart?: number): void => {
        deadline = at;
        budget = budgetMs;
        cpuStart = cpuAtStart;
      };
      return { runtime, context, run, program, setDeadline, baselineBytes };
    } catch (error) {
      for (const h of owned) if (h.alive) h.dispose();
      context?.dispose();
      runtime.dispose();
      throw error;
    }
  }

  function disposeRealm(realm: Realm): void {
    try {
      realm.program.dispose();
      realm.run.dispose();
      realm.context.dispose();
      realm.runtime.dispose();
    } catch {
      // A realm that cannot be disposed cleanly means the module is suspect.
      healthy = false;
    }
  }

  function compile(source: string): CodeCompileResult {
    if (typeof source !== 'string' || source.trim() === '') {
      return { ok: false, reason: 'COMPILATION_ERROR', message: 'Please provide Code field' };
    }
    const bytes = Buffer.byteLength(source, 'utf8');
    if (bytes > maxCodeBytes) {
      return { ok: false, reason: 'CODE_TOO_LARGE', message: `code is ${bytes} bytes; the limit is ${maxCodeBytes}` };
    }
    if (!healthy) return { ok: false, reason: 'COMPILATION_ERROR', message: 'sandbox unavailable' };
    let realm: Realm;
    try {
      realm = buildRealm(source);
    } catch (error) {
      if (error instanceof CompileFailure) {
        return { ok: false, reason: 'COMPILATION_ERROR', message: error.message, line: error.line, column: error.column };
      }
      if (!(error instanceof HostFault)) healthy = false; // the WASM glue itself threw
      return { ok: false, reason: 'COMPILATION_ERROR', message: `sandbox fault while compiling: ${String(error)}` };
    }
    livePrograms++;
    return { ok: true, program: makeProgram(source, realm) };
  }

  function makeProgram(source: string, initial: Realm): QuickJsProgram {
    let realm: Realm | null = initial;
    let disposed = false;

    function replaceRealm(): void {
      // After a deadline, memory or stack failure the context is discarded rather than trusted:
      // QuickJS recovers from these, but a fresh realm costs one compile and removes the doubt.
      if (realm !== null) disposeRealm(realm);
      realm = null;
      if (!healthy) return;
      try {
        realm = buildRealm(source);
      } catch {
        realm = null; // compiled fine before; retried on the next evaluation
      }
    }

    return {
      evaluate(input: CodeEvaluationInput): CodeEvaluationResult {
        if (!healthy) return failure('PL_EVALUATION_FAILED', 'sandbox unavailable');
        if (realm === null) {
          if (!disposed) replaceRealm();
          if (realm === null) return failure('PL_EVALUATION_FAILED', disposed ? 'program disposed' : 'sandbox unavailable');
        }
        let inputJson: string;
        try {
          inputJson = JSON.stringify({
            order: input.order,
            txn: input.txn,
            payment: input.payment,
            currentTimeMillis: input.currentTimeMillis,
          });
        } catch (error) {
          return failure('PL_EVALUATION_FAILED', `inputs are not plain JSON values: ${String(error)}`);
        }
        let outcome: Outcome;
        try {
          outcome = runOnce(realm, inputJson);
        } catch (error) {
          // The WASM glue threw (e.g. the host stack overflowed inside QuickJS). The module's
          // internal state can no longer be trusted: stop using it, fail this and later calls.
          healthy = false;
          realm = null;
          return failure('PL_EVALUATION_FAILED', `sandbox fault: ${error instanceof Error ? error.message : String(error)}`);
        }
        if (outcome.poisoned) replaceRealm();
        return outcome.result;
      },
      memoryUsedBytes(): number {
        return realm === null ? 0 : memoryUsed(realm.runtime, realm.context);
      },
      dispose(): void {
        if (disposed) return;
        disposed = true;
        if (realm !== null) disposeRealm(realm);
        realm = null;
        livePrograms--;
      },
    };
  }

  interface Outcome {
    result: CodeEvaluationResult;
    /** The realm should be rebuilt before the next evaluation. */
    poisoned: boolean;
  }

  function runOnce(realm: Realm, inputJson: string): Outcome {
    const { context, runtime } = realm;
    const start = performance.now();
    const deadline = start + deadlineMs;
    realm.setDeadline(deadline, deadlineMs, options.cpuClock?.());
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
      const timedOut = options.cpuClock === undefined && performance.now() > deadline;
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
    const result = interpret(json);
    // Reference counting frees an evaluation's objects when it returns, except cycles, which wait
    // for QuickJS's cycle collector; this build cannot be asked to run it, and its trigger counts
    // allocations, not bytes. A script leaving cyclic garbage (possibly holding large buffers)
    // could thus fill the shared WASM heap across evaluations. Measure what stayed behind and
    // replace the realm (freeing everything) once it passes a small slack.
    const leftover = memoryUsed(runtime, context) - realm.baselineBytes;
    return { poisoned: pending || isLimitFailure(result) || leftover > GARBAGE_SLACK_BYTES, result };
  }

  function interpret(json: string): CodeEvaluationResult {
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
        return classifyThrow(outcome);
      default:
        return failure('PL_EVALUATION_FAILED', 'the sandbox returned no result');
    }
  }

  function classifyThrow(t: Extract<RunOutcome, { k: 'throw' }>): CodeEvaluationResult {
    if (t.name === 'InternalError' && (t.message === 'out of memory' || t.message === 'string too long')) {
      return failure('MEMORY_EXCEEDED', `memory limit of ${memoryBytes} bytes exceeded (${t.message})`);
    }
    if (t.name === 'InternalError' && t.message === 'stack overflow') {
      return failure('PL_EVALUATION_FAILED', `stack limit of ${maxStackBytes} bytes exceeded (recursion too deep)`);
    }
    const at = t.line > WRAPPER_LINE_OFFSET ? ` (line ${t.line - WRAPPER_LINE_OFFSET}, column ${t.column})` : '';
    return failure('UNHANDLED_EXCEPTION', `${t.name}: ${t.message}${at}`);
  }

  return {
    compile,
    get livePrograms() {
      return livePrograms;
    },
    get healthy() {
      return healthy;
    },
    get heapSizeBytes() {
      return memory.buffer.byteLength;
    },
  };
}

function failure(reason: CodeFailureReason, message: string): CodeEvaluationResult {
  return { ok: false, reason, message };
}

function isLimitFailure(result: CodeEvaluationResult): boolean {
  return !result.ok && (result.reason === 'MEMORY_EXCEEDED' || (result.reason === 'PL_EVALUATION_FAILED' && result.message.startsWith('stack limit')));
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number`);
  return value;
}

function evalOrThrow(context: QuickJSContext, code: string, file: string): QuickJSHandle {
  const r = context.evalCode(code, file, { type: 'global' });
  if (r.error) {
    const message = errorMessage(context, r.error);
    r.error.dispose();
    throw new HostFault(`sandbox prelude failed: ${message}`);
  }
  return r.value;
}

/** Reads `message` of an engine-made error without running merchant code in the host. */
function errorMessage(context: QuickJSContext, error: QuickJSHandle): string {
  const m = context.getProp(error, 'message');
  try {
    return context.typeof(m) === 'string' ? context.getString(m) : 'unknown error';
  } finally {
    m.dispose();
  }
}

function describeCompileError(context: QuickJSContext, error: QuickJSHandle, source: string): CompileFailure {
  const nameHandle = context.getProp(error, 'name');
  const name = context.typeof(nameHandle) === 'string' ? context.getString(nameHandle) : '';
  nameHandle.dispose();
  // Anything but a SyntaxError means the wrapper ran code while being defined: the source
  // closed the function early (or the compile deadline/memory cap was hit doing so).
  if (name !== 'SyntaxError') return new CompileFailure('the code is not a valid script body (unbalanced braces)');
  const message = errorMessage(context, error);
  const stackHandle = context.getProp(error, 'stack');
  const stack = context.typeof(stackHandle) === 'string' ? context.getString(stackHandle) : '';
  stackHandle.dispose();
  // QuickJS reports syntax errors as "    at merchant.js:LINE:COLUMN".
  const match = /merchant\.js:(\d+):(\d+)/.exec(stack);
  if (match === null) return new CompileFailure(message);
  const rawLine = Number(match[1]);
  const column = Number(match[2]);
  if (rawLine <= WRAPPER_LINE_OFFSET) return new CompileFailure(message, 1, 1);
  // An error found only at the wrapper's closing line (an unterminated comment, string or
  // block) is reported at the end of the merchant's source.
  const lines = source.split('\n');
  const line = rawLine - WRAPPER_LINE_OFFSET;
  if (line > lines.length) return new CompileFailure(message, lines.length, (lines[lines.length - 1] ?? '').length + 1);
  return new CompileFailure(message, line, column);
}

function memoryUsed(runtime: QuickJSRuntime, context: QuickJSContext): number {
  const usage = runtime.computeMemoryUsage();
  try {
    const used = context.getProp(usage, 'memory_used_size');
    try {
      return context.getNumber(used);
    } finally {
      used.dispose();
    }
  } finally {
    usage.dispose();
  }
}
