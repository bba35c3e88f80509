// Bad input and authentication failures: each is a 4xx in the EC error shape that names the
// field, never a 500, and nothing is written.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { VISA_OK, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { assertApiError, basicAuth, countRows, createOrderOk, createSecondMerchant, get, newOrderId, orderRows, orderStatus, payByCard, post, setAllGateways } from '../helpers/api-helpers.ts';

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

describe('order create: bad input names the field and writes nothing', () => {
  const cases: Array<{ name: string; fields: Record<string, string>; field: string; code?: string; omitAmount?: boolean; omitOrderId?: boolean }> = [
    { name: 'missing order_id', fields: { amount: '10.00' }, field: 'order_id', code: 'MISSING_MANDATORY_PARAMETER', omitOrderId: true },
    { name: 'missing amount', fields: {}, field: 'amount', omitAmount: true },
    { name: 'amount "abc"', fields: { amount: 'abc' }, field: 'amount', code: 'INVALID_INPUT' },
    { name: 'amount "-5"', fields: { amount: '-5' }, field: 'amount', code: 'INVALID_INPUT' },
    { name: 'amount "1.234"', fields: { amount: '1.234' }, field: 'amount', code: 'INVALID_INPUT' },
    { name: 'amount "0"', fields: { amount: '0' }, field: 'amount', code: 'INVALID_INPUT' },
    { name: 'amount 1e30', fields: { amount: '1e30' }, field: 'amount', code: 'INVALID_INPUT' },
    { name: 'amount 10^16', fields: { amount: '10000000000000000' }, field: 'amount', code: 'INVALID_INPUT' },
    { name: 'unknown currency "XX"', fields: { currency: 'XX' }, field: 'currency', code: 'INVALID_INPUT' },
    { name: 'bad email', fields: { customer_email: 'not-an-email' }, field: 'customer_email', code: 'INVALID_INPUT' },
    { name: 'bad return_url', fields: { return_url: 'javascript:alert(1)' }, field: 'return_url', code: 'INVALID_INPUT' },
    { name: 'unknown gateway_id', fields: { gateway_id: '99999' }, field: 'gateway_id', code: 'INVALID_INPUT' },
    { name: 'non-numeric gateway_id', fields: { gateway_id: 'RAZORPAY' }, field: 'gateway_id', code: 'INVALID_INPUT' },
    { name: 'bad metadata.webhook_url', fields: { 'metadata.webhook_url': 'ftp://x' }, field: 'metadata.webhook_url', code: 'INVALID_INPUT' },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const orderId = newOrderId('e');
      const body: Record<string, string> = { ...(c.omitOrderId ? {} : { order_id: orderId }), ...(c.omitAmount ? {} : { amount: '10.00' }), ...c.fields };
      for (const asForm of [true, false]) {
        const response = await post(j, '/orders', body, { asForm });
        assertApiError(response, 400, { field: c.field, ...(c.code ? { code: c.code } : {}) });
        assert.equal(response.json.error_info.category, 'USER_ERROR');
      }
      assert.equal(await orderRows(j, orderId), 0);
    });
  }

  test('amount 1e30 as a JSON number', async () => {
    const orderId = newOrderId('e');
    assertApiError(await post(j, '/orders', `{"order_id":"${orderId}","amount":1e30}`, { headers: { 'content-type': 'application/json' } }), 400, { field: 'amount' });
    assertApiError(await post(j, '/orders', { order_id: orderId, amount: 10.005 }), 400, { field: 'amount' });
    assertApiError(await post(j, '/orders', { order_id: orderId, amount: -5 }), 400, { field: 'amount' });
    assert.equal(await orderRows(j, orderId), 0);
  });

  test('order_id over 20 characters, or with spaces', async () => {
    for (const orderId of ['a'.repeat(21), 'has space', 'semi;colon', 'ünïcode']) {
      for (const asForm of [true, false]) {
        assertApiError(await post(j, '/orders', { order_id: orderId, amount: '10.00' }, { asForm }), 400, { field: 'order_id' });
      }
    }
    assert.equal(await countRows(j, 'orders', "order_id LIKE 'aaaaaaaaaaaaaaaaaaaa%' OR order_id LIKE '% %'"), 0);
  });

  test('the error body follows the spec', async () => {
    const response = await post(j, '/orders', { order_id: newOrderId(), amount: 'abc' }, { asForm: true });
    const body = assertApiError(response, 400, { code: 'INVALID_INPUT', field: 'amount' });
    assert.equal(body.status, 'Bad Request');
    assert.equal(body.error_code, 'invalid_request_error');
    assert.match(body.error_message, /amount/);
    assert.equal(typeof body.error_info.developer_message, 'string');
    assert.equal(typeof body.error_info.user_message, 'string');
    assert.equal(typeof body.error_info.href, 'string');
    assert.equal(body.error_info.request_id, response.headers['x-request-id'] ?? body.error_info.request_id);
  });
});

