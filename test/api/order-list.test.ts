// GET /orders: the merchant's orders newest first, filtered by creation time and status, in keyset
// pages that stay stable while orders are created; every bad parameter is a 400 naming it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { assertApiError, createSecondMerchant, get, newOrderId, post, type ApiResponse } from '../helpers/api-helpers.ts';

let j: TestApp;
let m: { merchantId: string; auth: string };

before(async () => {
  j = await startTestApp();
  m = await createSecondMerchant(j);
});
after(async () => {
  await j.close();
});

async function createOrder(fields: Record<string, string> = {}): Promise<string> {
  const orderId = newOrderId('l');
  const r = await post(j, '/orders', { order_id: orderId, amount: '10.00', currency: 'INR', ...fields }, { auth: m.auth, asForm: true });
  assert.equal(r.status, 200, r.body);
  return orderId;
}

const list = (query: string, auth = m.auth): Promise<ApiResponse> => get(j, `/orders${query}`, { auth });

async function allPages(query: string, limit: number, between?: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const r = await list(`?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200, r.body);
    assert.ok(r.json.list.length <= limit);
    assert.equal(r.json.count, r.json.list.length);
    seen.push(...r.json.list.map((o: { order_id: string }) => o.order_id));
    cursor = r.json.next_cursor;
    if (!cursor) return seen;
    await between?.();
  }
  throw new Error('too many pages');
}

describe('GET /orders', () => {
  const made: string[] = [];
  before(async () => {
    for (let i = 0; i < 7; i++) made.push(await createOrder());
    // Twelve hours apart from 2024-05-01T22:00Z (made[i] at 22:00 + 12 h * i), and some statuses set by hand.
    await j.db.query(
      `UPDATE orders SET created_at = timestamptz '2024-05-01T10:00:00Z' + (interval '12 hours' * ord) FROM unnest($1::text[]) WITH ORDINALITY AS u(oid, ord) WHERE merchant_id = $2 AND order_id = u.oid`,
      [made, m.merchantId],
    );
    await j.db.query(`UPDATE orders SET status = 'CHARGED' WHERE merchant_id = $1 AND order_id = ANY($2::text[])`, [m.merchantId, [made[1], made[4]]]);
    await j.db.query(`UPDATE orders SET status = 'AUTHORIZATION_FAILED' WHERE merchant_id = $1 AND order_id = $2`, [m.merchantId, made[2]]);
  });

  test('newest first, in the order list shape', async () => {
    const r = await list('');
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(
      r.json.list.map((o: { order_id: string }) => o.order_id),
      [...made].reverse(),
    );
    assert.equal(r.json.next_cursor, null);
    const newest = r.json.list[0];
    assert.equal(newest.merchant_id, m.merchantId);
    assert.equal(newest.status, 'NEW');
    assert.equal(newest.status_id, 10);
    assert.equal(newest.amount, 10);
    assert.equal(newest.currency, 'INR');
    assert.equal(newest.date_created, '2024-05-04T22:00:00Z');
    assert.match(newest.id, /^ordeh_/);
  });

  test('pages with a cursor cover every order once, also while new orders are created', async () => {
    assert.deepEqual(await allPages('', 2), [...made].reverse());
    const newer: string[] = [];
    const seen = await allPages('', 3, async () => {
      newer.push(await createOrder());
    });
    assert.deepEqual(seen, [...made].reverse(), 'orders created between pages neither shift nor repeat the listed ones');
    const now = await list('?limit=100');
    for (const id of newer)
      assert.ok(
        now.json.list.some((o: { order_id: string }) => o.order_id === id),
        'a fresh first page shows them',
      );
  });

  test('filters by status, one or several', async () => {
    const charged = await list('?status=CHARGED&date_created_to=2024-06-01');
    assert.deepEqual(
      charged.json.list.map((o: { order_id: string }) => o.order_id),
      [made[4], made[1]],
    );
    const several = await list('?status=charged,AUTHORIZATION_FAILED&date_created_to=2024-06-01');
    assert.deepEqual(
      several.json.list.map((o: { order_id: string }) => o.order_id),
      [made[4], made[2], made[1]],
    );
    const repeated = await list('?status=CHARGED&status=AUTHORIZATION_FAILED&date_created_to=2024-06-01');
    assert.deepEqual(repeated.json.list, several.json.list);
  });

  test('filters by creation time: from inclusive, to exclusive, ISO-8601 or epoch seconds', async () => {
    const iso = await list('?date_created_from=2024-05-02T10:00:00Z&date_created_to=2024-05-03T22:00:00%2B00:00');
    assert.deepEqual(
      iso.json.list.map((o: { order_id: string }) => o.order_id),
      [made[3], made[2], made[1]],
    );
    const from = Date.UTC(2024, 4, 2, 10) / 1000;
    const epoch = await list(`?date_created_from=${from}&date_created_to=${from + 36 * 3600}`);
    assert.deepEqual(epoch.json.list, iso.json.list);
    const paged = await allPages('&date_created_from=2024-05-02&date_created_to=2024-05-04', 1);
    assert.deepEqual(paged, [made[4], made[3], made[2], made[1]]);
  });

  test('bad parameters are a 400 naming the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=ten', 'limit'],
      ['?status=PAID', 'status'],
      ['?date_created_from=yesterday', 'date_created_from'],
      ['?date_created_to=2024-05-01T10:00:00', 'date_created_to'],
      ['?date_created_from=2024-05-03&date_created_to=2024-05-02', 'date_created_from'],
      ['?cursor=not-a-cursor', 'cursor'],
      ['?from=2024-05-01', 'from'],
      ['?limit=5&limit=6', 'limit'],
    ];
    for (const [query, field] of cases) assertApiError(await list(query), 400, { code: 'INVALID_INPUT', field });
  });

  test("only the caller's orders; the API key is required", async () => {
    const demo = await list('?limit=100', j.basic);
    assert.equal(demo.status, 200);
    assert.ok(!demo.json.list.some((o: { merchant_id: string }) => o.merchant_id !== 'demo_merchant'));
    assert.ok(!demo.json.list.some((o: { order_id: string }) => made.includes(o.order_id)));
    // Another merchant's cursor only positions within the caller's own orders.
    const page = await list('?limit=1');
    const foreign = await list(`?limit=100&cursor=${page.json.next_cursor}`, j.basic);
    assert.ok(!foreign.json.list.some((o: { order_id: string }) => made.includes(o.order_id)));
    assert.equal((await list('', null as unknown as string)).status, 401);
  });
});
