// Razorpay's wire format, both ways, without I/O (https://razorpay.com/docs/api/). JSON bodies,
// amounts in the currency's smallest sub-unit (paise for INR), HTTP Basic key_id:key_secret.
// - an Order first (POST /v1/orders: amount, currency, receipt = our txn reference, notes, and the
//   `payment` capture settings), then the S2S payment on it: POST /v1/payments/create/json for
//   cards, netbanking and wallets, POST /v1/payments/create/upi for UPI collect and intent;
// - answers: `{razorpay_payment_id, next: [{action, url}]}` (a `redirect` or `authenticate` action
//   sends the shopper to the bank page; no `next` means nothing is left to do: read the payment),
//   `{razorpay_payment_id, link}` for UPI intent, the payment entity (GET /v1/payments/{id},
//   captures), the refund entity, and `{error: {code, description, source, step, reason, metadata}}`.
// Shapes follow the official `razorpay` package's types (dist/types/*.d.ts) and the S2S guides
// (https://razorpay.com/docs/payments/payment-gateway/s2s-integration/json/v2/).
import { exponentOf } from '../../core/currencies.ts';
import { sha256Hex } from '../../core/crypto.ts';
import type { AuthorizeOutcome, AuthorizeRequest, CaptureOutcome, RawGatewayResponse, RefundOutcome } from '../../core/ports/connector.ts';
import { razorpayFailure, razorpayRawCode } from './status-table.ts';

export type Json = Record<string, unknown>;

/** The payment entity (`Payments.RazorpayPayment` of the official package), the fields we read. */
export interface RazorpayPayment {
  id: string;
  entity: 'payment';
  amount: number;
  currency: string;
  status: 'created' | 'authorized' | 'captured' | 'refunded' | 'failed';
  order_id: string | null;
  method: string;
  captured: boolean;
  amount_refunded?: number;
  refund_status?: string | null;
  bank?: string | null;
  wallet?: string | null;
  vpa?: string | null;
  notes?: Json | unknown[];
  error_code?: string | null;
  error_description?: string | null;
  error_source?: string | null;
  error_step?: string | null;
  error_reason?: string | null;
  acquirer_data?: { rrn?: string | null; auth_code?: string | null; bank_transaction_id?: string | null; upi_transaction_id?: string | null; arn?: string | null } | null;
  created_at: number;
}

export interface RazorpayOrder {
  id: string;
  entity: 'order';
  amount: number;
  amount_paid: number;
  amount_due: number;
  currency: string;
  receipt: string | null;
  status: 'created' | 'attempted' | 'paid';
  attempts: number;
  notes: Json | unknown[];
  created_at: number;
}

export interface RazorpayRefund {
  id: string;
  entity: 'refund';
  amount: number;
  currency: string;
  payment_id: string;
  notes?: Json | unknown[];
  receipt?: string | null;
  acquirer_data?: { arn?: string | null } | null;
  status: 'pending' | 'processed' | 'failed';
  speed_requested?: 'normal' | 'optimum';
  speed_processed?: 'normal' | 'instant';
  created_at: number;
}

export interface RazorpayError {
  error: { code: string; description?: string; source?: string | null; step?: string | null; reason?: string | null; field?: string | null; metadata?: Json | null };
}

/** The answer of POST /v1/payments/create/json and /create/upi. */
export interface RazorpayCreated {
  razorpay_payment_id: string;
  next?: Array<{ action: string; url: string }>;
  link?: string;
}

// ---------- Juspay payment methods -> Razorpay codes (explicit tables) ----------

/**
 * Netbanking: Juspay's `NB_<BANK>` payment_method (the `<BANK>` part; the codes of the core's
 * NETBANKING_BANKS, src/core/payment-methods.ts) -> Razorpay's bank code
 * (https://razorpay.com/docs/payments/payment-methods/netbanking/ : IFSC-prefix codes, `_R` for a
 * bank's retail portal). A bank not listed is refused before any call.
 */
