// PayPal Orders v2 and Payments v2, both ways, without I/O (https://developer.paypal.com/docs/api/orders/v2/,
// https://developer.paypal.com/docs/api/payments/v2/; shapes from the vendored OpenAPI documents in
// emulators/paypal/contract). JSON bodies; amounts are `{currency_code, value}` with `value` a
// major-unit decimal string computed here from our minor units with exact integer arithmetic.
//
// The gateway transaction id we keep is the ORDER id: it exists from the first answer on (also while
// the payer approves at PayPal), and every later object hangs off it (`purchase_units[0].payments`
// lists the authorization, the captures and the refunds). Captures, voids and refunds read the order
// first and act on the object it names.
import type { AuthorizeOutcome, CaptureOutcome, RawGatewayResponse, RefundOutcome } from '../../core/ports/connector.ts';
import { declinedFromRow } from '../kit/outcomes.ts';
import { unifiedError } from '../unified-errors.ts';
import { paypalFailure } from './status-table.ts';

export type PayPalBody = Record<string, unknown>;

export interface PayPalMoney {
  currency_code: string;
  value: string;
}
export interface PayPalLink {
  href: string;
  rel: string;
  method?: string;
}
export interface PayPalProcessorResponse {
  avs_code?: string;
  cvv_code?: string;
  response_code?: string;
  payment_advice_code?: string;
}
export interface PayPalRelatedIds {
  order_id?: string;
  authorization_id?: string;
  capture_id?: string;
}
export interface PayPalCapture {
  id: string;
  status: 'COMPLETED' | 'DECLINED' | 'PARTIALLY_REFUNDED' | 'PENDING' | 'REFUNDED' | 'FAILED' | string;
  status_details?: { reason?: string };
  amount?: PayPalMoney;
  final_capture?: boolean;
  custom_id?: string;
  invoice_id?: string;
  processor_response?: PayPalProcessorResponse;
  supplementary_data?: { related_ids?: PayPalRelatedIds };
  links?: PayPalLink[];
}
export interface PayPalAuthorization {
  id: string;
  status: 'CREATED' | 'CAPTURED' | 'DENIED' | 'PARTIALLY_CAPTURED' | 'VOIDED' | 'PENDING' | string;
  status_details?: { reason?: string };
  amount?: PayPalMoney;
  custom_id?: string;
  invoice_id?: string;
  expiration_time?: string;
  processor_response?: PayPalProcessorResponse;
  supplementary_data?: { related_ids?: PayPalRelatedIds };
  links?: PayPalLink[];
}
export interface PayPalRefund {
  id: string;
  status: 'CANCELLED' | 'FAILED' | 'PENDING' | 'COMPLETED' | string;
  status_details?: { reason?: string };
  amount?: PayPalMoney;
  custom_id?: string;
  acquirer_reference_number?: string;
  links?: PayPalLink[];
}
export interface PayPalCardResponse {
  last_digits?: string;
  brand?: string;
  authentication_result?: { liability_shift?: 'NO' | 'POSSIBLE' | 'UNKNOWN' | string; three_d_secure?: { authentication_status?: string; enrollment_status?: string } };
}
export interface PayPalOrder {
  id: string;
  status: 'CREATED' | 'SAVED' | 'APPROVED' | 'VOIDED' | 'COMPLETED' | 'PAYER_ACTION_REQUIRED' | string;
  intent?: 'CAPTURE' | 'AUTHORIZE' | string;
  payment_source?: { card?: PayPalCardResponse; paypal?: Record<string, unknown> };
  purchase_units?: Array<{
    reference_id?: string;
    custom_id?: string;
    invoice_id?: string;
    amount?: PayPalMoney;
    payments?: { authorizations?: PayPalAuthorization[]; captures?: PayPalCapture[]; refunds?: PayPalRefund[] };
  }>;
  links?: PayPalLink[];
}
export interface PayPalError {
  name?: string;
  message?: string;
  debug_id?: string;
  details?: Array<{ issue?: string; description?: string; field?: string }>;
  links?: PayPalLink[];
}

// ---- answers ----

