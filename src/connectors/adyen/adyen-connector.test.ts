// The Adyen connector against the Adyen emulator (which validates every request and answer against
// Adyen's published v71 OpenAPI document): the shared conformance suite with Adyen's asynchronous
// modifications settled by their signed webhooks, every refusal code mapped, transport failures,
// 3-D Secure through /payments/details. The official library checks the emulator in adyen-sdk-oracle.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { startAdyenEmulator, type AdyenEmulator } from '../../../emulators/adyen/adyen-emulator.ts';
import type { AuthorizeRequest, CaptureOutcome, RefundOutcome } from '../../core/ports/connector.ts';
import { runConnectorConformance } from '../connector-conformance.ts';
import { createHttpTransport, type HttpTransport } from '../kit/transport.ts';
import { adyenIdempotencyKey, createAdyenConnector } from './adyen-connector.ts';
import { ADYEN_STATUS_TABLE } from './status-table.ts';
import { outcomeOfModification, outcomeOfPaymentAnswer, outcomeOfRefund } from './transformers.ts';
import { ADYEN_HMAC_KEY, ADYEN_MERCHANT_ACCOUNT, adyenAccount, adyenCardRequest } from './test-fixtures.ts';
import { adyenSigningString, parseAdyenItem, signAdyenItem, verifyAdyenNotification, type AdyenNotificationItem } from './webhooks.ts';

