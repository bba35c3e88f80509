// Stripe (PaymentIntents API), on the connector kit. https://docs.stripe.com/api/payment_intents
// - authorise: POST /v1/payment_intents with confirm=true; capture_method manual for PRE_AUTH;
// - 3-D Secure: requires_action + next_action.redirect_to_url, the shopper returns to our return
//   URL, and we read the PaymentIntent again (Stripe finishes the confirmation itself);
// - capture / void: POST /v1/payment_intents/{id}/capture (amount_to_capture) and /cancel;
// - refund: POST /v1/refunds; status: GET /v1/payment_intents/{id}, or, when the create call got
//   no answer, a search by our txn id in the metadata;
// - every POST carries Idempotency-Key: our per-attempt key, so a retry is never a second charge.
import { GATEWAY_IDS } from '../../core/gateways.ts';
import type { Connector } from '../../core/ports/connector.ts';
import { eligibilityOf, webhookSecret, type ConnectorContext, type ConnectorDefinition } from '../kit/definition.ts';
import { gatewayBaseUrl } from '../kit/base-url.ts';
import { STRIPE_STATUS_TABLE, stripeFailure } from './status-table.ts';
import { parseStripeEvent, verifyStripeSignature } from './webhooks.ts';
import { createStripeClient, GATEWAY } from './stripe-client.ts';
import { authorizeStripe } from './authorize.ts';
import { retrievePaymentIntent, syncStripeStatus } from './payment-intents.ts';
import { modifyPaymentIntent, refundStripe } from './modifications.ts';

export function createStripeConnector(context: ConnectorContext, now: () => number = Date.now): Connector {
  const client = createStripeClient(context, gatewayBaseUrl(context, stripeDefinition));
  return {
    name: GATEWAY,
    statusTable: STRIPE_STATUS_TABLE,
    // `<decline_code>:<advice_code>` (an advice that hardened the decline) and decline codes the table does not list.
    classifyUnlisted: (rawCode) => {
      const [code, advice] = rawCode.split(':');
      return /^[a-z_]+$/.test(code ?? '') ? stripeFailure(code!, advice ?? null) : undefined;
    },
    capabilities: eligibilityOf(stripeDefinition),

    authorize: (account, request) => authorizeStripe(client, account, request),

    completeAuthentication: (account, gatewayTxnId) => retrievePaymentIntent(client, account, gatewayTxnId, 'completeAuthentication'),

    syncStatus: (account, reference) => syncStripeStatus(client, account, reference),

    capture: (account, id, amount, _currency, key) => modifyPaymentIntent(client, account, 'capture', id, { amount_to_capture: amount }, key),
    void: (account, id, key) => modifyPaymentIntent(client, account, 'cancel', id, {}, key),

    refund: (account, request) => refundStripe(client, account, request),

    async parseWebhook(account, request) {
      const secret = webhookSecret(account, stripeDefinition);
      verifyStripeSignature(request, secret, Math.floor(now() / 1000));
      return parseStripeEvent(request.rawBody);
    },
  };
}

export const stripeDefinition: ConnectorDefinition = {
  gateway: 'STRIPE',
  gatewayId: GATEWAY_IDS.STRIPE,
  displayName: 'Stripe',
  defaultBaseUrl: 'https://api.stripe.com',
  capabilities: {
    paymentMethodTypes: ['CARD'],
    cardBrands: ['VISA', 'MASTERCARD', 'AMEX', 'DISCOVER', 'DINERS', 'JCB', 'UNIONPAY'],
    currencies: 'ANY',
    countries: 'ANY',
    captureModes: ['AUTO', 'MANUAL'],
    partialCapture: true,
    threeDSecure: true,
    refunds: true,
    partialRefunds: true,
    sync: true,
    webhooks: true,
    asynchronousModifications: false,
    // "Keys may be removed after they're at least 24 hours old" (docs.stripe.com/api/idempotent_requests).
    refundIdempotencyHours: 24,
  },
  credentials: [
    {
      name: 'secret_key',
      label: 'Secret key',
      required: true,
      secret: true,
      pattern: /^(sk|rk)_(test|live)_[A-Za-z0-9]{10,}$/,
      patternReason: 'must be a Stripe secret or restricted key (sk_test_..., sk_live_..., rk_...)',
      description: 'Dashboard > Developers > API keys',
    },
    {
      name: 'webhook_secret',
      label: 'Webhook signing secret',
      required: true,
      secret: true,
      pattern: /^whsec_[A-Za-z0-9+/=]{10,}$/,
      patternReason: 'must be a webhook signing secret (whsec_...)',
      description: 'The signing secret of the webhook endpoint pointing at Junction',
    },
    {
      name: 'raw_card_data_enabled',
      label: 'Raw card data enabled',
      required: false,
      secret: false,
      pattern: /^(true|false)$/,
      patternReason: 'must be true or false',
      description: 'true only once Stripe has enabled raw card data APIs on the account; otherwise send Stripe PaymentMethod ids',
    },
  ],
  authentication: 'Authorization: Bearer <secret_key>; Stripe-Version pinned; Idempotency-Key on every POST',
  statusTable: STRIPE_STATUS_TABLE,
  proof:
    'emulator checked against the official stripe package (its client drives the emulator; its webhook signer signs what our verifier accepts) and Stripe fixtures3.json shapes; conformance suite',
  docs: 'docs/connectors/stripe.md',
  create: (context) => createStripeConnector(context),
};
