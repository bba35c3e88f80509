// Adyen (Checkout API v71), on the connector kit. https://docs.adyen.com/api-explorer/Checkout/71
// - authorise: POST /payments; manual capture per payment (additionalData.manualCapture);
// - 3-D Secure: action.url (redirect), the shopper comes back to our return URL with
//   redirectResult, and POST /payments/details finishes it;
// - capture / cancel / refund: POST /payments/{pspReference}/captures | cancels | refunds answer
//   `received`: the result comes by webhook (CAPTURE, CANCELLATION, REFUND), never synchronously;
// - status: Adyen has no API to read a payment: webhooks settle what the first answer did not;
// - every POST carries Idempotency-Key (our per-attempt key, at most 64 characters).
import { createHash } from 'node:crypto';
import { GATEWAY_IDS } from '../../core/gateways.ts';
import { ConnectorError, type CaptureOutcome, type Connector, type ConnectorAccount, type RefundOutcome } from '../../core/ports/connector.ts';
import { eligibilityOf, type ConnectorContext, type ConnectorDefinition } from '../kit/definition.ts';
import type { TransportResponse } from '../kit/transport.ts';
import { failedFromRow, modificationTransportOutcome, paymentTransportOutcome, readTransportOutcome, refundTransportOutcome, parseJson } from '../kit/outcomes.ts';
import { ADYEN_STATUS_TABLE, adyenFailure } from './status-table.ts';
import { buildPaymentRequest, outcomeOfModification, outcomeOfPaymentAnswer, outcomeOfRefund, toAdyenAmount, type AdyenBody } from './transformers.ts';

/** A capture or refund Adyen cannot carry exactly (a fraction of a whole-unit currency): refused before any call. */
function unrepresentable(psp: string, currency: string): Extract<CaptureOutcome, { kind: 'FAILURE' }> & Extract<RefundOutcome, { kind: 'FAILURE' }> {
  const row = ADYEN_STATUS_TABLE.amount_not_representable!;
  const message = `Adyen counts ${currency} in whole units: the amount must have no fraction`;
  return { kind: 'FAILURE', raw: { code: 'amount_not_representable', message, gatewayTxnId: psp }, unified: { code: row.unifiedCode!, message, category: row.category! } };
}
import { parseAdyenItem, verifyAdyenNotification } from './webhooks.ts';

const GATEWAY = 'ADYEN';

/** Adyen: retry on 5xx and 429 (with the same Idempotency-Key); never on 4xx validation errors. */
export function adyenShouldRetry(response: TransportResponse): boolean {
  return response.status >= 500 || response.status === 429;
}

/**
 * Adyen's Idempotency-Key is at most 64 characters. A longer key is replaced by its digest, never
 * cut: two keys that share their first 64 characters would otherwise replay each other's answer.
 */
export function adyenIdempotencyKey(key: string): string {
  return key.length <= 64 ? key : `sha256_${createHash('sha256').update(key).digest('base64url')}`;
}

