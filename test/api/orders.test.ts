// Orders (create, legacy create, update, status, legacy status), sessions, customers, payment
// methods, health and the OpenAPI document, driven through HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { assertApiError, createOrder, createOrderOk, createSecondMerchant, declineAll, get, newOrderId, orderRows, orderStatus, payByCard, post, setAllGateways } from '../helpers/api-helpers.ts';

let j: TestApp;
before(async () => {
  j = await startTestApp();
  setAllGateways(j);
});
after(async () => {
  await j.close();
});

describe('POST /orders', () => {
  test('creates an order (form-encoded) with the EC response shape', async () => {
    const orderId = newOrderId();
    const response = await post(
      j,
      '/orders',
      {
        order_id: orderId,
        amount: '100.50',
        currency: 'INR',
        customer_id: 'cust_1',
        customer_email: 'a@example.com',
        customer_phone: '9876543210',
        return_url: 'https://shop.example.com/return',
        product_id: 'prod_1',
        description: 'Two books',
        udf1: 'first',
        udf10: 'tenth',
        billing_address_city: 'Bengaluru',
        'metadata.webhook_url': 'https://shop.example.com/hooks',
        'options.get_client_auth_token': 'true',
      },
      { asForm: true },
    );
    assert.equal(response.status, 200, response.body);
    const body = response.json;
    assert.match(body.id, /^ordeh_/);
    assert.equal(body.order_id, orderId);
    assert.equal(body.status, 'NEW');
    assert.equal(body.status_id, 10);
    assert.equal(body.amount, 100.5);
    assert.equal(body.currency, 'INR');
    assert.equal(body.merchant_id, 'demo_merchant');
    assert.equal(body.customer_email, 'a@example.com');
    assert.equal(body.return_url, 'https://shop.example.com/return');
    assert.equal(body.refunded, false);
    assert.equal(body.amount_refunded, 0);
    assert.equal(typeof body.date_created, 'string');
    assert.equal(typeof body.order_expiry, 'string');
    for (const key of ['web', 'mobile', 'iframe']) assert.equal(typeof body.payment_links[key], 'string');
    assert.match(body.juspay.client_auth_token, /^tkn_/);
    assert.equal(typeof body.juspay.client_auth_token_expiry, 'string');

    const status = await orderStatus(j, orderId);
    assert.equal(status.status, 200);
    assert.equal(status.json.udf1, 'first');
    assert.equal(status.json.udf10, 'tenth');
    assert.equal(status.json.udf2, '');
    assert.equal(status.json.metadata.webhook_url, 'https://shop.example.com/hooks');
    assert.equal(status.json.billing_address.city, 'Bengaluru');
    assert.equal(status.json.description, 'Two books');
    assert.equal(status.json.amount, 100.5);
  });

  test('stores the amount as exact minor units (no float)', async () => {
    const orderId = await createOrderOk(j, { amount: '0.29' });
    const rows = await j.db.query<{ amount: number | string }>('SELECT amount FROM orders WHERE order_id = $1', [orderId]);
    assert.equal(Number(rows[0]!.amount), 29);
    assert.equal((await orderStatus(j, orderId)).json.amount, 0.29);
  });

  test('accepts a JSON body too', async () => {
    const orderId = newOrderId();
    const response = await post(j, '/orders', { order_id: orderId, amount: 10, currency: 'INR' });
    assert.equal(response.status, 200, response.body);
    assert.equal(response.json.amount, 10);
  });

  test('legacy /order/create creates the same kind of order', async () => {
    const orderId = newOrderId();
    const response = await post(j, '/order/create', { order_id: orderId, amount: '5.00' }, { asForm: true });
    assert.equal(response.status, 200, response.body);
    assert.equal(response.json.order_id, orderId);
    assert.equal(response.json.status, 'NEW');
    assert.equal(await orderRows(j, orderId), 1);
  });

  test('repeating a create returns the same order, never a second one', async () => {
    const first = await createOrder(j, { amount: '20.00' });
    assert.equal(first.status, 200);
    const second = await createOrder(j, { order_id: first.orderId, amount: '20.00' });
    assert.equal(second.status, 200, second.body);
    assert.equal(second.json.id, first.json.id);
    assert.equal(second.json.order_id, first.orderId);
    assert.equal(await orderRows(j, first.orderId), 1);
  });

  test('repeating a create with a different amount is 409 and changes nothing', async () => {
    const first = await createOrder(j, { amount: '20.00' });
    const second = await createOrder(j, { order_id: first.orderId, amount: '21.00' });
    assertApiError(second, 409, { code: 'ALREADY_EXISTS', field: 'order_id' });
    assert.equal(await orderRows(j, first.orderId), 1);
    assert.equal((await orderStatus(j, first.orderId)).json.amount, 20);
  });
});

