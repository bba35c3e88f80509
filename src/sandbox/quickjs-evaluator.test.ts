import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeEvaluationInput, CodeEvaluationResult, CompiledCode } from '../routing/kinds/code-evaluator.ts';
import { createQuickJsEvaluator, type QuickJsEvaluator, type QuickJsProgram } from './quickjs-evaluator.ts';

const input: CodeEvaluationInput = {
  order: { orderId: 'ord_1', amount: 1000, currency: 'INR', udf1: 'payu_offer', metadata: { tier: 'gold' } },
  txn: { txnId: 'txn_1', isEmi: false },
  payment: { cardIssuer: 'ICICI Bank', cardBrand: 'VISA', paymentMethodType: 'CARD' },
  currentTimeMillis: 1_700_000_000_003,
};

const NORMAL = `if (payment.cardIssuer == "ICICI Bank") setGatewayPriority(['ICICI', 'HDFC']);
else setGatewayPriority(['HDFC', 'ICICI']);`;

let evaluator: QuickJsEvaluator;
let normal: CompiledCode;

before(async () => {
  evaluator = await createQuickJsEvaluator();
  normal = compileOk(NORMAL);
});
after(() => normal.dispose());

function compileOk(source: string): CompiledCode {
  const compiled = evaluator.compile(source);
  assert.ok(compiled.ok, `expected ${JSON.stringify(source)} to compile: ${JSON.stringify(compiled)}`);
  return compiled.program;
}

/** Compiles, evaluates once, disposes. */
function run(source: string, with_: Partial<CodeEvaluationInput> = {}): CodeEvaluationResult {
  const program = compileOk(source);
  try {
    return program.evaluate({ ...input, ...with_ });
  } finally {
    program.dispose();
  }
}

function assertFailure(result: CodeEvaluationResult, reason: string, messagePart?: RegExp): void {
  assert.equal(result.ok, false, `expected failure ${reason}, got ${JSON.stringify(result)}`);
  if (result.ok) return;
  assert.equal(result.reason, reason, result.message);
  if (messagePart) assert.match(result.message, messagePart);
}

/** The service goes on serving: a normal program still evaluates correctly. */
function assertStillServing(): void {
  assert.deepEqual(normal.evaluate(input), { ok: true, gateways: ['ICICI', 'HDFC'], enforced: false, gatewayReferenceIds: {} });
  assert.equal(evaluator.healthy, true);
}

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
      ok: true, gateways: ['B', 'C'], enforced: false, gatewayReferenceIds: {},
    });
    assert.deepEqual(run(`setGatewayPriority(["A"]); return; setGatewayPriority(["B"]);`), {
      ok: true, gateways: ['A'], enforced: false, gatewayReferenceIds: {},
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
    for (const source of [
      '}); setGatewayPriority(["A"]); (function(){',
      '}, (function(){ while(true){} })(), function(){',
      '}); globalThis.x = 1; (function () {',
    ]) {
      const compiled = evaluator.compile(source);
      assert.ok(!compiled.ok, source);
      assert.equal(compiled.reason, 'COMPILATION_ERROR');
    }
    assertStillServing();
  });
});

