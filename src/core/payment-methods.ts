// The payment method vocabulary of the EC API.
export const PAYMENT_METHOD_TYPES = ['CARD', 'NB', 'WALLET', 'UPI', 'EMI', 'CONSUMER_FINANCE', 'REWARD', 'RTP', 'CASH', 'AADHAAR', 'MERCHANT_CONTAINER', 'VIRTUAL_ACCOUNT', 'OTC'] as const;
export type PaymentMethodType = (typeof PAYMENT_METHOD_TYPES)[number];

export const CARD_BRANDS = ['VISA', 'MASTERCARD', 'MAESTRO', 'AMEX', 'RUPAY', 'DINERS', 'DISCOVER', 'JCB', 'UNIONPAY', 'SODEXO', 'MADA'] as const;
export type CardBrand = (typeof CARD_BRANDS)[number];

export const CARD_TYPES = ['CREDIT', 'DEBIT', 'PREPAID'] as const;
export type CardType = (typeof CARD_TYPES)[number];

export const AUTH_TYPES = ['THREE_DS', 'OTP', 'MOTO', 'THREE_DS_2', 'NO_THREE_DS'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

export function isPaymentMethodType(value: string): value is PaymentMethodType {
  return (PAYMENT_METHOD_TYPES as readonly string[]).includes(value);
}
export function isCardBrand(value: string): value is CardBrand {
  return (CARD_BRANDS as readonly string[]).includes(value);
}

/**
 * The netbanking banks Junction takes, by Juspay's `payment_method` codes (`NB_<BANK>`), with the
 * name shown in `GET /merchants/{id}/paymentmethods`. A code outside this list is refused when the
 * transaction is created, before any gateway sees it; each connector maps these codes to its own.
 */
export const NETBANKING_BANKS: Readonly<Record<string, string>> = {
  NB_AXIS: 'Axis Bank',
  NB_BOB: 'Bank of Baroda',
  NB_BOI: 'Bank of India',
  NB_BOM: 'Bank of Maharashtra',
  NB_CANR: 'Canara Bank',
  NB_CBI: 'Central Bank of India',
  NB_CSB: 'CSB Bank',
  NB_CUB: 'City Union Bank',
  NB_DCB: 'DCB Bank',
  NB_DEUT: 'Deutsche Bank',
  NB_DLS: 'Dhanlaxmi Bank',
  NB_FED: 'Federal Bank',
  NB_HDFC: 'HDFC Bank',
  NB_ICICI: 'ICICI Bank',
  NB_IDBI: 'IDBI Bank',
  NB_IDFC: 'IDFC FIRST Bank',
  NB_INDB: 'IndusInd Bank',
  NB_INDIAN: 'Indian Bank',
  NB_IOB: 'Indian Overseas Bank',
  NB_JKB: 'Jammu & Kashmir Bank',
  NB_KARB: 'Karnataka Bank',
  NB_KOTAK: 'Kotak Mahindra Bank',
  NB_KVB: 'Karur Vysya Bank',
  NB_PNB: 'Punjab National Bank',
  NB_PSB: 'Punjab & Sind Bank',
  NB_RBL: 'RBL Bank',
  NB_SBI: 'State Bank of India',
  NB_SCB: 'Standard Chartered',
  NB_SIB: 'South Indian Bank',
  NB_TMB: 'Tamilnad Mercantile Bank',
  NB_UBI: 'Union Bank of India',
  NB_UCO: 'UCO Bank',
  NB_YESB: 'Yes Bank',
};

/** The wallets Junction takes, by Juspay's `payment_method` codes; any other is refused when the transaction is created. */
export const WALLETS: Readonly<Record<string, string>> = {
  AIRTELMONEY: 'Airtel Payments Bank',
  AMAZONPAY: 'Amazon Pay',
  FREECHARGE: 'Freecharge',
  JIOMONEY: 'JioMoney',
  MOBIKWIK: 'MobiKwik',
  OLAMONEY: 'Ola Money',
  PAYPAL: 'PayPal',
  PAYTM: 'Paytm',
  PAYZAPP: 'PayZapp',
  PHONEPE: 'PhonePe',
};

export function isNetbankingBank(code: string): boolean {
  return Object.hasOwn(NETBANKING_BANKS, code);
}

export function isWallet(code: string): boolean {
  return Object.hasOwn(WALLETS, code);
}
