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
import { createHash } from 'node:crypto';
import { GATEWAY_IDS } from '../../core/gateways.ts';
import { ConnectorError, type AuthorizeOutcome, type CaptureOutcome, type Connector, type ConnectorAccount, type IncomingWebhook, type RefundOutcome } from '../../core/ports/connector.ts';
import type { ConnectorContext, ConnectorDefinition } from '../kit/definition.ts';
import { TransportError, type TransportResponse } from '../kit/transport.ts';
import { failedFromRow, paymentTransportOutcome, readTransportOutcome } from '../kit/outcomes.ts';
import { unifiedError } from '../unified-errors.ts';
import { PAYPAL_STATUS_TABLE, paypalFailure } from './status-table.ts';
import {
  buildCaptureRequest, buildOrderRequest, buildRefundRequest, declined, isOrder, linkOf, minorFromPayPal, outcomeOfModification, outcomeOfOrder,
  outcomeOfOrderAnswer, outcomeOfRefundAnswer, parseJson, paymentsOf, threeDsDecision, type PayPalBody, type PayPalOrder,
} from './transformers.ts';
import { parseEventBody, parsePayPalEvent, verifyRequestBody } from './webhooks.ts';

const GATEWAY = 'PAYPAL';

/** The currencies PayPal takes for payments (https://developer.paypal.com/reference/currency-codes/); BRL, CNY, INR and MYR for in-country accounts only. */
export const PAYPAL_CURRENCIES = ['AUD', 'BRL', 'CAD', 'CNY', 'CZK', 'DKK', 'EUR', 'HKD', 'HUF', 'INR', 'ILS', 'JPY', 'MYR', 'MXN', 'TWD', 'NZD', 'NOK', 'PHP', 'PLN', 'GBP', 'SGD', 'SEK', 'CHF', 'THB', 'USD'] as const;

/** Retry 5xx and 429 with the same PayPal-Request-Id; never another 4xx. */
export function paypalShouldRetry(response: TransportResponse): boolean {
  return response.status >= 500 || response.status === 429;
}

/** A PayPal order id (uppercase letters and digits, as related_ids.order_id is documented); our txn ids never look like one. */
export const isPayPalId = (value: string): boolean => /^[A-Z0-9]{10,20}$/.test(value);

/** The OAuth2 token could not be had: nothing else was sent. */
export class PayPalAuthError extends Error {
  constructor(
    readonly code: 'invalid_client' | 'oauth_token_unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'PayPalAuthError';
  }
}

