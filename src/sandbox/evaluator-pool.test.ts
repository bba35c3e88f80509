// The worker pool by behaviour: same answers as the in-thread evaluator, hostile code cut and its
// worker replaced, a fault costs one evaluation, and one tenant never holds more than its share
// nor delays another's dispatch. No assertion here depends on how fast the machine is.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CodeEvaluationResult, EvaluationOwner } from '../routing/kinds/code-evaluator.ts';
import { createEvaluatorPool, type EvaluatorPool } from './evaluator-pool.ts';
import { createQuickJsEvaluator } from './quickjs-evaluator.ts';

const input = { order: { udf1: 'payu_offer', amount: 100 }, txn: {}, payment: { cardIssuer: 'ICICI Bank' }, currentTimeMillis: 7 };
const A: EvaluationOwner = { tenant: 'merchant_a', lane: 'payment' };
const A_EDIT: EvaluationOwner = { tenant: 'merchant_a', lane: 'edit' };
const B: EvaluationOwner = { tenant: 'merchant_b', lane: 'payment' };
const TRIVIAL = 'setGatewayPriority(["PAYU"])';
const CATCH_RETRY = 'function f(){try{return f()}catch(e){return f()}} f();';
const ALLOCATION_STORM = 'var a=[]; while(true){ a.push(new Array(100000).join("x")); }';
const BUSY_LOOP = 'while (true) {}';

async function readyPool(options: Parameters<typeof createEvaluatorPool>[0] = {}): Promise<EvaluatorPool> {
  const pool = createEvaluatorPool(options);
  pool.warm();
  // Wait (by polling, not by time) until every worker answers.
  const warmup = pool.load(TRIVIAL);
  while (pool.stats().ready < pool.stats().workers) await warmup.evaluate(input, { tenant: 'warmup', lane: 'payment' });
  warmup.dispose();
  return pool;
}

function failed(r: CodeEvaluationResult): Extract<CodeEvaluationResult, { ok: false }> {
  assert.equal(r.ok, false, `expected a failure, got ${JSON.stringify(r)}`);
  return r as Extract<CodeEvaluationResult, { ok: false }>;
}

