// Refunds through HTTP: full and partial, by order path, by txn_id and by order_id, limits,
// non-charged orders, idempotency on unique_request_id.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEMO_MERCHANT, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { assertApiError, countRows, createOrderOk, declineAll, orderStatus, payByCard, post, setAllGateways } from '../helpers/api-helpers.ts';

let j: TestApp;
before(async () => {
  j = await startTestApp();
});
after(async () => {
  await j.close();
});
beforeEach(() => {
  setAllGateways(j);
});

async function chargedOrder(amount = '100.00'): Promise<{ orderId: string; txnId: string; txnUuid: string }> {
  const orderId = await createOrderOk(j, { amount });
  const txn = await payByCard(j, orderId);
  assert.equal(txn.json.status, 'CHARGED', txn.body);
  return { orderId, txnId: txn.json.txn_id, txnUuid: txn.json.txn_uuid };
}

async function ledgerRefunded(txnUuid: string): Promise<number> {
  const [row] = await j.db.query<{ gateway_txn_id: string }>('SELECT gateway_txn_id FROM txns WHERE id = $1', [txnUuid]);
  return j.simulator.lookup(row!.gateway_txn_id)!.refunded_amount;
}

describe('POST /orders/{order_id}/refunds', () => {
  test('a full refund (no amount) refunds the whole charge', async () => {
    const { orderId, txnUuid } = await chargedOrder('100.00');
    const response = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `full_${orderId}` }, { asForm: true });
    assert.equal(response.status, 200, response.body);
    assert.equal(response.json.order_id, orderId);
    assert.equal(response.json.status, 'CHARGED');
    assert.equal(response.json.refunded, true);
    assert.equal(response.json.amount_refunded, 100);
    assert.equal(response.json.effective_amount, 0);
    assert.equal(response.json.refunds.length, 1);
    const refund = response.json.refunds[0];
    assert.equal(refund.unique_request_id, `full_${orderId}`);
    assert.equal(refund.amount, 100);
    assert.equal(refund.status, 'SUCCESS');
    assert.equal(refund.sent_to_gateway, true);
    assert.equal(refund.initiated_by, 'API');
    assert.equal(refund.refund_type, 'STANDARD');
    assert.match(refund.id, /^rfnd_/);
    const payment = response.json.payment_gateway_response.epg_txn_id as string;
    assert.ok(refund.ref && refund.ref !== payment, "ref is the gateway's refund id, not the payment id");
    assert.ok(refund.arn);
    assert.equal(await ledgerRefunded(txnUuid), 10000);
    // Nothing is left: another refund is refused.
    const more = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `more_${orderId}`, amount: '1.00' }, { asForm: true });
    assertApiError(more, 400, { field: 'amount' });
  });

  test('partial refunds add up; more than what remains is 400 naming amount', async () => {
    const { orderId, txnUuid } = await chargedOrder('100.00');
    const first = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `p1_${orderId}`, amount: '30.00' }, { asForm: true });
    assert.equal(first.status, 200, first.body);
    assert.equal(first.json.amount_refunded, 30);
    assert.equal(first.json.refunded, false);
    const second = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `p2_${orderId}`, amount: '50.25' }, { asForm: true });
    assert.equal(second.status, 200, second.body);
    assert.equal(second.json.amount_refunded, 80.25);
    assert.equal(second.json.refunds.length, 2);

    const tooMuch = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `p3_${orderId}`, amount: '19.76' }, { asForm: true });
    assertApiError(tooMuch, 400, { code: 'INVALID_INPUT', field: 'amount' });
    assert.equal(await countRows(j, 'refunds', 'unique_request_id = $1', [`p3_${orderId}`]), 0);

    const rest = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `p4_${orderId}`, amount: '19.75' }, { asForm: true });
    assert.equal(rest.status, 200, rest.body);
    assert.equal(rest.json.amount_refunded, 100);
    assert.equal(rest.json.refunded, true);
    assert.equal(await ledgerRefunded(txnUuid), 10000);
  });

  test('the same unique_request_id returns the same refund, never a second one', async () => {
    const { orderId, txnUuid } = await chargedOrder('100.00');
    const body = { unique_request_id: `idem_${orderId}`, amount: '10.00' };
    const first = await post(j, `/orders/${orderId}/refunds`, body, { asForm: true });
    const second = await post(j, `/orders/${orderId}/refunds`, body, { asForm: true });
    assert.equal(first.status, 200, first.body);
    assert.equal(second.status, 200, second.body);
    assert.equal(second.json.refunds.length, 1);
    assert.equal(second.json.refunds[0].id, first.json.refunds[0].id);
    assert.equal(second.json.amount_refunded, 10);
    assert.equal(await countRows(j, 'refunds', 'unique_request_id = $1', [`idem_${orderId}`]), 1);
    assert.equal(await ledgerRefunded(txnUuid), 1000);
  });

  test('a unique_request_id used on another order is refused', async () => {
    const a = await chargedOrder('10.00');
    const b = await chargedOrder('10.00');
    const id = `shared_${a.orderId}`;
    assert.equal((await post(j, `/orders/${a.orderId}/refunds`, { unique_request_id: id, amount: '1.00' }, { asForm: true })).status, 200);
    assertApiError(await post(j, `/orders/${b.orderId}/refunds`, { unique_request_id: id, amount: '1.00' }, { asForm: true }), 400, { field: 'unique_request_id' });
    assert.equal((await orderStatus(j, b.orderId)).json.amount_refunded, 0);
  });

  test('refunding a non-CHARGED order is 400', async () => {
    const fresh = await createOrderOk(j);
    assertApiError(await post(j, `/orders/${fresh}/refunds`, { unique_request_id: `n_${fresh}`, amount: '1.00' }, { asForm: true }), 400, { code: 'INVALID_ACTION' });
    const failedOrder = await createOrderOk(j);
    declineAll(j);
    assert.equal((await payByCard(j, failedOrder)).json.status, 'AUTHORIZATION_FAILED');
    assertApiError(await post(j, `/orders/${failedOrder}/refunds`, { unique_request_id: `f_${failedOrder}` }, { asForm: true }), 400, { code: 'INVALID_ACTION' });
    assert.equal(await countRows(j, 'refunds', 'unique_request_id IN ($1, $2)', [`n_${fresh}`, `f_${failedOrder}`]), 0);
  });

  test('bad refund input names the field', async () => {
    const { orderId } = await chargedOrder('10.00');
    assertApiError(await post(j, `/orders/${orderId}/refunds`, { amount: '1.00' }, { asForm: true }), 400, { field: 'unique_request_id' });
    for (const amount of ['abc', '-1', '0', '1.001']) {
      assertApiError(await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `bad_${orderId}_${amount.replace(/\W/g, '')}`, amount }, { asForm: true }), 400, { field: 'amount' });
    }
    assert.equal((await orderStatus(j, orderId)).json.amount_refunded, 0);
    assertApiError(await post(j, '/orders/nosuchorder1/refunds', { unique_request_id: 'x1', amount: '1.00' }, { asForm: true }), 404);
  });
});

