// Adyen's official Node library (@adyen/api-library) as an independent second implementation:
// - its HmacValidator signs notification items that our verifier accepts (and a tampered copy it
//   refuses), and it validates what the emulator signs;
// - its Checkout client (PaymentsApi, ModificationsApi) drives the emulator over HTTPS and reads
//   its answers as the library's typed objects: payments, 3-D Secure details, captures, cancels,
//   refunds, and Adyen's ServiceError on a bad request.
// The library targets Checkout v72; the emulator validates its requests against the v71 contract we
// speak, so a field the library sends that v71 does not know would show here.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import adyen, { type Types } from '@adyen/api-library';
import { startAdyenEmulator, type AdyenEmulator } from '../../../emulators/adyen/adyen-emulator.ts';
import { ConnectorError } from '../../core/ports/connector.ts';
import { ADYEN_API_KEY, ADYEN_HMAC_KEY, ADYEN_MERCHANT_ACCOUNT } from './test-fixtures.ts';
import { parseAdyenItem, verifyAdyenNotification, type AdyenNotificationItem } from './webhooks.ts';

// The library is CommonJS: its exports are read from the default export.
const { CheckoutAPI, Client, EnvironmentEnum, hmacValidator: HmacValidator } = adyen;
const T = adyen.Types;

let emulator: AdyenEmulator;
let checkout: { PaymentsApi: InstanceType<typeof CheckoutAPI>['PaymentsApi']; ModificationsApi: InstanceType<typeof CheckoutAPI>['ModificationsApi'] };
let dir = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'adyen-oracle-'));
  execFileSync(
    '/usr/bin/openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'pipe' },
  );
  emulator = await startAdyenEmulator({ tls: { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) } });
  // The library speaks HTTPS only; "unencrypted" is its switch for a certificate it cannot verify (ours is self-signed).
  const client = new Client({ apiKey: ADYEN_API_KEY, environment: EnvironmentEnum.TEST, certificatePath: 'unencrypted' });
  const api = new CheckoutAPI(client);
  // One instance of each service (the getters make a new one each time), pointed at the emulator: their base URL is fixed to Adyen's test host otherwise.
  checkout = { PaymentsApi: api.PaymentsApi, ModificationsApi: api.ModificationsApi };
  for (const service of [checkout.PaymentsApi, checkout.ModificationsApi]) (service as unknown as { baseUrl: string }).baseUrl = emulator.url.replace('/v71', '/v72');
});
after(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

const card = (number = '4111111145551142'): Types.checkout.CardDetails => ({
  type: T.checkout.CardDetails.TypeEnum.Scheme,
  number,
  expiryMonth: '03',
  expiryYear: '2030',
  cvc: '737',
  holderName: 'A Shopper',
});

describe('the official Adyen library against the emulator', () => {
  test("payments: Authorised, typed as the library's PaymentResponse", async () => {
    const response = await checkout.PaymentsApi.payments(
      { amount: { value: 1_000, currency: 'EUR' }, reference: 'sdk-1', merchantAccount: ADYEN_MERCHANT_ACCOUNT, paymentMethod: card(), returnUrl: 'https://example.com/return' },
      { idempotencyKey: `sdk-1-${Date.now()}` },
    );
    assert.equal(response.resultCode, T.checkout.PaymentResponse.ResultCodeEnum.Authorised);
    assert.match(response.pspReference!, /^\d{16}$/);
    assert.equal(response.merchantReference, 'sdk-1');
  });

  test('a refusal comes back with its refusalReasonCode', async () => {
    emulator.declineNext('24');
    const response = await checkout.PaymentsApi.payments({
      amount: { value: 1_000, currency: 'EUR' },
      reference: 'sdk-2',
      merchantAccount: ADYEN_MERCHANT_ACCOUNT,
      paymentMethod: card(),
      returnUrl: 'https://example.com/return',
    });
    assert.equal(response.resultCode, T.checkout.PaymentResponse.ResultCodeEnum.Refused);
    assert.equal(response.refusalReasonCode, '24');
    assert.equal(response.refusalReason, 'CVC Declined');
  });

  test('3-D Secure: RedirectShopper with a redirect action, then paymentsDetails with the redirectResult', async () => {
    const response = await checkout.PaymentsApi.payments({
      amount: { value: 500, currency: 'EUR' },
      reference: 'sdk-3',
      merchantAccount: ADYEN_MERCHANT_ACCOUNT,
      paymentMethod: card('4917610000000000'),
      returnUrl: 'https://example.com/return',
    });
    assert.equal(response.resultCode, T.checkout.PaymentResponse.ResultCodeEnum.RedirectShopper);
    const action = response.action as Types.checkout.CheckoutRedirectAction;
    assert.equal(action.type, 'redirect');
    // The emulator's 3-D Secure page is HTTPS with a self-signed certificate: the shopper's step, with node's https.
    const location = await followInsecure(action.url!);
    const redirectResult = new URL(location).searchParams.get('redirectResult')!;
    const details = await checkout.PaymentsApi.paymentsDetails({ details: { redirectResult } });
    assert.equal(details.resultCode, T.checkout.PaymentDetailsResponse.ResultCodeEnum.Authorised);
    assert.equal(details.pspReference, response.pspReference);
  });

  test('manual capture, partial capture, cancel and refund: each answered "received"', async () => {
    const payment = await checkout.PaymentsApi.payments({
      amount: { value: 5_000, currency: 'EUR' },
      reference: 'sdk-4',
      merchantAccount: ADYEN_MERCHANT_ACCOUNT,
      paymentMethod: card(),
      returnUrl: 'https://example.com/return',
      additionalData: { manualCapture: 'true' },
    });
    const psp = payment.pspReference!;
    const capture = await checkout.ModificationsApi.captureAuthorisedPayment(psp, { merchantAccount: ADYEN_MERCHANT_ACCOUNT, amount: { value: 3_000, currency: 'EUR' } });
    assert.equal(capture.status, T.checkout.PaymentCaptureResponse.StatusEnum.Received);
    assert.equal(capture.paymentPspReference, psp);
    const refund = await checkout.ModificationsApi.refundCapturedPayment(psp, { merchantAccount: ADYEN_MERCHANT_ACCOUNT, amount: { value: 1_000, currency: 'EUR' }, reference: 'r-sdk-4' });
    assert.equal(refund.status, T.checkout.PaymentRefundResponse.StatusEnum.Received);
    const other = await checkout.PaymentsApi.payments({
      amount: { value: 700, currency: 'EUR' },
      reference: 'sdk-5',
      merchantAccount: ADYEN_MERCHANT_ACCOUNT,
      paymentMethod: card(),
      returnUrl: 'https://example.com/return',
      additionalData: { manualCapture: 'true' },
    });
    const cancel = await checkout.ModificationsApi.cancelAuthorisedPaymentByPspReference(other.pspReference!, { merchantAccount: ADYEN_MERCHANT_ACCOUNT });
    assert.equal(cancel.status, T.checkout.PaymentCancelResponse.StatusEnum.Received);
    assert.equal(emulator.payment(psp)!.captured, 3_000);
    assert.equal(emulator.payment(other.pspReference!)!.cancelled, true);
  });

  test('a modification of an unknown pspReference is a 422 ServiceError the library raises', async () => {
    await assert.rejects(
      checkout.ModificationsApi.captureAuthorisedPayment('0000000000000000', { merchantAccount: ADYEN_MERCHANT_ACCOUNT, amount: { value: 1, currency: 'EUR' } }),
      (error: unknown) => (error as { statusCode?: number }).statusCode === 422 && /167/.test(String((error as { responseBody?: string }).responseBody ?? (error as Error).message)),
    );
  });
});

describe('webhook HMAC: the library signs, we verify; we sign (the emulator), the library verifies', () => {
  const validator = new HmacValidator();
  const base: AdyenNotificationItem = {
    amount: { value: 1_000, currency: 'EUR' },
    eventCode: 'CAPTURE',
    eventDate: '2026-12-04T10:00:00+01:00',
    merchantAccountCode: ADYEN_MERCHANT_ACCOUNT,
    merchantReference: 'sdk-capture',
    originalReference: '8816178952380553',
    pspReference: '8516178952380574',
    reason: '',
    success: 'true',
    additionalData: {},
  };
  const body = (item: AdyenNotificationItem) => JSON.stringify({ live: 'false', notificationItems: [{ NotificationRequestItem: item }] });

  test('an item signed by HmacValidator.calculateHmac verifies and parses', () => {
    const signature = validator.calculateHmac(base as unknown as Types.notification.NotificationRequestItem, ADYEN_HMAC_KEY);
    const items = verifyAdyenNotification({ headers: {}, rawBody: body({ ...base, additionalData: { hmacSignature: signature } }), body: null }, ADYEN_HMAC_KEY);
    const parsed = parseAdyenItem(items[0]!);
    assert.equal(parsed.kind, 'PAYMENT');
    if (parsed.kind === 'PAYMENT') {
      assert.equal(parsed.gatewayTxnId, base.originalReference);
      assert.equal(parsed.outcome.kind, 'CHARGED');
    }
  });

  test('a tampered amount or another key is refused', () => {
    const signature = validator.calculateHmac(base as unknown as Types.notification.NotificationRequestItem, ADYEN_HMAC_KEY);
    assert.throws(
      () => verifyAdyenNotification({ headers: {}, rawBody: body({ ...base, amount: { value: 1, currency: 'EUR' }, additionalData: { hmacSignature: signature } }), body: null }, ADYEN_HMAC_KEY),
      ConnectorError,
    );
    assert.throws(() => verifyAdyenNotification({ headers: {}, rawBody: body({ ...base, additionalData: { hmacSignature: signature } }), body: null }, 'AB'.repeat(32)), ConnectorError);
  });

  test("the emulator's signed notifications pass HmacValidator.validateHMAC", async () => {
    const payment = await checkout.PaymentsApi.payments({
      amount: { value: 900, currency: 'EUR' },
      reference: 'sdk-6',
      merchantAccount: ADYEN_MERCHANT_ACCOUNT,
      paymentMethod: card(),
      returnUrl: 'https://example.com/return',
    });
    const item = emulator.notifications.find((n) => n.pspReference === payment.pspReference)!;
    const signed = JSON.parse(emulator.signedNotification(item, ADYEN_HMAC_KEY).rawBody) as { notificationItems: Array<{ NotificationRequestItem: Types.notification.NotificationRequestItem }> };
    assert.equal(validator.validateHMAC(signed.notificationItems[0]!.NotificationRequestItem, ADYEN_HMAC_KEY), true);
  });
});

/** GET over HTTPS without verifying the (self-signed) certificate; answers the Location header. */
async function followInsecure(url: string): Promise<string> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(String(res.headers.location));
    });
    req.on('error', reject);
    req.end();
  });
}
