// Parsing the payment part of POST /txns: card, netbanking, UPI (collect and intent), wallet.
import { detectBrand, lookupBin, parseCardNumber, parseCvv, parseExpiry } from '../cards.ts';
import { invalidField, missingField } from '../errors.ts';
import { AUTH_TYPES, isNetbankingBank, isWallet, type AuthType, type PaymentMethodType } from '../payment-methods.ts';
import type { CardDetails } from '../ports/connector.ts';
import { type FlatBody, readBoolean, readString } from './input.ts';

/** A card typed in at checkout: what the gateway receives (CardDetails), and the extended BIN and sub-type routing reads. */
export interface CardInput extends CardDetails {
  kind: 'NUMBER';
  extendedBin: string;
  subType: string | null;
}

export interface PaymentInput {
  paymentMethodType: PaymentMethodType;
  paymentMethod: string;
  authType: AuthType | null;
  card: CardInput | null;
  /** A saved card to use (card_token), resolved by the service against the vault. */
  cardToken: string | null;
  cardTokenCvv: string | null;
  /**
   * The gateway's own token for the card (a Stripe PaymentMethod id, Adyen's encrypted card
   * fields, a Checkout.com token) from the merchant's checkout, passed through to that gateway only.
   */
  gatewayToken: string | null;
  saveToLocker: boolean;
  upi: { txnType: 'UPI_COLLECT' | 'UPI_PAY'; vpa: string | null; app: string | null } | null;
  wallet: { name: string; directToken: string | null } | null;
  bank: string | null;
  redirectAfterPayment: boolean;
  isEmi: boolean;
  emiBank: string | null;
  emiTenure: number | null;
}

/** The payment method types a payment can have (the rule analysis takes this as the whole vocabulary). */
export const SUPPORTED_TYPES = ['CARD', 'NB', 'UPI', 'WALLET'] as const;
const VPA_PATTERN = /^[A-Za-z0-9._-]{2,256}@[A-Za-z][A-Za-z0-9.-]{1,64}$/;
const METHOD_PATTERN = /^[A-Z0-9_]{2,40}$/;

export function cardFromNumber(number: string, expMonth: string, expYear: string, cvv: string | null, holderName: string | null): CardInput {
  const brand = detectBrand(number);
  const bin = lookupBin(number);
  return {
    kind: 'NUMBER',
    number,
    expMonth,
    expYear,
    cvv,
    holderName,
    bin: number.slice(0, 6),
    extendedBin: number.slice(0, 8),
    last4: number.slice(-4),
    brand,
    type: bin.type,
    subType: bin.subType,
    issuer: bin.issuer,
    issuerCountry: bin.issuerCountry,
  };
}

