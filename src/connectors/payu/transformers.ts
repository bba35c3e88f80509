// PayU India (PayU Biz) both ways, without I/O: the _payment form (hosted and server-to-server),
// the command APIs (postservice.php?form=2) and their answers. Amounts are MAJOR units as strings
// ("100.00"), computed from our minor units without floats.
import { createHash } from 'node:crypto';
import { formatAmountString, minorUnitsOf } from '../../core/money.ts';
import type { AuthorizeOutcome, AuthorizeRequest, CardDetails, RawGatewayResponse } from '../../core/ports/connector.ts';
import { declinedFromRow } from '../kit/outcomes.ts';
import { paymentHash } from './hash.ts';
import { payuFailure } from './status-table.ts';

export type PayuForm = Record<string, string>;

/** Minor units -> PayU's major-unit string ("100.00"): integer arithmetic on the currency's exponent. */
export function toPayuAmount(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError('amount must be a non-negative integer of minor units');
  return formatAmountString(minor, currency);
}

/** PayU's major-unit string ("10", "10.5", "10.00") -> minor units, or null when it is not a plain decimal. */
export function fromPayuAmount(text: string | undefined, currency: string): number | null {
  return minorUnitsOf(text, currency);
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,25}$/;
const base32 = (bytes: Buffer): string => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
};

/**
 * PayU's txnid for our transaction. PayU allows 25 characters (https://docs.payu.in/docs/addl_info-payment-apis)
 * and refuses a txnid it has seen: our txn id when it fits, otherwise a deterministic digest of it
 * ("j" + 24 base32 characters of SHA-256), so a retry or a status sync by our reference finds the
 * same txnid again. The full txn id travels in udf1. Idempotent: a PayU txnid maps to itself.
 */
export function payuTxnId(ourTxnId: string): string {
  if (SAFE_ID.test(ourTxnId)) return ourTxnId;
  return `j${base32(createHash('sha256').update(ourTxnId).digest()).slice(0, 24)}`;
}

/** PayU's refund/capture token (var2) for our idempotency key: the same derivation as txnid. */
export function payuToken(idempotencyKey: string): string {
  return payuTxnId(idempotencyKey);
}

/**
 * Juspay's netbanking names (payment_method NB_*) -> PayU bank codes (pg=NB, bankcode), from PayU's
 * net banking code list (https://docs.payu.in/docs/netbanking-codes) [partly inferred: check the
 * codes enabled on the account before going live]. A bank not listed is refused before any call.
 */
export const PAYU_NB_BANK_CODES: Readonly<Record<string, string>> = {
  NB_AXIS: 'AXIB',
  NB_BOB: 'BBRB',
  NB_BOI: 'BOIB',
  NB_BOM: 'BOMB',
  NB_CANR: 'CABB',
  NB_CBI: 'CBIB',
  NB_CUB: 'CUBB',
  NB_DCB: 'DCBB',
  NB_DEUT: 'DSHB',
  NB_DLS: 'DLSB',
  NB_FED: 'FEDB',
  NB_HDFC: 'HDFB',
  NB_ICICI: 'ICIB',
  NB_IDBI: 'IDBB',
  NB_INDB: 'INIB',
  NB_IOB: 'IOBB',
  NB_JKB: 'JAKB',
  NB_KARB: 'KRKB',
  NB_KOTAK: '162B',
  NB_KVB: 'KRVB',
  NB_PNB: 'PNBB',
  NB_RBL: 'RATB',
  NB_SBI: 'SBIB',
  NB_SIB: 'SOIB',
  NB_TMB: 'TMBB',
  NB_UBI: 'UBIB',
  NB_UCO: 'UCOB',
  NB_YESB: 'YESB',
  // Not mapped (no PayU code we could confirm): NB_CSB, NB_IDFC, NB_INDIAN, NB_PSB, NB_SCB: refused before any call.
};

/** Juspay's wallet names -> PayU wallet bank codes (pg=CASH) [inferred from PayU's wallet code list]. */
export const PAYU_WALLET_CODES: Readonly<Record<string, string>> = {
  PAYTM: 'PAYTM',
  MOBIKWIK: 'MOBIKWIK',
  FREECHARGE: 'FREC',
  OLAMONEY: 'OLAM',
  JIOMONEY: 'JIOM',
  AIRTELMONEY: 'AMON',
  AMAZONPAY: 'AMZPAY',
  PHONEPE: 'PHONEPE',
  // Not mapped: PAYZAPP, PAYPAL (refused before any call).
};

