// A local, stateful stand-in for Braintree's client API (the API of the official server SDKs:
// https://developer.paypal.com/braintree/docs/reference/overview), for tests and the offline demo.
// - Every request is checked: HTTP Basic public_key:private_key of the merchant in the path,
//   X-ApiVersion, Content-Type, and the body (JSON as the Node SDK sends it, or XML as the other
//   SDKs do) against ./contract (a JSON Schema written from the SDK's request building and
//   Braintree's API reference). A violation is recorded in `violations` and refused (HTTP 400).
// - Value rules Braintree documents are answered as Braintree does: HTTP 422 `<api-error-response>`
//   with the documented validation error codes (81502 amount required, 81503 format, 91507 cannot
//   submit for settlement, 91504 cannot be voided, 91506 cannot refund unless settled, 91521 refund
//   too large, 91565 unknown nonce, ...).
// - Transactions are stateful: sale -> authorized -> submitted_for_settlement -> settling/settled
//   (settled by the sandbox's testing calls PUT .../settle etc., or `settleAfterMs`), voided; a
//   refund is a separate credit transaction (refunded-transaction-id) and needs a settled sale.
// - Braintree's sandbox test values (https://developer.paypal.com/braintree/docs/guides/credit-cards/testing-go-live):
//   amounts 2000.00-2999.99 are processor_declined with that code, 3000.00-3000.99 fail with 3000;
//   test card numbers only; CVV 200 (N) and 201 (U) are gateway_rejected cvv; the fraud and risk
//   threshold cards are gateway_rejected; the SDK's fake nonces (lib/braintree/test_values/nonces.js)
//   including the 3-D Secure ones; options.three_d_secure.required rejects a sale without a
//   liability shift (three_d_secure).
// - Webhooks: `bt_signature` / `bt_payload` (base64 XML notification, signed with every API key of
//   the merchant: public_key|hex HMAC-SHA1(SHA-1(private_key), payload), pairs joined by &), sent to
//   registered URLs on settlement and on demand.
// - Faults: a decline on demand, stalls, 5xx, down.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFaults, serveEmulator } from '../kit.ts';
import { detectBrand, luhnValid } from '../../src/core/cards.ts';
import { currencyExponent } from '../../src/core/money.ts';
import { writeXml, writeXmlFragment, xml, type XmlNode } from '../../src/connectors/braintree/xml.ts';
import { braintreeViolations, readRequestBody, type BraintreeOperation, type ContractProblem, type RequestTree, type RequestValue } from './contract.ts';

export interface BraintreeApiKey {
  publicKey: string;
  privateKey: string;
}

export interface BraintreeMerchantConfig {
  merchantId: string;
  /** API key pairs of this gateway; every one signs webhooks (several pairs in bt_signature). */
  keys: BraintreeApiKey[];
  /** Merchant account id -> its currency; the first is the default merchant account. */
  merchantAccounts: Record<string, string>;
}

export interface BraintreeEmulatorOptions {
  port?: number;
  host?: string;
  merchants?: BraintreeMerchantConfig[];
  /** Settle submitted transactions this many ms after submission (0: at once); null (default): only by the testing calls, like the sandbox's daily batch. */
  settleAfterMs?: number | null;
  /** The account's CVV rules: reject CVV responses N and U (default true). */
  cvvRules?: boolean;
  /** Duplicate transaction checking window (ms); off when absent. */
  duplicateWindowMs?: number;
  /**
   * Accept any Luhn-valid card number as an approved card of its brand (a convenience for the offline
   * demo, whose shoppers type other gateways' test cards); the sandbox itself refuses numbers that are
   * not its test numbers (81717), which is the default here.
   */
  acceptAnyLuhnCard?: boolean;
}

export const BRAINTREE_EMULATOR_MERCHANT: BraintreeMerchantConfig = {
  merchantId: 'junctionmerchant01',
  keys: [{ publicKey: 'junctionpublickey1', privateKey: 'junctionprivatekey0000000000000001' }],
  merchantAccounts: { junction_usd: 'USD', junction_eur: 'EUR', junction_inr: 'INR', junction_jpy: 'JPY' },
};

/** Braintree's sandbox test card numbers and the card type they are. */
export const BRAINTREE_TEST_CARDS: Record<string, { cardType: string; fraud?: 'fraud' | 'risk_threshold' }> = {
  '4111111111111111': { cardType: 'Visa' },
  '4005519200000004': { cardType: 'Visa' },
  '4009348888881881': { cardType: 'Visa' },
  '4012000033330026': { cardType: 'Visa' },
  '4012000077777777': { cardType: 'Visa' },
  '4012888888881881': { cardType: 'Visa' },
  '4217651111111119': { cardType: 'Visa' },
  '4500600000000061': { cardType: 'Visa' },
  '5555555555554444': { cardType: 'MasterCard' },
  '2223000048400011': { cardType: 'MasterCard' },
  '378282246310005': { cardType: 'American Express' },
  '371449635398431': { cardType: 'American Express' },
  '6011111111111117': { cardType: 'Discover' },
  '3530111333300000': { cardType: 'JCB' },
  '6304000000000000': { cardType: 'Maestro' },
  '36259600000004': { cardType: 'Diners Club' },
  '4000111111111511': { cardType: 'Visa', fraud: 'fraud' },
  '4111130000000003': { cardType: 'Visa', fraud: 'risk_threshold' },
};

/** Our brands as Braintree's card types (the SDK's CreditCard.CardType). */
const CARD_TYPE_OF_BRAND: Record<string, string> = {
  VISA: 'Visa',
  MASTERCARD: 'MasterCard',
  AMEX: 'American Express',
  DISCOVER: 'Discover',
  DINERS: 'Diners Club',
  JCB: 'JCB',
  MAESTRO: 'Maestro',
  UNIONPAY: 'China UnionPay',
};

interface ThreeDsInfo {
  status: string;
  liabilityShifted: boolean;
  liabilityShiftPossible: boolean;
  enrolled: string;
  version: string | null;
}

interface NonceBehaviour {
  cardType: string;
  bin: string;
  last4: string;
  reusable: boolean;
  threeDs?: ThreeDsInfo;
  processorCode?: string;
  unknown?: boolean;
  consumed?: boolean;
  luhnInvalid?: boolean;
}

const tds = (status: string, shifted: boolean, possible: boolean, enrolled = 'Y', version: string | null = '1.0.2'): ThreeDsInfo => ({
  status,
  liabilityShifted: shifted,
  liabilityShiftPossible: possible,
  enrolled,
  version,
});
const visa = (extra: Partial<NonceBehaviour> = {}): NonceBehaviour => ({ cardType: 'Visa', bin: '401288', last4: '1881', reusable: true, ...extra });

