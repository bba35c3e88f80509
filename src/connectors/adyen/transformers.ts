// Adyen Checkout API v71, both ways, without I/O (https://docs.adyen.com/api-explorer/Checkout/71).
// Requests and answers are JSON; amounts are {value (minor units), currency}. The shapes follow the
// published OpenAPI document the emulator validates against (emulators/adyen/contract/).
import type { AuthorizeOutcome, AuthorizeRequest, CaptureOutcome, RefundOutcome } from '../../core/ports/connector.ts';
import { declinedFromRow, rawAnswer, unrecognisedModification, unrecognisedRefund } from '../kit/outcomes.ts';
import { exponentOf } from '../../core/currencies.ts';
import { unifiedError } from '../unified-errors.ts';
import { ADYEN_STATUS_TABLE, adyenFailure } from './status-table.ts';

export interface AdyenAmount {
  value: number;
  currency: string;
}

/**
 * Where Adyen's minor units differ from ISO 4217's (https://docs.adyen.com/development-resources/currency-codes/,
 * "differs from standard"): Adyen counts CLP and ISK in hundredths, and CVE and IDR in whole units.
 */
const ADYEN_EXPONENTS: Readonly<Record<string, number>> = { CLP: 2, ISK: 2, CVE: 0, IDR: 0 };

/**
 * Our amount (ISO minor units) as Adyen's {value, currency}; null when Adyen cannot carry it
 * exactly (a CVE or IDR amount with a fraction of a unit).
 */
export function toAdyenAmount(minor: number, currency: string): AdyenAmount | null {
  const adyen = ADYEN_EXPONENTS[currency];
  const iso = exponentOf(currency);
  if (adyen === undefined || iso === undefined || adyen === iso) return { value: minor, currency };
  if (adyen > iso) return { value: minor * 10 ** (adyen - iso), currency };
  const divisor = 10 ** (iso - adyen);
  return minor % divisor === 0 ? { value: minor / divisor, currency } : null;
}

/** The subset of PaymentResponse / PaymentDetailsResponse we read. */
export interface AdyenPaymentResponse {
  pspReference?: string;
  resultCode?: string;
  merchantReference?: string;
  refusalReason?: string;
  refusalReasonCode?: string;
  amount?: AdyenAmount;
  action?: { type: string; url?: string; method?: string; data?: Record<string, string>; paymentData?: string };
  additionalData?: Record<string, string>;
}

/** PaymentCaptureResponse, PaymentCancelResponse, PaymentRefundResponse: always status "received". */
export interface AdyenModificationResponse {
  pspReference: string;
  paymentPspReference: string;
  status: 'received';
  merchantAccount: string;
  reference?: string;
  amount?: AdyenAmount;
}

export interface AdyenServiceError {
  status?: number;
  errorCode?: string;
  message?: string;
  errorType?: string;
  pspReference?: string;
}

export interface AdyenCredentials {
  merchantAccount: string;
  rawCardDataEnabled: boolean;
}

/** Adyen's client-side encrypted card fields (from Adyen's Components/Drop-in), passed through as gateway_token. */
const ENCRYPTED_FIELDS = ['encryptedCardNumber', 'encryptedExpiryMonth', 'encryptedExpiryYear', 'encryptedSecurityCode'] as const;

export type AdyenBody = Record<string, unknown>;

