// A merchant whose only gateway is Razorpay, through the whole merchant API, with the Razorpay
// emulator (requests validated against the JSON Schema written from Razorpay's API reference) and its
// signed webhooks delivered to our endpoint: a card payment, UPI collect settled by webhook, UPI
// intent with its sdk_params, netbanking through the bank page and our return URL, a refund, and a
// decline mapped to its unified error.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startRazorpayEmulator, type RazorpayEmulator, type RazorpayWebhookEvent } from '../../emulators/razorpay/razorpay-emulator.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { assertApiError, call, post, singleGatewayMerchant, waitFor } from '../helpers/api-helpers.ts';

const ADMIN = 'Bearer test-admin-key';
const KEY_ID = 'rzp_test_E2eJunction0001';
const KEY_SECRET = `e2eSecret${randomBytes(8).toString('hex')}`;
const WEBHOOK_SECRET = `rzp-e2e-${randomBytes(8).toString('hex')}`;

let j: TestApp;
let emulator: RazorpayEmulator;
let merchantId: string;
let auth: string;
let accountId: string;
type Merchant = Awaited<ReturnType<typeof singleGatewayMerchant>>;
let order: Merchant['order'];
let pay: Merchant['pay'];
let status: Merchant['status'];
let paymentOf: Merchant['gatewayTxnId'];

const paymentIdOf = (event: RazorpayWebhookEvent) => (event.body.payload.payment as { entity?: { id?: string } } | undefined)?.entity?.id;

async function deliver(match: (event: RazorpayWebhookEvent) => boolean): Promise<Record<string, unknown>> {
  await waitFor(() => emulator.events.some(match), 3000, 'webhook event');
  const { headers, rawBody } = emulator.signedEvent(emulator.events.find(match)!, WEBHOOK_SECRET);
  const response = await j.app.inject({ method: 'POST', url: `/webhooks/gateways/RAZORPAY/${merchantId}/${accountId}`, headers, payload: rawBody });
  assert.equal(response.statusCode, 200, response.body);
  return JSON.parse(response.body) as Record<string, unknown>;
}

/** A payment of another method than a card, through POST /txns. */
const payWith = (orderId: string, fields: Record<string, string>) => post(j, '/txns', { order_id: orderId, merchant_id: merchantId, format: 'json', ...fields }, { asForm: true, auth });

before(async () => {
  emulator = await startRazorpayEmulator({ keys: { [KEY_ID]: KEY_SECRET } });
  j = await startTestApp({}, { connectorBaseUrls: { RAZORPAY: emulator.url }, connectorTimeoutMs: 3_000 });
  const merchant = await singleGatewayMerchant(
    j,
    'RAZORPAY',
    { key_id: KEY_ID, key_secret: KEY_SECRET, webhook_secret: WEBHOOK_SECRET, raw_card_data_enabled: 'true' },
    { amount: '100.00', currency: 'INR', card: '4111111111111111' },
  );
  ({ merchantId, auth, accountId, order, pay, status } = merchant);
  paymentOf = merchant.gatewayTxnId;
});
after(async () => {
  await j.close();
  await emulator.close();
});