/**
 * The SDK's fake nonces (lib/braintree/test_values/nonces.js) the emulator knows, with the card and
 * 3-D Secure result Braintree's testing guide gives them
 * (https://developer.paypal.com/braintree/docs/reference/general/testing; 3-D Secure statuses from the
 * 3-D Secure testing page; where a status is not documented there it is our inference).
 */
export const BRAINTREE_FAKE_NONCES: Record<string, NonceBehaviour> = {
  'fake-valid-nonce': visa(),
  'fake-valid-visa-nonce': visa(),
  'fake-valid-amex-nonce': { cardType: 'American Express', bin: '378282', last4: '0005', reusable: true },
  'fake-valid-mastercard-nonce': { cardType: 'MasterCard', bin: '555555', last4: '4444', reusable: true },
  'fake-valid-discover-nonce': { cardType: 'Discover', bin: '601111', last4: '1117', reusable: true },
  'fake-valid-jcb-nonce': { cardType: 'JCB', bin: '353011', last4: '0000', reusable: true },
  'fake-valid-maestro-nonce': { cardType: 'Maestro', bin: '630400', last4: '0000', reusable: true },
  'fake-valid-dinersclub-nonce': { cardType: 'Diners Club', bin: '362596', last4: '0004', reusable: true },
  'fake-valid-debit-nonce': visa(),
  'fake-valid-prepaid-nonce': visa(),
  'fake-consumed-nonce': visa({ consumed: true }),
  'fake-processor-declined-visa-nonce': { cardType: 'Visa', bin: '400011', last4: '1115', reusable: true, processorCode: '2000' },
  'fake-processor-declined-mastercard-nonce': { cardType: 'MasterCard', bin: '510510', last4: '5100', reusable: true, processorCode: '2000' },
  'fake-processor-declined-amex-nonce': { cardType: 'American Express', bin: '378734', last4: '1000', reusable: true, processorCode: '2000' },
  'fake-processor-declined-discover-nonce': { cardType: 'Discover', bin: '601100', last4: '9424', reusable: true, processorCode: '2000' },
  'fake-processor-failure-jcb-nonce': { cardType: 'JCB', bin: '356600', last4: '0505', reusable: true, processorCode: '3000' },
  'fake-luhn-invalid-nonce': visa({ luhnInvalid: true }),
  'fake-three-d-secure-visa-full-authentication-nonce': visa({ threeDs: tds('authenticate_successful', true, true) }),
  'fake-three-d-secure-visa-lookup-timeout-nonce': visa({ threeDs: tds('lookup_error', false, false, 'U') }),
  'fake-three-d-secure-visa-failed-signature-nonce': visa({ threeDs: tds('authenticate_signature_verification_failed', false, true) }),
  'fake-three-d-secure-visa-failed-authentication-nonce': visa({ threeDs: tds('authenticate_failed', false, true) }),
  'fake-three-d-secure-visa-attempts-non-participating-nonce': visa({ threeDs: tds('authenticate_attempt_successful', true, true) }),
  'fake-three-d-secure-visa-not-enrolled-nonce': visa({ threeDs: tds('lookup_not_enrolled', false, false, 'N') }),
  'fake-three-d-secure-visa-unavailable-nonce': visa({ threeDs: tds('lookup_enrolled', false, false, 'U') }),
  'fake-three-d-secure-visa-mpi-lookup-error-nonce': visa({ threeDs: tds('lookup_error', false, false, 'U') }),
  'fake-three-d-secure-visa-mpi-authenticate-error-nonce': visa({ threeDs: tds('authenticate_error', false, true) }),
  'fake-three-d-secure-visa-authentication-unavailable-nonce': visa({ threeDs: tds('authenticate_unable_to_authenticate', false, true) }),
  'fake-three-d-secure-visa-bypassed-authentication-nonce': visa({ threeDs: tds('authentication_bypassed', false, false) }),
  'fake-three-d-secure-two-visa-successful-frictionless-authentication-nonce': visa({ threeDs: tds('authenticate_frictionless_successful', true, true, 'Y', '2.2.0') }),
  'fake-three-d-secure-two-visa-successful-step-up-authentication-nonce': visa({ threeDs: tds('challenge_required', true, true, 'Y', '2.2.0') }),
  'fake-three-d-secure-two-visa-error-on-lookup-nonce': visa({ threeDs: tds('lookup_error', false, false, 'U', '2.2.0') }),
  'fake-three-d-secure-two-visa-timeout-on-lookup-nonce': visa({ threeDs: tds('lookup_error', false, false, 'U', '2.2.0') }),
};

/** The SDK's 3-D Secure authentication ids (lib/braintree/test_values/authentication_ids.js): the same results as the nonces. */
const AUTHENTICATION_IDS: Record<string, ThreeDsInfo> = Object.fromEntries(
  Object.entries(BRAINTREE_FAKE_NONCES)
    .filter(([nonce, b]) => b.threeDs && nonce.startsWith('fake-three-d-secure-'))
    .map(([nonce, b]) => [nonce.replace(/-nonce$/, '-id'), b.threeDs!]),
);

/** Processor response texts (Braintree's authorization responses page). */
const PROCESSOR_TEXT: Record<string, string> = {
  '1000': 'Approved',
  '1002': 'Processed',
  '2000': 'Do Not Honor',
  '2001': 'Insufficient Funds',
  '2002': 'Limit Exceeded',
  '2003': "Cardholder's Activity Limit Exceeded",
  '2004': 'Expired Card',
  '2005': 'Invalid Credit Card Number',
  '2010': 'Card Issuer Declined CVV',
  '2012': 'Processor Declined - Possible Lost Card',
  '2013': 'Processor Declined - Possible Stolen Card',
  '2014': 'Processor Declined - Fraud Suspected',
  '2015': 'Transaction Not Allowed',
  '2038': 'Processor Declined',
  '2044': 'Declined - Call Issuer',
  '2046': 'Declined',
  '2047': 'Call Issuer. Pick Up Card',
  '2053': 'Card reported as lost or stolen',
  '2057': 'Issuer or Cardholder has put a restriction on the card',
  '2099': 'Cardholder Authentication Required',
  '3000': 'Processor Network Unavailable - Try Again',
};

/** Braintree's Hard declines among the codes above (everything else 2xxx is Soft), for processor-response-type. */
const HARD = new Set(['2004', '2005', '2006', '2007', '2008', '2009', '2010', '2011', '2012', '2013', '2014', '2015', '2017', '2018', '2019', '2020', '2021', '2022', '2043', '2044', '2047', '2053']);

interface StatusEvent {
  status: string;
  amount: number;
  timestamp: string;
}

