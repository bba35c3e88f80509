// Pre-auth and capture (Juspay's flow): an order created with metadata.txns.auto_capture=false is
// only AUTHORIZED; POST /v2/txns/{txn_uuid}/capture charges it (all or part), /void releases it.
// Through HTTP against the simulated gateways, whose ledger shows what the gateway did.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { assertApiError, createOrderOk, createSecondMerchant, orderStatus, payByCard, post, setAllGateways } from '../helpers/api-helpers.ts';

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

async function authorizedOrder(amount = '100.00'): Promise<{ orderId: string; txnUuid: string; gatewayTxnId: string }> {
  const orderId = await createOrderOk(j, { amount, 'metadata.txns.auto_capture': 'false' });
  const txn = await payByCard(j, orderId);
  assert.equal(txn.json.status, 'AUTHORIZED', txn.body);
  const [row] = await j.db.query<{ gateway_txn_id: string; txn_type: string }>('SELECT gateway_txn_id, txn_type FROM txns WHERE id = $1', [txn.json.txn_uuid]);
  assert.equal(row!.txn_type, 'PRE_AUTH');
  return { orderId, txnUuid: txn.json.txn_uuid, gatewayTxnId: row!.gateway_txn_id };
}

describe('pre-auth and capture', () => {
  test('an order with txns.auto_capture=false is AUTHORIZED, not charged, at the gateway', async () => {
    const { orderId, gatewayTxnId } = await authorizedOrder();
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.status, 'AUTHORIZED');
    assert.equal(j.simulator.lookup(gatewayTxnId)!.status, 'AUTHORIZED');
  });

  test('a full capture charges the order; a repeated capture answers the same state and captures nothing more', async () => {
    const { orderId, txnUuid, gatewayTxnId } = await authorizedOrder('100.00');
    // Juspay's documented call has no body at all.
    const captured = await post(j, `/v2/txns/${txnUuid}/capture`);
    assert.equal(captured.status, 200, captured.body);
    assert.equal(captured.json.status, 'CHARGED');
    assert.equal(captured.json.txn_detail.status, 'CHARGED');
    assert.equal(captured.json.amount_captured, undefined, 'a full capture reports no partial amount');
    assert.equal(j.simulator.lookup(gatewayTxnId)!.status, 'CHARGED');
    const again = await post(j, `/v2/txns/${txnUuid}/capture`, {}, { asForm: true });
    assert.equal(again.status, 200, again.body);
    assert.equal(again.json.status, 'CHARGED');
    assert.equal((await orderStatus(j, orderId)).json.status, 'CHARGED');
  });

  test('a partial capture charges less, and refunds are bounded by what was captured', async () => {
    const { orderId, txnUuid, gatewayTxnId } = await authorizedOrder('100.00');
    const captured = await post(j, `/txns/${txnUuid}/capture`, { amount: '60.00', idempotence_key: `cap_${orderId}` }, { asForm: true });
    assert.equal(captured.status, 200, captured.body);
    assert.equal(captured.json.status, 'CHARGED');
    assert.equal(captured.json.amount_captured, 60);
    assert.equal(captured.json.effective_amount, 60);
    assert.equal(j.simulator.lookup(gatewayTxnId)!.captured_amount, 6000);
    const tooMuch = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `r1_${orderId}`, amount: '60.01' }, { asForm: true });
    assertApiError(tooMuch, 400, { field: 'amount' });
    const full = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `r2_${orderId}` }, { asForm: true });
    assert.equal(full.status, 200, full.body);
    assert.equal(full.json.amount_refunded, 60);
  });

  test('capture above the authorised amount is a 400 naming amount, and nothing moves', async () => {
    const { orderId, txnUuid, gatewayTxnId } = await authorizedOrder('100.00');
    const response = await post(j, `/v2/txns/${txnUuid}/capture`, { amount: '100.01' }, { asForm: true });
    assertApiError(response, 400, { field: 'amount' });
    assert.equal((await orderStatus(j, orderId)).json.status, 'AUTHORIZED');
    assert.equal(j.simulator.lookup(gatewayTxnId)!.status, 'AUTHORIZED');
  });

  test('void releases the authorisation; a voided transaction can be neither captured nor refunded', async () => {
    const { orderId, txnUuid, gatewayTxnId } = await authorizedOrder();
    const voided = await post(j, `/v2/txns/${txnUuid}/void`, {}, { asForm: true });
    assert.equal(voided.status, 200, voided.body);
    assert.equal(voided.json.status, 'VOIDED');
    assert.equal(j.simulator.lookup(gatewayTxnId)!.status, 'VOIDED');
    assertApiError(await post(j, `/v2/txns/${txnUuid}/capture`, {}, { asForm: true }), 400, { code: 'INVALID_ACTION', field: 'txn_uuid' });
    assertApiError(await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `rv_${orderId}` }, { asForm: true }), 400, { field: 'order_id' });
  });

  test('an automatically captured (CHARGED) transaction cannot be captured or voided', async () => {
    const orderId = await createOrderOk(j, { amount: '10.00' });
    const txn = await payByCard(j, orderId);
    assert.equal(txn.json.status, 'CHARGED');
    assertApiError(await post(j, `/v2/txns/${txn.json.txn_uuid}/void`, {}, { asForm: true }), 400, { code: 'INVALID_ACTION' });
    assertApiError(await post(j, `/v2/txns/${txn.json.txn_uuid}/capture`, {}, { asForm: true }), 400, { code: 'INVALID_ACTION' });
  });

  test('a gateway refusal is CAPTURE_FAILED; the authorisation stands and can still be voided', async () => {
    const { txnUuid, gatewayTxnId } = await authorizedOrder();
    // The gateway already released the hold on its side (expired), so it refuses the capture.
    await j.simulator.void(j.demo!.merchantId, gatewayTxnId);
    const response = await post(j, `/v2/txns/${txnUuid}/capture`, {}, { asForm: true });
    assert.equal(response.status, 200, response.body);
    assert.equal(response.json.status, 'CAPTURE_FAILED');
    assert.equal(response.json.txn_detail.status, 'CAPTURE_FAILED');
  });

  test("another merchant's transaction is not found, and an unknown one is a 404 naming txn_uuid", async () => {
    const { txnUuid } = await authorizedOrder();
    const other = await createSecondMerchant(j);
    const response = await post(j, `/v2/txns/${txnUuid}/capture`, {}, { asForm: true, auth: other.auth });
    assertApiError(response, 404, { field: 'txn_uuid' });
    assertApiError(await post(j, '/v2/txns/txn_nope/void', {}, { asForm: true }), 404, { field: 'txn_uuid' });
  });

  test('txns.auto_capture must be true or false', async () => {
    const response = await post(j, '/orders', { order_id: `ac_${Date.now()}`, amount: '1.00', 'metadata.txns.auto_capture': 'maybe' }, { asForm: true });
    assertApiError(response, 400, { field: 'metadata.txns.auto_capture' });
  });
});