describe('a Razorpay account through the merchant API', () => {
  test('a card payment is CHARGED through Razorpay (order, then S2S payment), and its webhooks are processed once', async () => {
    const orderId = await order();
    const txn = await pay(orderId);
    assert.equal(txn.json.status, 'CHARGED', txn.body);
    const rzpOrder = emulator.requests.filter((r) => r.path === '/v1/orders' && r.method === 'POST').at(-1)!;
    assert.equal(rzpOrder.body!.amount, 10_000);
    assert.equal(rzpOrder.body!.receipt, txn.json.txn_id);
    const view = await status(orderId);
    assert.equal(view.json.txn_detail.gateway, 'RAZORPAY');
    assert.equal(view.json.gateway_id, 23);
    assert.equal(view.json.payment_gateway_response.resp_code, 'captured');
    assert.ok(!JSON.stringify(view.json).includes('4111111111111111'), 'no card number in the order status');
    const id = await paymentOf(orderId);
    assert.match(id, /^pay_/);
    assert.equal((await deliver((e) => paymentIdOf(e) === id && e.body.event === 'payment.captured')).handled, true);
    assert.equal((await deliver((e) => paymentIdOf(e) === id && e.body.event === 'payment.captured')).duplicate, true);
  });

  test('a decline is AUTHORIZATION_FAILED with its unified code (insufficient_funds -> INSUFFICIENT_FUNDS)', async () => {
    const orderId = await order();
    emulator.declineNext('insufficient_funds');
    const txn = await pay(orderId);
    assert.equal(txn.json.status, 'AUTHORIZATION_FAILED', txn.body);
    assert.equal(txn.json.error_code, 'INSUFFICIENT_FUNDS');
    assert.equal((await status(orderId)).json.payment_gateway_response.resp_code, 'insufficient_funds');
  });

  test('UPI collect is pending (PENDING_VBV while the shopper approves in the UPI app), and CHARGED when payment.captured arrives', async () => {
    const orderId = await order();
    const txn = await payWith(orderId, { payment_method_type: 'UPI', payment_method: 'UPI', txn_type: 'UPI_COLLECT', upi_vpa: 'success@razorpay' });
    assert.equal(txn.json.status, 'PENDING_VBV', txn.body);
    const id = await paymentOf(orderId);
    assert.equal(emulator.payment(id)!.vpa, 'success@razorpay');
    emulator.settleUpi(id, 'success');
    await deliver((e) => paymentIdOf(e) === id && e.body.event === 'payment.captured');
    assert.equal((await status(orderId)).json.status, 'CHARGED');
  });

  test('UPI intent answers sdk_params with the upi:// intent link', async () => {
    const orderId = await order();
    const txn = await payWith(orderId, { payment_method_type: 'UPI', payment_method: 'UPI', txn_type: 'UPI_PAY', sdk_params: 'true', upi_app: 'com.google.android.apps.nbu.paisa.user' });
    assert.equal(txn.json.status, 'AUTHORIZING', txn.body);
    const sdk = txn.json.payment.sdk_params as Record<string, string>;
    assert.match(sdk.intent_uri!, /^upi:\/\/pay\?/);
    const query = new URLSearchParams(sdk.intent_uri!.slice('upi://pay?'.length));
    assert.equal(query.get('am'), '100.00');
    assert.equal(query.get('cu'), 'INR');
    for (const key of ['pa', 'pn', 'tr', 'tid', 'mc']) assert.ok(query.get(key), key);
  });

  test('netbanking: PENDING_VBV to the bank page, which returns through our return URL with the signed callback; CHARGED', async () => {
    const orderId = await order();
    const txn = await payWith(orderId, { payment_method_type: 'NB', payment_method: 'NB_HDFC' });
    assert.equal(txn.json.status, 'PENDING_VBV', txn.body);
    const sent = emulator.requests.filter((r) => r.path === '/v1/payments/create/json').at(-1)!;
    assert.equal(sent.body!.bank, 'HDFC');
    const page = await fetch(txn.json.payment.authentication.url);
    const approve = /id="approve" href="([^"]+)"/.exec(await page.text())?.[1];
    assert.ok(approve, 'the bank page offers approve');
    const bank = await fetch(approve.replace(/&amp;/g, '&'), { redirect: 'manual' });
    const back = new URL(bank.headers.get('location')!);
    assert.equal(back.pathname, `/txns/${txn.json.txn_uuid}/return`);
    assert.ok(back.searchParams.get('razorpay_signature'));
    await call(j, 'GET', `${back.pathname}${back.search}`, undefined, { auth: null });
    assert.equal((await status(orderId)).json.status, 'CHARGED');
  });

  test('an unknown bank is refused before anything reaches Razorpay; every bank and wallet Junction takes goes to Razorpay by its code', async () => {
    const orderId = await order();
    const count = emulator.requests.length;
    const txn = await payWith(orderId, { payment_method_type: 'NB', payment_method: 'NB_NOSUCHBANK' });
    assert.equal(txn.status, 400, txn.body);
    assert.equal(emulator.requests.length, count);
    for (const code of ['NB_SBI', 'NB_INDB', 'NB_INDIAN', 'NB_UCO']) {
      const other = await order();
      const started = await payWith(other, { payment_method_type: 'NB', payment_method: code });
      assert.equal(started.json.status, 'PENDING_VBV', started.body);
    }
    const wallet = await payWith(await order(), { payment_method_type: 'WALLET', payment_method: 'AIRTELMONEY' });
    assert.equal(wallet.json.status, 'PENDING_VBV', wallet.body);
    assert.equal(emulator.requests.filter((r) => r.path === '/v1/payments/create/json').at(-1)!.body!.wallet, 'airtelmoney');
  });

  test('a refund of a card payment succeeds with X-Refund-Idempotency, and the order shows it', async () => {
    const orderId = await order();
    assert.equal((await pay(orderId)).json.status, 'CHARGED');
    const refund = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `r_${orderId}`, amount: '40.00' }, { asForm: true, auth });
    assert.equal(refund.status, 200, refund.body);
    const sent = emulator.requests.filter((r) => /\/refund$/.test(r.path)).at(-1)!;
    assert.equal(sent.body!.amount, 4_000);
    assert.match(sent.headers['x-refund-idempotency']!, /^[A-Za-z0-9_-]{10,}$/);
    const view = await status(orderId);
    assert.equal(view.json.refunds[0].status, 'SUCCESS', JSON.stringify(view.json.refunds));
    assert.equal(view.json.amount_refunded, 40);
  });

  test('every request kept to the contract', () => {
    assert.deepEqual(emulator.violations, []);
  });

  test('credentials: a key id that is not a Razorpay key is refused', async () => {
    const create = await post(
      j,
      `/admin/v1/merchants/${merchantId}/gateway-accounts`,
      { gateway: 'RAZORPAY', gateway_reference_id: 'bad', credentials: { key_id: 'pk_test_123', key_secret: KEY_SECRET, webhook_secret: WEBHOOK_SECRET } } as never,
      { auth: ADMIN },
    );
    assertApiError(create, 400, { field: 'credentials.key_id' });
  });
});