describe('evaluator pool', () => {
  let pool: EvaluatorPool;
  before(async () => {
    pool = await readyPool();
  });
  after(async () => {
    await pool.close();
  });

  test('answers exactly as the in-thread evaluator', async () => {
    const inThread = await createQuickJsEvaluator();
    const programs = [
      TRIVIAL,
      'if (order.udf1 == "payu_offer") enforceGatewayPriority(["PAYU", "RAZORPAY"]); setGatewayReferenceIds({ PAYU: "acc_1" });',
      'throw new TypeError("boom")',
      'setGatewayPriority("PAYU")',
      'var x = 1;',
      BUSY_LOOP,
    ];
    for (const code of programs) {
      const compiled = inThread.compile(code);
      assert.ok(compiled.ok);
      const expected = compiled.program.evaluate(input);
      compiled.program.dispose();
      const program = pool.load(code);
      assert.deepEqual(await program.evaluate(input, B), expected, code);
      assert.deepEqual(await program.evaluate(input, B), expected, `${code} (compiled, second run)`);
      program.dispose();
    }
  });

  test('check reports compile errors with line and column, and size limits, without keeping anything', async () => {
    assert.deepEqual(await pool.check(TRIVIAL, A_EDIT), { ok: true });
    const bad = await pool.check('setGatewayPriority(["A"]);\nlet x = ;', A_EDIT);
    assert.equal(bad.ok, false);
    assert.ok(!bad.ok && bad.reason === 'COMPILATION_ERROR' && bad.line === 2, JSON.stringify(bad));
    const big = await pool.check(`// ${'x'.repeat(70 * 1024)}\n${TRIVIAL}`, A_EDIT);
    assert.ok(!big.ok && big.reason === 'CODE_TOO_LARGE');
    // A program whose compile fails at evaluation time fails that evaluation only.
    const broken = pool.load('let y = ;');
    assert.equal(failed(await broken.evaluate(input, B)).reason, 'COMPILATION_ERROR');
    broken.dispose();
  });

  test('finding 1: a compile that overflows the parser stack fails alone; code routing keeps working for everyone', async () => {
    const good = pool.load(TRIVIAL);
    for (const depth of [1_000, 30_000]) {
      const nested = `${'('.repeat(depth)}1${')'.repeat(depth)}`;
      const r = await pool.check(`setGatewayPriority([String(${nested})]);`, A_EDIT);
      if (!r.ok) assert.equal(r.reason, 'COMPILATION_ERROR');
      const asProgram = pool.load(`setGatewayPriority(["G" + ${nested}]);`);
      const evaluated = await asProgram.evaluate(input, A_EDIT);
      if (!evaluated.ok) assert.ok(['COMPILATION_ERROR', 'PL_EVALUATION_FAILED'].includes(evaluated.reason));
      asProgram.dispose();
      assert.deepEqual(await good.evaluate(input, B), { ok: true, gateways: ['PAYU'], enforced: false, gatewayReferenceIds: {} });
      assert.deepEqual(await good.evaluate(input, A), { ok: true, gateways: ['PAYU'], enforced: false, gatewayReferenceIds: {} });
    }
    good.dispose();
  });

  test('code the in-VM deadline cannot stop is cut from outside: the worker is replaced and the lane suspended', async () => {
    const good = pool.load(TRIVIAL);
    for (const code of [CATCH_RETRY, ALLOCATION_STORM]) {
      const before = pool.stats().kills;
      const hostile = pool.load(code);
      await hostile.evaluate(input, A_EDIT); // compiles in this worker (the compile has its own limit)
      // Now compiled: run again on a worker that has it, or compile anew; either way it is cut.
      let r = failed(await hostile.evaluate(input, A));
      // The lane may be suspended by the first run's kill: wait it out by asking until it runs.
      while (/suspended/.test(r.message)) r = failed(await new Promise<CodeEvaluationResult>((resolve) => setTimeout(() => resolve(hostile.evaluate(input, A)), 50)));
      assert.equal(r.reason, 'PL_EVALUATION_FAILED', r.message);
      assert.match(r.message, /deadline|stopped/);
      assert.ok(pool.stats().kills > before, `${code}: killed`);
      // Right after a kill, the same lane is suspended: it fails at once without reaching a worker.
      const suspended = failed(await hostile.evaluate(input, A));
      assert.match(suspended.message, /suspended/);
      // Another merchant, and the other lane of the same merchant, are not.
      assert.equal((await good.evaluate(input, B)).ok, true);
      assert.equal((await good.evaluate(input, { tenant: 'merchant_c', lane: 'edit' })).ok, true);
      hostile.dispose();
    }
    assert.ok(pool.stats().ready >= 1);
    good.dispose();
  });

  test('fair share: a tenant with a full queue of hostile work holds one worker; another tenant is dispatched at once', async () => {
    const fair = await readyPool({ workers: 2, spares: 1, queueLimit: 8, maxWaitMs: 60_000 });
    try {
      const hostile = fair.load(BUSY_LOOP);
      const good = fair.load(TRIVIAL);
      await good.evaluate(input, B); // compiled in one worker
      // One runs, eight wait: the queue of 8 is full, and the tenth is refused at once.
      const hostileRuns = Array.from({ length: 9 }, () => hostile.evaluate(input, A));
      const overflow = failed(await hostile.evaluate(input, A));
      assert.match(overflow.message, /queue of this merchant is full/);
      let stats = fair.stats();
      assert.equal(stats.running.merchant_a, 1, 'A holds one worker, not both');
      assert.equal(stats.queued, 8);
      const goodRun = good.evaluate(input, B);
      stats = fair.stats();
      assert.equal(stats.running.merchant_b, 1, "B's evaluation went to the free worker at once, not behind A's queue");
      assert.equal(stats.queued, 8);
      assert.equal((await goodRun).ok, true);
      const results = await Promise.all(hostileRuns);
      for (const r of results) assert.match(failed(r).message, /deadline/);
      assert.equal(fair.stats().maxHeldByOneTenant, 1);
    } finally {
      await fair.close();
    }
  });

  test('queued work that waited longer than maxWaitMs fails instead of piling up', async () => {
    const small = await readyPool({ workers: 1, maxShare: 1, maxWaitMs: 20 });
    try {
      const hostile = small.load(BUSY_LOOP);
      const results = await Promise.all(Array.from({ length: 4 }, () => hostile.evaluate(input, A)));
      // Each run takes at least the 50 ms deadline, so the later ones waited longer than 20 ms.
      assert.ok(
        results.some((r) => /waited over 20 ms/.test(failed(r).message)),
        JSON.stringify(results),
      );
      assert.ok(small.stats().rejected >= 1);
    } finally {
      await small.close();
    }
  });

  test('a disposed program and a closed pool answer failures, never hang', async () => {
    const p = createEvaluatorPool({ workers: 1, spares: 0 });
    const program = p.load(TRIVIAL);
    assert.equal((await program.evaluate(input, B)).ok, true);
    program.dispose();
    assert.match(failed(await program.evaluate(input, B)).message, /disposed/);
    const pending = p.load(BUSY_LOOP).evaluate(input, B);
    await p.close();
    assert.match(failed(await pending).message, /closed|stopped/);
    assert.match(failed(await p.load(TRIVIAL).evaluate(input, B)).message, /closed/);
  });
});
