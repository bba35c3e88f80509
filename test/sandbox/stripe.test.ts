// The connector conformance suite against Stripe's live test mode: `npm run test:sandbox` with
// STRIPE_SANDBOX_SECRET_KEY=sk_test_… (and optionally STRIPE_SANDBOX_WEBHOOK_SECRET=whsec_…) in the
// environment. Cards are Stripe's test PaymentMethods (pm_card_*), so no raw card permission is
// needed. Without the key every test is skipped, saying why.
import { test } from 'node:test';
import { runConnectorConformance } from '../../src/connectors/connector-conformance.ts';
import { createHttpTransport } from '../../src/connectors/kit/transport.ts';
import { createStripeConnector } from '../../src/connectors/stripe/stripe-connector.ts';
import { stripeCardRequest } from '../../src/connectors/stripe/test-fixtures.ts';
import { signStripePayload } from '../../src/connectors/stripe/webhooks.ts';

const secretKey = process.env.STRIPE_SANDBOX_SECRET_KEY;
const webhookSecret = process.env.STRIPE_SANDBOX_WEBHOOK_SECRET ?? 'whsec_sandboxLocalSigning0001';

if (!secretKey) {
  test('Stripe sandbox conformance', (t) => t.skip('STRIPE_SANDBOX_SECRET_KEY is not set: set it to an sk_test_ key to run the conformance suite against Stripe test mode'));
} else {
  runConnectorConformance('stripe (live test mode)', async () => {
    const transport = createHttpTransport({ deadlineMs: 20_000 });
    const connector = createStripeConnector({ transport, publicBaseUrl: 'https://example.com', baseUrls: process.env.STRIPE_BASE_URL ? { STRIPE: process.env.STRIPE_BASE_URL } : {} });
    let token = 'pm_card_visa';
    const account = { accountId: 'sandbox', merchantId: 'sandbox', gateway: 'STRIPE', gatewayReferenceId: null, credentials: { secret_key: secretKey, webhook_secret: webhookSecret } };
    return {
      connector,
      account,
      forceSuccess: () => {
        token = 'pm_card_visa';
      },
      forceDecline: () => {
        token = 'pm_card_chargeDeclinedInsufficientFunds';
      },
      cardRequest: (overrides) => stripeCardRequest({ currency: 'USD', card: null, gatewayToken: token, returnUrl: 'https://example.com/return', ...overrides }),
      // Stripe signs what it sends to a registered endpoint; here the event is built from the live PaymentIntent and signed with the same scheme.
      signedPaymentWebhook: async (id) => {
        const response = await fetch(`${process.env.STRIPE_BASE_URL ?? 'https://api.stripe.com'}/v1/payment_intents/${id}`, { headers: { authorization: `Bearer ${secretKey}` } });
        const rawBody = JSON.stringify({ id: `evt_sandbox_${Date.now()}`, object: 'event', type: 'payment_intent.succeeded', data: { object: await response.json() } });
        return { headers: { 'stripe-signature': signStripePayload(rawBody, webhookSecret, Math.floor(Date.now() / 1000)) }, rawBody, body: JSON.parse(rawBody) };
      },
      close: () => transport.close(),
    };
  });
}
