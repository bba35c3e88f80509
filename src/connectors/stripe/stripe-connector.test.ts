// The Stripe connector against the Stripe emulator: the shared conformance suite, every decline
// the emulator can produce mapped through the status table, transport failures, and 3-D Secure.
// The emulator itself is checked against Stripe's own client in stripe-sdk-oracle.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { startStripeEmulator, STRIPE_TEST_CARDS, decodeStripeForm, type RecordedRequest, type StripeEmulator } from '../../../emulators/stripe/stripe-emulator.ts';
import type { AuthorizeRequest } from '../../core/ports/connector.ts';
import { runConnectorConformance } from '../connector-conformance.ts';
import { createHttpTransport, type HttpTransport } from '../kit/transport.ts';
import { STRIPE_STATUS_TABLE } from './status-table.ts';
import { createStripeConnector } from './stripe-connector.ts';
import { encodeStripeForm, failureFromError, outcomeOfPaymentAnswer, type FormObject } from './transformers.ts';
import { SECRET_KEY, stripeAccount, stripeCardRequest, WEBHOOK_SECRET } from './test-fixtures.ts';

async function passChallenge(url: string): Promise<Record<string, string>> {
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  await response.arrayBuffer();
  return location ? Object.fromEntries(new URL(location).searchParams) : {};
}

runConnectorConformance('stripe (emulator)', async () => {
  const emulator = await startStripeEmulator();
  const transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
  const connector = createStripeConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { STRIPE: emulator.url } });
  return {
    connector,
    account: stripeAccount(),
    forceSuccess: () => emulator.declineNext(null),
    forceDecline: () => emulator.declineNext({ decline_code: 'insufficient_funds' }),
    cardRequest: (overrides) => stripeCardRequest(overrides),
    signedPaymentWebhook: async (id) => {
      const signed = emulator.signedEvent('payment_intent.succeeded', emulator.paymentIntent(id)!, WEBHOOK_SECRET);
      return { headers: signed.headers, rawBody: signed.rawBody, body: JSON.parse(signed.rawBody) };
    },
    forceTimeout: () => emulator.stallNext(5_000, 1, '/v1/payment_intents'),
    chargeCount: () => emulator.chargeCount(),
    threeDs: { request: (overrides) => stripeCardRequest(overrides, '4000000000003220'), pass: passChallenge },
    close: async () => {
      await transport.close();
      await emulator.close();
    },
  };
});

