// Routing across payment methods and real connectors, end to end: a rule-based Priority Logic sends
// UPI to Razorpay and cards to Stripe (both emulated, over their wire formats), and the success-rate
// scores learn per method and per connector from the outcomes (Razorpay's UPI payments settled by
// its signed webhooks, Stripe's card payments answered at once).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startRazorpayEmulator, type RazorpayEmulator, type RazorpayWebhookEvent } from '../../emulators/razorpay/razorpay-emulator.ts';
import { startStripeEmulator, type StripeEmulator } from '../../emulators/stripe/stripe-emulator.ts';
import { createOrderOk, get, payByCard, post, waitFor } from '../helpers/api-helpers.ts';
import { DEMO_MERCHANT, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { APPROVER_TOKEN, actOk, api, bearer, createLogic, uniqueName } from './pl-helpers.ts';

const STRIPE_KEY = `sk_test_x${randomBytes(12).toString('hex')}`;
const RZP_KEY_ID = 'rzp_test_CrossMethod0001';
const RZP_SECRET = `xm${randomBytes(10).toString('hex')}`;
const RZP_WEBHOOK_SECRET = `rzp-xm-${randomBytes(8).toString('hex')}`;

let j: TestApp;
let stripe: StripeEmulator;
let razorpay: RazorpayEmulator;
let razorpayAccount: string;

before(async () => {
  stripe = await startStripeEmulator({ apiKeys: [STRIPE_KEY] });
  razorpay = await startRazorpayEmulator({ keys: { [RZP_KEY_ID]: RZP_SECRET } });
  j = await startTestApp({}, { connectorBaseUrls: { STRIPE: stripe.url, RAZORPAY: razorpay.url }, connectorTimeoutMs: 3_000 });
  await j.merchants.createGatewayAccount(DEMO_MERCHANT, {
    gateway: 'STRIPE',
    credentials: { secret_key: STRIPE_KEY, webhook_secret: `whsec_${randomBytes(12).toString('hex')}`, raw_card_data_enabled: 'true' },
    paymentMethodTypes: ['CARD'],
    currencies: [],
    enabled: true,
    priority: 5,
  });
  razorpayAccount = (
    await j.merchants.createGatewayAccount(DEMO_MERCHANT, {
      gateway: 'RAZORPAY',
      credentials: { key_id: RZP_KEY_ID, key_secret: RZP_SECRET, webhook_secret: RZP_WEBHOOK_SECRET, raw_card_data_enabled: 'true' },
      paymentMethodTypes: ['UPI', 'NB', 'WALLET'],
      currencies: [],
      enabled: true,
      priority: 5,
    })
  ).id;
  const logic = await createLogic(j, {
    name: uniqueName('Methods'),
    kind: 'RULES',
    defaultGateways: [{ gateway: 'SIM_ALPHA' }],
    definition: {
      rules: [
        { name: 'upi to razorpay', condition: { dimension: 'payment_method_type', operator: 'equal', value: 'UPI' }, output: { type: 'PRIORITY', gateways: [{ gateway: 'RAZORPAY' }] } },
        { name: 'cards to stripe', condition: { dimension: 'payment_method_type', operator: 'equal', value: 'CARD' }, output: { type: 'PRIORITY', gateways: [{ gateway: 'STRIPE' }] } },
      ],
    },
  });
  if (logic.status === 'PENDING_APPROVAL') await actOk(j, logic.id, 'approve', {}, bearer(APPROVER_TOKEN));
  await actOk(j, logic.id, 'activate');
});
after(async () => {
  await j.close();
  await stripe.close();
  await razorpay.close();
});

const paymentIdOf = (event: RazorpayWebhookEvent) => (event.body.payload.payment as { entity?: { id?: string } } | undefined)?.entity?.id;

/** A UPI collect through the merchant API, approved or declined by the shopper at Razorpay, settled by Razorpay's signed webhook. */
async function upiCollect(result: 'success' | 'failure'): Promise<{ orderId: string; gateway: string; status: string }> {
  const orderId = await createOrderOk(j, { amount: '75.00' });
  const txn = await post(j, '/txns', { order_id: orderId, payment_method_type: 'UPI', payment_method: 'UPI', txn_type: 'UPI_COLLECT', upi_vpa: 'shopper@okaxis' }, { asForm: true });
  assert.equal(txn.json.status, 'PENDING_VBV', txn.body);
  const view = await get(j, `/orders/${orderId}`);
  const id = view.json.txn_detail.epg_txn_id ?? view.json.payment_gateway_response?.epg_txn_id;
  assert.ok(id, `a Razorpay payment id for ${orderId}: ${view.body}`);
  razorpay.settleUpi(id, result);
  const event = result === 'success' ? 'payment.captured' : 'payment.failed';
  await waitFor(() => razorpay.events.some((e) => paymentIdOf(e) === id && e.body.event === event), 3_000, `${event} for ${id}`);
  const { headers, rawBody } = razorpay.signedEvent(razorpay.events.find((e) => paymentIdOf(e) === id && e.body.event === event)!, RZP_WEBHOOK_SECRET);
  const delivered = await j.app.inject({ method: 'POST', url: `/webhooks/gateways/RAZORPAY/${DEMO_MERCHANT}/${razorpayAccount}`, headers, payload: rawBody });
  assert.equal(delivered.statusCode, 200, delivered.body);
  const settled = await get(j, `/orders/${orderId}`);
  return { orderId, gateway: settled.json.txn_detail.gateway, status: settled.json.status };
}

test('a rule-based logic sends UPI to Razorpay and cards to Stripe, each over its own wire', async () => {
  const upi = await upiCollect('success');
  assert.deepEqual([upi.gateway, upi.status], ['RAZORPAY', 'CHARGED']);
  assert.ok(
    razorpay.requests.some((r) => r.method === 'POST' && r.path.startsWith('/v1/payments/create/upi')),
    "the UPI payment went to Razorpay's UPI API",
  );

  const orderId = await createOrderOk(j, { amount: '30.00' });
  const card = await payByCard(j, orderId, { card_number: '4242424242424242' });
  assert.equal(card.json.status, 'CHARGED', card.body);
  const view = await get(j, `/orders/${orderId}`);
  assert.equal(view.json.txn_detail.gateway, 'STRIPE');
  assert.match(view.json.payment_gateway_response.epg_txn_id, /^pi_/);
  assert.ok(!razorpay.requests.some((r) => r.path.includes('/payments/create/json')), 'no card went to Razorpay');
});

test("success-rate scores learn per method and per connector: UPI outcomes move Razorpay's UPI estimate, card outcomes Stripe's card estimate", async () => {
  const health = async (type: string) => (await api(j, 'GET', `/v1/routing/health?payment_method_type=${type}`)).json as { gateways: Array<{ gateway: string; mean: number; observations: number }> };
  const before = { upi: await health('UPI'), card: await health('CARD') };
  const of = (h: { gateways: Array<{ gateway: string; observations: number; mean: number }> }, gateway: string) => h.gateways.find((g) => g.gateway === gateway);

  for (const result of ['failure', 'failure', 'failure', 'success'] as const) await upiCollect(result);
  for (let i = 0; i < 3; i++) {
    const orderId = await createOrderOk(j, { amount: '12.00' });
    assert.equal((await payByCard(j, orderId, { card_number: '4242424242424242' })).json.status, 'CHARGED');
  }

  const after = { upi: await health('UPI'), card: await health('CARD') };
  const upiRazorpay = of(after.upi, 'RAZORPAY');
  const cardStripe = of(after.card, 'STRIPE');
  assert.ok(upiRazorpay && cardStripe, JSON.stringify(after));
  assert.ok(upiRazorpay.observations > (of(before.upi, 'RAZORPAY')?.observations ?? 0), "Razorpay's UPI arm saw the UPI outcomes");
  assert.ok(cardStripe.observations > (of(before.card, 'STRIPE')?.observations ?? 0), "Stripe's card arm saw the card outcomes");
  // Three UPI failures of five on Razorpay, every card on Stripe charged: each arm learnt its own method.
  assert.ok(upiRazorpay.mean < cardStripe.mean, `Razorpay UPI ${upiRazorpay.mean} below Stripe cards ${cardStripe.mean}`);
  // Nothing leaked across methods: Stripe never took UPI and Razorpay never took a card here.
  assert.equal(of(after.card, 'RAZORPAY')?.observations ?? 0, of(before.card, 'RAZORPAY')?.observations ?? 0);
  assert.equal(of(after.upi, 'STRIPE')?.observations ?? 0, of(before.upi, 'STRIPE')?.observations ?? 0);
});
