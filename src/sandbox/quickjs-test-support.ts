// Shared by the QuickJS evaluator's test files: the inputs, the normal program every test file
// keeps evaluating to show the sandbox still serves, and assertion helpers. The evaluator and the
// normal program are live bindings set by the hooks setUpEvaluator() registers.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeEvaluationInput, CodeEvaluationResult, CompiledCode } from '../routing/kinds/code-evaluator.ts';
import { createQuickJsEvaluator, type QuickJsEvaluator } from './quickjs-evaluator.ts';

export const input: CodeEvaluationInput = {
  order: { orderId: 'ord_1', amount: 1000, currency: 'INR', udf1: 'payu_offer', metadata: { tier: 'gold' } },
  txn: { txnId: 'txn_1', isEmi: false },
  payment: { cardIssuer: 'ICICI Bank', cardBrand: 'VISA', paymentMethodType: 'CARD' },
  currentTimeMillis: 1_700_000_000_003,
};

export const NORMAL = `if (payment.cardIssuer == "ICICI Bank") setGatewayPriority(['ICICI', 'HDFC']);
else setGatewayPriority(['HDFC', 'ICICI']);`;

export let evaluator: QuickJsEvaluator;
export let normal: CompiledCode;

/** Registers the file's hooks: one evaluator, and the normal program, for all its tests. */
export function setUpEvaluator(): void {
  before(async () => {
    evaluator = await createQuickJsEvaluator();
    normal = compileOk(NORMAL);
  });
  after(() => normal.dispose());
}

export function compileOk(source: string): CompiledCode {
  const compiled = evaluator.compile(source);
  assert.ok(compiled.ok, `expected ${JSON.stringify(source)} to compile: ${JSON.stringify(compiled)}`);
  return compiled.program;
}

/** Compiles, evaluates once, disposes. */
export function run(source: string, with_: Partial<CodeEvaluationInput> = {}): CodeEvaluationResult {
  const program = compileOk(source);
  try {
    return program.evaluate({ ...input, ...with_ });
  } finally {
    program.dispose();
  }
}

export function assertFailure(result: CodeEvaluationResult, reason: string, messagePart?: RegExp): void {
  assert.equal(result.ok, false, `expected failure ${reason}, got ${JSON.stringify(result)}`);
  if (result.ok) return;
  assert.equal(result.reason, reason, result.message);
  if (messagePart) assert.match(result.message, messagePart);
}

/** The service goes on serving: a normal program still evaluates correctly. */
export function assertStillServing(): void {
  assert.deepEqual(normal.evaluate(input), { ok: true, gateways: ['ICICI', 'HDFC'], enforced: false, gatewayReferenceIds: {} });
  assert.equal(evaluator.healthy, true);
}