describe('txn: bad payment input names the field and starts no transaction', () => {
  const thisYear = new Date().getUTCFullYear();
  const cases: Array<{ name: string; fields: Record<string, string>; field: string }> = [
    { name: 'card number failing Luhn', fields: { card_number: '4111111111111112' }, field: 'card_number' },
    { name: 'card number with letters', fields: { card_number: '4111abcd11111111' }, field: 'card_number' },
    { name: 'expired card', fields: { card_exp_month: '01', card_exp_year: String(thisYear - 1) }, field: 'card_exp_year' },
    { name: 'bad expiry month', fields: { card_exp_month: '13' }, field: 'card_exp_month' },
    { name: 'bad CVV (letters)', fields: { card_security_code: '12a' }, field: 'card_security_code' },
    { name: 'bad CVV (5 digits)', fields: { card_security_code: '12345' }, field: 'card_security_code' },
    { name: 'missing CVV', fields: { card_security_code: '' }, field: 'card_security_code' },
    { name: 'missing card number', fields: { card_number: '' }, field: 'card_number' },
    { name: 'unknown payment_method_type', fields: { payment_method_type: 'BITCOIN' }, field: 'payment_method_type' },
    { name: 'bad auth_type', fields: { auth_type: 'MAGIC' }, field: 'auth_type' },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const orderId = await createOrderOk(j);
      const response = await payByCard(j, orderId, c.fields);
      const body = assertApiError(response, 400);
      const names = (body.error_info.fields as Array<{ field_name: string }>).map((f) => f.field_name);
      // Expiry errors may name either part of the date.
      const accepted = c.field.startsWith('card_exp_') ? ['card_exp_month', 'card_exp_year', 'card_expiry'] : [c.field];
      assert.ok(
        names.some((n) => accepted.includes(n)),
        `names ${c.field}: ${response.body}`,
      );
      assert.equal(await countRows(j, 'txns', 'txn_id LIKE $1', [`demo_merchant-${orderId}-%`]), 0);
      assert.equal((await orderStatus(j, orderId)).json.status, 'NEW');
    });
  }

  test('UPI collect without vpa, or with a bad vpa', async () => {
    const orderId = await createOrderOk(j);
    assertApiError(await post(j, '/txns', { order_id: orderId, payment_method_type: 'UPI', txn_type: 'UPI_COLLECT' }, { asForm: true }), 400, { field: 'upi_vpa' });
    assertApiError(await post(j, '/txns', { order_id: orderId, payment_method_type: 'UPI', txn_type: 'UPI_COLLECT', upi_vpa: 'nobank' }, { asForm: true }), 400, { field: 'upi_vpa' });
    assertApiError(await post(j, '/txns', { order_id: orderId, payment_method_type: 'UPI', txn_type: 'UPI_MAGIC' }, { asForm: true }), 400, { field: 'txn_type' });
    assertApiError(await post(j, '/txns', { order_id: orderId, payment_method_type: 'NB', payment_method: 'ICICI' }, { asForm: true }), 400, { field: 'payment_method' });
    assertApiError(await post(j, '/txns', { order_id: orderId, payment_method_type: 'WALLET' }, { asForm: true }), 400, { field: 'payment_method' });
    assert.equal(await countRows(j, 'txns', 'txn_id LIKE $1', [`demo_merchant-${orderId}-%`]), 0);
  });

  test('txn on an unknown order is 404; missing order_id names it', async () => {
    assertApiError(await payByCard(j, newOrderId()), 404, { code: 'RESOURCE_NOT_FOUND' });
    assertApiError(await post(j, '/txns', { ...VISA_OK }, { asForm: true }), 400, { field: 'order_id' });
  });

  test('a saved-card token that does not exist names card_token', async () => {
    const orderId = await createOrderOk(j);
    assertApiError(await post(j, '/txns', { order_id: orderId, payment_method_type: 'CARD', card_token: 'ctkn_nope', card_security_code: '123' }, { asForm: true }), 400, { field: 'card_token' });
  });

  test('merchant_id in the body that does not match the key', async () => {
    const orderId = await createOrderOk(j);
    assertApiError(await payByCard(j, orderId, { merchant_id: 'someone_else' }), 400, { field: 'merchant_id' });
    assertApiError(await post(j, '/txns', { order_id: orderId, ...VISA_OK }, { asForm: true, auth: null }), 400, { field: 'merchant_id' });
  });
});

