// The QuickJS evaluator: deadline, memory and stack limits, resources, and the deadline in CPU time.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createQuickJsEvaluator, type QuickJsProgram } from './quickjs-evaluator.ts';
import { assertFailure, assertStillServing, compileOk, evaluator, input, NORMAL, run, setUpEvaluator } from './quickjs-test-support.ts';

setUpEvaluator();

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