export interface BraintreeTransactionState {
  id: string;
  merchantId: string;
  type: 'sale' | 'credit';
  status: string;
  /** Minor units of `currency`. */
  amount: number;
  currency: string;
  merchantAccountId: string;
  orderId: string | null;
  processorResponseCode: string | null;
  processorResponseText: string | null;
  gatewayRejectionReason: string | null;
  authorizationCode: string | null;
  cvvResponseCode: string;
  card: { bin: string; last4: string; cardType: string; expirationMonth: string | null; expirationYear: string | null; cardholderName: string | null };
  threeDs: ThreeDsInfo | null;
  customerEmail: string | null;
  refundIds: string[];
  refundedTransactionId: string | null;
  history: StatusEvent[];
  createdAt: string;
  updatedAt: string;
  fingerprint: string;
}

export interface BraintreeNotificationRecord {
  kind: string;
  subjectId: string;
  merchantId: string;
  timestamp: string;
  xml: string;
}

export interface BraintreeEmulator {
  url: string;
  port: number;
  requests: Array<{ method: string; path: string; headers: Record<string, string>; body: RequestTree | null; raw: string }>;
  /** Contract violations of the requests received (a conforming client leaves this empty). */
  violations: Array<{ method: string; path: string; operation: string; problems: ContractProblem[] }>;
  /** Every notification produced, oldest first. */
  events: BraintreeNotificationRecord[];
  transaction(id: string): BraintreeTransactionState | undefined;
  /** Sales that reached an approved authorisation (a double charge shows here). */
  chargeCount(): number;
  /** The next sale is processor_declined with this code (null: back to the test values). */
  declineNext(code: string | null): void;
  /** Turns duplicate transaction checking on (a window in ms) or off (null). */
  duplicateChecking(windowMs: number | null): void;
  stallNext(ms: number, count?: number, path?: string): void;
  failNext(status: number, count?: number, path?: string): void;
  /** A single-use payment method nonce for a test card (what the client SDK's tokenisation returns). */
  createNonce(card: string, threeDs?: keyof typeof BRAINTREE_FAKE_NONCES): string;
  /** The sandbox's testing calls, for tests: settle, settlement_confirm, settlement_decline, settlement_pending. */
  settle(id: string, operation?: 'settle' | 'settlement_confirm' | 'settlement_decline' | 'settlement_pending'): BraintreeTransactionState;
  addWebhookEndpoint(merchantId: string, url: string): void;
  /** A notification (transaction_settled, transaction_settlement_declined, transaction_disbursed, check, ...) about a transaction, signed with every key of its merchant. */
  signedNotification(
    kind: string,
    transactionId: string | null,
    merchantId?: string,
  ): { headers: Record<string, string>; rawBody: string; fields: { bt_signature: string; bt_payload: string }; record: BraintreeNotificationRecord };
  /** Signs a record again (a redelivery). */
  signRecord(record: BraintreeNotificationRecord): { headers: Record<string, string>; rawBody: string; fields: { bt_signature: string; bt_payload: string } };
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
function newId(length = 8): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Base64 in lines of 60 characters with a final newline (Ruby's Base64.encode64, as Braintree's payloads look [inference]). */
function base64Lines(text: string): string {
  const encoded = Buffer.from(text, 'utf8').toString('base64');
  return `${encoded.match(/.{1,60}/g)!.join('\n')}\n`;
}

function signPayload(payload: string, key: BraintreeApiKey): string {
  const hmacKey = createHash('sha1').update(key.privateKey, 'latin1').digest();
  return `${key.publicKey}|${createHmac('sha1', hmacKey).update(payload, 'latin1').digest('hex')}`;
}

class ApiError {
  constructor(
    readonly errors: Array<{ code: string; attribute: string; message: string; path: string[] }>,
    readonly message: string,
  ) {}
}

class NotFound {}

const validation = (code: string, attribute: string, message: string, path: string[] = ['transaction']) => new ApiError([{ code, attribute, message, path }], message);

export async function startBraintreeEmulator(options: BraintreeEmulatorOptions = {}): Promise<BraintreeEmulator> {
  const merchants = new Map((options.merchants ?? [BRAINTREE_EMULATOR_MERCHANT]).map((m) => [m.merchantId, m]));
  const transactions = new Map<string, BraintreeTransactionState>();
  const nonces = new Map<string, NonceBehaviour & { card: string; used: boolean }>();
  const requests: BraintreeEmulator['requests'] = [];
  const violations: BraintreeEmulator['violations'] = [];
  const events: BraintreeNotificationRecord[] = [];
  const endpoints = new Map<string, string[]>();
  const faults = createFaults();
  const cvvRules = options.cvvRules ?? true;
  let declineNext: string | null = null;
  let duplicateWindowMs: number | null = options.duplicateWindowMs ?? null;

  // ---- amounts ----
  function parseAmount(value: RequestValue | undefined, currency: string, attribute = 'amount'): number {
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
    if (value === undefined || value === null || text === '') throw validation('81502', attribute, 'Amount is required.');
    if (text.startsWith('-')) throw validation('81501', attribute, 'Amount cannot be negative.');
    const exponent = currencyExponent(currency);
    const match = /^(\d{1,13})(?:\.(\d+))?$/.exec(text);
    if (!match || (match[2] ?? '').length > Math.max(exponent, 2)) throw validation('81503', attribute, 'Amount is an invalid format.');
    const fraction = (match[2] ?? '').replace(/0+$/, '');
    if (fraction.length > exponent) throw validation('81503', attribute, 'Amount is an invalid format.');
    const minor = Number(match[1]) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
    if (minor === 0) throw validation('81531', attribute, 'Amount must be greater than zero.');
    if (Number(match[1]) >= 10 ** 9) throw validation('81528', attribute, 'Amount is too large.');
    return minor;
  }
  function major(minor: number, currency: string): string {
    const exponent = currencyExponent(currency);
    if (exponent === 0) return String(minor);
    const digits = String(minor).padStart(exponent + 1, '0');
    return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  }

  // ---- answers ----
  function transactionXml(t: BraintreeTransactionState, name = 'transaction'): XmlNode {
    const approved = t.processorResponseCode?.startsWith('1');
    const type = t.processorResponseCode === null ? null : approved ? 'approved' : HARD.has(t.processorResponseCode) ? 'hard_declined' : 'soft_declined';
    const nil = xml.nil;
    return xml.obj(name, [
      xml.str('id', t.id),
      xml.str('status', t.status),
      xml.str('type', t.type),
      xml.str('currency-iso-code', t.currency),
      xml.str('amount', major(t.amount, t.currency)),
      xml.str('amount-requested', major(t.history[0]?.amount ?? t.amount, t.currency)),
      xml.str('merchant-account-id', t.merchantAccountId),
      nil('sub-merchant-account-id'),
      nil('master-merchant-account-id'),
      xml.str('order-id', t.orderId),
      xml.datetime('created-at', t.createdAt),
      xml.datetime('updated-at', t.updatedAt),
      xml.obj('customer', [nil('id'), nil('first-name'), nil('last-name'), nil('company'), xml.str('email', t.customerEmail), nil('website'), nil('phone'), nil('fax')]),
      xml.obj('billing', [
        nil('id'),
        nil('first-name'),
        nil('last-name'),
        nil('company'),
        nil('street-address'),
        nil('extended-address'),
        nil('locality'),
        nil('region'),
        nil('postal-code'),
        nil('country-name'),
      ]),
      nil('refund-id'),
      xml.array(
        'refund-ids',
        t.refundIds.map((id) => xml.str('item', id)),
      ),
      xml.str('refunded-transaction-id', t.refundedTransactionId),
      xml.array('partial-settlement-transaction-ids', []),
      nil('authorized-transaction-id'),
      nil('settlement-batch-id'),
      xml.obj('shipping', [
        nil('id'),
        nil('first-name'),
        nil('last-name'),
        nil('company'),
        nil('street-address'),
        nil('extended-address'),
        nil('locality'),
        nil('region'),
        nil('postal-code'),
        nil('country-name'),
      ]),
      xml.str('custom-fields', ''),
      nil('avs-error-response-code'),
      xml.str('avs-postal-code-response-code', 'I'),
      xml.str('avs-street-address-response-code', 'I'),
      xml.str('cvv-response-code', t.cvvResponseCode),
      xml.str('gateway-rejection-reason', t.gatewayRejectionReason),
      xml.str('processor-authorization-code', t.authorizationCode),
      xml.str('processor-response-code', t.processorResponseCode),
      xml.str('processor-response-text', t.processorResponseText),
      xml.str('processor-response-type', type),
      nil('additional-processor-response'),
      nil('voice-referral-number'),
      nil('purchase-order-number'),
      nil('tax-amount'),
      xml.bool('tax-exempt', false),
      xml.obj('credit-card', [
        nil('token'),
        xml.str('bin', t.card.bin),
        xml.str('last-4', t.card.last4),
        xml.str('card-type', t.card.cardType),
        xml.str('expiration-month', t.card.expirationMonth),
        xml.str('expiration-year', t.card.expirationYear),
        xml.str('customer-location', 'US'),
        xml.str('cardholder-name', t.card.cardholderName),
        xml.str('image-url', 'https://assets.braintreegateway.com/payment_method_logo/visa.png?environment=sandbox'),
        xml.str('prepaid', 'Unknown'),
        xml.str('healthcare', 'Unknown'),
        xml.str('debit', 'Unknown'),
        xml.str('durbin-regulated', 'Unknown'),
        xml.str('commercial', 'Unknown'),
        xml.str('payroll', 'Unknown'),
        xml.str('issuing-bank', 'Unknown'),
        xml.str('country-of-issuance', 'Unknown'),
        xml.str('product-id', 'Unknown'),
        nil('global-id'),
        xml.str('unique-number-identifier', createHash('sha1').update(`${t.card.bin}${t.card.last4}`).digest('hex').slice(0, 32)),
        xml.bool('venmo-sdk', false),
      ]),
      xml.array(
        'status-history',
        t.history.map((e) =>
          xml.obj('status-event', [
            xml.datetime('timestamp', e.timestamp),
            xml.str('status', e.status),
            xml.str('amount', major(e.amount, t.currency)),
            xml.str('user', 'junction'),
            xml.str('transaction-source', 'api'),
          ]),
        ),
      ),
      nil('plan-id'),
      nil('subscription-id'),
      xml.obj('subscription', [nil('billing-period-end-date'), nil('billing-period-start-date')]),
      xml.array('add-ons', []),
      xml.array('discounts', []),
      xml.obj('descriptor', [nil('name'), nil('phone'), nil('url')]),
      xml.bool('recurring', false),
      nil('channel'),
      nil('service-fee-amount'),
      nil('escrow-status'),
      xml.obj('disbursement-details', [
        nil('disbursement-date'),
        nil('settlement-amount'),
        nil('settlement-currency-iso-code'),
        nil('settlement-currency-exchange-rate'),
        nil('funds-held'),
        nil('success'),
      ]),
      xml.array('disputes', []),
      xml.array('authorization-adjustments', []),
      xml.str('payment-instrument-type', 'credit_card'),
      xml.str('processor-settlement-response-code', ''),
      xml.str('processor-settlement-response-text', ''),
      xml.str('network-response-code', approved ? '00' : t.processorResponseCode === null ? null : '05'),
      xml.str('network-response-text', approved ? 'Successful approval/completion or V.I.P. PIN verification is successful' : null),
      xml.str('network-transaction-id', approved ? `0201${t.id}${t.id}`.slice(0, 15) : null),
      xml.str('retrieval-reference-number', approved ? `1${t.id.replace(/[a-z]/g, '0')}000`.slice(0, 12) : null),
      ...(t.threeDs
        ? [
            xml.obj('three-d-secure-info', [
              xml.str('status', t.threeDs.status),
              xml.str('enrolled', t.threeDs.enrolled),
              xml.bool('liability-shifted', t.threeDs.liabilityShifted),
              xml.bool('liability-shift-possible', t.threeDs.liabilityShiftPossible),
              xml.str('cavv', t.threeDs.liabilityShifted ? 'AAABAWFlmQAAAABjRWWZEEFgFz+=' : null),
              xml.str('eci-flag', t.threeDs.liabilityShifted ? '05' : '07'),
              xml.str('three-d-secure-version', t.threeDs.version),
              xml.str('ds-transaction-id', t.threeDs.version?.startsWith('2') ? `${t.id}-ds` : null),
            ]),
          ]
        : []),
      xml.datetime('authorization-expires-at', t.type === 'sale' && t.status === 'authorized' ? new Date(Date.parse(t.createdAt) + 7 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z') : null),
      xml.bool('processed-with-network-token', false),
    ]);
  }

  /** Request params echoed in an error answer: never card data (Braintree filters it out of params as well). */
  function echoParams(body: RequestTree | null): XmlNode {
    const strip = (name: string, value: RequestValue): XmlNode => {
      const dashed = name.replace(/_/g, '-');
      if (value === null) return xml.nil(dashed);
      if (typeof value === 'boolean') return xml.bool(dashed, value);
      if (typeof value === 'number') return xml.str(dashed, String(value));
      if (typeof value === 'string') return xml.str(dashed, value);
      if (Array.isArray(value))
        return xml.array(
          dashed,
          value.map((item) => strip('item', item)),
        );
      return xml.obj(
        dashed,
        Object.entries(value)
          .filter(([key]) => !['number', 'cvv', 'payment_method_nonce'].includes(key))
          .map(([key, child]) => strip(key, child)),
      );
    };
    return xml.obj(
      'params',
      Object.entries(body ?? {}).map(([key, value]) => strip(key, value)),
    );
  }

  function errorResponse(error: ApiError, body: RequestTree | null, transaction: BraintreeTransactionState | null): string {
    // <errors> nests each error under its attribute path: errors/transaction/credit-card/errors/error.
    const tree = new Map<string, Array<{ code: string; attribute: string; message: string }>>();
    for (const e of error.errors) tree.set(e.path.join('/'), [...(tree.get(e.path.join('/')) ?? []), e]);
    const build = (prefix: string[]): XmlNode[] => {
      const key = prefix.join('/');
      const here = tree.get(key) ?? [];
      const children = new Set<string>();
      for (const path of tree.keys()) {
        const parts = path === '' ? [] : path.split('/');
        if (parts.length > prefix.length && parts.slice(0, prefix.length).join('/') === key) children.add(parts[prefix.length]!);
      }
      return [
        xml.array(
          'errors',
          here.map((e) => xml.obj('error', [xml.str('code', e.code), xml.symbol('attribute', e.attribute), xml.str('message', e.message)])),
        ),
        ...[...children].map((child) => xml.obj(child.replace(/_/g, '-'), build([...prefix, child]))),
      ];
    };
    const nodes: XmlNode[] = [xml.obj('errors', build([])), echoParams(body), xml.str('message', error.message)];
    if (transaction) nodes.push(transactionXml(transaction));
    return writeXml(xml.obj('api-error-response', nodes));
  }

  // ---- webhooks ----
  function notificationRecord(kind: string, t: BraintreeTransactionState | null, merchantId: string): BraintreeNotificationRecord {
    const timestamp = nowIso();
    const subject =
      kind === 'check' || !t
        ? xml.bool('check', true)
        : kind === 'transaction_disbursed'
          ? xml.obj('transaction', [xml.str('id', t.id), xml.str('amount', major(t.amount, t.currency)), xml.obj('disbursement-details', [xml.datetime('disbursement-date', timestamp)])])
          : transactionXml(t);
    const document = writeXmlFragment(xml.obj('notification', [xml.datetime('timestamp', timestamp), xml.str('kind', kind), xml.obj('subject', [subject])]));
    return { kind, subjectId: t?.id ?? 'check', merchantId, timestamp, xml: document };
  }

  function signRecord(record: BraintreeNotificationRecord) {
    const merchant = merchants.get(record.merchantId);
    if (!merchant) throw new Error(`no merchant ${record.merchantId}`);
    const payload = base64Lines(record.xml);
    const signature = merchant.keys.map((key) => signPayload(payload, key)).join('&');
    const rawBody = `bt_signature=${encodeURIComponent(signature)}&bt_payload=${encodeURIComponent(payload)}`;
    return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody, fields: { bt_signature: signature, bt_payload: payload } };
  }

  function notify(kind: string, t: BraintreeTransactionState): BraintreeNotificationRecord {
    const record = notificationRecord(kind, t, t.merchantId);
    events.push(record);
    const { headers, rawBody } = signRecord(record);
    for (const url of endpoints.get(t.merchantId) ?? []) setTimeout(() => void fetch(url, { method: 'POST', headers, body: rawBody }).catch(() => undefined), 5);
    return record;
  }

  // ---- state changes ----
  function move(t: BraintreeTransactionState, status: string, amount = t.amount): void {
    t.status = status;
    t.amount = amount;
    t.updatedAt = nowIso();
    t.history.push({ status, amount, timestamp: t.updatedAt });
  }

  function settleNow(t: BraintreeTransactionState, operation: 'settle' | 'settlement_confirm' | 'settlement_decline' | 'settlement_pending'): void {
    if (!['submitted_for_settlement', 'settling', 'settlement_pending'].includes(t.status) && !(operation === 'settlement_confirm' && t.status === 'settled')) {
      throw validation('91575', 'base', 'Cannot simulate transaction settlement.');
    }
    if (operation === 'settle') {
      move(t, 'settled');
      notify('transaction_settled', t);
    } else if (operation === 'settlement_decline') {
      move(t, 'settlement_declined');
      notify('transaction_settlement_declined', t);
    } else if (operation === 'settlement_pending') move(t, 'settlement_pending');
    else move(t, 'settlement_confirmed');
  }

  function submitted(t: BraintreeTransactionState): void {
    if (options.settleAfterMs === undefined || options.settleAfterMs === null) return;
    const settle = () => {
      if (['submitted_for_settlement', 'settling'].includes(t.status)) settleNow(t, 'settle');
    };
    if (options.settleAfterMs === 0) settle();
    else setTimeout(settle, options.settleAfterMs);
  }

  // ---- operations ----
  function merchantAccountOf(merchant: BraintreeMerchantConfig, requested: RequestValue | undefined): { id: string; currency: string } {
    const ids = Object.keys(merchant.merchantAccounts);
    const id = typeof requested === 'string' && requested !== '' ? requested : ids[0]!;
    const currency = merchant.merchantAccounts[id];
    if (!currency) throw validation('91513', 'merchant_account_id', 'Merchant account ID is invalid.');
    return { id, currency };
  }

  const flag = (value: RequestValue | undefined) => value === true || value === 'true';
  const obj = (value: RequestValue | undefined): RequestTree => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {});
  const text = (value: RequestValue | undefined): string | null => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null);

