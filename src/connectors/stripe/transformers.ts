// Stripe's wire format, both ways, without I/O. Requests are form-encoded with bracketed keys
// (`payment_method_data[card][number]`); answers are PaymentIntent, Refund and Error objects
// (the shapes of the official `stripe` package's types, which the tests check us against).
import type { AuthorizeOutcome, AuthorizeRequest, CaptureOutcome, RefundOutcome } from '../../core/ports/connector.ts';
// What we keep of a Stripe answer (rawAnswer): ids and statuses; Stripe returns no card data but last4.
import { declinedFromRow, rawAnswer, unrecognisedModification, unrecognisedRefund } from '../kit/outcomes.ts';
import { unifiedError } from '../unified-errors.ts';
import { stripeFailure } from './status-table.ts';

/** The API version we speak, sent as Stripe-Version on every call: the one the official package we test against pins (a test keeps them equal). */
export const STRIPE_API_VERSION = '2026-11-18.endive';

export type FormValue = string | number | boolean | null | undefined | FormObject | FormValue[];
export interface FormObject {
  [key: string]: FormValue;
}

/** Stripe's form encoding: nested keys in brackets, arrays indexed, nulls and undefined left out. */
export function encodeStripeForm(body: FormObject): string {
  const parts: string[] = [];
  const walk = (prefix: string, value: FormValue): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(`${prefix}[${index}]`, item));
    } else if (typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) walk(prefix ? `${prefix}[${key}]` : key, inner);
    } else {
      parts.push(`${encodeURIComponent(prefix)}=${encodeURIComponent(String(value))}`);
    }
  };
  walk('', body);
  return parts.join('&');
}

/** The subset of Stripe's PaymentIntent we read (`Stripe.PaymentIntent`). */
export interface StripePaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  status: 'requires_payment_method' | 'requires_confirmation' | 'requires_action' | 'processing' | 'requires_capture' | 'canceled' | 'succeeded';
  capture_method: 'automatic' | 'automatic_async' | 'manual';
  latest_charge: string | null;
  last_payment_error: StripeErrorBody['error'] | null;
  next_action: { type: string; redirect_to_url?: { url: string | null; return_url: string | null } } | null;
  metadata: Record<string, string>;
}

export interface StripeRefund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string | null;
  status: 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled' | null;
  failure_reason?: string | null;
  metadata: Record<string, string> | null;
  destination_details?: { card?: { reference?: string | null } } | null;
}

export interface StripeErrorBody {
  error: {
    type: string;
    code?: string;
    decline_code?: string;
    advice_code?: string;
    message?: string;
    param?: string;
    payment_intent?: { id: string; status?: string; capture_method?: string } | null;
  };
}

export interface StripeCardCredentials {
  rawCardDataEnabled: boolean;
}

/**
 * How the card reaches Stripe: Stripe's own token when the merchant's checkout produced one (a
 * PaymentMethod id from Stripe.js), or raw card data, only when the account is enabled for it
 * (Stripe grants that permission to PCI-compliant merchants); otherwise there is nothing we may send.
 */
export type StripeCardSource = { paymentMethod: string } | { card: NonNullable<AuthorizeRequest['card']> } | { refused: string };

export function stripeCardSource(request: AuthorizeRequest, credentials: StripeCardCredentials): StripeCardSource {
  if (request.gatewayToken) return { paymentMethod: request.gatewayToken };
  if (!request.card) return { refused: 'Stripe takes cards only here: the request has no card and no Stripe PaymentMethod id' };
  if (!credentials.rawCardDataEnabled) {
    return {
      refused:
        'This Stripe account is not enabled for raw card data: send the Stripe PaymentMethod id (pm_...) from Stripe.js as gateway_token, or set raw_card_data_enabled once Stripe has granted the permission',
    };
  }
  return { card: request.card };
}

/** POST /v1/payment_methods: the raw card as a Stripe PaymentMethod (`Stripe.PaymentMethodCreateParams`). */
export function buildPaymentMethodBody(card: NonNullable<AuthorizeRequest['card']>): FormObject {
  const expYear = card.expYear.length === 2 ? `20${card.expYear}` : card.expYear;
  return {
    type: 'card',
    card: { number: card.number, exp_month: Number(card.expMonth), exp_year: Number(expYear), ...(card.cvv ? { cvc: card.cvv } : {}) },
    ...(card.holderName ? { billing_details: { name: card.holderName } } : {}),
  };
}

