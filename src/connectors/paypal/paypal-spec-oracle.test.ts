// PayPal publishes no Node SDK in this build (the official @paypal/paypal-server-sdk is not installed),
// so the independent lock is PayPal's own OpenAPI documents, read directly (not through the emulator):
// - our request bodies are validated against each operation's request schema;
// - the documents' request examples are the golden bodies our builders must reproduce, and their
//   response and error examples are parsed by our transformers to the outcome they mean;
// - the emulator's answers and webhook resources, fetched raw, are validated against the response
//   and component schemas, so the emulator cannot drift from the documents;
// - PayPal's documented webhook signature scheme (SHA256withRSA over
//   `transmission_id|transmission_time|webhook_id|crc32(body)`, certificate from PAYPAL-CERT-URL) is
//   computed here with node:crypto, independently of the emulator's verify-webhook-signature, and
//   both must agree on genuine and tampered deliveries.
import assert from 'node:assert/strict';
import { createVerify, X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { crc32 } from 'node:zlib';
import { componentExample, componentViolation, publishedExamples, requestViolation, responseViolation } from '../../../emulators/paypal/contract.ts';
import { startPayPalEmulator, type PayPalEmulator, type PayPalWebhookEvent } from '../../../emulators/paypal/paypal-emulator.ts';
import { ConnectorError } from '../../core/ports/connector.ts';
import { createHttpTransport, type HttpTransport } from '../kit/transport.ts';
import { createPayPalConnector } from './paypal-connector.ts';
import { PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET, clickOnPayPalPage, paypalAccount, paypalCardRequest, paypalWalletRequest } from './test-fixtures.ts';
import { outcomeOfModification, outcomeOfOrderAnswer, outcomeOfRefundAnswer } from './transformers.ts';
import { buildCaptureRequest, buildOrderRequest, buildRefundRequest, paypalValue } from './requests.ts';
import { parsePayPalEvent, verifyRequestBody, type PayPalWebhookEvent as ParsedEvent } from './webhooks.ts';

type Json = Record<string, unknown>;
const example = (operationId: string, kind: 'request' | 'response', name: string): Json => {
  const found = publishedExamples().find((e) => e.operationId === operationId && e.kind === kind && e.name === name);
  assert.ok(found, `the documents publish ${operationId} ${kind} example ${name}`);
  return found.value as Json;
};
const built = (result: ReturnType<typeof buildOrderRequest>): Json => {
  assert.ok('body' in result, 'refused' in result ? result.message : '');
  return result.body;
};

describe("our request bodies against PayPal's request schemas (read from the documents, not the emulator)", () => {
  test('create order: card (automatic and manual capture, 3-D Secure), PayPal wallet, a zero-decimal currency', () => {
    const bodies = [
      built(buildOrderRequest(paypalCardRequest(), { rawCardDataEnabled: true })),
      built(buildOrderRequest(paypalCardRequest({ captureMode: 'MANUAL', authType: 'THREE_DS' }), { rawCardDataEnabled: true })),
      built(buildOrderRequest(paypalWalletRequest(), { rawCardDataEnabled: false })),
      built(buildOrderRequest(paypalWalletRequest({ currency: 'JPY', amount: 1_500, customerEmail: null }), { rawCardDataEnabled: false })),
    ];
    for (const body of bodies) assert.equal(requestViolation('orders.create', body), null, JSON.stringify(body));
  });

  test('completing an order, capturing an authorization, refunding a capture, verifying a webhook', () => {
    assert.equal(requestViolation('orders.capture', {}), null);
    assert.equal(requestViolation('orders.authorize', {}), null);
    assert.equal(requestViolation('authorizations.capture', buildCaptureRequest(4_000, 'USD')), null);
    assert.equal(requestViolation('captures.refund', buildRefundRequest(1_500, 'EUR', 'rfd_0123')), null);
    const request = {
      headers: {
        'paypal-transmission-id': '69cd13f0-d67a-11e5-baa3-778b53f4ae55',
        'paypal-transmission-time': '2026-02-18T20:01:35Z',
        'paypal-transmission-sig': 'c2lnbmF0dXJl',
        'paypal-cert-url': 'https://api-m.sandbox.paypal.com/v1/notifications/certs/CERT-1',
        'paypal-auth-algo': 'SHA256withRSA',
      },
      rawBody: '{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"1"}}',
      body: null,
    };
    assert.equal(requestViolation('verify-webhook-signature.post', JSON.parse(verifyRequestBody(request, '1JE4291016473214C'))), null);
  });

  test('a body the documents refuse is detected (the check can fail)', () => {
    assert.notEqual(requestViolation('orders.create', { intent: 'CAPTURE', purchase_units: [{ amount: { currency_code: 'USD', value: 100 } }] }), null);
    assert.notEqual(requestViolation('captures.refund', { amount: { currency_code: 'usd', value: '1.00' } }), null);
  });
});

describe("the documents' examples as golden fixtures", () => {
  test("order_request: our PayPal wallet order has the example's intent, amount and payer experience", () => {
    const golden = example('orders.create', 'request', 'order_request');
    const ours = built(buildOrderRequest(paypalWalletRequest({ amount: 10_000, currency: 'USD', returnUrl: 'https://example.com/returnUrl' }), { rawCardDataEnabled: false }));
    assert.equal(ours.intent, golden.intent);
    const [goldenUnit] = golden.purchase_units as Json[];
    const [ourUnit] = ours.purchase_units as Json[];
    assert.deepEqual(ourUnit!.amount, goldenUnit!.amount);
    const goldenContext = ((golden.payment_source as Json).paypal as Json).experience_context as Json;
    const ourContext = ((ours.payment_source as Json).paypal as Json).experience_context as Json;
    for (const key of ['user_action', 'payment_method_preference', 'return_url'] as const) assert.equal(ourContext[key], goldenContext[key], key);
    assert.equal(requestViolation('orders.create', golden), null, 'the example itself is valid');
  });

  test('capture_request, reauthorize_request, refund_request: the same amounts from our minor units', () => {
    const capture = example('authorizations.capture', 'request', 'capture_request');
    const ours = buildCaptureRequest(1_099, 'USD')!;
    assert.deepEqual(ours.amount, capture.amount);
    assert.equal(ours.final_capture, capture.final_capture);
    assert.deepEqual({ currency_code: 'USD', value: paypalValue(1_099, 'USD') }, example('authorizations.reauthorize', 'request', 'reauthorize_request').amount);
    assert.deepEqual(buildRefundRequest(1_000, 'USD', 'rfd_1')!.amount, example('captures.refund', 'request', 'refund_request').amount);
  });

  test('the create-order 201 example has neither id nor status: we never guess, it is UNKNOWN', () => {
    const published = example('orders.create', 'response', 'orders_request_create');
    assert.equal(outcomeOfOrderAnswer(201, published).kind, 'UNKNOWN');
  });

  test('error_500 and error_503 examples: a payment is UNKNOWN, a capture a FAILURE to retry with its key, a refund PENDING', () => {
    for (const document of ['orders', 'payments'] as const) {
      const e500 = componentExample(document, 'error_500');
      const e503 = componentExample(document, 'error_503');
      const payment = outcomeOfOrderAnswer(500, e500);
      assert.equal(payment.kind, 'UNKNOWN');
      assert.equal(payment.raw.code, 'INTERNAL_SERVER_ERROR');
      const capture = outcomeOfModification('capture', 500, e500, 'ORDER1');
      assert.equal(capture.kind, 'FAILURE');
      if (capture.kind === 'FAILURE') assert.equal(capture.unified.code, 'TIMEOUT_UNKNOWN');
      const refund = outcomeOfRefundAnswer(503, e503, 'ORDER1');
      assert.equal(refund.kind, 'PENDING');
      assert.equal(refund.raw.code, 'SERVICE_UNAVAILABLE');
    }
  });

  test('verify_webhook_signature: our verification request from the transmission headers is the published example', () => {
    const golden = example('verify-webhook-signature.post', 'request', 'verify_webhook_signature');
    const request = {
      headers: {
        'paypal-transmission-id': String(golden.transmission_id),
        'paypal-transmission-time': String(golden.transmission_time),
        'paypal-transmission-sig': String(golden.transmission_sig),
        'paypal-cert-url': String(golden.cert_url),
        'paypal-auth-algo': String(golden.auth_algo),
      },
      rawBody: JSON.stringify(golden.webhook_event),
      body: null,
    };
    assert.deepEqual(JSON.parse(verifyRequestBody(request, String(golden.webhook_id))), golden);
    // The example's cert_url is the placeholder "cert_url", which its own schema (format: uri) refuses.
    assert.deepEqual(requestViolation('verify-webhook-signature.post', golden), { path: '/cert_url', reason: 'must match format "uri"' });
    // Its event is a v1 Payments API authorization (no Orders v2 order id): not ours to settle.
    const parsed = parsePayPalEvent(golden.webhook_event as unknown as ParsedEvent);
    assert.equal(parsed.kind, 'IGNORED');
  });
});

describe("the emulator's answers against PayPal's response schemas (fetched raw)", () => {
  let emulator: PayPalEmulator;
  let token: string;
  let webhookId: string;
  before(async () => {
    emulator = await startPayPalEmulator({ clients: { [PAYPAL_CLIENT_ID]: PAYPAL_CLIENT_SECRET } });
    webhookId = emulator.registerWebhook(PAYPAL_CLIENT_ID, 'http://127.0.0.1:1/none');
    const answer = await fetch(`${emulator.url}/v1/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${PAYPAL_CLIENT_ID}:${PAYPAL_CLIENT_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const body = (await answer.json()) as { access_token: string; token_type: string; expires_in: number };
    assert.equal(body.token_type, 'Bearer');
    assert.ok(body.expires_in > 0);
    token = body.access_token;
  });
  after(async () => {
    await emulator.close();
  });

  const api = async (operationId: string, method: 'GET' | 'POST', path: string, body?: unknown, requestId?: string): Promise<{ status: number; body: Json }> => {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'return=representation', ...(requestId ? { 'paypal-request-id': requestId } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    const parsed = (text ? JSON.parse(text) : {}) as Json;
    if (text) assert.equal(responseViolation(operationId, response.status, parsed), null, `${operationId} ${response.status}: ${text.slice(0, 300)}`);
    return { status: response.status, body: parsed };
  };

  test('orders, authorizations, captures, refunds, errors, the event log: every answer matches its documented schema', async () => {
    const card = built(buildOrderRequest(paypalCardRequest({ captureMode: 'MANUAL' }), { rawCardDataEnabled: true }));
    const created = await api('orders.create', 'POST', '/v2/checkout/orders', card, 'oracle-1');
    assert.equal(created.status, 201);
    const replay = await api('orders.create', 'POST', '/v2/checkout/orders', card, 'oracle-1');
    assert.equal(replay.status, 200, 'a repeated PayPal-Request-Id answers 200 with the same order');
    assert.equal(replay.body.id, created.body.id);
    const order = await api('orders.get', 'GET', `/v2/checkout/orders/${String(created.body.id)}`);
    const authorizationId = String((((order.body.purchase_units as Json[])[0]!.payments as Json).authorizations as Json[])[0]!.id);
    await api('authorizations.get', 'GET', `/v2/payments/authorizations/${authorizationId}`);
    const capture = await api('authorizations.capture', 'POST', `/v2/payments/authorizations/${authorizationId}/capture`, buildCaptureRequest(5_000, 'USD'), 'oracle-2');
    assert.equal(capture.body.status, 'COMPLETED');
    await api('captures.get', 'GET', `/v2/payments/captures/${String(capture.body.id)}`);
    const refund = await api('captures.refund', 'POST', `/v2/payments/captures/${String(capture.body.id)}/refund`, buildRefundRequest(1_000, 'USD', 'rfd_oracle'), 'oracle-3');
    await api('refunds.get', 'GET', `/v2/payments/refunds/${String(refund.body.id)}`);
    const exceeded = await api('captures.refund', 'POST', `/v2/payments/captures/${String(capture.body.id)}/refund`, buildRefundRequest(9_000, 'USD', 'rfd_too_much'), 'oracle-4');
    assert.equal(exceeded.status, 422);
    assert.equal((exceeded.body.details as Json[])[0]!.issue, 'REFUND_AMOUNT_EXCEEDED');
    const voided = await api('authorizations.void', 'POST', `/v2/payments/authorizations/${authorizationId}/void`, undefined, 'oracle-5');
    assert.equal((voided.body.details as Json[])[0]!.issue, 'PREVIOUSLY_CAPTURED');
    assert.equal((await api('orders.get', 'GET', '/v2/checkout/orders/NOSUCHORDER000001')).status, 404);
    const invalid = await api('orders.create', 'POST', '/v2/checkout/orders', { intent: 'CAPTURE', purchase_units: [] }, 'oracle-6');
    assert.equal(invalid.status, 400);
    const wallet = await api('orders.create', 'POST', '/v2/checkout/orders', built(buildOrderRequest(paypalWalletRequest(), { rawCardDataEnabled: false })), 'oracle-7');
    assert.equal(wallet.body.status, 'PAYER_ACTION_REQUIRED');
    const notApproved = await api('orders.capture', 'POST', `/v2/checkout/orders/${String(wallet.body.id)}/capture`, {}, 'oracle-8');
    assert.equal((notApproved.body.details as Json[])[0]!.issue, 'ORDER_NOT_APPROVED');
    const payerAction = (wallet.body.links as Array<{ rel: string; href: string }>).find((l) => l.rel === 'payer-action')!.href;
    await clickOnPayPalPage(payerAction, 'approve');
    const completed = await api('orders.capture', 'POST', `/v2/checkout/orders/${String(wallet.body.id)}/capture`, {}, 'oracle-9');
    assert.equal(completed.body.status, 'COMPLETED');
    const log = await api('webhooks-events.list', 'GET', '/v1/notifications/webhooks-events?page_size=5');
    assert.equal((log.body.events as Json[]).length, 5);
    assert.ok((log.body.links as Json[]).some((l) => l.rel === 'next'));
    const registered = await api('webhooks.post', 'POST', '/v1/notifications/webhooks', example('webhooks.post', 'request', 'webhook'));
    assert.equal(registered.status, 201);
    assert.deepEqual(
      emulator.violations,
      [{ operationId: 'orders.create', path: '/v2/checkout/orders', reason: '/purchase_units must NOT have fewer than 1 items' }],
      'only the deliberately invalid order',
    );
  });

  test('every webhook event and its resource match the documents (event envelope; order, capture, authorization, refund)', () => {
    assert.ok(emulator.events.length >= 6);
    const resourceSchema: Record<string, ['orders' | 'payments', string]> = {
      'checkout-order': ['orders', 'order'],
      capture: ['payments', 'capture-2'],
      authorization: ['payments', 'authorization-2'],
      refund: ['payments', 'refund'],
    };
    for (const event of emulator.events) {
      assert.equal(componentViolation('webhooks', 'event', event), null, event.event_type);
      const [document, name] = resourceSchema[event.resource_type]!;
      assert.equal(componentViolation(document, name, event.resource), null, `${event.event_type} resource`);
    }
  });

  describe("PayPal's webhook signature, computed independently", () => {
    let transport: HttpTransport;
    before(() => {
      transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
    });
    after(async () => {
      await transport.close();
    });

    /** PayPal's documented local check: the certificate from PAYPAL-CERT-URL, and the signature over id|time|webhook id|crc32. */
    async function independentlyVerified(headers: Record<string, string>, rawBody: string, id: string): Promise<boolean> {
      const certificate = new X509Certificate(await (await fetch(headers['paypal-cert-url']!)).text());
      const verifier = createVerify('RSA-SHA256');
      verifier.update(`${headers['paypal-transmission-id']}|${headers['paypal-transmission-time']}|${id}|${crc32(rawBody) >>> 0}`);
      return verifier.verify(certificate.publicKey, headers['paypal-transmission-sig']!, 'base64');
    }

    test('a genuine delivery verifies both ways; a tampered body or another webhook id fails both ways', async () => {
      const connector = createPayPalConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { PAYPAL: emulator.url } });
      const account = paypalAccount(webhookId);
      const event = emulator.events.find((e) => e.event_type === 'PAYMENT.CAPTURE.COMPLETED') as PayPalWebhookEvent;
      const { headers, rawBody } = emulator.signedEvent(event, webhookId);
      assert.equal(headers['paypal-auth-algo'], 'SHA256withRSA');
      assert.equal(await independentlyVerified(headers, rawBody, webhookId), true);
      const parsed = await connector.parseWebhook(account, { headers, rawBody, body: null });
      assert.equal(parsed.kind, 'PAYMENT');
      const tampered = rawBody.replace(/"value":"[\d.]+"/, '"value":"0.01"');
      assert.notEqual(tampered, rawBody);
      assert.equal(await independentlyVerified(headers, tampered, webhookId), false);
      await assert.rejects(connector.parseWebhook(account, { headers, rawBody: tampered, body: null }), (error: unknown) => error instanceof ConnectorError && error.kind === 'SIGNATURE');
      assert.equal(await independentlyVerified(headers, rawBody, 'ANOTHERWEBHOOK01'), false);
      await assert.rejects(connector.parseWebhook(paypalAccount('ANOTHERWEBHOOK01'), { headers, rawBody, body: null }), ConnectorError);
    });
  });
});