export interface PayPalConnectorOptions {
  /** Milliseconds since the epoch (token expiry); Date.now by default. */
  clock?: () => number;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** PayPal-Request-Id takes at most 108 characters: a longer key is hashed (still one key per operation). */
export function requestId(key: string): string {
  return key.length <= 108 ? key : createHash('sha256').update(key).digest('hex');
}

export function createPayPalConnector(context: ConnectorContext, options: PayPalConnectorOptions = {}): Connector {
  const baseUrl = (context.baseUrls.PAYPAL ?? paypalDefinition.defaultBaseUrl).replace(/\/$/, '');
  const clock = options.clock ?? Date.now;
  const tokens = new Map<string, CachedToken>();
  const pending = new Map<string, Promise<CachedToken>>();

  function clientCredentials(account: ConnectorAccount): { id: string; secret: string } {
    const id = account.credentials.client_id;
    const secret = account.credentials.client_secret;
    if (!id || !secret) throw new ConnectorError('The PayPal account needs client_id and client_secret', GATEWAY, 'CONFIGURATION');
    return { id, secret };
  }

  /** One cache entry per account and credential pair (a rotated secret gets its own token). */
  function cacheKey(account: ConnectorAccount): string {
    const { id, secret } = clientCredentials(account);
    return `${account.accountId}\u0000${id}\u0000${createHash('sha256').update(secret).digest('hex')}`;
  }

  async function fetchToken(account: ConnectorAccount): Promise<CachedToken> {
    const { id, secret } = clientCredentials(account);
    let response: TransportResponse;
    try {
      response = await context.transport.request({
        gateway: GATEWAY, operation: 'oauth2Token', method: 'POST', url: `${baseUrl}/v1/oauth2/token`,
        headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: 'grant_type=client_credentials', accountId: account.accountId,
      });
    } catch (error) {
      // Refused: nothing reached PayPal (the payment call's own outcome says GATEWAY_DOWN). Otherwise no token: nothing was paid either.
      if (error instanceof TransportError && error.nothingSent) throw error;
      if (error instanceof TransportError) throw new PayPalAuthError('oauth_token_unavailable', `No OAuth2 token from PayPal (${error.kind}): nothing else was sent`);
      throw error;
    }
    const body = parseJson(response.text) as { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } | undefined;
    if (response.status === 200 && typeof body?.access_token === 'string' && typeof body.expires_in === 'number' && body.expires_in > 0) {
      const lifetimeMs = body.expires_in * 1000;
      // Refresh shortly before PayPal's expiry: a minute early, or a tenth of a short lifetime.
      return { token: body.access_token, expiresAt: clock() + lifetimeMs - Math.min(60_000, lifetimeMs / 10) };
    }
    if (response.status === 401 || body?.error === 'invalid_client') throw new PayPalAuthError('invalid_client', `PayPal refused the client id and secret (${typeof body?.error_description === 'string' ? body.error_description : `HTTP ${response.status}`})`);
    throw new PayPalAuthError('oauth_token_unavailable', `PayPal answered the token request with HTTP ${response.status}: nothing else was sent`);
  }

  async function accessToken(account: ConnectorAccount, fresh = false): Promise<string> {
    const key = cacheKey(account);
    const cached = tokens.get(key);
    if (cached && !fresh && clock() < cached.expiresAt) return cached.token;
    let inFlight = pending.get(key);
    if (!inFlight) {
      inFlight = fetchToken(account).finally(() => pending.delete(key));
      pending.set(key, inFlight);
    }
    const token = await inFlight;
    tokens.set(key, token);
    return token.token;
  }

  /** One API call with the account's token; a 401 (token expired or revoked at PayPal) fetches a new one and tries once more. */
  async function call(account: ConnectorAccount, operation: string, method: 'GET' | 'POST', path: string, body: PayPalBody | string | null, key?: string): Promise<TransportResponse> {
    const text = body === null ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const send = async (token: string) => context.transport.request({
      gateway: GATEWAY, operation, method, url: `${baseUrl}${path}`,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(method === 'POST' ? { 'content-type': 'application/json', prefer: 'return=representation' } : {}) },
      ...(text !== undefined ? { body: text } : {}),
      ...(key ? { idempotencyKey: requestId(key), idempotencyHeader: 'PayPal-Request-Id' } : {}),
      retryOn: paypalShouldRetry, accountId: account.accountId,
    });
    const response = await send(await accessToken(account));
    if (response.status !== 401) return response;
    tokens.delete(cacheKey(account));
    return send(await accessToken(account, true));
  }

  const authFailure = (error: PayPalAuthError) => failedFromRow(error.code, error.message, PAYPAL_STATUS_TABLE[error.code]!);

  async function readOrder(account: ConnectorAccount, orderId: string, operation: string): Promise<{ order: PayPalOrder } | { status: number; body: unknown }> {
    const response = await call(account, operation, 'GET', `/v2/checkout/orders/${encodeURIComponent(orderId)}`, null);
    const body = parseJson(response.text);
    return response.status === 200 && isOrder(body) ? { order: body } : { status: response.status, body };
  }

  /**
   * Completes an APPROVED order (capture or authorize, by its intent) once 3-D Secure allows it.
   * `returned`: the payer came back to our return URL, so an order still waiting for them was
   * abandoned or cancelled; otherwise (sync, webhook) it is still pending.
   */
  async function finish(account: ConnectorAccount, order: PayPalOrder, returned: boolean): Promise<AuthorizeOutcome> {
    if (order.status === 'APPROVED') {
      const decision = threeDsDecision(order);
      if (decision !== 'CONTINUE') return declined(decision, PAYPAL_STATUS_TABLE[decision]!.message, order.id, order);
      const action = order.intent === 'AUTHORIZE' ? 'authorize' : 'capture';
      try {
        const response = await call(account, `complete:${action}`, 'POST', `/v2/checkout/orders/${encodeURIComponent(order.id)}/${action}`, {}, `complete-${order.id}`);
        return outcomeOfOrderAnswer(response.status, parseJson(response.text), order.id);
      } catch (error) {
        if (error instanceof PayPalAuthError) return { ...authFailure(error), raw: { code: error.code, message: error.message, gatewayTxnId: order.id } };
        return paymentTransportOutcome(error, order.id, PAYPAL_STATUS_TABLE.CONNECTION_REFUSED!);
      }
    }
    if (returned && (order.status === 'CREATED' || order.status === 'PAYER_ACTION_REQUIRED')) {
      return declined('APPROVAL_NOT_COMPLETED', 'The payer came back from PayPal without approving the payment (cancelled or abandoned)', order.id, order);
    }
    return outcomeOfOrder(order);
  }

