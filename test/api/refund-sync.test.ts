// The refund sync: a refund left PENDING because its answer was lost (an instance killed, a
// connection cut, a call timed out after the gateway had made it) is asked again with the same idempotency key;
// the gateway answers with the refund it made, so it settles SUCCESS and is never made twice. Past
// the gateway's idempotency window it is left PENDING.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEMO_MERCHANT, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { createOrderOk, orderStatus, payByCard, setAllGateways } from '../helpers/api-helpers.ts';

let j: TestApp;
before(async () => {
  j = await startTestApp();
});
after(async () => {
  await j.close();
});
beforeEach(() => setAllGateways(j));

async function gatewayTxnId(txnUuid: string): Promise<string> {
  const [row] = await j.db.query<{ gateway_txn_id: string }>('SELECT gateway_txn_id FROM txns WHERE id = $1', [txnUuid]);
  return row!.gateway_txn_id;
}

async function gatewayRefunded(txnUuid: string): Promise<number> {
  return j.simulator.lookup(await gatewayTxnId(txnUuid))!.refunded_amount;
}

/**
 * A charged order with a refund Junction recorded as PENDING and nothing more, as after an instance
 * was killed (or its database connection cut) around the gateway call: written the way the refund
 * flow writes it (the row, the reserved amount). `madeAtGateway`: the gateway had made the refund
 * (under our refund id as its idempotency key, as the refund flow sends it) before the answer was lost.
 */
async function lostRefund(madeAtGateway: boolean): Promise<{ orderId: string; txnUuid: string; refundId: string }> {
  const orderId = await createOrderOk(j, { amount: '100.00' });
  const paid = await payByCard(j, orderId);
  assert.equal(paid.json.status, 'CHARGED', paid.body);
  const refundId = `rfnd_lost_${orderId}`;
  await j.db.transaction(async (tx) => {
    const [order] = await tx.query<{ id: string }>('SELECT id FROM orders WHERE order_id = $1', [orderId]);
    await tx.query(
      `INSERT INTO refunds (id, merchant_id, order_pk, txn_pk, unique_request_id, amount, status, sent_to_gateway)
                    VALUES ($1, $2, $3, $4, $5, 10000, 'PENDING', $6)`,
      [refundId, DEMO_MERCHANT, order!.id, paid.json.txn_uuid, `lost_${orderId}`, madeAtGateway],
    );
    await tx.query('UPDATE orders SET amount_refunded = 10000 WHERE id = $1', [order!.id]);
  });
  if (madeAtGateway) await j.simulator.refund(DEMO_MERCHANT, await gatewayTxnId(paid.json.txn_uuid), { amount: 10_000, refundReference: refundId, idempotencyKey: refundId });
  assert.equal(await gatewayRefunded(paid.json.txn_uuid), madeAtGateway ? 10_000 : 0);
  return { orderId, txnUuid: paid.json.txn_uuid, refundId };
}

describe('refund sync', () => {
  test("a refund whose answer was lost settles SUCCESS with the gateway's refund, made once", async () => {
    const lost = await lostRefund(true);
    assert.equal((await orderStatus(j, lost.orderId)).json.refunds[0].status, 'PENDING');
    assert.equal(await j.payments.syncRefund(lost.refundId), 'settled');
    const status = await orderStatus(j, lost.orderId);
    assert.equal(status.json.refunds[0].status, 'SUCCESS', JSON.stringify(status.json.refunds));
    assert.match(String(status.json.refunds[0].ref), /^simrf_/, "the gateway's own id of the refund it made");
    assert.equal(status.json.amount_refunded, 100);
    assert.equal(await gatewayRefunded(lost.txnUuid), 10_000, 'asked again, the gateway did not refund twice');
    assert.equal(await j.payments.syncRefund(lost.refundId), 'settled', 'a settled refund is not asked again');
    assert.equal(await gatewayRefunded(lost.txnUuid), 10_000);
  });

  test('a refund the gateway never received is made once by the sync', async () => {
    const lost = await lostRefund(false);
    assert.equal(await j.payments.syncRefund(lost.refundId), 'settled');
    assert.equal((await orderStatus(j, lost.orderId)).json.refunds[0].status, 'SUCCESS');
    assert.equal(await gatewayRefunded(lost.txnUuid), 10_000);
    await j.payments.syncRefund(lost.refundId);
    assert.equal(await gatewayRefunded(lost.txnUuid), 10_000, 'once');
  });

  test('the status sync worker picks PENDING refunds up by itself', async () => {
    const lost = await lostRefund(true);
    await j.db.query(`UPDATE refunds SET updated_at = now() - interval '5 minutes' WHERE id = $1`, [lost.refundId]);
    await j.statusSync.runOnce();
    assert.equal((await orderStatus(j, lost.orderId)).json.refunds[0].status, 'SUCCESS');
    assert.equal(await gatewayRefunded(lost.txnUuid), 10_000);
  });

  test("past half the gateway's idempotency window a refund is not asked again: it stays PENDING", async () => {
    const lost = await lostRefund(true);
    // The simulated gateway keeps refund keys 720 h: Junction asks again within 360 h of the refund.
    await j.db.query(`UPDATE refunds SET created_at = now() - interval '361 hours', updated_at = now() - interval '5 minutes' WHERE id = $1`, [lost.refundId]);
    assert.equal(await j.payments.syncRefund(lost.refundId), 'not-resendable');
    await j.statusSync.runOnce();
    assert.equal((await orderStatus(j, lost.orderId)).json.refunds[0].status, 'PENDING');
  });
});
