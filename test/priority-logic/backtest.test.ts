// Backtests through the service on real stored payments (PGlite, and PostgreSQL with DATABASE_URL):
// payments are made through the payment API while a logic is live, then other logics are replayed
// on them. A logic identical to the live one moves nothing and its estimate is what happened; a
// logic sending everything elsewhere moves everything; another merchant's payments are never read;
// bad input is refused naming the field; the job's progress reaches its total, page by page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createBacktestService } from '../../src/core/backtest/backtest-service.ts';
import type { Actor } from '../../src/core/priority-logic/types.ts';
import { createBacktestStore } from '../../src/storage/backtest-repository.ts';
import { createPriorityLogicStore } from '../../src/storage/priority-logic-repository.ts';
import { createRoutingEngine } from '../../src/routing/index.ts';
import { createOrderOk, createSecondMerchant, payByCard, setGateway, setAllGateways } from '../helpers/api-helpers.ts';
import { DEMO_MERCHANT, type TestApp } from '../helpers/test-app.ts';
import { actOk, createLogic, defaultLogic, startPlApp, uniqueName } from './pl-helpers.ts';

const admin: Actor = { merchantId: DEMO_MERCHANT, kind: 'API_KEY', id: 'key_test', role: 'ADMIN' };

async function pay(j: TestApp, n: number, fields: Record<string, string> = {}, auth?: { auth: string; merchantId: string }): Promise<void> {
  for (let i = 0; i < n; i++) {
    const orderId = await createOrderOk(j, auth ? {} : {});
    const r = await payByCard(j, orderId, fields, auth ? { auth: auth.auth } : {});
    assert.equal(r.status, 200, r.body);
  }
}

