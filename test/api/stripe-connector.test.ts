// A merchant whose only gateway is Stripe, through the whole merchant API: Junction speaks to the
// Stripe emulator over HTTP in Stripe's wire format. Card payments (raw card and Stripe token),
// 3-D Secure through our return URL, manual capture and void, refunds, declines mapped to unified
// codes, signed Stripe webhooks, and account validation against the connector's credentials schema.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startStripeEmulator, type StripeEmulator } from '../../emulators/stripe/stripe-emulator.ts';
import { startTestApp, VISA_OK, type TestApp } from '../helpers/test-app.ts';
import { assertApiError, basicAuth, call, get, post } from '../helpers/api-helpers.ts';

const ADMIN = 'Bearer test-admin-key';
const STRIPE_KEY = 'sk_test_junctionE2e00000001';
const WEBHOOK_SECRET = 'whsec_junctionE2eSecret0001';

let j: TestApp;
let emulator: StripeEmulator;
let merchantId: string;
let auth: string;
let accountId: string;

before(async () => {
  emulator = await startStripeEmulator({ apiKeys: [STRIPE_KEY] });
  j = await startTestApp({}, { connectorBaseUrls: { STRIPE: emulator.url }, connectorTimeoutMs: 2_000 });
  merchantId = `stripe_${randomBytes(3).toString('hex')}`;
  await j.merchants.createMerchant({ id: merchantId, name: 'Stripe-only merchant' });
  auth = basicAuth((await j.merchants.createApiKey(merchantId, 'tests')).key);
  const account = await post(
    j,
    `/admin/v1/merchants/${merchantId}/gateway-accounts`,
    {
      gateway: 'STRIPE',
      credentials: { secret_key: STRIPE_KEY, webhook_secret: WEBHOOK_SECRET, raw_card_data_enabled: 'true' },
      priority: 10,
    } as never,
    { auth: ADMIN },
  );
  assert.equal(account.status, 201, account.body);
  accountId = account.json.id;
});
after(async () => {
  await j.close();
  await emulator.close();
});

let counter = 0;
async function order(fields: Record<string, string> = {}): Promise<string> {
  const orderId = `st${Date.now().toString(36)}${++counter}`;
  const created = await post(j, '/orders', { order_id: orderId, amount: '125.50', currency: 'USD', ...fields }, { asForm: true, auth });
  assert.equal(created.status, 200, created.body);
  return orderId;
}
const pay = (orderId: string, fields: Record<string, string> = {}) =>
  post(j, '/txns', { order_id: orderId, merchant_id: merchantId, ...VISA_OK, card_number: '4242424242424242', ...fields }, { asForm: true, auth });
const status = (orderId: string) => get(j, `/orders/${orderId}?options.add_full_gateway_response=true`, { auth });

