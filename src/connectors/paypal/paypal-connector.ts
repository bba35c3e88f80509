// PayPal (Orders v2 + Payments v2), on the connector kit. https://developer.paypal.com/docs/api/orders/v2/
// - auth: OAuth2 client credentials (POST /v1/oauth2/token, Basic client_id:client_secret,
//   grant_type=client_credentials); the access token is cached per account until shortly before its
//   expires_in, and fetched again on expiry or, once, when an API call answers 401;
// - authorise: POST /v2/checkout/orders (intent CAPTURE for automatic capture, AUTHORIZE for manual;
//   purchase_units[0] with the amount as a major-unit string and our txn id as reference_id,
//   custom_id and invoice_id). The PayPal wallet answers PAYER_ACTION_REQUIRED with a `payer-action`
//   link: PENDING_AUTHENTICATION. Cards (payment_source.card, accounts enabled for full card data)
//   answer COMPLETED at once, or PAYER_ACTION_REQUIRED for 3-D Secure;
// - the payer comes back to our return URL (`token` = order id, `PayerID` for the wallet): we read the
//   order and, once APPROVED (and, for cards, 3-D Secure allows it), complete it with
//   POST /v2/checkout/orders/{id}/capture or /authorize. A status sync or a CHECKOUT.ORDER.APPROVED
//   webhook completes an approved order the same way (same PayPal-Request-Id: never twice);
// - the gateway txn id is the ORDER id; capture and void read the order for its authorization
//   (POST /v2/payments/authorizations/{id}/capture with final_capture, /void), refunds for its capture
//   (POST /v2/payments/captures/{id}/refund);
// - every POST carries PayPal-Request-Id from our key (PayPal replays the first answer for it);
// - status: GET /v2/checkout/orders/{id}; when the create call got no answer, the order is looked up by
//   our txn id in the account's webhook event log (GET /v1/notifications/webhooks-events): Orders v2
//   has no search by reference;
// - webhooks: verified by PayPal itself (POST /v1/notifications/verify-webhook-signature).
import { GATEWAY_IDS } from '../../core/gateways.ts';
import type { Connector } from '../../core/ports/connector.ts';
import { eligibilityOf, type ConnectorContext, type ConnectorDefinition } from '../kit/definition.ts';
import { gatewayBaseUrl } from '../kit/base-url.ts';
import { PAYPAL_STATUS_TABLE, paypalFailure } from './status-table.ts';
import { GATEWAY } from './oauth-token.ts';
import { createPayPalClient } from './paypal-client.ts';
import { authorizePayPal } from './authorize.ts';
import { syncOrder } from './orders.ts';
import { findByReference } from './find-by-reference.ts';
import { capturePayPal, voidPayPal } from './capture-and-void.ts';
import { refundPayPal } from './refund.ts';
import { parsePayPalWebhook } from './webhook-verification.ts';

export { requestId } from './paypal-client.ts';

/** The currencies PayPal takes for payments (https://developer.paypal.com/reference/currency-codes/); BRL, CNY, INR and MYR for in-country accounts only. */
export const PAYPAL_CURRENCIES = [
  'AUD',
  'BRL',
  'CAD',
  'CNY',
  'CZK',
  'DKK',
  'EUR',
  'HKD',
  'HUF',
  'INR',
  'ILS',
  'JPY',
  'MYR',
  'MXN',
  'TWD',
  'NZD',
  'NOK',
  'PHP',
  'PLN',
  'GBP',
  'SGD',
  'SEK',
  'CHF',
  'THB',
  'USD',
] as const;

/** A PayPal order id (uppercase letters and digits, as related_ids.order_id is documented); our txn ids never look like one. */
export const isPayPalId = (value: string): boolean => /^[A-Z0-9]{10,20}$/.test(value);

export interface PayPalConnectorOptions {
  /** Milliseconds since the epoch (token expiry); Date.now by default. */
  clock?: () => number;
}