export const RAZORPAY_BANK_CODES: Readonly<Record<string, string>> = {
  AXIS: 'UTIB', BOB: 'BARB_R', BOI: 'BKID', BOM: 'MAHB', CANR: 'CNRB', CBI: 'CBIN', CSB: 'CSBK', CUB: 'CIUB', DCB: 'DCBL', DEUT: 'DEUT',
  DLS: 'DLXB', FED: 'FDRL', HDFC: 'HDFC', ICICI: 'ICIC', IDBI: 'IBKL', IDFC: 'IDFB', INDB: 'INDB', INDIAN: 'IDIB', IOB: 'IOBA', JKB: 'JAKA',
  KARB: 'KARB', KOTAK: 'KKBK', KVB: 'KVBL', PNB: 'PUNB_R', PSB: 'PSIB', RBL: 'RATN', SBI: 'SBIN', SCB: 'SCBL', SIB: 'SIBL', TMB: 'TMBL',
  UBI: 'UBIN', UCO: 'UCBA', YESB: 'YESB',
};

/**
 * Wallets: Juspay's wallet payment_method (the core's WALLETS) -> Razorpay's `wallet` code
 * (https://razorpay.com/docs/payments/payment-methods/wallets/). A wallet not listed is refused.
 */
export const RAZORPAY_WALLET_CODES: Readonly<Record<string, string>> = {
  PAYTM: 'paytm', MOBIKWIK: 'mobikwik', FREECHARGE: 'freecharge', OLAMONEY: 'olamoney', AIRTELMONEY: 'airtelmoney',
  PHONEPE: 'phonepe', AMAZONPAY: 'amazonpay', JIOMONEY: 'jiomoney', PAYZAPP: 'payzapp', PAYPAL: 'paypal',
};

/**
 * What the payment request carries about the shopper's browser and phone that our AuthorizeRequest
 * does not hold (Razorpay's S2S API requires `ip`, `user_agent`, `contact` and, for 3-D Secure 2
 * in a browser, `browser`). [inference] These stand-ins are sent until the payment core passes the
 * shopper's own values; `void@razorpay.com` is the address Razorpay documents for an unknown email.
 */
export const SHOPPER_DEFAULTS = {
  ip: '127.0.0.1',
  userAgent: 'Mozilla/5.0 (compatible; Junction)',
  contact: '9999999999',
  email: 'void@razorpay.com',
  browser: { java_enabled: false, javascript_enabled: true, timezone_offset: -330, color_depth: 24, screen_width: 1280, screen_height: 800, language: 'en-IN' },
} as const;

/** Receipts are at most 40 characters: our txn id, or a digest of it when longer (found again the same way). */
export function receiptOf(txnId: string): string {
  return txnId.length <= 40 ? txnId : `jx_${sha256Hex(txnId).slice(0, 37)}`;
}

export interface RazorpaySettings {
  rawCardDataEnabled: boolean;
  refundSpeed: 'normal' | 'optimum';
}

/** Amounts go in the currency's smallest sub-unit, as we hold them; three-decimal currencies must end in 0 (Razorpay's rule). */
export function razorpayAmount(minor: number, currency: string): number | null {
  if (!Number.isSafeInteger(minor) || minor <= 0) return null;
  const exponent = exponentOf(currency);
  if (exponent === undefined) return null;
  if (exponent === 3 && minor % 10 !== 0) return null;
  return minor;
}

