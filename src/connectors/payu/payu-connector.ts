// PayU India (PayU Biz), on the connector kit. https://docs.payu.in
// - authorise: a form POST to /_payment signed with the request hash. Cards go through PayU's
//   hosted page by default (the browser posts the form: PENDING_AUTHENTICATION whose params hold no
//   card data); with raw_card_data_enabled the card is sent server to server (txn_s2s_flow=1) and
//   the bank page from PayU's answer (acsTemplate) is the redirect. Netbanking (pg=NB + bank code)
//   and wallets (pg=CASH) are redirects. UPI collect and intent are server to server
//   (txn_s2s_flow=4): PENDING, settled by PayU's callback or verify_payment; intent answers the
//   upi://pay link as sdk_params.intent_uri.
// - return: the shopper's browser posts PayU's result to our return URL (surl = furl): we verify the
//   reverse hash (constant time) and confirm with verify_payment before changing anything.
// - status: command verify_payment (var1 = txnid); capture: capture_transaction; void and refund:
//   cancel_refund_transaction (var1 = mihpayid, var2 = our token, var3 = amount); refund status:
//   check_action_status. Commands: POST /merchant/postservice.php?form=2 with hash = sha512(key|command|var1|SALT).
// - idempotency: PayU has no idempotency header. Our txnid is unique and PayU refuses a txnid it has
//   seen ("duplicate"), so a retried create cannot charge twice: on that refusal, and after a timeout
//   (status sync by our reference), we read the payment with verify_payment. Capture/refund tokens are
//   derived from our idempotency key, and a refund first looks for its token among the payment's
//   refunds (check_action_status by PayU id) before asking again.
import { GATEWAY_IDS } from '../../core/gateways.ts';
import type { Connector } from '../../core/ports/connector.ts';
import { eligibilityOf, type ConnectorContext, type ConnectorDefinition } from '../kit/definition.ts';
import { gatewayBaseUrl } from '../kit/base-url.ts';
import { classifyUnlistedPayu, PAYU_STATUS_TABLE } from './status-table.ts';
import { payuTxnId } from './transformers.ts';
import { createPayuClient, GATEWAY } from './payu-client.ts';
import { authorizePayu } from './authorize.ts';
import { completePayuAuthentication } from './complete-authentication.ts';
import { readPayment } from './verify-payment.ts';
import { capturePayu, voidPayu } from './capture-and-void.ts';
import { refundPayu } from './refund.ts';
import { parsePayuWebhook } from './webhook-confirmation.ts';

export { payuCommandOrigin } from './payu-client.ts';

export function createPayuConnector(context: ConnectorContext): Connector {
  const client = createPayuClient(context, gatewayBaseUrl(context, payuDefinition));
  return {
    name: GATEWAY,
    statusTable: PAYU_STATUS_TABLE,
    classifyUnlisted: classifyUnlistedPayu,
    capabilities: eligibilityOf(payuDefinition),
    authorize: (account, request) => authorizePayu(client, account, request),
    completeAuthentication: (account, txnid, params) => completePayuAuthentication(client, account, txnid, params),
    syncStatus: (account, reference) => readPayment(client, account, payuTxnId(reference), 'syncStatus'),
    capture: (account, txnid, amount, currency, key) => capturePayu(client, account, txnid, amount, currency, key),
    void: (account, txnid, key) => voidPayu(client, account, txnid, key),
    refund: (account, request) => refundPayu(client, account, request),
    parseWebhook: (account, request) => parsePayuWebhook(client, account, request),
  };
}

export const payuDefinition: ConnectorDefinition = {
  gateway: 'PAYU',
  gatewayId: GATEWAY_IDS.PAYU,
  displayName: 'PayU India',
  defaultBaseUrl: 'https://test.payu.in',
  capabilities: {
    paymentMethodTypes: ['CARD', 'UPI', 'NB', 'WALLET'],
    cardBrands: ['VISA', 'MASTERCARD', 'MAESTRO', 'RUPAY', 'AMEX', 'DINERS'],
    currencies: ['INR'],
    countries: ['IN'],
    // Pre-authorisation (pre_authorize=1, capture_transaction) exists for cards only, and must be enabled by PayU on the account.
    captureModes: ['AUTO', 'MANUAL'],
    partialCapture: true,
    threeDSecure: true,
    refunds: true,
    partialRefunds: true,
    sync: true,
    webhooks: true,
    asynchronousModifications: true,
  },
  credentials: [
    {
      name: 'merchant_key',
      label: 'Merchant key',
      required: true,
      secret: false,
      pattern: /^[A-Za-z0-9]{4,20}$/,
      patternReason: 'must be the PayU merchant key (letters and digits, e.g. gtKFFx)',
      description: 'PayU Dashboard > Developers (or Payment Gateway > Key & Salt); sent as the key field of every request',
    },
    {
      name: 'merchant_salt',
      label: 'Merchant salt',
      required: true,
      secret: true,
      pattern: /^\S{8,128}$/,
      patternReason: 'must be the PayU salt (version 1 salt, 8 characters or more, no spaces)',
      description: "PayU Dashboard > Developers: the salt that keys every request hash and verifies every answer's reverse hash; never sent",
    },
    {
      name: 'raw_card_data_enabled',
      label: 'Seamless card flow enabled',
      required: false,
      secret: false,
      pattern: /^(true|false)$/,
      patternReason: 'must be true or false',
      description: "true only for PCI DSS merchants PayU has enabled for server-to-server (seamless) card payments; otherwise cards go through PayU's hosted page",
    },
  ],
  authentication:
    'merchant key as the key field; sha512 request hash keyed with the salt (_payment: key|txnid|amount|productinfo|firstname|email|udf1..udf5||||||SALT; commands: key|command|var1|SALT); answers and callbacks carry a reverse hash we verify',
  statusTable: PAYU_STATUS_TABLE,
  proof:
    "emulator that validates every form and command against a JSON Schema written from docs.payu.in and checks the hashes; hash formulas locked by PayU's published worked example and Python hashlib; documented sample answers parsed; conformance suite (redirect-first)",
  docs: 'docs/connectors/payu.md',
  create: (context) => createPayuConnector(context),
};