describe('POST /orders/{order_id} (update)', () => {
  test('updates amount, udf and addresses before a transaction', async () => {
    const orderId = await createOrderOk(j, { amount: '10.00', udf1: 'a', udf2: 'b' });
    const response = await post(j, `/orders/${orderId}`, { amount: '12.34', udf2: 'changed', shipping_address_city: 'Pune' }, { asForm: true });
    assert.equal(response.status, 200, response.body);
    assert.equal(response.json.amount, 12.34);
    assert.equal(response.json.udf1, 'a');
    assert.equal(response.json.udf2, 'changed');
    assert.equal(response.json.shipping_address.city, 'Pune');
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.amount, 12.34);
  });

  test('the official client\'s "/orders<id>" path (no slash) reaches the update', async () => {
    const orderId = await createOrderOk(j, { amount: '10.00' });
    const response = await post(j, `/orders${orderId}`, { amount: '11.00' }, { asForm: true });
    assert.equal(response.status, 200, response.body);
    assert.equal((await orderStatus(j, orderId)).json.amount, 11);
  });

  test('after a transaction the update is 400 INVALID_ACTION and nothing changes', async () => {
    const orderId = await createOrderOk(j, { amount: '10.00' });
    const txn = await payByCard(j, orderId);
    assert.equal(txn.json.status, 'CHARGED', txn.body);
    const response = await post(j, `/orders/${orderId}`, { amount: '1.00' }, { asForm: true });
    assertApiError(response, 400, { code: 'INVALID_ACTION' });
    assert.equal((await orderStatus(j, orderId)).json.amount, 10);
  });

  test('a bad amount in the update names the field', async () => {
    const orderId = await createOrderOk(j, { amount: '10.00' });
    assertApiError(await post(j, `/orders/${orderId}`, { amount: 'abc' }, { asForm: true }), 400, { field: 'amount' });
    assert.equal((await orderStatus(j, orderId)).json.amount, 10);
  });

  test('after a failed transaction the order can no longer be updated either', async () => {
    const orderId = await createOrderOk(j, { amount: '10.00' });
    declineAll(j);
    try {
      assert.equal((await payByCard(j, orderId)).json.status, 'AUTHORIZATION_FAILED');
    } finally {
      setAllGateways(j);
    }
    assertApiError(await post(j, `/orders/${orderId}`, { amount: '1.00' }, { asForm: true }), 400, { code: 'INVALID_ACTION' });
    assert.equal((await orderStatus(j, orderId)).json.amount, 10);
  });

  test('the currency cannot change in an update', async () => {
    const orderId = await createOrderOk(j, { amount: '10.00' });
    assertApiError(await post(j, `/orders/${orderId}`, { currency: 'USD' }, { asForm: true }), 400, { field: 'currency' });
    assert.equal((await orderStatus(j, orderId)).json.currency, 'INR');
  });

  test('updating an unknown order is 404', async () => {
    assertApiError(await post(j, `/orders/${newOrderId()}`, { amount: '1.00' }, { asForm: true }), 404, { code: 'RESOURCE_NOT_FOUND' });
  });
});

