// Shared test data for the Razorpay connector's tests: an emulator account and payment requests.
import type { AuthorizeRequest, ConnectorAccount } from '../../core/ports/connector.ts';

export const RAZORPAY_KEY_ID = 'rzp_test_JunctionEmu0001';
export const RAZORPAY_KEY_SECRET = 'junctionEmulatorKeySecret01';
export const RAZORPAY_WEBHOOK_SECRET = 'junction-rzp-webhook-secret-0001';

export function razorpayAccount(overrides: Partial<Record<string, string>> = {}): ConnectorAccount {
  return {
    accountId: 'gwa_razorpay_test',
    merchantId: 'm_test',
    gateway: 'RAZORPAY',
    gatewayReferenceId: null,
    credentials: { key_id: RAZORPAY_KEY_ID, key_secret: RAZORPAY_KEY_SECRET, webhook_secret: RAZORPAY_WEBHOOK_SECRET, raw_card_data_enabled: 'true', ...overrides } as Record<string, string>,
  };
}

export function razorpayCardRequest(overrides: Partial<AuthorizeRequest> = {}, number = '4111111111111111'): AuthorizeRequest {
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
      brand: number.startsWith('5') ? 'MASTERCARD' : 'VISA',
      type: 'CREDIT',
      issuer: null,
      issuerCountry: 'IN',
    },
    returnUrl: 'http://127.0.0.1:1/txns/txn_1/return',
    idempotencyKey: 'idem-1',
    ...overrides,
  };
}

/** A payment of another method: NB_<bank>, a wallet, UPI collect (vpa) or intent. */
export function razorpayMethodRequest(kind: 'NB' | 'WALLET' | 'UPI_COLLECT' | 'UPI_PAY', value: string, overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  const base = razorpayCardRequest({ card: null, ...overrides });
  if (kind === 'NB') return { ...base, paymentMethodType: 'NB', paymentMethod: `NB_${value}`, bank: value, ...overrides };
  if (kind === 'WALLET') return { ...base, paymentMethodType: 'WALLET', paymentMethod: value, wallet: { name: value, directToken: null }, ...overrides };
  return { ...base, paymentMethodType: 'UPI', paymentMethod: 'UPI', upi: { txnType: kind, vpa: kind === 'UPI_COLLECT' ? value : null, app: kind === 'UPI_PAY' ? value : null }, ...overrides };
}
