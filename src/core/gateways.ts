// Our published, stable table of gateway ids (docs/gateways.md mirrors it; a test keeps them in
// sync). Ids never change meaning once published; new gateways take new numbers.
export const GATEWAY_IDS = {
  AXIS: 1,
  HDFC: 2,
  ICICI: 3,
  CITI: 4,
  AMEX: 5,
  CYBERSOURCE: 6,
  IPG: 7,
  MIGS: 8,
  KOTAK: 9,
  EBS: 10,
  PAYU: 11,
  CCAVENUE: 12,
  CITRUS: 13,
  AIRPAY: 14,
  PAYTM: 18,
  RAZORPAY: 23,
  STRIPE: 25,
  ADYEN: 30,
  CHECKOUT: 31,
  PAYPAL: 32,
  BRAINTREE: 33,
  CASHFREE: 70,
  PHONEPE: 73,
  // Simulated gateways: the demo, the tests and the routing simulator use them.
  SIM_ALPHA: 901,
  SIM_BETA: 902,
  SIM_GAMMA: 903,
  SIM_DELTA: 904,
  SIM_EPSILON: 905,
  SIM_ZETA: 906,
} as const;

export type GatewayName = keyof typeof GATEWAY_IDS;

export function isGatewayName(value: string): value is GatewayName {
  return Object.hasOwn(GATEWAY_IDS, value);
}

export function gatewayIdOf(name: GatewayName): number {
  return GATEWAY_IDS[name];
}

export function gatewayNameOf(id: number): GatewayName | undefined {
  return (Object.keys(GATEWAY_IDS) as GatewayName[]).find((name) => GATEWAY_IDS[name] === id);
}

export const SIMULATED_GATEWAYS: readonly GatewayName[] = ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA', 'SIM_DELTA', 'SIM_EPSILON', 'SIM_ZETA'];