/** POST /payments (`PaymentRequest`), or why nothing may be sent. */
export function buildPaymentRequest(request: AuthorizeRequest, credentials: AdyenCredentials): { body: AdyenBody } | { refused: string; code?: 'amount_not_representable' } {
  let paymentMethod: AdyenBody;
  if (request.gatewayToken) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(request.gatewayToken);
    } catch {
      return { refused: "gateway_token for Adyen must be the JSON of Adyen's encrypted card fields (encryptedCardNumber, encryptedExpiryMonth, encryptedExpiryYear, encryptedSecurityCode)" };
    }
    const fields = parsed as Record<string, unknown>;
    if (typeof parsed !== 'object' || parsed === null || !ENCRYPTED_FIELDS.slice(0, 3).every((name) => typeof fields[name] === 'string')) {
      return { refused: 'gateway_token for Adyen needs encryptedCardNumber, encryptedExpiryMonth and encryptedExpiryYear' };
    }
    paymentMethod = { type: 'scheme', ...Object.fromEntries(ENCRYPTED_FIELDS.filter((name) => typeof fields[name] === 'string').map((name) => [name, fields[name]])) };
  } else if (request.card) {
    if (!credentials.rawCardDataEnabled) {
      return {
        refused:
          "This Adyen account is not enabled for raw card data: send Adyen's encrypted card fields (from Adyen's Components) as gateway_token, or set raw_card_data_enabled once Adyen has enabled it",
      };
    }
    const card = request.card;
    paymentMethod = {
      type: 'scheme',
      number: card.number,
      expiryMonth: card.expMonth.padStart(2, '0'),
      expiryYear: card.expYear.length === 2 ? `20${card.expYear}` : card.expYear,
      ...(card.cvv ? { cvc: card.cvv } : {}),
      ...(card.holderName ? { holderName: card.holderName } : {}),
    };
  } else {
    return { refused: 'Adyen takes cards only here: the request has no card and no encrypted card fields' };
  }
  const amount = toAdyenAmount(request.amount, request.currency);
  if (!amount) return { refused: `Adyen counts ${request.currency} in whole units: the amount must have no fraction`, code: 'amount_not_representable' };
  const manual = request.captureMode === 'MANUAL';
  const threeDs = request.authType === 'THREE_DS' || request.authType === 'THREE_DS_2';
  return {
    body: {
      amount,
      reference: request.txnId,
      merchantAccount: credentials.merchantAccount,
      paymentMethod,
      returnUrl: request.returnUrl,
      channel: 'Web',
      shopperInteraction: 'Ecommerce',
      metadata: { txn_uuid: request.txnUuid.slice(0, 80), order_id: request.orderId.slice(0, 80) },
      ...(request.customerEmail ? { shopperEmail: request.customerEmail } : {}),
      // Manual capture per payment: https://docs.adyen.com/online-payments/capture#manual-capture
      ...(manual ? { additionalData: { manualCapture: 'true' } } : {}),
      ...(threeDs ? { authenticationData: { attemptAuthentication: 'always' } } : {}),
    },
  };
}

function failed(code: string, message: string | undefined, id: string | null, body: unknown): Extract<AuthorizeOutcome, { kind: 'FAILED' }> {
  const entry = adyenFailure(code);
  return declinedFromRow(rawAnswer(code, message ?? entry.message, id, body), entry);
}

/**
 * A payment answer as our outcome. `capture` says how the payment was asked for: an Authorised
 * automatic payment is CHARGED (Adyen captures it itself); when the caller cannot know (after a
 * redirect), AUTHORIZED, and the payment core charges an automatically captured attempt.
 */
export function outcomeOfPayment(response: AdyenPaymentResponse, capture: 'AUTO' | 'MANUAL' | 'UNKNOWN'): AuthorizeOutcome {
  const id = response.pspReference ?? null;
  const code = response.resultCode ?? 'UNKNOWN';
  const raw = (message: string) => rawAnswer(code, message, id, response);
  switch (code) {
    case 'Authorised':
      return { kind: capture === 'AUTO' ? 'CHARGED' : 'AUTHORIZED', raw: raw('Authorised') };
    case 'RedirectShopper':
    case 'ChallengeShopper':
    case 'IdentifyShopper': {
      const url = response.action?.url;
      if (!url) return failed('Error', `Adyen asks for a ${code} action without a URL (${response.action?.type ?? 'none'}): it needs Adyen's Components in the browser`, id, response);
      const method = response.action?.method?.toUpperCase() === 'POST' ? 'POST' : 'GET';
      return { kind: 'PENDING_AUTHENTICATION', raw: raw('The shopper must authenticate'), authentication: { method, url, ...(response.action?.data ? { params: response.action.data } : {}) } };
    }
    case 'Pending':
    case 'Received':
    case 'PresentToShopper':
    case 'PartiallyAuthorised':
      return { kind: 'PENDING', raw: raw(`Adyen answered ${code}: the result comes by webhook`) };
    case 'Refused':
      return failed(response.refusalReasonCode ?? '2', response.refusalReason, id, response);
    case 'Cancelled':
      return failed(response.refusalReasonCode ?? '15', response.refusalReason, id, response);
    case 'Error':
      return failed(response.refusalReasonCode ?? 'Error', response.refusalReason, id, response);
    default:
      return { kind: 'UNKNOWN', raw: raw(`Adyen answered resultCode ${code}`) };
  }
}

