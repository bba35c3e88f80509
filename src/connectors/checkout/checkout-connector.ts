// Checkout.com (Payments API, NAS platform), on the connector kit. https://api-reference.checkout.com
// - authorise: POST /payments (source card or token, capture true/false, 3ds.enabled);
// - 3-D Secure: status Pending with _links.redirect; the shopper comes back to our return URL
//   (success_url / failure_url) and we read the payment (GET /payments/{id});
// - capture / void / refund: POST /payments/{id}/captures | voids | refunds answer 202 Accepted:
//   the result comes by webhook (payment_captured, payment_voided, payment_refunded) or by GET;
// - status: GET /payments/{id}, or GET /payments?reference= when the create call got no answer;
// - every POST carries Cko-Idempotency-Key (our per-attempt key).
import { GATEWAY_IDS } from '../../core/gateways.ts';
import { ConnectorError, type AuthorizeOutcome, type CaptureOutcome, type Connector, type ConnectorAccount, type RefundOutcome } from '../../core/ports/connector.ts';
import { eligibilityOf, webhookSecret, type ConnectorContext, type ConnectorDefinition } from '../kit/definition.ts';
import type { TransportResponse } from '../kit/transport.ts';
import { failedFromRow, modificationTransportOutcome, paymentTransportOutcome, readTransportOutcome, refundTransportOutcome, parseJson } from '../kit/outcomes.ts';
import { unifiedError } from '../unified-errors.ts';
import { CHECKOUT_STATUS_TABLE, checkoutFailure } from './status-table.ts';
import { buildPaymentRequest, isPayment, outcomeOfAction, outcomeOfPaymentAnswer, outcomeOfRefund, type CheckoutBody } from './transformers.ts';
import { parseCheckoutEvent, verifyCheckoutSignature } from './webhooks.ts';

const GATEWAY = 'CHECKOUT';

/** Retry 5xx and 429 with the same Cko-Idempotency-Key; never a 4xx. */
export function checkoutShouldRetry(response: TransportResponse): boolean {
  return response.status >= 500 || response.status === 429;
}

