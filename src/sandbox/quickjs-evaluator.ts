// The QuickJS (WASM) implementation of the routing engine's CodeEvaluator. One QuickJS runtime
// and context per compiled program: the merchant's code is compiled once into a function inside
// a hardened, frozen realm (quickjs-realm.ts), and each evaluation is a single call into it
// (quickjs-program.ts, quickjs-evaluation.ts). See README.md for the isolation argument and the
// backstop.

import { newQuickJSWASMModule, newVariant, RELEASE_SYNC, type QuickJSWASMModule } from 'quickjs-emscripten';
import type { CodeCompileResult, CodeEvaluator } from '../routing/kinds/code-evaluator.ts';
import { buildRealm, CompileFailure, HostFault, type Realm, type RealmLimits } from './quickjs-realm.ts';
import { makeProgram, type SandboxHealth } from './quickjs-program.ts';

export type { QuickJsProgram } from './quickjs-program.ts';

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

const MAX_STACK_CAP = 256 * 1024;
const WASM_PAGE = 64 * 1024;
/** The release build's declared initial memory (16 MiB); a smaller memory fails to instantiate. */
const INITIAL_PAGES = 256;

export async function createQuickJsEvaluator(options: QuickJsEvaluatorOptions = {}): Promise<QuickJsEvaluator> {
  const deadlineMs = positive(options.deadlineMs ?? 50, 'deadlineMs');
  const memoryBytes = positive(options.memoryBytes ?? 8 * 1024 * 1024, 'memoryBytes');
  const maxCodeBytes = positive(options.maxCodeBytes ?? 64 * 1024, 'maxCodeBytes');
  const maxStackBytes = positive(options.maxStackBytes ?? 128 * 1024, 'maxStackBytes');
  if (maxStackBytes > MAX_STACK_CAP) throw new RangeError(`maxStackBytes must be at most ${MAX_STACK_CAP}`);
  const heapBytes = positive(options.heapBytes ?? 256 * 1024 * 1024, 'heapBytes');
  const maxPages = Math.floor(heapBytes / WASM_PAGE);
  if (maxPages < INITIAL_PAGES) throw new RangeError(`heapBytes must be at least ${INITIAL_PAGES * WASM_PAGE}`);
  const limits: RealmLimits = { deadlineMs, memoryBytes, maxStackBytes, cpuClock: options.cpuClock };

  // Our own module instance (not the process-wide getQuickJS() singleton), so no other code
  // shares its heap, with a WebAssembly memory that cannot grow past heapBytes: when it is full,
  // malloc fails and QuickJS raises a clean out-of-memory error inside the sandbox.
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: maxPages });
  const wasm: QuickJSWASMModule = await newQuickJSWASMModule(newVariant(RELEASE_SYNC, { wasmMemory: memory }));
  const health: SandboxHealth = { healthy: true, livePrograms: 0 };

  function compile(source: string): CodeCompileResult {
    if (typeof source !== 'string' || source.trim() === '') {
      return { ok: false, reason: 'COMPILATION_ERROR', message: 'Please provide Code field' };
    }
    const bytes = Buffer.byteLength(source, 'utf8');
    if (bytes > maxCodeBytes) {
      return { ok: false, reason: 'CODE_TOO_LARGE', message: `code is ${bytes} bytes; the limit is ${maxCodeBytes}` };
    }
    if (!health.healthy) return { ok: false, reason: 'COMPILATION_ERROR', message: 'sandbox unavailable' };
    let realm: Realm;
    try {
      realm = buildRealm(wasm, limits, source);
    } catch (error) {
      if (error instanceof CompileFailure) {
        return { ok: false, reason: 'COMPILATION_ERROR', message: error.message, line: error.line, column: error.column };
      }
      if (!(error instanceof HostFault)) health.healthy = false; // the WASM glue itself threw
      return { ok: false, reason: 'COMPILATION_ERROR', message: `sandbox fault while compiling: ${String(error)}` };
    }
    health.livePrograms++;
    return { ok: true, program: makeProgram({ wasm, limits, health }, source, realm) };
  }

  return {
    compile,
    get livePrograms() {
      return health.livePrograms;
    },
    get healthy() {
      return health.healthy;
    },
    get heapSizeBytes() {
      return memory.buffer.byteLength;
    },
  };
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number`);
  return value;
}