  function sale(merchant: BraintreeMerchantConfig, tx: RequestTree): { status: number; transaction: BraintreeTransactionState; error?: ApiError } {
    const type = text(tx.type);
    if (!type) throw validation('91524', 'type', 'Transaction type is required.');
    if (type !== 'sale') throw validation(type === 'credit' ? '91546' : '91523', 'type', type === 'credit' ? 'Merchant account does not support credits.' : 'Transaction type is invalid.');
    const account = merchantAccountOf(merchant, tx.merchant_account_id);
    const amount = parseAmount(tx.amount, account.currency);
    const orderId = text(tx.order_id);
    if (orderId !== null && orderId.length > 255) throw validation('91501', 'order_id', 'Order ID is too long.');
    const nonce = text(tx.payment_method_nonce);
    const cardInput = tx.credit_card === undefined ? null : obj(tx.credit_card);
    if (nonce && cardInput) throw validation('91515', 'base', 'Cannot provide more than one of payment_method_token, payment_method_nonce, credit_card attributes.');
    if (!nonce && !cardInput) throw validation('91508', 'base', 'Cannot determine payment method.');

    let card: BraintreeTransactionState['card'];
    let threeDs: ThreeDsInfo | null = null;
    let processorCode: string | null = null;
    let fraud: string | null = null;
    let cvvCode = 'I';
    let fingerprint: string;
    if (nonce) {
      const behaviour = BRAINTREE_FAKE_NONCES[nonce] ?? nonces.get(nonce);
      if (!behaviour) throw validation('91565', 'payment_method_nonce', 'Unknown payment_method_nonce.');
      const issued = nonces.get(nonce);
      if (behaviour.consumed || issued?.used) throw validation('91564', 'payment_method_nonce', 'Cannot use a payment_method_nonce more than once.');
      if (behaviour.luhnInvalid) throw validation('81715', 'number', 'Credit card number is invalid.', ['transaction', 'credit_card']);
      if (issued) issued.used = true;
      card = { bin: behaviour.bin, last4: behaviour.last4, cardType: behaviour.cardType, expirationMonth: '12', expirationYear: '2030', cardholderName: null };
      threeDs = behaviour.threeDs ?? null;
      processorCode = behaviour.processorCode ?? null;
      const issuedCard = issued?.card;
      if (issuedCard && BRAINTREE_TEST_CARDS[issuedCard]?.fraud) fraud = BRAINTREE_TEST_CARDS[issuedCard]!.fraud!;
      fingerprint = issuedCard ?? nonce;
    } else {
      const number = text(cardInput!.number) ?? '';
      const path = ['transaction', 'credit_card'];
      if (number === '') throw validation('81714', 'number', 'Credit card number is required.', path);
      if (!/^\d{12,19}$/.test(number)) throw validation('81716', 'number', 'Credit card number must be 12-19 digits.', path);
      if (!luhnValid(number)) throw validation('81715', 'number', 'Credit card number is invalid.', path);
      const known = BRAINTREE_TEST_CARDS[number] ?? (options.acceptAnyLuhnCard ? { cardType: CARD_TYPE_OF_BRAND[detectBrand(number) ?? ''] ?? 'Unknown' } : undefined);
      if (!known) throw validation('81717', 'number', 'Credit card number is not an accepted test number.', path);
      let month = text(cardInput!.expiration_month);
      let year = text(cardInput!.expiration_year);
      const date = text(cardInput!.expiration_date);
      if (date) [month, year] = date.split('/') as [string, string];
      if (!month || !year) throw validation('81709', 'expiration_date', 'Expiration date is required.', path);
      if (!/^(0?[1-9]|1[0-2])$/.test(month) || !/^(\d{2}|\d{4})$/.test(year)) throw validation('81710', 'expiration_date', 'Expiration date is invalid.', path);
      const cvv = text(cardInput!.cvv);
      if (cvv !== null && !(known.cardType === 'American Express' ? /^\d{4}$/ : /^\d{3}$/).test(cvv))
        throw validation('81707', 'cvv', 'CVV must be 4 digits for American Express and 3 digits for other card types.', path);
      // Braintree's sandbox CVV responses: 200 does not match (N), 201 not verified (U), 301 issuer does not participate (S).
      cvvCode = cvv === null ? 'I' : cvv === '200' ? 'N' : cvv === '201' ? 'U' : cvv === '301' ? 'S' : 'M';
      card = {
        bin: number.slice(0, 6),
        last4: number.slice(-4),
        cardType: known.cardType,
        expirationMonth: month.padStart(2, '0'),
        expirationYear: year.length === 2 ? `20${year}` : year,
        cardholderName: text(cardInput!.cardholder_name),
      };
      fraud = known.fraud ?? null;
      fingerprint = number;
    }
    const authenticationId = text(tx.three_d_secure_authentication_id);
    if (authenticationId) {
      const info = AUTHENTICATION_IDS[authenticationId];
      if (!info) throw validation('915196', 'three_d_secure_authentication_id', 'ThreeDSecureAuthenticationId is invalid.');
      threeDs = info;
    }

    const now = nowIso();
    const options_ = obj(tx.options);
    const t: BraintreeTransactionState = {
      id: newId(),
      merchantId: merchant.merchantId,
      type: 'sale',
      status: 'authorizing',
      amount,
      currency: account.currency,
      merchantAccountId: account.id,
      orderId,
      processorResponseCode: null,
      processorResponseText: null,
      gatewayRejectionReason: null,
      authorizationCode: null,
      cvvResponseCode: cvvCode,
      card,
      threeDs,
      customerEmail: text(obj(tx.customer).email),
      refundIds: [],
      refundedTransactionId: null,
      history: [],
      createdAt: now,
      updatedAt: now,
      fingerprint: `${fingerprint}:${amount}`,
    };
    transactions.set(t.id, t);
    const reject = (reason: string, processor: string | null): { status: number; transaction: BraintreeTransactionState; error: ApiError } => {
      t.gatewayRejectionReason = reason;
      t.processorResponseCode = processor;
      t.processorResponseText = processor ? (PROCESSOR_TEXT[processor] ?? 'Approved') : null;
      move(t, 'gateway_rejected');
      return { status: 422, transaction: t, error: new ApiError([], `Gateway Rejected: ${reason}`) };
    };

    // Braintree's own checks come before the processor: risk rules, duplicate checking, 3-D Secure.
    if (fraud) return reject(fraud, null);
    if (duplicateWindowMs !== null) {
      const since = Date.now() - duplicateWindowMs;
      const duplicate = [...transactions.values()].some(
        (o) => o !== t && o.merchantId === t.merchantId && o.fingerprint === t.fingerprint && Date.parse(o.createdAt) >= since && o.status !== 'gateway_rejected',
      );
      if (duplicate) return reject('duplicate', null);
    }
    if (flag(obj(options_.three_d_secure).required) && !threeDs?.liabilityShifted) return reject('three_d_secure', null);

    // The processor: a decline asked for, the nonce's, or the sandbox's test amounts.
    const whole = Math.floor(amount / 10 ** currencyExponent(t.currency));
    const code = declineNext ?? processorCode ?? (whole >= 2000 && whole <= 2999 ? String(whole) : whole === 3000 ? '3000' : '1000');
    declineNext = null;
    t.processorResponseCode = code;
    t.processorResponseText = PROCESSOR_TEXT[code] ?? (code.startsWith('2') ? 'Processor Declined' : code.startsWith('3') ? 'Processor Network Unavailable - Try Again' : 'Approved');
    if (code.startsWith('3')) {
      move(t, 'failed');
      return { status: 422, transaction: t, error: new ApiError([], t.processorResponseText) };
    }
    if (!code.startsWith('1')) {
      move(t, 'processor_declined');
      return { status: 422, transaction: t, error: new ApiError([], t.processorResponseText) };
    }
    t.authorizationCode = newId(6).toUpperCase();
    move(t, 'authorized');
    // CVV rules run on the processor's CVV answer: the authorisation is then voided and the sale rejected.
    if (cvvRules && !flag(options_.skip_cvv) && (cvvCode === 'N' || cvvCode === 'U')) {
      move(t, 'gateway_rejected');
      t.gatewayRejectionReason = 'cvv';
      return { status: 422, transaction: t, error: new ApiError([], 'Gateway Rejected: cvv') };
    }
    if (flag(options_.submit_for_settlement)) {
      move(t, 'submitted_for_settlement');
      submitted(t);
    }
    return { status: 201, transaction: t };
  }

