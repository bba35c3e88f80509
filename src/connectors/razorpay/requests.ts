// Razorpay's requests, without I/O: Juspay's payment methods as Razorpay's codes (explicit
// tables), the order body and the plan of the S2S payment that follows it (transformers.ts reads the
// answers). https://razorpay.com/docs/api/
import { exponentOf } from '../../core/currencies.ts';
import { sha256Hex } from '../../core/crypto.ts';
import type { AuthorizeRequest } from '../../core/ports/connector.ts';
import type { Json } from './transformers.ts';

/**
 * Netbanking: Juspay's `NB_<BANK>` payment_method (the `<BANK>` part; the codes of the core's
 * NETBANKING_BANKS, src/core/payment-methods.ts) -> Razorpay's bank code
 * (https://razorpay.com/docs/payments/payment-methods/netbanking/ : IFSC-prefix codes, `_R` for a
 * bank's retail portal). A bank not listed is refused before any call.
 */
export const RAZORPAY_BANK_CODES: Readonly<Record<string, string>> = {
  AXIS: 'UTIB',
  BOB: 'BARB_R',
  BOI: 'BKID',
  BOM: 'MAHB',
  CANR: 'CNRB',
  CBI: 'CBIN',
  CSB: 'CSBK',
  CUB: 'CIUB',
  DCB: 'DCBL',
  DEUT: 'DEUT',
  DLS: 'DLXB',
  FED: 'FDRL',
  HDFC: 'HDFC',
  ICICI: 'ICIC',
  IDBI: 'IBKL',
  IDFC: 'IDFB',
  INDB: 'INDB',
  INDIAN: 'IDIB',
  IOB: 'IOBA',
  JKB: 'JAKA',
  KARB: 'KARB',
  KOTAK: 'KKBK',
  KVB: 'KVBL',
  PNB: 'PUNB_R',
  PSB: 'PSIB',
  RBL: 'RATN',
  SBI: 'SBIN',
  SCB: 'SCBL',
  SIB: 'SIBL',
  TMB: 'TMBL',
  UBI: 'UBIN',
  UCO: 'UCBA',
  YESB: 'YESB',
};

/**
 * Wallets: Juspay's wallet payment_method (the core's WALLETS) -> Razorpay's `wallet` code
 * (https://razorpay.com/docs/payments/payment-methods/wallets/). A wallet not listed is refused.
 */
export const RAZORPAY_WALLET_CODES: Readonly<Record<string, string>> = {
  PAYTM: 'paytm',
  MOBIKWIK: 'mobikwik',
  FREECHARGE: 'freecharge',
  OLAMONEY: 'olamoney',
  AIRTELMONEY: 'airtelmoney',
  PHONEPE: 'phonepe',
  AMAZONPAY: 'amazonpay',
  JIOMONEY: 'jiomoney',
  PAYZAPP: 'payzapp',
  PAYPAL: 'paypal',
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
      if (!request.card)
        return { refused: 'Razorpay takes raw card data here: the request has no card (Razorpay card tokens need a Razorpay customer and are not supported)', code: 'unsupported_payment_method' };
      if (!settings.rawCardDataEnabled) {
        return {
          refused: 'This Razorpay account is not enabled for S2S card payments (raw card data): set raw_card_data_enabled once Razorpay has enabled it for the PCI-compliant account',
          code: 'raw_card_data_not_enabled',
        };
      }
      const card = request.card;
      return {
        endpoint: '/v1/payments/create/json',
        kind: 'card',
        body: {
          ...common,
          method: 'card',
          card: {
            number: card.number,
            name: card.holderName ?? 'Card holder',
            expiry_month: card.expMonth.padStart(2, '0'),
            expiry_year: card.expYear.slice(-2),
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
        if (!request.upi.vpa) return { refused: "UPI collect needs the shopper's UPI id (upi_vpa)", code: 'unsupported_payment_method' };
        return { endpoint: '/v1/payments/create/upi', kind: 'upi_collect', body: { ...common, method: 'upi', upi: { flow: 'collect', vpa: request.upi.vpa, expiry_time: 15 } } };
      }
      if (request.upi.txnType === 'UPI_PAY') return { endpoint: '/v1/payments/create/upi', kind: 'upi_intent', body: { ...common, method: 'upi', upi: { flow: 'intent' } } };
      return { refused: 'Razorpay UPI QR is not supported by this connector (use collect or intent)', code: 'unsupported_payment_method' };
    }
    default:
      return { refused: `Razorpay payment method ${request.paymentMethodType} is not supported by this connector`, code: 'unsupported_payment_method' };
  }
}