export function parsePaymentInput(body: FlatBody, now: Date): PaymentInput {
  const type = readString(body, 'payment_method_type', { required: true, max: 30 })!.toUpperCase();
  if (!(SUPPORTED_TYPES as readonly string[]).includes(type)) {
    throw invalidField('payment_method_type', `must be one of ${SUPPORTED_TYPES.join(', ')}`);
  }
  const paymentMethodType = type as PaymentMethodType;
  const authTypeRaw = readString(body, 'auth_type', { max: 20 });
  const authType = authTypeRaw ? (authTypeRaw.toUpperCase() as AuthType) : null;
  if (authType && !(AUTH_TYPES as readonly string[]).includes(authType)) throw invalidField('auth_type', `must be one of ${AUTH_TYPES.join(', ')}`);
  const base: PaymentInput = {
    paymentMethodType,
    paymentMethod: '',
    authType,
    card: null,
    cardToken: null,
    cardTokenCvv: null,
    gatewayToken: null,
    saveToLocker: false,
    upi: null,
    wallet: null,
    bank: null,
    redirectAfterPayment: readBoolean(body, 'redirect_after_payment') ?? false,
    isEmi: readBoolean(body, 'is_emi') ?? false,
    emiBank: readString(body, 'emi_bank', { max: 40 }),
    emiTenure: null,
  };
  const tenure = readString(body, 'emi_tenure', { max: 3, pattern: /^\d{1,3}$/, patternReason: 'must be a number of months' });
  base.emiTenure = tenure ? Number(tenure) : null;

  switch (paymentMethodType) {
    case 'CARD': {
      const gatewayToken = readString(body, 'gateway_token', { max: 4096, pattern: /^[\x21-\x7e]+$/, patternReason: 'must be printable ASCII without spaces' });
      if (gatewayToken) {
        if (body.card_number !== undefined && body.card_number !== '') throw invalidField('gateway_token', 'cannot be sent with card_number: send one or the other');
        if (body.card_token !== undefined && body.card_token !== '') throw invalidField('gateway_token', 'cannot be sent with card_token: send one or the other');
        base.gatewayToken = gatewayToken;
        base.paymentMethod = (readString(body, 'payment_method', { max: 20 }) ?? 'CARD').toUpperCase();
        return base;
      }
      const token = readString(body, 'card_token', { max: 64 });
      base.saveToLocker = readBoolean(body, 'save_to_locker') ?? readBoolean(body, 'tokenize') ?? false;
      if (token) {
        base.cardToken = token;
        const cvv = readString(body, 'card_security_code', { max: 4, pattern: /^\d{3,4}$/, patternReason: 'must be 3 or 4 digits' });
        base.cardTokenCvv = cvv;
        base.paymentMethod = (readString(body, 'payment_method', { max: 20 }) ?? '').toUpperCase();
        return base;
      }
      if (body.card_number === undefined || body.card_number === '') throw missingField('card_number');
      const number = parseCardNumber(body.card_number);
      if (!body.card_exp_month) throw missingField('card_exp_month');
      if (!body.card_exp_year) throw missingField('card_exp_year');
      const expiry = parseExpiry(body.card_exp_month, body.card_exp_year, now);
      const brand = detectBrand(number);
      const cvvRaw = body.card_security_code;
      const cvv =
        cvvRaw === undefined || cvvRaw === ''
          ? brand === 'MAESTRO'
            ? null
            : (() => {
                throw missingField('card_security_code');
              })()
          : parseCvv(cvvRaw, brand);
      const holder = readString(body, 'name_on_card', { max: 100 });
      base.card = cardFromNumber(number, expiry.month, expiry.year, cvv, holder);
      const declared = readString(body, 'payment_method', { max: 20 });
      base.paymentMethod = declared ? declared.toUpperCase() : (brand ?? 'CARD');
      return base;
    }
    case 'NB': {
      const method = readString(body, 'payment_method', { required: true, max: 40 })!.toUpperCase();
      if (!/^NB_[A-Z0-9_]{2,36}$/.test(method)) throw invalidField('payment_method', 'must be a netbanking code such as NB_ICICI');
      if (!isNetbankingBank(method)) throw invalidField('payment_method', `${method} is not a netbanking bank Junction takes (GET /merchants/{merchant_id}/paymentmethods lists them)`);
      base.paymentMethod = method;
      base.bank = method.slice(3);
      return base;
    }
    case 'UPI': {
      const txnType = (readString(body, 'txn_type', { max: 20 }) ?? (body.upi_vpa ? 'UPI_COLLECT' : 'UPI_PAY')).toUpperCase();
      if (txnType !== 'UPI_COLLECT' && txnType !== 'UPI_PAY') throw invalidField('txn_type', 'must be UPI_COLLECT or UPI_PAY');
      base.paymentMethod = (readString(body, 'payment_method', { max: 20 }) ?? 'UPI').toUpperCase();
      if (txnType === 'UPI_COLLECT') {
        const vpa = readString(body, 'upi_vpa', { required: true, max: 300 })!;
        if (!VPA_PATTERN.test(vpa)) throw invalidField('upi_vpa', 'must be a UPI id such as name@bank');
        base.upi = { txnType, vpa, app: null };
      } else {
        base.upi = { txnType, vpa: null, app: readString(body, 'upi_app', { max: 100 }) };
      }
      return base;
    }
    case 'WALLET': {
      const method = readString(body, 'payment_method', { required: true, max: 40 })!.toUpperCase();
      if (!METHOD_PATTERN.test(method)) throw invalidField('payment_method', 'must be a wallet code such as PAYTM');
      if (!isWallet(method)) throw invalidField('payment_method', `${method} is not a wallet Junction takes (GET /merchants/{merchant_id}/paymentmethods lists them)`);
      base.paymentMethod = method;
      base.wallet = { name: method, directToken: readString(body, 'direct_wallet_token', { max: 512 }) };
      return base;
    }
    default:
      throw invalidField('payment_method_type', `must be one of ${SUPPORTED_TYPES.join(', ')}`);
  }
}