  function owned(merchant: BraintreeMerchantConfig, id: string): BraintreeTransactionState {
    const t = transactions.get(id);
    if (!t || t.merchantId !== merchant.merchantId) throw new NotFound();
    return t;
  }

  function submitForSettlement(t: BraintreeTransactionState, tx: RequestTree): BraintreeTransactionState {
    if (t.type !== 'sale' || t.status !== 'authorized') throw validation('91507', 'base', `Cannot submit for settlement unless status is authorized. (${t.status})`);
    const amount = tx.amount === undefined || tx.amount === null ? t.amount : parseAmount(tx.amount, t.currency);
    if (amount > t.amount) throw validation('91522', 'amount', 'Settlement amount cannot be more than the authorized amount.');
    const orderId = text(tx.order_id);
    if (orderId !== null) t.orderId = orderId;
    move(t, 'submitted_for_settlement', amount);
    submitted(t);
    return t;
  }

  function voidTransaction(t: BraintreeTransactionState): BraintreeTransactionState {
    if (!['authorized', 'submitted_for_settlement', 'settlement_pending'].includes(t.status))
      throw validation('91504', 'base', 'Transaction can only be voided if status is authorized, submitted_for_settlement, or - for PayPal - settlement_pending.');
    move(t, 'voided');
    return t;
  }

