// A merchant whose only gateway is PayPal, through the whole merchant API, with the PayPal emulator
// (requests and answers validated against PayPal's published OpenAPI documents) and its webhooks
// delivered to our endpoint: a PayPal wallet payment approved at PayPal and back through our return
// URL, a cancelled approval, a card decline with its unified code, pre-auth partial capture, void,
// refunds, and the OAuth2 token reused across payments and fetched again once PayPal expires it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startPayPalEmulator, type PayPalEmulator, type PayPalWebhookEvent } from '../../emulators/paypal/paypal-emulator.ts';
import { clickOnPayPalPage } from '../../src/connectors/paypal/test-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { assertApiError, call, post, singleGatewayMerchant, waitFor } from '../helpers/api-helpers.ts';

const ADMIN = 'Bearer test-admin-key';
const CLIENT_ID = 'AZe2eJunct10nPayPa1C1i3nt00000000000000000000000000000000000000000000000000000001';
const CLIENT_SECRET = 'EJe2eJunct10nPayPa1S3cr3t0000000000000000000000000000000000000000000000000000001';

let j: TestApp;
let emulator: PayPalEmulator;
let webhookId: string;
let merchantId: string;
let auth: string;
let accountId: string;
type Merchant = Awaited<ReturnType<typeof singleGatewayMerchant>>;
let order: Merchant['order'];
let pay: Merchant['pay'];
let status: Merchant['status'];
let orderIdAtPayPal: Merchant['gatewayTxnId'];

const payWithPayPal = (orderId: string) =>
  post(j, '/txns', { order_id: orderId, merchant_id: merchantId, payment_method_type: 'WALLET', payment_method: 'PAYPAL', redirect_after_payment: 'true', format: 'json' }, { asForm: true, auth });

async function deliver(match: (event: PayPalWebhookEvent) => boolean): Promise<Record<string, unknown>> {
  await waitFor(() => emulator.events.some(match), 3000, 'webhook event');
  const { headers, rawBody } = emulator.signedEvent(emulator.events.find(match)!, webhookId);
  const response = await j.app.inject({ method: 'POST', url: `/webhooks/gateways/PAYPAL/${merchantId}/${accountId}`, headers, payload: rawBody });
  assert.equal(response.statusCode, 200, response.body);
  return JSON.parse(response.body) as Record<string, unknown>;
}

/** The shopper's browser: PayPal's page, a click, and back to wherever PayPal sends it (our return URL). */
async function shopperAt(url: string, choice: 'approve' | 'cancel', txnUuid: string): Promise<void> {
  const back = await clickOnPayPalPage(url, choice);
  assert.equal(back.location.pathname, `/txns/${txnUuid}/return`);
  await call(j, 'GET', `${back.location.pathname}${back.location.search}`, undefined, { auth: null });
}

before(async () => {
  emulator = await startPayPalEmulator({ clients: { [CLIENT_ID]: CLIENT_SECRET } });
  webhookId = emulator.registerWebhook(CLIENT_ID, 'http://127.0.0.1:1/not-delivered-here');
  j = await startTestApp({}, { connectorBaseUrls: { PAYPAL: emulator.url }, connectorTimeoutMs: 3_000 });
  const merchant = await singleGatewayMerchant(
    j,
    'PAYPAL',
    { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, webhook_id: webhookId, raw_card_data_enabled: 'true' },
    { amount: '60.00', currency: 'USD', card: '4111111111111111' },
  );
  ({ merchantId, auth, accountId, order, pay, status } = merchant);
  orderIdAtPayPal = merchant.gatewayTxnId;
});
after(async () => {
  await j.close();
  await emulator.close();
});