async function notificationFor(emulator: AdyenEmulator, pspReference: string): Promise<AdyenNotificationItem> {
  for (let i = 0; i < 200; i++) {
    const found = emulator.notifications.find((n) => n.pspReference === pspReference);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no notification for ${pspReference}`);
}

async function passChallenge(url: string): Promise<Record<string, string>> {
  const response = await fetch(url, { redirect: 'manual' });
  await response.arrayBuffer();
  const location = response.headers.get('location');
  return location ? Object.fromEntries(new URL(location).searchParams) : {};
}

runConnectorConformance('adyen (emulator)', async () => {
  const emulator = await startAdyenEmulator();
  const transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
  const connector = createAdyenConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { ADYEN: emulator.url } });
  const signed = (item: AdyenNotificationItem) => {
    const { headers, rawBody } = emulator.signedNotification(item, ADYEN_HMAC_KEY);
    return { headers, rawBody, body: JSON.parse(rawBody) as unknown };
  };
  return {
    connector,
    account: adyenAccount(),
    forceSuccess: () => emulator.declineNext(null),
    forceDecline: () => emulator.declineNext('12'),
    cardRequest: (overrides) => adyenCardRequest({ currency: 'INR', ...overrides }),
    signedPaymentWebhook: async (psp) => signed(await notificationFor(emulator, psp)),
    forceTimeout: () => emulator.stallNext(5_000, 1, '/payments'),
    chargeCount: () => emulator.chargeCount(),
    threeDs: { request: (overrides) => adyenCardRequest({ currency: 'INR', ...overrides }, '4917610000000000'), pass: passChallenge, authorisedOnly: true },
    statusApi: false,
    modificationResult: async (outcome: CaptureOutcome | RefundOutcome) => {
      const psp = (outcome.raw.body as { pspReference?: string } | undefined)?.pspReference;
      assert.ok(psp, 'a received modification names its pspReference');
      return signed(await notificationFor(emulator, psp));
    },
    close: async () => {
      await transport.close();
      await emulator.close();
    },
  };
});

describe('adyen connector: wire details', () => {
  let emulator: AdyenEmulator;
  let transport: HttpTransport;
  let connector: ReturnType<typeof createAdyenConnector>;
  let n = 0;
  const req = (overrides: Partial<AuthorizeRequest> = {}, number?: string) => {
    n += 1;
    return adyenCardRequest({ txnId: `wire-${n}`, txnUuid: `uuid-wire-${n}`, idempotencyKey: `idem-wire-${n}-${Date.now()}`, ...overrides }, number);
  };
  before(async () => {
    emulator = await startAdyenEmulator({ rawCardKeys: [adyenAccount().credentials.api_key!] });
    transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
    connector = createAdyenConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { ADYEN: emulator.url } });
  });
  after(async () => {
    await transport.close();
    await emulator.close();
  });

  test('the request is what Adyen documents: JSON, X-API-Key, Idempotency-Key, amount in minor units, manual capture per payment', async () => {
    const request = req({ amount: 12_345, currency: 'EUR', captureMode: 'MANUAL' });
    const outcome = await connector.authorize(adyenAccount(), request);
    assert.equal(outcome.kind, 'AUTHORIZED');
    const sent = emulator.requests.at(-1)!;
    assert.equal(sent.path, '/v71/payments');
    assert.equal(sent.headers['x-api-key'], adyenAccount().credentials.api_key);
    assert.equal(sent.headers['idempotency-key'], request.idempotencyKey);
    assert.deepEqual(sent.body.amount, { value: 12_345, currency: 'EUR' });
    assert.equal(sent.body.reference, request.txnId);
    assert.equal(sent.body.merchantAccount, ADYEN_MERCHANT_ACCOUNT);
    assert.deepEqual(sent.body.additionalData, { manualCapture: 'true' });
    assert.equal((sent.body.paymentMethod as { type: string }).type, 'scheme');
  });

  test("amounts follow Adyen's minor units where they differ from ISO 4217: CLP and ISK in hundredths, IDR and CVE in whole units", async () => {
    const sentAmount = async (amount: number, currency: string) => {
      const outcome = await connector.authorize(adyenAccount(), req({ amount, currency }));
      return { outcome, sent: emulator.requests.at(-1)!.body.amount };
    };
    assert.deepEqual((await sentAmount(5_000, 'CLP')).sent, { value: 500_000, currency: 'CLP' }, 'CLP 5000 (ISO: no decimals)');
    assert.deepEqual((await sentAmount(1_990, 'ISK')).sent, { value: 199_000, currency: 'ISK' });
    assert.deepEqual((await sentAmount(1_500_000, 'IDR')).sent, { value: 15_000, currency: 'IDR' }, 'IDR 15000.00');
    assert.deepEqual((await sentAmount(1_000, 'JPY')).sent, { value: 1_000, currency: 'JPY' });
    const before = emulator.requests.length;
    const fraction = await connector.authorize(adyenAccount(), req({ amount: 1_500_050, currency: 'IDR' }));
    assert.equal(fraction.kind, 'FAILED');
    if (fraction.kind === 'FAILED') assert.equal(fraction.unified.code, 'INVALID_AMOUNT');
    assert.equal(emulator.requests.length, before, 'nothing is sent for an amount Adyen cannot carry');
    const refund = await connector.refund(adyenAccount(), { refundId: 'r-cve', txnId: 't', gatewayTxnId: 'ABCDEFGHIJKLMNOP', amount: 1_050, currency: 'CVE', idempotencyKey: 'k-cve' });
    assert.equal(refund.kind, 'FAILURE');
    assert.equal(emulator.requests.length, before);
  });

  test('errorCode 704 (the first request with this idempotency key is still in progress) is UNKNOWN for a payment and PENDING for a modification, never a failure', () => {
    const inProgress = { status: 422, errorCode: '704', message: 'request already processed or in progress', errorType: 'validation' };
    assert.equal(outcomeOfPaymentAnswer(422, inProgress, 'UNKNOWN').kind, 'UNKNOWN');
    assert.equal(outcomeOfModification(422, inProgress).kind, 'PENDING');
    assert.equal(outcomeOfRefund(422, inProgress).kind, 'PENDING');
    const other = { status: 422, errorCode: '167', message: 'Original pspReference required for this operation', errorType: 'validation' };
    assert.equal(outcomeOfModification(422, other).kind, 'FAILURE');
  });

  test("an idempotency key longer than Adyen's 64 characters is replaced by its digest, so two long keys never share one", () => {
    const base = 'k'.repeat(64);
    assert.equal(adyenIdempotencyKey('short-key'), 'short-key');
    const a = adyenIdempotencyKey(`${base}-a`);
    const b = adyenIdempotencyKey(`${base}-b`);
    assert.ok(a.length <= 64 && b.length <= 64);
    assert.notEqual(a, b);
    assert.equal(a, adyenIdempotencyKey(`${base}-a`), 'the same key always maps to the same digest');
  });

  test("every refusal code maps through the status table; a shopper's refusal never counts against Adyen", async () => {
    for (const code of Object.keys(ADYEN_STATUS_TABLE).filter((c) => /^\d+$/.test(c) && c.length < 3)) {
      emulator.declineNext(code);
      const outcome = await connector.authorize(adyenAccount(), req());
      assert.equal(outcome.kind, 'FAILED', code);
      if (outcome.kind !== 'FAILED') continue;
      const row = ADYEN_STATUS_TABLE[code]!;
      assert.equal(outcome.raw.code, code);
      assert.equal(outcome.unified.code, row.unifiedCode, code);
      assert.equal(outcome.failure, row.failureClass, code);
      assert.ok(outcome.raw.gatewayTxnId, 'a refusal still names the pspReference');
    }
    for (const code of ['5', '6', '12', '20', '22', '24']) assert.equal(ADYEN_STATUS_TABLE[code]!.countsAgainstGateway, false, code);
    for (const code of ['4', 'Error', 'CONNECTION_REFUSED']) assert.equal(ADYEN_STATUS_TABLE[code]!.countsAgainstGateway, true, code);
  });

  test('a refusal code the table does not list is a soft refusal that never counts against Adyen', () => {
    assert.equal(connector.classifyUnlisted!('47')?.failureClass, 'SOFT_DECLINE');
    assert.equal(connector.classifyUnlisted!('47')?.countsAgainstGateway, false);
    assert.equal(connector.classifyUnlisted!('validation'), undefined);
  });

  test('a refusal text in the AUTHORISATION webhook maps to its code', () => {
    const parsed = parseAdyenItem({
      amount: { value: 1, currency: 'EUR' },
      eventCode: 'AUTHORISATION',
      merchantAccountCode: 'M',
      merchantReference: 'r',
      pspReference: 'P',
      success: 'false',
      reason: 'Not enough balance',
    });
    assert.equal(parsed.kind, 'PAYMENT');
    if (parsed.kind === 'PAYMENT' && parsed.outcome.kind === 'FAILED') assert.equal(parsed.outcome.unified.code, 'INSUFFICIENT_FUNDS');
  });

  test('an off-contract request is refused by the emulator with a 422 validation error, mapped as VALIDATION_ERROR', async () => {
    const outcome = await connector.authorize(adyenAccount({ merchant_account: 'x' }), req({ currency: 'EURO' }));
    assert.equal(outcome.kind, 'FAILED');
    if (outcome.kind === 'FAILED') assert.equal(outcome.failure, 'VALIDATION_ERROR');
  });

  test('5xx after retries is UNKNOWN; connection refused is GATEWAY_DOWN; an unknown key is a technical failure', async () => {
    emulator.failNext(500, 5, '/payments');
    assert.equal((await connector.authorize(adyenAccount(), req())).kind, 'UNKNOWN');
    await emulator.down();
    try {
      const outcome = await connector.authorize(adyenAccount(), req());
      assert.equal(outcome.kind, 'FAILED');
      if (outcome.kind === 'FAILED') assert.equal(outcome.failure, 'GATEWAY_DOWN');
    } finally {
      await emulator.up();
    }
    const strict = await startAdyenEmulator({ apiKeys: ['only-this-key-000000000000'] });
    const other = createAdyenConnector({ transport, publicBaseUrl: 'http://x', baseUrls: { ADYEN: strict.url } });
    const refused = await other.authorize(adyenAccount(), req());
    await strict.close();
    assert.equal(refused.kind, 'FAILED');
    if (refused.kind === 'FAILED') {
      assert.equal(refused.raw.code, '000');
      assert.equal(refused.failure, 'TECHNICAL_ERROR');
    }
  });

  test("without raw card permission nothing is sent; Adyen's encrypted card fields go through as they are", async () => {
    const count = emulator.requests.length;
    const refused = await connector.authorize(adyenAccount({ raw_card_data_enabled: 'false' }), req());
    assert.equal(refused.kind, 'FAILED');
    assert.equal(emulator.requests.length, count);
    const token = JSON.stringify({ encryptedCardNumber: 'test_4111111145551142', encryptedExpiryMonth: 'test_03', encryptedExpiryYear: 'test_2030', encryptedSecurityCode: 'test_737' });
    const outcome = await connector.authorize(adyenAccount({ raw_card_data_enabled: 'false' }), req({ card: null, gatewayToken: token }));
    assert.equal(outcome.kind, 'CHARGED');
    assert.equal((emulator.requests.at(-1)!.body.paymentMethod as Record<string, string>).encryptedCardNumber, 'test_4111111145551142');
  });

  test('3-D Secure failed by the shopper is AUTHENTICATION_FAILED after /payments/details', async () => {
    const pending = await connector.authorize(adyenAccount(), req({}, '4917610000000000'));
    assert.equal(pending.kind, 'PENDING_AUTHENTICATION');
    if (pending.kind !== 'PENDING_AUTHENTICATION') return;
    const params = await passChallenge(`${pending.authentication.url}?fail=1`);
    const done = await connector.completeAuthentication(adyenAccount(), pending.raw.gatewayTxnId!, params);
    assert.equal(done.kind, 'FAILED');
    if (done.kind === 'FAILED') assert.equal(done.failure, 'AUTHENTICATION_FAILED');
    assert.equal(emulator.requests.at(-1)!.path, '/v71/payments/details');
  });

  test('a partial capture is received, then settled CHARGED by its signed CAPTURE webhook', async () => {
    const auth = await connector.authorize(adyenAccount(), req({ captureMode: 'MANUAL', amount: 5_000 }));
    const psp = auth.raw.gatewayTxnId!;
    const captured = await connector.capture(adyenAccount(), psp, 3_000, 'EUR', `cap-${psp}`);
    assert.equal(captured.kind, 'PENDING');
    const item = await notificationFor(emulator, (captured.raw.body as { pspReference: string }).pspReference);
    const { headers, rawBody } = emulator.signedNotification(item, ADYEN_HMAC_KEY);
    const webhook = await connector.parseWebhook(adyenAccount(), { headers, rawBody, body: null });
    assert.equal(webhook.kind, 'PAYMENT');
    if (webhook.kind === 'PAYMENT') {
      assert.equal(webhook.gatewayTxnId, psp, 'the CAPTURE names the payment as its originalReference');
      assert.equal(webhook.outcome.kind, 'CHARGED');
    }
    assert.equal(emulator.payment(psp)!.captured, 3_000);
  });
});

test('the HMAC covers every signed field: changing any one breaks the signature (property)', () => {
  const item = fc.record({
    pspReference: fc.stringMatching(/^[0-9]{16}$/),
    originalReference: fc.option(fc.stringMatching(/^[0-9]{16}$/), { nil: undefined }),
    merchantAccountCode: fc.stringMatching(/^[A-Za-z]{3,12}$/),
    merchantReference: fc.string({ minLength: 1, maxLength: 20 }),
    amount: fc.record({ value: fc.integer({ min: 0, max: 1e9 }), currency: fc.constantFrom('EUR', 'USD', 'INR') }),
    eventCode: fc.constantFrom('AUTHORISATION', 'CAPTURE', 'REFUND', 'CANCELLATION'),
    success: fc.constantFrom('true' as const, 'false' as const),
  });
  fc.assert(
    fc.property(item, fc.constantFrom('pspReference', 'merchantReference', 'eventCode', 'success', 'value'), (base, field) => {
      const full: AdyenNotificationItem = { ...base };
      const signature = signAdyenItem(full, ADYEN_HMAC_KEY);
      const body = (i: AdyenNotificationItem, sig: string) => JSON.stringify({ live: 'false', notificationItems: [{ NotificationRequestItem: { ...i, additionalData: { hmacSignature: sig } } }] });
      assert.equal(verifyAdyenNotification({ headers: {}, rawBody: body(full, signature), body: null }, ADYEN_HMAC_KEY).length, 1);
      const changed: AdyenNotificationItem =
        field === 'value'
          ? { ...full, amount: { ...full.amount, value: full.amount.value + 1 } }
          : field === 'success'
            ? { ...full, success: full.success === 'true' ? 'false' : 'true' }
            : field === 'eventCode'
              ? { ...full, eventCode: full.eventCode === 'CAPTURE' ? 'REFUND' : 'CAPTURE' }
              : { ...full, [field]: `${String(full[field as 'pspReference'])}x` };
      assert.notEqual(adyenSigningString(changed), adyenSigningString(full));
      assert.throws(() => verifyAdyenNotification({ headers: {}, rawBody: body(changed, signature), body: null }, ADYEN_HMAC_KEY));
    }),
    { numRuns: 200 },
  );
});
