// The Adyen connector against Adyen's live test environment (`npm run test:sandbox` with
// ADYEN_SANDBOX_API_KEY and ADYEN_SANDBOX_MERCHANT_ACCOUNT in the environment; optionally
// ADYEN_SANDBOX_RAW_CARDS=true when the API credential may send raw card numbers). Without them
// every test is skipped, saying why.
//
// Cards go as Adyen's client-side encrypted fields, using the test environment's unencrypted
// `test_` values (https://docs.adyen.com/development-resources/testing/test-card-numbers/), so no
// raw-card permission is needed. Adyen has no API to read a payment, and the results of captures,
// cancels and refunds arrive only by webhook to a public URL, which a test run here does not have:
// these tests check what Adyen answers synchronously (Authorised, Refused with its code, the
// 3-D Secure action, `received` for modifications, one payment per idempotency key); the shared
// conformance suite's webhook-settled steps run against the emulator (src/connectors/adyen/).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { createAdyenConnector } from '../../src/connectors/adyen/adyen-connector.ts';
import { adyenCardRequest } from '../../src/connectors/adyen/test-fixtures.ts';
import { createHttpTransport } from '../../src/connectors/kit/transport.ts';
import type { AuthorizeRequest } from '../../src/core/ports/connector.ts';

const apiKey = process.env.ADYEN_SANDBOX_API_KEY;
const merchantAccount = process.env.ADYEN_SANDBOX_MERCHANT_ACCOUNT;

if (!apiKey || !merchantAccount) {
  test('Adyen sandbox', (t) =>
    t.skip(
      "ADYEN_SANDBOX_API_KEY and ADYEN_SANDBOX_MERCHANT_ACCOUNT are not set: set them (a test-environment API key and its merchant account) to run these checks against Adyen's test environment",
    ));
} else {
  describe('adyen (live test environment)', () => {
    const transport = createHttpTransport({ deadlineMs: 30_000 });
    const connector = createAdyenConnector({ transport, publicBaseUrl: 'https://example.com', baseUrls: process.env.ADYEN_BASE_URL ? { ADYEN: process.env.ADYEN_BASE_URL } : {} });
    const account = {
      accountId: 'sandbox',
      merchantId: 'sandbox',
      gateway: 'ADYEN',
      gatewayReferenceId: null,
      credentials: { api_key: apiKey, merchant_account: merchantAccount, hmac_key: '00'.repeat(32), ...(process.env.ADYEN_SANDBOX_RAW_CARDS === 'true' ? { raw_card_data_enabled: 'true' } : {}) },
    };
    /** Adyen's test card 4111 1111 1111 1111, 03/2030, CVC 737, as the test environment's unencrypted "encrypted" fields. */
    const token = (cvc = '737') =>
      JSON.stringify({ encryptedCardNumber: 'test_4111111111111111', encryptedExpiryMonth: 'test_03', encryptedExpiryYear: 'test_2030', encryptedSecurityCode: `test_${cvc}` });
    const request = (overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest => {
      const id = `sbx-${randomUUID()}`;
      return adyenCardRequest({ txnId: id, txnUuid: `uuid-${id}`, idempotencyKey: `idem-${id}`, card: null, gatewayToken: token(), returnUrl: 'https://example.com/return', ...overrides });
    };
    after(() => transport.close());

    test('a card payment is Authorised: CHARGED with a pspReference', async () => {
      const outcome = await connector.authorize(account, request());
      assert.equal(outcome.kind, 'CHARGED', JSON.stringify(outcome.raw));
      assert.match(outcome.raw.gatewayTxnId ?? '', /^[A-Z0-9]{16}$/);
    });

    test("a refusal is FAILED with Adyen's refusal code mapped (a wrong CVC on the test card)", async () => {
      // [inference] Adyen's test card refuses any CVC but 737 ("CVC Declined").
      const outcome = await connector.authorize(account, request({ gatewayToken: token('123') }));
      assert.equal(outcome.kind, 'FAILED', JSON.stringify(outcome.raw));
      if (outcome.kind === 'FAILED') assert.ok(outcome.unified.code);
    });

    test('the same idempotency key answers the same payment', async () => {
      const req = request();
      const first = await connector.authorize(account, req);
      const second = await connector.authorize(account, { ...req });
      assert.equal(second.raw.gatewayTxnId, first.raw.gatewayTxnId);
    });

    test('manual capture: AUTHORIZED, then a partial capture and a refund are received', async () => {
      const auth = await connector.authorize(account, request({ captureMode: 'MANUAL', amount: 10_000 }));
      assert.equal(auth.kind, 'AUTHORIZED', JSON.stringify(auth.raw));
      const capture = await connector.capture(account, auth.raw.gatewayTxnId!, 6_000, 'EUR', `cap-${randomUUID()}`);
      assert.equal(capture.kind, 'PENDING', JSON.stringify(capture.raw));
      const refund = await connector.refund(account, {
        refundId: `rf-${randomUUID()}`.slice(0, 30),
        txnId: 't',
        gatewayTxnId: auth.raw.gatewayTxnId!,
        amount: 1_000,
        currency: 'EUR',
        idempotencyKey: `rf-${randomUUID()}`,
      });
      assert.equal(refund.kind, 'PENDING', JSON.stringify(refund.raw));
    });

    test('a cancel of an authorisation is received', async () => {
      const auth = await connector.authorize(account, request({ captureMode: 'MANUAL' }));
      assert.equal(auth.kind, 'AUTHORIZED');
      assert.equal((await connector.void(account, auth.raw.gatewayTxnId!, `void-${randomUUID()}`)).kind, 'PENDING');
    });

    test('3-D Secure: a challenge card answers an action URL (PENDING_AUTHENTICATION)', async () => {
      // Adyen's 3-D Secure 2 test card 4917 6100 0000 0000, 03/2030, CVC 737.
      const outcome = await connector.authorize(
        account,
        request({
          authType: 'THREE_DS',
          gatewayToken: JSON.stringify({ encryptedCardNumber: 'test_4917610000000000', encryptedExpiryMonth: 'test_03', encryptedExpiryYear: 'test_2030', encryptedSecurityCode: 'test_737' }),
        }),
      );
      assert.equal(outcome.kind, 'PENDING_AUTHENTICATION', JSON.stringify(outcome.raw));
    });
  });
}