  function refund(merchant: BraintreeMerchantConfig, sale_: BraintreeTransactionState, tx: RequestTree): BraintreeTransactionState {
    if (sale_.type === 'credit') throw validation('91505', 'base', 'Cannot refund credit');
    if (!['settled', 'settling', 'settlement_confirmed'].includes(sale_.status)) throw validation('91506', 'base', 'Cannot refund transaction unless it is settled.');
    const refunded = sale_.refundIds.reduce((sum, id) => sum + (transactions.get(id)?.amount ?? 0), 0);
    const remaining = sale_.amount - refunded;
    if (remaining <= 0) throw validation('91512', 'base', 'Transaction has already been completely refunded.');
    const amount = tx.amount === undefined || tx.amount === null ? remaining : parseAmount(tx.amount, sale_.currency);
    if (amount > remaining) throw validation('91521', 'amount', 'Refund amount is too large.');
    if (sale_.status === 'settling' && amount < sale_.amount) throw validation('91574', 'amount', 'Cannot partially refund a settling transaction.');
    const orderId = text(tx.order_id);
    if (orderId !== null && orderId.length > 255) throw validation('91501', 'order_id', 'Order ID is too long.');
    const now = nowIso();
    const credit: BraintreeTransactionState = {
      ...structuredClone(sale_),
      id: newId(),
      type: 'credit',
      status: 'authorizing',
      amount,
      orderId: orderId ?? sale_.orderId,
      processorResponseCode: '1002',
      processorResponseText: 'Processed',
      gatewayRejectionReason: null,
      authorizationCode: null,
      threeDs: null,
      refundIds: [],
      refundedTransactionId: sale_.id,
      history: [],
      createdAt: now,
      updatedAt: now,
      fingerprint: `credit:${sale_.id}`,
    };
    transactions.set(credit.id, credit);
    sale_.refundIds.push(credit.id);
    sale_.updatedAt = now;
    move(credit, 'submitted_for_settlement');
    submitted(credit);
    void merchant;
    return credit;
  }

