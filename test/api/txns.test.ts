// POST /txns for every payment method, order-and-txn in one call, and every state transition
// reachable through the API (retries, pending settlement, gateway timeouts, limits).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { VISA_OK, startTestApp, type TestApp } from '../helpers/test-app.ts';
import {
  assertApiError,
  countRows,
  createOrderOk,
  declineAll,
  get,
  newOrderId,
  orderRows,
  orderStatus,
  payByCard,
  post,
  setAllGateways,
  setGateway,
  timeoutAll,
  waitFor,
} from '../helpers/api-helpers.ts';

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

async function txnRow(txnUuid: string): Promise<Record<string, unknown>> {
  const rows = await j.db.query('SELECT * FROM txns WHERE id = $1', [txnUuid]);
  assert.equal(rows.length, 1);
  return rows[0]!;
}

describe('card payments', () => {
  test('a card without 3-D Secure: NEW -> CHARGED with the EC txn answer', async () => {
    const orderId = await createOrderOk(j, { amount: '100.00' });
    assert.equal((await orderStatus(j, orderId)).json.status, 'NEW');
    const response = await payByCard(j, orderId);
    assert.equal(response.status, 200, response.body);
    assert.equal(response.json.order_id, orderId);
    assert.equal(response.json.txn_id, `demo_merchant-${orderId}-1`);
    assert.match(response.json.txn_uuid, /^txn_/);
    assert.equal(response.json.status, 'CHARGED');
    assert.equal(response.json.status_id, 21);
    assert.equal(typeof response.json.payment.authentication.url, 'string');
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.status, 'CHARGED');
    assert.equal(status.json.status_id, 21);
    assert.equal((await txnRow(response.json.txn_uuid)).status, 'CHARGED');
  });

  test('while the gateway is answering the order is STARTED (20) and locked', async () => {
    setAllGateways(j, { latency: { fixedMs: 400, jitterMs: 0 } });
    const orderId = await createOrderOk(j);
    const inFlight = payByCard(j, orderId);
    await waitFor(async () => (await orderStatus(j, orderId)).json.status === 'STARTED', 5000, 'the order to be STARTED');
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.status_id, 20);
    assert.equal(status.json.txn_detail.status, 'STARTED');
    assertApiError(await payByCard(j, orderId), 409, { code: 'DUPLICATE_REQUEST' });
    const done = await inFlight;
    assert.equal(done.json.status, 'CHARGED', done.body);
    assert.equal((await orderStatus(j, orderId)).json.status, 'CHARGED');
  });

  test('the txn endpoint works without the API key (PCI merchants), bound to merchant_id', async () => {
    const orderId = await createOrderOk(j);
    const response = await payByCard(j, orderId, {}, { auth: null });
    assert.equal(response.status, 200, response.body);
    assert.equal(response.json.status, 'CHARGED');
  });

  test('a card with auth_type=THREE_DS answers PENDING_VBV with the bank page', async () => {
    const orderId = await createOrderOk(j);
    const response = await payByCard(j, orderId, { auth_type: 'THREE_DS' });
    assert.equal(response.status, 200, response.body);
    assert.equal(response.json.status, 'PENDING_VBV');
    assert.equal(response.json.status_id, 23);
    assert.equal(response.json.payment.authentication.method, 'GET');
    assert.match(response.json.payment.authentication.url, /\/simulator\/bank\/sim_/);
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.status, 'PENDING_VBV');
    assert.equal(status.json.auth_type, 'THREE_DS');
  });

  test('a declined card: AUTHORIZATION_FAILED with unified and gateway error, then a retry charges', async () => {
    const orderId = await createOrderOk(j);
    declineAll(j);
    const failed = await payByCard(j, orderId);
    assert.equal(failed.status, 200, failed.body);
    assert.equal(failed.json.status, 'AUTHORIZATION_FAILED');
    assert.equal(failed.json.status_id, 27);
    let status = await orderStatus(j, orderId);
    assert.equal(status.json.status, 'AUTHORIZATION_FAILED');
    const unified = status.json.txn_detail.unified_error;
    assert.ok(unified, 'txn_detail.unified_error is set');
    assert.ok(['LOST_OR_STOLEN_CARD', 'INSUFFICIENT_FUNDS', 'LIMIT_EXCEEDED', 'RESTRICTED_CARD'].includes(unified.code), unified.code);
    assert.equal(typeof unified.message, 'string');
    assert.ok(['PAYMENT_FAILURE', 'BUSINESS_ERROR'].includes(unified.category), unified.category);
    assert.ok(['51', '61', '62', '43'].includes(unified.gateway_code), unified.gateway_code);
    assert.equal(typeof unified.gateway_message, 'string');
    assert.equal(status.json.txn_detail.error_code, unified.code);
    assert.equal(status.json.resp_code, unified.gateway_code);
    assert.equal(status.json.bank_error_code, unified.gateway_code);

    setAllGateways(j);
    const retry = await payByCard(j, orderId);
    assert.equal(retry.json.status, 'CHARGED', retry.body);
    assert.equal(retry.json.txn_id, `demo_merchant-${orderId}-2`);
    status = await orderStatus(j, orderId);
    assert.equal(status.json.status, 'CHARGED');
    assert.equal(status.json.txn_id, `demo_merchant-${orderId}-2`);
    assert.equal(status.json.txn_list.length, 2);
    assert.equal(status.json.txn_list[0].status, 'AUTHORIZATION_FAILED');
  });

  test('gateway-side CVV mismatch (000) maps to the unified CVV_MISMATCH', async () => {
    const orderId = await createOrderOk(j);
    const response = await payByCard(j, orderId, { card_security_code: '000' });
    assert.equal(response.json.status, 'AUTHORIZATION_FAILED', response.body);
    assert.equal(response.json.unified_error.code, 'CVV_MISMATCH');
    assert.equal(response.json.unified_error.category, 'USER_ERROR');
    assert.equal(response.json.unified_error.gateway_code, 'N7');
  });

  test('a CHARGED order takes no new transaction (400)', async () => {
    const orderId = await createOrderOk(j);
    assert.equal((await payByCard(j, orderId)).json.status, 'CHARGED');
    const again = await payByCard(j, orderId);
    assertApiError(again, 400, { code: 'INVALID_ACTION', field: 'order_id' });
    assert.equal(await countRows(j, 'txns', 'txn_id LIKE $1', [`demo_merchant-${orderId}-%`]), 1);
  });

  test('an order takes at most 25 transactions; the 26th is refused', async () => {
    const orderId = await createOrderOk(j);
    declineAll(j);
    for (let i = 1; i <= 25; i++) {
      const response = await payByCard(j, orderId);
      assert.equal(response.status, 200, response.body);
      assert.equal(response.json.txn_id, `demo_merchant-${orderId}-${i}`);
    }
    setAllGateways(j);
    const refused = await payByCard(j, orderId);
    assertApiError(refused, 400, { code: 'INVALID_ACTION' });
    assert.equal(await countRows(j, 'txns', 'txn_id LIKE $1', [`demo_merchant-${orderId}-%`]), 25);
    assert.equal((await orderStatus(j, orderId)).json.status, 'AUTHORIZATION_FAILED');
  });

  test('no usable gateway: 400 GATEWAY_NOT_FOUND (CONFIG_ERROR)', async () => {
    const orderId = newOrderId();
    // The demo accounts take every currency, so restrict them through a fresh merchant instead.
    const id = `nogw_${newOrderId().slice(0, 8)}`;
    await j.merchants.createMerchant({ id, name: 'No gateways' });
    const key = await j.merchants.createApiKey(id, 'tests');
    const auth = `Basic ${Buffer.from(`${key.key}:`).toString('base64')}`;
    const order = await post(j, '/orders', { order_id: orderId, amount: '1.00' }, { asForm: true, auth });
    assert.equal(order.status, 200, order.body);
    const response = await post(j, '/txns', { order_id: orderId, ...VISA_OK }, { asForm: true, auth });
    const body = assertApiError(response, 400, { code: 'GATEWAY_NOT_FOUND', category: 'CONFIG_ERROR' });
    assert.equal(body.status, 'Bad Request');
    assert.equal(body.error_code, 'invalid_request_error');
    assert.equal(body.error_message, "Can't find a suitable gateway to process the transaction");
    const status = await post(j, '/order/status', { order_id: orderId }, { asForm: true, auth });
    assert.equal(status.json.status, 'JUSPAY_DECLINED');
    assert.equal(status.json.status_id, 22);
    assert.equal(status.json.txn_detail.error_code, 'GATEWAY_NOT_FOUND');
  });
});

