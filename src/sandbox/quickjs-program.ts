// A compiled program: its realm, evaluated once per call, replaced after a deadline, memory or
// stack failure, and disposed on request.

import type { QuickJSWASMModule } from 'quickjs-emscripten';
import type { CodeEvaluationInput, CodeEvaluationResult, CompiledCode } from '../routing/kinds/code-evaluator.ts';
import { buildRealm, disposeRealm, memoryUsed, type Realm, type RealmLimits } from './quickjs-realm.ts';
import { failure, inputJsonOf, runOnce, type Outcome } from './quickjs-evaluation.ts';

/** What compile() returns on success, with a diagnostic the tests and metrics use. */
export interface QuickJsProgram extends CompiledCode {
  /** Bytes the program's QuickJS runtime currently holds (`memory_used_size`); 0 once disposed. */
  memoryUsedBytes(): number;
}

/** The evaluator's state its programs share: whether the WASM module is still trusted, and how many programs it holds. */
export interface SandboxHealth {
  healthy: boolean;
  livePrograms: number;
}

export interface ProgramDeps {
  wasm: QuickJSWASMModule;
  limits: RealmLimits;
  health: SandboxHealth;
}

export function makeProgram(deps: ProgramDeps, source: string, initial: Realm): QuickJsProgram {
  const { wasm, limits, health } = deps;
  let realm: Realm | null = initial;
  let disposed = false;

  function release(current: Realm): void {
    // A realm that cannot be disposed cleanly means the module is suspect.
    if (!disposeRealm(current)) health.healthy = false;
  }

  function replaceRealm(): void {
    // After a deadline, memory or stack failure the context is discarded rather than trusted:
    // QuickJS recovers from these, but a fresh realm costs one compile and removes the doubt.
    if (realm !== null) release(realm);
    realm = null;
    if (!health.healthy) return;
    try {
      realm = buildRealm(wasm, limits, source);
    } catch {
      realm = null; // compiled fine before; retried on the next evaluation
    }
  }

  return {
    evaluate(input: CodeEvaluationInput): CodeEvaluationResult {
      if (!health.healthy) return failure('PL_EVALUATION_FAILED', 'sandbox unavailable');
      if (realm === null) {
        if (!disposed) replaceRealm();
        if (realm === null) return failure('PL_EVALUATION_FAILED', disposed ? 'program disposed' : 'sandbox unavailable');
      }
      const inputJson = inputJsonOf(input);
      if ('failure' in inputJson) return inputJson.failure;
      let outcome: Outcome;
      try {
        outcome = runOnce(limits, realm, inputJson.json);
      } catch (error) {
        // The WASM glue threw (e.g. the host stack overflowed inside QuickJS). The module's
        // internal state can no longer be trusted: stop using it, fail this and later calls.
        health.healthy = false;
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
      if (realm !== null) release(realm);
      realm = null;
      health.livePrograms--;
    },
  };
}
