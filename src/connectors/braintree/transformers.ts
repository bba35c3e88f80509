// Braintree's client API (the one the official Node SDK speaks: node_modules/braintree/lib/braintree
// http.js and transaction_gateway.js), both ways, without I/O:
// - requests: JSON bodies whose keys are the SDK's attribute names in snake_case
//   (`Util.convertObjectKeysToUnderscores`), wrapped in their root (`{transaction: {...}}`,
//   `{search: {...}}`), amounts as major-unit decimal strings;
// - answers: XML (Accept: application/xml), read by ./xml.ts the way the SDK reads them: a
//   `<transaction>` (sale, find, submit_for_settlement, void, refund), an `<api-error-response>`
//   (HTTP 422: validation `<errors>`, or the `<transaction>` of a processor decline or gateway
//   rejection), `<search-results>` (ids) and `<credit-card-transactions type="collection">`.
import { formatAmountString, minorUnitsOf } from '../../core/money.ts';
import type { AuthorizeOutcome, AuthorizeRequest, CaptureOutcome, RawGatewayResponse, RefundOutcome } from '../../core/ports/connector.ts';
import { declinedFromRow } from '../kit/outcomes.ts';
import { unifiedError } from '../unified-errors.ts';
import { braintreeFailure } from './status-table.ts';
import { readXmlDocument, XmlError, type XmlObject, type XmlValue } from './xml.ts';

export type BraintreeBody = Record<string, unknown>;

/** A transaction as Braintree answers it (dasherized names, as in the XML). */
export type BraintreeTransaction = XmlObject & { id: string; status: string };

export interface BraintreeCredentials {
  merchantAccountId: string | null;
  rawCardDataEnabled: boolean;
}

/** Statuses in which the money is (being) captured. */
export const CAPTURED_STATUSES: readonly string[] = ['submitted_for_settlement', 'settling', 'settlement_pending', 'settlement_confirmed', 'settled'];

/** Minor units -> Braintree's major-unit decimal string ("100.00", "500" for JPY), exactly. */
export function toBraintreeAmount(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`not an amount in minor units: ${minor}`);
  return formatAmountString(minor, currency);
}

/** Braintree's decimal string -> minor units of `currency`, exactly (null when it is not a plain decimal or has more places than the currency). */
export function fromBraintreeAmount(value: XmlValue | undefined, currency: string): number | null {
  return typeof value === 'string' ? minorUnitsOf(value, currency) : null;
}

export function isThreeDsRequested(request: AuthorizeRequest): boolean {
  return request.authType === 'THREE_DS' || request.authType === 'THREE_DS_2';
}

/** Path segments Braintree (and the SDK's `Util.isInvalidPathSegment`) accept as ids. */
export function isPathSegment(value: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(value);
}

/** A payment method nonce from the merchant's checkout (Drop-in, Hosted Fields, the client SDK's 3-D Secure). */
const NONCE = /^[A-Za-z0-9_-]{8,128}$/;

/**
 * POST /merchants/{merchant_id}/transactions: `{transaction: {type: "sale", ...}}`, or why nothing
 * may be sent. AUTO capture asks Braintree to submit for settlement at once; MANUAL authorises only.
 * 3-D Secure runs in Braintree's client SDK before this call: the server can only send the nonce the
 * client verified and ask Braintree to refuse the sale unless 3-D Secure succeeded
 * (`options.three_d_secure.required`).
 */
