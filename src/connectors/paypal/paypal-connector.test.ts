// The PayPal connector against the PayPal emulator (which validates requests and answers against
// PayPal's published OpenAPI documents): the conformance suite, then the wire: OAuth2 token reuse and
// refresh, PayPal-Request-Id, exact amounts, webhooks verified by the verify-webhook-signature call,
// transport failures. The wallet approval and card 3-D Secure redirects: paypal-payer-flows.test.ts;
// every documented decline issue and processor response code: paypal-error-mapping.test.ts.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { startPayPalEmulator, type PayPalEmulator, type PayPalWebhookEvent } from '../../../emulators/paypal/paypal-emulator.ts';
import { ConnectorError, type ConnectorAccount } from '../../core/ports/connector.ts';
import { runConnectorConformance } from '../connector-conformance.ts';
import { createHttpTransport, type HttpTransport } from '../kit/transport.ts';
import { createPayPalConnector, isPayPalId, requestId } from './paypal-connector.ts';
import { PAYPAL_STATUS_TABLE } from './status-table.ts';
import { minorFromPayPal, paypalValue } from './requests.ts';
import { clickOnPayPalPage, PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET, paypalAccount, paypalCardRequest } from './test-fixtures.ts';
import { orderIdOfEvent, signedRequest, usePayPalWire } from './emulator-test-helpers.ts';

runConnectorConformance('paypal (emulator)', async () => {
  const emulator = await startPayPalEmulator({ clients: { [PAYPAL_CLIENT_ID]: PAYPAL_CLIENT_SECRET } });
  const webhookId = emulator.registerWebhook(PAYPAL_CLIENT_ID, 'http://127.0.0.1:1/not-listening');
  const transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
  const connector = createPayPalConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { PAYPAL: emulator.url } });
  return {
    connector,
    account: paypalAccount(webhookId),
    forceSuccess: () => emulator.declineNext(null),
    forceDecline: () => emulator.declineNext('5120'),
    cardRequest: (overrides) => paypalCardRequest({ currency: 'INR', ...overrides }),
    signedPaymentWebhook: async (id) => {
      const event = emulator.events.find((e) => orderIdOfEvent(e) === id && e.event_type.startsWith('PAYMENT.'));
      assert.ok(event, `an event about order ${id}`);
      return signedRequest(emulator, event, webhookId);
    },
    // PayPal signs in five PAYPAL-* headers (none named "signature"): the same event, byte for byte, without them.
    unsignedWebhook: (signed) => ({
      headers: Object.fromEntries(Object.entries(signed.headers).filter(([key]) => !/^paypal-(transmission-|cert-url|auth-algo)/.test(key))),
      rawBody: signed.rawBody,
      body: signed.body,
    }),
    forceTimeout: () => emulator.stallNext(5_000, 1, '/v2/checkout/orders'),
    chargeCount: () => emulator.chargeCount(),
    threeDs: { request: (overrides) => paypalCardRequest({ currency: 'INR', ...overrides }, '4868719460707704'), pass: async (url) => (await clickOnPayPalPage(url, 'pass')).params },
    close: async () => {
      assert.deepEqual(emulator.violations, [], "every request the connector sent matched PayPal's contract");
      await transport.close();
      await emulator.close();
    },
  };
});

