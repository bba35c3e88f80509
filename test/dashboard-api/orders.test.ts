// Payments in the dashboard: order search (prefix of order id, customer id, email; status; time),
// keyset pages, order detail with the routing trace of every attempt, and refunds (ADMIN only,
// the same rules as the EC API's refunds).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createOrder, createSecondMerchant, payByCard, setAllGateways, setGateway } from '../helpers/api-helpers.ts';
import { DEMO_MERCHANT, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { createAnalyticsStore } from '../../src/storage/analytics-repository.ts';
import { ADMIN, APPROVER, EDITOR, VIEWER, assertFieldError, assertNoAccess, dash, dashOk, payCard } from './dashboard-helpers.ts';

let j: TestApp;
let second: { merchantId: string; apiKey: string; auth: string };
const tag = `q${Date.now().toString(36).slice(-5)}`;
const ids: string[] = [];
let fallbackOrder = '';
let declinedOrder = '';
let theirOrder = '';

before(async () => {
  j = await startTestApp();
  setAllGateways(j);
  await j.merchants.updateRoutingSettings('demo_merchant', { max_attempts: 3 });
  second = await createSecondMerchant(j);
  for (let i = 0; i < 5; i++) {
    const orderId = `${tag}n${i}`;
    await payCard(j, { order_id: orderId, amount: `${10 + i}.50`, customer_id: `cust_${tag}_${i % 2}`, customer_email: `Shopper${i}.${tag}@Example.com` });
    ids.push(orderId);
  }
  setGateway(j, 'SIM_ALPHA', { baseSuccessRate: 0, failureMix: { HARD_DECLINE: 0, SOFT_DECLINE: 0, TECHNICAL_ERROR: 1, TIMEOUT: 0 } });
  fallbackOrder = `${tag}fb`;
  assert.equal((await payCard(j, { order_id: fallbackOrder, amount: '99.99' })).status, 'CHARGED');
  setGateway(j, 'SIM_ALPHA', { baseSuccessRate: 0, failureMix: { HARD_DECLINE: 1, SOFT_DECLINE: 0, TECHNICAL_ERROR: 0, TIMEOUT: 0 } });
  declinedOrder = `${tag}dc`;
  assert.equal((await payCard(j, { order_id: declinedOrder })).status, 'AUTHORIZATION_FAILED');
  setAllGateways(j);
  theirOrder = `${tag}th`;
  const order = await createOrder(j, { order_id: theirOrder }, { auth: second.auth });
  assert.equal(order.status, 200, order.body);
  assert.equal((await payByCard(j, theirOrder, { merchant_id: second.merchantId }, { auth: second.auth })).json.status, 'CHARGED');
});
after(async () => {
  await j.close();
});

const orderIds = (r: any): string[] => r.orders.map((o: any) => o.order_id);

describe('order search', () => {
  test('newest first, with the summary fields', async () => {
    const r = await dashOk(j, `/v1/dashboard/orders?search=${tag}`);
    assert.deepEqual(orderIds(r), [declinedOrder, fallbackOrder, ...[...ids].reverse()]);
    const fb = r.orders.find((o: any) => o.order_id === fallbackOrder);
    assert.deepEqual(
      { status: fb.status, amount: fb.amount, currency: fb.currency, txn_count: fb.txn_count, gateway: fb.gateway },
      { status: 'CHARGED', amount: '99.99', currency: 'INR', txn_count: 2, gateway: 'SIM_BETA' },
    );
    assert.equal(r.next_cursor, null);
  });

  test('by order id prefix, customer id, or email (prefix, any case)', async () => {
    assert.deepEqual(orderIds(await dashOk(j, `/v1/dashboard/orders?search=${tag}n3`)), [`${tag}n3`]);
    assert.deepEqual(orderIds(await dashOk(j, `/v1/dashboard/orders?search=cust_${tag}_1`)), [`${tag}n3`, `${tag}n1`]);
    assert.deepEqual(orderIds(await dashOk(j, `/v1/dashboard/orders?search=shopper4.${tag.toUpperCase()}@example`)), [`${tag}n4`]);
    assert.deepEqual(orderIds(await dashOk(j, '/v1/dashboard/orders?search=%25')), [], 'LIKE wildcards are taken literally');
    assert.deepEqual(orderIds(await dashOk(j, `/v1/dashboard/orders?search=${tag}n_`)), []);
  });

  test('by status and time range', async () => {
    const failed = await dashOk(j, `/v1/dashboard/orders?search=${tag}&status=authorization_failed`);
    assert.deepEqual(orderIds(failed), [declinedOrder]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    assert.deepEqual(orderIds(await dashOk(j, `/v1/dashboard/orders?search=${tag}&from=${future}`)), []);
    assert.equal(orderIds(await dashOk(j, `/v1/dashboard/orders?search=${tag}&to=${future}`)).length, 7);
  });

  test('keyset pages: every order once, in order, then no cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: any = await dashOk(j, `/v1/dashboard/orders?search=${tag}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...orderIds(r));
      cursor = r.next_cursor;
      pages++;
      assert.ok(pages < 10);
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(seen, [declinedOrder, fallbackOrder, ...[...ids].reverse()]);
  });

  test('a broad prefix (more matches than the search collects) walks newest first and answers the same', async () => {
    const collecting = createAnalyticsStore(j.db);
    const walking = createAnalyticsStore(j.db, { searchCandidates: 2 });
    for (const search of [tag, `${tag}n`, `cust_${tag}`]) {
      for (const limit of [3, 50]) {
        const a = await collecting.searchOrders(DEMO_MERCHANT, { search, limit });
        const b = await walking.searchOrders(DEMO_MERCHANT, { search, limit });
        assert.ok(a.length > 2, 'more matches than the walking store collects');
        assert.deepEqual(
          b.map((o) => o.orderId),
          a.map((o) => o.orderId),
          `${search} limit ${limit}`,
        );
      }
    }
  });

  test('a rare in-flight status (PENDING_VBV) is found through its attempts, the same as by walking', async () => {
    const pending = `v${tag}`.slice(0, 20);
    assert.equal((await createOrder(j, { order_id: pending })).status, 200);
    const paid = await payByCard(j, pending, { auth_type: 'THREE_DS' });
    assert.equal(paid.json.status, 'PENDING_VBV', paid.body);
    const r = await dashOk(j, '/v1/dashboard/orders?status=PENDING_VBV');
    assert.ok(orderIds(r).includes(pending), JSON.stringify(orderIds(r)));
    assert.ok(r.orders.every((o: any) => o.status === 'PENDING_VBV'));
    const collected = await createAnalyticsStore(j.db).searchOrders(DEMO_MERCHANT, { status: 'PENDING_VBV', limit: 50 });
    const walked = await createAnalyticsStore(j.db, { searchCandidates: 0 }).searchOrders(DEMO_MERCHANT, { status: 'PENDING_VBV', limit: 50 });
    assert.deepEqual(
      collected.map((o) => o.orderId),
      walked.map((o) => o.orderId),
    );
    assert.equal((await createAnalyticsStore(j.db).searchOrders(DEMO_MERCHANT, { status: 'PENDING_VBV', limit: 50, search: 'nothing-like-this' })).length, 0);
  });

  test("another merchant's orders are never listed", async () => {
    assert.deepEqual(orderIds(await dashOk(j, `/v1/dashboard/orders?search=${theirOrder}`)), []);
    assert.deepEqual(orderIds(await dashOk(j, `/v1/dashboard/orders?search=${tag}`, { basic: second.auth })), [theirOrder]);
  });
});

describe('order detail', () => {
  test('every attempt with its unified error, the raw gateway answer, latency and the routing trace', async () => {
    const r = await dashOk(j, `/v1/dashboard/orders/${fallbackOrder}`);
    assert.equal(r.order.order_id, fallbackOrder);
    assert.equal(r.order.status, 'CHARGED');
    assert.equal(r.order.amount, '99.99');
    assert.equal(r.attempts.length, 2);
    const [first, fallback] = r.attempts;
    assert.deepEqual([first.attempt, first.gateway, first.status], [1, 'SIM_ALPHA', 'AUTHORIZATION_FAILED']);
    assert.deepEqual(first.unified_error, { code: 'GATEWAY_TECHNICAL_ERROR', message: 'The gateway had a technical error', category: 'TECHNICAL_ERROR' });
    assert.equal(first.gateway_code, '96');
    assert.equal(typeof first.gateway_message, 'string');
    assert.equal(typeof first.latency_ms, 'number');
    assert.equal(first.routing_decision.logic.name, 'DEFAULT_ORDER');
    assert.deepEqual(first.routing_decision.final_gateways.slice(0, 2), ['SIM_ALPHA', 'SIM_BETA']);
    assert.deepEqual([fallback.attempt, fallback.gateway, fallback.status, fallback.unified_error], [2, 'SIM_BETA', 'CHARGED', null]);
    assert.equal(fallback.routing_decision.fallback_attempt, 1);
    assert.equal(fallback.routing_decision.previous_attempts[0].gateway, 'SIM_ALPHA');
    assert.equal(fallback.card.last_four_digits, '1111');
    assert.equal(fallback.card.card_brand, 'VISA');
    assert.ok(!/4111111111111111|"cvv"|card_security_code/.test(JSON.stringify(r)), 'no card number or CVV');
    assert.deepEqual(r.refunds, []);
  });

  test("an unknown order, or another merchant's, is not found", async () => {
    assert.equal((await dash(j, 'GET', '/v1/dashboard/orders/nope123')).status, 404);
    const theirs = await dash(j, 'GET', `/v1/dashboard/orders/${theirOrder}`);
    assert.equal(theirs.status, 404, theirs.body);
    assert.equal((await dash(j, 'GET', `/v1/dashboard/orders/${theirOrder}`, undefined, { basic: second.auth })).status, 200);
  });
});

describe('refunds', () => {
  test('VIEWER, EDITOR and APPROVER may not refund', async () => {
    for (const who of [VIEWER, EDITOR, APPROVER]) {
      assertNoAccess(await dash(j, 'POST', `/v1/dashboard/orders/${ids[0]}/refunds`, { amount: '1.00', unique_request_id: `r_${tag}_no` }, who));
    }
    const after = await dashOk(j, `/v1/dashboard/orders/${ids[0]}`);
    assert.deepEqual(after.refunds, []);
    assert.equal(after.order.amount_refunded, '0.00');
  });

  test('ADMIN refunds part of an order; the same request id is answered once', async () => {
    const r = await dash(j, 'POST', `/v1/dashboard/orders/${ids[0]}/refunds`, { amount: '4.25', unique_request_id: `r_${tag}_1` }, ADMIN);
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.order.amount_refunded, '4.25');
    assert.equal(r.json.refunds.length, 1);
    assert.deepEqual([r.json.refunds[0].unique_request_id, r.json.refunds[0].amount, r.json.refunds[0].status], [`r_${tag}_1`, '4.25', 'SUCCESS']);
    const again = await dash(j, 'POST', `/v1/dashboard/orders/${ids[0]}/refunds`, { amount: '4.25', unique_request_id: `r_${tag}_1` }, ADMIN);
    assert.equal(again.status, 200, again.body);
    assert.equal(again.json.refunds.length, 1);
    assert.equal(again.json.order.amount_refunded, '4.25');
  });

  test('the rules of the refund API apply: never above the charge, only charged orders', async () => {
    assertFieldError(await dash(j, 'POST', `/v1/dashboard/orders/${ids[0]}/refunds`, { amount: '1000.00', unique_request_id: `r_${tag}_2` }, ADMIN), 400, 'amount');
    assertFieldError(await dash(j, 'POST', `/v1/dashboard/orders/${ids[0]}/refunds`, { amount: '1.001', unique_request_id: `r_${tag}_3` }, ADMIN), 400, 'amount');
    const declined = await dash(j, 'POST', `/v1/dashboard/orders/${declinedOrder}/refunds`, { unique_request_id: `r_${tag}_4` }, ADMIN);
    assert.equal(declined.status, 400, declined.body);
    assert.equal(declined.json.error_info.code, 'INVALID_ACTION');
    assertFieldError(await dash(j, 'POST', `/v1/dashboard/orders/${ids[1]}/refunds`, { amount: '1.00' }, ADMIN), 400, 'unique_request_id');
    assertFieldError(await dash(j, 'POST', `/v1/dashboard/orders/${ids[1]}/refunds`, { amount: '1.00', unique_request_id: 'x', note: 'hi' }, ADMIN), 400, 'note');
    const theirs = await dash(j, 'POST', `/v1/dashboard/orders/${theirOrder}/refunds`, { unique_request_id: `r_${tag}_5` }, ADMIN);
    assert.equal(theirs.status, 404, theirs.body);
  });

  test('without an amount the whole remaining amount is refunded', async () => {
    const r = await dash(j, 'POST', `/v1/dashboard/orders/${ids[2]}/refunds`, { unique_request_id: `r_${tag}_6` }, ADMIN);
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.order.amount_refunded, r.json.order.amount);
  });
});
