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
import { ConnectorError, type AuthorizeOutcome, type CaptureOutcome, type Connector, type ConnectorAccount, type RefundOutcome } from '../../core/ports/connector.ts';
import type { ConnectorContext, ConnectorDefinition } from '../kit/definition.ts';
import { TransportError, type TransportResponse } from '../kit/transport.ts';
import { failedFromRow, modificationTransportOutcome, paymentTransportOutcome, readTransportOutcome, refundTransportOutcome } from '../kit/outcomes.ts';
import { unifiedError } from '../unified-errors.ts';
import { classifyRazorpayUnlisted, RAZORPAY_STATUS_TABLE } from './status-table.ts';
import {
  buildOrderBody,
  decisivePayment,
  errorOf,
  failed,
  failedFromError,
  isOrder,
  isPayment,
  itemsOf,
  outcomeOfCapture,
  outcomeOfPayment,
  outcomeOfRefund,
  parseJson,
  pendingAuthentication,
  pendingCollect,
  pendingIntent,
  planPayment,
  readCreated,
  receiptOf,
  refundIdempotencyKey,
  type Json,
  type RazorpayOrder,
  type RazorpayPayment,
  type RazorpaySettings,
} from './transformers.ts';
import { callbackSignatureValid, eventIdOf, parseRazorpayEvent, verifyRazorpaySignature } from './webhooks.ts';

const GATEWAY = 'RAZORPAY';

/** Reads may be retried on 5xx and 429; a POST is retried only when it carries an idempotency key (refunds). */
export function razorpayShouldRetry(response: TransportResponse): boolean {
  return response.status >= 500 || response.status === 429 || response.status === 409;
}

type Found<T> = { ok: true; value: T } | { ok: false; outcome: AuthorizeOutcome };

