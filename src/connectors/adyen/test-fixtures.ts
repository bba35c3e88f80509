// Shared test data for the Adyen connector's tests: an emulator account and card requests.
import type { AuthorizeRequest, ConnectorAccount } from '../../core/ports/connector.ts';

export const ADYEN_API_KEY = 'AQEjhmfuXNWTK0Qc+iSEl2cvsOuYRYVDCJNDS1kL2x5Vmm0=-junctionEmulator01';
export const ADYEN_MERCHANT_ACCOUNT = 'JunctionTestECOM';
/** A 64-byte hex HMAC key, as Adyen's Customer Area shows one. */
export const ADYEN_HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056'.repeat(2);

export function adyenAccount(overrides: Partial<Record<string, string>> = {}): ConnectorAccount {
  return {
    accountId: 'gwa_adyen_test',
    merchantId: 'm_test',
    gateway: 'ADYEN',
    gatewayReferenceId: null,
    credentials: { api_key: ADYEN_API_KEY, merchant_account: ADYEN_MERCHANT_ACCOUNT, hmac_key: ADYEN_HMAC_KEY, raw_card_data_enabled: 'true', ...overrides } as Record<string, string>,
  };
}

export function adyenCardRequest(overrides: Partial<AuthorizeRequest> = {}, number = '4111111145551142'): AuthorizeRequest {
  return {
    txnId: 'm_test-o1-1',
    txnUuid: 'txn_1',
    orderId: 'o1',
    merchantId: 'm_test',
    amount: 10_000,
    currency: 'EUR',
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
      expMonth: '03',
      expYear: '2030',
      cvv: '737',
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
