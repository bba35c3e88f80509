// Test fixtures for the risk engine (not a test file).
import { DEFAULT_RISK_CONFIG, type RiskConfig, type RiskContext } from './types.ts';

export function riskContext(over: Partial<RiskContext> = {}): RiskContext {
  return {
    merchantId: 'm_risk',
    orderId: 'ord_1',
    amount: 10_000,
    currency: 'INR',
    paymentMethodType: 'CARD',
    paymentMethod: 'VISA',
    card: { fingerprint: 'fp_aaaaaaaaaaaaaaaaaaaa', bin: '411111', extendedBin: '41111122', brand: 'VISA', type: 'CREDIT', issuer: 'ICICI Bank', issuerCountry: 'IN' },
    email: 'shopper@example.com',
    customerId: 'cust_1',
    clientIp: '203.0.113.7',
    deviceId: 'dev_1',
    billingCountry: 'IN',
    ipCountry: null,
    metadata: {},
    udf: {},
    nowMillis: 1_800_000_000_000,
    ...over,
  };
}

export function riskConfig(checks: Partial<RiskConfig['checks']> = {}, over: Partial<RiskConfig> = {}): RiskConfig {
  return { ...DEFAULT_RISK_CONFIG, ...over, checks: { ...DEFAULT_RISK_CONFIG.checks, ...checks } };
}