describe('limits', () => {
  it('infinite loop hits the CPU deadline', () => {
    const started = performance.now();
    assertFailure(run('while(true){}'), 'PL_EVALUATION_FAILED', /deadline/);
    assert.ok(performance.now() - started < 1000);
    assertStillServing();
  });

  it('the deadline cannot be caught', () => {
    assertFailure(run('try { while(true){} } catch (e) {} setGatewayPriority(["A"])'), 'PL_EVALUATION_FAILED', /deadline/);
    assertStillServing();
  });

  it('catastrophic regex backtracking hits the deadline', () => {
    assertFailure(run('/(a+)+$/.test("a".repeat(40) + "b"); setGatewayPriority(["A"])'), 'PL_EVALUATION_FAILED', /deadline/);
    assertStillServing();
  });

  it('a program that timed out works again on its next evaluation', () => {
    const program = compileOk('if (order.spin) { while(true){} } setGatewayPriority(["A"]);');
    try {
      assertFailure(program.evaluate({ ...input, order: { spin: true } }), 'PL_EVALUATION_FAILED', /deadline/);
      assert.deepEqual(program.evaluate(input), { ok: true, gateways: ['A'], enforced: false, gatewayReferenceIds: {} });
    } finally {
      program.dispose();
    }
  });

  it('huge array allocation hits the memory cap', () => {
    assertFailure(run('new Array(1e9).fill(1); setGatewayPriority(["A"])'), 'MEMORY_EXCEEDED');
    assertStillServing();
  });

  it('string doubling hits the memory cap', () => {
    assertFailure(run('let s = "x"; while (true) s += s;'), 'MEMORY_EXCEEDED');
    assertFailure(run('let s = "xy"; while (true) { s = s + s; s.indexOf("z"); }'), 'MEMORY_EXCEEDED');
    assertStillServing();
  });

  it('many medium allocations are bounded by the WebAssembly heap cap, and the heap is reused', async () => {
    const small = await createQuickJsEvaluator({ heapBytes: 48 * 1024 * 1024 });
    const script = 'const a = []; while (true) a.push(new Uint8Array(256 * 1024));';
    const hog = small.compile(script);
    const ok = small.compile(NORMAL);
    assert.ok(hog.ok && ok.ok);
    assertFailure(hog.program.evaluate(input), 'MEMORY_EXCEEDED');
    const heap = small.heapSizeBytes;
    assert.ok(heap <= 48 * 1024 * 1024, `heap ${heap}`);
    assertFailure(hog.program.evaluate(input), 'MEMORY_EXCEEDED');
    assert.equal(small.heapSizeBytes, heap);
    assert.deepEqual(ok.program.evaluate(input), { ok: true, gateways: ['ICICI', 'HDFC'], enforced: false, gatewayReferenceIds: {} });
    hog.program.dispose();
    ok.program.dispose();
    assert.equal(small.healthy, true);
  });

  it('a script that catches the out-of-memory error goes on, but got no memory beyond the cap', () => {
    const result = run('let got = "none"; try { new Array(1e9).fill(1); got = "all"; } catch (e) { got = e.message; } setGatewayPriority([got]);');
    assert.deepEqual(result, { ok: true, gateways: ['out of memory'], enforced: false, gatewayReferenceIds: {} });
    assertStillServing();
  });

  it('deep recursion hits the stack limit (PL_EVALUATION_FAILED)', () => {
    assertFailure(run('function f(n) { return f(n + 1) + 1; } f(0);'), 'PL_EVALUATION_FAILED', /stack/);
    assertFailure(run('function f(n) { try { return f(n + 1) + 1; } catch (e) { return f(n + 1); } } f(0);'), 'PL_EVALUATION_FAILED');
    assertStillServing();
  });

  it('moderate recursion works', () => {
    const result = run('function f(n) { return n === 0 ? 0 : 1 + f(n - 1); } setGatewayPriority(["G" + f(300)]);');
    assert.deepEqual(result, { ok: true, gateways: ['G300'], enforced: false, gatewayReferenceIds: {} });
  });
});

