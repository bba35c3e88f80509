// The payment method vocabulary of the EC API.
export const PAYMENT_METHOD_TYPES = [
  'CARD', 'NB', 'WALLET', 'UPI', 'EMI', 'CONSUMER_FINANCE', 'REWARD', 'RTP', 'CASH', 'AADHAAR',
  'MERCHANT_CONTAINER', 'VIRTUAL_ACCOUNT', 'OTC',
] as const;
export type PaymentMethodType = (typeof PAYMENT_METHOD_TYPES)[number];

export const CARD_BRANDS = ['VISA', 'MASTERCARD', 'MAESTRO', 'AMEX', 'RUPAY', 'DINERS', 'DISCOVER', 'JCB', 'UNIONPAY', 'SODEXO', 'MADA'] as const;
export type CardBrand = (typeof CARD_BRANDS)[number];

export const CARD_TYPES = ['CREDIT', 'DEBIT', 'PREPAID'] as const;
export type CardType = (typeof CARD_TYPES)[number];

export const AUTH_TYPES = ['THREE_DS', 'OTP', 'MOTO', 'THREE_DS_2', 'NO_THREE_DS'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

export const UPI_TXN_TYPES = ['UPI_COLLECT', 'UPI_PAY', 'UPI_QR'] as const;
export type UpiTxnType = (typeof UPI_TXN_TYPES)[number];

export function isPaymentMethodType(value: string): value is PaymentMethodType {
  return (PAYMENT_METHOD_TYPES as readonly string[]).includes(value);
}
export function isCardBrand(value: string): value is CardBrand {
  return (CARD_BRANDS as readonly string[]).includes(value);
}
