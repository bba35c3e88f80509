// The QuickJS evaluator: the spec examples, result validation and compilation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertFailure, assertStillServing, compileOk, evaluator, input, normal, run, setUpEvaluator } from './quickjs-test-support.ts';

setUpEvaluator();

describe('spec examples', () => {
  it('issuer-based priority', () => {
    assert.deepEqual(normal.evaluate(input), { ok: true, gateways: ['ICICI', 'HDFC'], enforced: false, gatewayReferenceIds: {} });
    const other = normal.evaluate({ ...input, payment: { cardIssuer: 'SBI' } });
    assert.deepEqual(other, { ok: true, gateways: ['HDFC', 'ICICI'], enforced: false, gatewayReferenceIds: {} });
  });

  it('50/50 split by currentTimeMillis % 10 < 5', () => {
    const program = compileOk(`if (currentTimeMillis % 10 < 5) setGatewayPriority(["PAYU", "RAZORPAY"]);
else setGatewayPriority(["RAZORPAY", "PAYU"]);`);
    try {
      const low = program.evaluate({ ...input, currentTimeMillis: 1_700_000_000_004 });
      const high = program.evaluate({ ...input, currentTimeMillis: 1_700_000_000_005 });
      assert.ok(low.ok && high.ok);
      assert.deepEqual(low.gateways, ['PAYU', 'RAZORPAY']);
      assert.deepEqual(high.gateways, ['RAZORPAY', 'PAYU']);
    } finally {
      program.dispose();
    }
  });

  it('enforceGatewayPriority on a udf', () => {
    const source = `setGatewayPriority(["HDFC"]);
if (order.udf1 == "payu_offer") enforceGatewayPriority(["PAYU"])`;
    assert.deepEqual(run(source), { ok: true, gateways: ['PAYU'], enforced: true, gatewayReferenceIds: {} });
    assert.deepEqual(run(source, { order: { udf1: 'none' } }), { ok: true, gateways: ['HDFC'], enforced: false, gatewayReferenceIds: {} });
  });

  it('setGatewayReferenceIds (merged across calls; numbers become strings)', () => {
    const result = run(`setGatewayPriority(["PAYU", "HDFC"]);
setGatewayReferenceIds({ PAYU: "payu_mid_1" });
setGatewayReferenceIds({ HDFC: 42 });`);
    assert.deepEqual(result, { ok: true, gateways: ['PAYU', 'HDFC'], enforced: false, gatewayReferenceIds: { PAYU: 'payu_mid_1', HDFC: '42' } });
  });

  it('the last priority call wins, and top-level return is an early exit', () => {
    assert.deepEqual(run(`enforceGatewayPriority(["A"]); setGatewayPriority(["B", "C"]);`), {
      ok: true,
      gateways: ['B', 'C'],
      enforced: false,
      gatewayReferenceIds: {},
    });
    assert.deepEqual(run(`setGatewayPriority(["A"]); return; setGatewayPriority(["B"]);`), {
      ok: true,
      gateways: ['A'],
      enforced: false,
      gatewayReferenceIds: {},
    });
  });
});

describe('result validation', () => {
  it('no priority set', () => assertFailure(run('var x = 1;'), 'PL_EVALUATION_FAILED', /no gateway priority set/));

  for (const bad of ['"PAYU"', '[1]', '[""]', '[]', '[null]', '{0: "A", length: 1}', '["A", ["B"]]']) {
    it(`setGatewayPriority(${bad}) is a parse failure`, () => {
      assertFailure(run(`setGatewayPriority(${bad})`), 'GATEWAY_NAME_PARSE_FAILURE');
      assertFailure(run(`enforceGatewayPriority(${bad})`), 'GATEWAY_NAME_PARSE_FAILURE');
    });
  }

  it('an invalid call fails the evaluation even if a later call is valid', () => {
    assertFailure(run('setGatewayPriority([1]); setGatewayPriority(["A"])'), 'GATEWAY_NAME_PARSE_FAILURE');
  });

  it('invalid reference ids are a parse failure', () => {
    assertFailure(run('setGatewayPriority(["A"]); setGatewayReferenceIds(["x"])'), 'GATEWAY_NAME_PARSE_FAILURE');
    assertFailure(run('setGatewayPriority(["A"]); setGatewayReferenceIds({A: {}})'), 'GATEWAY_NAME_PARSE_FAILURE');
  });

  it('a getter-laden array is read once, inside the sandbox', () => {
    const result = run(`let n = 0; const a = ["A"]; Object.defineProperty(a, 0, { get() { n++; return n === 1 ? "A" : 7; } });
setGatewayPriority(a);`);
    assert.deepEqual(result, { ok: true, gateways: ['A'], enforced: false, gatewayReferenceIds: {} });
  });
});

describe('compilation', () => {
  it('reports syntax errors at the line and column of the merchant source', () => {
    const compiled = evaluator.compile('const a = 1;\nif (a) {\n  setGatewayPriority(["A"]) +* 2;\n}');
    assert.equal(compiled.ok, false);
    if (compiled.ok) return;
    assert.equal(compiled.reason, 'COMPILATION_ERROR');
    assert.equal(compiled.line, 3);
    assert.equal(compiled.column, 30); // the '*'
    assert.match(compiled.message, /unexpected token/);
  });

  it('reports an error on the first line at column from 1', () => {
    const compiled = evaluator.compile('let = 5;');
    assert.ok(!compiled.ok);
    assert.equal(compiled.line, 1);
    assert.equal(typeof compiled.column, 'number');
  });

  it('reports unterminated constructs inside the source', () => {
    const compiled = evaluator.compile('setGatewayPriority(["A"]);\n/* never closed');
    assert.ok(!compiled.ok);
    assert.equal(compiled.reason, 'COMPILATION_ERROR');
    assert.equal(compiled.line, 2);
  });

  it('rejects code over maxCodeBytes with CODE_TOO_LARGE (UTF-8 bytes)', () => {
    const big = `setGatewayPriority(["A"]); // ${'x'.repeat(64 * 1024)}`;
    const compiled = evaluator.compile(big);
    assert.ok(!compiled.ok);
    assert.equal(compiled.reason, 'CODE_TOO_LARGE');
  });

  it('rejects empty code', () => {
    const compiled = evaluator.compile('   ');
    assert.ok(!compiled.ok);
    assert.equal(compiled.reason, 'COMPILATION_ERROR');
  });

  it('rejects source that closes the wrapper function early', () => {
    for (const source of ['}); setGatewayPriority(["A"]); (function(){', '}, (function(){ while(true){} })(), function(){', '}); globalThis.x = 1; (function () {']) {
      const compiled = evaluator.compile(source);
      assert.ok(!compiled.ok, source);
      assert.equal(compiled.reason, 'COMPILATION_ERROR');
    }
    assertStillServing();
  });
});
