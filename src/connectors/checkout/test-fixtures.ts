// Shared test data for the Checkout.com connector's tests: an emulator account and card requests.
import type { AuthorizeRequest, ConnectorAccount } from '../../core/ports/connector.ts';

/** A key in the NAS sandbox format (the official SDK sends `Bearer` only for keys of this shape). */
export const CHECKOUT_SECRET_KEY = 'sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e';
export const CHECKOUT_WEBHOOK_SECRET = 'junction-cko-signature-key-0001';
export const CHECKOUT_CHANNEL = 'pc_abcdefghijklmnopqrstuvwxyz';

export function checkoutAccount(overrides: Partial<Record<string, string>> = {}): ConnectorAccount {
  return {
    accountId: 'gwa_checkout_test',
    merchantId: 'm_test',
    gateway: 'CHECKOUT',
    gatewayReferenceId: null,
    credentials: { secret_key: CHECKOUT_SECRET_KEY, webhook_secret: CHECKOUT_WEBHOOK_SECRET, processing_channel_id: CHECKOUT_CHANNEL, raw_card_data_enabled: 'true', ...overrides } as Record<
      string,
      string
    >,
  };
}

export function checkoutCardRequest(overrides: Partial<AuthorizeRequest> = {}, number = '4242424242424242'): AuthorizeRequest {
  return {
    txnId: 'm_test-o1-1',
    txnUuid: 'txn_1',
    orderId: 'o1',
    merchantId: 'm_test',
    amount: 10_000,
    currency: 'GBP',
    paymentMethodType: 'CARD',
    paymentMethod: 'VISA',
    authType: null,
    captureMode: 'AUTO',
    upi: null,
    wallet: null,
    bank: null,
    customerId: null,
    customerEmail: 'shopper@example.com',
    card: {
      number,
      expMonth: '06',
      expYear: '2030',
      cvv: '100',
      holderName: 'A Shopper',
      bin: number.slice(0, 6),
      last4: number.slice(-4),
      brand: 'VISA',
      type: 'CREDIT',
      issuer: null,
      issuerCountry: null,
    },
    returnUrl: 'http://127.0.0.1:1/txns/txn_1/return',
    idempotencyKey: 'idem-1',
    ...overrides,
  };
}