/** POST /v1/orders: the capture mode is set per order (`payment.capture`), so it never depends on the Dashboard setting. */
export function buildOrderBody(request: AuthorizeRequest, settings: RazorpaySettings): Json {
  const automatic = request.captureMode !== 'MANUAL';
  return {
    amount: request.amount,
    currency: request.currency,
    receipt: receiptOf(request.txnId),
    notes: { txn_id: request.txnId.slice(0, 256), txn_uuid: request.txnUuid, order_id: request.orderId.slice(0, 256) },
    // Automatic: captured as soon as authorised, even late (up to the 5-day maximum); manual: ours to
    // capture within 7 200 minutes, then Razorpay refunds it at `refund_speed`
    // (https://razorpay.com/docs/payments/payments/capture-settings/ , the documented limits).
    payment: automatic
      ? { capture: 'automatic', capture_options: { automatic_expiry_period: 7200, manual_expiry_period: 7200, refund_speed: settings.refundSpeed } }
      : { capture: 'manual', capture_options: { manual_expiry_period: 7200, refund_speed: settings.refundSpeed } },
  };
}

export type PaymentPlan =
  | { endpoint: '/v1/payments/create/json' | '/v1/payments/create/upi'; body: Json; kind: 'card' | 'netbanking' | 'wallet' | 'upi_collect' | 'upi_intent' }
  | { refused: string; code: 'raw_card_data_not_enabled' | 'unsupported_bank' | 'unsupported_wallet' | 'unsupported_payment_method' | 'currency_not_supported' | 'invalid_amount' };

/**
 * The S2S payment request for one attempt (without the order id, added once the order exists), or
 * why nothing may be sent: an unknown bank or wallet, raw card data on an account not enabled for
 * it, UPI/netbanking/wallets in another currency than INR.
 */
export function planPayment(request: AuthorizeRequest, settings: RazorpaySettings): PaymentPlan {
  if (razorpayAmount(request.amount, request.currency) === null) return { refused: `The amount ${request.amount} cannot be sent to Razorpay in ${request.currency}`, code: 'invalid_amount' };
  if (request.paymentMethodType !== 'CARD' && request.currency !== 'INR') {
    return { refused: `Razorpay takes ${request.paymentMethodType} payments in INR only, not ${request.currency}`, code: 'currency_not_supported' };
  }
  const common: Json = {
    amount: request.amount,
    currency: request.currency,
    // Razorpay takes emails of at most 40 characters.
    email: request.customerEmail && request.customerEmail.length <= 40 ? request.customerEmail : SHOPPER_DEFAULTS.email,
    contact: (request.customerPhone ?? '').replace(/\D/g, '').slice(-10) || SHOPPER_DEFAULTS.contact,
    notes: { txn_id: request.txnId.slice(0, 256), txn_uuid: request.txnUuid },
    callback_url: request.returnUrl,
    ip: SHOPPER_DEFAULTS.ip,
    referer: request.returnUrl,
    user_agent: SHOPPER_DEFAULTS.userAgent,
    description: `Order ${request.orderId}`.slice(0, 255),
  };
  switch (request.paymentMethodType) {
    case 'CARD': {
      if (!request.card) return { refused: 'Razorpay takes raw card data here: the request has no card (Razorpay card tokens need a Razorpay customer and are not supported)', code: 'unsupported_payment_method' };
      if (!settings.rawCardDataEnabled) {
        return { refused: 'This Razorpay account is not enabled for S2S card payments (raw card data): set raw_card_data_enabled once Razorpay has enabled it for the PCI-compliant account', code: 'raw_card_data_not_enabled' };
      }
      const card = request.card;
      return {
        endpoint: '/v1/payments/create/json', kind: 'card',
        body: {
          ...common, method: 'card',
          card: {
            number: card.number, name: card.holderName ?? 'Card holder', expiry_month: card.expMonth.padStart(2, '0'), expiry_year: card.expYear.slice(-2),
            ...(card.cvv ? { cvv: card.cvv } : {}),
          },
          authentication: { authentication_channel: 'browser' },
          browser: { ...SHOPPER_DEFAULTS.browser },
        },
      };
    }
    case 'NB': {
      const bank = (request.bank ?? request.paymentMethod.replace(/^NB_/, '')).toUpperCase();
      const code = RAZORPAY_BANK_CODES[bank];
      if (!code) return { refused: `Razorpay netbanking: no bank code for ${bank} (known: ${Object.keys(RAZORPAY_BANK_CODES).join(', ')})`, code: 'unsupported_bank' };
      return { endpoint: '/v1/payments/create/json', kind: 'netbanking', body: { ...common, method: 'netbanking', bank: code } };
    }
    case 'WALLET': {
      const name = (request.wallet?.name ?? request.paymentMethod).toUpperCase();
      const code = RAZORPAY_WALLET_CODES[name];
      if (!code) return { refused: `Razorpay wallets: no wallet code for ${name} (known: ${Object.keys(RAZORPAY_WALLET_CODES).join(', ')})`, code: 'unsupported_wallet' };
      return { endpoint: '/v1/payments/create/json', kind: 'wallet', body: { ...common, method: 'wallet', wallet: code } };
    }
    case 'UPI': {
      if (!request.upi) return { refused: 'A UPI payment needs its UPI details', code: 'unsupported_payment_method' };
      if (request.upi.txnType === 'UPI_COLLECT') {
        if (!request.upi.vpa) return { refused: 'UPI collect needs the shopper\'s UPI id (upi_vpa)', code: 'unsupported_payment_method' };
        return { endpoint: '/v1/payments/create/upi', kind: 'upi_collect', body: { ...common, method: 'upi', upi: { flow: 'collect', vpa: request.upi.vpa, expiry_time: 15 } } };
      }
      if (request.upi.txnType === 'UPI_PAY') return { endpoint: '/v1/payments/create/upi', kind: 'upi_intent', body: { ...common, method: 'upi', upi: { flow: 'intent' } } };
      return { refused: 'Razorpay UPI QR is not supported by this connector (use collect or intent)', code: 'unsupported_payment_method' };
    }
    default:
      return { refused: `Razorpay payment method ${request.paymentMethodType} is not supported by this connector`, code: 'unsupported_payment_method' };
  }
}