describe('no host access', () => {
  const probes: Array<[string, string]> = [
    ['process', 'process.exit(1)'],
    ['require', 'require("fs")'],
    ['fetch', 'fetch("http://example.com")'],
    ['setTimeout', 'setTimeout(() => {}, 1)'],
    ['setInterval', 'setInterval(() => {}, 1)'],
    ['queueMicrotask', 'queueMicrotask(() => {})'],
    ['console', 'console.log("x")'],
    ['Date', 'Date.now()'],
    ['eval', 'eval("1")'],
    ['Function', 'Function("return this")()'],
    ['constructor chain', '(() => {}).constructor("return globalThis")()'],
  ];
  for (const [name, source] of probes) {
    it(`${name} is not reachable`, () => {
      assertFailure(run(`${source}; setGatewayPriority(["A"])`), 'UNHANDLED_EXCEPTION');
      assertStillServing();
    });
  }

  it('import() gives no module and no host access', () => {
    assertFailure(run('import("fs").then(fs => setGatewayPriority([String(typeof fs.readFileSync)]))'), 'PL_EVALUATION_FAILED', /no gateway priority/);
    const result = run('import("fs"); setGatewayPriority(["A"])');
    assert.deepEqual(result, { ok: true, gateways: ['A'], enforced: false, gatewayReferenceIds: {} });
    assertStillServing();
  });

  it('static import is a compilation error', () => {
    const compiled = evaluator.compile('import fs from "fs";\nsetGatewayPriority(["A"]);');
    assert.ok(!compiled.ok);
    assert.equal(compiled.reason, 'COMPILATION_ERROR');
  });

  it('the global object holds only language built-ins', () => {
    const result = run(`setGatewayPriority(Object.getOwnPropertyNames(globalThis).sort())`);
    assert.ok(result.ok);
    for (const forbidden of ['process', 'require', 'fetch', 'setTimeout', 'setInterval', 'console', 'Date', 'eval', 'WeakRef', 'FinalizationRegistry', 'SharedArrayBuffer', 'Atomics', 'module', 'exports', 'Buffer']) {
      assert.ok(!result.gateways.includes(forbidden), forbidden);
    }
  });

  it('Math.random is deterministic per currentTimeMillis', () => {
    const program = compileOk('setGatewayPriority([String(Math.random()), String(Math.random())])');
    try {
      const a = program.evaluate(input);
      const b = program.evaluate(input);
      const c = program.evaluate({ ...input, currentTimeMillis: input.currentTimeMillis + 1 });
      assert.ok(a.ok && b.ok && c.ok);
      assert.deepEqual(a.gateways, b.gateways);
      assert.notDeepEqual(a.gateways, c.gateways);
      assert.notEqual(a.gateways[0], a.gateways[1]);
    } finally {
      program.dispose();
    }
  });
});

