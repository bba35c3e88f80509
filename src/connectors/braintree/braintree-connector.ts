// Braintree (the client API of the official server SDKs: https://developer.paypal.com/braintree/docs/reference/overview),
// on the connector kit, speaking what the official Node SDK sends (node_modules/braintree 3.40,
// lib/braintree/http.js): HTTP Basic public_key:private_key, X-ApiVersion 6, JSON bodies with the
// SDK's snake_case keys, XML answers (Accept: application/xml).
// - authorise: POST /merchants/{merchant_id}/transactions `{transaction: {type: sale, amount,
//   order_id, payment_method_nonce | credit_card, options: {submit_for_settlement, three_d_secure}}}`;
// - capture: PUT .../transactions/{id}/submit_for_settlement `{transaction: {amount}}` (less than
//   authorised = partial capture); void: PUT .../void; refund: POST .../refund `{transaction:
//   {amount, order_id}}` (a separate credit transaction);
// - status: GET .../transactions/{id}; by our reference (the order id we gave the sale) with
//   POST .../advanced_search_ids then .../advanced_search, as the SDK's transaction.search does;
// - idempotency: the client API has no idempotency header (Braintree documents at-most-once
//   processing for its GraphQL API only), so before creating a sale or a refund we look for the one
//   a previous attempt with the same reference created (order_id = our txn id / refund id), and a
//   capture or void Braintree refuses because it was already done is read back;
// - 3-D Secure: done by Braintree's client SDK before the sale; we send its nonce and
//   options.three_d_secure.required (see docs/connectors/braintree.md).
import { GATEWAY_IDS } from '../../core/gateways.ts';
import type { Connector } from '../../core/ports/connector.ts';
import { eligibilityOf, type ConnectorContext, type ConnectorDefinition } from '../kit/definition.ts';
import { gatewayBaseUrl } from '../kit/base-url.ts';
import { BRAINTREE_STATUS_TABLE, classifyUnlistedBraintree } from './status-table.ts';
import { decodeNotification, parseBraintreeNotification, verifyBraintreeWebhook } from './webhooks.ts';
import { createBraintreeClient, GATEWAY, keys } from './braintree-client.ts';
import { readTransaction } from './transaction-reads.ts';
import { modifyTransaction } from './modify-transaction.ts';
import { authorizeBraintree } from './authorize.ts';
import { syncBraintreeStatus } from './sync-status.ts';
import { refundBraintree } from './refund.ts';

export { BRAINTREE_API_VERSION } from './braintree-client.ts';

export function createBraintreeConnector(context: ConnectorContext): Connector {
  const client = createBraintreeClient(context, gatewayBaseUrl(context, braintreeDefinition));
  return {
    name: GATEWAY,
    statusTable: BRAINTREE_STATUS_TABLE,
    classifyUnlisted: classifyUnlistedBraintree,
    capabilities: eligibilityOf(braintreeDefinition),

    authorize: (account, request) => authorizeBraintree(client, account, request),

    // Braintree has no server-side 3-D Secure step to complete (the client SDK did it before the
    // sale): whatever the browser brings back, the transaction Braintree holds is the answer.
    completeAuthentication: (account, id) => readTransaction(client, account, id, 'completeAuthentication'),

    syncStatus: (account, reference) => syncBraintreeStatus(client, account, reference),
    capture: (account, id, amount, currency) => modifyTransaction(client, account, 'submit_for_settlement', id, { minor: amount, currency }),
    void: (account, id) => modifyTransaction(client, account, 'void', id, null),
    refund: (account, request) => refundBraintree(client, account, request),

    async parseWebhook(account, request) {
      const { publicKey, privateKey } = keys(account);
      const payload = verifyBraintreeWebhook(request, publicKey, privateKey);
      return parseBraintreeNotification(decodeNotification(payload));
    },
  };
}

export const braintreeDefinition: ConnectorDefinition = {
  gateway: 'BRAINTREE',
  gatewayId: GATEWAY_IDS.BRAINTREE,
  displayName: 'Braintree',
  defaultBaseUrl: 'https://api.sandbox.braintreegateway.com',
  capabilities: {
    paymentMethodTypes: ['CARD'],
    // Braintree's card types (CreditCard.CardType in the SDK) that map to our brands.
    cardBrands: ['VISA', 'MASTERCARD', 'AMEX', 'DISCOVER', 'DINERS', 'JCB', 'MAESTRO', 'UNIONPAY'],
    // Each merchant account has one currency; the account's merchant_account_id chooses it. A sale
    // answered in another currency is voided at once (currency_mismatch).
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
  },
  credentials: [
    {
      name: 'merchant_id',
      label: 'Merchant ID',
      required: true,
      secret: false,
      pattern: /^[A-Za-z0-9_-]{4,64}$/,
      patternReason: "must be the gateway's merchant ID (letters, digits, _ or -)",
      description: 'Control Panel > Settings > Business (or API keys page); part of every API path',
    },
    {
      name: 'public_key',
      label: 'Public key',
      required: true,
      secret: false,
      pattern: /^[A-Za-z0-9]{8,64}$/,
      patternReason: 'must be an API public key (letters and digits)',
      description: 'Control Panel > Settings > API > API Keys; names the key pair in webhook signatures',
    },
    {
      name: 'private_key',
      label: 'Private key',
      required: true,
      secret: true,
      pattern: /^[A-Za-z0-9]{16,64}$/,
      patternReason: 'must be an API private key (letters and digits)',
      description: 'The private key of the same API key pair; HTTP Basic password and webhook signing key',
    },
    {
      name: 'merchant_account_id',
      label: 'Merchant account ID',
      required: false,
      secret: false,
      pattern: /^[A-Za-z0-9_-]{1,64}$/,
      patternReason: 'must be a merchant account ID (letters, digits, _ or -)',
      description: "The merchant account (and so the currency) payments go to; the gateway's default merchant account when absent",
    },
    {
      name: 'raw_card_data_enabled',
      label: 'Full card details enabled',
      required: false,
      secret: false,
      pattern: /^(true|false)$/,
      patternReason: 'must be true or false',
      description: "true only for PCI SAQ D merchants sending card numbers server to server; otherwise send payment method nonces from Braintree's client SDK as gateway_token",
    },
  ],
  authentication: 'HTTP Basic public_key:private_key, X-ApiVersion: 6 (the client API of the official SDKs); webhooks: bt_signature = public_key|hex HMAC-SHA1(SHA-1(private_key), bt_payload)',
  statusTable: BRAINTREE_STATUS_TABLE,
  proof:
    "emulator that validates every request against a contract written from the official Node SDK's request building and Braintree's API reference; the official braintree package drives it (sale, submit for settlement, void, refund, find) and signs and parses webhooks both ways; conformance suite",
  docs: 'docs/connectors/braintree.md',
  create: (context) => createBraintreeConnector(context),
};