export interface PayuCredentials {
  key: string;
  salt: string;
  rawCardDataEnabled: boolean;
}

/** What authorize does: post the shopper's browser to PayU (hosted), call PayU server-to-server, or nothing. */
export type PayuPlan = { kind: 'REDIRECT'; form: PayuForm } | { kind: 'S2S'; form: PayuForm; flow: 'CARD' | 'UPI_COLLECT' | 'UPI_INTENT' } | { kind: 'REFUSED'; code: string; message: string };

function firstName(request: AuthorizeRequest): string {
  const fromCard = request.card?.holderName?.trim().split(/\s+/)[0];
  return (fromCard || 'Customer').replace(/[^A-Za-z0-9 .'-]/g, '').slice(0, 60) || 'Customer';
}

function baseForm(request: AuthorizeRequest, credentials: PayuCredentials): PayuForm {
  const form: PayuForm = {
    key: credentials.key,
    txnid: payuTxnId(request.txnId),
    amount: toPayuAmount(request.amount, request.currency),
    productinfo: `Order ${request.orderId}`.slice(0, 100),
    firstname: firstName(request),
    // PayU marks phone mandatory: the order's customer_phone, or a placeholder when the order has none.
    email: (request.customerEmail ?? 'customer@payments.invalid').slice(0, 50),
    phone: (request.customerPhone ?? '').replace(/\D/g, '').slice(-10) || '9999999999',
    surl: request.returnUrl,
    furl: request.returnUrl,
    udf1: request.txnId.slice(0, 255),
    udf2: request.txnUuid.slice(0, 255),
    udf3: '',
    udf4: '',
    udf5: '',
  };
  return form;
}

function withHash(form: PayuForm, salt: string): PayuForm {
  return { ...form, hash: paymentHash(form, salt) };
}

function cardFields(card: CardDetails): PayuForm {
  const debit = card.type === 'DEBIT';
  const brandCode: Record<string, string> = { VISA: 'VISA', MASTERCARD: 'MAST', MAESTRO: 'MAES', RUPAY: 'RUPAY', AMEX: 'AMEX', DINERS: 'DINR' };
  return {
    pg: debit ? 'DC' : 'CC',
    bankcode: debit ? (brandCode[card.brand ?? ''] ?? 'VISA') : card.brand === 'AMEX' ? 'AMEX' : card.brand === 'DINERS' ? 'DINR' : 'CC',
    ccnum: card.number,
    ccname: (card.holderName ?? 'Card Holder').slice(0, 60),
    ccexpmon: card.expMonth.padStart(2, '0'),
    ccexpyr: card.expYear.length === 2 ? `20${card.expYear}` : card.expYear,
    ...(card.cvv ? { ccvv: card.cvv } : {}),
  };
}

/** What authorize must do for this request: a hosted redirect, a server-to-server call, or a refusal. */
export function planPayment(request: AuthorizeRequest, credentials: PayuCredentials): PayuPlan {
  if (request.currency !== 'INR') return { kind: 'REFUSED', code: 'currency_not_supported', message: `PayU India takes INR only, not ${request.currency}` };
  const base = baseForm(request, credentials);
  switch (request.paymentMethodType) {
    case 'CARD': {
      if (request.gatewayToken) return { kind: 'REFUSED', code: 'method_not_supported', message: "gateway_token is not supported for PayU: send the card, or let the shopper type it on PayU's page" };
      const preAuth: PayuForm = request.captureMode === 'MANUAL' ? { pre_authorize: '1' } : {};
      if (request.card && credentials.rawCardDataEnabled) {
        // Seamless, server to server: the card goes to PayU from our server, never into the browser's form.
        return { kind: 'S2S', flow: 'CARD', form: withHash({ ...base, ...cardFields(request.card), ...preAuth, txn_s2s_flow: '1' }, credentials.salt) };
      }
      // Hosted: the shopper types the card on PayU's page; the form we hand out holds no card data.
      return { kind: 'REDIRECT', form: withHash({ ...base, ...preAuth, enforce_paymethod: 'creditcard|debitcard' }, credentials.salt) };
    }
    case 'NB': {
      const bankcode = PAYU_NB_BANK_CODES[request.paymentMethod];
      if (!bankcode) return { kind: 'REFUSED', code: 'bank_not_supported', message: `${request.paymentMethod} has no PayU netbanking bank code` };
      return { kind: 'REDIRECT', form: withHash({ ...base, pg: 'NB', bankcode }, credentials.salt) };
    }
    case 'WALLET': {
      const bankcode = PAYU_WALLET_CODES[request.wallet?.name ?? request.paymentMethod];
      if (!bankcode) return { kind: 'REFUSED', code: 'wallet_not_supported', message: `${request.wallet?.name ?? request.paymentMethod} has no PayU wallet code` };
      return { kind: 'REDIRECT', form: withHash({ ...base, pg: 'CASH', bankcode }, credentials.salt) };
    }
    case 'UPI': {
      if (request.upi?.txnType === 'UPI_COLLECT') {
        if (!request.upi.vpa) return { kind: 'REFUSED', code: 'invalid_request', message: "UPI collect needs the shopper's VPA" };
        return { kind: 'S2S', flow: 'UPI_COLLECT', form: withHash({ ...base, pg: 'UPI', bankcode: 'UPI', vpa: request.upi.vpa, txn_s2s_flow: '4' }, credentials.salt) };
      }
      return { kind: 'S2S', flow: 'UPI_INTENT', form: withHash({ ...base, pg: 'UPI', bankcode: 'INTENT', txn_s2s_flow: '4' }, credentials.salt) };
    }
    default:
      return { kind: 'REFUSED', code: 'method_not_supported', message: `PayU does not take ${request.paymentMethodType} here` };
  }
}

/** One payment as PayU reports it: the surl/furl post, the webhook, a verify_payment entry. */
export interface PayuResult {
  mihpayid?: string;
  txnid?: string;
  status?: string;
  unmappedstatus?: string;
  error?: string;
  error_code?: string;
  error_Message?: string;
  field9?: string;
  amount?: string;
  amt?: string;
  bank_ref_num?: string;
  mode?: string;
  [field: string]: unknown;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);

/** Fields we may keep of a PayU result (no hash; card numbers only as PayU masks them). */
export function storableResult(result: Record<string, unknown>): Record<string, unknown> {
  const { hash: _hash, ccnum: _ccnum, ccvv: _ccvv, cardhash: _cardhash, ...rest } = result;
  for (const [name, value] of Object.entries(rest)) {
    if (typeof value === 'string' && /\d{13,19}/.test(value.replace(/[\s-]/g, ''))) rest[name] = '[redacted]';
  }
  return rest;
}

function rawOf(code: string, message: string, txnid: string | null, body?: Record<string, unknown>): RawGatewayResponse {
  return { code, message, gatewayTxnId: txnid, ...(body ? { body: storableResult(body) } : {}) };
}

/** The raw code of a failed result: PayU's E-code when it gave one, otherwise its unmappedstatus. */
export function failureCode(result: PayuResult): string {
  const error = text(result.error) ?? text(result.error_code);
  if (error && error !== 'E000' && error.trim() !== '') return error;
  return text(result.unmappedstatus) || text(result.status) || 'failed';
}

export function failedOutcome(code: string, message: string | undefined, txnid: string | null, body?: Record<string, unknown>): Extract<AuthorizeOutcome, { kind: 'FAILED' }> {
  const entry = payuFailure(code);
  return declinedFromRow(rawOf(code, message || entry.message, txnid, body), entry);
}

/** A payment's state as our outcome. `txnid` is our gateway txn id (PayU's txnid). */
export function outcomeOfResult(result: PayuResult, txnid: string): AuthorizeOutcome {
  const status = (text(result.status) ?? '').toLowerCase();
  const unmapped = text(result.unmappedstatus) ?? '';
  const body = result as Record<string, unknown>;
  const message = text(result.error_Message) || text(result.field9) || undefined;
  if (status === 'not found' || text(result.mihpayid) === 'Not Found') return failedOutcome('NOT_FOUND', 'PayU has no transaction with this txnid', txnid, body);
  if (status === 'success') {
    if (unmapped === 'auth') return { kind: 'AUTHORIZED', raw: { ...rawOf('auth', message ?? 'Authorised (pre-authorisation)', txnid, body), rrn: text(result.bank_ref_num) ?? null } };
    return { kind: 'CHARGED', raw: { ...rawOf(unmapped || 'captured', message ?? 'Transaction Completed Successfully', txnid, body), rrn: text(result.bank_ref_num) ?? null } };
  }
  if (unmapped === 'cancelled' || unmapped === 'auto_refund_cancelled') return { kind: 'VOIDED', raw: rawOf(unmapped, 'The pre-authorisation was cancelled', txnid, body) };
  if (status === 'pending' || status === 'in progress' || status === 'initiated' || ['pending', 'in progress', 'initiated', 'auth_pending'].includes(unmapped)) {
    return { kind: 'PENDING', raw: rawOf(unmapped || 'pending', message ?? 'Pending at PayU or the bank', txnid, body) };
  }
  if (status === 'failure' || status === 'failed' || status === 'cancel' || unmapped) return failedOutcome(failureCode(result), message, txnid, body);
  return { kind: 'UNKNOWN', raw: rawOf('UNREADABLE', 'PayU answered with a result that has no status', txnid, body) };
}

/** The command APIs' common answer (status 1 = the call worked, 0 = it did not). */
export interface PayuCommandAnswer {
  status?: number | string;
  msg?: string;
  error_code?: string | number;
  request_id?: string | number;
  bank_ref_num?: string;
  mihpayid?: string | number;
  transaction_details?: Record<string, unknown>;
  [field: string]: unknown;
}

export function parseJson(value: string): PayuCommandAnswer | undefined {
  if (value === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as PayuCommandAnswer) : undefined;
  } catch {
    return undefined;
  }
}

export const commandOk = (answer: PayuCommandAnswer | undefined): boolean => answer !== undefined && String(answer.status) === '1';

/** verify_payment: the entry of this txnid (or undefined when the answer has none). */
export function verifyEntry(answer: PayuCommandAnswer | undefined, txnid: string): PayuResult | undefined {
  const details = answer?.transaction_details;
  if (!details || typeof details !== 'object') return undefined;
  const entry = (details as Record<string, unknown>)[txnid];
  return entry && typeof entry === 'object' ? (entry as PayuResult) : undefined;
}

/** One refund (or capture/cancel) request as check_action_status reports it. */
export interface PayuActionRecord {
  request_id: string;
  mihpayid?: string;
  token?: string;
  action?: string;
  status?: string;
  amt?: string;
  bank_arn?: string | null;
  bank_ref_num?: string | null;
  [field: string]: unknown;
}

/** Every action record in a check_action_status answer (PayU nests them by id, once or twice). */
export function actionRecords(answer: PayuCommandAnswer | undefined): PayuActionRecord[] {
  const out: PayuActionRecord[] = [];
  const walk = (value: unknown, depth: number): void => {
    if (!value || typeof value !== 'object' || depth > 3) return;
    const record = value as Record<string, unknown>;
    if (record.request_id !== undefined && (record.status !== undefined || record.action !== undefined)) {
      out.push({ ...record, request_id: String(record.request_id) } as PayuActionRecord);
      return;
    }
    for (const child of Object.values(record)) walk(child, depth + 1);
  };
  walk(answer?.transaction_details, 0);
  return out;
}

/** The redirect in a server-to-server answer: acsTemplate is base64 HTML with one auto-submitting form. */
export function redirectOfAcsTemplate(acsTemplate: string): { method: 'GET' | 'POST'; url: string; params: Record<string, string> } | null {
  let html: string;
  try {
    html = Buffer.from(acsTemplate, 'base64').toString('utf8');
  } catch {
    return null;
  }
  const unescapeHtml = (value: string) =>
    value
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const formTag = /<form\b([^>]*)>/i.exec(html);
  if (!formTag) return null;
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(tag)?.[1];
  const action = attr(formTag[1]!, 'action');
  if (!action || !/^https?:\/\//.test(unescapeHtml(action))) return null;
  const method = (attr(formTag[1]!, 'method') ?? 'post').toUpperCase() === 'GET' ? 'GET' : 'POST';
  const params: Record<string, string> = {};
  for (const input of html.matchAll(/<input\b([^>]*)>/gi)) {
    const name = attr(input[1]!, 'name');
    if (name) params[unescapeHtml(name)] = unescapeHtml(attr(input[1]!, 'value') ?? '');
  }
  return { method, url: unescapeHtml(action), params };
}

/** Refuses redirect params that would carry the card number or CVV into our database. */
export function holdsCardData(params: Record<string, string>, card: CardDetails | null): boolean {
  if (!card) return false;
  return Object.values(params).some((value) => value.replace(/[\s-]/g, '').includes(card.number) || (card.cvv !== null && value === card.cvv));
}