describe('tampering and isolation', () => {
  it('inputs are deep-frozen', () => {
    assertFailure(run('order.amount = 1; setGatewayPriority(["A"])'), 'UNHANDLED_EXCEPTION', /read-only|not extensible/);
    assertFailure(run('order.metadata.tier = "x"; setGatewayPriority(["A"])'), 'UNHANDLED_EXCEPTION');
    assertFailure(run('payment.extra = 1; setGatewayPriority(["A"])'), 'UNHANDLED_EXCEPTION');
  });

  it('inputs given to evaluate are not changed on the host', () => {
    const order = { amount: 5, nested: { a: 1 } };
    run('setGatewayPriority(["A"])', { order });
    assert.deepEqual(order, { amount: 5, nested: { a: 1 } });
    assert.equal(Object.isFrozen(order), false);
  });

  it('Object.prototype pollution fails and reaches neither the next evaluation nor the host', () => {
    const program = compileOk(`
if (({}).polluted !== undefined) { setGatewayPriority(["POLLUTED"]); return; }
setGatewayPriority(["CLEAN"]);
if (order.attack) {
  try { Object.prototype.polluted = "yes"; } catch (e) {}
  try { Object.defineProperty(Object.prototype, "polluted", { value: 1 }); } catch (e) {}
  try { Array.prototype.push = function () {}; } catch (e) {}
  try { ({}).__proto__.polluted = 1; } catch (e) {}
  try { JSON.stringify = function () { return "{}"; }; } catch (e) {}
}`);
    try {
      const attacked = program.evaluate({ ...input, order: { attack: true } });
      assert.deepEqual(attacked, { ok: true, gateways: ['CLEAN'], enforced: false, gatewayReferenceIds: {} });
      const next = program.evaluate(input);
      assert.deepEqual(next, { ok: true, gateways: ['CLEAN'], enforced: false, gatewayReferenceIds: {} });
    } finally {
      program.dispose();
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
    assertStillServing();
  });

  it('globals cannot be created, so state cannot leak between evaluations', () => {
    const program = compileOk(`
var counter = (typeof counter === "number" ? counter : 0) + 1;
try { globalThis.leak = (globalThis.leak || 0) + 1; } catch (e) {}
setGatewayPriority(["C" + counter, "L" + String(globalThis.leak)]);`);
    try {
      for (let i = 0; i < 3; i++) {
        assert.deepEqual(program.evaluate(input), { ok: true, gateways: ['C1', 'Lundefined'], enforced: false, gatewayReferenceIds: {} });
      }
    } finally {
      program.dispose();
    }
    assertFailure(run('leaked = 1; setGatewayPriority(["A"])'), 'UNHANDLED_EXCEPTION', /leaked/);
  });

  it('redefining setGatewayPriority affects only the evaluation that did it', () => {
    const program = compileOk(`
if (order.attack) {
  try { globalThis.setGatewayPriority = function () {}; } catch (e) {}
  setGatewayPriority = function () {};
}
setGatewayPriority(["REAL"]);`);
    try {
      assertFailure(program.evaluate({ ...input, order: { attack: true } }), 'PL_EVALUATION_FAILED', /no gateway priority/);
      assert.deepEqual(program.evaluate(input), { ok: true, gateways: ['REAL'], enforced: false, gatewayReferenceIds: {} });
    } finally {
      program.dispose();
    }
  });

  it('state on the call functions does not carry over', () => {
    const program = compileOk(`
const seen = setGatewayPriority.mark === true;
try { setGatewayPriority.mark = true; } catch (e) {}
setGatewayPriority([seen ? "SEEN" : "FRESH"]);`);
    try {
      program.evaluate(input);
      assert.deepEqual(program.evaluate(input), { ok: true, gateways: ['FRESH'], enforced: false, gatewayReferenceIds: {} });
    } finally {
      program.dispose();
    }
  });

  it('queued promise jobs never run in a later evaluation', () => {
    const program = compileOk(`
if (order.attack) Promise.resolve().then(() => { while (true) {} });
setGatewayPriority(["A"]);`);
    try {
      assert.deepEqual(program.evaluate({ ...input, order: { attack: true } }), { ok: true, gateways: ['A'], enforced: false, gatewayReferenceIds: {} });
      const started = performance.now();
      assert.deepEqual(program.evaluate(input), { ok: true, gateways: ['A'], enforced: false, gatewayReferenceIds: {} });
      assert.ok(performance.now() - started < 40);
    } finally {
      program.dispose();
    }
  });

  it('thrown errors give UNHANDLED_EXCEPTION with the message and merchant line, no host stack', () => {
    const result = run('setGatewayPriority(["A"]);\nthrow new Error("boom");');
    assertFailure(result, 'UNHANDLED_EXCEPTION', /boom/);
    assert.ok(!result.ok);
    assert.match(result.message, /line 2/);
    assert.doesNotMatch(result.message, /node:|\.ts|quickjs|at /);
    assertFailure(run('throw "plain string"'), 'UNHANDLED_EXCEPTION', /plain string/);
    assertFailure(run('throw { toString() { while (true) {} } }'), 'PL_EVALUATION_FAILED', /deadline/);
    assertFailure(run('null.x'), 'UNHANDLED_EXCEPTION', /TypeError/);
    assertStillServing();
  });
});

describe('resources', () => {
  it('10,000 evaluations leave runtime memory flat and leak no handles', () => {
    const program = compileOk(`
const list = [];
for (let i = 0; i < 20; i++) list.push({ name: "G" + i, score: (currentTimeMillis + i) % 7 });
list.sort((a, b) => a.score - b.score);
setGatewayPriority(list.slice(0, 3).map(g => g.name));
setGatewayReferenceIds({ G1: "r" + (currentTimeMillis % 100) });`) as QuickJsProgram;
    try {
      for (let i = 0; i < 500; i++) program.evaluate({ ...input, currentTimeMillis: i });
      const before = program.memoryUsedBytes();
      for (let i = 0; i < 10_000; i++) {
        const result = program.evaluate({ ...input, currentTimeMillis: i });
        assert.ok(result.ok);
      }
      const afterRuns = program.memoryUsedBytes();
      assert.ok(before > 0);
      assert.ok(afterRuns - before <= 0, `runtime memory grew by ${afterRuns - before} bytes (${before} -> ${afterRuns})`);
    } finally {
      program.dispose(); // QuickJS aborts on dispose if any object or handle leaked
    }
    assert.equal(evaluator.healthy, true);
  });

  it('cyclic garbage (which refcounting cannot free) does not pile up across evaluations', () => {
    const program = compileOk(`
const o = { buf: new Uint8Array(1024 * 1024) }; o.self = o;
setGatewayPriority(["A"]);`) as QuickJsProgram;
    try {
      const heapBefore = evaluator.heapSizeBytes;
      for (let i = 0; i < 1000; i++) {
        assert.deepEqual(program.evaluate(input), { ok: true, gateways: ['A'], enforced: false, gatewayReferenceIds: {} });
      }
      assert.ok(program.memoryUsedBytes() < 512 * 1024, `${program.memoryUsedBytes()}`);
      assert.ok(evaluator.heapSizeBytes - heapBefore <= 16 * 1024 * 1024);
    } finally {
      program.dispose();
    }
    assertStillServing();
  });

  it('compile/dispose cycles release their runtimes (disposal asserts no leaked objects)', () => {
    const live = evaluator.livePrograms;
    for (let i = 0; i < 200; i++) {
      const program = compileOk(`setGatewayPriority(["G${i}"]); (async function () {})(); function* g() {}`);
      assert.ok(program.evaluate(input).ok);
      program.dispose();
    }
    assert.equal(evaluator.livePrograms, live);
    assert.equal(evaluator.healthy, true);
  });

  it('a disposed program fails cleanly', () => {
    const program = compileOk('setGatewayPriority(["A"])');
    program.dispose();
    program.dispose();
    assertFailure(program.evaluate(input), 'PL_EVALUATION_FAILED', /disposed/);
  });

  it('rejects a stack limit that could overflow the host stack', async () => {
    await assert.rejects(createQuickJsEvaluator({ maxStackBytes: 1024 * 1024 }), RangeError);
  });
});

describe('deadline in CPU time (cpuClock)', () => {
  // A finite loop that takes well over a 5 ms deadline in QuickJS (about 100 ms here).
  const SLOW = 'var i = 0; while (i < 2000000) i++; setGatewayPriority(["A"]);';
  const input = { order: {}, txn: {}, payment: {}, currentTimeMillis: 1 };

  it('a thread that used less CPU than the deadline (it waited for a CPU) is not cut', async () => {
    // The clock says no CPU was used: past the wall-clock deadline, the evaluation goes on.
    const evaluator = await createQuickJsEvaluator({ deadlineMs: 5, cpuClock: () => 1_000 });
    const compiled = evaluator.compile(SLOW);
    assert.ok(compiled.ok);
    assert.deepEqual(compiled.program.evaluate(input), { ok: true, gateways: ['A'], enforced: false, gatewayReferenceIds: {} });
    compiled.program.dispose();
  });

  it('a thread that used its CPU budget is cut, as without a clock', async () => {
    // The clock follows wall time: the thread had the CPU the whole time.
    const started = performance.now();
    const busy = await createQuickJsEvaluator({ deadlineMs: 5, cpuClock: () => performance.now() - started });
    const plain = await createQuickJsEvaluator({ deadlineMs: 5 });
    for (const evaluator of [busy, plain]) {
      const compiled = evaluator.compile(SLOW);
      assert.ok(compiled.ok);
      const r = compiled.program.evaluate(input);
      assert.ok(!r.ok && r.reason === 'PL_EVALUATION_FAILED' && /deadline/.test(r.message), JSON.stringify(r));
      compiled.program.dispose();
    }
  });
});
