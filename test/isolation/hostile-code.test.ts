// Issue 10, finding 2 and the fair-share property, by behaviour (no timing assertion): while
// merchant A's active logic and A's editors' dry runs run hostile code continuously, merchant B's
// code evaluations all run (never refused, queued out or suspended), A holds at most its share of
// the pool, A's evaluations are cut at the deadline (falling back to A's default gateways, with
// the reason in the trace), and B's payments and /health keep answering.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { CATCH_RETRY, DEMO, HOSTILE_CODES, activateCode, dryRun, pay, secondTenant, type Paid, type Tenant } from './isolation-helpers.ts';

describe('hostile code of one merchant does not slow, break or steer another', () => {
  let j: TestApp;
  let b: Tenant;
  before(async () => {
    j = await startTestApp();
    b = await secondTenant(j);
    await activateCode(j, b, 'if (payment.cardBrand) setGatewayPriority(["SIM_BETA"]); else setGatewayPriority(["SIM_BETA"]);');
    await activateCode(j, DEMO, CATCH_RETRY);
  });
  after(async () => {
    await j.close();
  });

  test("A's abuse runs continuously while B pays; B's code decides every payment", async () => {
    let abusing = true;
    const aPayments: Paid[] = [];
    const dryRuns: number[] = [];
    // Four editors of A dry-running hostile code in a loop, and A's own payments on its hostile logic.
    const editors = DEMO.editors.map(async (who, i) => {
      for (let n = i; abusing; n++) {
        const r = await dryRun(j, who, HOSTILE_CODES[n % HOSTILE_CODES.length]!);
        dryRuns.push(r.status);
      }
    });
    const aPayer = (async () => {
      while (abusing) aPayments.push(await pay(j, DEMO));
    })();

    const bPayments: Paid[] = [];
    const health: number[] = [];
    try {
      // Let the abuse get going (by progress, not by time): several hostile runs have finished.
      while (dryRuns.length < 4) await new Promise((resolve) => setImmediate(resolve));
      for (let i = 0; i < 12; i++) {
        bPayments.push(await pay(j, b));
        health.push((await j.app.inject({ method: 'GET', url: '/health' })).statusCode);
      }
      while (aPayments.length < 3) await new Promise((resolve) => setImmediate(resolve));
    } finally {
      abusing = false;
      await Promise.all([...editors, aPayer]);
    }

    for (const p of bPayments) {
      assert.equal(p.status, 200, p.body);
      assert.equal(p.decision.evaluationStatus, 'CODE_EVALUATED', `B's code decided: ${JSON.stringify(p.decision.primary)}`);
      assert.equal(p.txn.gateway, 'SIM_BETA');
    }
    assert.deepEqual(
      health,
      health.map(() => 200),
    );
    // Every dry run answered (a 200 with the failure in its trace, or a 4xx), never a 5xx.
    assert.ok(dryRuns.length >= 4 && dryRuns.every((s) => s < 500), JSON.stringify(dryRuns));
    // A's payments still went through, on A's default gateway, with the reason in the trace.
    for (const p of aPayments) {
      assert.equal(p.status, 200, p.body);
      assert.equal(p.decision.evaluationStatus, 'LOGIC_FAILED');
      assert.equal(p.decision.logic.role, 'DEFAULT_GATEWAYS');
      assert.equal(p.decision.primary.failure_reason, 'PL_EVALUATION_FAILED');
      // Cut at the deadline, refused while its lane is suspended, or queued out behind A's own work.
      assert.match(p.decision.primary.message, /deadline|suspended|waited|queue/);
      assert.equal(p.txn.gateway, 'SIM_ALPHA');
    }
    const stats = j.sandbox.stats();
    assert.ok(stats.maxHeldByOneTenant <= Math.max(1, Math.floor(stats.workers / 2)), JSON.stringify(stats));
    assert.ok(stats.kills >= 1, `the catch-and-retry code was cut from outside: ${JSON.stringify(stats)}`);
  });
});
