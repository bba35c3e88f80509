// The seam between the routing engine (pure) and the sandbox that runs merchant JavaScript.
// The engine only sees these interfaces; src/sandbox implements them with QuickJS (WASM).
// CodeEvaluator is synchronous (the simulator and benchmarks run it in-thread, a decision stays a
// plain function call); AsyncCodeEvaluator runs code elsewhere (the service's worker pool), and
// the engine then decides with decideAsync.

/** Juspay's evaluation failure reasons that a code evaluation can end with. */
export type CodeFailureReason =
  | 'COMPILATION_ERROR'
  | 'CODE_TOO_LARGE'
  | 'MEMORY_EXCEEDED'
  | 'PL_EVALUATION_FAILED' // CPU deadline exceeded, stack overflow, or no priority set
  | 'UNHANDLED_EXCEPTION' // the merchant's code threw
  | 'GATEWAY_NAME_PARSE_FAILURE'; // the code called setGatewayPriority with something that is not a list of gateway names

export interface CodeEvaluationInput {
  order: Record<string, unknown>;
  txn: Record<string, unknown>;
  payment: Record<string, unknown>;
  currentTimeMillis: number;
}

export type CodeEvaluationResult = { ok: true; gateways: string[]; enforced: boolean; gatewayReferenceIds: Record<string, string> } | { ok: false; reason: CodeFailureReason; message: string };

export type CodeCompileResult = { ok: true; program: CompiledCode } | { ok: false; reason: 'COMPILATION_ERROR' | 'CODE_TOO_LARGE'; message: string; line?: number; column?: number };

export interface CompiledCode {
  evaluate(input: CodeEvaluationInput): CodeEvaluationResult;
  /** Frees the sandbox resources held for this program. */
  dispose(): void;
}

export interface CodeEvaluator {
  compile(source: string): CodeCompileResult;
}

/** Who an evaluation is for: the pool shares its workers fairly between tenants. */
export interface EvaluationOwner {
  /** The merchant: at most its share of the pool, its own queue. */
  tenant: string;
  /** 'payment' for live decisions, 'edit' for dry runs and compile checks (separate breakers). */
  lane: 'payment' | 'edit';
}

export type CodeCheckResult = { ok: true } | Extract<CodeCompileResult, { ok: false }>;

export interface AsyncCompiledCode {
  evaluate(input: CodeEvaluationInput, owner: EvaluationOwner): Promise<CodeEvaluationResult>;
  /** Frees the sandbox resources held for this program. */
  dispose(): void;
}

/** Evaluates merchant code off the caller's thread. Compile errors surface through check(); load() never fails. */
export interface AsyncCodeEvaluator {
  /** Compiles the source and discards it: COMPILATION_ERROR / CODE_TOO_LARGE with line and column. */
  check(source: string, owner: EvaluationOwner): Promise<CodeCheckResult>;
  /** A handle on the program; it is compiled where it runs, on first use (a compile error then fails that evaluation). */
  load(source: string): AsyncCompiledCode;
}

export function isAsyncCodeEvaluator(e: CodeEvaluator | AsyncCodeEvaluator): e is AsyncCodeEvaluator {
  return typeof (e as AsyncCodeEvaluator).load === 'function';
}