describe('paypal connector: wire details', () => {
  let emulator: PayPalEmulator;
  let transport: HttpTransport;
  let connector: ReturnType<typeof createPayPalConnector>;
  let account: ConnectorAccount;
  let webhookId: string;
  const { wire, card, wallet, sentTo } = usePayPalWire();
  before(() => ({ emulator, transport, connector, account, webhookId } = wire()));

  test('the request is what PayPal documents: Bearer token from client credentials, PayPal-Request-Id from our key, a major-unit string, our txn id as references', async () => {
    const request = card({ amount: 12_345, captureMode: 'MANUAL' });
    assert.equal((await connector.authorize(account, request)).kind, 'AUTHORIZED');
    const token = emulator.requests.find((r) => r.path === '/v1/oauth2/token')!;
    assert.equal(token.headers.authorization, `Basic ${Buffer.from(`${PAYPAL_CLIENT_ID}:${PAYPAL_CLIENT_SECRET}`).toString('base64')}`);
    assert.equal(token.headers['content-type'], 'application/x-www-form-urlencoded');
    const sent = sentTo('/v2/checkout/orders').at(-1)!;
    assert.match(sent.headers.authorization!, /^Bearer A21AA/);
    assert.equal(sent.headers['paypal-request-id'], request.idempotencyKey);
    assert.equal(sent.headers.prefer, 'return=representation');
    assert.equal(sent.body!.intent, 'AUTHORIZE');
    assert.deepEqual(sent.body!.purchase_units, [{ reference_id: request.txnId, custom_id: request.txnId, invoice_id: request.txnId, amount: { currency_code: 'USD', value: '123.45' } }]);
    assert.deepEqual(sent.body!.payment_source, {
      card: { number: '4111111111111111', expiry: '2030-06', security_code: '123', name: 'A Shopper', experience_context: { return_url: request.returnUrl, cancel_url: request.returnUrl } },
    });
  });

  test("amounts are exact in each currency's unit: JPY whole yen, HUF/TWD whole units at PayPal, nothing sent when a fraction cannot be carried", async () => {
    assert.equal(paypalValue(1_000, 'JPY'), '1000');
    assert.equal(paypalValue(10_000, 'HUF'), '100');
    assert.equal(paypalValue(10_050, 'HUF'), null);
    assert.equal(paypalValue(5, 'USD'), '0.05');
    assert.equal(paypalValue(12_345, 'BHD'), '12.345');
    await connector.authorize(account, card({ amount: 1_000, currency: 'JPY' }));
    assert.deepEqual((sentTo('/v2/checkout/orders').at(-1)!.body!.purchase_units as Array<{ amount: unknown }>)[0]!.amount, { currency_code: 'JPY', value: '1000' });
    const count = emulator.requests.length;
    const refused = await connector.authorize(account, card({ amount: 10_050, currency: 'HUF' }));
    assert.equal(refused.kind, 'FAILED');
    if (refused.kind === 'FAILED') assert.equal(refused.raw.code, 'amount_not_representable');
    assert.equal(emulator.requests.length, count, 'nothing was sent');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.constantFrom('USD', 'JPY', 'EUR', 'GBP', 'INR'), (minor, currency) => {
        assert.equal(minorFromPayPal(paypalValue(minor, currency)!, currency), minor);
      }),
      { numRuns: 300 },
    );
  });

  test('the OAuth2 token is fetched once and reused; a 401 (expired at PayPal) fetches a new one once and the call goes through', async () => {
    const before = emulator.tokenCalls(PAYPAL_CLIENT_ID);
    for (let i = 0; i < 3; i++) assert.equal((await connector.authorize(account, card())).kind, 'CHARGED');
    assert.equal(emulator.tokenCalls(PAYPAL_CLIENT_ID), before, 'no new token for three payments');
    emulator.expireTokens();
    assert.equal((await connector.authorize(account, card())).kind, 'CHARGED');
    assert.equal(emulator.tokenCalls(PAYPAL_CLIENT_ID), before + 1);
  });

  test("the token is refreshed before PayPal's expires_in passes, without waiting for a 401", async () => {
    let now = Date.now();
    const local = createPayPalConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { PAYPAL: emulator.url } }, { clock: () => now });
    const start = emulator.tokenCalls(PAYPAL_CLIENT_ID);
    await local.authorize(account, card());
    await local.authorize(account, card());
    assert.equal(emulator.tokenCalls(PAYPAL_CLIENT_ID), start + 1);
    const unauthorised = emulator.requests.filter((r) => r.path === '/v2/checkout/orders').length;
    now += 32_400_000 - 30_000; // 30 s before expires_in: within the refresh margin
    await local.authorize(account, card());
    assert.equal(emulator.tokenCalls(PAYPAL_CLIENT_ID), start + 2);
    assert.equal(emulator.requests.filter((r) => r.path === '/v2/checkout/orders').length, unauthorised + 1, 'one order call: no 401 round trip');
  });

  test('wrong client credentials: FAILED with invalid_client, counted against PayPal, and no payment request is sent', async () => {
    const orders = sentTo('/v2/checkout/orders').length;
    const outcome = await connector.authorize(paypalAccount(webhookId, { client_secret: 'EWrongSecret000000000000000000000' }), card());
    assert.equal(outcome.kind, 'FAILED');
    if (outcome.kind === 'FAILED') {
      assert.equal(outcome.raw.code, 'invalid_client');
      assert.equal(outcome.failure, 'TECHNICAL_ERROR');
    }
    assert.equal(PAYPAL_STATUS_TABLE.invalid_client!.countsAgainstGateway, true);
    assert.equal(sentTo('/v2/checkout/orders').length, orders);
  });

  test('void releases the authorization; a repeated void is still released; a captured authorization cannot be voided', async () => {
    const auth = await connector.authorize(account, card({ captureMode: 'MANUAL' }));
    const id = auth.raw.gatewayTxnId!;
    assert.equal((await connector.void(account, id, `v1-${id}`)).kind, 'SUCCESS');
    const again = await connector.void(account, id, `v2-${id}`);
    assert.equal(again.kind, 'SUCCESS');
    assert.equal(again.raw.code, 'PREVIOUSLY_VOIDED');
    assert.equal((await connector.syncStatus(account, id)).kind, 'VOIDED');
    const parsed = await connector.parseWebhook(account, signedRequest(emulator, emulator.events.find((e) => e.event_type === 'PAYMENT.AUTHORIZATION.VOIDED' && orderIdOfEvent(e) === id)!, webhookId));
    assert.equal(parsed.kind === 'PAYMENT' && parsed.outcome.kind, 'VOIDED');
  });

  test('refunds: our refund id rides in custom_id; PAYMENT.CAPTURE.REFUNDED names it; the refund key is PayPal-Request-Id', async () => {
    const charged = await connector.authorize(account, card({ amount: 5_000 }));
    const id = charged.raw.gatewayTxnId!;
    const outcome = await connector.refund(account, { refundId: 'rfd_abc123', txnId: 'x', gatewayTxnId: id, amount: 2_000, currency: 'USD', idempotencyKey: `rk-${id}` });
    assert.equal(outcome.kind, 'SUCCESS');
    const captureId = emulator.order(id)!.captures[0]!;
    const sent = sentTo(`/v2/payments/captures/${captureId}/refund`).at(-1)!;
    assert.deepEqual(sent.body, { amount: { currency_code: 'USD', value: '20.00' }, custom_id: 'rfd_abc123' });
    assert.equal(sent.headers['paypal-request-id'], `rk-${id}`);
    const event = emulator.events.find((e) => e.event_type === 'PAYMENT.CAPTURE.REFUNDED' && e.resource.custom_id === 'rfd_abc123')!;
    const parsed = await connector.parseWebhook(account, signedRequest(emulator, event, webhookId));
    assert.equal(parsed.kind, 'REFUND');
    if (parsed.kind === 'REFUND') {
      assert.equal(parsed.refundId, 'rfd_abc123');
      assert.equal(parsed.outcome.kind, 'SUCCESS');
      assert.equal(parsed.gatewayRefundId, outcome.kind === 'SUCCESS' ? outcome.gatewayRefundId : null);
    }
  });

  test('webhooks: PayPal verifies them; a tampered body, another webhook id, missing transmission headers are rejected with SIGNATURE', async () => {
    const charged = await connector.authorize(account, card());
    const event = emulator.events.find((e) => e.event_type === 'PAYMENT.CAPTURE.COMPLETED' && orderIdOfEvent(e) === charged.raw.gatewayTxnId)!;
    const signed = signedRequest(emulator, event, webhookId);
    const parsed = await connector.parseWebhook(account, signed);
    assert.equal(parsed.kind === 'PAYMENT' && parsed.outcome.kind, 'CHARGED');
    const verify = sentTo('/v1/notifications/verify-webhook-signature').at(-1)!;
    assert.equal(verify.body!.webhook_id, webhookId);
    assert.equal(verify.body!.transmission_sig, signed.headers['paypal-transmission-sig']);
    assert.deepEqual(verify.body!.webhook_event, JSON.parse(signed.rawBody));
    const rejects = (request: typeof signed, acct = account) =>
      assert.rejects(connector.parseWebhook(acct, request), (error: unknown) => error instanceof ConnectorError && error.kind === 'SIGNATURE');
    await rejects({ ...signed, rawBody: signed.rawBody.replace(/"value":"[\d.]+"/, '"value":"0.01"') });
    await rejects(signed, paypalAccount('OTHERWEBHOOK0000000'));
    const countVerifications = sentTo('/v1/notifications/verify-webhook-signature').length;
    await rejects({ ...signed, headers: Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k !== 'paypal-transmission-sig')) });
    assert.equal(sentTo('/v1/notifications/verify-webhook-signature').length, countVerifications, 'without its signature header nothing is asked of PayPal');
    await rejects({ ...signed, headers: { ...signed.headers, 'paypal-cert-url': 'https://evil.example.com/cert.pem' } });
    await assert.rejects(connector.parseWebhook(account, { ...signed, rawBody: 'not json' }), ConnectorError);
  });

  test('the emulator delivers signed webhooks over HTTP to a registered URL, and they verify', async () => {
    const deliveries: Array<{ headers: Record<string, string>; rawBody: string }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        deliveries.push({ headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), rawBody: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const hookId = emulator.registerWebhook(PAYPAL_CLIENT_ID, 'http://127.0.0.1:1/placeholder', ['PAYMENT.CAPTURE.COMPLETED']);
      emulator.setWebhookUrl(hookId, `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
      const charged = await connector.authorize(account, card());
      for (let i = 0; i < 200 && !deliveries.some((d) => d.rawBody.includes(charged.raw.gatewayTxnId!)); i++) await new Promise((resolve) => setTimeout(resolve, 5));
      const delivery = deliveries.find((d) => d.rawBody.includes(charged.raw.gatewayTxnId!));
      assert.ok(delivery, 'the capture event was delivered');
      assert.ok(
        deliveries.every((d) => (JSON.parse(d.rawBody) as { event_type: string }).event_type === 'PAYMENT.CAPTURE.COMPLETED'),
        'only the subscribed event type',
      );
      const parsed = await connector.parseWebhook(paypalAccount(hookId), { headers: delivery.headers, rawBody: delivery.rawBody, body: null });
      assert.equal(parsed.kind === 'PAYMENT' && parsed.gatewayTxnId, charged.raw.gatewayTxnId);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('webhook events not about an Orders v2 payment are ignored after verification', async () => {
    const event: PayPalWebhookEvent = {
      id: 'WH-IGNORED00000000001',
      create_time: '2026-01-01T00:00:00Z',
      resource_type: 'dispute',
      event_type: 'CUSTOMER.DISPUTE.CREATED',
      summary: 'A dispute',
      resource: { dispute_id: 'PP-D-1' },
    };
    assert.equal((await connector.parseWebhook(account, signedRequest(emulator, event, webhookId))).kind, 'IGNORED');
  });

  test('5xx after retries is UNKNOWN; connection refused is GATEWAY_DOWN; a timed-out create is found by our txn id in the event log', async () => {
    emulator.failNext(500, 5, '/v2/checkout/orders');
    assert.equal((await connector.authorize(account, card())).kind, 'UNKNOWN');
    await emulator.down();
    try {
      const outcome = await connector.authorize(account, card());
      assert.equal(outcome.kind, 'FAILED');
      if (outcome.kind === 'FAILED') assert.equal(outcome.failure, 'GATEWAY_DOWN');
    } finally {
      await emulator.up();
    }
    const lost = card();
    emulator.stallNext(5_000, 1, '/v2/checkout/orders');
    assert.equal((await connector.authorize(account, lost)).kind, 'UNKNOWN');
    const synced = await connector.syncStatus(account, lost.txnId);
    assert.equal(synced.kind, 'CHARGED');
    assert.ok(isPayPalId(synced.raw.gatewayTxnId!));
    assert.equal((await connector.syncStatus(account, 'm_test-never-sent-1')).kind, 'UNKNOWN');
  });

  test('a retried POST carries the same PayPal-Request-Id and PayPal replays the first answer (200), never a second order', async () => {
    const request = card();
    emulator.failNext(503, 1, '/v2/checkout/orders');
    const outcome = await connector.authorize(account, request);
    assert.equal(outcome.kind, 'CHARGED');
    const attempts = sentTo('/v2/checkout/orders').slice(-2);
    assert.deepEqual(
      attempts.map((r) => r.headers['paypal-request-id']),
      [request.idempotencyKey, request.idempotencyKey],
    );
    const replay = await connector.authorize(account, request);
    assert.equal(replay.raw.gatewayTxnId, outcome.raw.gatewayTxnId);
    assert.equal(requestId('x'.repeat(200)).length, 64, 'a key over 108 characters is hashed');
  });

  test('nothing is sent for cards without full card permission, or for another wallet; no card number is kept anywhere', async () => {
    const count = emulator.requests.length;
    const refused = await connector.authorize(paypalAccount(webhookId, { raw_card_data_enabled: 'false' }), card());
    assert.equal(refused.kind === 'FAILED' && refused.raw.code, 'raw_card_data_not_enabled');
    const paytm = await connector.authorize(account, wallet({ paymentMethod: 'PAYTM', wallet: { name: 'PAYTM', directToken: null } }));
    assert.equal(paytm.kind === 'FAILED' && paytm.raw.code, 'payment_method_not_supported');
    assert.equal(emulator.requests.length, count);
    const pending = await connector.authorize(account, card({ authType: 'THREE_DS' }));
    const charged = await connector.authorize(account, card());
    for (const outcome of [pending, charged]) assert.doesNotMatch(JSON.stringify(outcome), /4111111111111111|"security_code"/);
  });
});
