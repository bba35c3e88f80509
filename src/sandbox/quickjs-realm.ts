// The QuickJS context setup: one runtime and hardened context per compiled program, with the
// prelude run, the merchant's code compiled into a function inside it, the interrupt handler
// that enforces the deadline and the memory and stack limits installed.

import { DefaultIntrinsics, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule } from 'quickjs-emscripten';
import { PRELUDE_SOURCE, WRAPPER_LINE_OFFSET, wrapMerchantSource } from './sandbox-prelude.ts';

const MERCHANT_FILE = 'merchant.js';

// Date is removed (currentTimeMillis is the clock). Promise stays: without it QuickJS leaks the
// async-function prototypes and aborts in JS_FreeRuntime, which would kill the WASM module.
const INTRINSICS = { ...DefaultIntrinsics, Date: false } as const;

/** The limits a realm is built with (validated by createQuickJsEvaluator). */
export interface RealmLimits {
  deadlineMs: number;
  memoryBytes: number;
  maxStackBytes: number;
  /** See QuickJsEvaluatorOptions.cpuClock. */
  cpuClock?: () => number | undefined;
}

export interface Realm {
  runtime: QuickJSRuntime;
  context: QuickJSContext;
  run: QuickJSHandle;
  program: QuickJSHandle;
  /** Moves the deadline the runtime's interrupt handler checks (`budgetMs` of CPU from `cpuStart`, with a cpuClock). */
  setDeadline(at: number, budgetMs?: number, cpuStart?: number): void;
  /** QuickJS's own estimate of the realm's live memory right after compiling. */
  baselineBytes: number;
}

export class CompileFailure extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

/** Thrown by the WASM glue itself (not a JS exception inside QuickJS): the module is suspect. */
export class HostFault extends Error {}

/** Builds a runtime + hardened context and compiles the program into it. */
export function buildRealm(wasm: QuickJSWASMModule, limits: RealmLimits, source: string): Realm {
  const { deadlineMs, memoryBytes, maxStackBytes, cpuClock } = limits;
  const runtime = wasm.newRuntime();
  let deadline = 0;
  let budget = 0;
  let cpuStart: number | undefined;
  runtime.setInterruptHandler(() => {
    if (performance.now() <= deadline) return false;
    const cpuNow = cpuStart !== undefined ? cpuClock?.() : undefined;
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
    const program = compileMerchantCode(context, sourceOf, source);
    owned.push(program);
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

/** Compiles the wrapped merchant source into a function handle; throws CompileFailure. */
function compileMerchantCode(context: QuickJSContext, sourceOf: QuickJSHandle, source: string): QuickJSHandle {
  const wrapped = wrapMerchantSource(source);
  const evaluated = context.evalCode(wrapped, MERCHANT_FILE, { type: 'global' });
  if (evaluated.error) {
    const failure = describeCompileError(context, evaluated.error, source);
    evaluated.error.dispose();
    throw failure;
  }
  const program = evaluated.value;
  try {
    // The wrapper is text concatenation; prove the source did not close it early and smuggle
    // statements outside: the compiled function must span the whole wrapper exactly.
    const spanned = context.callFunction(sourceOf, context.undefined, program);
    const text = spanned.error ? '' : context.getString(spanned.value);
    (spanned.error ?? spanned.value).dispose();
    if (text !== wrapped.slice(1, -1)) {
      throw new CompileFailure('the code is not a valid script body (unbalanced braces)');
    }
    return program;
  } catch (error) {
    if (program.alive) program.dispose();
    throw error;
  }
}

/** Frees a realm; false when it could not be disposed cleanly (the module is then suspect). */
export function disposeRealm(realm: Realm): boolean {
  try {
    realm.program.dispose();
    realm.run.dispose();
    realm.context.dispose();
    realm.runtime.dispose();
    return true;
  } catch {
    return false;
  }
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
export function errorMessage(context: QuickJSContext, error: QuickJSHandle): string {
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

export function memoryUsed(runtime: QuickJSRuntime, context: QuickJSContext): number {
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