// ---------- Answers -> outcomes ----------

/** A payment entity as stored in `raw.body`: Razorpay never echoes the card number, but the card's name goes too. */
function bodyOf(value: unknown): Json | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const copy: Json = { ...(value as Json) };
  if (copy.card && typeof copy.card === 'object') {
    const { number: _n, cvv: _c, name: _name, ...card } = copy.card as Json;
    copy.card = card;
  }
  return copy;
}

function raw(code: string, message: string, gatewayTxnId: string | null, body?: unknown, extra: Partial<RawGatewayResponse> = {}): RawGatewayResponse {
  const stored = bodyOf(body);
  return { code, message, gatewayTxnId, ...extra, ...(stored ? { body: stored } : {}) };
}

export function failed(rawCode: string, message: string | null | undefined, gatewayTxnId: string | null, body?: unknown): Extract<AuthorizeOutcome, { kind: 'FAILED' }> {
  const entry = razorpayFailure(rawCode);
  return {
    kind: 'FAILED', raw: raw(rawCode, message || entry.message, gatewayTxnId, body), failure: entry.failureClass ?? 'SOFT_DECLINE',
    unified: { code: entry.unifiedCode ?? 'GENERIC_DECLINE', message: entry.unifiedMessage ?? entry.message, category: entry.category ?? 'PAYMENT_FAILURE' },
  };
}

/** A payment's state as our outcome. `refunded` without a capture is Razorpay's release of an authorisation nobody captured. */
export function outcomeOfPayment(payment: RazorpayPayment): AuthorizeOutcome {
  const extra = { rrn: payment.acquirer_data?.rrn ?? null, authIdCode: payment.acquirer_data?.auth_code ?? null };
  switch (payment.status) {
    case 'captured':
      return { kind: 'CHARGED', raw: raw('captured', 'Payment captured', payment.id, payment, extra) };
    case 'authorized':
      return { kind: 'AUTHORIZED', raw: raw('authorized', 'Payment authorised', payment.id, payment, extra) };
    case 'refunded':
      return payment.captured
        ? { kind: 'CHARGED', raw: raw('refunded', 'Payment captured, then refunded', payment.id, payment, extra) }
        : { kind: 'VOIDED', raw: raw('refunded', 'The authorisation was not captured: Razorpay released (refunded) it', payment.id, payment) };
    case 'created':
      return { kind: 'PENDING', raw: raw('created', 'Payment created: waiting for the shopper or the bank', payment.id, payment) };
    case 'failed':
      return failed(razorpayRawCode(payment.error_code, payment.error_reason), payment.error_description, payment.id, payment);
    default:
      return { kind: 'UNKNOWN', raw: raw(`status_${String(payment.status)}`, 'Razorpay answered a payment status we do not know', payment.id, payment) };
  }
}