describe('a Stripe account through the merchant API', () => {
  test("a card payment is CHARGED through Stripe, in minor units, and the order status shows Stripe's raw answer", async () => {
    const orderId = await order();
    const txn = await pay(orderId);
    assert.equal(txn.status, 200, txn.body);
    assert.equal(txn.json.status, 'CHARGED');
    const sent = emulator.requests.filter((r) => r.path === '/v1/payment_intents').at(-1)!;
    assert.equal(sent.params.amount, '12550');
    assert.equal(sent.params.currency, 'usd');
    const view = await status(orderId);
    assert.equal(view.json.status, 'CHARGED');
    assert.equal(view.json.txn_detail.gateway, 'STRIPE');
    assert.equal(view.json.gateway_id, 25);
    const pi = view.json.payment_gateway_response.epg_txn_id as string;
    assert.match(pi, /^pi_/);
    assert.equal(view.json.payment_gateway_response.resp_code, 'succeeded');
    assert.equal(view.json.payment_gateway_response.gateway_response.object, 'payment_intent');
    assert.equal(emulator.paymentIntent(pi)!.status, 'succeeded');
    assert.doesNotMatch(view.body, /4242424242424242/);
  });

  test('a partial refund and then the rest reach Stripe as refunds of the PaymentIntent', async () => {
    const orderId = await order();
    assert.equal((await pay(orderId)).json.status, 'CHARGED');
    const partial = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `r1_${orderId}`, amount: '25.50' }, { asForm: true, auth });
    assert.equal(partial.status, 200, partial.body);
    assert.equal(partial.json.refunds[0].status, 'SUCCESS');
    assert.match(partial.json.refunds[0].ref, /^re_/);
    const rest = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `r2_${orderId}` }, { asForm: true, auth });
    assert.equal(rest.json.amount_refunded, 125.5);
    const refunds = emulator.requests.filter((r) => r.path === '/v1/refunds').slice(-2);
    assert.deepEqual(
      refunds.map((r) => r.params.amount),
      ['2550', '10000'],
    );
  });

  test('a decline is AUTHORIZATION_FAILED with the unified code; insufficient funds does not count against Stripe', async () => {
    const orderId = await order();
    const txn = await pay(orderId, { card_number: '4000000000009995' });
    assert.equal(txn.json.status, 'AUTHORIZATION_FAILED');
    assert.equal(txn.json.error_code, 'INSUFFICIENT_FUNDS');
    const view = await status(orderId);
    assert.equal(view.json.resp_code, 'insufficient_funds');
  });

  test("3-D Secure: PENDING_VBV with Stripe's URL; after the challenge, our return URL completes the payment", async () => {
    const orderId = await order();
    const txn = await pay(orderId, { card_number: '4000000000003220' });
    assert.equal(txn.json.status, 'PENDING_VBV', txn.body);
    const url = txn.json.payment.authentication.url as string;
    assert.ok(url.startsWith(emulator.url));
    const challenge = await fetch(url, { redirect: 'manual' });
    const back = new URL(challenge.headers.get('location')!);
    assert.equal(back.pathname, `/txns/${txn.json.txn_uuid}/return`, 'Stripe sends the shopper back to our return URL');
    const returned = await call(j, 'GET', `${back.pathname}${back.search}`, undefined, { auth: null });
    assert.ok(returned.status === 200 || returned.status === 302, returned.body);
    assert.equal((await status(orderId)).json.status, 'CHARGED');
  });

  test('pre-auth: manual capture of part of the amount, then void of another authorisation', async () => {
    const orderId = await order({ 'metadata.txns.auto_capture': 'false' });
    const txn = await pay(orderId);
    assert.equal(txn.json.status, 'AUTHORIZED');
    const pi = (await status(orderId)).json.payment_gateway_response.epg_txn_id as string;
    assert.equal(emulator.paymentIntent(pi)!.status, 'requires_capture');
    const captured = await post(j, `/v2/txns/${txn.json.txn_uuid}/capture`, { amount: '100.00' }, { asForm: true, auth });
    assert.equal(captured.json.status, 'CHARGED', captured.body);
    assert.equal(emulator.paymentIntent(pi)!.amount_received, 10_000);

    const other = await order({ 'metadata.txns.auto_capture': 'false' });
    const held = await pay(other);
    const voided = await post(j, `/v2/txns/${held.json.txn_uuid}/void`, {}, { asForm: true, auth });
    assert.equal(voided.json.status, 'VOIDED', voided.body);
    const heldPi = (await status(other)).json.payment_gateway_response.epg_txn_id as string;
    assert.equal(emulator.paymentIntent(heldPi)!.status, 'canceled');
  });

  test('a Stripe PaymentMethod id (gateway_token) goes to Stripe only, without card data', async () => {
    const orderId = await order({ gateway_id: '25' });
    const txn = await post(j, '/txns', { order_id: orderId, merchant_id: merchantId, payment_method_type: 'CARD', gateway_token: 'pm_card_visa' }, { asForm: true, auth });
    assert.equal(txn.json.status, 'CHARGED', txn.body);
    const sent = emulator.requests.filter((r) => r.path === '/v1/payment_intents').at(-1)!;
    assert.equal(sent.params.payment_method, 'pm_card_visa');
    const noGateway = await order();
    assertApiError(await post(j, '/txns', { order_id: noGateway, merchant_id: merchantId, payment_method_type: 'CARD', gateway_token: 'pm_card_visa' }, { asForm: true, auth }), 400, {
      field: 'gateway_token',
    });
  });

  test('a signed Stripe webhook is accepted at our endpoint; a forged one is refused and changes nothing', async () => {
    const orderId = await order();
    await pay(orderId);
    const pi = (await status(orderId)).json.payment_gateway_response.epg_txn_id as string;
    const path = `/webhooks/gateways/STRIPE/${merchantId}/${accountId}`;
    const signed = emulator.signedEvent('payment_intent.succeeded', emulator.paymentIntent(pi)!, WEBHOOK_SECRET);
    const ok = await j.app.inject({ method: 'POST', url: path, headers: signed.headers, payload: signed.rawBody });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(JSON.parse(ok.body).handled, true);
    // Stripe redelivers events: the same event id is acknowledged and processed once.
    const again = await j.app.inject({ method: 'POST', url: path, headers: signed.headers, payload: signed.rawBody });
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(JSON.parse(again.body), { received: true, handled: false, duplicate: true });
    const [row] = await j.db.query<{ n: number }>('SELECT count(*)::int AS n FROM gateway_webhook_events WHERE account_id = $1', [accountId]);
    assert.ok(row!.n >= 1);
    const forged = emulator.signedEvent('payment_intent.canceled', { ...emulator.paymentIntent(pi)!, status: 'canceled' }, 'whsec_not_the_secret');
    const refused = await j.app.inject({ method: 'POST', url: path, headers: forged.headers, payload: forged.rawBody });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.equal((await status(orderId)).json.status, 'CHARGED');
  });
});