  function matches(t: BraintreeTransactionState, criteria: RequestTree): boolean {
    const textMatch = (value: string | null, c: RequestValue | undefined): boolean => {
      if (c === undefined) return true;
      const node = obj(c);
      const v = (value ?? '').toLowerCase();
      const is = (key: string) => (typeof node[key] === 'string' ? String(node[key]).toLowerCase() : null);
      return (
        (is('is') === null || v === is('is')) &&
        (is('is_not') === null || v !== is('is_not')) &&
        (is('starts_with') === null || v.startsWith(is('starts_with')!)) &&
        (is('ends_with') === null || v.endsWith(is('ends_with')!)) &&
        (is('contains') === null || v.includes(is('contains')!))
      );
    };
    const inList = (value: string, c: RequestValue | undefined) => c === undefined || (Array.isArray(c) && c.includes(value));
    const range = (value: number, c: RequestValue | undefined, parse: (v: RequestValue) => number) => {
      if (c === undefined) return true;
      const node = obj(c);
      return (node.is === undefined || value === parse(node.is)) && (node.min === undefined || value >= parse(node.min)) && (node.max === undefined || value <= parse(node.max));
    };
    return (
      textMatch(t.id, criteria.id) &&
      textMatch(t.orderId, criteria.order_id) &&
      textMatch(t.customerEmail, criteria.customer_email) &&
      inList(t.id, criteria.ids) &&
      inList(t.type, criteria.type) &&
      inList(t.status, criteria.status) &&
      inList(t.merchantAccountId, criteria.merchant_account_id) &&
      range(t.amount, criteria.amount, (v) => {
        try {
          return parseAmount(v, t.currency);
        } catch {
          return Number.NaN;
        }
      }) &&
      range(Date.parse(t.createdAt), criteria.created_at, (v) => Date.parse(String(v)))
    );
  }

  // ---- HTTP ----
  let baseUrl = '';
  const OPERATION: Array<{ method: string; pattern: RegExp; operation: BraintreeOperation | null; name: string }> = [
    { method: 'POST', pattern: /^\/transactions$/, operation: 'transactionRequest', name: 'sale' },
    { method: 'POST', pattern: /^\/transactions\/advanced_search_ids$/, operation: 'search', name: 'search_ids' },
    { method: 'POST', pattern: /^\/transactions\/advanced_search$/, operation: 'search', name: 'search' },
    { method: 'GET', pattern: /^\/transactions\/([A-Za-z0-9_-]+)$/, operation: null, name: 'find' },
    { method: 'PUT', pattern: /^\/transactions\/([A-Za-z0-9_-]+)\/submit_for_settlement$/, operation: 'submitForSettlement', name: 'submit_for_settlement' },
    { method: 'PUT', pattern: /^\/transactions\/([A-Za-z0-9_-]+)\/void$/, operation: 'void', name: 'void' },
    { method: 'POST', pattern: /^\/transactions\/([A-Za-z0-9_-]+)\/refund$/, operation: 'refund', name: 'refund' },
    { method: 'PUT', pattern: /^\/transactions\/([A-Za-z0-9_-]+)\/(settle|settlement_confirm|settlement_decline|settlement_pending)$/, operation: null, name: 'testing' },
  ];