export function createRazorpayConnector(context: ConnectorContext): Connector {
  const baseUrl = (context.baseUrls.RAZORPAY ?? razorpayDefinition.defaultBaseUrl).replace(/\/$/, '');

  function keys(account: ConnectorAccount): { keyId: string; keySecret: string } {
    const keyId = account.credentials.key_id;
    const keySecret = account.credentials.key_secret;
    if (!keyId || !keySecret) throw new ConnectorError('The Razorpay account has no key_id or key_secret', GATEWAY, 'CONFIGURATION');
    return { keyId, keySecret };
  }

  function settings(account: ConnectorAccount): RazorpaySettings {
    return { rawCardDataEnabled: account.credentials.raw_card_data_enabled === 'true', refundSpeed: account.credentials.refund_speed === 'optimum' ? 'optimum' : 'normal' };
  }

  function call(account: ConnectorAccount, operation: string, method: 'GET' | 'POST', path: string, body: Json | null, idempotency?: { key: string; header: string }) {
    const { keyId, keySecret } = keys(account);
    return context.transport.request({
      gateway: GATEWAY, operation, method, url: `${baseUrl}${path}`,
      headers: { authorization: `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString('base64')}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      ...(idempotency ? { idempotencyKey: idempotency.key, idempotencyHeader: idempotency.header } : {}),
      retryOn: razorpayShouldRetry, accountId: account.accountId,
    });
  }

  async function fetchPayment(account: ConnectorAccount, id: string, operation: string): Promise<Found<RazorpayPayment>> {
    try {
      const response = await call(account, operation, 'GET', `/v1/payments/${encodeURIComponent(id)}`, null);
      const body = parseJson(response.text);
      if (response.status === 200 && isPayment(body)) return { ok: true, value: body };
      if (response.status >= 500 || response.status === 429 || body === undefined) return { ok: false, outcome: { kind: 'UNKNOWN', raw: { code: `HTTP_${response.status}`, message: 'Razorpay did not answer the payment', gatewayTxnId: id } } };
      // A refused read (wrong keys, unknown id) says nothing about the payment itself: it settles nothing.
      return { ok: false, outcome: { kind: 'UNKNOWN', raw: failedFromError(response.status, body, id).raw } };
    } catch (error) {
      return { ok: false, outcome: readTransportOutcome(error, id) };
    }
  }

  /** The order we created for this txn reference, if any (GET /v1/orders?receipt=). */
  async function findOrder(account: ConnectorAccount, txnId: string, operation: 'authorize' | 'syncStatus'): Promise<Found<RazorpayOrder | null>> {
    try {
      const response = await call(account, operation, 'GET', `/v1/orders?receipt=${encodeURIComponent(receiptOf(txnId))}&count=10`, null);
      const body = parseJson(response.text);
      const items = itemsOf(body);
      // Before any payment, a refusal (wrong keys) is a failure nothing was charged for; while syncing it tells nothing.
      if (operation === 'authorize' && response.status >= 400 && response.status < 500 && errorOf(body)) return { ok: false, outcome: failedFromError(response.status, body) };
      if (response.status !== 200 || !items) return { ok: false, outcome: { kind: 'UNKNOWN', raw: { code: `HTTP_${response.status}`, message: 'Razorpay did not list the orders', gatewayTxnId: null } } };
      const order = items.filter(isOrder).find((o) => o.receipt === receiptOf(txnId));
      return { ok: true, value: order ?? null };
    } catch (error) {
      // Before a payment: refused = nothing sent (another gateway may try); a timeout tells nothing.
      return { ok: false, outcome: operation === 'authorize' ? paymentTransportOutcome(error, null, RAZORPAY_STATUS_TABLE.CONNECTION_REFUSED!) : readTransportOutcome(error, null) };
    }
  }

  async function orderPayments(account: ConnectorAccount, orderId: string, operation: string): Promise<Found<RazorpayPayment[]>> {
    try {
      const response = await call(account, operation, 'GET', `/v1/orders/${encodeURIComponent(orderId)}/payments`, null);
      const items = itemsOf(parseJson(response.text));
      if (response.status !== 200 || !items) return { ok: false, outcome: { kind: 'UNKNOWN', raw: { code: `HTTP_${response.status}`, message: "Razorpay did not list the order's payments", gatewayTxnId: null } } };
      return { ok: true, value: items.filter(isPayment) };
    } catch (error) {
      return { ok: false, outcome: readTransportOutcome(error, null) };
    }
  }

  /** The state of the payment an order already has (a retried attempt), or null when it has none. */
  async function existingPayment(account: ConnectorAccount, orderId: string, operation: string): Promise<AuthorizeOutcome | null> {
    const payments = await orderPayments(account, orderId, operation);
    if (!payments.ok) return payments.outcome;
    const payment = decisivePayment(payments.value);
    return payment ? outcomeOfPayment(payment) : null;
  }

  async function createOrder(account: ConnectorAccount, body: Json): Promise<Found<RazorpayOrder>> {
    try {
      const response = await call(account, 'createOrder', 'POST', '/v1/orders', body);
      const answer = parseJson(response.text);
      if (response.status === 200 && isOrder(answer)) return { ok: true, value: answer };
      if (response.status < 500 && errorOf(answer)) return { ok: false, outcome: failedFromError(response.status, answer) };
      return { ok: false, outcome: failed('order_not_created', `Razorpay answered HTTP ${response.status} to the order: no payment was made`, null, answer) };
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      // An order alone charges nothing, and no payment was asked for: safe to try elsewhere.
      if (error.nothingSent) return { ok: false, outcome: paymentTransportOutcome(error, null, RAZORPAY_STATUS_TABLE.CONNECTION_REFUSED!) };
      return { ok: false, outcome: failed('order_not_created', `${error.message}: no payment was made`, null) };
    }
  }

  async function readOutcome(account: ConnectorAccount, id: string, operation: string): Promise<AuthorizeOutcome> {
    const found = await fetchPayment(account, id, operation);
    return found.ok ? outcomeOfPayment(found.value) : found.outcome;
  }

  return {
    name: GATEWAY,
    statusTable: RAZORPAY_STATUS_TABLE,
    classifyUnlisted: classifyRazorpayUnlisted,
    capabilities: { paymentMethodTypes: razorpayDefinition.capabilities.paymentMethodTypes, currencies: razorpayDefinition.capabilities.currencies },

    async authorize(account, request) {
      const plan = planPayment(request, settings(account));
      // Refused before any call (an unknown bank or wallet, raw cards not enabled, ...): a VALIDATION_ERROR FAILED outcome.
      if ('refused' in plan) return failedFromRow(plan.code, plan.refused, RAZORPAY_STATUS_TABLE[plan.code] ?? RAZORPAY_STATUS_TABLE.unsupported_payment_method!);

      // Razorpay has no idempotency key for orders or payments: the receipt (our txn reference) finds a previous try.
      const known = await findOrder(account, request.txnId, 'authorize');
      if (!known.ok) return known.outcome;
      let order = known.value;
      if (order) {
        const previous = await existingPayment(account, order.id, 'authorize');
        if (previous) return previous;
      } else {
        const created = await createOrder(account, buildOrderBody(request, settings(account)));
        if (!created.ok) return created.outcome;
        order = created.value;
      }

      let response: TransportResponse;
      try {
        response = await call(account, 'authorize', 'POST', plan.endpoint, { ...plan.body, order_id: order.id });
      } catch (error) {
        return paymentTransportOutcome(error, null, RAZORPAY_STATUS_TABLE.CONNECTION_REFUSED!);
      }
      const body = parseJson(response.text);
      if (response.status === 200) {
        const created = readCreated(body);
        if (!created) return { kind: 'UNKNOWN', raw: { code: 'HTTP_200', message: 'Razorpay answered something that is not a payment', gatewayTxnId: null } };
        if (created.kind === 'redirect') return pendingAuthentication(created.paymentId, created.url, body);
        if (created.kind === 'intent') return pendingIntent(created.paymentId, created.uri, body);
        if (plan.kind === 'upi_collect') return pendingCollect(created.paymentId, body);
        // Nothing left for the shopper to do (no `next`): the payment's own state is the answer.
        const read = await readOutcome(account, created.paymentId, 'authorize');
        return read.kind === 'UNKNOWN' ? { ...read, raw: { ...read.raw, gatewayTxnId: created.paymentId } } : read;
      }
      const error = errorOf(body);
      if (response.status >= 500 || response.status === 429) {
        // Razorpay answered, but did the payment exist before it failed? The order's payments say.
        if (!error) return { kind: 'UNKNOWN', raw: { code: `HTTP_${response.status}`, message: 'Razorpay answered a server error without a body: the outcome is unknown', gatewayTxnId: null } };
        const after = await existingPayment(account, order.id, 'authorize');
        if (after) return after;
        return failedFromError(response.status, body);
      }
      return failedFromError(response.status, body);
    },

    async completeAuthentication(account, paymentId, params) {
      const found = await fetchPayment(account, paymentId, 'completeAuthentication');
      if (!found.ok) return found.outcome;
      const payment = found.value;
      const signature = params.razorpay_signature;
      if (signature !== undefined) {
        // The order id is Razorpay's record of our payment, never the one the browser brought.
        const valid = payment.order_id !== null && params.razorpay_payment_id === payment.id && callbackSignatureValid(payment.order_id, payment.id, signature, keys(account).keySecret);
        if (!valid) {
          // A forged or garbled return settles nothing: the status sync or the webhook will.
          return { kind: 'UNKNOWN', raw: { code: 'callback_signature_mismatch', message: 'The razorpay_signature of the return does not match the payment and its order', gatewayTxnId: payment.id } };
        }
      }
      return outcomeOfPayment(payment);
    },

    async syncStatus(account, reference) {
      if (reference.startsWith('pay_')) return readOutcome(account, reference, 'syncStatus');
      // The create call got no answer: find the order by its receipt, then its payment.
      const order = await findOrder(account, reference, 'syncStatus');
      if (!order.ok) return order.outcome;
      const payment = order.value ? await existingPayment(account, order.value.id, 'syncStatus') : null;
      if (payment) return payment;
      return failed('payment_not_found', 'Razorpay has no payment for this transaction: it was never created', null);
    },

    async capture(account, id, amount, currency) {
      // Razorpay has no idempotency key for captures: a retry after a lost answer finds the payment
      // already captured for this amount, which is the success it missed.
      try {
        const response = await call(account, 'capture', 'POST', `/v1/payments/${encodeURIComponent(id)}/capture`, { amount, currency });
        const body = parseJson(response.text);
        const outcome = outcomeOfCapture(response.status, body, id);
        if (outcome.kind === 'SUCCESS' || response.status === 401) return outcome;
        const now = await fetchPayment(account, id, 'capture');
        if (now.ok && now.value.status === 'captured' && now.value.amount === amount && errorOf(body)?.description?.toLowerCase().includes('already')) {
          return { kind: 'SUCCESS', raw: { code: 'captured', message: 'Payment already captured for this amount', gatewayTxnId: id } };
        }
        if (response.status >= 500) return { kind: 'FAILURE', raw: outcome.raw, unified: unifiedError('TIMEOUT_UNKNOWN') };
        return outcome;
      } catch (error) {
        return modificationTransportOutcome(error, id);
      }
    },

    // Razorpay has no void API, and refunds only captured payments: an authorisation nobody captures
    // is released by Razorpay itself (refunded at the order's refund_speed) when its capture window
    // ends (7 200 minutes here). So a void sends nothing: it checks the payment can still be released,
    // answers PENDING, and the release arrives as refund.processed on the uncaptured payment (VOIDED),
    // or the status sync sees the payment `refunded` without a capture.
    async void(account, id) {
      const found = await fetchPayment(account, id, 'void');
      if (!found.ok) {
        // Razorpay refused the read (a listed code): that failure; no answer: unknown, try again.
        const refused = RAZORPAY_STATUS_TABLE[found.outcome.raw.code] !== undefined || found.outcome.raw.code.includes(':');
        return { kind: 'FAILURE', raw: found.outcome.raw, unified: refused ? failed(found.outcome.raw.code, null, id).unified : unifiedError('TIMEOUT_UNKNOWN') };
      }
      const payment = found.value;
      const raw = (code: string, message: string) => ({ code, message, gatewayTxnId: id });
      if (payment.status === 'authorized') {
        return { kind: 'PENDING', raw: raw('release_at_capture_expiry', 'Razorpay has no void: the authorisation is not captured and Razorpay releases it when its capture window ends') };
      }
      if (payment.status === 'refunded' && !payment.captured) return { kind: 'SUCCESS', raw: raw('refunded', 'The authorisation was already released') };
      return { kind: 'FAILURE', raw: raw('not_capturable', `A ${payment.status} payment cannot be voided`), unified: unifiedError('INVALID_STATE') } satisfies CaptureOutcome;
    },

    async refund(account, request): Promise<RefundOutcome> {
      try {
        const body = {
          amount: request.amount,
          speed: settings(account).refundSpeed,
          receipt: request.refundId.slice(0, 40),
          notes: { refund_id: request.refundId, txn_id: request.txnId.slice(0, 256) },
        };
        const response = await call(account, 'refund', 'POST', `/v1/payments/${encodeURIComponent(request.gatewayTxnId)}/refund`, body, { key: refundIdempotencyKey(request.idempotencyKey), header: 'X-Refund-Idempotency' });
        return outcomeOfRefund(response.status, parseJson(response.text), request.gatewayTxnId);
      } catch (error) {
        return refundTransportOutcome(error, request.gatewayTxnId);
      }
    },

    async parseWebhook(account, request) {
      const secret = account.credentials.webhook_secret;
      if (!secret) throw new ConnectorError('The Razorpay account has no webhook_secret', GATEWAY, 'CONFIGURATION');
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
    { name: 'key_id', label: 'Key id', required: true, secret: false, pattern: /^rzp_(test|live)_[A-Za-z0-9]{10,20}$/, patternReason: 'must be a Razorpay key id (rzp_test_... or rzp_live_...)', description: 'Dashboard > Account & Settings > API Keys; the user name of HTTP Basic' },
    { name: 'key_secret', label: 'Key secret', required: true, secret: true, pattern: /^[A-Za-z0-9]{16,64}$/, patternReason: 'must be the key secret shown once when the key was generated', description: 'Shown once with the key id; the password of HTTP Basic and the key of the checkout callback signature' },
    { name: 'webhook_secret', label: 'Webhook secret', required: true, secret: true, pattern: /^\S{8,}$/, patternReason: 'must be the secret entered for the webhook (8 characters or more, no spaces)', description: 'The secret of the webhook pointing at Junction (Dashboard > Account & Settings > Webhooks)' },
    { name: 'raw_card_data_enabled', label: 'S2S card payments enabled', required: false, secret: false, pattern: /^(true|false)$/, patternReason: 'must be true or false', description: 'true only once Razorpay has enabled S2S (raw card data) payments for the PCI-compliant account; otherwise cards are refused before any call' },
    { name: 'refund_speed', label: 'Refund speed', required: false, secret: false, pattern: /^(normal|optimum)$/, patternReason: 'must be normal or optimum', description: 'normal (5-7 working days, default) or optimum (instant where possible, for a fee): refunds and released authorisations' },
  ],
  authentication: 'HTTP Basic key_id:key_secret; X-Refund-Idempotency on refunds; webhooks: X-Razorpay-Signature (hex HMAC-SHA256 of the body with the webhook secret)',
  statusTable: RAZORPAY_STATUS_TABLE,
  proof: "emulator that validates every request against a JSON Schema written from Razorpay's API reference; the official razorpay package drives it and verifies its webhook and callback signatures; conformance suite",
  docs: 'docs/connectors/razorpay.md',
  create: (context) => createRazorpayConnector(context),
};
