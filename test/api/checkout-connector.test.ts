// A merchant whose only gateway is Checkout.com, through the whole merchant API, with the
// Checkout.com emulator (requests validated against Checkout.com's published schemas) and its
// webhooks delivered to our endpoint: payments, 3-D Secure via our return URL, pre-auth capture
// accepted (202) and settled by its webhook, refunds settled by theirs, a lost create found again.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startCheckoutEmulator, type CheckoutEmulator, type CheckoutWebhookEvent } from '../../emulators/checkout/checkout-emulator.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { assertApiError, call, post, singleGatewayMerchant, waitFor } from '../helpers/api-helpers.ts';

const ADMIN = 'Bearer test-admin-key';
const SECRET_KEY = 'sk_sbox_q2s3dzbpy7cf3gfd46xr4yj5xoe';
const SIGNATURE_KEY = `cko-e2e-${randomBytes(8).toString('hex')}`;

let j: TestApp;
let emulator: CheckoutEmulator;
let merchantId: string;
let auth: string;
let accountId: string;
let order: Merchant['order'];
let pay: Merchant['pay'];
let status: Merchant['status'];
let paymentOf: Merchant['gatewayTxnId'];
type Merchant = Awaited<ReturnType<typeof singleGatewayMerchant>>;

async function deliver(match: (event: CheckoutWebhookEvent) => boolean): Promise<Record<string, unknown>> {
  await waitFor(() => emulator.events.some(match), 3000, 'webhook event');
  const { headers, rawBody } = emulator.signedEvent(emulator.events.find(match)!, SIGNATURE_KEY);
  const response = await j.app.inject({ method: 'POST', url: `/webhooks/gateways/CHECKOUT/${merchantId}/${accountId}`, headers, payload: rawBody });
  assert.equal(response.statusCode, 200, response.body);
  return JSON.parse(response.body) as Record<string, unknown>;
}

before(async () => {
  emulator = await startCheckoutEmulator({ secretKeys: [SECRET_KEY] });
  j = await startTestApp({}, { connectorBaseUrls: { CHECKOUT: emulator.url }, connectorTimeoutMs: 3_000 });
  const merchant = await singleGatewayMerchant(
    j,
    'CHECKOUT',
    { secret_key: SECRET_KEY, webhook_secret: SIGNATURE_KEY, processing_channel_id: 'pc_abcdefghijklmnopqrstuvwxyz', raw_card_data_enabled: 'true' },
    { amount: '60.00', currency: 'GBP', card: '4242424242424242' },
  );
  ({ merchantId, auth, accountId, order, pay, status } = merchant);
  paymentOf = merchant.gatewayTxnId;
});
after(async () => {
  await j.close();
  await emulator.close();
});