export function errorOf(body: unknown): RazorpayError['error'] | null {
  const error = (body as { error?: unknown } | undefined)?.error;
  return error && typeof error === 'object' && typeof (error as { code?: unknown }).code === 'string' ? (error as RazorpayError['error']) : null;
}

/** The payment an error names (`metadata.payment_id`), when Razorpay created one before refusing it. */
export function paymentIdOfError(body: unknown): string | null {
  const id = errorOf(body)?.metadata?.payment_id;
  return typeof id === 'string' && id.startsWith('pay_') ? id : null;
}

/** An error answer as FAILED (HTTP 401: the keys; anything else: by its code and reason). */
export function failedFromError(status: number, body: unknown, gatewayTxnId: string | null = null): Extract<AuthorizeOutcome, { kind: 'FAILED' }> {
  const error = errorOf(body);
  if (status === 401) return failed('authentication_error', error?.description ?? 'Razorpay refused the API keys', gatewayTxnId, body);
  const code = error ? razorpayRawCode(error.code, error.reason) : status >= 500 ? 'SERVER_ERROR' : 'BAD_REQUEST_ERROR';
  return failed(code, error?.description ?? `Razorpay answered HTTP ${status}`, gatewayTxnId ?? paymentIdOfError(body), body);
}

export type CreatedAnswer =
  | { kind: 'redirect'; paymentId: string; url: string }
  | { kind: 'intent'; paymentId: string; uri: string }
  | { kind: 'poll'; paymentId: string };

/** What POST /create/json or /create/upi asks us to do next. */
export function readCreated(body: unknown): CreatedAnswer | null {
  const created = body as Partial<RazorpayCreated> | undefined;
  if (!created || typeof created.razorpay_payment_id !== 'string') return null;
  const paymentId = created.razorpay_payment_id;
  const next = Array.isArray(created.next) ? created.next.filter((n) => n && typeof n.action === 'string' && typeof n.url === 'string') : [];
  const intent = typeof created.link === 'string' ? created.link : next.find((n) => n.action === 'intent')?.url;
  if (intent) return { kind: 'intent', paymentId, uri: intent };
  const redirect = next.find((n) => n.action === 'redirect' || n.action === 'authenticate');
  if (redirect) return { kind: 'redirect', paymentId, url: redirect.url };
  return { kind: 'poll', paymentId };
}

export function pendingAuthentication(paymentId: string, url: string, body: unknown): AuthorizeOutcome {
  return { kind: 'PENDING_AUTHENTICATION', raw: raw('created', 'The shopper must authenticate at the bank page', paymentId, body), authentication: { method: 'GET', url } };
}

/** UPI intent: the shopper's UPI app opens the upi://pay link; Razorpay settles the payment later. */
export function pendingIntent(paymentId: string, uri: string, body: unknown): AuthorizeOutcome {
  return { kind: 'PENDING', raw: raw('created', 'UPI intent: waiting for the shopper to pay in a UPI app', paymentId, body), sdkParams: { intent_uri: uri } };
}

export function pendingCollect(paymentId: string, body: unknown): AuthorizeOutcome {
  return { kind: 'PENDING', raw: raw('created', "UPI collect: waiting for the shopper to approve the request in the UPI app", paymentId, body) };
}