describe('GET /orders/{order_id} and legacy /order/status', () => {
  test('a charged order carries txn_detail, payment_gateway_response and card', async () => {
    const orderId = await createOrderOk(j, { amount: '100.00' });
    const txn = await payByCard(j, orderId, { name_on_card: 'Test Shopper' });
    assert.equal(txn.json.status, 'CHARGED', txn.body);
    const status = await orderStatus(j, orderId);
    assert.equal(status.status, 200);
    const o = status.json;
    assert.equal(o.status, 'CHARGED');
    assert.equal(o.status_id, 21);
    assert.equal(o.txn_id, `demo_merchant-${orderId}-1`);
    assert.equal(o.txn_uuid, txn.json.txn_uuid);
    assert.equal(o.payment_method_type, 'CARD');
    assert.equal(o.payment_method, 'VISA');
    assert.equal(o.effective_amount, 100);
    assert.equal(o.gateway_id, 901);
    assert.equal(o.txn_detail.txn_id, `demo_merchant-${orderId}-1`);
    assert.equal(o.txn_detail.status, 'CHARGED');
    assert.equal(o.txn_detail.gateway, 'SIM_ALPHA');
    assert.equal(o.txn_detail.gateway_id, 901);
    assert.equal(o.txn_detail.txn_amount, 100);
    assert.equal(o.txn_detail.net_amount, 100);
    assert.equal(o.txn_detail.error_code, null);
    assert.equal(o.txn_detail.unified_error, null);
    assert.equal(typeof o.txn_detail.created, 'string');
    assert.equal(o.payment_gateway_response.resp_code, '00');
    assert.equal(typeof o.payment_gateway_response.rrn, 'string');
    assert.match(o.payment_gateway_response.epg_txn_id, /^sim_/);
    assert.equal(o.payment_gateway_response.txn_id, o.txn_id);
    assert.equal(o.payment_gateway_response.gateway_response, undefined, 'raw response only on request');
    assert.equal(o.card.card_isin, '411111');
    assert.equal(o.card.last_four_digits, '1111');
    assert.equal(o.card.card_brand, 'VISA');
    assert.equal(o.card.expiry_month, '12');
    assert.equal(o.card.expiry_year, '2031');
    assert.equal(o.card.name_on_card, 'Test Shopper');
    assert.equal(typeof o.card.card_fingerprint, 'string');
    assert.equal(o.card.using_saved_card, false);

    const full = await get(j, `/orders/${orderId}?options.add_full_gateway_response=true`);
    assert.equal(full.status, 200);
    assert.equal(full.json.payment_gateway_response.gateway_response.gateway_txn_id, o.payment_gateway_response.epg_txn_id);
  });

  test('legacy GET /order/status?order_id= answers the same order', async () => {
    const orderId = await createOrderOk(j, { amount: '7.00' });
    const legacy = await get(j, `/order/status?order_id=${orderId}`);
    assert.equal(legacy.status, 200, legacy.body);
    assert.equal(legacy.json.order_id, orderId);
    assert.equal(legacy.json.status, 'NEW');
    assert.equal(legacy.json.amount, 7);
  });

  test('legacy POST /order/status with a form body', async () => {
    const orderId = await createOrderOk(j, { amount: '8.00' });
    const legacy = await post(j, '/order/status', { order_id: orderId }, { asForm: true });
    assert.equal(legacy.status, 200, legacy.body);
    assert.equal(legacy.json.order_id, orderId);
    assert.equal(legacy.json.amount, 8);
  });

  test('order ids of exactly 20 characters, with - and _, are accepted', async () => {
    const orderId = `A-_${newOrderId()}xxxxxxxxxxxxxxxxxxxx`.slice(0, 20);
    assert.equal(orderId.length, 20);
    const response = await post(j, '/orders', { order_id: orderId, amount: '1.00' }, { asForm: true });
    assert.equal(response.status, 200, response.body);
    assert.equal((await orderStatus(j, orderId)).json.order_id, orderId);
  });

  test('unknown order: 404 with status NOT_FOUND (40) in the error shape', async () => {
    for (const url of [`/orders/${newOrderId()}`, `/order/status?order_id=${newOrderId()}`]) {
      const response = await get(j, url);
      assertApiError(response, 404, { code: 'RESOURCE_NOT_FOUND' });
      assert.equal(response.json.status, 'NOT_FOUND');
      assert.equal(response.json.status_id, 40);
    }
  });
});