describe('a PayPal account through the merchant API', () => {
  test("a PayPal wallet payment: redirected to PayPal's approval page, approved, back through our return URL, CHARGED", async () => {
    const orderId = await order();
    const txn = await payWithPayPal(orderId);
    assert.equal(txn.status, 200, txn.body);
    assert.equal(txn.json.status, 'PENDING_VBV', txn.body);
    const url = txn.json.payment.authentication.url as string;
    assert.ok(url.startsWith(`${emulator.url}/checkoutnow?token=`), url);
    const paypalOrder = await orderIdAtPayPal(orderId);
    assert.equal(new URL(url).searchParams.get('token'), paypalOrder);
    const sent = emulator.requests.filter((r) => r.path === '/v2/checkout/orders' && r.method === 'POST').at(-1)!;
    assert.deepEqual((sent.body!.purchase_units as Array<{ amount: unknown }>)[0]!.amount, { currency_code: 'USD', value: '60.00' });
    assert.equal(
      (sent.body!.payment_source as { paypal: { experience_context: { return_url: string } } }).paypal.experience_context.return_url,
      `http://127.0.0.1:8080/txns/${txn.json.txn_uuid}/return`,
    );
    await shopperAt(url, 'approve', txn.json.txn_uuid);
    const view = await status(orderId);
    assert.equal(view.json.status, 'CHARGED', view.body);
    assert.equal(view.json.gateway_id, 32);
    assert.equal(view.json.txn_detail.gateway, 'PAYPAL');
    assert.equal(view.json.payment_method_type, 'WALLET');
    assert.equal(view.json.payment_method, 'PAYPAL');
    assert.equal(view.json.payment_gateway_response.epg_txn_id, paypalOrder);
    assert.equal(emulator.order(paypalOrder)!.status, 'COMPLETED');
    // PayPal's capture webhook: processed once.
    assert.equal(
      (await deliver((e) => e.event_type === 'PAYMENT.CAPTURE.COMPLETED' && (e.resource.supplementary_data as { related_ids: { order_id: string } }).related_ids.order_id === paypalOrder)).handled,
      true,
    );
    assert.equal(
      (await deliver((e) => e.event_type === 'PAYMENT.CAPTURE.COMPLETED' && (e.resource.supplementary_data as { related_ids: { order_id: string } }).related_ids.order_id === paypalOrder)).duplicate,
      true,
    );
  });

  test('a cancelled approval: the shopper comes back without approving and the payment is not CHARGED', async () => {
    const orderId = await order();
    const txn = await payWithPayPal(orderId);
    assert.equal(txn.json.status, 'PENDING_VBV');
    await shopperAt(txn.json.payment.authentication.url, 'cancel', txn.json.txn_uuid);
    const view = await status(orderId);
    assert.notEqual(view.json.status, 'CHARGED');
    assert.equal(view.json.status, 'AUTHENTICATION_FAILED', view.body);
    assert.equal(view.json.payment_gateway_response.resp_code, 'APPROVAL_NOT_COMPLETED');
    assert.equal(emulator.order(await orderIdAtPayPal(orderId))!.captures.length, 0);
  });

  test("a declined card is AUTHORIZATION_FAILED with the unified code of PayPal's processor response", async () => {
    const orderId = await order();
    emulator.declineNext('5120');
    const txn = await pay(orderId);
    assert.equal(txn.json.status, 'AUTHORIZATION_FAILED', txn.body);
    assert.equal(txn.json.error_code, 'INSUFFICIENT_FUNDS');
    const view = await status(orderId);
    assert.equal(view.json.payment_gateway_response.resp_code, '5120');
    assert.doesNotMatch(view.body, /4111111111111111/);
  });

  test('a declined PayPal approval (INSTRUMENT_DECLINED when completing) is AUTHORIZATION_FAILED, a soft decline', async () => {
    const orderId = await order();
    const txn = await payWithPayPal(orderId);
    emulator.declineNext('INSTRUMENT_DECLINED', 'orders.capture');
    await shopperAt(txn.json.payment.authentication.url, 'approve', txn.json.txn_uuid);
    const view = await status(orderId);
    assert.equal(view.json.status, 'AUTHORIZATION_FAILED', view.body);
    assert.equal(view.json.payment_gateway_response.resp_code, 'INSTRUMENT_DECLINED');
  });

  test('pre-auth: a card authorization captured partially through POST /txns/{id}/capture, then refunded in part', async () => {
    const orderId = await order({ 'metadata.txns.auto_capture': 'false' });
    const txn = await pay(orderId);
    assert.equal(txn.json.status, 'AUTHORIZED', txn.body);
    const sent = emulator.requests.filter((r) => r.path === '/v2/checkout/orders' && r.method === 'POST').at(-1)!;
    assert.equal(sent.body!.intent, 'AUTHORIZE');
    const captured = await post(j, `/txns/${txn.json.txn_uuid}/capture`, { amount: '40.00' }, { asForm: true, auth });
    assert.equal(captured.status, 200, captured.body);
    assert.equal(captured.json.status, 'CHARGED', captured.body);
    const paypalOrder = emulator.order(await orderIdAtPayPal(orderId))!;
    const authorization = emulator.authorization(paypalOrder.authorizations[0]!)!;
    assert.equal(authorization.status, 'CAPTURED');
    const captureCall = emulator.requests.filter((r) => r.path === `/v2/payments/authorizations/${authorization.id}/capture`).at(-1)!;
    assert.deepEqual(captureCall.body, { amount: { currency_code: 'USD', value: '40.00' }, final_capture: true });
    assert.equal((await status(orderId)).json.status, 'CHARGED');
    const refund = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `r_${orderId}`, amount: '15.00' }, { asForm: true, auth });
    assert.equal(refund.status, 200, refund.body);
    assert.equal(refund.json.refunds[0].status, 'SUCCESS', refund.body);
    const refundCall = emulator.requests.filter((r) => r.path === `/v2/payments/captures/${paypalOrder.captures[0]}/refund`).at(-1)!;
    assert.deepEqual((refundCall.body as { amount: unknown }).amount, { currency_code: 'USD', value: '15.00' });
    assert.equal(captures(paypalOrder.captures[0]!), 'PARTIALLY_REFUNDED');
  });

  test('pre-auth: a void releases the PayPal authorization', async () => {
    const orderId = await order({ 'metadata.txns.auto_capture': 'false' });
    const txn = await pay(orderId);
    assert.equal(txn.json.status, 'AUTHORIZED');
    const voided = await post(j, `/txns/${txn.json.txn_uuid}/void`, {}, { asForm: true, auth });
    assert.equal(voided.status, 200, voided.body);
    assert.equal(voided.json.status, 'VOIDED', voided.body);
    const paypalOrder = emulator.order(await orderIdAtPayPal(orderId))!;
    assert.equal(emulator.authorization(paypalOrder.authorizations[0]!)!.status, 'VOIDED');
  });

  test('a wallet payment refunded in full through the merchant API reaches PayPal as a refund of its capture', async () => {
    const orderId = await order();
    const txn = await payWithPayPal(orderId);
    await shopperAt(txn.json.payment.authentication.url, 'approve', txn.json.txn_uuid);
    assert.equal((await status(orderId)).json.status, 'CHARGED');
    const refund = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `rf_${orderId}` }, { asForm: true, auth });
    assert.equal(refund.json.refunds[0].status, 'SUCCESS', refund.body);
    const paypalOrder = emulator.order(await orderIdAtPayPal(orderId))!;
    assert.equal(captures(paypalOrder.captures[0]!), 'REFUNDED');
    const after = await status(orderId);
    assert.equal(after.json.amount_refunded, 60);
  });

  test('the OAuth2 token is reused across payments (one token call), and fetched again once PayPal expires it', async () => {
    const before = emulator.tokenCalls(CLIENT_ID);
    assert.ok(before >= 1, 'earlier payments fetched a token');
    for (let i = 0; i < 3; i++) assert.equal((await pay(await order())).json.status, 'CHARGED');
    assert.equal(emulator.tokenCalls(CLIENT_ID), before, 'three payments, no new token');
    emulator.expireTokens();
    const afterExpiry = await pay(await order());
    assert.equal(afterExpiry.json.status, 'CHARGED', afterExpiry.body);
    assert.equal(emulator.tokenCalls(CLIENT_ID), before + 1, 'one new token after PayPal expired the old one');
    assert.equal((await pay(await order())).json.status, 'CHARGED');
    assert.equal(emulator.tokenCalls(CLIENT_ID), before + 1, 'and that one is reused again');
  });

  test('a webhook PayPal does not verify is refused; credentials are checked when the account is saved', async () => {
    const event = emulator.events.find((e) => e.event_type === 'PAYMENT.CAPTURE.COMPLETED')!;
    const { headers, rawBody } = emulator.signedEvent(event, webhookId);
    const response = await j.app.inject({ method: 'POST', url: `/webhooks/gateways/PAYPAL/${merchantId}/${accountId}`, headers, payload: rawBody.replace(/"value":"[\d.]+"/, '"value":"0.01"') });
    assert.equal(response.statusCode, 400, response.body);
    const create = await post(
      j,
      `/admin/v1/merchants/${merchantId}/gateway-accounts`,
      { gateway: 'PAYPAL', credentials: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, webhook_id: 'has-dashes-not-an-id' } } as never,
      { auth: ADMIN },
    );
    assertApiError(create, 400, { field: 'credentials.webhook_id' });
    assert.deepEqual(emulator.violations, [], "every request Junction sent matched PayPal's contract");
  });
});

function captures(id: string): string {
  return emulator.capture(id)!.status;
}