  async function sync(account: ConnectorAccount, orderId: string, returned: boolean, operation: string): Promise<AuthorizeOutcome> {
    try {
      const read = await readOrder(account, orderId, operation);
      if ('order' in read) return finish(account, read.order, returned);
      return outcomeOfOrderAnswer(read.status, read.body, orderId);
    } catch (error) {
      if (error instanceof PayPalAuthError) return { kind: 'UNKNOWN', raw: { code: error.code, message: error.message, gatewayTxnId: orderId } };
      return readTransportOutcome(error, orderId);
    }
  }

  /**
   * The create call got no answer, so we have no order id. Orders v2 has no search by reference; the
   * account's webhook event log does carry our txn id (custom_id / invoice_id / reference_id) on every
   * order, authorization and capture event, with the order id beside it. Not found: UNKNOWN (the
   * events may not be there yet; a wallet order nobody approved has none and expires at PayPal).
   */
  async function findByReference(account: ConnectorAccount, reference: string): Promise<AuthorizeOutcome> {
    const since = new Date(clock() - 3 * 24 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    let path: string | null = `/v1/notifications/webhooks-events?page_size=100&start_time=${encodeURIComponent(since)}`;
    try {
      for (let page = 0; path && page < 5; page++) {
        const response = await call(account, 'syncStatus:events', 'GET', path, null);
        const body = parseJson(response.text) as { events?: Array<{ resource_type?: string; resource?: Record<string, unknown> }>; links?: Array<{ href: string; rel: string }> } | undefined;
        // The lookup itself failed: that says nothing about the payment.
        if (response.status !== 200 || !Array.isArray(body?.events)) return { kind: 'UNKNOWN', raw: { code: `EVENTS_HTTP_${response.status}`, message: 'PayPal\'s event log could not be read: the payment is still unknown', gatewayTxnId: null } };
        for (const event of body.events) {
          const orderId = orderIdCarrying(event.resource, reference);
          if (orderId) return sync(account, orderId, false, 'syncStatus');
        }
        const next = linkOf(body.links, 'next');
        // Only the path and query of PayPal's link: never another host.
        path = next ? (() => { const url = new URL(next, baseUrl); return `${url.pathname}${url.search}`; })() : null;
      }
    } catch (error) {
      if (error instanceof PayPalAuthError) return { kind: 'UNKNOWN', raw: { code: error.code, message: error.message, gatewayTxnId: null } };
      return readTransportOutcome(error, null);
    }
    return { kind: 'UNKNOWN', raw: { code: 'ORDER_NOT_FOUND_BY_REFERENCE', message: 'PayPal has no event naming this txn id yet (Orders v2 has no search by reference): the order is not known here', gatewayTxnId: null } };
  }

  /** The authorization of the order (captures and voids act on it), or why not. */
  async function authorizationOf(account: ConnectorAccount, orderId: string, operation: string): Promise<{ order: PayPalOrder; authorizationId: string; authorized: { value: string; currency: string } | null } | CaptureOutcome> {
    try {
      const read = await readOrder(account, orderId, operation);
      if (!('order' in read)) {
        const outcome = outcomeOfOrderAnswer(read.status, read.body, orderId);
        return { kind: 'FAILURE', raw: outcome.raw, unified: outcome.kind === 'FAILED' ? outcome.unified : unifiedError('GATEWAY_TECHNICAL_ERROR') };
      }
      const { authorization } = paymentsOf(read.order);
      if (!authorization) {
        const row = PAYPAL_STATUS_TABLE.nothing_to_capture!;
        return { kind: 'FAILURE', raw: { code: 'nothing_to_capture', message: `Order ${orderId} has no authorization (it was ${read.order.intent === 'CAPTURE' ? 'captured at once' : `left ${read.order.status}`})`, gatewayTxnId: orderId }, unified: { code: row.unifiedCode!, message: row.unifiedMessage!, category: row.category! } };
      }
      return { order: read.order, authorizationId: authorization.id, authorized: authorization.amount ? { value: authorization.amount.value, currency: authorization.amount.currency_code } : null };
    } catch (error) {
      return readFailure(error, orderId);
    }
  }

  /** A read before a capture, void or refund failed: nothing was asked of PayPal yet. */
  function readFailure(error: unknown, orderId: string): CaptureOutcome {
    if (error instanceof PayPalAuthError) return { kind: 'FAILURE', raw: { code: error.code, message: error.message, gatewayTxnId: orderId }, unified: unifiedError('GATEWAY_TECHNICAL_ERROR') };
    if (!(error instanceof TransportError)) throw error;
    return { kind: 'FAILURE', raw: { code: error.nothingSent ? 'CONNECTION_REFUSED' : error.kind, message: `The order could not be read (${error.message}): nothing was changed at PayPal`, gatewayTxnId: orderId }, unified: unifiedError(error.nothingSent ? 'GATEWAY_DOWN' : 'GATEWAY_TECHNICAL_ERROR') };
  }

  function modificationFailure(error: unknown, orderId: string): CaptureOutcome {
    if (error instanceof PayPalAuthError) return readFailure(error, orderId);
    if (!(error instanceof TransportError)) throw error;
    return { kind: 'FAILURE', raw: { code: error.kind, message: error.message, gatewayTxnId: orderId }, unified: unifiedError(error.nothingSent ? 'GATEWAY_DOWN' : 'TIMEOUT_UNKNOWN') };
  }

  const failure = (code: string, message: string, orderId: string): CaptureOutcome => {
    const row = PAYPAL_STATUS_TABLE[code]!;
    return { kind: 'FAILURE', raw: { code, message, gatewayTxnId: orderId }, unified: { code: row.unifiedCode!, message: row.unifiedMessage!, category: row.category! } };
  };

  return {
    name: GATEWAY,
    statusTable: PAYPAL_STATUS_TABLE,
    // Codes of PayPal's shapes (processor codes, UPPER_SNAKE issues) the table does not list take its rule.
    classifyUnlisted: (rawCode) => (/^[A-Z0-9_]+$/.test(rawCode) ? paypalFailure(rawCode) : undefined),
    capabilities: { paymentMethodTypes: paypalDefinition.capabilities.paymentMethodTypes, currencies: paypalDefinition.capabilities.currencies },

    async authorize(account, request) {
      const built = buildOrderRequest(request, { rawCardDataEnabled: account.credentials.raw_card_data_enabled === 'true' });
      if ('refused' in built) return failedFromRow(built.refused, built.message, PAYPAL_STATUS_TABLE[built.refused]!);
      try {
        const response = await call(account, 'authorize', 'POST', '/v2/checkout/orders', built.body, request.idempotencyKey);
        return outcomeOfOrderAnswer(response.status, parseJson(response.text));
      } catch (error) {
        if (error instanceof PayPalAuthError) return authFailure(error);
        return paymentTransportOutcome(error, null, PAYPAL_STATUS_TABLE.CONNECTION_REFUSED!);
      }
    },

    // The payer is back (token = the order id, PayerID for the wallet). We trust our own order id, not the browser's.
    completeAuthentication: (account, orderId) => sync(account, orderId, true, 'completeAuthentication'),

    syncStatus: (account, reference) => (isPayPalId(reference) ? sync(account, reference, false, 'syncStatus') : findByReference(account, reference)),

    async capture(account, orderId, amount, currency, key) {
      const found = await authorizationOf(account, orderId, 'capture');
      if ('kind' in found) return found;
      const authorizedMinor = found.authorized ? minorFromPayPal(found.authorized.value, found.authorized.currency) : null;
      // PayPal may allow a capture above the authorization (up to 115%); we never ask for one.
      if (authorizedMinor !== null && amount > authorizedMinor) return failure('capture_exceeds_authorization', `The capture (${amount}) exceeds the authorized amount (${authorizedMinor}, minor units)`, orderId);
      const body = buildCaptureRequest(amount, currency);
      if (!body) return failure('amount_not_representable', `${currency} amount ${amount} (minor units) cannot be sent to PayPal`, orderId);
      try {
        const response = await call(account, 'capture', 'POST', `/v2/payments/authorizations/${encodeURIComponent(found.authorizationId)}/capture`, body, key ?? `capture-${found.authorizationId}`);
        return outcomeOfModification('capture', response.status, parseJson(response.text), orderId);
      } catch (error) {
        return modificationFailure(error, orderId);
      }
    },

    async void(account, orderId, key) {
      const found = await authorizationOf(account, orderId, 'void');
      if ('kind' in found) return found;
      try {
        // The 2024-02 document lists no PayPal-Request-Id for void; PayPal's current reference does, and a repeated void is harmless.
        const response = await call(account, 'void', 'POST', `/v2/payments/authorizations/${encodeURIComponent(found.authorizationId)}/void`, null, key ?? `void-${found.authorizationId}`);
        const body = parseJson(response.text);
        const outcome = outcomeOfModification('void', response.status, body, orderId);
        // Already voided (a retry whose first answer was lost): the hold is released, which is what was asked.
        if (outcome.kind === 'FAILURE' && outcome.raw.code === 'PREVIOUSLY_VOIDED') return { kind: 'SUCCESS', raw: outcome.raw };
        return outcome;
      } catch (error) {
        return modificationFailure(error, orderId);
      }
    },

    async refund(account, request): Promise<RefundOutcome> {
      const orderId = request.gatewayTxnId;
      let order: PayPalOrder;
      try {
        const read = await readOrder(account, orderId, 'refund');
        if (!('order' in read)) {
          const outcome = outcomeOfOrderAnswer(read.status, read.body, orderId);
          return { kind: 'FAILURE', raw: outcome.raw, unified: outcome.kind === 'FAILED' ? outcome.unified : unifiedError('GATEWAY_TECHNICAL_ERROR') };
        }
        order = read.order;
      } catch (error) {
        const outcome = readFailure(error, orderId);
        return { kind: 'FAILURE', raw: outcome.raw, unified: outcome.kind === 'FAILURE' ? outcome.unified : unifiedError('GATEWAY_TECHNICAL_ERROR') };
      }
      // We capture once (final_capture): refund that capture, and let PayPal judge the amount left (and replay a repeated key).
      const { captures } = paymentsOf(order);
      const capture = captures.find((c) => c.status === 'COMPLETED' || c.status === 'PARTIALLY_REFUNDED') ?? captures.find((c) => c.status === 'REFUNDED');
      if (!capture) {
        const row = PAYPAL_STATUS_TABLE.nothing_to_refund!;
        return { kind: 'FAILURE', raw: { code: 'nothing_to_refund', message: `Order ${orderId} has no completed capture to refund`, gatewayTxnId: orderId }, unified: { code: row.unifiedCode!, message: row.unifiedMessage!, category: row.category! } };
      }
      const body = buildRefundRequest(request.amount, request.currency, request.refundId);
      if (!body) {
        const row = PAYPAL_STATUS_TABLE.amount_not_representable!;
        return { kind: 'FAILURE', raw: { code: 'amount_not_representable', message: `${request.currency} amount ${request.amount} (minor units) cannot be sent to PayPal`, gatewayTxnId: orderId }, unified: { code: row.unifiedCode!, message: row.unifiedMessage!, category: row.category! } };
      }
      try {
        const response = await call(account, 'refund', 'POST', `/v2/payments/captures/${encodeURIComponent(capture.id)}/refund`, body, request.idempotencyKey);
        return outcomeOfRefundAnswer(response.status, parseJson(response.text), orderId);
      } catch (error) {
        if (error instanceof PayPalAuthError) return { kind: 'FAILURE', raw: { code: error.code, message: error.message, gatewayTxnId: orderId }, unified: unifiedError('GATEWAY_TECHNICAL_ERROR') };
        if (!(error instanceof TransportError)) throw error;
        if (error.nothingSent) return { kind: 'FAILURE', raw: { code: 'CONNECTION_REFUSED', message: error.message, gatewayTxnId: orderId }, unified: unifiedError('GATEWAY_DOWN') };
        return { kind: 'PENDING', raw: { code: error.kind, message: error.message, gatewayTxnId: orderId } };
      }
    },

    async parseWebhook(account, request): Promise<IncomingWebhook> {
      const webhookId = account.credentials.webhook_id;
      if (!webhookId) throw new ConnectorError('The PayPal account has no webhook_id', GATEWAY, 'CONFIGURATION');
      const verifyBody = verifyRequestBody(request, webhookId);
      let response: TransportResponse;
      try {
        response = await call(account, 'verifyWebhookSignature', 'POST', '/v1/notifications/verify-webhook-signature', verifyBody);
      } catch (error) {
        if (error instanceof PayPalAuthError && error.code === 'invalid_client') throw new ConnectorError(`The webhook cannot be verified: ${error.message}`, GATEWAY, 'CONFIGURATION');
        throw error; // PayPal unreachable: not verified, answered 5xx, PayPal delivers it again
      }
      const verdict = (parseJson(response.text) as { verification_status?: unknown } | undefined)?.verification_status;
      if (response.status === 200 && verdict !== 'SUCCESS') throw new ConnectorError(`PayPal says the webhook signature does not verify (${String(verdict)})`, GATEWAY, 'SIGNATURE');
      if (response.status === 400 || response.status === 422) throw new ConnectorError(`PayPal refused to verify the webhook (HTTP ${response.status}): its transmission headers or our webhook id are not valid`, GATEWAY, 'SIGNATURE');
      if (response.status === 401 || response.status === 403) throw new ConnectorError(`PayPal refused the verification call (HTTP ${response.status})`, GATEWAY, 'CONFIGURATION');
      if (response.status !== 200) throw new Error(`PayPal could not verify the webhook now (HTTP ${response.status})`);
      const parsed = parsePayPalEvent(parseEventBody(request.rawBody));
      if (parsed.kind !== 'APPROVED') return parsed;
      // The payer approved but may never come back to us: complete the order now (same PayPal-Request-Id as the return URL would use).
      return { kind: 'PAYMENT', gatewayTxnId: parsed.orderId, outcome: await sync(account, parsed.orderId, false, 'webhook:approved'), eventId: parsed.eventId };
    },
  };
}

/** The order id an event's resource carries when it names our txn id, or null. */
function orderIdCarrying(resource: Record<string, unknown> | undefined, reference: string): string | null {
  if (!resource) return null;
  const units = (resource.purchase_units as Array<{ reference_id?: string; custom_id?: string; invoice_id?: string }> | undefined) ?? [];
  const names = [resource.custom_id, resource.invoice_id, ...units.flatMap((u) => [u.reference_id, u.custom_id, u.invoice_id])];
  if (!names.includes(reference.slice(0, 127))) return null;
  const related = (resource.supplementary_data as { related_ids?: { order_id?: string } } | undefined)?.related_ids?.order_id;
  if (related) return related;
  return units.length && typeof resource.id === 'string' ? resource.id : null;
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
    { name: 'client_id', label: 'Client ID', required: true, secret: false, pattern: /^[A-Za-z0-9_-]{16,128}$/, patternReason: 'must be the REST app\'s client ID (letters, digits, - and _)', description: 'Developer Dashboard > Apps & Credentials > your REST app: Client ID' },
    { name: 'client_secret', label: 'Client secret', required: true, secret: true, pattern: /^[A-Za-z0-9_-]{16,128}$/, patternReason: 'must be the REST app\'s secret (letters, digits, - and _)', description: 'Developer Dashboard > Apps & Credentials > your REST app: Secret (sandbox and live apps differ)' },
    { name: 'webhook_id', label: 'Webhook ID', required: true, secret: false, pattern: /^[A-Za-z0-9]{1,50}$/, patternReason: 'must be the ID PayPal gave the webhook (letters and digits, at most 50)', description: 'The ID of the webhook (your REST app > Webhooks) that calls Junction; PayPal verifies deliveries against it' },
    { name: 'raw_card_data_enabled', label: 'Full card details enabled', required: false, secret: false, pattern: /^(true|false)$/, patternReason: 'must be true or false', description: 'true only for PCI DSS SAQ D merchants PayPal has enabled for advanced card processing (payment_source.card); otherwise cards are refused before anything is sent' },
  ],
  authentication: 'OAuth2 client credentials: POST /v1/oauth2/token with Basic client_id:client_secret, then Authorization: Bearer <access token> (cached until shortly before expires_in, refreshed once on a 401); PayPal-Request-Id on every POST; webhooks verified by POST /v1/notifications/verify-webhook-signature',
  statusTable: PAYPAL_STATUS_TABLE,
  proof: "emulator that validates every request and answer against PayPal's published OpenAPI documents (Orders v2.13, Payments v2.5, Webhooks v1.11); the documents' examples as golden fixtures; PayPal's webhook signature scheme checked independently; conformance suite",
  docs: 'docs/connectors/paypal.md',
  create: (context) => createPayPalConnector(context),
};
