// The PayPal connector against PayPal's live sandbox: `npm run test:sandbox` with
// PAYPAL_SANDBOX_CLIENT_ID and PAYPAL_SANDBOX_CLIENT_SECRET (a sandbox REST app enabled for advanced
// card processing) and PAYPAL_SANDBOX_WEBHOOK_ID (a webhook of that app) in the environment;
// PAYPAL_BASE_URL overrides https://api-m.sandbox.paypal.com. Without them every test is skipped,
// saying why.
//
// The conformance-level checks run one by one rather than through runConnectorConformance: PayPal
// signs webhooks with its private key (SHA256withRSA), so no test can sign a delivery; the sandbox
// checks that PayPal's verify-webhook-signature refuses a forged one, and, when
// PAYPAL_SANDBOX_WEBHOOK_DELIVERY names a JSON file `{headers, rawBody}` captured from a real
// delivery to that webhook, that the genuine one verifies and parses. Declines use PayPal's sandbox
// negative testing (cardholder name CCREJECT-IF: insufficient funds); stalls cannot be forced live.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { ConnectorError, type AuthorizeRequest, type ConnectorAccount, type IncomingHttpRequest } from '../../src/core/ports/connector.ts';
import { createHttpTransport } from '../../src/connectors/kit/transport.ts';
import { createPayPalConnector } from '../../src/connectors/paypal/paypal-connector.ts';
import { paypalCardRequest, paypalWalletRequest } from '../../src/connectors/paypal/test-fixtures.ts';

const clientId = process.env.PAYPAL_SANDBOX_CLIENT_ID;
const clientSecret = process.env.PAYPAL_SANDBOX_CLIENT_SECRET;
const webhookId = process.env.PAYPAL_SANDBOX_WEBHOOK_ID;

