// The connector conformance suite against Razorpay's live test mode: `npm run test:sandbox` with
// RAZORPAY_SANDBOX_KEY_ID=rzp_test_… and RAZORPAY_SANDBOX_KEY_SECRET=… in the environment (and
// optionally RAZORPAY_SANDBOX_WEBHOOK_SECRET, RAZORPAY_BASE_URL). The test account must have S2S card
// payments (raw card data) enabled by Razorpay: without it every card payment is refused
// ("The requested URL was not found on the server"). Cards are Razorpay's test cards; 3-D Secure is
// completed in the sandbox's bank page only by a person, so the 3-D Secure check is skipped here.
// Without the keys every test is skipped, saying why.
import { test } from 'node:test';
import { runConnectorConformance } from '../../src/connectors/connector-conformance.ts';
import { createHttpTransport } from '../../src/connectors/kit/transport.ts';
import { createRazorpayConnector } from '../../src/connectors/razorpay/razorpay-connector.ts';
import { razorpayCardRequest } from '../../src/connectors/razorpay/test-fixtures.ts';
import { signRazorpayBody } from '../../src/connectors/razorpay/webhooks.ts';

const keyId = process.env.RAZORPAY_SANDBOX_KEY_ID;
const keySecret = process.env.RAZORPAY_SANDBOX_KEY_SECRET;
const webhookSecret = process.env.RAZORPAY_SANDBOX_WEBHOOK_SECRET ?? 'rzp-sandbox-local-signing-0001';
const baseUrl = process.env.RAZORPAY_BASE_URL ?? 'https://api.razorpay.com';

if (!keyId || !keySecret) {
  test('Razorpay sandbox conformance', (t) =>
    t.skip(
      'RAZORPAY_SANDBOX_KEY_ID and RAZORPAY_SANDBOX_KEY_SECRET are not set: set them to a rzp_test_ key pair (S2S card payments enabled) to run the conformance suite against Razorpay test mode',
    ));
} else {
  runConnectorConformance('razorpay (live test mode)', async () => {
    const transport = createHttpTransport({ deadlineMs: 20_000 });
    const connector = createRazorpayConnector({ transport, publicBaseUrl: 'https://example.com', baseUrls: { RAZORPAY: baseUrl } });
    const account = {
      accountId: 'sandbox',
      merchantId: 'sandbox',
      gateway: 'RAZORPAY',
      gatewayReferenceId: null,
      credentials: { key_id: keyId, key_secret: keySecret, webhook_secret: webhookSecret, raw_card_data_enabled: 'true' },
    };
    // Razorpay's domestic test card succeeds; [inference] 4000 0000 0000 0002 declines (check Razorpay's test card page).
    let card = '4111111111111111';
    return {
      connector,
      account,
      forceSuccess: () => {
        card = '4111111111111111';
      },
      forceDecline: () => {
        card = '4000000000000002';
      },
      cardRequest: (overrides) => razorpayCardRequest({ returnUrl: 'https://example.com/return', ...overrides }, card),
      // Razorpay signs what it posts to a registered webhook; here the event is built from the live payment and signed the same way.
      signedPaymentWebhook: async (id) => {
        const response = await fetch(`${baseUrl}/v1/payments/${id}`, { headers: { authorization: `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString('base64')}` } });
        const rawBody = JSON.stringify({
          entity: 'event',
          account_id: 'acc_sandbox',
          event: 'payment.captured',
          contains: ['payment'],
          payload: { payment: { entity: await response.json() } },
          created_at: Math.floor(Date.now() / 1000),
        });
        return { headers: { 'x-razorpay-signature': signRazorpayBody(rawBody, webhookSecret), 'x-razorpay-event-id': `sandbox${Date.now()}` }, rawBody, body: JSON.parse(rawBody) as unknown };
      },
      // A void is Razorpay releasing the uncaptured authorisation when its capture window (7 200 minutes)
      // ends, too late for a test run: the refund.processed event it will send then is built from the
      // live payment and signed locally, which checks our reading of it, not Razorpay's timing.
      modificationResult: async (outcome) => {
        const id = outcome.raw.gatewayTxnId!;
        const response = await fetch(`${baseUrl}/v1/payments/${id}`, { headers: { authorization: `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString('base64')}` } });
        const live = (await response.json()) as Record<string, unknown>;
        const payment = { ...live, status: 'refunded', amount_refunded: live.amount };
        const refund = {
          id: 'rfnd_SandboxRelease1',
          entity: 'refund',
          amount: live.amount,
          currency: 'INR',
          payment_id: id,
          notes: [],
          receipt: null,
          status: 'processed',
          created_at: Math.floor(Date.now() / 1000),
        };
        const rawBody = JSON.stringify({
          entity: 'event',
          account_id: 'acc_sandbox',
          event: 'refund.processed',
          contains: ['refund', 'payment'],
          payload: { refund: { entity: refund }, payment: { entity: payment } },
          created_at: Math.floor(Date.now() / 1000),
        });
        return { headers: { 'x-razorpay-signature': signRazorpayBody(rawBody, webhookSecret) }, rawBody, body: JSON.parse(rawBody) as unknown };
      },
      close: () => transport.close(),
    };
  });
}