describe('netbanking, UPI and wallets', () => {
  test('NB_ICICI answers PENDING_VBV with the bank page', async () => {
    const orderId = await createOrderOk(j);
    const response = await post(j, '/txns', { order_id: orderId, payment_method_type: 'NB', payment_method: 'NB_ICICI', format: 'json' }, { asForm: true });
    assert.equal(response.status, 200, response.body);
    assert.equal(response.json.status, 'PENDING_VBV');
    assert.match(response.json.payment.authentication.url, /\/simulator\/bank\//);
    const page = await get(j, new URL(response.json.payment.authentication.url).pathname, { auth: null });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.payment_method_type, 'NB');
    assert.equal(status.json.payment_method, 'NB_ICICI');
  });

  test('UPI collect: PENDING_VBV as Juspay reports it (the shopper approves in the UPI app), then the simulator settles and its webhook makes it CHARGED', async () => {
    const orderId = await createOrderOk(j);
    const response = await post(j, '/txns', { order_id: orderId, payment_method_type: 'UPI', payment_method: 'UPI', txn_type: 'UPI_COLLECT', upi_vpa: 'shopper@okbank' }, { asForm: true });
    assert.equal(response.status, 200, response.body);
    assert.equal(response.json.status, 'PENDING_VBV');
    assert.equal(response.json.status_id, 23);
    // The authentication URL is the page the shopper waits on: it refreshes while the request is pending.
    const waitUrl = new URL(response.json.payment.authentication.url);
    const waiting = await j.app.inject({ method: 'GET', url: `${waitUrl.pathname}${waitUrl.search}` });
    assert.equal(waiting.statusCode, 200, waiting.body);
    assert.match(waiting.body, /http-equiv="refresh"/);
    assert.match(waiting.body, /Approve the payment in your UPI app/);
    let status = await orderStatus(j, orderId);
    assert.equal(status.json.status, 'PENDING_VBV');
    assert.equal(status.json.upi.payer_vpa, 'shopper@okbank');
    assert.equal(status.json.upi.txn_flow_type, 'COLLECT');
    // The order is locked while the collect request is pending.
    assertApiError(await payByCard(j, orderId), 409, { code: 'DUPLICATE_REQUEST' });

    const settled = await j.simulator.settleAllPending();
    assert.ok(settled >= 1);
    status = await orderStatus(j, orderId);
    assert.equal(status.json.status, 'CHARGED', 'settled through the signed gateway webhook');
    assert.equal(status.json.txn_detail.status, 'CHARGED');
    // Once settled, the waiting page sends the shopper on (the merchant's return URL, or the result page).
    const after = await j.app.inject({ method: 'GET', url: `${waitUrl.pathname}${waitUrl.search}` });
    assert.doesNotMatch(after.body, /http-equiv="refresh"/);
  });

  test('UPI collect settles by itself after settleAfterMs (simulator timer -> signed webhook)', async () => {
    setAllGateways(j, { settleAfterMs: 30 });
    const orderId = await createOrderOk(j);
    const response = await post(j, '/txns', { order_id: orderId, payment_method_type: 'UPI', txn_type: 'UPI_COLLECT', upi_vpa: 'shopper@okbank' }, { asForm: true });
    assert.equal(response.json.status, 'PENDING_VBV', response.body);
    await waitFor(async () => (await orderStatus(j, orderId)).json.status === 'CHARGED', 5000, 'the UPI collect to settle');
    assert.equal((await orderStatus(j, orderId)).json.txn_detail.status, 'CHARGED');
  });

  test('UPI collect that the shopper never pays settles as failed and the order takes a retry', async () => {
    const orderId = await createOrderOk(j);
    declineAll(j);
    const response = await post(j, '/txns', { order_id: orderId, payment_method_type: 'UPI', txn_type: 'UPI_COLLECT', upi_vpa: 'shopper@okbank' }, { asForm: true });
    assert.equal(response.json.status, 'PENDING_VBV', response.body);
    await j.simulator.settleAllPending();
    assert.equal((await orderStatus(j, orderId)).json.status, 'AUTHORIZATION_FAILED');
    setAllGateways(j);
    assert.equal((await payByCard(j, orderId)).json.status, 'CHARGED');
  });

  test('UPI intent answers sdk_params with a upi:// intent', async () => {
    const orderId = await createOrderOk(j, { amount: '42.00' });
    const response = await post(
      j,
      '/txns',
      { order_id: orderId, payment_method_type: 'UPI', payment_method: 'UPI', txn_type: 'UPI_PAY', sdk_params: 'true', upi_app: 'com.phonepe.app' },
      { asForm: true },
    );
    assert.equal(response.status, 200, response.body);
    assert.equal(response.json.status, 'AUTHORIZING');
    const sdk = response.json.payment.sdk_params;
    assert.ok(sdk, `sdk_params present: ${response.body}`);
    const uri = Object.values(sdk as Record<string, string>).find((v) => typeof v === 'string' && v.startsWith('upi://pay'));
    assert.ok(uri, `an upi:// intent in ${JSON.stringify(sdk)}`);
    assert.match(uri, /am=42\.00/);
    // Juspay's fields, read from the link, for apps that build the intent or a QR themselves.
    assert.equal(sdk.amount, '42.00');
    assert.equal(sdk.currency, 'INR');
    assert.equal(sdk.mcc, '5399');
    assert.match(String(sdk.merchant_vpa), /@simbank$/);
    assert.equal(typeof sdk.merchant_name, 'string');
    assert.equal(typeof sdk.tr, 'string');
    assert.equal((await orderStatus(j, orderId)).json.upi.txn_flow_type, 'INTENT');
    await j.simulator.settleAllPending();
    assert.equal((await orderStatus(j, orderId)).json.status, 'CHARGED');
  });

  test('an unknown netbanking bank or wallet is refused with the field named, before any gateway sees it', async () => {
    const orderId = await createOrderOk(j);
    assertApiError(await post(j, '/txns', { order_id: orderId, payment_method_type: 'NB', payment_method: 'NB_NOSUCHBANK' }, { asForm: true }), 400, { field: 'payment_method' });
    assertApiError(await post(j, '/txns', { order_id: orderId, payment_method_type: 'WALLET', payment_method: 'NOSUCHWALLET' }, { asForm: true }), 400, { field: 'payment_method' });
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.status, 'NEW', 'no attempt was made');
  });

  test('a netbanking redirect sets txn_detail.redirect', async () => {
    const orderId = await createOrderOk(j);
    const response = await post(j, '/txns', { order_id: orderId, payment_method_type: 'NB', payment_method: 'NB_KOTAK' }, { asForm: true });
    assert.equal(response.json.status, 'PENDING_VBV', response.body);
    assert.equal((await orderStatus(j, orderId)).json.txn_detail.redirect, true);
  });

  test('wallet payment charges', async () => {
    const orderId = await createOrderOk(j);
    const response = await post(j, '/txns', { order_id: orderId, payment_method_type: 'WALLET', payment_method: 'PAYTM', direct_wallet_token: 'wtok_1' }, { asForm: true });
    assert.equal(response.status, 200, response.body);
    assert.equal(response.json.status, 'CHARGED');
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.payment_method_type, 'WALLET');
    assert.equal(status.json.payment_method, 'PAYTM');
  });
});

