// Shared test data for the Braintree connector's tests: the emulator's merchant as an account, and
// card requests (raw cards are Braintree's sandbox test numbers).
import type { AuthorizeRequest, ConnectorAccount } from '../../core/ports/connector.ts';
import { BRAINTREE_EMULATOR_MERCHANT } from '../../../emulators/braintree/braintree-emulator.ts';

export const BRAINTREE_MERCHANT_ID = BRAINTREE_EMULATOR_MERCHANT.merchantId;
export const BRAINTREE_PUBLIC_KEY = BRAINTREE_EMULATOR_MERCHANT.keys[0]!.publicKey;
export const BRAINTREE_PRIVATE_KEY = BRAINTREE_EMULATOR_MERCHANT.keys[0]!.privateKey;
export const BRAINTREE_USD_ACCOUNT = 'junction_usd';

export function braintreeAccount(overrides: Partial<Record<string, string>> = {}): ConnectorAccount {
  return {
    accountId: 'gwa_braintree_test',
    merchantId: 'm_test',
    gateway: 'BRAINTREE',
    gatewayReferenceId: null,
    credentials: {
      merchant_id: BRAINTREE_MERCHANT_ID,
      public_key: BRAINTREE_PUBLIC_KEY,
      private_key: BRAINTREE_PRIVATE_KEY,
      merchant_account_id: BRAINTREE_USD_ACCOUNT,
      raw_card_data_enabled: 'true',
      ...overrides,
    } as Record<string, string>,
  };
}

export function braintreeCardRequest(overrides: Partial<AuthorizeRequest> = {}, number = '4111111111111111'): AuthorizeRequest {
  return {
    txnId: 'm_test-o1-1',
    txnUuid: 'txn_1',
    orderId: 'o1',
    merchantId: 'm_test',
    amount: 10_000,
    currency: 'USD',
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