export function isPayment(value: unknown): value is RazorpayPayment {
  const v = value as Partial<RazorpayPayment> | null;
  return typeof v === 'object' && v !== null && v.entity === 'payment' && typeof v.id === 'string' && v.id.startsWith('pay_') && typeof v.status === 'string';
}

export function isOrder(value: unknown): value is RazorpayOrder {
  const v = value as Partial<RazorpayOrder> | null;
  return typeof v === 'object' && v !== null && v.entity === 'order' && typeof v.id === 'string' && v.id.startsWith('order_');
}

export function isRefund(value: unknown): value is RazorpayRefund {
  const v = value as Partial<RazorpayRefund> | null;
  return typeof v === 'object' && v !== null && v.entity === 'refund' && typeof v.id === 'string' && typeof v.payment_id === 'string' && typeof v.status === 'string';
}

/** `{entity: 'collection', count, items}` of GET /v1/orders and /v1/orders/{id}/payments. */
export function itemsOf(body: unknown): unknown[] | null {
  const items = (body as { items?: unknown } | undefined)?.items;
  return Array.isArray(items) ? items : null;
}

/** The payment that speaks for an order: a captured or authorised one, else the newest. */
export function decisivePayment(payments: RazorpayPayment[]): RazorpayPayment | null {
  if (payments.length === 0) return null;
  const ranked = [...payments].sort((a, b) => b.created_at - a.created_at);
  return ranked.find((p) => p.status === 'captured' || p.status === 'refunded') ?? ranked.find((p) => p.status === 'authorized') ?? ranked[0]!;
}

/** POST /v1/payments/{id}/capture answers the captured payment. */
export function outcomeOfCapture(status: number, body: unknown, paymentId: string): CaptureOutcome {
  if (status === 200 && isPayment(body) && body.status === 'captured') return { kind: 'SUCCESS', raw: raw('captured', 'Payment captured', paymentId, body) };
  const outcome = failedFromError(status, body, paymentId);
  return { kind: 'FAILURE', raw: outcome.raw, unified: outcome.unified };
}

/** A refund entity: processed = done (the ARN follows in acquirer_data), pending = settled by refund.processed/refund.failed. */
export function outcomeOfRefundEntity(refund: RazorpayRefund): RefundOutcome {
  const message = `Refund ${refund.status}${refund.speed_processed ? ` (${refund.speed_processed})` : ''}`;
  const base = raw(refund.status, message, refund.payment_id, refund);
  if (refund.status === 'processed') return { kind: 'SUCCESS', raw: base, arn: refund.acquirer_data?.arn ?? null, gatewayRefundId: refund.id };
  if (refund.status === 'failed') {
    const entry = razorpayFailure('BAD_REQUEST_ERROR');
    return { kind: 'FAILURE', raw: base, unified: { code: 'INVALID_STATE', message: 'Razorpay could not process the refund', category: entry.category ?? 'BUSINESS_ERROR' }, gatewayRefundId: refund.id };
  }
  return { kind: 'PENDING', raw: base, gatewayRefundId: refund.id };
}

export function outcomeOfRefund(status: number, body: unknown, paymentId: string): RefundOutcome {
  if (status === 200 && isRefund(body)) return outcomeOfRefundEntity(body);
  if (status >= 500 || status === 409) return { kind: 'PENDING', raw: raw(`HTTP_${status}`, 'Razorpay did not settle the refund request: retried with the same X-Refund-Idempotency key', paymentId, body) };
  const outcome = failedFromError(status, body, paymentId);
  return { kind: 'FAILURE', raw: outcome.raw, unified: outcome.unified };
}

/** X-Refund-Idempotency: at least 10 characters of letters, digits, hyphens and underscores. */
export function refundIdempotencyKey(key: string): string {
  return /^[A-Za-z0-9_-]{10,}$/.test(key) ? key : `rk_${sha256Hex(key).slice(0, 40)}`;
}

export function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