describe('POST /session', () => {
  test('creates the order and a payment page session (JSON)', async () => {
    const orderId = newOrderId();
    const response = await post(j, '/session', {
      order_id: orderId,
      amount: '250.00',
      customer_id: 'cust_9',
      payment_page_client_id: 'shop',
      action: 'paymentPage',
      return_url: 'https://shop.example.com/r',
    });
    assert.equal(response.status, 200, response.body);
    assert.equal(response.json.order_id, orderId);
    assert.equal(response.json.status, 'NEW');
    assert.equal(typeof response.json.payment_links.web, 'string');
    assert.equal(response.json.sdk_payload.payload.orderId, orderId);
    assert.equal(response.json.sdk_payload.payload.clientId, 'shop');
    assert.match(response.json.sdk_payload.payload.clientAuthToken, /^tkn_/);
    assert.equal(await orderRows(j, orderId), 1);
    assert.equal((await orderStatus(j, orderId)).json.amount, 250);
  });

  test('a session on an already charged order is refused', async () => {
    const orderId = await createOrderOk(j, { amount: '100.00' });
    assert.equal((await payByCard(j, orderId)).json.status, 'CHARGED');
    assertApiError(await post(j, '/session', { order_id: orderId, amount: '100.00' }), 400, { code: 'INVALID_ACTION', field: 'order_id' });
  });

  test('a session repeated for the same order id reuses the order', async () => {
    const orderId = newOrderId();
    const first = await post(j, '/session', { order_id: orderId, amount: '10.00' });
    const second = await post(j, '/session', { order_id: orderId, amount: '10.00' });
    assert.equal(first.status, 200, first.body);
    assert.equal(second.status, 200, second.body);
    assert.equal(second.json.id, first.json.id);
    assert.equal(await orderRows(j, orderId), 1);
  });

  test('a session without amount is refused naming the field, and no order is written', async () => {
    const orderId = newOrderId();
    assertApiError(await post(j, '/session', { order_id: orderId }), 400, { field: 'amount' });
    assert.equal(await orderRows(j, orderId), 0);
  });
});

describe('customers', () => {
  test('create, get and update a customer', async () => {
    const ref = `ref_${newOrderId()}`;
    const created = await post(j, '/customers', { object_reference_id: ref, mobile_number: '9876543210', email_address: 'c@example.com', first_name: 'Asha', last_name: 'K' }, { asForm: true });
    assert.equal(created.status, 200, created.body);
    assert.equal(created.json.object, 'customer');
    assert.equal(created.json.object_reference_id, ref);
    assert.equal(created.json.mobile_number, '9876543210');
    assert.equal(created.json.email_address, 'c@example.com');
    const id = created.json.id as string;
    assert.ok(id);

    const fetched = await get(j, `/customers/${id}`);
    assert.equal(fetched.status, 200, fetched.body);
    assert.equal(fetched.json.first_name, 'Asha');

    const updated = await post(j, `/customers/${id}`, { first_name: 'Asha2', mobile_number: '9123456789' }, { asForm: true });
    assert.equal(updated.status, 200, updated.body);
    assert.equal(updated.json.first_name, 'Asha2');
    assert.equal(updated.json.mobile_number, '9123456789');
    assert.equal(updated.json.last_name, 'K');
    assert.equal((await get(j, `/customers/${id}`)).json.first_name, 'Asha2');
  });

  test('mandatory fields and bad values name the field', async () => {
    assertApiError(await post(j, '/customers', { mobile_number: '9876543210' }, { asForm: true }), 400, { field: 'object_reference_id' });
    assertApiError(await post(j, '/customers', { object_reference_id: `r_${newOrderId()}` }, { asForm: true }), 400, { field: 'mobile_number' });
    assertApiError(await post(j, '/customers', { object_reference_id: `r_${newOrderId()}`, mobile_number: '98', email_address: 'x' }, { asForm: true }), 400);
    assertApiError(await get(j, '/customers/cth_nope'), 404, { code: 'RESOURCE_NOT_FOUND' });
  });
});

describe('customers across merchants', () => {
  test('creating the same object_reference_id again returns the same customer', async () => {
    const ref = `dup_${newOrderId()}`;
    const first = await post(j, '/customers', { object_reference_id: ref, mobile_number: '9876543210' }, { asForm: true });
    const second = await post(j, '/customers', { object_reference_id: ref, mobile_number: '9876543210' }, { asForm: true });
    assert.equal(first.status, 200, first.body);
    assert.equal(second.status, 200, second.body);
    assert.equal(second.json.id, first.json.id);
  });

  test('another merchant cannot read or update a customer', async () => {
    const created = await post(j, '/customers', { object_reference_id: `own_${newOrderId()}`, mobile_number: '9876543210', first_name: 'Mine' }, { asForm: true });
    assert.equal(created.status, 200, created.body);
    const other = await createSecondMerchant(j);
    assertApiError(await get(j, `/customers/${created.json.id}`, { auth: other.auth }), 404);
    assertApiError(await post(j, `/customers/${created.json.id}`, { first_name: 'Theirs' }, { asForm: true, auth: other.auth }), 404);
    assert.equal((await get(j, `/customers/${created.json.id}`)).json.first_name, 'Mine');
  });
});