/** A raw body to keep, free of any card number or security code (PayPal never echoes them; belt and braces). */
export function safeBody(body: unknown): Record<string, unknown> | undefined {
  if (!body || typeof body !== 'object') return undefined;
  return JSON.parse(JSON.stringify(body, (key, value: unknown) => (key === 'number' || key === 'security_code' ? undefined : value))) as Record<string, unknown>;
}

function rawOf(code: string, message: string, id: string | null, body: unknown): RawGatewayResponse {
  const safe = safeBody(body);
  return { code, message, gatewayTxnId: id, ...(safe ? { body: safe } : {}) };
}

export function declined(code: string, message: string | undefined, id: string | null, body: unknown): Extract<AuthorizeOutcome, { kind: 'FAILED' }> {
  const entry = paypalFailure(code);
  return declinedFromRow(rawOf(code, message ?? entry.message, id, body), entry);
}

export function linkOf(links: PayPalLink[] | undefined, ...rels: string[]): string | undefined {
  for (const rel of rels) {
    const found = links?.find((link) => link.rel === rel);
    if (found) return found.href;
  }
  return undefined;
}

/** The payments of the order's (only) purchase unit. */
export function paymentsOf(order: PayPalOrder): { authorization?: PayPalAuthorization; captures: PayPalCapture[]; refunds: PayPalRefund[] } {
  const payments = order.purchase_units?.[0]?.payments;
  return { authorization: payments?.authorizations?.at(-1), captures: payments?.captures ?? [], refunds: payments?.refunds ?? [] };
}

function processorCode(p: { processor_response?: PayPalProcessorResponse; status: string }, fallback: string): string {
  return p.processor_response?.response_code ?? fallback;
}

/**
 * An order as our outcome (its id is the gateway transaction id). Waiting for the payer (approval or
 * 3-D Secure): PENDING_AUTHENTICATION with the `payer-action` (or older `approve`) link. APPROVED:
 * PENDING here; the connector completes it (capture or authorize). COMPLETED: what its capture or
 * authorization says.
 */
export function outcomeOfOrder(order: PayPalOrder): AuthorizeOutcome {
  const raw = (code: string, message: string) => rawOf(code, message, order.id, order);
  switch (order.status) {
    case 'CREATED':
    case 'PAYER_ACTION_REQUIRED': {
      const url = linkOf(order.links, 'payer-action', 'approve');
      if (url)
        return {
          kind: 'PENDING_AUTHENTICATION',
          raw: raw(order.status, order.payment_source?.card ? 'The cardholder must authenticate (3-D Secure) at PayPal' : 'The payer must approve the payment at PayPal'),
          authentication: { method: 'GET', url },
        };
      return { kind: 'PENDING', raw: raw(order.status, 'PayPal waits for the payer') };
    }
    case 'APPROVED':
    case 'SAVED':
      return { kind: 'PENDING', raw: raw(order.status, 'The payer approved: the order is not completed yet') };
    case 'COMPLETED':
    case 'VOIDED': {
      const { authorization, captures } = paymentsOf(order);
      const capture = captures.at(-1);
      if (capture) return outcomeOfCaptureObject(capture, order.id, order);
      if (authorization) return outcomeOfAuthorizationObject(authorization, order.id, order);
      if (order.status === 'VOIDED') return declined('APPROVAL_NOT_COMPLETED', 'PayPal voided the order before any payment', order.id, order);
      return { kind: 'UNKNOWN', raw: raw(order.status, 'PayPal answered a completed order without a payment') };
    }
    default:
      return { kind: 'UNKNOWN', raw: raw(`ORDER_${order.status}`, `PayPal answered order status ${order.status}`) };
  }
}

export function outcomeOfCaptureObject(capture: PayPalCapture, orderId: string, body: unknown): AuthorizeOutcome {
  const raw = (code: string, message: string) => rawOf(code, message, orderId, body);
  switch (capture.status) {
    case 'COMPLETED':
    case 'PARTIALLY_REFUNDED':
    case 'REFUNDED':
      return { kind: 'CHARGED', raw: raw(capture.status, `Captured (${capture.id})`) };
    case 'PENDING':
      return { kind: 'PENDING', raw: raw('PENDING', `The capture is pending at PayPal${capture.status_details?.reason ? ` (${capture.status_details.reason})` : ''}`) };
    default: {
      const code = processorCode(capture, capture.status || 'DECLINED');
      return declined(code, `The capture was ${capture.status}${capture.processor_response?.response_code ? ` (processor response ${capture.processor_response.response_code})` : ''}`, orderId, body);
    }
  }
}

