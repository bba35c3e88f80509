// Shared fixtures for the simulator's tests.
import type { AuthorizeRequest, ConnectorAccount } from '../../core/ports/connector.ts';
import { baselineProfile, type SimulatorProfile } from './simulator-profile.ts';

export const TEST_ACCOUNT: ConnectorAccount = {
  accountId: 'gwa_test',
  merchantId: 'm_test',
  gateway: 'SIM_ALPHA',
  gatewayReferenceId: null,
  credentials: { webhook_secret: 'whsec_test' },
};

let counter = 0;

export function cardRequest(overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  const id = `t${++counter}`;
  return {
    txnId: `m_test-ord_${id}-1`,
    txnUuid: `uuid_${id}`,
    orderId: `ord_${id}`,
    merchantId: 'm_test',
    amount: 10_000,
    currency: 'INR',
    paymentMethodType: 'CARD',
    paymentMethod: 'VISA',
    authType: null,
    captureMode: 'AUTO',
    card: {
      number: '4111111111111111',
      expMonth: '12',
      expYear: '2099',
      cvv: '123',
      holderName: 'Test Shopper',
      bin: '411111',
      last4: '1111',
      brand: 'VISA',
      type: 'CREDIT',
      issuer: 'HDFC',
      issuerCountry: 'IN',
    },
    upi: null,
    wallet: null,
    bank: null,
    customerId: null,
    customerEmail: null,
    returnUrl: 'https://shop.example/return?x=1',
    idempotencyKey: `idem_${id}`,
    ...overrides,
  };
}

/** A profile with no latency and a fixed success rate: for tests and benchmarks. */
export function instantProfile(baseSuccessRate: number, extra: Partial<SimulatorProfile> = {}): SimulatorProfile {
  return { ...baselineProfile(42), baseSuccessRate, latency: { fixedMs: 0, jitterMs: 0 }, ...extra };
}
