// Shared test data for the Stripe connector's tests: an emulator account and card requests.
import type { AuthorizeRequest, ConnectorAccount } from '../../core/ports/connector.ts';

export const SECRET_KEY = 'sk_test_junctionEmulator0001';
export const WEBHOOK_SECRET = 'whsec_junctionEmulatorSecret0001';

export function stripeAccount(overrides: Partial<Record<string, string>> = {}): ConnectorAccount {
  return {
    accountId: 'gwa_stripe_test',
    merchantId: 'm_test',
    gateway: 'STRIPE',
    gatewayReferenceId: null,
    credentials: { secret_key: SECRET_KEY, webhook_secret: WEBHOOK_SECRET, raw_card_data_enabled: 'true', ...overrides } as Record<string, string>,
  };
}

export function stripeCardRequest(overrides: Partial<AuthorizeRequest> = {}, number = '4242424242424242'): AuthorizeRequest {
  return {
    txnId: 'm_test-o1-1',
    txnUuid: 'txn_1',
    orderId: 'o1',
    merchantId: 'm_test',
    amount: 10_000,
    currency: 'INR',
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
      expMonth: '12',
      expYear: '2031',
      cvv: '123',
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
