// Shared test data for the Braintree connector's tests: the emulator's merchant as an account, and
// card requests (raw cards are Braintree's sandbox test numbers).
import assert from 'node:assert/strict';
import type { AuthorizeRequest, ConnectorAccount } from '../../core/ports/connector.ts';
import { BRAINTREE_EMULATOR_MERCHANT, startBraintreeEmulator, type BraintreeEmulator } from '../../../emulators/braintree/braintree-emulator.ts';
import { createHttpTransport, type HttpTransport } from '../kit/transport.ts';
import { createBraintreeConnector } from './braintree-connector.ts';

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

export interface BraintreeWireHarness {
  emulator: BraintreeEmulator;
  transport: HttpTransport;
  connector: ReturnType<typeof createBraintreeConnector>;
  /** A card request with fresh ids (`<prefix>-<n>-…`). */
  req(overrides?: Partial<AuthorizeRequest>, number?: string): AuthorizeRequest;
  /** The sales the emulator received. */
  sales(): BraintreeEmulator['requests'];
  /** Stops both, after checking that every request the connector sent conforms to the contract. */
  stop(): Promise<void>;
}

/** The connector against a fresh emulator (a describe block's before(); stop() in its after()). */
export async function startBraintreeWireHarness(prefix: string): Promise<BraintreeWireHarness> {
  const emulator = await startBraintreeEmulator();
  const transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
  const connector = createBraintreeConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { BRAINTREE: emulator.url } });
  let n = 0;
  return {
    emulator,
    transport,
    connector,
    req(overrides = {}, number) {
      n += 1;
      return braintreeCardRequest({ txnId: `${prefix}-${n}-${Date.now().toString(36)}`, txnUuid: `uuid-${prefix}-${n}`, idempotencyKey: `idem-${prefix}-${n}`, ...overrides }, number);
    },
    sales: () => emulator.requests.filter((r) => r.method === 'POST' && /\/transactions$/.test(r.path)),
    async stop() {
      assert.deepEqual(emulator.violations, [], 'every request the connector sent conforms to the contract');
      await transport.close();
      await emulator.close();
    },
  };
}