/** An HTTP answer of /payments or /payments/details. */
export function outcomeOfPaymentAnswer(status: number, body: unknown, capture: 'AUTO' | 'MANUAL' | 'UNKNOWN'): AuthorizeOutcome {
  if (status === 200 && isPaymentResponse(body)) return outcomeOfPayment(body, capture);
  if (status >= 500) return { kind: 'UNKNOWN', raw: rawAnswer(`HTTP_${status}`, 'Adyen answered with a server error: the outcome is unknown', null, body) };
  if (isServiceError(body) && inProgress(body))
    return { kind: 'UNKNOWN', raw: rawAnswer(IN_PROGRESS, 'Adyen is still processing the first request with this idempotency key: the outcome is unknown', body.pspReference ?? null, body) };
  if (isServiceError(body)) return failed(serviceErrorCode(body), body.message, body.pspReference ?? null, body);
  return { kind: 'UNKNOWN', raw: rawAnswer(`HTTP_${status}`, 'Adyen answered something that is not a payment response or an error', null, null) };
}

/**
 * errorCode 704, "request already processed or in progress": a retry with the same idempotency key
 * reached Adyen while the first request was still being processed
 * (https://docs.adyen.com/development-resources/api-idempotency/). Nothing failed: the first
 * request's outcome is unknown, and its webhook (or our next retry) settles it.
 */
const IN_PROGRESS = '704';
function inProgress(error: AdyenServiceError): boolean {
  return error.errorCode === IN_PROGRESS;
}

/** An API error's raw code: Adyen's errorCode when the table knows it (3-digit API codes), else its errorType. */
function serviceErrorCode(error: AdyenServiceError): string {
  if (error.errorCode && /^\d{3}$/.test(error.errorCode) && ADYEN_STATUS_TABLE[error.errorCode]) return error.errorCode;
  if (error.errorType === 'security') return '000';
  if (error.errorType === 'internal') return 'Error';
  return 'validation';
}

/** A capture or cancel answer: `received` is accepted, settled later by the CAPTURE / CANCELLATION webhook. */
export function outcomeOfModification(status: number, body: unknown): CaptureOutcome {
  if (status === 201 && isModificationResponse(body)) {
    return { kind: 'PENDING', raw: rawAnswer('received', 'Adyen received the request: the result comes by webhook', body.paymentPspReference, body) };
  }
  if (status >= 500) return { kind: 'FAILURE', raw: rawAnswer(`HTTP_${status}`, 'Adyen answered with a server error', null, body), unified: unifiedError('TIMEOUT_UNKNOWN') };
  if (isServiceError(body) && inProgress(body))
    return { kind: 'PENDING', raw: rawAnswer(IN_PROGRESS, 'Adyen is still processing the first request with this idempotency key: the result comes by webhook', null, body) };
  if (isServiceError(body)) {
    const outcome = failed(serviceErrorCode(body), body.message, null, body);
    return { kind: 'FAILURE', raw: outcome.raw, unified: outcome.unified };
  }
  return unrecognisedModification(status);
}

/** A refund answer: `received` is PENDING with the refund's own pspReference. */
export function outcomeOfRefund(status: number, body: unknown): RefundOutcome {
  if (status === 201 && isModificationResponse(body)) {
    return { kind: 'PENDING', raw: rawAnswer('received', 'Adyen received the refund: the result comes by webhook', body.paymentPspReference, body), gatewayRefundId: body.pspReference };
  }
  if (status >= 500) return { kind: 'PENDING', raw: rawAnswer(`HTTP_${status}`, 'Adyen answered with a server error', null, body) };
  if (isServiceError(body) && inProgress(body))
    return { kind: 'PENDING', raw: rawAnswer(IN_PROGRESS, 'Adyen is still processing the first refund with this idempotency key: the result comes by webhook', null, body) };
  if (isServiceError(body)) {
    const outcome = failed(serviceErrorCode(body), body.message, null, body);
    return { kind: 'FAILURE', raw: outcome.raw, unified: outcome.unified };
  }
  return unrecognisedRefund(status);
}

export function isPaymentResponse(value: unknown): value is AdyenPaymentResponse {
  return typeof value === 'object' && value !== null && typeof (value as { resultCode?: unknown }).resultCode === 'string';
}

export function isModificationResponse(value: unknown): value is AdyenModificationResponse {
  const v = value as Partial<AdyenModificationResponse> | null;
  return typeof v === 'object' && v !== null && v.status === 'received' && typeof v.pspReference === 'string' && typeof v.paymentPspReference === 'string';
}

export function isServiceError(value: unknown): value is AdyenServiceError {
  const v = value as AdyenServiceError | null;
  return typeof v === 'object' && v !== null && (typeof v.errorCode === 'string' || typeof v.errorType === 'string');
}