describe('stripe connector: wire details', () => {
  let emulator: StripeEmulator;
  let transport: HttpTransport;
  let connector: ReturnType<typeof createStripeConnector>;
  let n = 0;
  const req = (overrides: Partial<AuthorizeRequest> = {}, number?: string) => {
    n += 1;
    return stripeCardRequest({ txnId: `wire-${n}`, txnUuid: `uuid-wire-${n}`, idempotencyKey: `idem-wire-${n}-${Date.now()}`, ...overrides }, number);
  };
  before(async () => {
    emulator = await startStripeEmulator({ rawCardKeys: [SECRET_KEY] });
    transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
    connector = createStripeConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { STRIPE: emulator.url } });
  });
  after(async () => {
    await transport.close();
    await emulator.close();
  });

  test('the request is what Stripe documents: form-encoded, minor units, lower-case currency, Bearer key, pinned version, idempotency key', async () => {
    const request = req({ amount: 12_345, currency: 'USD', captureMode: 'MANUAL' });
    await connector.authorize(stripeAccount(), request);
    const [method, sent] = emulator.requests.slice(-2) as [RecordedRequest, RecordedRequest];
    assert.equal(method.path, '/v1/payment_methods', 'a raw card becomes a PaymentMethod first');
    assert.equal(method.params.type, 'card');
    assert.equal(method.headers['idempotency-key'], `${request.idempotencyKey}:pm`);
    assert.equal(sent.path, '/v1/payment_intents');
    assert.match(String(sent.params.payment_method), /^pm_/);
    assert.equal(sent.params.payment_method_data, undefined, 'no card data in the PaymentIntent');
    assert.equal(sent.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(sent.headers.authorization, `Bearer ${SECRET_KEY}`);
    assert.equal(sent.headers['idempotency-key'], request.idempotencyKey);
    assert.ok(sent.headers['stripe-version']);
    assert.equal(sent.params.amount, '12345');
    assert.equal(sent.params.currency, 'usd');
    assert.equal(sent.params.capture_method, 'manual');
    assert.equal(sent.params.confirm, 'true');
    assert.deepEqual(sent.params.metadata, { txn_id: request.txnId, order_id: request.orderId, txn_uuid: request.txnUuid });
  });

  test('every test card decline maps through the status table to its unified code and class', async () => {
    for (const [number, behaviour] of Object.entries(STRIPE_TEST_CARDS)) {
      if (!behaviour.decline) continue;
      const outcome = await connector.authorize(stripeAccount(), req({}, number));
      assert.equal(outcome.kind, 'FAILED', number);
      if (outcome.kind !== 'FAILED') continue;
      const code = behaviour.decline.decline_code ?? behaviour.decline.code;
      const row = STRIPE_STATUS_TABLE[code];
      assert.ok(row, `status table has ${code}`);
      assert.equal(outcome.raw.code, code);
      assert.equal(outcome.unified.code, row.unifiedCode);
      assert.equal(outcome.failure, row.failureClass);
      assert.ok(outcome.raw.gatewayTxnId?.startsWith('pi_'), 'a decline still names the PaymentIntent');
    }
  });

  test("a shopper's decline never counts against Stripe; Stripe's own errors do", () => {
    for (const code of ['insufficient_funds', 'lost_card', 'stolen_card', 'expired_card', 'incorrect_cvc', 'fraudulent', 'do_not_honor', 'generic_decline']) {
      assert.equal(STRIPE_STATUS_TABLE[code]!.countsAgainstGateway, false, code);
    }
    for (const code of ['processing_error', 'rate_limit', 'CONNECTION_REFUSED']) {
      assert.equal(STRIPE_STATUS_TABLE[code]!.countsAgainstGateway, true, code);
      assert.equal(STRIPE_STATUS_TABLE[code]!.retryable, true, code);
    }
  });

  test('advice_code do_not_try_again makes a soft decline hard (and says so in the raw code)', async () => {
    emulator.declineNext({ decline_code: 'generic_decline', advice_code: 'do_not_try_again' });
    const outcome = await connector.authorize(stripeAccount(), req());
    assert.equal(outcome.kind, 'FAILED');
    if (outcome.kind !== 'FAILED') return;
    assert.equal(outcome.failure, 'HARD_DECLINE');
    assert.equal(outcome.raw.code, 'generic_decline:do_not_try_again');
    const soft = failureFromError({ type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', advice_code: 'try_again_later' }, null, null);
    assert.equal(soft.failure, 'SOFT_DECLINE');
    assert.equal(soft.raw.code, 'generic_decline');
  });

  test('raw codes the table does not list: an advice-hardened decline is hard, an unknown decline code soft, neither against Stripe', () => {
    const hardened = connector.classifyUnlisted!('generic_decline:do_not_try_again');
    assert.equal(hardened?.failureClass, 'HARD_DECLINE');
    assert.equal(hardened?.retryable, false);
    const unknown = connector.classifyUnlisted!('some_new_decline_code');
    assert.equal(unknown?.failureClass, 'SOFT_DECLINE');
    assert.equal(unknown?.countsAgainstGateway, false);
    assert.equal(connector.classifyUnlisted!('HTTP_500'), undefined);
  });

  test('a 5xx after retries is UNKNOWN, never a decline; a retry with the same key charged once', async () => {
    emulator.failNext(500, 5, '/v1/payment_intents');
    const outcome = await connector.authorize(stripeAccount(), req());
    assert.equal(outcome.kind, 'UNKNOWN');
    const before = emulator.chargeCount();
    emulator.failNext(503, 1, '/v1/payment_intents');
    const recovered = await connector.authorize(stripeAccount(), req());
    assert.equal(recovered.kind, 'CHARGED', 'Stripe-Should-Retry: true, retried with the same key');
    assert.equal(emulator.chargeCount(), before + 1);
  });

  test('a raw card whose PaymentMethod step gets no answer is a retryable technical failure: nothing was charged', async () => {
    const before = emulator.chargeCount();
    emulator.stallNext(5_000, 1, '/v1/payment_methods');
    const outcome = await connector.authorize(stripeAccount(), req());
    assert.equal(outcome.kind, 'FAILED');
    if (outcome.kind === 'FAILED') {
      assert.equal(outcome.failure, 'TECHNICAL_ERROR');
      assert.equal(STRIPE_STATUS_TABLE[outcome.raw.code]!.retryable, true);
    }
    assert.equal(emulator.chargeCount(), before);
  });

  test('Stripe down (connection refused) is GATEWAY_DOWN: nothing was sent, another gateway may try', async () => {
    await emulator.down();
    try {
      const outcome = await connector.authorize(stripeAccount(), req());
      assert.equal(outcome.kind, 'FAILED');
      if (outcome.kind === 'FAILED') {
        assert.equal(outcome.failure, 'GATEWAY_DOWN');
        assert.equal(STRIPE_STATUS_TABLE[outcome.raw.code]!.retryable, true);
      }
      assert.equal((await connector.syncStatus(stripeAccount(), 'pi_x')).kind, 'UNKNOWN', 'a read that never reached Stripe tells nothing');
    } finally {
      await emulator.up();
    }
  });

  test('an account without raw card permission is refused before anything is sent; a Stripe PaymentMethod id goes through', async () => {
    const count = emulator.requests.length;
    const refused = await connector.authorize(stripeAccount({ raw_card_data_enabled: 'false' }), req());
    assert.equal(refused.kind, 'FAILED');
    if (refused.kind === 'FAILED') assert.match(refused.raw.message, /PaymentMethod/);
    assert.equal(emulator.requests.length, count, 'no request reached Stripe');
    const tokenised = await connector.authorize(stripeAccount({ raw_card_data_enabled: 'false' }), req({ card: null, gatewayToken: 'pm_card_visa' }));
    assert.equal(tokenised.kind, 'CHARGED');
    assert.equal(emulator.requests.at(-1)!.params.payment_method, 'pm_card_visa');
    assert.equal(emulator.requests.at(-1)!.path, '/v1/payment_intents', 'a token needs no PaymentMethod step');
  });

  test('3-D Secure failed by the shopper is AUTHENTICATION_FAILED', async () => {
    const pending = await connector.authorize(stripeAccount(), req({}, '4000000000003220'));
    assert.equal(pending.kind, 'PENDING_AUTHENTICATION');
    if (pending.kind !== 'PENDING_AUTHENTICATION') return;
    await passChallenge(`${pending.authentication.url}?fail=1`);
    const done = await connector.completeAuthentication(stripeAccount(), pending.raw.gatewayTxnId!, {});
    assert.equal(done.kind, 'FAILED');
    if (done.kind === 'FAILED') assert.equal(done.failure, 'AUTHENTICATION_FAILED');
  });

  test('partial capture takes less than authorised; the rest is released', async () => {
    const auth = await connector.authorize(stripeAccount(), req({ captureMode: 'MANUAL', amount: 5_000 }));
    assert.equal(auth.kind, 'AUTHORIZED');
    const captured = await connector.capture(stripeAccount(), auth.raw.gatewayTxnId!, 3_000, 'INR', `cap-${auth.raw.gatewayTxnId}`);
    assert.equal(captured.kind, 'SUCCESS');
    assert.equal(emulator.paymentIntent(auth.raw.gatewayTxnId!)!.amount_received, 3_000);
    const refund = await connector.refund(stripeAccount(), {
      refundId: 'r-partial',
      txnId: 'x',
      gatewayTxnId: auth.raw.gatewayTxnId!,
      amount: 3_001,
      currency: 'INR',
      idempotencyKey: `r-${auth.raw.gatewayTxnId}`,
    });
    assert.equal(refund.kind, 'FAILURE', 'cannot refund more than captured');
  });

  test('a capture whose answer was lost is safe to retry: the same key replays it, and an already captured payment answers SUCCESS', async () => {
    const auth = await connector.authorize(stripeAccount(), req({ captureMode: 'MANUAL', amount: 2_000 }));
    const id = auth.raw.gatewayTxnId!;
    emulator.stallNext(5_000, 1, `/v1/payment_intents/${id}/capture`);
    const lost = await connector.capture(stripeAccount(), id, 2_000, 'INR', `cap-lost-${id}`);
    assert.equal(lost.kind, 'FAILURE');
    if (lost.kind === 'FAILURE') assert.equal(lost.unified.code, 'TIMEOUT_UNKNOWN');
    assert.equal(emulator.paymentIntent(id)!.status, 'succeeded', 'Stripe did capture');
    assert.equal((await connector.capture(stripeAccount(), id, 2_000, 'INR', `cap-lost-${id}`)).kind, 'SUCCESS', 'same key: the stored answer');
    assert.equal((await connector.capture(stripeAccount(), id, 2_000, 'INR', `cap-other-${id}`)).kind, 'SUCCESS', 'another key: already captured');
    assert.equal((await connector.void(stripeAccount(), id, `void-${id}`)).kind, 'FAILURE', 'a captured payment cannot be canceled');
  });

  test('an answer that is neither a PaymentIntent nor an error is UNKNOWN', () => {
    assert.equal(outcomeOfPaymentAnswer(200, { hello: 'world' }).kind, 'UNKNOWN');
    assert.equal(outcomeOfPaymentAnswer(502, undefined).kind, 'UNKNOWN');
  });
});

test('form encoding: what we encode, Stripe-style decoding gives back (property)', () => {
  const key = fc.stringMatching(/^[a-z_]{1,8}$/);
  const leaf = fc.oneof(
    fc.string({ maxLength: 12 }).filter((s) => s.length > 0),
    fc.integer({ min: 0, max: 1e9 }),
  );
  const objectOf = (depth: number): fc.Arbitrary<FormObject> =>
    fc.dictionary(key, depth > 0 ? fc.oneof(leaf, objectOf(depth - 1), fc.array(leaf, { minLength: 1, maxLength: 3 })) : leaf, { minKeys: 1, maxKeys: 4 });
  fc.assert(
    fc.property(objectOf(2), (body) => {
      const stringify = (value: unknown): unknown =>
        Array.isArray(value) ? value.map(stringify) : typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stringify(v)])) : String(value);
      assert.deepEqual(decodeStripeForm(encodeStripeForm(body)), stringify(body));
    }),
    { numRuns: 300 },
  );
});
