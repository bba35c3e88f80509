// Stripe (PaymentIntents API), on the connector kit. https://docs.stripe.com/api/payment_intents
// - authorise: POST /v1/payment_intents with confirm=true; capture_method manual for PRE_AUTH;
// - 3-D Secure: requires_action + next_action.redirect_to_url, the shopper returns to our return
//   URL, and we read the PaymentIntent again (Stripe finishes the confirmation itself);
// - capture / void: POST /v1/payment_intents/{id}/capture (amount_to_capture) and /cancel;
// - refund: POST /v1/refunds; status: GET /v1/payment_intents/{id}, or, when the create call got
//   no answer, a search by our txn id in the metadata;
// - every POST carries Idempotency-Key: our per-attempt key, so a retry is never a second charge.
import { GATEWAY_IDS } from '../../core/gateways.ts';
import { ConnectorError, type AuthorizeOutcome, type CaptureOutcome, type Connector, type ConnectorAccount, type RefundOutcome } from '../../core/ports/connector.ts';
import type { ConnectorContext, ConnectorDefinition } from '../kit/definition.ts';
import { TransportError, type TransportResponse } from '../kit/transport.ts';
import { failedFromRow, modificationTransportOutcome, paymentTransportOutcome, readTransportOutcome, refundTransportOutcome } from '../kit/outcomes.ts';
import { STRIPE_STATUS_TABLE, stripeFailure } from './status-table.ts';
import {
  buildPaymentIntentBody,
  buildPaymentMethodBody,
  stripeCardSource,
  encodeStripeForm,
  isPaymentIntent,
  outcomeOfCapture,
  outcomeOfPaymentAnswer,
  outcomeOfRefund,
  parseJson,
  STRIPE_API_VERSION,
  type FormObject,
} from './transformers.ts';
import { parseStripeEvent, verifyStripeSignature } from './webhooks.ts';
import { unifiedError } from '../unified-errors.ts';

const GATEWAY = 'STRIPE';

/** Stripe says when a request may be retried: Stripe-Should-Retry, else 409 (lock) and 5xx. */
export function stripeShouldRetry(response: TransportResponse): boolean {
  const advice = response.headers['stripe-should-retry'];
  if (advice === 'true') return true;
  if (advice === 'false') return false;
  return response.status === 409 || response.status >= 500;
}

