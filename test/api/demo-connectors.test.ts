// DEMO_CONNECTORS=emulators: the demo merchant gets an account per real connector, pointing at an
// emulator inside the process, and a card payment routed to it is CHARGED over that provider's wire.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createOrderOk, get, payByCard, post } from '../helpers/api-helpers.ts';
import { DEMO_MERCHANT, VISA_OK, startTestApp, type TestApp } from '../helpers/test-app.ts';

let j: TestApp;
before(async () => {
  j = await startTestApp({ connectors: { baseUrls: {}, demo: 'emulators' } });
});
after(async () => {
  await j.close();
});

test('the demo merchant has a Stripe and an Adyen account beside its simulated gateways', async () => {
  const accounts = await j.merchants.listGatewayAccounts(DEMO_MERCHANT);
  assert.ok(accounts.some((a) => a.gateway === 'STRIPE'));
  assert.ok(accounts.some((a) => a.gateway === 'SIM_ALPHA'));
  assert.deepEqual(j.demo?.emulatedGateways, ['STRIPE', 'ADYEN', 'CHECKOUT', 'RAZORPAY', 'PAYU', 'PAYPAL', 'BRAINTREE']);
  assert.ok(accounts.some((a) => a.gateway === 'ADYEN'));
});

test("a card payment routed to STRIPE (the order's gateway_id) is CHARGED through the Stripe emulator and refunds", async () => {
  const orderId = await createOrderOk(j, { amount: '42.00', gateway_id: 25 });
  const txn = await payByCard(j, orderId);
  assert.equal(txn.json.status, 'CHARGED', txn.body);
  const view = await get(j, `/orders/${orderId}`);
  assert.equal(view.json.txn_detail.gateway, 'STRIPE');
  assert.equal(view.json.payment_gateway_response.resp_code, 'succeeded');
  assert.match(view.json.payment_gateway_response.epg_txn_id, /^pi_/);
  const refund = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `demo_${orderId}` }, { asForm: true });
  assert.equal(refund.json.refunds[0].status, 'SUCCESS', refund.body);
});

test('a card payment routed to ADYEN is CHARGED through the Adyen emulator', async () => {
  const orderId = await createOrderOk(j, { amount: '19.99', currency: 'EUR', gateway_id: 30 });
  const txn = await payByCard(j, orderId);
  assert.equal(txn.json.status, 'CHARGED', txn.body);
  const view = await get(j, `/orders/${orderId}`);
  assert.equal(view.json.txn_detail.gateway, 'ADYEN');
  assert.equal(view.json.payment_gateway_response.resp_code, 'Authorised');
});

test('a card payment routed to CHECKOUT is CHARGED through the Checkout.com emulator', async () => {
  const orderId = await createOrderOk(j, { amount: '12.00', currency: 'GBP', gateway_id: 31 });
  const txn = await payByCard(j, orderId);
  assert.equal(txn.json.status, 'CHARGED', txn.body);
  const view = await get(j, `/orders/${orderId}`);
  assert.equal(view.json.txn_detail.gateway, 'CHECKOUT');
  assert.equal(view.json.payment_gateway_response.resp_code, '10000');
});

test("a UPI intent payment routed to RAZORPAY answers Juspay's sdk_params from the Razorpay emulator's intent link", async () => {
  const orderId = await createOrderOk(j, { amount: '250.00', gateway_id: 23 });
  const txn = await post(j, '/txns', { order_id: orderId, payment_method_type: 'UPI', payment_method: 'UPI', txn_type: 'UPI_PAY', sdk_params: 'true' }, { asForm: true });
  assert.equal(txn.status, 200, txn.body);
  assert.equal(txn.json.status, 'AUTHORIZING', txn.body);
  const sdk = txn.json.payment.sdk_params as Record<string, string>;
  assert.match(sdk.intent_uri ?? '', /^upi:\/\/pay\?/);
  assert.equal(sdk.amount, '250.00');
  assert.ok(sdk.merchant_vpa && sdk.merchant_name && sdk.tr, JSON.stringify(sdk));
  assert.equal((await get(j, `/orders/${orderId}`)).json.txn_detail.gateway, 'RAZORPAY');
});

test('a netbanking payment routed to RAZORPAY goes through the emulated bank page', async () => {
  const orderId = await createOrderOk(j, { amount: '99.00', gateway_id: 23 });
  const txn = await post(j, '/txns', { order_id: orderId, payment_method_type: 'NB', payment_method: 'NB_HDFC' }, { asForm: true });
  assert.equal(txn.json.status, 'PENDING_VBV', txn.body);
  const page = await fetch(txn.json.payment.authentication.url);
  assert.equal(page.status, 200);
  await page.arrayBuffer();
  const view = await get(j, `/orders/${orderId}`);
  assert.equal(view.json.txn_detail.gateway, 'RAZORPAY');
  assert.equal(view.json.txn_detail.redirect, true);
});

test("a card payment routed to PAYU goes to PayU's hosted page (the card is typed there, never in our redirect)", async () => {
  const orderId = await createOrderOk(j, { amount: '10.00', gateway_id: 11 });
  const txn = await payByCard(j, orderId);
  assert.equal(txn.json.status, 'PENDING_VBV', txn.body);
  const authentication = txn.json.payment.authentication as { method: string; url: string; params?: Record<string, string> };
  assert.equal(authentication.method, 'POST');
  assert.ok(authentication.params?.hash, 'a request hash');
  assert.ok(!JSON.stringify(authentication).includes(VISA_OK.card_number), 'no card number in the redirect');
  assert.equal((await get(j, `/orders/${orderId}`)).json.txn_detail.gateway, 'PAYU');
});

test("a PayPal wallet payment routed to PAYPAL is sent to PayPal's approval page", async () => {
  const orderId = await createOrderOk(j, { amount: '20.00', currency: 'USD', gateway_id: 32 });
  const txn = await post(j, '/txns', { order_id: orderId, payment_method_type: 'WALLET', payment_method: 'PAYPAL' }, { asForm: true });
  assert.equal(txn.json.status, 'PENDING_VBV', txn.body);
  assert.match(txn.json.payment.authentication.url, /^http:\/\/127\.0\.0\.1:\d+\//);
  assert.equal((await get(j, `/orders/${orderId}`)).json.txn_detail.gateway, 'PAYPAL');
});

test('a card payment routed to BRAINTREE is CHARGED through the Braintree emulator (submitted for settlement)', async () => {
  const orderId = await createOrderOk(j, { amount: '15.00', gateway_id: 33 });
  const txn = await payByCard(j, orderId);
  assert.equal(txn.json.status, 'CHARGED', txn.body);
  assert.equal((await get(j, `/orders/${orderId}`)).json.txn_detail.gateway, 'BRAINTREE');
});
