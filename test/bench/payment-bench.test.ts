// The payment bench's measuring parts, run small (no figure is asserted: this machine is shared):
// the same-writes baseline makes the writes Junction makes (the same columns set in orders and
// txns; 5 statements, 7 round trips and 4 commits against Junction's 6, 8 and 4), every system
// completes its payments without an error, and on PostgreSQL with pgbench installed the script of
// a payment's own statements writes a whole charged payment per run (the bench throws otherwise).
// On PGlite in `npm test`; on PostgreSQL too when DATABASE_URL is set.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPaymentBench, type EngineResult } from '../../bench/payment-bench.ts';

const small = { payments: 36, seconds: 3, concurrency: 4, warmup: 4, log: () => undefined };

function assertSameWrites(e: EngineResult): void {
  for (const [name, m] of [
    ['Junction', e.junction],
    ['bare', e.bare],
    ['same writes', e.sameWrites],
  ] as const) {
    assert.equal(m.errors, 0, `${e.engine} ${name}: ${m.firstError}`);
    assert.ok(m.payments > 0, `${e.engine} ${name} made no payment`);
  }
  assert.deepEqual(e.sameWritesColumnsThatDiffer, [], `${e.engine}: the baseline's rows set other columns than Junction's`);
  assert.deepEqual(
    { statements: e.statementsPerPayment, roundTrips: e.roundTripsPerPayment, commits: e.commitsPerPayment },
    { statements: 6, roundTrips: 8, commits: 4 },
    `${e.engine}: Junction's statements per payment changed; the baseline and docs/performance.md describe 6 / 8 / 4`,
  );
  assert.deepEqual(e.sameWritesStatements, { statements: 5, roundTrips: 7, commits: 4 }, `${e.engine}: the same-writes baseline's statements per payment`);
  assert.equal(e.sameWritesRoundRatios.length, 6);
}

test('payment bench on PGlite: the same-writes baseline writes what Junction writes', async () => {
  const result = await runPaymentBench({ ...small, engines: ['pglite'], databaseUrl: null });
  assert.equal(result.engines.length, 1);
  assertSameWrites(result.engines[0]!);
});

test("payment bench on PostgreSQL: the same writes, and pgbench running a payment's own statements", { skip: process.env.DATABASE_URL ? false : 'DATABASE_URL is not set' }, async () => {
  const result = await runPaymentBench({ ...small, engines: ['postgres'], databaseUrl: process.env.DATABASE_URL! });
  assert.equal(result.engines.length, 1, result.skipped.join('; '));
  const e = result.engines[0]!;
  assertSameWrites(e);
  if (e.pgbench) {
    const ps = e.pgbench.paymentStatements;
    assert.ok(ps, 'pgbench ran but not the payment statements');
    assert.equal(ps.statements, 5);
    assert.equal(ps.roundPaymentsPerSec.length, 6);
    assert.ok(ps.paymentsPerSec > 0);
  } else {
    assert.ok(
      result.skipped.some((s) => s.includes('pgbench')),
      'no pgbench figures and no reason given',
    );
  }
});