export function buildSaleRequest(
  request: AuthorizeRequest,
  credentials: BraintreeCredentials,
): { body: BraintreeBody } | { refused: 'raw_card_data_not_enabled' | 'three_d_secure_nonce_required' | 'unsupported_payment_method'; message: string } {
  const transaction: BraintreeBody = { amount: toBraintreeAmount(request.amount, request.currency), order_id: request.txnId.slice(0, 255) };
  const threeDs = isThreeDsRequested(request);
  if (request.gatewayToken) {
    if (!NONCE.test(request.gatewayToken))
      return { refused: 'unsupported_payment_method', message: 'gateway_token for Braintree must be a payment method nonce from its client SDK (Drop-in, Hosted Fields or 3-D Secure verifyCard)' };
    transaction.payment_method_nonce = request.gatewayToken;
  } else if (request.card) {
    if (threeDs) {
      return {
        refused: 'three_d_secure_nonce_required',
        message:
          'Braintree runs 3-D Secure in its client SDK (threeDSecure.verifyCard): send the verified payment method nonce as gateway_token; a card number cannot be authenticated from the server',
      };
    }
    if (!credentials.rawCardDataEnabled) {
      return {
        refused: 'raw_card_data_not_enabled',
        message: "This Braintree account is not enabled for full card details (PCI SAQ D): send a payment method nonce from Braintree's client SDK as gateway_token, or set raw_card_data_enabled",
      };
    }
    const card = request.card;
    transaction.credit_card = {
      number: card.number,
      expiration_month: card.expMonth.padStart(2, '0'),
      expiration_year: card.expYear.length === 2 ? `20${card.expYear}` : card.expYear,
      ...(card.cvv ? { cvv: card.cvv } : {}),
      ...(card.holderName ? { cardholder_name: card.holderName.slice(0, 175) } : {}),
    };
  } else {
    return { refused: 'unsupported_payment_method', message: 'Braintree takes cards here: the request has no card and no payment method nonce' };
  }
  if (credentials.merchantAccountId) transaction.merchant_account_id = credentials.merchantAccountId;
  if (request.customerEmail) transaction.customer = { email: request.customerEmail.slice(0, 255) };
  transaction.options = { submit_for_settlement: request.captureMode !== 'MANUAL', ...(threeDs ? { three_d_secure: { required: true } } : {}) };
  // The SDK's sale() sets the type; the body keys are its attributes in snake_case.
  return { body: { transaction: { ...transaction, type: 'sale' } } };
}

/** POST .../transactions/advanced_search_ids: the ids of the transactions with our reference as order id. */
export function searchByOrderId(orderId: string, type: 'sale' | 'credit'): BraintreeBody {
  return { search: { order_id: { is: orderId }, type: [type] } };
}

/** POST .../transactions/advanced_search: the same search narrowed to these ids (the SDK's paging call). */
export function searchPage(orderId: string, type: 'sale' | 'credit', ids: readonly string[]): BraintreeBody {
  return { search: { order_id: { is: orderId }, type: [type], ids: [...ids] } };
}

// ---- reading answers ----

export type BraintreeAnswer =
  | { kind: 'transaction'; transaction: BraintreeTransaction }
  | { kind: 'error'; message: string; codes: string[]; transaction: BraintreeTransaction | null; body: XmlObject }
  | { kind: 'search-ids'; ids: string[] }
  | { kind: 'transactions'; transactions: BraintreeTransaction[] }
  | { kind: 'unreadable'; reason: string };

function isObject(value: XmlValue | undefined): value is XmlObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isTransaction(value: XmlValue | undefined): value is BraintreeTransaction {
  return isObject(value) && typeof value.id === 'string' && value.id !== '' && typeof value.status === 'string';
}