describe('GET /merchants/{id}/paymentmethods', () => {
  test('lists payment methods with their gateways', async () => {
    const response = await get(j, '/merchants/demo_merchant/paymentmethods?options.add_outage=true');
    assert.equal(response.status, 200, response.body);
    assert.equal(response.json.merchant_id, 'demo_merchant');
    const methods = response.json.payment_methods as Array<{ payment_method_type: string; payment_method: string; supported_gateways: Array<{ gateway: string }> }>;
    const visa = methods.find((m) => m.payment_method === 'VISA');
    assert.ok(visa, 'VISA listed');
    assert.equal(visa.payment_method_type, 'CARD');
    assert.ok(visa.supported_gateways.some((g) => g.gateway === 'SIM_ALPHA'));
    const upi = methods.find((m) => m.payment_method_type === 'UPI');
    assert.ok(upi);
    assert.ok(!upi.supported_gateways.some((g) => g.gateway === 'SIM_DELTA'), 'SIM_DELTA takes no UPI in the demo');
    assert.ok(methods.some((m) => m.payment_method === 'NB_ICICI'));
    // The banks and wallets listed are exactly those POST /txns takes.
    assert.ok(methods.some((m) => m.payment_method === 'NB_KOTAK' && m.payment_method_type === 'NB'));
    assert.ok(methods.some((m) => m.payment_method === 'PHONEPE' && m.payment_method_type === 'WALLET'));
    assert.ok(Array.isArray(response.json.outage));
  });

  test('another merchant id is 404', async () => {
    assertApiError(await get(j, '/merchants/someone_else/paymentmethods'), 404);
  });
});

describe('service endpoints', () => {
  test('GET /health answers UP without a key', async () => {
    const response = await get(j, '/health', { auth: null });
    assert.equal(response.status, 200);
    assert.equal(response.json.status, 'UP');
    assert.equal(response.json.database, j.engine);
  });

  test('GET /openapi.json is an OpenAPI 3 document with our paths', async () => {
    const response = await get(j, '/openapi.json', { auth: null });
    assert.equal(response.status, 200);
    const doc = response.json;
    assert.match(String(doc.openapi), /^3\./);
    assert.equal(typeof doc.info.title, 'string');
    assert.equal(typeof doc.info.version, 'string');
    const paths = Object.keys(doc.paths);
    for (const path of [
      '/orders',
      '/order/create',
      '/orders/{order_id}',
      '/order/status',
      '/txns',
      '/orders/{order_id}/refunds',
      '/refunds',
      '/session',
      '/customers',
      '/customers/{customer_id}',
      '/merchants/{merchant_id}/paymentmethods',
      '/health',
    ]) {
      assert.ok(paths.includes(path), `OpenAPI lists ${path}`);
    }
    assert.ok(doc.paths['/orders'].post, 'POST /orders documented');
    assert.ok(doc.paths['/orders/{order_id}'].get, 'GET /orders/{order_id} documented');
    assert.ok(doc.components.securitySchemes.basicAuth);
    // Every operation is well formed: a responses object, and path parameters declared.
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      assert.ok(path.startsWith('/'), path);
      for (const [method, operation] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        assert.equal(typeof operation.responses, 'object', `${method} ${path} has responses`);
        for (const name of [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])) {
          assert.ok(
            (operation.parameters ?? []).some((p: { in: string; name: string }) => p.in === 'path' && p.name === name),
            `${method} ${path} declares ${name}`,
          );
        }
      }
    }
    assert.ok(doc.paths['/orders'].post.requestBody, 'POST /orders documents its body');
    assert.equal(doc.paths['/openapi.json'], undefined, 'the document itself is hidden');
  });
});
