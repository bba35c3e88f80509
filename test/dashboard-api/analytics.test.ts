// GET /v1/dashboard/analytics over a known set of payments: totals, gateways, failures by
// unified code, logics, first attempt vs fallback, filters and merchant scoping; then the rollup:
// it answers exactly what the live path answers, a late status change of a rolled-up hour shows
// after the next run, and hours that closed since the last run are rolled up.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createOrder, createSecondMerchant, payByCard, setAllGateways, setGateway } from '../helpers/api-helpers.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { actOk, createLogic, defaultLogic } from '../priority-logic/pl-helpers.ts';
import { ADMIN, DAY, HOUR, MASTERCARD, VIEWER, dash, dashOk, figures, payCard, payWallet } from './dashboard-helpers.ts';

let j: TestApp;
let second: { merchantId: string; apiKey: string; auth: string };
let logic: { id: string; name: string };
const groups: Record<string, string[]> = { visa: [], fallback: [], declined: [], mastercard: [], wallet: [], logic: [] };

const TECHNICAL = { baseSuccessRate: 0, failureMix: { HARD_DECLINE: 0, SOFT_DECLINE: 0, TECHNICAL_ERROR: 1, TIMEOUT: 0 } };
const HARD = { baseSuccessRate: 0, failureMix: { HARD_DECLINE: 1, SOFT_DECLINE: 0, TECHNICAL_ERROR: 0, TIMEOUT: 0 } };

before(async () => {
  j = await startTestApp();
  setAllGateways(j);
  await j.merchants.updateRoutingSettings('demo_merchant', { max_attempts: 3, retry_soft_declines: false });
  second = await createSecondMerchant(j);

  for (const amount of ['100.00', '200.00', '300.50']) groups.visa!.push((await payCard(j, { amount })).orderId);
  setGateway(j, 'SIM_ALPHA', TECHNICAL);
  for (let i = 0; i < 2; i++) groups.fallback!.push((await payCard(j, { amount: '50.00' })).orderId);
  setGateway(j, 'SIM_ALPHA', HARD);
  for (let i = 0; i < 2; i++) groups.declined!.push((await payCard(j, { amount: '40.00' })).orderId);
  setGateway(j, 'SIM_ALPHA');
  groups.mastercard!.push((await payCard(j, { amount: '75.25' }, MASTERCARD)).orderId);
  groups.wallet!.push((await payWallet(j, { amount: '10.00' })).orderId);

  const created = await createLogic(j, defaultLogic(`Gamma first ${Date.now()}`, ['SIM_GAMMA', 'SIM_ALPHA']));
  logic = { id: created.id, name: created.name };
  await actOk(j, logic.id, 'activate');
  for (let i = 0; i < 2; i++) groups.logic!.push((await payCard(j, { amount: '20.00' })).orderId);
  await actOk(j, logic.id, 'deactivate');

  // Another merchant's payments: they must never show in the demo merchant's figures.
  for (let i = 0; i < 2; i++) {
    const order = await createOrder(j, { amount: '999.00' }, { auth: second.auth });
    assert.equal(order.status, 200, order.body);
    const paid = await payByCard(j, order.orderId, { merchant_id: second.merchantId }, { auth: second.auth });
    assert.equal(paid.json.status, 'CHARGED', paid.body);
  }
});
after(async () => {
  await j.close();
});

/** The window around the known payments, fixed so the live path and the rollup are asked the same thing. */
function window(days = 7): string {
  const to = new Date(Math.ceil(Date.now() / HOUR) * HOUR + HOUR);
  const from = new Date(to.getTime() - days * DAY);
  return `from=${from.toISOString()}&to=${to.toISOString()}`;
}

async function hardDeclineCodes(): Promise<Record<string, number>> {
  const rows = await j.db.query<{ error_code: string; n: number }>(
    `SELECT t.error_code, count(*)::int AS n FROM txns t JOIN orders o ON o.id = t.order_pk
      WHERE o.merchant_id = 'demo_merchant' AND o.order_id = ANY($1::text[]) GROUP BY 1`,
    [groups.declined!],
  );
  return Object.fromEntries(rows.map((r) => [r.error_code, Number(r.n)]));
}

