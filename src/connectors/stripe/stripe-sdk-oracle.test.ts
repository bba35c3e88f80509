// Stripe's official Node library (`stripe`) as an independent second implementation:
// - it drives the emulator, so the emulator answers what Stripe's own client expects (objects,
//   errors as StripeCardError with decline codes, idempotent replays);
// - it encodes the same parameters our connector sends, and the emulator must decode both the same;
// - its webhook signer signs events our verifier must accept (and tampered ones it must refuse);
//   its verifier must accept what the emulator signs;
// - the emulator's objects carry every field of Stripe's published fixtures.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Stripe from 'stripe';
import { startStripeEmulator, stripeFixture, type StripeEmulator } from '../../../emulators/stripe/stripe-emulator.ts';
import { ConnectorError } from '../../core/ports/connector.ts';
import { createHttpTransport, type HttpTransport } from '../kit/transport.ts';
import { createStripeConnector } from './stripe-connector.ts';
import { stripeAccount, stripeCardRequest, SECRET_KEY, WEBHOOK_SECRET } from './test-fixtures.ts';
import { buildPaymentIntentBody, buildPaymentMethodBody, STRIPE_API_VERSION } from './transformers.ts';
import { STRIPE_PACKAGE_API_VERSION, stripeNestedParamNames, stripeParamNames } from '../../../emulators/stripe/contract.ts';
import { parseStripeEvent, verifyStripeSignature } from './webhooks.ts';

let emulator: StripeEmulator;
let stripe: Stripe;
let transport: HttpTransport;
before(async () => {
  emulator = await startStripeEmulator();
  stripe = new Stripe(SECRET_KEY, { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
  transport = createHttpTransport({ deadlineMs: 2_000 });
});
after(async () => {
  await transport.close();
  await emulator.close();
});

describe('the official stripe client against the emulator', () => {
  test('create + confirm with a test PaymentMethod: a succeeded PaymentIntent, typed as Stripe.PaymentIntent', async () => {
    const intent: Stripe.PaymentIntent = await stripe.paymentIntents.create({
      amount: 2_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      allowed_payment_method_types: ['card'],
      metadata: { order_id: 'sdk-1' },
    });
    assert.equal(intent.object, 'payment_intent');
    assert.equal(intent.status, 'succeeded');
    assert.equal(intent.amount_received, 2_000);
    assert.equal(intent.metadata.order_id, 'sdk-1');
    const again = await stripe.paymentIntents.retrieve(intent.id);
    assert.equal(again.id, intent.id);
    assert.equal(again.status, 'succeeded');
  });

  test('manual capture, partial capture and refunds, as the client reads them', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 5_000,
      currency: 'eur',
      payment_method: 'pm_card_mastercard',
      confirm: true,
      capture_method: 'manual',
      allowed_payment_method_types: ['card'],
    });
    assert.equal(intent.status, 'requires_capture');
    assert.equal(intent.amount_capturable, 5_000);
    const captured = await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 4_000 });
    assert.equal(captured.status, 'succeeded');
    assert.equal(captured.amount_received, 4_000);
    const refund: Stripe.Refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 1_500 });
    assert.equal(refund.object, 'refund');
    assert.equal(refund.status, 'succeeded');
    assert.equal(refund.amount, 1_500);
    await assert.rejects(
      stripe.refunds.create({ payment_intent: intent.id, amount: 2_501 }),
      (error: unknown) => error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'amount_too_large',
    );
  });

  test('a cancel of a succeeded PaymentIntent is refused with payment_intent_unexpected_state', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 100, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, allowed_payment_method_types: ['card'] });
    await assert.rejects(stripe.paymentIntents.cancel(intent.id), (error: unknown) => error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'payment_intent_unexpected_state');
  });

  test("a decline surfaces as the client's StripeCardError with the decline code and the PaymentIntent", async () => {
    await assert.rejects(
      stripe.paymentIntents.create({ amount: 100, currency: 'usd', payment_method: 'pm_card_chargeDeclinedInsufficientFunds', confirm: true, allowed_payment_method_types: ['card'] }),
      (error: unknown) => {
        assert.ok(error instanceof Stripe.errors.StripeCardError, String(error));
        assert.equal(error.code, 'card_declined');
        assert.equal(error.decline_code, 'insufficient_funds');
        assert.equal(error.statusCode, 402);
        assert.ok(error.payment_intent?.id.startsWith('pi_'));
        return true;
      },
    );
  });

  test('idempotency as the client uses it: the same key replays the first answer; other parameters are an idempotency error', async () => {
    const key = `sdk-idem-${Date.now()}`;
    const first = await stripe.paymentIntents.create({ amount: 700, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, allowed_payment_method_types: ['card'] }, { idempotencyKey: key });
    const replay = await stripe.paymentIntents.create({ amount: 700, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, allowed_payment_method_types: ['card'] }, { idempotencyKey: key });
    assert.equal(replay.id, first.id);
    await assert.rejects(
      stripe.paymentIntents.create({ amount: 701, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, allowed_payment_method_types: ['card'] }, { idempotencyKey: key }),
      (error: unknown) => error instanceof Stripe.errors.StripeIdempotencyError,
    );
  });

  test('an unknown parameter is refused the way Stripe refuses it', async () => {
    await assert.rejects(
      stripe.paymentIntents.create({ amount: 100, currency: 'usd', not_a_param: 'x' } as Stripe.PaymentIntentCreateParams),
      (error: unknown) => error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'parameter_unknown' && error.param === 'not_a_param',
    );
  });

  test('search by metadata, as the connector syncs a payment whose create call got no answer', async () => {
    const marker = `sdk-search-${Date.now()}`;
    const intent = await stripe.paymentIntents.create({
      amount: 300,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      allowed_payment_method_types: ['card'],
      metadata: { txn_id: marker },
    });
    const found = await stripe.paymentIntents.search({ query: `metadata['txn_id']:'${marker}'` });
    assert.deepEqual(
      found.data.map((p) => p.id),
      [intent.id],
    );
  });
});