export function createStripeConnector(context: ConnectorContext, now: () => number = Date.now): Connector {
  const baseUrl = (context.baseUrls.STRIPE ?? stripeDefinition.defaultBaseUrl).replace(/\/$/, '');

  function secretKey(account: ConnectorAccount): string {
    const key = account.credentials.secret_key;
    if (!key) throw new ConnectorError('The Stripe account has no secret_key', GATEWAY, 'CONFIGURATION');
    return key;
  }

  async function call(account: ConnectorAccount, operation: string, method: 'GET' | 'POST', path: string, form: FormObject | null, idempotencyKey?: string) {
    return context.transport.request({
      gateway: GATEWAY,
      operation,
      method,
      url: `${baseUrl}${path}`,
      headers: {
        authorization: `Bearer ${secretKey(account)}`,
        'stripe-version': STRIPE_API_VERSION,
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: encodeStripeForm(form) } : {}),
      ...(idempotencyKey ? { idempotencyKey, idempotencyHeader: 'Idempotency-Key' } : {}),
      retryOn: stripeShouldRetry,
      accountId: account.accountId,
    });
  }

  async function retrieve(account: ConnectorAccount, id: string, operation: string): Promise<AuthorizeOutcome> {
    try {
      const response = await call(account, operation, 'GET', `/v1/payment_intents/${encodeURIComponent(id)}`, null);
      return outcomeOfPaymentAnswer(response.status, parseJson(response.text));
    } catch (error) {
      return readTransportOutcome(error, id);
    }
  }

  async function modify(account: ConnectorAccount, operation: 'capture' | 'cancel', id: string, form: FormObject, key: string | undefined): Promise<CaptureOutcome> {
    try {
      const response = await call(account, operation, 'POST', `/v1/payment_intents/${encodeURIComponent(id)}/${operation}`, form, key);
      return outcomeOfCapture(response.status, parseJson(response.text), operation === 'capture' ? 'succeeded' : 'canceled');
    } catch (error) {
      return modificationTransportOutcome(error, id);
    }
  }

  return {
    name: GATEWAY,
    statusTable: STRIPE_STATUS_TABLE,
    // `<decline_code>:<advice_code>` (an advice that hardened the decline) and decline codes the table does not list.
    classifyUnlisted: (rawCode) => {
      const [code, advice] = rawCode.split(':');
      return /^[a-z_]+$/.test(code ?? '') ? stripeFailure(code!, advice ?? null) : undefined;
    },
    capabilities: { paymentMethodTypes: stripeDefinition.capabilities.paymentMethodTypes, currencies: stripeDefinition.capabilities.currencies },

    async authorize(account, request) {
      const source = stripeCardSource(request, { rawCardDataEnabled: account.credentials.raw_card_data_enabled === 'true' });
      if ('refused' in source) return failedFromRow('raw_card_data_not_enabled', source.refused, STRIPE_STATUS_TABLE.raw_card_data_not_enabled!);
      let paymentMethod: string;
      if ('card' in source) {
        // A raw card becomes a PaymentMethod first. Nothing is charged by this step, so any failure of it is safe to retry elsewhere.
        try {
          const response = await call(account, 'createPaymentMethod', 'POST', '/v1/payment_methods', buildPaymentMethodBody(source.card), `${request.idempotencyKey}:pm`);
          const body = parseJson(response.text);
          if (response.status !== 200 || typeof (body as { id?: unknown } | undefined)?.id !== 'string') {
            const outcome = outcomeOfPaymentAnswer(response.status, body);
            if (outcome.kind === 'FAILED') return outcome;
            return { kind: 'FAILED', raw: { ...outcome.raw, code: 'payment_method_not_created' }, failure: 'TECHNICAL_ERROR', unified: unifiedError('GATEWAY_TECHNICAL_ERROR') };
          }
          paymentMethod = (body as { id: string }).id;
        } catch (error) {
          if (!(error instanceof TransportError)) throw error;
          return { kind: 'FAILED', raw: { code: error.nothingSent ? 'CONNECTION_REFUSED' : 'payment_method_not_created', message: error.message, gatewayTxnId: null }, failure: error.nothingSent ? 'GATEWAY_DOWN' : 'TECHNICAL_ERROR', unified: unifiedError(error.nothingSent ? 'GATEWAY_DOWN' : 'GATEWAY_TECHNICAL_ERROR') };
        }
      } else {
        paymentMethod = source.paymentMethod;
      }
      try {
        const response = await call(account, 'authorize', 'POST', '/v1/payment_intents', buildPaymentIntentBody(request, paymentMethod), request.idempotencyKey);
        return outcomeOfPaymentAnswer(response.status, parseJson(response.text));
      } catch (error) {
        return paymentTransportOutcome(error, null, STRIPE_STATUS_TABLE.CONNECTION_REFUSED!);
      }
    },

    completeAuthentication: (account, gatewayTxnId) => retrieve(account, gatewayTxnId, 'completeAuthentication'),

    async syncStatus(account, reference) {
      if (reference.startsWith('pi_')) return retrieve(account, reference, 'syncStatus');
      // The create call got no answer: find the PaymentIntent by the txn id we put in its metadata.
      try {
        const query = `metadata['txn_id']:'${reference.replace(/'/g, "\\'")}'`;
        const response = await call(account, 'syncStatus', 'GET', `/v1/payment_intents/search?query=${encodeURIComponent(query)}`, null);
        const body = parseJson(response.text) as { data?: unknown[] } | undefined;
        if (response.status === 200 && Array.isArray(body?.data)) {
          const found = body.data.find(isPaymentIntent);
          if (found) return outcomeOfPaymentAnswer(200, found);
          const entry = STRIPE_STATUS_TABLE.resource_missing!;
          return { kind: 'FAILED', raw: { code: 'resource_missing', message: 'Stripe has no PaymentIntent for this transaction: it was never created', gatewayTxnId: null }, failure: 'VALIDATION_ERROR', unified: { code: 'TRANSACTION_NOT_FOUND', message: entry.unifiedMessage!, category: entry.category! } };
        }
        return outcomeOfPaymentAnswer(response.status, body);
      } catch (error) {
        return readTransportOutcome(error, null);
      }
    },

    capture: (account, id, amount, _currency, key) => modify(account, 'capture', id, { amount_to_capture: amount }, key),
    void: (account, id, key) => modify(account, 'cancel', id, {}, key),

    async refund(account, request): Promise<RefundOutcome> {
      try {
        const response = await call(account, 'refund', 'POST', '/v1/refunds', { payment_intent: request.gatewayTxnId, amount: request.amount, metadata: { refund_id: request.refundId, txn_id: request.txnId } }, request.idempotencyKey);
        return outcomeOfRefund(response.status, parseJson(response.text));
      } catch (error) {
        return refundTransportOutcome(error, request.gatewayTxnId);
      }
    },

    async parseWebhook(account, request) {
      const secret = account.credentials.webhook_secret;
      if (!secret) throw new ConnectorError('The Stripe account has no webhook_secret', GATEWAY, 'CONFIGURATION');
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
    { name: 'secret_key', label: 'Secret key', required: true, secret: true, pattern: /^(sk|rk)_(test|live)_[A-Za-z0-9]{10,}$/, patternReason: 'must be a Stripe secret or restricted key (sk_test_..., sk_live_..., rk_...)', description: 'Dashboard > Developers > API keys' },
    { name: 'webhook_secret', label: 'Webhook signing secret', required: true, secret: true, pattern: /^whsec_[A-Za-z0-9+/=]{10,}$/, patternReason: 'must be a webhook signing secret (whsec_...)', description: 'The signing secret of the webhook endpoint pointing at Junction' },
    { name: 'raw_card_data_enabled', label: 'Raw card data enabled', required: false, secret: false, pattern: /^(true|false)$/, patternReason: 'must be true or false', description: 'true only once Stripe has enabled raw card data APIs on the account; otherwise send Stripe PaymentMethod ids' },
  ],
  authentication: 'Authorization: Bearer <secret_key>; Stripe-Version pinned; Idempotency-Key on every POST',
  statusTable: STRIPE_STATUS_TABLE,
  proof: 'emulator checked against the official stripe package (its client drives the emulator; its webhook signer signs what our verifier accepts) and Stripe fixtures3.json shapes; conformance suite',
  docs: 'docs/connectors/stripe.md',
  create: (context) => createStripeConnector(context),
};