  function route(merchant: BraintreeMerchantConfig, method: string, rest: string, body: RequestTree | null): { status: number; xml: string } {
    const found = OPERATION.map((o) => ({ o, m: o.method === method ? o.pattern.exec(rest) : null })).find((x) => x.m);
    if (!found) return { status: 404, xml: '' };
    const { o, m } = found;
    const id = m![1];
    try {
      switch (o.name) {
        case 'sale': {
          const result = sale(merchant, obj(body!.transaction));
          return result.error ? { status: 422, xml: errorResponse(result.error, body, result.transaction) } : { status: 201, xml: writeXml(transactionXml(result.transaction)) };
        }
        case 'find':
          return { status: 200, xml: writeXml(transactionXml(owned(merchant, id!))) };
        case 'submit_for_settlement':
          return { status: 200, xml: writeXml(transactionXml(submitForSettlement(owned(merchant, id!), obj(body?.transaction)))) };
        case 'void':
          return { status: 200, xml: writeXml(transactionXml(voidTransaction(owned(merchant, id!)))) };
        case 'refund':
          return { status: 201, xml: writeXml(transactionXml(refund(merchant, owned(merchant, id!), obj(body?.transaction)))) };
        case 'testing': {
          const t = owned(merchant, id!);
          settleNow(t, m![2] as 'settle');
          return { status: 200, xml: writeXml(transactionXml(t)) };
        }
        case 'search_ids':
        case 'search': {
          const criteria = obj(body!.search);
          const hits = [...transactions.values()].filter((t) => t.merchantId === merchant.merchantId && matches(t, criteria));
          if (o.name === 'search_ids')
            return {
              status: 200,
              xml: writeXml(
                xml.obj('search-results', [
                  xml.int('page-size', 50),
                  xml.array(
                    'ids',
                    hits.map((t) => xml.str('item', t.id)),
                  ),
                ]),
              ),
            };
          return {
            status: 200,
            xml: writeXml(
              xml.collection('credit-card-transactions', [
                xml.int('current-page-number', 1),
                xml.int('page-size', 50),
                xml.int('total-items', hits.length),
                ...hits.slice(0, 50).map((t) => transactionXml(t)),
              ]),
            ),
          };
        }
      }
    } catch (error) {
      if (error instanceof NotFound) return { status: 404, xml: '' };
      if (error instanceof ApiError) return { status: 422, xml: errorResponse(error, body, null) };
      throw error;
    }
    return { status: 404, xml: '' };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]));
    const path = url.pathname;
    const read = readRequestBody(headers['content-type'] ?? '', raw);
    const body = 'body' in read ? read.body : null;
    requests.push({ method, path: `${path}${url.search}`, headers, body, raw: body ? '' : raw });
    const send = (status: number, text = '') => {
      res.writeHead(status, text ? { 'content-type': 'application/xml; charset=utf-8' } : {});
      res.end(text);
    };
    const failure = faults.takeFailure(path);
    if (failure !== null) return send(failure);

    const m = /^\/merchants\/([^/]+)(\/.*)$/.exec(path);
    const merchant = m ? merchants.get(decodeURIComponent(m[1]!)) : undefined;
    if (!m || !merchant) return send(404);
    const auth = /^Basic (.+)$/.exec(headers.authorization ?? '');
    const [publicKey, privateKey] = auth ? Buffer.from(auth[1]!, 'base64').toString('utf8').split(':') : [];
    if (!merchant.keys.some((k) => k.publicKey === publicKey && k.privateKey === privateKey)) return send(401);

    const rest = m[2]!;
    const op = OPERATION.find((o) => o.method === method && o.pattern.test(rest));
    const problems: ContractProblem[] = [];
    const versionHeader = headers['x-apiversion'] ?? '';
    const version = /^\d{1,3}$/.test(versionHeader) ? Number(versionHeader) : null;
    if (version === null) problems.push({ path: 'header X-ApiVersion', reason: 'is required (the SDKs send 6)' });
    else if (version < 4) {
      // [inference] Braintree answers 426 Upgrade Required to API versions it no longer serves; the cut-off is ours.
      violations.push({ method, path, operation: op?.name ?? 'unknown', problems: [{ path: 'header X-ApiVersion', reason: `${version} is no longer supported` }] });
      return send(426);
    }
    if (!/application\/xml/.test(headers.accept ?? '')) problems.push({ path: 'header Accept', reason: 'must accept application/xml (answers are XML)' });
    if ('unreadable' in read) problems.push({ path: 'body', reason: read.unreadable });
    if (op?.operation) {
      if (op.operation !== 'void' && body === null && !('unreadable' in read)) problems.push({ path: 'body', reason: 'is required' });
      else if (body !== null) problems.push(...braintreeViolations(op.operation, body));
    } else if (op && body !== null) problems.push({ path: 'body', reason: `${op.name} takes no body` });
    if (problems.length > 0) {
      violations.push({ method, path, operation: op?.name ?? 'unknown', problems });
      return send(400);
    }
    const answer = route(merchant, method, rest, body);
    await faults.stall(path);
    send(answer.status, answer.xml);
  }

  const server = await serveEmulator(handle, { port: options.port, host: options.host });
  baseUrl = server.origin;

  return {
    url: baseUrl,
    port: server.port,
    requests,
    violations,
    events,
    transaction: (id) => transactions.get(id),
    chargeCount: () => [...transactions.values()].filter((t) => t.type === 'sale' && t.authorizationCode !== null && t.status !== 'gateway_rejected').length,
    declineNext: (code) => {
      declineNext = code;
    },
    duplicateChecking: (windowMs) => {
      duplicateWindowMs = windowMs;
    },
    stallNext: faults.stallNext,
    failNext: faults.failNext,
    createNonce(number, threeDs) {
      const known = BRAINTREE_TEST_CARDS[number];
      if (!known) throw new Error(`${number} is not a Braintree test card`);
      const nonce = `tokencc_bj_${newId(6)}_${newId(6)}_${newId(6)}`;
      nonces.set(nonce, {
        cardType: known.cardType,
        bin: number.slice(0, 6),
        last4: number.slice(-4),
        reusable: false,
        card: number,
        used: false,
        ...(threeDs && BRAINTREE_FAKE_NONCES[threeDs]?.threeDs ? { threeDs: BRAINTREE_FAKE_NONCES[threeDs]!.threeDs } : {}),
      });
      return nonce;
    },
    settle(id, operation = 'settle') {
      const t = transactions.get(id);
      if (!t) throw new Error(`no transaction ${id}`);
      settleNow(t, operation);
      return t;
    },
    addWebhookEndpoint(merchantId, url) {
      endpoints.set(merchantId, [...(endpoints.get(merchantId) ?? []), url]);
    },
    signedNotification(kind, transactionId, merchantId) {
      const t = transactionId ? (transactions.get(transactionId) ?? null) : null;
      if (transactionId && !t) throw new Error(`no transaction ${transactionId}`);
      const record = notificationRecord(kind, t, merchantId ?? t?.merchantId ?? [...merchants.keys()][0]!);
      events.push(record);
      return { ...signRecord(record), record };
    },
    signRecord,
    down: server.down,
    up: server.up,
    close: server.down,
  };
}