export function outcomeOfAuthorizationObject(authorization: PayPalAuthorization, orderId: string, body: unknown): AuthorizeOutcome {
  const raw = (code: string, message: string) => rawOf(code, message, orderId, body);
  switch (authorization.status) {
    case 'CREATED':
      return { kind: 'AUTHORIZED', raw: raw('CREATED', `Authorized (${authorization.id})`) };
    case 'CAPTURED':
    case 'PARTIALLY_CAPTURED':
      return { kind: 'CHARGED', raw: raw(authorization.status, `Authorization ${authorization.id} captured`) };
    case 'VOIDED':
      return { kind: 'VOIDED', raw: raw('VOIDED', `Authorization ${authorization.id} voided`) };
    case 'PENDING':
      return { kind: 'PENDING', raw: raw('PENDING', `The authorization is pending at PayPal${authorization.status_details?.reason ? ` (${authorization.status_details.reason})` : ''}`) };
    default: {
      const code = processorCode(authorization, authorization.status || 'DENIED');
      return declined(
        code,
        `The authorization was ${authorization.status}${authorization.processor_response?.response_code ? ` (processor response ${authorization.processor_response.response_code})` : ''}`,
        orderId,
        body,
      );
    }
  }
}

/** An error answer's raw code: its first detail's issue, else the error's name, else the HTTP status. */
export function errorCode(status: number, body: unknown): string {
  const error = body as PayPalError | undefined;
  const issue = error?.details?.find((d) => typeof d.issue === 'string')?.issue;
  if (issue) return issue;
  if (status === 401) return 'AUTHENTICATION_FAILURE';
  if (typeof error?.name === 'string' && error.name) return error.name;
  if (status === 404) return 'RESOURCE_NOT_FOUND';
  return status === 429 ? 'RATE_LIMIT_REACHED' : `HTTP_${status}`;
}

export function errorMessage(body: unknown): string | undefined {
  const error = body as PayPalError | undefined;
  const detail = error?.details?.[0];
  if (detail?.issue) return `${detail.issue}: ${detail.description ?? error?.message ?? 'refused by PayPal'}${error?.debug_id ? ` (debug_id ${error.debug_id})` : ''}`;
  return error?.message ? `${error.message}${error.debug_id ? ` (debug_id ${error.debug_id})` : ''}` : undefined;
}

export function isOrder(value: unknown): value is PayPalOrder {
  const v = value as Partial<PayPalOrder> | null;
  return typeof v === 'object' && v !== null && typeof v.id === 'string' && typeof v.status === 'string';
}

/** The answer to creating, completing or reading an order. */
export function outcomeOfOrderAnswer(status: number, body: unknown, orderId: string | null = null): AuthorizeOutcome {
  if ((status === 200 || status === 201) && isOrder(body)) return outcomeOfOrder(body);
  if (status >= 500) return { kind: 'UNKNOWN', raw: rawOf(errorCode(status, body), 'PayPal answered with a server error: the outcome is unknown', orderId, body) };
  if (status >= 400) return declined(errorCode(status, body), errorMessage(body), orderId, body);
  return { kind: 'UNKNOWN', raw: rawOf(`HTTP_${status}`, 'PayPal answered something that is not an order or an error', orderId, null) };
}