export function createAdyenConnector(context: ConnectorContext): Connector {
  const baseUrl = (context.baseUrls.ADYEN ?? adyenDefinition.defaultBaseUrl).replace(/\/$/, '');

  function credential(account: ConnectorAccount, name: 'api_key' | 'merchant_account' | 'hmac_key'): string {
    const value = account.credentials[name];
    if (!value) throw new ConnectorError(`The Adyen account has no ${name}`, GATEWAY, 'CONFIGURATION');
    return value;
  }

  function call(account: ConnectorAccount, operation: string, path: string, body: AdyenBody, key: string) {
    return context.transport.request({
      gateway: GATEWAY,
      operation,
      method: 'POST',
      url: `${baseUrl}${path}`,
      headers: { 'x-api-key': credential(account, 'api_key'), 'content-type': 'application/json' },
      body: JSON.stringify(body),
      idempotencyKey: adyenIdempotencyKey(key),
      idempotencyHeader: 'Idempotency-Key',
      retryOn: adyenShouldRetry,
      accountId: account.accountId,
    });
  }

  async function modify(account: ConnectorAccount, operation: 'captures' | 'cancels', psp: string, body: AdyenBody, key: string | undefined): Promise<CaptureOutcome> {
    try {
      const response = await call(
        account,
        operation === 'captures' ? 'capture' : 'void',
        `/payments/${encodeURIComponent(psp)}/${operation}`,
        { merchantAccount: credential(account, 'merchant_account'), ...body },
        key ?? `${operation}-${psp}`,
      );
      return outcomeOfModification(response.status, parseJson(response.text));
    } catch (error) {
      return modificationTransportOutcome(error, psp);
    }
  }

  return {
    name: GATEWAY,
    statusTable: ADYEN_STATUS_TABLE,
    // A refusal code the table does not list is a soft refusal that never counts against Adyen.
    classifyUnlisted: (rawCode) => (/^\d{1,2}$/.test(rawCode) ? adyenFailure(rawCode) : undefined),
    capabilities: eligibilityOf(adyenDefinition),

    async authorize(account, request) {
      const built = buildPaymentRequest(request, { merchantAccount: credential(account, 'merchant_account'), rawCardDataEnabled: account.credentials.raw_card_data_enabled === 'true' });
      if ('refused' in built) {
        const code = built.code ?? 'raw_card_data_not_enabled';
        return failedFromRow(code, built.refused, ADYEN_STATUS_TABLE[code]!);
      }
      try {
        const response = await call(account, 'authorize', '/payments', built.body, request.idempotencyKey);
        return outcomeOfPaymentAnswer(response.status, parseJson(response.text), request.captureMode);
      } catch (error) {
        return paymentTransportOutcome(error, null, ADYEN_STATUS_TABLE.CONNECTION_REFUSED!);
      }
    },

    async completeAuthentication(account, gatewayTxnId, params) {
      // What the shopper's browser brought back (redirectResult, or the older MD/PaRes pair).
      const details: Record<string, string> = {};
      for (const name of ['redirectResult', 'threeDSResult', 'MD', 'PaRes', 'payload']) if (params[name]) details[name] = params[name]!;
      if (Object.keys(details).length === 0) {
        return { kind: 'UNKNOWN', raw: { code: 'NO_DETAILS', message: 'The shopper came back without redirectResult: the webhook will settle the payment', gatewayTxnId } };
      }
      try {
        const response = await call(account, 'completeAuthentication', '/payments/details', { details }, `details-${gatewayTxnId}-${details.redirectResult ?? details.MD ?? ''}`);
        return outcomeOfPaymentAnswer(response.status, parseJson(response.text), 'UNKNOWN');
      } catch (error) {
        return readTransportOutcome(error, gatewayTxnId);
      }
    },

    async syncStatus(_account, reference) {
      return { kind: 'UNKNOWN', raw: { code: 'NO_STATUS_API', message: 'Adyen has no API to read a payment: its webhook settles it', gatewayTxnId: reference.startsWith('txn') ? null : reference } };
    },

    capture: (account, psp, amount, currency, key) => {
      const adyenAmount = toAdyenAmount(amount, currency);
      if (!adyenAmount) return Promise.resolve(unrepresentable(psp, currency));
      return modify(account, 'captures', psp, { amount: adyenAmount }, key);
    },
    void: (account, psp, key) => modify(account, 'cancels', psp, {}, key),

    async refund(account, request): Promise<RefundOutcome> {
      const amount = toAdyenAmount(request.amount, request.currency);
      if (!amount) return unrepresentable(request.gatewayTxnId, request.currency);
      try {
        const response = await call(
          account,
          'refund',
          `/payments/${encodeURIComponent(request.gatewayTxnId)}/refunds`,
          {
            merchantAccount: credential(account, 'merchant_account'),
            amount,
            reference: request.refundId,
          },
          request.idempotencyKey,
        );
        return outcomeOfRefund(response.status, parseJson(response.text));
      } catch (error) {
        return refundTransportOutcome(error, request.gatewayTxnId);
      }
    },

    async parseWebhook(account, request) {
      const items = verifyAdyenNotification(request, credential(account, 'hmac_key'));
      return parseAdyenItem(items[0]!);
    },
  };
}

export const adyenDefinition: ConnectorDefinition = {
  gateway: 'ADYEN',
  gatewayId: GATEWAY_IDS.ADYEN,
  displayName: 'Adyen',
  defaultBaseUrl: 'https://checkout-test.adyen.com/v71',
  capabilities: {
    paymentMethodTypes: ['CARD'],
    cardBrands: ['VISA', 'MASTERCARD', 'AMEX', 'MAESTRO', 'DISCOVER', 'DINERS', 'JCB', 'UNIONPAY'],
    currencies: 'ANY',
    countries: 'ANY',
    captureModes: ['AUTO', 'MANUAL'],
    partialCapture: true,
    threeDSecure: true,
    refunds: true,
    partialRefunds: true,
    sync: false,
    webhooks: true,
    asynchronousModifications: true,
  },
  credentials: [
    {
      name: 'api_key',
      label: 'API key',
      required: true,
      secret: true,
      pattern: /^[A-Za-z0-9+/=_-]{20,}$/,
      patternReason: 'must be an Adyen API key (Customer Area > Developers > API credentials)',
      description: 'Sent as X-API-Key',
    },
    {
      name: 'merchant_account',
      label: 'Merchant account',
      required: true,
      secret: false,
      pattern: /^[A-Za-z0-9_.-]{2,80}$/,
      patternReason: 'must be the merchant account code',
      description: 'The merchant account code payments are made for',
    },
    {
      name: 'hmac_key',
      label: 'Webhook HMAC key',
      required: true,
      secret: true,
      pattern: /^[0-9A-Fa-f]{32,128}$/,
      patternReason: 'must be the hexadecimal HMAC key of the webhook',
      description: 'Customer Area > Developers > Webhooks > HMAC key',
    },
    {
      name: 'raw_card_data_enabled',
      label: 'Raw card data enabled',
      required: false,
      secret: false,
      pattern: /^(true|false)$/,
      patternReason: 'must be true or false',
      description: "true only once Adyen has enabled raw card data on the account; otherwise send Adyen's encrypted card fields",
    },
  ],
  authentication: 'X-API-Key: <api_key>; Idempotency-Key on every POST; webhooks: HMAC-SHA256 in additionalData.hmacSignature',
  statusTable: ADYEN_STATUS_TABLE,
  proof:
    "emulator that validates every request and answer against Adyen's published Checkout v71 OpenAPI document; @adyen/api-library (the official client) drives it and its HmacValidator signs what our verifier accepts; conformance suite",
  docs: 'docs/connectors/adyen.md',
  create: (context) => createAdyenConnector(context),
};