/** POST /v1/payment_intents, confirmed at once (`Stripe.PaymentIntentCreateParams`). */
export function buildPaymentIntentBody(request: AuthorizeRequest, paymentMethod: string): FormObject {
  const threeDs = request.authType === 'THREE_DS' || request.authType === 'THREE_DS_2';
  return {
    amount: request.amount,
    currency: request.currency.toLowerCase(),
    confirm: true,
    capture_method: request.captureMode === 'MANUAL' ? 'manual' : 'automatic',
    payment_method: paymentMethod,
    return_url: request.returnUrl,
    allowed_payment_method_types: ['card'],
    metadata: { txn_id: request.txnId, order_id: request.orderId, txn_uuid: request.txnUuid },
    ...(request.customerEmail ? { receipt_email: request.customerEmail } : {}),
    ...(threeDs ? { payment_method_options: { card: { request_three_d_secure: 'any' } } } : {}),
  };
}

/** A decline or error answer as a failed outcome, classified by the status table and the advice code. */
export function failureFromError(error: StripeErrorBody['error'], paymentIntentId: string | null, body: unknown): Extract<AuthorizeOutcome, { kind: 'FAILED' }> {
  const code = error.decline_code ?? error.code ?? error.type;
  const advice = error.advice_code ?? null;
  const entry = stripeFailure(code, advice);
  // The advice code can make a soft decline final: then the raw code says so, and the table's row for the bare code does not apply.
  const base = stripeFailure(code, null);
  const rawCode = entry.failureClass !== base.failureClass && advice ? `${code}:${advice}` : code;
  return declinedFromRow(rawAnswer(rawCode, error.message ?? entry.message, paymentIntentId, body), entry);
}

/** A PaymentIntent's state as our outcome. */
export function outcomeOfPaymentIntent(intent: StripePaymentIntent): AuthorizeOutcome {
  const raw = (code: string, message: string) => rawAnswer(code, message, intent.id, intent);
  switch (intent.status) {
    case 'succeeded':
      return { kind: 'CHARGED', raw: raw('succeeded', 'Payment succeeded') };
    case 'requires_capture':
      return { kind: 'AUTHORIZED', raw: raw('requires_capture', 'Authorised; awaiting capture') };
    case 'processing':
      return { kind: 'PENDING', raw: raw('processing', 'Stripe is processing the payment') };
    case 'canceled':
      return { kind: 'VOIDED', raw: raw('canceled', 'The payment was canceled') };
    case 'requires_action': {
      const url = intent.next_action?.redirect_to_url?.url;
      if (intent.next_action?.type === 'redirect_to_url' && url) {
        return { kind: 'PENDING_AUTHENTICATION', raw: raw('requires_action', 'The shopper must authenticate (3-D Secure)'), authentication: { method: 'GET', url } };
      }
      // use_stripe_sdk and others need Stripe.js in the shopper's browser, which a server-side redirect cannot give.
      return failureFromError(
        {
          type: 'invalid_request_error',
          code: 'payment_intent_action_required',
          message: `Stripe asks for a next action (${intent.next_action?.type ?? 'unknown'}) only Stripe.js can perform: create the PaymentIntent with Stripe.js or enable redirects`,
        },
        intent.id,
        intent,
      );
    }
    case 'requires_payment_method':
    case 'requires_confirmation':
      if (intent.last_payment_error) return failureFromError(intent.last_payment_error, intent.id, intent);
      return { kind: 'PENDING', raw: raw(intent.status, 'The payment awaits a payment method or confirmation') };
  }
}