describe('order and transaction in one call', () => {
  test('order.* fields create the order and pay it', async () => {
    const orderId = newOrderId();
    const response = await post(j, '/txns', { 'order.order_id': orderId, 'order.amount': '55.00', 'order.currency': 'INR', 'order.customer_id': 'cust_x', ...VISA_OK }, { asForm: true });
    assert.equal(response.status, 200, response.body);
    assert.equal(response.json.order_id, orderId);
    assert.equal(response.json.status, 'CHARGED');
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.amount, 55);
    assert.equal(status.json.customer_id, 'cust_x');
    assert.equal(status.json.status, 'CHARGED');
  });

  test('a bad card in the combined call leaves no order behind', async () => {
    const orderId = newOrderId();
    const response = await post(j, '/txns', { 'order.order_id': orderId, 'order.amount': '55.00', ...VISA_OK, card_number: '4111111111111112' }, { asForm: true });
    assertApiError(response, 400, { field: 'card_number' });
    assert.equal(await orderRows(j, orderId), 0);
  });

  test('bad order fields in the combined call name the order field and write nothing', async () => {
    const orderId = newOrderId();
    assertApiError(await post(j, '/txns', { 'order.order_id': orderId, 'order.amount': 'abc', ...VISA_OK }, { asForm: true }), 400, { field: 'amount' });
    assertApiError(await post(j, '/txns', { 'order.order_id': 'has space', 'order.amount': '5.00', ...VISA_OK }, { asForm: true }), 400, { field: 'order_id' });
    assert.equal(await orderRows(j, orderId), 0);
  });

  test('the combined call on an existing order id with another amount is 409 and starts no txn', async () => {
    const orderId = await createOrderOk(j, { amount: '10.00' });
    const response = await post(j, '/txns', { 'order.order_id': orderId, 'order.amount': '11.00', ...VISA_OK }, { asForm: true });
    assertApiError(response, 409, { code: 'ALREADY_EXISTS' });
    assert.equal(await countRows(j, 'txns', 'txn_id LIKE $1', [`demo_merchant-${orderId}-%`]), 0);
    assert.equal((await orderStatus(j, orderId)).json.status, 'NEW');
  });

  test('creating an order in the txn call needs the API key', async () => {
    const orderId = newOrderId();
    const response = await post(j, '/txns', { 'order.order_id': orderId, 'order.amount': '55.00', merchant_id: 'demo_merchant', ...VISA_OK }, { asForm: true, auth: null });
    assertApiError(response, 401);
    assert.equal(await orderRows(j, orderId), 0);
  });
});

