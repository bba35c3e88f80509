// DEMO_CONNECTORS=emulators: the demo merchant gets an account per real connector, pointing at an
// emulator inside the process, and a card payment routed to it is CHARGED over that provider's wire.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createOrderOk, get, payByCard, post } from '../helpers/api-helpers.ts';
import { DEMO_MERCHANT, startTestApp, type TestApp } from '../helpers/test-app.ts';

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
  assert.deepEqual(j.demo?.emulatedGateways, ['STRIPE', 'ADYEN', 'CHECKOUT']);
  assert.ok(accounts.some((a) => a.gateway === 'ADYEN'));
});

test('a card payment routed to STRIPE (the order\'s gateway_id) is CHARGED through the Stripe emulator and refunds', async () => {
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
