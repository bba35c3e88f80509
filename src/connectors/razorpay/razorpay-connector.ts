// Razorpay (Orders API + S2S payments), on the connector kit. https://razorpay.com/docs/api/
// - authorise: an Order (POST /v1/orders, receipt = our txn reference, capture mode in `payment`),
//   then the S2S payment on it: cards, netbanking and wallets by POST /v1/payments/create/json, UPI
//   collect and intent by POST /v1/payments/create/upi;
// - 3-D Secure, netbanking, wallets: the `next` redirect sends the shopper to the bank page, which
//   comes back to our return URL with razorpay_payment_id, razorpay_order_id, razorpay_signature;
//   we read the payment and check the signature against its order (completeAuthentication);
// - UPI collect: PENDING, settled by webhook or status sync; UPI intent: PENDING with the upi:// link;
// - capture: POST /v1/payments/{id}/capture (the whole authorised amount: Razorpay takes no partial
//   capture); void: Razorpay has none (see `void` below); refund: POST /v1/payments/{id}/refund with
//   X-Refund-Idempotency and speed normal or optimum (the account's refund_speed);
// - status: GET /v1/payments/{id}, or, without a payment id, the order found by its receipt
//   (GET /v1/orders?receipt=) and its payments (GET /v1/orders/{id}/payments).
// Razorpay honours an idempotency key on refunds only. A payment is never created twice because
// authorise first looks the order up by its receipt (our txn reference) and, when the order already
// has a payment, answers that payment's state instead of creating another.
import { GATEWAY_IDS } from '../../core/gateways.ts';
import type { Connector } from '../../core/ports/connector.ts';
import { eligibilityOf, webhookSecret, type ConnectorContext, type ConnectorDefinition } from '../kit/definition.ts';
import { gatewayBaseUrl } from '../kit/base-url.ts';
import { classifyRazorpayUnlisted, RAZORPAY_STATUS_TABLE } from './status-table.ts';
import { eventIdOf, parseRazorpayEvent, verifyRazorpaySignature } from './webhooks.ts';
import { createRazorpayClient, GATEWAY } from './razorpay-client.ts';
import { authorizeRazorpay } from './authorize.ts';
import { completeRazorpayAuthentication, syncRazorpayStatus } from './payment-status.ts';
import { captureRazorpay, refundRazorpay, voidRazorpay } from './modifications.ts';

export function createRazorpayConnector(context: ConnectorContext): Connector {
  const client = createRazorpayClient(context, gatewayBaseUrl(context, razorpayDefinition));
  return {
    name: GATEWAY,
    statusTable: RAZORPAY_STATUS_TABLE,
    classifyUnlisted: classifyRazorpayUnlisted,
    capabilities: eligibilityOf(razorpayDefinition),
    authorize: (account, request) => authorizeRazorpay(client, account, request),
    completeAuthentication: (account, paymentId, params) => completeRazorpayAuthentication(client, account, paymentId, params),
    syncStatus: (account, reference) => syncRazorpayStatus(client, account, reference),
    capture: (account, id, amount, currency) => captureRazorpay(client, account, id, amount, currency),
    void: (account, id) => voidRazorpay(client, account, id),
    refund: (account, request) => refundRazorpay(client, account, request),
    async parseWebhook(account, request) {
      const secret = webhookSecret(account, razorpayDefinition);
      verifyRazorpaySignature(request, secret);
      return parseRazorpayEvent(request.rawBody, eventIdOf(request));
    },
  };
}

export const razorpayDefinition: ConnectorDefinition = {
  gateway: 'RAZORPAY',
  gatewayId: GATEWAY_IDS.RAZORPAY,
  displayName: 'Razorpay',
  defaultBaseUrl: 'https://api.razorpay.com',
  capabilities: {
    paymentMethodTypes: ['CARD', 'UPI', 'NB', 'WALLET'],
    cardBrands: ['VISA', 'MASTERCARD', 'RUPAY', 'AMEX', 'DINERS', 'MAESTRO'],
    // Razorpay takes about a hundred currencies for cards on accounts with international payments
    // enabled, but UPI, netbanking and wallets in INR only; eligibility cannot tell methods apart, so
    // INR is what every method here can take.
    currencies: ['INR'],
    countries: ['IN'],
    captureModes: ['AUTO', 'MANUAL'],
    // Razorpay captures the whole authorised amount only.
    partialCapture: false,
    threeDSecure: true,
    refunds: true,
    partialRefunds: true,
    sync: true,
    webhooks: true,
    // A void settles when Razorpay releases the authorisation; a refund may answer `pending`.
    asynchronousModifications: true,
  },
  credentials: [
    {
      name: 'key_id',
      label: 'Key id',
      required: true,
      secret: false,
      pattern: /^rzp_(test|live)_[A-Za-z0-9]{10,20}$/,
      patternReason: 'must be a Razorpay key id (rzp_test_... or rzp_live_...)',
      description: 'Dashboard > Account & Settings > API Keys; the user name of HTTP Basic',
    },
    {
      name: 'key_secret',
      label: 'Key secret',
      required: true,
      secret: true,
      pattern: /^[A-Za-z0-9]{16,64}$/,
      patternReason: 'must be the key secret shown once when the key was generated',
      description: 'Shown once with the key id; the password of HTTP Basic and the key of the checkout callback signature',
    },
    {
      name: 'webhook_secret',
      label: 'Webhook secret',
      required: true,
      secret: true,
      pattern: /^\S{8,}$/,
      patternReason: 'must be the secret entered for the webhook (8 characters or more, no spaces)',
      description: 'The secret of the webhook pointing at Junction (Dashboard > Account & Settings > Webhooks)',
    },
    {
      name: 'raw_card_data_enabled',
      label: 'S2S card payments enabled',
      required: false,
      secret: false,
      pattern: /^(true|false)$/,
      patternReason: 'must be true or false',
      description: 'true only once Razorpay has enabled S2S (raw card data) payments for the PCI-compliant account; otherwise cards are refused before any call',
    },
    {
      name: 'refund_speed',
      label: 'Refund speed',
      required: false,
      secret: false,
      pattern: /^(normal|optimum)$/,
      patternReason: 'must be normal or optimum',
      description: 'normal (5-7 working days, default) or optimum (instant where possible, for a fee): refunds and released authorisations',
    },
  ],
  authentication: 'HTTP Basic key_id:key_secret; X-Refund-Idempotency on refunds; webhooks: X-Razorpay-Signature (hex HMAC-SHA256 of the body with the webhook secret)',
  statusTable: RAZORPAY_STATUS_TABLE,
  proof:
    "emulator that validates every request against a JSON Schema written from Razorpay's API reference; the official razorpay package drives it and verifies its webhook and callback signatures; conformance suite",
  docs: 'docs/connectors/razorpay.md',
  create: (context) => createRazorpayConnector(context),
};