if (!clientId || !clientSecret || !webhookId) {
  test('PayPal sandbox conformance', (t) =>
    t.skip(
      "PAYPAL_SANDBOX_CLIENT_ID, PAYPAL_SANDBOX_CLIENT_SECRET and PAYPAL_SANDBOX_WEBHOOK_ID are not all set: set them to a sandbox REST app (advanced card processing enabled) and its webhook to run these checks against PayPal's sandbox",
    ));
} else {
  describe('paypal (live sandbox)', () => {
    const transport = createHttpTransport({ deadlineMs: 30_000 });
    const connector = createPayPalConnector({ transport, publicBaseUrl: 'https://example.com', baseUrls: process.env.PAYPAL_BASE_URL ? { PAYPAL: process.env.PAYPAL_BASE_URL } : {} });
    const account: ConnectorAccount = {
      accountId: 'sandbox',
      merchantId: 'sandbox',
      gateway: 'PAYPAL',
      gatewayReferenceId: null,
      credentials: { client_id: clientId, client_secret: clientSecret, webhook_id: webhookId, raw_card_data_enabled: 'true' },
    };
    let counter = 0;
    const request = (overrides: Partial<AuthorizeRequest> = {}, number?: string): AuthorizeRequest => {
      const id = `sandbox-${Date.now().toString(36)}-${++counter}`;
      return paypalCardRequest({ txnId: id, txnUuid: `uuid-${id}`, idempotencyKey: `idem-${id}`, currency: 'USD', returnUrl: 'https://example.com/return', ...overrides }, number);
    };
    after(() => transport.close());

    test('authorize success answers CHARGED with the order id', async () => {
      const outcome = await connector.authorize(account, request());
      assert.equal(outcome.kind, 'CHARGED');
      assert.match(outcome.raw.gatewayTxnId!, /^[A-Z0-9]+$/);
    });

    test('authorize MANUAL answers AUTHORIZED; sync reads AUTHORIZED; capture never above the authorization; captured cannot be voided', async () => {
      const auth = await connector.authorize(account, request({ amount: 5_000, captureMode: 'MANUAL' }));
      assert.equal(auth.kind, 'AUTHORIZED');
      const id = auth.raw.gatewayTxnId!;
      assert.equal((await connector.syncStatus(account, id)).kind, 'AUTHORIZED');
      assert.equal((await connector.capture(account, id, 5_001, 'USD', `c1-${id}`)).kind, 'FAILURE');
      assert.equal((await connector.capture(account, id, 3_000, 'USD', `c2-${id}`)).kind, 'SUCCESS');
      assert.equal((await connector.void(account, id, `v1-${id}`)).kind, 'FAILURE');
      assert.equal((await connector.syncStatus(account, id)).kind, 'CHARGED');
    });

    test('void releases an authorization, which then cannot be captured or refunded', async () => {
      const auth = await connector.authorize(account, request({ captureMode: 'MANUAL' }));
      const id = auth.raw.gatewayTxnId!;
      assert.equal((await connector.void(account, id, `v-${id}`)).kind, 'SUCCESS');
      assert.equal((await connector.capture(account, id, 1_000, 'USD', `c-${id}`)).kind, 'FAILURE');
      assert.equal((await connector.refund(account, { refundId: 'rv', txnId: 'x', gatewayTxnId: id, amount: 1, currency: 'USD', idempotencyKey: `rv-${id}` })).kind, 'FAILURE');
    });

    test('refunds never exceed the captured amount, and a refund key is idempotent', async () => {
      const outcome = await connector.authorize(account, request({ amount: 10_000 }));
      const id = outcome.raw.gatewayTxnId!;
      const refund = (amount: number, key: string) => connector.refund(account, { refundId: key, txnId: 'x', gatewayTxnId: id, amount, currency: 'USD', idempotencyKey: `${key}-${id}` });
      assert.equal((await refund(6_000, 'r1')).kind, 'SUCCESS');
      assert.equal((await refund(6_000, 'r1')).kind, 'SUCCESS', 'replay of the same PayPal-Request-Id');
      assert.equal((await refund(5_000, 'r2')).kind, 'FAILURE');
      assert.equal((await refund(4_000, 'r3')).kind, 'SUCCESS');
    });

    test('the same idempotency key never creates a second order', async () => {
      const req = request();
      const first = await connector.authorize(account, req);
      const second = await connector.authorize(account, { ...req });
      assert.equal(second.raw.gatewayTxnId, first.raw.gatewayTxnId);
    });

    test('a decline (sandbox negative testing) is data: FAILED with a processor code and a unified error', async () => {
      const req = request();
      const outcome = await connector.authorize(account, { ...req, card: { ...req.card!, holderName: 'CCREJECT-IF' } });
      assert.equal(outcome.kind, 'FAILED');
      if (outcome.kind === 'FAILED') assert.ok(outcome.raw.code && outcome.unified.code && outcome.failure);
    });

    test("3-D Secure and the PayPal wallet answer PENDING_AUTHENTICATION with PayPal's payer-action link", async () => {
      const threeDs = await connector.authorize(account, request({ authType: 'THREE_DS' }, '4868719460707704'));
      assert.equal(threeDs.kind, 'PENDING_AUTHENTICATION');
      const id = `sandbox-wallet-${Date.now().toString(36)}`;
      const wallet = await connector.authorize(account, paypalWalletRequest({ txnId: id, txnUuid: `uuid-${id}`, idempotencyKey: `idem-${id}`, returnUrl: 'https://example.com/return' }));
      assert.equal(wallet.kind, 'PENDING_AUTHENTICATION');
      if (wallet.kind === 'PENDING_AUTHENTICATION') assert.match(wallet.authentication.url, /^https:\/\/www\.sandbox\.paypal\.com\//);
      // The payer never approved: the return is not a payment.
      assert.equal((await connector.completeAuthentication(account, wallet.raw.gatewayTxnId!, {})).kind, 'FAILED');
    });

    test('webhooks: PayPal refuses a forged delivery; a captured genuine one verifies', async () => {
      const forged: IncomingHttpRequest = {
        headers: {
          'paypal-transmission-id': '69cd13f0-d67a-11e5-baa3-778b53f4ae55',
          'paypal-transmission-time': new Date().toISOString(),
          'paypal-transmission-sig': 'Zm9yZ2Vk',
          'paypal-cert-url': 'https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77',
          'paypal-auth-algo': 'SHA256withRSA',
        },
        rawBody: JSON.stringify({
          id: 'WH-FORGED',
          event_type: 'PAYMENT.CAPTURE.COMPLETED',
          resource_type: 'capture',
          resource: { id: 'X', status: 'COMPLETED', supplementary_data: { related_ids: { order_id: 'X' } } },
        }),
        body: null,
      };
      await assert.rejects(connector.parseWebhook(account, forged), (error: unknown) => error instanceof ConnectorError && error.kind === 'SIGNATURE');
      const captured = process.env.PAYPAL_SANDBOX_WEBHOOK_DELIVERY;
      if (captured) {
        const delivery = JSON.parse(readFileSync(captured, 'utf8')) as { headers: Record<string, string>; rawBody: string };
        const parsed = await connector.parseWebhook(account, { headers: delivery.headers, rawBody: delivery.rawBody, body: JSON.parse(delivery.rawBody) as unknown });
        assert.notEqual(parsed.kind, undefined);
      }
    });
  });
}