export function createPayPalConnector(context: ConnectorContext, options: PayPalConnectorOptions = {}): Connector {
  const client = createPayPalClient(context.transport, gatewayBaseUrl(context, paypalDefinition), options.clock ?? Date.now);
  return {
    name: GATEWAY,
    statusTable: PAYPAL_STATUS_TABLE,
    // Codes of PayPal's shapes (processor codes, UPPER_SNAKE issues) the table does not list take its rule.
    classifyUnlisted: (rawCode) => (/^[A-Z0-9_]+$/.test(rawCode) ? paypalFailure(rawCode) : undefined),
    capabilities: eligibilityOf(paypalDefinition),

    authorize: (account, request) => authorizePayPal(client, account, request),

    // The payer is back (token = the order id, PayerID for the wallet). We trust our own order id, not the browser's.
    completeAuthentication: (account, orderId) => syncOrder(client, account, orderId, true, 'completeAuthentication'),

    syncStatus: (account, reference) => (isPayPalId(reference) ? syncOrder(client, account, reference, false, 'syncStatus') : findByReference(client, account, reference)),

    capture: (account, orderId, amount, currency, key) => capturePayPal(client, account, orderId, amount, currency, key),
    void: (account, orderId, key) => voidPayPal(client, account, orderId, key),
    refund: (account, request) => refundPayPal(client, account, request),
    parseWebhook: (account, request) => parsePayPalWebhook(client, account, request),
  };
}

export const paypalDefinition: ConnectorDefinition = {
  gateway: 'PAYPAL',
  gatewayId: GATEWAY_IDS.PAYPAL,
  displayName: 'PayPal',
  defaultBaseUrl: 'https://api-m.sandbox.paypal.com',
  capabilities: {
    paymentMethodTypes: ['CARD', 'WALLET'],
    cardBrands: ['VISA', 'MASTERCARD', 'AMEX', 'DISCOVER', 'JCB', 'MAESTRO', 'UNIONPAY'],
    currencies: PAYPAL_CURRENCIES,
    countries: 'ANY',
    captureModes: ['AUTO', 'MANUAL'],
    partialCapture: true,
    threeDSecure: true,
    refunds: true,
    partialRefunds: true,
    sync: true,
    webhooks: true,
    asynchronousModifications: false,
  },
  credentials: [
    {
      name: 'client_id',
      label: 'Client ID',
      required: true,
      secret: false,
      pattern: /^[A-Za-z0-9_-]{16,128}$/,
      patternReason: "must be the REST app's client ID (letters, digits, - and _)",
      description: 'Developer Dashboard > Apps & Credentials > your REST app: Client ID',
    },
    {
      name: 'client_secret',
      label: 'Client secret',
      required: true,
      secret: true,
      pattern: /^[A-Za-z0-9_-]{16,128}$/,
      patternReason: "must be the REST app's secret (letters, digits, - and _)",
      description: 'Developer Dashboard > Apps & Credentials > your REST app: Secret (sandbox and live apps differ)',
    },
    {
      name: 'webhook_id',
      label: 'Webhook ID',
      required: true,
      secret: false,
      pattern: /^[A-Za-z0-9]{1,50}$/,
      patternReason: 'must be the ID PayPal gave the webhook (letters and digits, at most 50)',
      description: 'The ID of the webhook (your REST app > Webhooks) that calls Junction; PayPal verifies deliveries against it',
    },
    {
      name: 'raw_card_data_enabled',
      label: 'Full card details enabled',
      required: false,
      secret: false,
      pattern: /^(true|false)$/,
      patternReason: 'must be true or false',
      description: 'true only for PCI DSS SAQ D merchants PayPal has enabled for advanced card processing (payment_source.card); otherwise cards are refused before anything is sent',
    },
  ],
  authentication:
    'OAuth2 client credentials: POST /v1/oauth2/token with Basic client_id:client_secret, then Authorization: Bearer <access token> (cached until shortly before expires_in, refreshed once on a 401); PayPal-Request-Id on every POST; webhooks verified by POST /v1/notifications/verify-webhook-signature',
  statusTable: PAYPAL_STATUS_TABLE,
  proof:
    "emulator that validates every request and answer against PayPal's published OpenAPI documents (Orders v2.13, Payments v2.5, Webhooks v1.11); the documents' examples as golden fixtures; PayPal's webhook signature scheme checked independently; conformance suite",
  docs: 'docs/connectors/paypal.md',
  create: (context) => createPayPalConnector(context),
};