describe('our connector and the official client put the same request on the wire', () => {
  test("a raw card: the PaymentMethod and the PaymentIntent bodies decode exactly like stripe-node's encoding of the same parameters", async () => {
    const request = stripeCardRequest({ txnId: 'same-1', txnUuid: 'uuid-same-1', idempotencyKey: `same-1-${Date.now()}`, captureMode: 'MANUAL', authType: 'THREE_DS' });
    const connector = createStripeConnector({ transport, publicBaseUrl: 'http://x', baseUrls: { STRIPE: emulator.url } });
    const outcome = await connector.authorize(stripeAccount(), request);
    assert.equal(outcome.kind, 'PENDING_AUTHENTICATION');
    const [ourMethod, ourIntent] = emulator.requests.slice(-2);
    assert.equal(ourMethod!.path, '/v1/payment_methods');
    assert.equal(ourIntent!.path, '/v1/payment_intents');
    const sdkMethod = await stripe.paymentMethods.create(buildPaymentMethodBody(request.card!) as unknown as Stripe.PaymentMethodCreateParams);
    assert.deepEqual(ourMethod!.params, emulator.requests.at(-1)!.params);
    await stripe.paymentIntents.create(buildPaymentIntentBody(request, String(ourIntent!.params.payment_method)) as unknown as Stripe.PaymentIntentCreateParams);
    assert.deepEqual(ourIntent!.params, emulator.requests.at(-1)!.params);
    assert.ok(sdkMethod.id.startsWith('pm_'));
  });

  test('we send the API version the official package pins, whose types the emulator enforces', () => {
    assert.equal(STRIPE_API_VERSION, STRIPE_PACKAGE_API_VERSION);
    const create = stripeParamNames('PaymentIntents', 'PaymentIntentCreateParams');
    for (const name of ['amount', 'currency', 'confirm', 'capture_method', 'payment_method', 'return_url', 'metadata', 'allowed_payment_method_types']) assert.ok(create.has(name), name);
    assert.ok(!create.has('payment_method_types'), 'not a create parameter in this API version');
    assert.deepEqual([...stripeNestedParamNames('PaymentMethods', 'PaymentMethodCreateParams', 'Card')].sort(), ['cvc', 'exp_month', 'exp_year', 'networks', 'number', 'token']);
  });
});

describe('webhook signatures: stripe-node signs, we verify; the emulator signs, stripe-node verifies', () => {
  const payload = () =>
    JSON.stringify({ ...stripeFixture('event'), id: 'evt_sdk_1', type: 'payment_intent.succeeded', data: { object: { ...stripeFixture('payment_intent'), id: 'pi_sdk_1', status: 'succeeded' } } });
  const now = () => Math.floor(Date.now() / 1000);

  test('a header made by stripe.webhooks.generateTestHeaderString is accepted and parsed', () => {
    const body = payload();
    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET });
    verifyStripeSignature({ headers: { 'stripe-signature': header }, rawBody: body, body: null }, WEBHOOK_SECRET, now());
    const parsed = parseStripeEvent(body);
    assert.equal(parsed.kind, 'PAYMENT');
    if (parsed.kind === 'PAYMENT') {
      assert.equal(parsed.gatewayTxnId, 'pi_sdk_1');
      assert.equal(parsed.outcome.kind, 'CHARGED');
    }
  });

  test('a tampered body, another secret, or an old timestamp is refused', () => {
    const body = payload();
    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET });
    const tampered = body.replace('"succeeded"', '"canceled"');
    assert.throws(() => verifyStripeSignature({ headers: { 'stripe-signature': header }, rawBody: tampered, body: null }, WEBHOOK_SECRET, now()), ConnectorError);
    assert.throws(() => verifyStripeSignature({ headers: { 'stripe-signature': header }, rawBody: body, body: null }, 'whsec_other', now()), ConnectorError);
    const old = stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET, timestamp: now() - 3_600 });
    assert.throws(() => verifyStripeSignature({ headers: { 'stripe-signature': old }, rawBody: body, body: null }, WEBHOOK_SECRET, now()), /tolerance/);
  });

  test("the emulator's events pass stripe.webhooks.constructEvent", async () => {
    const intent = await stripe.paymentIntents.create({ amount: 100, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, allowed_payment_method_types: ['card'] });
    const signed = emulator.signedEvent('payment_intent.succeeded', emulator.paymentIntent(intent.id)!, WEBHOOK_SECRET);
    const event = stripe.webhooks.constructEvent(signed.rawBody, signed.headers['stripe-signature']!, WEBHOOK_SECRET);
    assert.equal(event.type, 'payment_intent.succeeded');
    assert.equal((event.data.object as Stripe.PaymentIntent).id, intent.id);
  });
});

describe("the emulator's objects have the published shape", () => {
  test("a PaymentIntent and a Refund carry exactly the fields of Stripe's fixtures", async () => {
    const intent = await stripe.paymentIntents.create({ amount: 900, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, allowed_payment_method_types: ['card'] });
    assert.deepEqual(Object.keys(emulator.paymentIntent(intent.id)!).sort(), Object.keys(stripeFixture('payment_intent')).sort());
    const refund = await stripe.refunds.create({ payment_intent: intent.id });
    assert.deepEqual(Object.keys(emulator.refund(refund.id)!).sort(), Object.keys(stripeFixture('refund')).sort());
  });
});