describe('analytics of a known set of payments (live)', () => {
  test('totals, amounts, first attempt vs fallback', async () => {
    const a = await dashOk(j, `/v1/dashboard/analytics?${window(1)}`);
    assert.equal(a.rolled_up_until, null, 'nothing rolled up yet: all read live');
    // 3 visa + 2x2 fallback + 2 declined + 1 mastercard + 1 wallet + 2 via the logic
    assert.equal(a.totals.attempts, 13);
    assert.equal(a.totals.charged, 9);
    assert.equal(a.totals.orders, 11);
    assert.equal(a.totals.success_rate, 9 / 13);
    assert.equal(a.totals.amount_charged_minor, 10000 + 20000 + 30050 + 2 * 5000 + 7525 + 1000 + 2 * 2000);
    assert.equal(a.totals.currency, 'INR');
    assert.deepEqual(a.first_attempt, { orders: 11, charged_first_attempt: 7, charged_after_fallback: 2 });
    assert.equal(
      a.series.reduce((n: number, p: any) => n + p.attempts, 0),
      13,
      'the series adds up to the total',
    );
    assert.equal(
      a.series.reduce((n: number, p: any) => n + p.charged, 0),
      9,
    );
  });

  test('per gateway, with latency percentiles from the histogram', async () => {
    const a = await dashOk(j, `/v1/dashboard/analytics?${window(1)}`);
    const by = Object.fromEntries(a.by_gateway.map((g: any) => [g.gateway, g]));
    assert.deepEqual(Object.keys(by).sort(), ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA']);
    assert.deepEqual([by.SIM_ALPHA.attempts, by.SIM_ALPHA.charged], [9, 5]);
    assert.deepEqual([by.SIM_BETA.attempts, by.SIM_BETA.charged, by.SIM_BETA.success_rate], [2, 2, 1]);
    assert.deepEqual([by.SIM_GAMMA.attempts, by.SIM_GAMMA.charged], [2, 2]);
    for (const g of a.by_gateway) {
      assert.equal(typeof g.latency_ms.p50, 'number');
      assert.ok(g.latency_ms.p50 <= g.latency_ms.p90 && g.latency_ms.p90 <= g.latency_ms.p99, JSON.stringify(g.latency_ms));
    }
  });

  test('failures by unified code, with their category', async () => {
    const a = await dashOk(j, `/v1/dashboard/analytics?${window(1)}`);
    const failures = Object.fromEntries(a.failures.map((f: any) => [f.error_code, f]));
    assert.deepEqual(failures.GATEWAY_TECHNICAL_ERROR, { error_code: 'GATEWAY_TECHNICAL_ERROR', category: 'TECHNICAL_ERROR', count: 2 });
    for (const [code, n] of Object.entries(await hardDeclineCodes())) assert.equal(failures[code]?.count, n, `${code}: ${JSON.stringify(a.failures)}`);
    assert.equal(
      a.failures.reduce((n: number, f: any) => n + f.count, 0),
      4,
      'every failed attempt once',
    );
  });

  test('per Priority Logic, by name; the default order when no logic decided', async () => {
    const a = await dashOk(j, `/v1/dashboard/analytics?${window(1)}`);
    const by = Object.fromEntries(a.by_logic.map((l: any) => [l.logic_id, l]));
    assert.deepEqual(by[logic.id], { logic_id: logic.id, logic_name: logic.name, attempts: 2, charged: 2, success_rate: 1 });
    assert.equal(by.DEFAULT_ORDER.attempts, 11);
    assert.deepEqual(
      a.filters.logics.map((l: any) => [l.id, l.name]).filter(([id]: string[]) => id !== 'DEFAULT_ORDER'),
      [[logic.id, logic.name]],
      'the logics that decided payments in the range are offered as filter values',
    );
    const before = await dashOk(j, `/v1/dashboard/analytics?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z`);
    assert.deepEqual(before.filters.logics, [], 'a logic with no payment in the range is not offered');
  });

  test('filter values seen in the range', async () => {
    const a = await dashOk(j, `/v1/dashboard/analytics?${window(1)}`);
    assert.deepEqual(a.filters.payment_method_types, ['CARD', 'WALLET']);
    assert.deepEqual(a.filters.card_brands, ['MASTERCARD', 'VISA']);
    assert.deepEqual(a.filters.gateways, ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA']);
  });

  test('filters narrow every figure', async () => {
    const beta = await dashOk(j, `/v1/dashboard/analytics?${window(1)}&gateway=SIM_BETA`);
    assert.deepEqual([beta.totals.attempts, beta.totals.charged], [2, 2]);
    assert.deepEqual(beta.first_attempt, { orders: 0, charged_first_attempt: 0, charged_after_fallback: 2 });
    assert.deepEqual(
      beta.by_gateway.map((g: any) => g.gateway),
      ['SIM_BETA'],
    );
    const mastercard = await dashOk(j, `/v1/dashboard/analytics?${window(1)}&card_brand=mastercard`);
    assert.deepEqual([mastercard.totals.attempts, mastercard.totals.amount_charged_minor], [1, 7525]);
    const wallet = await dashOk(j, `/v1/dashboard/analytics?${window(1)}&payment_method_type=WALLET`);
    assert.deepEqual([wallet.totals.attempts, wallet.totals.amount_charged_minor], [1, 1000]);
    const byLogic = await dashOk(j, `/v1/dashboard/analytics?${window(1)}&logic_id=${logic.id}`);
    assert.deepEqual([byLogic.totals.attempts, byLogic.by_gateway[0].gateway], [2, 'SIM_GAMMA']);
    const declined = await dashOk(j, `/v1/dashboard/analytics?${window(1)}&gateway=SIM_ALPHA&card_brand=VISA`);
    assert.equal(declined.totals.attempts, 3 + 2 + 2);
    // Filters leave the pickers' values alone.
    assert.deepEqual(beta.filters.gateways, ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA']);
    const none = await dashOk(j, `/v1/dashboard/analytics?${window(1)}&gateway=SIM_ZETA`);
    assert.equal(none.totals.attempts, 0);
    assert.equal(none.totals.success_rate, null);
    assert.deepEqual(none.series, []);
  });

  test('merchant scoping: each merchant sees its own attempts only', async () => {
    const mine = await dashOk(j, `/v1/dashboard/analytics?${window(1)}`, ADMIN);
    assert.deepEqual([mine.totals.attempts, mine.totals.amount_charged_minor], [13, 82575], "none of the other merchant's 999.00 payments");
    const theirs = await dashOk(j, `/v1/dashboard/analytics?${window(1)}`, { basic: second.auth });
    assert.deepEqual([theirs.totals.attempts, theirs.totals.charged, theirs.totals.amount_charged_minor], [2, 2, 199800]);
    assert.deepEqual(theirs.filters.gateways, ['SIM_ALPHA']);
    assert.ok(!theirs.filters.logics.some((l: any) => l.id === logic.id), "another merchant's logics are not offered");
    // The demo merchant's logic id as a filter finds nothing for the other merchant.
    const probe = await dashOk(j, `/v1/dashboard/analytics?${window(1)}&logic_id=${logic.id}`, { basic: second.auth });
    assert.equal(probe.totals.attempts, 0);
  });

  test('the bucket follows the range unless named', async () => {
    assert.equal((await dashOk(j, '/v1/dashboard/analytics')).bucket, 'hour');
    assert.equal((await dashOk(j, `/v1/dashboard/analytics?${window(30)}`)).bucket, 'day');
    const recent = new Date(Date.now() - 30 * 60_000).toISOString();
    const minutes = await dashOk(j, `/v1/dashboard/analytics?from=${recent}`);
    assert.equal(minutes.bucket, 'minute');
    assert.equal(minutes.totals.attempts, 13);
  });
});

async function liveAnswer(url: string): Promise<any> {
  // Forget the rollup boundary for one request: every part is then read from the transactions.
  const [state] = await j.db.query<{ rolled_until: Date | null }>('SELECT rolled_until FROM analytics_rollup_state WHERE id = 1');
  await j.db.query('UPDATE analytics_rollup_state SET rolled_until = NULL WHERE id = 1');
  try {
    const answer = await dashOk(j, url);
    assert.equal(answer.rolled_up_until, null);
    return answer;
  } finally {
    await j.db.query('UPDATE analytics_rollup_state SET rolled_until = $1 WHERE id = 1', [state!.rolled_until]);
  }
}

describe('the rollup', () => {
  let urls: string[] = [];

  test('after runOnce() the rollup answers exactly what the live path answered', async () => {
    // Closed hours: the first payments two days and three hours ago, the others three hours ago.
    const old = [...groups.visa!, ...groups.fallback!];
    await j.db.query(
      `UPDATE txns SET created_at = created_at - $2::interval, updated_at = updated_at - $2::interval
        WHERE order_pk IN (SELECT id FROM orders WHERE order_id = ANY($1::text[]))`,
      [old, '51 hours'],
    );
    await j.db.query(
      `UPDATE txns SET created_at = created_at - interval '3 hours', updated_at = updated_at - interval '3 hours'
        WHERE order_pk NOT IN (SELECT id FROM orders WHERE order_id = ANY($1::text[]))`,
      [old],
    );
    const w = window(7);
    urls = [
      `/v1/dashboard/analytics?${w}&bucket=hour`,
      `/v1/dashboard/analytics?${w}&bucket=day`,
      `/v1/dashboard/analytics?${w}&bucket=day&gateway=SIM_ALPHA`,
      `/v1/dashboard/analytics?${w}&bucket=hour&card_brand=VISA`,
      `/v1/dashboard/analytics?${w}&bucket=day&logic_id=${logic.id}`,
      // Rolled-up hours and days with a method or brand filter come from analytics_hourly and
      // analytics_daily, without from their report-grain twins (analytics_*_report).
      `/v1/dashboard/analytics?${w}&bucket=day&card_brand=VISA`,
      `/v1/dashboard/analytics?${w}&bucket=day&payment_method_type=WALLET`,
      `/v1/dashboard/analytics?${w}&bucket=day&gateway=SIM_ALPHA&logic_id=DEFAULT_ORDER`,
      // Edges inside hours: partial hours are read live, whole ones from the rollup.
      `/v1/dashboard/analytics?from=${new Date(Date.now() - 26.5 * HOUR).toISOString()}&to=${new Date(Date.now() + 5 * 60_000).toISOString()}`,
    ];
    const live = [];
    for (const url of urls) live.push(await dashOk(j, url));
    assert.equal(live[0].totals.attempts, 13);

    const run = await j.analyticsRollup.runOnce({ lagMs: 0 });
    assert.equal(run.full, true, 'the first run builds everything');
    assert.ok(run.hourlyRows > 0 && run.dailyRows > 0, JSON.stringify(run));
    const [daily] = await j.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM analytics_daily WHERE merchant_id = 'demo_merchant'`);
    assert.ok(Number(daily!.n) > 0, 'the closed day is in analytics_daily');
    const [report] = await j.db.query<{ hours: number; days: number; values: number }>(
      `SELECT (SELECT count(*) FROM analytics_hourly_report WHERE merchant_id = 'demo_merchant')::int AS hours,
              (SELECT count(*) FROM analytics_daily_report WHERE merchant_id = 'demo_merchant')::int AS days,
              (SELECT count(*) FROM analytics_daily_values WHERE merchant_id = 'demo_merchant')::int AS values`,
    );
    assert.ok(Number(report!.hours) > 0 && Number(report!.days) > 0 && Number(report!.values) > 0, `the rollup is at the report's grain too: ${JSON.stringify(report)}`);

    for (let i = 0; i < urls.length; i++) {
      const rolled = await dashOk(j, urls[i]!);
      assert.ok(rolled.rolled_up_until, `${urls[i]} read the rollup`);
      assert.deepEqual(figures(rolled), figures(live[i]), urls[i]);
    }
    const theirs = await dashOk(j, `/v1/dashboard/analytics?${w}`, { basic: second.auth });
    assert.deepEqual([theirs.totals.attempts, theirs.totals.amount_charged_minor], [2, 199800], 'the rollup keeps merchants apart');
  });

  test('the open hour is read live: a new payment counts at once', async () => {
    const before = await dashOk(j, urls[0]!);
    await payCard(j, { amount: '1.00' });
    const after = await dashOk(j, urls[0]!);
    assert.equal(after.totals.attempts, before.totals.attempts + 1);
    assert.equal(after.totals.amount_charged_minor, before.totals.amount_charged_minor + 100);
  });

  test('a late status change of an already rolled-up hour shows after the next run', async () => {
    const [txn] = await j.db.query<{ id: string }>(`SELECT t.id FROM txns t JOIN orders o ON o.id = t.order_pk WHERE o.order_id = $1 AND t.status = 'CHARGED'`, [groups.visa![0]!]);
    const before = await dashOk(j, urls[1]!);
    await j.db.query(`UPDATE txns SET status = 'AUTHORIZATION_FAILED', error_code = 'INSUFFICIENT_FUNDS', error_category = 'PAYMENT_FAILURE', updated_at = now() WHERE id = $1`, [txn!.id]);
    const stale = await dashOk(j, urls[1]!);
    assert.equal(stale.totals.charged, before.totals.charged, 'until the next run the rolled-up hour keeps its figures');

    const run = await j.analyticsRollup.runOnce({ lagMs: 0 });
    assert.equal(run.full, false);
    assert.ok(run.hours >= 1 && run.days >= 1, JSON.stringify(run));
    for (const url of urls) {
      const rolled = await dashOk(j, url);
      assert.deepEqual(figures(rolled), figures(await liveAnswer(url)), url);
    }
    const now = await dashOk(j, urls[1]!);
    assert.equal(now.totals.charged, before.totals.charged - 1);
    assert.equal(now.totals.amount_charged_minor, before.totals.amount_charged_minor - 10000);
    const failures = Object.fromEntries(now.failures.map((f: any) => [f.error_code, f.count]));
    const earlier = Object.fromEntries(before.failures.map((f: any) => [f.error_code, f.count]));
    assert.equal(failures.INSUFFICIENT_FUNDS, (earlier.INSUFFICIENT_FUNDS ?? 0) + 1);
  });

  test('hours and days that closed since the last run are rolled up without a new update', async () => {
    // As if the last run had been three days ago and had seen every update up to a minute ago.
    await j.db.query(`UPDATE analytics_rollup_state SET rolled_until = date_trunc('hour', now() - interval '3 days'), watermark = now() - interval '1 minute'`);
    await j.db.query('DELETE FROM analytics_hourly');
    await j.db.query('DELETE FROM analytics_daily');
    for (const table of ['analytics_hourly_report', 'analytics_daily_report', 'analytics_daily_values']) await j.db.query(`DELETE FROM ${table}`);
    const run = await j.analyticsRollup.runOnce({ lagMs: 0 });
    assert.equal(run.full, false);
    assert.ok(run.hourlyRows > 0 && run.dailyRows > 0, JSON.stringify(run));
    for (const url of urls) assert.deepEqual(figures(await dashOk(j, url)), figures(await liveAnswer(url)), url);
  });

  test('rolled-up parts are read from the report tables unless a method or brand filter needs the full rollup', async () => {
    const w = window(7);
    const reads = {
      hours: `/v1/dashboard/analytics?${w}&bucket=hour`,
      days: `/v1/dashboard/analytics?${w}&bucket=day`,
      hoursByBrand: `/v1/dashboard/analytics?${w}&bucket=hour&card_brand=VISA`,
      daysByMethod: `/v1/dashboard/analytics?${w}&bucket=day&payment_method_type=CARD`,
    };
    const before = Object.fromEntries(await Promise.all(Object.entries(reads).map(async ([k, url]) => [k, await dashOk(j, url)]))) as Record<keyof typeof reads, any>;
    // Mark the report tables' rows and the pickers' table: only the reads that use them may change.
    await j.db.query(`UPDATE analytics_hourly_report SET attempts = attempts + 1000 WHERE merchant_id = 'demo_merchant'`);
    await j.db.query(`UPDATE analytics_daily_report SET attempts = attempts + 100000 WHERE merchant_id = 'demo_merchant'`);
    await j.db.query(
      `INSERT INTO analytics_daily_values SELECT merchant_id, day, 'NB', card_brand, gateway, logic_id FROM analytics_daily_values WHERE merchant_id = 'demo_merchant' ON CONFLICT DO NOTHING`,
    );
    const withoutPickers = (answer: any) => {
      const { filters: _pickers, ...rest } = figures(answer);
      return rest;
    };
    try {
      const hours = await dashOk(j, reads.hours);
      const days = await dashOk(j, reads.days);
      assert.ok(hours.totals.attempts >= before.hours.totals.attempts + 1000 && hours.totals.attempts < before.hours.totals.attempts + 100000, 'hours from analytics_hourly_report');
      assert.ok(days.totals.attempts >= before.days.totals.attempts + 100000, 'closed days from analytics_daily_report');
      assert.ok(days.filters.payment_method_types.includes('NB') && !before.days.filters.payment_method_types.includes('NB'), "the closed days' pickers from analytics_daily_values");
      // (Pickers list the values with no filter applied, so a filtered read takes them from analytics_daily_values too.)
      assert.deepEqual(withoutPickers(await dashOk(j, reads.hoursByBrand)), withoutPickers(before.hoursByBrand), 'a brand filter reads analytics_hourly');
      assert.deepEqual(withoutPickers(await dashOk(j, reads.daysByMethod)), withoutPickers(before.daysByMethod), 'a method filter reads analytics_daily');
    } finally {
      await j.analyticsRollup.backfill({ lagMs: 0 });
    }
    assert.deepEqual(figures(await dashOk(j, reads.days)), figures(before.days), 'a rebuild restores the report tables');
  });

  test('backfill() rebuilds everything and changes no figure', async () => {
    const before = await Promise.all(urls.map((url) => dashOk(j, url)));
    const run = await j.analyticsRollup.backfill({ lagMs: 0 });
    assert.equal(run.full, true);
    for (let i = 0; i < urls.length; i++) assert.deepEqual(figures(await dashOk(j, urls[i]!)), figures(before[i]), urls[i]);
  });

  test('every role reads analytics; a caller without credentials does not', async () => {
    assert.equal((await dash(j, 'GET', urls[0]!, undefined, VIEWER)).status, 200);
    const anonymous = await dash(j, 'GET', urls[0]!, undefined, { none: true });
    assert.equal(anonymous.status, 401, anonymous.body);
  });
});