describe('gateway timeouts and status sync', () => {
  test('a timeout leaves the attempt AUTHORIZING with the order locked; sync reveals the charge', async () => {
    const orderId = await createOrderOk(j);
    timeoutAll(j, true);
    const response = await payByCard(j, orderId);
    assert.equal(response.status, 200, response.body);
    assert.equal(response.json.status, 'AUTHORIZING');
    assert.equal((await orderStatus(j, orderId)).json.status, 'AUTHORIZING');

    setAllGateways(j);
    const second = await payByCard(j, orderId);
    assertApiError(second, 409, { code: 'DUPLICATE_REQUEST', field: 'order_id' });
    assert.equal(await countRows(j, 'txns', 'txn_id LIKE $1', [`demo_merchant-${orderId}-%`]), 1);

    const synced = await j.payments.syncTxn(response.json.txn_uuid);
    assert.equal(synced.status, 'CHARGED');
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.status, 'CHARGED');
    assert.equal(status.json.txn_detail.status, 'CHARGED');
    // Charged: no further transaction.
    assertApiError(await payByCard(j, orderId), 400, { code: 'INVALID_ACTION' });
  });

  test('a timeout where the gateway did not charge: sync fails the attempt and unlocks the order', async () => {
    const orderId = await createOrderOk(j);
    timeoutAll(j, false);
    const response = await payByCard(j, orderId);
    assert.equal(response.json.status, 'AUTHORIZING', response.body);
    setAllGateways(j);
    assertApiError(await payByCard(j, orderId), 409, { code: 'DUPLICATE_REQUEST' });
    const synced = await j.payments.syncTxn(response.json.txn_uuid);
    assert.equal(synced.status, 'AUTHORIZATION_FAILED');
    assert.equal((await orderStatus(j, orderId)).json.status, 'AUTHORIZATION_FAILED');
    const retry = await payByCard(j, orderId);
    assert.equal(retry.json.status, 'CHARGED', retry.body);
    assert.equal(retry.json.txn_id, `demo_merchant-${orderId}-2`);
  });

  test('the status sync worker settles unsettled attempts once they are old enough', async () => {
    const orderId = await createOrderOk(j);
    timeoutAll(j, true);
    const response = await payByCard(j, orderId);
    assert.equal(response.json.status, 'AUTHORIZING');
    // The worker leaves young attempts alone (30 s); age this one in the database.
    await j.db.query("UPDATE txns SET created_at = created_at - interval '10 minutes', updated_at = updated_at - interval '10 minutes' WHERE id = $1", [response.json.txn_uuid]);
    await j.statusSync.runOnce();
    assert.equal((await orderStatus(j, orderId)).json.status, 'CHARGED');
  });
});

describe('routing preferences', () => {
  test('gateway_id on the order picks that gateway', async () => {
    const orderId = await createOrderOk(j, { gateway_id: '902' });
    const response = await payByCard(j, orderId);
    assert.equal(response.json.status, 'CHARGED', response.body);
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.txn_detail.gateway, 'SIM_BETA');
    assert.equal(status.json.gateway_id, 902);
  });

  test('a gateway that is down fails the attempt with GATEWAY_DOWN', async () => {
    setGateway(j, 'SIM_ALPHA', { outages: [{ id: 'o1', startMs: 0, endMs: Date.now() + 3_600_000, mode: 'DOWN' }] });
    const orderId = await createOrderOk(j);
    const response = await payByCard(j, orderId);
    assert.equal(response.json.status, 'AUTHORIZATION_FAILED', response.body);
    assert.equal(response.json.unified_error.code, 'GATEWAY_DOWN');
    assert.equal(response.json.unified_error.gateway_code, 'GW_DOWN');
  });
});
