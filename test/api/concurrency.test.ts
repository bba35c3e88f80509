// Concurrent requests on one resource: one charge per order, one order per order id, refunds
// that never exceed the charge, one refund per unique_request_id.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { countRows, createOrderOk, newOrderId, orderRows, orderStatus, payByCard, post, setAllGateways } from '../helpers/api-helpers.ts';

let j: TestApp;
before(async () => {
  j = await startTestApp();
});
after(async () => {
  await j.close();
});
beforeEach(() => {
  // A little gateway latency so the requests really overlap.
  setAllGateways(j, { latency: { fixedMs: 15, jitterMs: 0 } });
});

function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

async function chargedOrder(amount: string): Promise<{ orderId: string; txnUuid: string }> {
  const orderId = await createOrderOk(j, { amount });
  const txn = await payByCard(j, orderId);
  assert.equal(txn.json.status, 'CHARGED', txn.body);
  return { orderId, txnUuid: txn.json.txn_uuid };
}

describe('concurrency', () => {
  test('20 concurrent txns on one order: exactly one charge', async () => {
    const orderId = await createOrderOk(j, { amount: '100.00' });
    const responses = await Promise.all(Array.from({ length: 20 }, () => payByCard(j, orderId)));
    const charged = responses.filter((r) => r.status === 200 && r.json.status === 'CHARGED');
    assert.equal(charged.length, 1, `one CHARGED answer: ${JSON.stringify(tally(responses.map((r) => r.status)))}`);
    for (const r of responses) {
      assert.ok(r.status === 200 || r.status === 409 || r.status === 400, `unexpected ${r.status}: ${r.body}`);
      if (r.status === 200) assert.equal(r.json.status, 'CHARGED', r.body);
      if (r.status === 409) assert.equal(r.json.error_info.code, 'DUPLICATE_REQUEST');
      if (r.status === 400) assert.equal(r.json.error_info.code, 'INVALID_ACTION');
    }
    assert.equal(await countRows(j, 'txns', "txn_id LIKE $1 AND status = 'CHARGED'", [`demo_merchant-${orderId}-%`]), 1);
    assert.equal(await countRows(j, 'txns', 'txn_id LIKE $1', [`demo_merchant-${orderId}-%`]), 1, 'only one attempt reached the gateway');
    const [row] = await j.db.query<{ gateway_txn_id: string }>("SELECT gateway_txn_id FROM txns WHERE txn_id LIKE $1 AND status = 'CHARGED'", [`demo_merchant-${orderId}-%`]);
    assert.equal(j.simulator.lookup(row!.gateway_txn_id)?.status, 'CHARGED');
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.status, 'CHARGED');
    assert.equal(status.json.txn_id, charged[0]!.json.txn_id);
  });

  test('20 concurrent identical order creates: one order row, the same order for all', async () => {
    const orderId = newOrderId();
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(j, '/orders', { order_id: orderId, amount: '33.00' }, { asForm: true })));
    for (const r of responses) assert.equal(r.status, 200, r.body);
    assert.equal(new Set(responses.map((r) => r.json.id)).size, 1, 'every answer names the same order');
    assert.equal(await orderRows(j, orderId), 1);
  });

  test('20 concurrent creates with different amounts: one order, the rest 409', async () => {
    const orderId = newOrderId();
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => post(j, '/orders', { order_id: orderId, amount: `${i + 1}.00` }, { asForm: true })));
    const ok = responses.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, JSON.stringify(tally(responses.map((r) => r.status))));
    for (const r of responses) if (r.status !== 200) assert.equal(r.status, 409, r.body);
    assert.equal(await orderRows(j, orderId), 1);
    assert.equal((await orderStatus(j, orderId)).json.amount, ok[0]!.json.amount);
  });

  test('20 concurrent partial refunds of 10.00 on 100.00: exactly 10 succeed', async () => {
    const { orderId, txnUuid } = await chargedOrder('100.00');
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => post(j, `/orders/${orderId}/refunds`, { unique_request_id: `c${i}_${orderId}`, amount: '10.00' }, { asForm: true })));
    for (const r of responses) {
      assert.ok(r.status === 200 || r.status === 400, `unexpected ${r.status}: ${r.body}`);
      if (r.status === 400)
        assert.ok(
          (r.json.error_info.fields as Array<{ field_name: string }>).some((f) => f.field_name === 'amount'),
          r.body,
        );
    }
    assert.equal(responses.filter((r) => r.status === 200).length, 10, JSON.stringify(tally(responses.map((r) => r.status))));
    const rows = await j.db.query<{ amount: number | string; status: string }>(
      "SELECT r.amount, r.status FROM refunds r JOIN orders o ON o.id = r.order_pk WHERE o.order_id = $1 AND o.merchant_id = 'demo_merchant'",
      [orderId],
    );
    const success = rows.filter((r) => r.status === 'SUCCESS');
    assert.equal(success.length, 10);
    assert.equal(rows.length, 10, 'refused refunds leave no row');
    assert.equal(
      success.reduce((sum, r) => sum + Number(r.amount), 0),
      10000,
    );
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.amount_refunded, 100);
    assert.equal(status.json.refunded, true);
    const [txn] = await j.db.query<{ gateway_txn_id: string }>('SELECT gateway_txn_id FROM txns WHERE id = $1', [txnUuid]);
    assert.equal(j.simulator.lookup(txn!.gateway_txn_id)?.refunded_amount, 10000);
  });

  test('the same unique_request_id 10 times at once: one refund', async () => {
    const { orderId, txnUuid } = await chargedOrder('100.00');
    const responses = await Promise.all(Array.from({ length: 10 }, () => post(j, `/orders/${orderId}/refunds`, { unique_request_id: `same_${orderId}`, amount: '10.00' }, { asForm: true })));
    for (const r of responses) assert.equal(r.status, 200, r.body);
    assert.equal(new Set(responses.map((r) => r.json.refunds?.[0]?.id)).size, 1, 'all answers name the same refund');
    assert.equal(await countRows(j, 'refunds', 'unique_request_id = $1', [`same_${orderId}`]), 1);
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.amount_refunded, 10);
    assert.equal(status.json.refunds.length, 1);
    const [txn] = await j.db.query<{ gateway_txn_id: string }>('SELECT gateway_txn_id FROM txns WHERE id = $1', [txnUuid]);
    assert.equal(j.simulator.lookup(txn!.gateway_txn_id)?.refunded_amount, 1000);
  });

  test('one unique_request_id raced on two orders: one refund, the other order refused, never a 500', async () => {
    const a = await chargedOrder('20.00');
    const b = await chargedOrder('20.00');
    const id = `race_${a.orderId}`;
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => post(j, `/orders/${i % 2 === 0 ? a.orderId : b.orderId}/refunds`, { unique_request_id: id, amount: '5.00' }, { asForm: true })),
    );
    for (const r of responses) assert.ok(r.status === 200 || r.status === 400, `unexpected ${r.status}: ${r.body}`);
    assert.equal(await countRows(j, 'refunds', 'unique_request_id = $1', [id]), 1);
    const winner = responses.find((r) => r.status === 200)!;
    for (const r of responses) {
      if (r.status === 200) assert.equal(r.json.order_id, winner.json.order_id);
      else assert.equal(r.json.error_info.fields[0].field_name, 'unique_request_id', r.body);
    }
    const loser = winner.json.order_id === a.orderId ? b.orderId : a.orderId;
    assert.equal((await orderStatus(j, loser)).json.amount_refunded, 0);
    assert.equal((await orderStatus(j, winner.json.order_id)).json.amount_refunded, 5);
  });

  test('concurrent full refunds (no amount) with distinct ids: one refund of the whole amount', async () => {
    const { orderId } = await chargedOrder('50.00');
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => post(j, '/refunds', { order_id: orderId, unique_request_id: `f${i}_${orderId}` }, { asForm: true })));
    assert.equal(responses.filter((r) => r.status === 200).length, 1, JSON.stringify(tally(responses.map((r) => r.status))));
    for (const r of responses) if (r.status !== 200) assert.equal(r.status, 400, r.body);
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.amount_refunded, 50);
    assert.equal(status.json.refunds.length, 1);
  });
});