describe('refund failures at the gateway', () => {
  test('a refund the gateway refuses is FAILURE, releases the balance, and a new request can succeed', async () => {
    const { orderId, txnUuid } = await chargedOrder('100.00');
    j.simulator.forMerchant(DEMO_MERCHANT).startOutage('SIM_ALPHA', {});
    try {
      const failed = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `down_${orderId}`, amount: '60.00' }, { asForm: true });
      assert.equal(failed.status, 200, failed.body);
      assert.equal(failed.json.refunds[0].status, 'FAILURE');
      assert.equal(failed.json.refunds[0].error_code, 'GATEWAY_DOWN');
      assert.equal(failed.json.amount_refunded, 0);
      assert.equal(failed.json.refunded, false);
      // Repeating the same request id answers the same (failed) refund: it never refunds twice.
      const repeat = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `down_${orderId}`, amount: '60.00' }, { asForm: true });
      assert.equal(repeat.json.refunds.length, 1);
      assert.equal(repeat.json.refunds[0].id, failed.json.refunds[0].id);
    } finally {
      j.simulator.forMerchant(DEMO_MERCHANT).endOutage('SIM_ALPHA');
    }
    assert.equal(await ledgerRefunded(txnUuid), 0);
    // The failed refund reserved nothing: the whole amount is refundable again.
    const full = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `after_${orderId}` }, { asForm: true });
    assert.equal(full.status, 200, full.body);
    assert.equal(full.json.amount_refunded, 100);
    const success = (full.json.refunds as Array<{ status: string; amount: number }>).filter((r) => r.status === 'SUCCESS');
    assert.deepEqual(
      success.map((r) => r.amount),
      [100],
    );
    assert.equal(await ledgerRefunded(txnUuid), 10000);
  });
});

describe('POST /refunds', () => {
  test('by txn_id', async () => {
    const { orderId, txnId } = await chargedOrder('40.00');
    const response = await post(j, '/refunds', { txn_id: txnId, unique_request_id: `t_${orderId}`, amount: '15.00' }, { asForm: true });
    assert.equal(response.status, 200, response.body);
    assert.equal(response.json.order_id, orderId);
    assert.equal(response.json.amount_refunded, 15);
    assert.equal(response.json.refunds[0].status, 'SUCCESS');
  });

  test('by order_id (JSON body), full', async () => {
    const { orderId } = await chargedOrder('40.00');
    const response = await post(j, '/refunds', { order_id: orderId, unique_request_id: `o_${orderId}` });
    assert.equal(response.status, 200, response.body);
    assert.equal(response.json.amount_refunded, 40);
    assert.equal(response.json.refunded, true);
  });

  test('neither txn_id nor order_id, or unknown ones, are refused', async () => {
    assertApiError(await post(j, '/refunds', { unique_request_id: 'none_1' }, { asForm: true }), 400, { field: 'order_id' });
    assertApiError(await post(j, '/refunds', { unique_request_id: 'none_2', txn_id: 'demo_merchant-nope-1' }, { asForm: true }), 404, { field: 'txn_id' });
    assertApiError(await post(j, '/refunds', { unique_request_id: 'none_3', order_id: 'nope123' }, { asForm: true }), 404);
  });
});