describe('a Checkout.com account through the merchant API', () => {
  test('a card payment is CHARGED through Checkout.com, and its webhooks are processed once', async () => {
    const orderId = await order();
    const txn = await pay(orderId);
    assert.equal(txn.json.status, 'CHARGED', txn.body);
    const sent = emulator.requests.filter((r) => r.path === '/payments' && r.method === 'POST').at(-1)!;
    assert.equal(sent.body!.amount, 6_000);
    assert.equal(sent.body!.processing_channel_id, 'pc_abcdefghijklmnopqrstuvwxyz');
    const view = await status(orderId);
    assert.equal(view.json.txn_detail.gateway, 'CHECKOUT');
    assert.equal(view.json.gateway_id, 31);
    assert.equal(view.json.payment_gateway_response.resp_code, '10000');
    const id = await paymentOf(orderId);
    assert.equal((await deliver((e) => e.data.id === id && e.type === 'payment_captured')).handled, true);
    assert.equal((await deliver((e) => e.data.id === id && e.type === 'payment_captured')).duplicate, true);
  });

  test('a soft decline is AUTHORIZATION_FAILED with its unified code', async () => {
    const orderId = await order();
    emulator.declineNext('20051');
    const txn = await pay(orderId);
    assert.equal(txn.json.status, 'AUTHORIZATION_FAILED');
    assert.equal(txn.json.error_code, 'INSUFFICIENT_FUNDS');
  });

  test('3-D Secure: the shopper comes back to our return URL; the payment is read and CHARGED', async () => {
    const orderId = await order();
    const txn = await pay(orderId, { card_number: '4485040371536584' });
    assert.equal(txn.json.status, 'PENDING_VBV', txn.body);
    const challenge = await fetch(txn.json.payment.authentication.url, { redirect: 'manual' });
    const back = new URL(challenge.headers.get('location')!);
    assert.equal(back.pathname, `/txns/${txn.json.txn_uuid}/return`);
    await call(j, 'GET', `${back.pathname}${back.search}`, undefined, { auth: null });
    assert.equal((await status(orderId)).json.status, 'CHARGED');
  });

  test('pre-auth: capture is accepted (CAPTURE_INITIATED) and CHARGED when payment_captured arrives; refunds settle by payment_refunded', async () => {
    const orderId = await order({ 'metadata.txns.auto_capture': 'false' });
    const txn = await pay(orderId);
    assert.equal(txn.json.status, 'AUTHORIZED');
    const captured = await post(j, `/v2/txns/${txn.json.txn_uuid}/capture`, { amount: '40.00' }, { asForm: true, auth });
    assert.equal(captured.json.status, 'CAPTURE_INITIATED', captured.body);
    const id = await paymentOf(orderId);
    await deliver((e) => e.data.id === id && e.type === 'payment_captured');
    assert.equal((await status(orderId)).json.status, 'CHARGED');
    const refund = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `r_${orderId}` }, { asForm: true, auth });
    assert.equal(refund.json.refunds[0].status, 'PENDING', refund.body);
    await deliver((e) => e.data.id === id && e.type === 'payment_refunded');
    const after = await status(orderId);
    assert.equal(after.json.refunds[0].status, 'SUCCESS');
    assert.equal(after.json.amount_refunded, 40);
  });

  test("a payment_refunded event without our reference is matched by the refund's action id, stored when Checkout.com accepted it", async () => {
    const orderId = await order();
    await pay(orderId);
    const id = await paymentOf(orderId);
    const refund = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `r_${orderId}` }, { asForm: true, auth });
    assert.equal(refund.json.refunds[0].status, 'PENDING', refund.body);
    await waitFor(() => emulator.events.some((e) => e.data.id === id && e.type === 'payment_refunded'), 3000, 'refund event');
    const event = emulator.events.find((e) => e.data.id === id && e.type === 'payment_refunded')!;
    const { reference: _dropped, ...data } = event.data;
    const { headers, rawBody } = emulator.signedEvent({ ...event, id: `${event.id}_noref`, data }, SIGNATURE_KEY);
    const response = await j.app.inject({ method: 'POST', url: `/webhooks/gateways/CHECKOUT/${merchantId}/${accountId}`, headers, payload: rawBody });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(JSON.parse(response.body).handled, true);
    assert.equal((await status(orderId)).json.refunds[0].status, 'SUCCESS');
  });

  test('a capture Checkout.com does not allow (403) is CAPTURE_FAILED at once', async () => {
    const orderId = await order({ 'metadata.txns.auto_capture': 'false' });
    const txn = await pay(orderId);
    const id = await paymentOf(orderId);
    emulator.payment(id)!.status = 'Voided'; // voided at Checkout.com behind our back
    const captured = await post(j, `/v2/txns/${txn.json.txn_uuid}/capture`, {}, { asForm: true, auth });
    assert.equal(captured.json.status, 'CAPTURE_FAILED', captured.body);
  });

  test('a payment whose answer was lost is found by its reference and settled by the status sync', async () => {
    const orderId = await order();
    emulator.stallNext(4_000, 1, '/payments');
    const txn = await pay(orderId);
    assert.equal(txn.json.status, 'AUTHORIZING', txn.body);
    const synced = await j.payments.syncTxn(txn.json.txn_uuid);
    assert.equal(synced.status, 'CHARGED');
  });

  test('credentials: a secret key of the previous platform is refused', async () => {
    const create = await post(
      j,
      `/admin/v1/merchants/${merchantId}/gateway-accounts`,
      { gateway: 'CHECKOUT', gateway_reference_id: 'old', credentials: { secret_key: 'sk_test_fde517a8-3f01-41ef-b4bd-4282384b0a64', webhook_secret: SIGNATURE_KEY } } as never,
      { auth: ADMIN },
    );
    assertApiError(create, 400, { field: 'credentials.secret_key' });
  });
});