/** An HTTP answer of Stripe to a payment call (create, confirm, retrieve). */
export function outcomeOfPaymentAnswer(status: number, body: unknown): AuthorizeOutcome {
  if (status >= 200 && status < 300 && isPaymentIntent(body)) return outcomeOfPaymentIntent(body);
  if (status >= 500) return { kind: 'UNKNOWN', raw: rawAnswer(`HTTP_${status}`, 'Stripe answered with a server error: the outcome is unknown', null, body) };
  if (isErrorBody(body)) return failureFromError(body.error, body.error.payment_intent?.id ?? null, body);
  return { kind: 'UNKNOWN', raw: rawAnswer(`HTTP_${status}`, 'Stripe answered something that is not a PaymentIntent or an error', null, null) };
}

export function outcomeOfCapture(status: number, body: unknown, expected: 'succeeded' | 'canceled'): CaptureOutcome {
  if (status >= 200 && status < 300 && isPaymentIntent(body)) {
    if (body.status === expected) return { kind: 'SUCCESS', raw: rawAnswer(body.status, expected === 'succeeded' ? 'Captured' : 'Canceled', body.id, body) };
    if (body.status === 'processing') return { kind: 'PENDING', raw: rawAnswer(body.status, 'Stripe is processing the capture', body.id, body) };
    return { kind: 'FAILURE', raw: rawAnswer(body.status, `The payment is ${body.status}`, body.id, body), unified: unifiedError('INVALID_STATE') };
  }
  if (status >= 500) return { kind: 'FAILURE', raw: rawAnswer(`HTTP_${status}`, 'Stripe answered with a server error', null, body), unified: unifiedError('TIMEOUT_UNKNOWN') };
  if (isErrorBody(body)) {
    // A retry of a capture (or cancel) Stripe already did: the PaymentIntent is in the state we asked for
    // (for a capture, only a manual one: capturing an automatically captured payment stays a failure).
    const intent = body.error.payment_intent;
    const ours = expected === 'canceled' || intent?.capture_method === 'manual';
    if (body.error.code === 'payment_intent_unexpected_state' && intent?.status === expected && ours) {
      return { kind: 'SUCCESS', raw: rawAnswer(expected, expected === 'succeeded' ? 'Already captured' : 'Already canceled', intent.id, body) };
    }
    const failed = failureFromError(body.error, intent?.id ?? null, body);
    return { kind: 'FAILURE', raw: failed.raw, unified: failed.unified };
  }
  return unrecognisedModification(status);
}

export function outcomeOfRefund(status: number, body: unknown): RefundOutcome {
  if (status >= 200 && status < 300 && isRefund(body)) {
    const raw = rawAnswer(body.status ?? 'pending', `Refund ${body.status ?? 'pending'}`, body.payment_intent, body);
    const arn = body.destination_details?.card?.reference ?? null;
    if (body.status === 'succeeded') return { kind: 'SUCCESS', raw, arn, gatewayRefundId: body.id };
    if (body.status === 'failed' || body.status === 'canceled') {
      return {
        kind: 'FAILURE',
        raw: { ...raw, message: `Refund ${body.status}${body.failure_reason ? `: ${body.failure_reason}` : ''}` },
        unified: unifiedError('INVALID_STATE'),
        gatewayRefundId: body.id,
      };
    }
    return { kind: 'PENDING', raw, gatewayRefundId: body.id };
  }
  // A server error may or may not have created the refund: pending, settled by webhook or by retrying with the same key.
  if (status >= 500) return { kind: 'PENDING', raw: rawAnswer(`HTTP_${status}`, 'Stripe answered with a server error', null, body) };
  if (isErrorBody(body)) {
    const failed = failureFromError(body.error, null, body);
    return { kind: 'FAILURE', raw: failed.raw, unified: failed.unified };
  }
  return unrecognisedRefund(status);
}

export function isPaymentIntent(value: unknown): value is StripePaymentIntent {
  return typeof value === 'object' && value !== null && (value as { object?: unknown }).object === 'payment_intent' && typeof (value as { id?: unknown }).id === 'string';
}

export function isRefund(value: unknown): value is StripeRefund {
  return typeof value === 'object' && value !== null && (value as { object?: unknown }).object === 'refund' && typeof (value as { id?: unknown }).id === 'string';
}

export function isErrorBody(value: unknown): value is StripeErrorBody {
  const error = typeof value === 'object' && value !== null ? (value as { error?: unknown }).error : undefined;
  return typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string';
}