/** POST /v2/payments/authorizations/{id}/capture and /void answers. `orderId` is our gateway txn id. */
export function outcomeOfModification(kind: 'capture' | 'void', status: number, body: unknown, orderId: string): CaptureOutcome {
  if (kind === 'void' && (status === 204 || status === 200)) return { kind: 'SUCCESS', raw: rawOf('VOIDED', 'The authorization is voided', orderId, body) };
  if (kind === 'capture' && (status === 200 || status === 201)) {
    const capture = body as Partial<PayPalCapture> | undefined;
    if (capture?.status === 'COMPLETED') return { kind: 'SUCCESS', raw: rawOf('COMPLETED', `Captured (${capture.id ?? ''})`, orderId, body) };
    if (capture?.status === 'PENDING') return { kind: 'PENDING', raw: rawOf('PENDING', 'The capture is pending at PayPal: a webhook or the status sync settles it', orderId, body) };
    const outcome = declined(capture?.processor_response?.response_code ?? String(capture?.status ?? 'DECLINED'), `The capture was ${String(capture?.status ?? 'not completed')}`, orderId, body);
    return { kind: 'FAILURE', raw: outcome.raw, unified: outcome.unified };
  }
  const code = errorCode(status, body);
  // Another request for this authorization is still running at PayPal: the status sync settles it.
  if (status === 409 || code === 'PREVIOUS_REQUEST_IN_PROGRESS') return { kind: 'PENDING', raw: rawOf(code, errorMessage(body) ?? 'A previous request is in progress at PayPal', orderId, body) };
  if (status >= 500) return { kind: 'FAILURE', raw: rawOf(code, 'PayPal answered with a server error', orderId, body), unified: unifiedError('TIMEOUT_UNKNOWN') };
  const outcome = declined(code, errorMessage(body), orderId, body);
  return { kind: 'FAILURE', raw: outcome.raw, unified: outcome.unified };
}

export function outcomeOfRefundAnswer(status: number, body: unknown, orderId: string): RefundOutcome {
  if (status === 200 || status === 201) {
    const refund = body as Partial<PayPalRefund> | undefined;
    const id = typeof refund?.id === 'string' ? refund.id : null;
    if (refund?.status === 'COMPLETED') return { kind: 'SUCCESS', raw: rawOf('COMPLETED', `Refunded (${id})`, orderId, body), arn: refund.acquirer_reference_number ?? null, gatewayRefundId: id };
    if (refund?.status === 'PENDING') return { kind: 'PENDING', raw: rawOf('PENDING', 'The refund is pending at PayPal', orderId, body), gatewayRefundId: id };
    return {
      kind: 'FAILURE',
      raw: rawOf(String(refund?.status ?? 'FAILED'), `The refund is ${String(refund?.status ?? 'not completed')}`, orderId, body),
      unified: unifiedError('INVALID_STATE'),
      gatewayRefundId: id,
    };
  }
  const code = errorCode(status, body);
  if (status >= 500 || status === 409)
    return { kind: 'PENDING', raw: rawOf(code, status === 409 ? 'A previous refund request is in progress at PayPal' : 'PayPal answered with a server error', orderId, body) };
  const outcome = declined(code, errorMessage(body), orderId, body);
  return { kind: 'FAILURE', raw: outcome.raw, unified: outcome.unified };
}

/**
 * What to do with a card order the cardholder came back from (3-D Secure), from its
 * `authentication_result`, following PayPal's recommended actions
 * (https://developer.paypal.com/docs/checkout/advanced/customize/3d-secure/response-parameters/):
 * POSSIBLE (Y, A) continue; NO with a failed or rejected authentication (N, R) stop; NO because the
 * card is not enrolled or 3-D Secure was bypassed continue without liability shift; UNKNOWN stop and
 * ask the cardholder to retry. No result (a PayPal wallet order): continue.
 */
export function threeDsDecision(order: PayPalOrder): 'CONTINUE' | 'LIABILITY_SHIFT_NO' | 'LIABILITY_SHIFT_UNKNOWN' {
  const result = order.payment_source?.card?.authentication_result;
  if (!result?.liability_shift) return 'CONTINUE';
  if (result.liability_shift === 'POSSIBLE') return 'CONTINUE';
  if (result.liability_shift === 'UNKNOWN') return 'LIABILITY_SHIFT_UNKNOWN';
  const status = result.three_d_secure?.authentication_status;
  // N failed, R rejected, U could not authenticate, C challenge not completed: do not continue.
  if (status === 'N' || status === 'R' || status === 'U' || status === 'C') return 'LIABILITY_SHIFT_NO';
  return 'CONTINUE';
}
