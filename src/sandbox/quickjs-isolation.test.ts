// The QuickJS evaluator: no host access, tampering and isolation between evaluations.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertFailure, assertStillServing, compileOk, evaluator, input, run, setUpEvaluator } from './quickjs-test-support.ts';

setUpEvaluator();

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
    for (const forbidden of [
      'process',
      'require',
      'fetch',
      'setTimeout',
      'setInterval',
      'console',
      'Date',
      'eval',
      'WeakRef',
      'FinalizationRegistry',
      'SharedArrayBuffer',
      'Atomics',
      'module',
      'exports',
      'Buffer',
    ]) {
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
    assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
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
