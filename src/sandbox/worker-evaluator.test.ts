import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWorkerEvaluator } from './worker-evaluator.ts';

const input = { order: { udf1: 'payu_offer' }, txn: {}, payment: { cardIssuer: 'ICICI Bank' }, currentTimeMillis: 7 };

describe('createWorkerEvaluator (worker_threads backstop)', () => {
  it('compiles and evaluates off the event loop with the same results', async () => {
    const evaluator = await createWorkerEvaluator();
    try {
      const compiled = await evaluator.compile('if (order.udf1 == "payu_offer") enforceGatewayPriority(["PAYU"])');
      assert.ok(compiled.ok);
      assert.deepEqual(await compiled.program.evaluate(input), { ok: true, gateways: ['PAYU'], enforced: true, gatewayReferenceIds: {} });
      const bad = await evaluator.compile('let x = ;');
      assert.ok(!bad.ok);
      assert.equal(bad.reason, 'COMPILATION_ERROR');
      assert.equal(bad.line, 1);
      const loop = await evaluator.compile('while (true) {}');
      assert.ok(loop.ok);
      const result = await loop.program.evaluate(input);
      assert.ok(!result.ok);
      assert.equal(result.reason, 'PL_EVALUATION_FAILED');
      await compiled.program.dispose();
    } finally {
      await evaluator.close();
    }
  });

  it('kills a worker that overruns the hard timeout and serves again from a fresh one', async () => {
    // An in-thread deadline longer than the hard timeout stands in for a loop the interrupt
    // handler could not stop.
    const evaluator = await createWorkerEvaluator({ deadlineMs: 5000, hardTimeoutMs: 200 });
    try {
      const normal = await evaluator.compile('setGatewayPriority(["A"])');
      const loop = await evaluator.compile('while (true) {}');
      assert.ok(normal.ok && loop.ok);
      const started = performance.now();
      const killed = await loop.program.evaluate(input);
      assert.ok(performance.now() - started < 2000);
      assert.ok(!killed.ok);
      assert.equal(killed.reason, 'PL_EVALUATION_FAILED');
      assert.match(killed.message, /killed/);
      assert.equal(evaluator.kills, 1);
      assert.deepEqual(await normal.program.evaluate(input), { ok: true, gateways: ['A'], enforced: false, gatewayReferenceIds: {} });
    } finally {
      await evaluator.close();
    }
  });
});
