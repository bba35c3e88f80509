// The backtest API over HTTP: POST /v1/priority-logics/:id/backtests answers 202 with the queued
// job, GET /v1/priority-logics/backtests/:backtestId shows its progress and, once done, the report,
// GET /v1/priority-logics/:id/backtests lists a logic's recent ones; bad input names the field,
// and another merchant's logic or backtest is not found.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createOrderOk, createSecondMerchant, payByCard, setAllGateways } from '../helpers/api-helpers.ts';
import type { TestApp } from '../helpers/test-app.ts';
import { VIEWER_TOKEN, actOk, api, assertError, bearer, createLogic, defaultLogic, startPlApp, uniqueName } from '../priority-logic/pl-helpers.ts';

describe('backtest API', () => {
  let j: TestApp;
  let live: any;
  let draft: any;
  let from: string;
  let to: string;

  before(async () => {
    j = await startPlApp();
    setAllGateways(j, { baseSuccessRate: 1 });
    live = await createLogic(j, defaultLogic(uniqueName('live'), ['SIM_ALPHA']));
    await actOk(j, live.id, 'activate');
    draft = await createLogic(j, defaultLogic(uniqueName('draft'), ['SIM_GAMMA'], { enforce: true }));
    from = new Date(Date.now() - 1_000).toISOString();
    for (let i = 0; i < 5; i++) assert.equal((await payByCard(j, await createOrderOk(j))).status, 200);
    to = new Date(Date.now() + 1_000).toISOString();
  });
  after(async () => {
    await j.close();
  });

  test('POST answers 202 with the queued job; GET shows the report once done; the list shows it', async () => {
    const started = await api(j, 'POST', `/v1/priority-logics/${draft.id}/backtests`, { from, to });
    assert.equal(started.status, 202, started.body);
    assert.match(started.json.id, /^bt_/);
    assert.equal(started.json.status, 'QUEUED');
    assert.equal(started.json.logic_id, draft.id);
    assert.deepEqual(started.json.progress, { processed: 0, total: 0, percent: 0 });
    await j.backtests.idle();
    const done = await api(j, 'GET', `/v1/priority-logics/backtests/${started.json.id}`, undefined, bearer(VIEWER_TOKEN));
    assert.equal(done.status, 200, done.body);
    assert.equal(done.json.status, 'DONE');
    assert.deepEqual(done.json.progress, { processed: 5, total: 5, percent: 100 });
    const report = done.json.report;
    assert.equal(report.payments, 5);
    assert.equal(report.moved, 5);
    assert.match(report.statement, /estimates/);
    assert.deepEqual(report.flows, [{ from: 'SIM_ALPHA', to: 'SIM_GAMMA', count: 5, share: 100 }]);
    assert.equal(report.totals.actual_success_rate.estimate, 100);
    assert.equal(report.totals.extrapolated, 5);
    const gamma = report.by_gateway.find((g: any) => g.gateway === 'SIM_GAMMA');
    assert.deepEqual(gamma.draft.payments, 5);
    assert.equal(report.moved_sample.length, 5);
    const m = report.moved_sample[0];
    assert.equal(m.actual.gateway, 'SIM_ALPHA');
    assert.equal(m.draft.gateway, 'SIM_GAMMA');
    assert.equal(m.actual.decision.logic.id, live.id);
    assert.equal(m.draft.decision.logic.id, draft.id);
    assert.ok(Number.isInteger(m.amount_minor));
    const listed = await api(j, 'GET', `/v1/priority-logics/${draft.id}/backtests`);
    assert.equal(listed.status, 200, listed.body);
    assert.equal(listed.json.backtests[0].id, started.json.id);
    assert.equal(listed.json.backtests[0].report, undefined);
  });

  test('bad input names the field', async () => {
    const url = `/v1/priority-logics/${draft.id}/backtests`;
    assertError(await api(j, 'POST', url, { from: to, to: from }), 400, 'INVALID_INPUT', undefined, 'to');
    const long = new Date(new Date(to).getTime() - 91 * 86_400_000).toISOString();
    assertError(await api(j, 'POST', url, { from: long, to }), 400, 'INVALID_INPUT', undefined, 'to');
    assertError(await api(j, 'POST', url, { to }), 400, 'MISSING_MANDATORY_PARAMETER', undefined, 'from');
    const bad = await api(j, 'POST', url, { from: 'yesterday', to });
    assert.equal(bad.status, 400, bad.body);
    assertError(await api(j, 'POST', '/v1/priority-logics/pl_unknown/backtests', { from, to }), 404, 'RESOURCE_NOT_FOUND');
    assertError(await api(j, 'GET', '/v1/priority-logics/backtests/bt_unknown'), 404, 'RESOURCE_NOT_FOUND');
    // A viewer reads, but does not start backtests.
    assertError(await api(j, 'POST', url, { from, to }, bearer(VIEWER_TOKEN)), 403, 'UNAUTHORIZED');
  });

  test("another merchant neither backtests this merchant's logic nor reads its backtests", async () => {
    const m2 = await createSecondMerchant(j);
    const started = await api(j, 'POST', `/v1/priority-logics/${draft.id}/backtests`, { from, to });
    assert.equal(started.status, 202);
    await j.backtests.idle();
    const other = { basic: m2.auth };
    assertError(await api(j, 'POST', `/v1/priority-logics/${draft.id}/backtests`, { from, to }, other), 404, 'RESOURCE_NOT_FOUND');
    assertError(await api(j, 'GET', `/v1/priority-logics/backtests/${started.json.id}`, undefined, other), 404, 'RESOURCE_NOT_FOUND');
    assertError(await api(j, 'GET', `/v1/priority-logics/${draft.id}/backtests`, undefined, other), 404, 'RESOURCE_NOT_FOUND');
  });

  test('at most two backtests of a merchant run at once: a third is refused with 429 until one finishes', async () => {
    const ids = ['bt_busy_1', 'bt_busy_2'];
    for (const id of ids) {
      await j.db.query(
        `INSERT INTO priority_logic_backtests (id, merchant_id, logic_id, logic_version, window_from, window_to, status, created_by) VALUES ($1, 'demo_merchant', $2, 1, $3, $4, 'RUNNING', 'usr_x')`,
        [id, draft.id, new Date(from), new Date(to)],
      );
    }
    assertError(await api(j, 'POST', `/v1/priority-logics/${draft.id}/backtests`, { from, to }), 429, 'RATE_LIMITED', undefined, 'id');
    await j.db.query(`UPDATE priority_logic_backtests SET status = 'FAILED' WHERE id = $1`, [ids[0]]);
    const started = await api(j, 'POST', `/v1/priority-logics/${draft.id}/backtests`, { from, to });
    assert.equal(started.status, 202, started.body);
    await j.backtests.idle();
  });
});