describe('Stripe accounts are checked against the connector when saved', () => {
  const create = (body: Record<string, unknown>) =>
    post(j, `/admin/v1/merchants/${merchantId}/gateway-accounts`, { gateway: 'STRIPE', gateway_reference_id: `ref_${++counter}`, ...body } as never, { auth: ADMIN });

  test('a malformed secret key, a missing webhook secret and an unknown credential are 400s naming the field', async () => {
    assertApiError(await create({ credentials: { secret_key: 'pk_test_publishable', webhook_secret: WEBHOOK_SECRET } }), 400, { field: 'credentials.secret_key' });
    assertApiError(await create({ credentials: { secret_key: STRIPE_KEY } }), 400, { field: 'credentials.webhook_secret' });
    assertApiError(await create({ credentials: { secret_key: STRIPE_KEY, webhook_secret: WEBHOOK_SECRET, salt: 'x' } }), 400, { field: 'credentials.salt' });
  });

  test('an account cannot claim UPI on a connector that takes cards only', async () => {
    assertApiError(await create({ credentials: { secret_key: STRIPE_KEY, webhook_secret: WEBHOOK_SECRET }, payment_method_types: ['CARD', 'UPI'] }), 400, { field: 'payment_method_types' });
  });

  test('GET /admin/v1/connectors describes every connector: gateway_id, capabilities, credentials (no secrets)', async () => {
    const response = await get(j, '/admin/v1/connectors', { auth: ADMIN });
    assert.equal(response.status, 200, response.body);
    const stripe = (response.json.connectors as Array<Record<string, any>>).find((c) => c.gateway === 'STRIPE')!;
    assert.equal(stripe.gateway_id, 25);
    assert.deepEqual(stripe.capabilities.payment_method_types, ['CARD']);
    assert.deepEqual(
      stripe.credentials.map((c: { name: string }) => c.name),
      ['secret_key', 'webhook_secret', 'raw_card_data_enabled'],
    );
    assert.ok((response.json.connectors as Array<{ gateway: string }>).some((c) => c.gateway === 'SIM_ALPHA'));
  });

  test("GET /admin/v1/connectors/metrics counts this instance's calls to Stripe", async () => {
    const response = await get(j, '/admin/v1/connectors/metrics', { auth: ADMIN });
    assert.equal(response.status, 200, response.body);
    const stripe = response.json.gateways.STRIPE;
    assert.ok(stripe.calls > 0);
    assert.equal(typeof stripe.latencyMsTotal, 'number');
    assert.equal(j.gatewayMetrics().STRIPE!.calls >= stripe.calls, true);
  });

  test('a UPI payment is not routed to a cards-only Stripe account (eligibility reads the capabilities)', async () => {
    const orderId = await order({ currency: 'INR' });
    const txn = await post(j, '/txns', { order_id: orderId, merchant_id: merchantId, payment_method_type: 'UPI', txn_type: 'UPI_COLLECT', upi_vpa: 'shopper@okbank' }, { asForm: true, auth });
    assertApiError(txn, 400, { code: 'GATEWAY_NOT_FOUND' });
    assert.equal(
      emulator.requests.filter((r) => r.path === '/v1/payment_intents' && r.params.metadata && (r.params.metadata as Record<string, string>).order_id === orderId).length,
      0,
      'nothing was sent to Stripe',
    );
  });
});