export function createCheckoutConnector(context: ConnectorContext): Connector {
  const baseUrl = (context.baseUrls.CHECKOUT ?? checkoutDefinition.defaultBaseUrl).replace(/\/$/, '');

  function secretKey(account: ConnectorAccount): string {
    const key = account.credentials.secret_key;
    if (!key) throw new ConnectorError('The Checkout.com account has no secret_key', GATEWAY, 'CONFIGURATION');
    return key;
  }

  function call(account: ConnectorAccount, operation: string, method: 'GET' | 'POST', path: string, body: CheckoutBody | null, key?: string) {
    return context.transport.request({
      gateway: GATEWAY,
      operation,
      method,
      url: `${baseUrl}${path}`,
      headers: { authorization: `Bearer ${secretKey(account)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      ...(key ? { idempotencyKey: key, idempotencyHeader: 'Cko-Idempotency-Key' } : {}),
      retryOn: checkoutShouldRetry,
      accountId: account.accountId,
    });
  }

  async function read(account: ConnectorAccount, id: string, operation: string): Promise<AuthorizeOutcome> {
    try {
      const response = await call(account, operation, 'GET', `/payments/${encodeURIComponent(id)}`, null);
      return outcomeOfPaymentAnswer(response.status, parseJson(response.text));
    } catch (error) {
      return readTransportOutcome(error, id);
    }
  }

  async function action(account: ConnectorAccount, kind: 'captures' | 'voids', id: string, body: CheckoutBody, key: string | undefined): Promise<CaptureOutcome> {
    try {
      const response = await call(account, kind === 'captures' ? 'capture' : 'void', 'POST', `/payments/${encodeURIComponent(id)}/${kind}`, body, key ?? `${kind}-${id}`);
      return outcomeOfAction(response.status, parseJson(response.text), id);
    } catch (error) {
      return modificationTransportOutcome(error, id);
    }
  }

  return {
    name: GATEWAY,
    statusTable: CHECKOUT_STATUS_TABLE,
    // Five-digit response codes the table does not list take their range's row.
    classifyUnlisted: (rawCode) => (/^[2-5]\d{4}$/.test(rawCode) ? checkoutFailure(rawCode) : undefined),
    capabilities: eligibilityOf(checkoutDefinition),

    async authorize(account, request) {
      const built = buildPaymentRequest(request, { processingChannelId: account.credentials.processing_channel_id ?? null, rawCardDataEnabled: account.credentials.raw_card_data_enabled === 'true' });
      if ('refused' in built) return failedFromRow('raw_card_data_not_enabled', built.refused, CHECKOUT_STATUS_TABLE.raw_card_data_not_enabled!);
      try {
        const response = await call(account, 'authorize', 'POST', '/payments', built.body, request.idempotencyKey);
        return outcomeOfPaymentAnswer(response.status, parseJson(response.text), request.captureMode);
      } catch (error) {
        return paymentTransportOutcome(error, null, CHECKOUT_STATUS_TABLE.CONNECTION_REFUSED!);
      }
    },

    // The shopper came back (cko-session-id in the query): Checkout.com finished the payment; read it.
    completeAuthentication: (account, id) => read(account, id, 'completeAuthentication'),

    async syncStatus(account, reference) {
      if (reference.startsWith('pay_')) return read(account, reference, 'syncStatus');
      // The create call got no answer: look the payment up by the reference we gave it.
      try {
        const response = await call(account, 'syncStatus', 'GET', `/payments?reference=${encodeURIComponent(reference.slice(0, 50))}`, null);
        const body = parseJson(response.text) as { data?: unknown[] } | undefined;
        if (response.status === 200 && Array.isArray(body?.data)) {
          const found = body.data.find(isPayment);
          if (found) return read(account, found.id, 'syncStatus');
          return {
            kind: 'FAILED',
            raw: { code: 'payment_not_found', message: 'Checkout.com has no payment with this reference: it was never created', gatewayTxnId: null },
            failure: 'VALIDATION_ERROR',
            unified: unifiedError('TRANSACTION_NOT_FOUND'),
          };
        }
        return outcomeOfPaymentAnswer(response.status, body);
      } catch (error) {
        return readTransportOutcome(error, null);
      }
    },

    capture: (account, id, amount, _currency, key) => action(account, 'captures', id, { amount, reference: (key ?? '').slice(0, 50) || undefined }, key),
    void: (account, id, key) => action(account, 'voids', id, { reference: (key ?? '').slice(0, 50) || undefined }, key),

    async refund(account, request): Promise<RefundOutcome> {
      try {
        const response = await call(
          account,
          'refund',
          'POST',
          `/payments/${encodeURIComponent(request.gatewayTxnId)}/refunds`,
          { amount: request.amount, reference: request.refundId.slice(0, 50) },
          request.idempotencyKey,
        );
        return outcomeOfRefund(response.status, parseJson(response.text), request.gatewayTxnId);
      } catch (error) {
        return refundTransportOutcome(error, request.gatewayTxnId);
      }
    },

    async parseWebhook(account, request) {
      const secret = webhookSecret(account, checkoutDefinition);
      verifyCheckoutSignature(request, secret);
      return parseCheckoutEvent(request.rawBody);
    },
  };
}

export const checkoutDefinition: ConnectorDefinition = {
  gateway: 'CHECKOUT',
  gatewayId: GATEWAY_IDS.CHECKOUT,
  displayName: 'Checkout.com',
  defaultBaseUrl: 'https://api.sandbox.checkout.com',
  capabilities: {
    paymentMethodTypes: ['CARD'],
    cardBrands: ['VISA', 'MASTERCARD', 'AMEX', 'DISCOVER', 'DINERS', 'JCB', 'MAESTRO'],
    currencies: 'ANY',
    countries: 'ANY',
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
      name: 'secret_key',
      label: 'Secret key',
      required: true,
      secret: true,
      pattern: /^sk_(sbox_)?[a-z2-7]{26}[a-z2-7*#$=]$/,
      patternReason: 'must be a Checkout.com NAS secret key (sk_sbox_ or sk_ and 27 characters); keys of the previous platform (sk_test_<uuid>) are not supported',
      description: 'Dashboard > Developers > Keys; sent as Authorization: Bearer',
    },
    {
      name: 'processing_channel_id',
      label: 'Processing channel id',
      required: false,
      secret: false,
      pattern: /^pc_[a-z0-9]{26}$/,
      patternReason: 'must be a processing channel id (pc_ and 26 characters)',
      description: 'The processing channel payments go through (required by most NAS accounts)',
    },
    {
      name: 'webhook_secret',
      label: 'Webhook signature key',
      required: true,
      secret: true,
      pattern: /^.{16,}$/,
      patternReason: "must be the webhook's signature key (16 characters or more)",
      description: 'The signature key of the webhook (workflow) that calls Junction',
    },
    {
      name: 'raw_card_data_enabled',
      label: 'Full card details enabled',
      required: false,
      secret: false,
      pattern: /^(true|false)$/,
      patternReason: 'must be true or false',
      description: 'true only for SAQ D PCI compliant merchants Checkout.com has enabled; otherwise send card tokens (tok_...)',
    },
  ],
  authentication: 'Authorization: Bearer <secret_key>; Cko-Idempotency-Key on every POST; webhooks: Cko-Signature (HMAC-SHA256 of the body)',
  statusTable: CHECKOUT_STATUS_TABLE,
  proof:
    "emulator that validates requests and answers against Checkout.com's published Payments API description (2021 split YAML); checkout-sdk-node (the official client) drives it; conformance suite",
  docs: 'docs/connectors/checkout.md',
  create: (context) => createCheckoutConnector(context),
};