export function str(value: XmlValue | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A child that may be one element or several (xml2js / our reader turn a repeated element into a list). */
function list(value: XmlValue | undefined): XmlValue[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

/** Every validation error code in an `<errors>` tree (they nest by attribute: errors/transaction/credit-card/errors). */
function errorCodes(errors: XmlValue | undefined): string[] {
  const codes: string[] = [];
  const walk = (node: XmlValue | undefined): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    if (typeof node.code === 'string' && typeof node.message === 'string') codes.push(node.code);
    for (const [key, child] of Object.entries(node)) if (key !== 'code') walk(child);
  };
  walk(errors);
  return codes;
}

/** Reads an XML answer body into what it is; never throws. */
export function readAnswer(text: string): BraintreeAnswer {
  if (text.trim() === '') return { kind: 'unreadable', reason: 'empty body' };
  let document: { root: string; value: XmlValue };
  try {
    document = readXmlDocument(text);
  } catch (error) {
    return { kind: 'unreadable', reason: error instanceof XmlError ? error.message : 'not XML' };
  }
  const { root, value } = document;
  if (root === 'transaction' && isTransaction(value)) return { kind: 'transaction', transaction: value };
  if (root === 'api-error-response' && isObject(value)) {
    const transaction = isTransaction(value.transaction) ? value.transaction : null;
    return { kind: 'error', message: str(value.message) ?? 'Braintree refused the request', codes: errorCodes(value.errors), transaction, body: value };
  }
  if (root === 'search-results' && isObject(value)) {
    const ids = list(value.ids).filter((id): id is string => typeof id === 'string' && id !== '');
    return { kind: 'search-ids', ids };
  }
  if (root === 'credit-card-transactions' && isObject(value)) {
    return { kind: 'transactions', transactions: list(value.transaction).filter(isTransaction) };
  }
  return { kind: 'unreadable', reason: `unexpected <${root}>` };
}

/** Card data never leaves in what we store: Braintree echoes bin and last 4 only, but some payloads (refund_failed samples) carry more. */
const SENSITIVE = new Set(['number', 'cvv', 'cvv2', 'pin', 'params']);

export function sanitize(value: XmlValue): XmlValue {
  if (Array.isArray(value)) return value.map(sanitize);
  if (!isObject(value)) return value;
  const out: XmlObject = {};
  for (const [key, child] of Object.entries(value)) if (!SENSITIVE.has(key)) Object.defineProperty(out, key, { value: sanitize(child), enumerable: true, writable: true, configurable: true });
  return out;
}

function rawOf(code: string, message: string, transaction: BraintreeTransaction | null, body?: XmlValue): RawGatewayResponse {
  const source = body ?? transaction;
  return {
    code,
    message,
    gatewayTxnId: transaction?.id ?? null,
    ...(transaction ? { rrn: str(transaction['retrieval-reference-number']), authIdCode: str(transaction['processor-authorization-code']) } : {}),
    ...(isObject(source ?? undefined) ? { body: sanitize(source!) as Record<string, unknown> } : {}),
  };
}

function failed(code: string, message: string | null, transaction: BraintreeTransaction | null, body?: XmlValue): Extract<AuthorizeOutcome, { kind: 'FAILED' }> {
  const entry = braintreeFailure(code);
  return declinedFromRow(rawOf(code, message ?? entry.message, transaction, body), entry);
}

/** The raw code a declined or rejected transaction stands for. */
export function declineCode(transaction: BraintreeTransaction): string {
  const processorCode = str(transaction['processor-response-code']);
  if (transaction.status === 'gateway_rejected') return `gateway_rejected:${str(transaction['gateway-rejection-reason']) ?? 'unknown'}`;
  if (transaction.status === 'settlement_declined') return 'settlement_declined';
  if (transaction.status === 'failed') return processorCode && /^3\d{3}$/.test(processorCode) ? processorCode : 'failed';
  return processorCode ?? 'processor_declined';
}

/**
 * A sale's state as our outcome. submitted_for_settlement and later are CHARGED (Braintree settles
 * them in its daily batch); authorized is AUTHORIZED (the payment core charges an automatically
 * captured attempt); authorizing is PENDING; a voided or expired authorisation is VOIDED.
 */
export function outcomeOfTransaction(transaction: BraintreeTransaction): AuthorizeOutcome {
  const text = str(transaction['processor-response-text']);
  const code = str(transaction['processor-response-code']) ?? transaction.status;
  const raw = (message: string) => rawOf(code, text ?? message, transaction);
  switch (transaction.status) {
    case 'authorized':
      return { kind: 'AUTHORIZED', raw: raw('Authorized') };
    case 'authorizing':
      return { kind: 'PENDING', raw: raw('Authorizing') };
    case 'submitted_for_settlement':
    case 'settling':
    case 'settlement_pending':
    case 'settlement_confirmed':
    case 'settled':
      return { kind: 'CHARGED', raw: raw(transaction.status) };
    case 'voided':
    case 'authorization_expired':
      return { kind: 'VOIDED', raw: { ...raw(transaction.status), code: transaction.status } };
    case 'processor_declined':
    case 'gateway_rejected':
    case 'failed':
    case 'settlement_declined': {
      const declined = declineCode(transaction);
      return failed(declined, transaction.status === 'gateway_rejected' ? null : text, transaction);
    }
    default:
      return { kind: 'UNKNOWN', raw: { ...raw(`Braintree status ${transaction.status}`), code: transaction.status } };
  }
}

/** An answer about a payment (sale, find) as our outcome. */
export function outcomeOfPaymentAnswer(status: number, text: string): AuthorizeOutcome {
  const answer = readAnswer(text);
  if ((status === 200 || status === 201) && answer.kind === 'transaction') return outcomeOfTransaction(answer.transaction);
  if (status === 422 && answer.kind === 'error') {
    if (answer.transaction) return outcomeOfTransaction(answer.transaction);
    return failed(answer.codes[0] ?? 'HTTP_422', answer.message, null, answer.body);
  }
  if (status >= 500 || (answer.kind === 'unreadable' && status < 400)) {
    return {
      kind: 'UNKNOWN',
      raw: {
        code: `HTTP_${status}`,
        message:
          status >= 500 ? 'Braintree answered with a server error: the outcome is unknown' : `Braintree's answer could not be read (${answer.kind === 'unreadable' ? answer.reason : answer.kind})`,
        gatewayTxnId: null,
      },
    };
  }
  if (status === 404) return failed('merchant_not_found', null, null);
  if (status >= 400) return failed(`HTTP_${status}`, null, null);
  return { kind: 'UNKNOWN', raw: { code: `HTTP_${status}`, message: 'Braintree answered something that is not a transaction or an error', gatewayTxnId: null } };
}

/** A capture (submit_for_settlement) or void answer. */
export function outcomeOfModification(status: number, text: string, transactionId: string, success: 'captured' | 'voided'): CaptureOutcome {
  const answer = readAnswer(text);
  if (status === 200 && answer.kind === 'transaction') {
    const t = answer.transaction;
    const done = success === 'captured' ? CAPTURED_STATUSES.includes(t.status) : t.status === 'voided';
    if (done) return { kind: 'SUCCESS', raw: rawOf(t.status, success === 'captured' ? 'Submitted for settlement' : 'Voided', t) };
    return { kind: 'FAILURE', raw: rawOf(t.status, `Braintree left the transaction ${t.status}`, t), unified: unifiedError('INVALID_STATE') };
  }
  if (status >= 500)
    return { kind: 'FAILURE', raw: { code: `HTTP_${status}`, message: 'Braintree answered with a server error', gatewayTxnId: transactionId }, unified: unifiedError('TIMEOUT_UNKNOWN') };
  if (answer.kind === 'error') {
    const code = answer.transaction ? declineCode(answer.transaction) : (answer.codes[0] ?? `HTTP_${status}`);
    const outcome = failed(code, answer.message, answer.transaction, answer.body);
    return { kind: 'FAILURE', raw: { ...outcome.raw, gatewayTxnId: transactionId }, unified: outcome.unified };
  }
  if (answer.kind === 'unreadable' && status < 400)
    return {
      kind: 'FAILURE',
      raw: { code: `HTTP_${status}`, message: `Braintree's answer could not be read (${answer.reason})`, gatewayTxnId: transactionId },
      unified: unifiedError('TIMEOUT_UNKNOWN'),
    };
  const outcome = failed(`HTTP_${status}`, null, null);
  return { kind: 'FAILURE', raw: { ...outcome.raw, gatewayTxnId: transactionId }, unified: outcome.unified };
}

/** A credit (the refund's own transaction) as a refund outcome. */
export function outcomeOfCredit(credit: BraintreeTransaction, saleId: string): RefundOutcome {
  if (CAPTURED_STATUSES.includes(credit.status))
    return { kind: 'SUCCESS', raw: { ...rawOf(credit.status, 'Refund submitted for settlement', credit), gatewayTxnId: saleId }, arn: null, gatewayRefundId: credit.id };
  if (credit.status === 'authorizing' || credit.status === 'authorized')
    return { kind: 'PENDING', raw: { ...rawOf(credit.status, 'Refund pending', credit), gatewayTxnId: saleId }, gatewayRefundId: credit.id };
  const outcome = failed(declineCode(credit), str(credit['processor-response-text']), credit);
  return { kind: 'FAILURE', raw: { ...outcome.raw, gatewayTxnId: saleId }, unified: outcome.unified, gatewayRefundId: credit.id };
}

/** POST .../transactions/{id}/refund answer. */
export function outcomeOfRefundAnswer(status: number, text: string, saleId: string): RefundOutcome {
  const answer = readAnswer(text);
  if ((status === 200 || status === 201) && answer.kind === 'transaction') return outcomeOfCredit(answer.transaction, saleId);
  if (status >= 500 || (answer.kind === 'unreadable' && status < 400))
    return { kind: 'PENDING', raw: { code: `HTTP_${status}`, message: 'Braintree answered with a server error or an unreadable body: the refund may exist', gatewayTxnId: saleId } };
  if (answer.kind === 'error') {
    if (answer.transaction) return outcomeOfCredit(answer.transaction, saleId);
    const outcome = failed(answer.codes[0] ?? `HTTP_${status}`, answer.message, null, answer.body);
    return { kind: 'FAILURE', raw: { ...outcome.raw, gatewayTxnId: saleId }, unified: outcome.unified };
  }
  const outcome = failed(status === 404 ? 'HTTP_404' : `HTTP_${status}`, null, null);
  return { kind: 'FAILURE', raw: { ...outcome.raw, gatewayTxnId: saleId }, unified: outcome.unified };
}
