// The seam between the routing engine (pure) and the sandbox that runs merchant JavaScript.
// The engine only sees this interface; src/sandbox implements it with QuickJS (WASM). Evaluation
// is synchronous so a routing decision stays a plain function call.

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

export type CodeEvaluationResult =
  | { ok: true; gateways: string[]; enforced: boolean; gatewayReferenceIds: Record<string, string> }
  | { ok: false; reason: CodeFailureReason; message: string };

export type CodeCompileResult =
  | { ok: true; program: CompiledCode }
  | { ok: false; reason: 'COMPILATION_ERROR' | 'CODE_TOO_LARGE'; message: string; line?: number; column?: number };

export interface CompiledCode {
  evaluate(input: CodeEvaluationInput): CodeEvaluationResult;
  /** Frees the sandbox resources held for this program. */
  dispose(): void;
}

export interface CodeEvaluator {
  compile(source: string): CodeCompileResult;
}