describe('backtest over stored payments', () => {
  let j: TestApp;
  let live: any;
  let from: Date;
  let to: Date;
  const PAID = 14;

  before(async () => {
    j = await startPlApp();
    setAllGateways(j, { baseSuccessRate: 1 });
    // SIM_ALPHA declines some payments, so the rates are not all 100%.
    setGateway(j, 'SIM_ALPHA', { baseSuccessRate: 0.6, failureMix: { HARD_DECLINE: 1, SOFT_DECLINE: 0, TECHNICAL_ERROR: 0, TIMEOUT: 0 } });
    live = await createLogic(j, defaultLogic(uniqueName('live'), ['SIM_ALPHA']));
    await actOk(j, live.id, 'activate');
    from = new Date(Date.now() - 1_000);
    await pay(j, PAID);
    to = new Date(Date.now() + 20);
    // Later tests' payments fall after the window.
    await new Promise((resolve) => setTimeout(resolve, 40));
  });
  after(async () => {
    await j.close();
  });

  const runToEnd = async (logicId: string, actor: Actor = admin) => {
    const started = await j.backtests.start(actor, logicId, { from, to });
    assert.equal(started.status, 'QUEUED');
    await j.backtests.idle();
    const done = await j.backtests.get(actor, started.id);
    assert.equal(done.status, 'DONE', done.error ?? '');
    return done;
  };

  test('the live logic itself moves nothing and its estimate is exactly what happened', async () => {
    const b = await runToEnd(live.id);
    const r = b.report!;
    assert.equal(r.payments, PAID);
    assert.equal(r.moved, 0);
    assert.equal(r.totals.moved, 0);
    assert.equal(r.totals.draftSuccessRate.estimate, r.totals.actualSuccessRate.estimate);
    assert.deepEqual(r.totals.difference, { estimate: 0, low: 0, high: 0 });
    assert.deepEqual(r.flows, []);
    assert.equal(r.movedSample.length, 0);
    const alpha = r.byGateway.find((g) => g.gateway === 'SIM_ALPHA')!;
    assert.equal(alpha.actualPayments, PAID);
    assert.equal(alpha.draftPayments, PAID);
    assert.match(r.statement, /estimate/);
    assert.equal(b.processed, b.total);
    assert.equal(b.total, PAID);
  });

  test('a copy of the live logic (another id, same routing) also moves nothing and estimates what happened', async () => {
    const copy = await createLogic(j, defaultLogic(uniqueName('same'), ['SIM_ALPHA']));
    const r = (await runToEnd(copy.id)).report!;
    assert.equal(r.moved, 0);
    assert.equal(r.totals.draftSuccessRate.estimate, r.totals.actualSuccessRate.estimate);
  });

  test('a logic sending every payment to another gateway moves all of them, with both decisions side by side', async () => {
    const other = await createLogic(j, defaultLogic(uniqueName('beta'), ['SIM_BETA'], { enforce: true }));
    const b = await runToEnd(other.id);
    const r = b.report!;
    assert.equal(r.payments, PAID);
    assert.equal(r.moved, PAID);
    assert.deepEqual(
      r.flows.map((f) => [f.from, f.to, f.count, f.share]),
      [['SIM_ALPHA', 'SIM_BETA', PAID, 1]],
    );
    // SIM_BETA never had an outcome in this history: every moved payment is extrapolated, and the
    // interval takes the worst case (it spans what could have happened).
    assert.equal(r.totals.extrapolated, PAID);
    assert.ok(r.totals.draftSuccessRate.low === 0 && r.totals.draftSuccessRate.high === 1, JSON.stringify(r.totals.draftSuccessRate));
    const beta = r.byGateway.find((g) => g.gateway === 'SIM_BETA')!;
    assert.equal(beta.actualPayments, 0);
    assert.equal(beta.draftPayments, PAID);
    assert.equal(beta.movedIn, PAID);
    assert.equal(r.byGateway.find((g) => g.gateway === 'SIM_ALPHA')!.movedOut, PAID);
    assert.equal(r.movedSample.length, PAID);
    const m = r.movedSample[0]!;
    assert.equal(m.actual.gateway, 'SIM_ALPHA');
    assert.equal(m.actual.decision?.logic.id, live.id);
    assert.equal(m.draft.gateway, 'SIM_BETA');
    assert.equal(m.draft.decision.logic.id, other.id);
    assert.deepEqual(
      m.draft.decision.finalGateways.map((g) => g.gateway),
      ['SIM_BETA'],
    );
    assert.deepEqual(
      r.byPaymentMethodType.map((g) => [g.key, g.payments, g.moved]),
      [['CARD', PAID, PAID]],
    );
    assert.equal(r.bySegment[0]!.key, 'CARD|VISA');
    // The demo accounts have fee schedules: the cost of the same payments at both gateways.
    const inr = r.cost.byCurrency.find((c) => c.currency === 'INR')!;
    assert.equal(inr.payments, PAID);
    assert.ok(Number.isInteger(inr.actualFeesMinor) && Number.isInteger(inr.draftFeesMinor));
    assert.equal(inr.differenceMinor, inr.draftFeesMinor - inr.actualFeesMinor);
  });

  test('a code-based logic (waiting for approval) is backtested through the sandbox', async () => {
    const code = await createLogic(j, { name: uniqueName('code'), kind: 'CODE', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { code: 'setGatewayPriority(["SIM_GAMMA", "SIM_ALPHA"]);' } });
    assert.equal(code.status, 'PENDING_APPROVAL');
    const r = (await runToEnd(code.id)).report!;
    assert.equal(r.payments, PAID);
    assert.deepEqual(
      r.flows.map((f) => [f.from, f.to, f.count]),
      [['SIM_ALPHA', 'SIM_GAMMA', PAID]],
    );
    assert.equal(r.movedSample[0]!.draft.decision.logic.kind, 'CODE');
  });

  test("another merchant's payments are never read, and its logics are not found", async () => {
    const m2 = await createSecondMerchant(j);
    const orderIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await j.app.inject({
        method: 'POST',
        url: '/orders',
        headers: { authorization: m2.auth, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `order_id=m2o${i}${Date.now()}&amount=10.00&currency=INR`,
      });
      assert.equal(r.statusCode, 200, r.body);
      orderIds.push(JSON.parse(r.body).order_id);
    }
    for (const orderId of orderIds) {
      const r = await payByCard(j, orderId, { merchant_id: m2.merchantId }, { auth: m2.auth });
      assert.equal(r.status, 200, r.body);
    }
    const windowOfBoth = { from, to: new Date(Date.now() + 1_000) };
    const b = await j.backtests.start(admin, live.id, windowOfBoth);
    await j.backtests.idle();
    const done = await j.backtests.get(admin, b.id);
    assert.equal(done.report!.payments, PAID, "only the demo merchant's payments");
    // Merchant B cannot see merchant A's backtest or backtest A's logic.
    const actorB: Actor = { merchantId: m2.merchantId, kind: 'API_KEY', id: 'key_b', role: 'ADMIN' };
    await assert.rejects(j.backtests.get(actorB, b.id), (e: any) => e.code === 'RESOURCE_NOT_FOUND');
    await assert.rejects(j.backtests.start(actorB, live.id, windowOfBoth), (e: any) => e.code === 'RESOURCE_NOT_FOUND');
    await assert.rejects(j.backtests.list(actorB, live.id), (e: any) => e.code === 'RESOURCE_NOT_FOUND');
  });

  test('a window without payments finishes with an empty report', async () => {
    const b = await j.backtests.start(admin, live.id, { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-02T00:00:00Z') });
    await j.backtests.idle();
    const done = await j.backtests.get(admin, b.id);
    assert.equal(done.status, 'DONE');
    assert.equal(done.total, 0);
    assert.equal(done.report!.payments, 0);
    assert.deepEqual(done.report!.byGateway, []);
    assert.deepEqual(done.report!.totals.difference, { estimate: 0, low: 0, high: 0 });
  });

  test('bad input is refused naming the field', async () => {
    const field = (e: any, name: string) => e.fields?.some((f: any) => f.field_name === name);
    await assert.rejects(j.backtests.start(admin, live.id, { from: to, to: from }), (e: any) => e.code === 'INVALID_INPUT' && field(e, 'to'));
    await assert.rejects(j.backtests.start(admin, live.id, { from: new Date(to.getTime() - 91 * 86_400_000), to }), (e: any) => e.code === 'INVALID_INPUT' && field(e, 'to'));
    await assert.rejects(j.backtests.start(admin, live.id, { to }), (e: any) => e.code === 'MISSING_MANDATORY_PARAMETER' && field(e, 'from'));
    await assert.rejects(j.backtests.start(admin, 'pl_nope', { from, to }), (e: any) => e.code === 'RESOURCE_NOT_FOUND');
    const viewer: Actor = { ...admin, kind: 'USER', id: 'usr_v', role: 'VIEWER' };
    await assert.rejects(j.backtests.start(viewer, live.id, { from, to }), (e: any) => e.code === 'UNAUTHORIZED');
  });

  test('a history routed by a volume split: the split weights are the propensities, and moved payments are supported', async () => {
    const split = await createLogic(j, {
      name: uniqueName('split'),
      kind: 'VOLUME',
      defaultGateways: [{ gateway: 'SIM_ALPHA' }],
      definition: {
        splits: [
          { gateway: 'SIM_ALPHA', weight: 50 },
          { gateway: 'SIM_GAMMA', weight: 50 },
        ],
      },
    });
    await actOk(j, split.id, 'activate');
    const splitFrom = new Date();
    await pay(j, 12);
    const splitTo = new Date(Date.now() + 1_000);
    const draft = await createLogic(j, defaultLogic(uniqueName('alpha only'), ['SIM_ALPHA'], { enforce: true }));
    const b = await j.backtests.start(admin, draft.id, { from: splitFrom, to: splitTo });
    await j.backtests.idle();
    const r = (await j.backtests.get(admin, b.id)).report!;
    assert.equal(r.payments, 12);
    assert.equal(r.randomised, 12);
    const toGamma = r.byGateway.find((g) => g.gateway === 'SIM_GAMMA')?.actualPayments ?? 0;
    assert.equal(r.moved, toGamma);
    assert.equal(r.totals.supported, toGamma, 'every moved payment could have gone to SIM_ALPHA under the split');
    await actOk(j, live.id, 'activate');
  });

  test('the job writes its progress page by page and ends with processed = total', async () => {
    const store = createBacktestStore(j.db);
    const seen: number[] = [];
    const watched = {
      ...store,
      progress: async (m: string, id: string, s: any, processed: number) => {
        seen.push(processed);
        return store.progress(m, id, s, processed);
      },
    };
    const service = createBacktestService({
      store: watched,
      logics: createPriorityLogicStore(j.db),
      engine: createRoutingEngine(),
      pageSize: 4,
      gatewayAccounts: (m) => j.merchants.routingCandidates(m),
      feeAccounts: async () => [],
    });
    const b = await service.start(admin, live.id, { from, to });
    assert.equal(b.total, 0, 'counted when the job starts, after the answer');
    await service.idle();
    const done = await service.get(admin, b.id);
    assert.equal(done.status, 'DONE');
    assert.equal(done.processed, PAID);
    assert.equal(done.total, PAID);
    assert.deepEqual(seen, [0, 4, 8, 12, 14]);
    assert.deepEqual(done.report!.cost.byCurrency, [], 'no fee schedules given: no cost figures');
    const listed = await service.list(admin, live.id);
    assert.ok(listed.some((x) => x.id === b.id));
    assert.equal(listed[0]!.report, null, 'the list leaves reports out');
  });

  test('the keyset pages read every payment once, ties on created_at included; fallback attempts and unsettled payments are left out', async () => {
    const store = createBacktestStore(j.db);
    const window = { from, to };
    const ids = (await j.db.query<{ id: string }>('SELECT id FROM txns WHERE merchant_id = $1 AND created_at >= $2 AND created_at < $3 ORDER BY id', [DEMO_MERCHANT, from, to])).map((r) => r.id);
    assert.equal(ids.length, PAID);
    // Six payments made at the same microsecond: pages of 4 cut through them.
    await j.db.query(`UPDATE txns SET created_at = $2::timestamptz + interval '123456 microseconds' WHERE id = ANY($1::text[])`, [ids.slice(0, 6), new Date(from.getTime() + 100)]);
    const readAll = async (): Promise<string[]> => {
      const seen: string[] = [];
      let cursor: { at: string; id: string } | null = null;
      for (;;) {
        const page = await store.pagePayments(DEMO_MERCHANT, window, cursor, 4);
        seen.push(...page.map((p) => p.id));
        if (page.length < 4) return seen;
        cursor = { at: page[page.length - 1]!.cursorAt, id: page[page.length - 1]!.id };
      }
    };
    assert.deepEqual([...(await readAll())].sort(), ids);
    assert.equal(await store.countPayments(DEMO_MERCHANT, window), PAID);
    await j.db.query(`UPDATE txns SET status = 'AUTHORIZING' WHERE id = $1`, [ids[7]]);
    await j.db.query(`UPDATE txns SET routing_decision = routing_decision || '{"fallbackAttempt": 1}'::jsonb WHERE id = $1`, [ids[8]]);
    const left = await readAll();
    assert.equal(left.length, PAID - 2);
    assert.ok(!left.includes(ids[7]!) && !left.includes(ids[8]!));
    assert.equal(await store.countPayments(DEMO_MERCHANT, window), PAID - 2);
  });
});