describe('transport errors', () => {
  test('an oversized body (300 KB) is 413 and writes nothing', async () => {
    const orderId = newOrderId();
    const response = await post(j, '/orders', { order_id: orderId, amount: '10.00', description: 'x'.repeat(300 * 1024) }, { asForm: true });
    assertApiError(response, 413, { code: 'PAYLOAD_TOO_LARGE' });
    const json = await post(j, '/orders', { order_id: orderId, amount: '10.00', description: 'x'.repeat(300 * 1024) });
    assertApiError(json, 413);
    assert.equal(await orderRows(j, orderId), 0);
  });

  test('invalid JSON is 400 naming the body', async () => {
    const response = await post(j, '/orders', '{"order_id": "x1", "amount": ', { headers: { 'content-type': 'application/json' } });
    assertApiError(response, 400, { field: 'body' });
    assertApiError(await post(j, '/orders', '[1,2]', { headers: { 'content-type': 'application/json' } }), 400);
    assertApiError(await post(j, '/orders', 'null', { headers: { 'content-type': 'application/json' } }), 400);
  });

  test('an unsupported content type is 415', async () => {
    const response = await post(j, '/orders', '<order/>', { headers: { 'content-type': 'application/xml' } });
    assert.ok(response.status === 415 || response.status === 400, response.body);
    assertApiError(response, response.status);
  });

  test('an unknown endpoint is 404 in the error shape', async () => {
    assertApiError(await get(j, '/no/such/thing'), 404);
  });
});

describe('authentication', () => {
  test('a wrong API key is 401', async () => {
    const orderId = newOrderId();
    const response = await post(j, '/orders', { order_id: orderId, amount: '10.00' }, { asForm: true, auth: basicAuth('wrong_key_123') });
    assertApiError(response, 401, { code: 'UNAUTHENTICATED' });
    assert.equal(await orderRows(j, orderId), 0);
  });

  test('a missing key is 401 (and a non-Basic scheme too)', async () => {
    const orderId = newOrderId();
    assertApiError(await post(j, '/orders', { order_id: orderId, amount: '10.00' }, { asForm: true, auth: null }), 401);
    assertApiError(await post(j, '/orders', { order_id: orderId, amount: '10.00' }, { asForm: true, auth: 'Bearer test_demo_key_0001' }), 401);
    assertApiError(await post(j, '/orders', { order_id: orderId, amount: '10.00' }, { asForm: true, auth: `Basic ${Buffer.from(':').toString('base64')}` }), 401);
    assertApiError(await get(j, `/orders/${orderId}`, { auth: null }), 401);
    assertApiError(await get(j, '/customers/cth_x', { auth: null }), 401);
    assertApiError(await post(j, '/refunds', { unique_request_id: 'a1', order_id: orderId }, { auth: null }), 401);
    assert.equal(await orderRows(j, orderId), 0);
  });

  test('x-merchantid that does not match the key is 401', async () => {
    const orderId = newOrderId();
    const response = await post(j, '/orders', { order_id: orderId, amount: '10.00' }, { asForm: true, headers: { 'x-merchantid': 'someone_else' } });
    assertApiError(response, 401, { field: 'x-merchantid' });
    assert.equal(await orderRows(j, orderId), 0);
    const ok = await post(j, '/orders', { order_id: orderId, amount: '10.00' }, { asForm: true, headers: { 'x-merchantid': 'demo_merchant', version: '2023-06-30' } });
    assert.equal(ok.status, 200, ok.body);
  });

  test("another merchant's order is 404, and its key cannot touch ours", async () => {
    const other = await createSecondMerchant(j);
    const orderId = await createOrderOk(j);
    assert.equal((await payByCard(j, orderId)).json.status, 'CHARGED');

    const status = await get(j, `/orders/${orderId}`, { auth: other.auth });
    assertApiError(status, 404);
    assert.equal(status.json.status, 'NOT_FOUND');
    assertApiError(await post(j, `/orders/${orderId}`, { amount: '1.00' }, { asForm: true, auth: other.auth }), 404);
    assertApiError(await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `x_${orderId}` }, { asForm: true, auth: other.auth }), 404);
    assertApiError(await post(j, '/refunds', { unique_request_id: `y_${orderId}`, txn_id: `demo_merchant-${orderId}-1` }, { asForm: true, auth: other.auth }), 404);
    assertApiError(await payByCard(j, orderId, { merchant_id: other.merchantId }, { auth: other.auth }), 404);
    assert.equal((await orderStatus(j, orderId)).json.amount_refunded, 0);

    // The same order id is free for the other merchant: orders are per merchant.
    const theirs = await post(j, '/orders', { order_id: orderId, amount: '3.00' }, { asForm: true, auth: other.auth });
    assert.equal(theirs.status, 200, theirs.body);
    assert.equal(theirs.json.merchant_id, other.merchantId);
    assert.equal((await orderStatus(j, orderId)).json.amount, 100);
    const paid = await payByCard(j, orderId, { merchant_id: other.merchantId }, { auth: other.auth });
    assert.equal(paid.json.status, 'CHARGED', paid.body);
    assert.equal(paid.json.txn_id, `${other.merchantId}-${orderId}-1`);
  });
});
