// Shared test fixtures: a payment builder, a merchant's gateway accounts, and fast-check
// generators for random (valid) rule sets and payments. Not a test file itself.

import fc from 'fast-check';
import type { CodeEvaluationResult, CodeEvaluator, CodeEvaluationInput } from '../kinds/code-evaluator.ts';
import type { Condition, GatewayAccount, LeafCondition, LogicDefinition, Rule, RoutingPayment, RuleOutput } from '../types.ts';

export function account(gateway: string, extra: Partial<GatewayAccount> = {}): GatewayAccount {
  return {
    accountId: `acc_${gateway.toLowerCase()}${extra.gatewayReferenceId ? `_${extra.gatewayReferenceId}` : ''}`,
    priority: 0,
    gateway,
    gatewayReferenceId: null,
    enabled: true,
    paymentMethodTypes: [],
    paymentMethods: [],
    cardBrands: [],
    currencies: [],
    ...extra,
  };
}

export const GATEWAYS: GatewayAccount[] = [
  account('PAYU'),
  account('RAZORPAY'),
  account('STRIPE', { paymentMethodTypes: ['CARD'], currencies: ['USD', 'EUR', 'INR'] }),
  account('HDFC', { paymentMethodTypes: ['CARD', 'NB'], cardBrands: ['VISA', 'MASTERCARD'] }),
  account('ICICI', { paymentMethodTypes: ['CARD', 'NB', 'UPI'] }),
  account('CCAVENUE', { enabled: false }),
];

export function payment(over: Partial<RoutingPayment> = {}): RoutingPayment {
  return {
    merchantId: 'm_1',
    orderId: 'ord_1',
    txnId: 'txn_1',
    amount: 10_000,
    currency: 'INR',
    paymentMethodType: 'CARD',
    paymentMethod: 'VISA',
    authType: 'THREE_DS',
    card: {
      bin: '411111',
      extendedBin: '41111122',
      brand: 'VISA',
      type: 'CREDIT',
      subType: 'PLATINUM',
      issuer: 'ICICI Bank',
      issuerCountry: 'IN',
    },
    upi: null,
    wallet: null,
    bank: null,
    emi: null,
    customerId: 'cust_1',
    productId: null,
    description: null,
    udf: {},
    metadata: {},
    billingCountry: 'IN',
    shippingCountry: 'IN',
    isDomestic: true,
    preferredGateway: null,
    platform: 'WEB',
    addToLocker: false,
    nowMillis: Date.UTC(2026, 0, 1, 10, 30),
    gateways: GATEWAYS,
    ...over,
  };
}

export function upiPayment(over: Partial<RoutingPayment> = {}): RoutingPayment {
  return payment({ paymentMethodType: 'UPI', paymentMethod: 'UPI_COLLECT', card: null, upi: { txnType: 'COLLECT', app: 'GPAY' }, ...over });
}

// ---------------------------------------------------------------- fake code evaluator

type Script = (i: CodeEvaluationInput) => CodeEvaluationResult;
const ok = (gateways: string[], enforced = false, refs: Record<string, string> = {}): CodeEvaluationResult => ({
  ok: true,
  gateways,
  enforced,
  gatewayReferenceIds: refs,
});

/** Scripts the fake evaluator "runs": the source text is the key. */
export const SCRIPTS: Record<string, Script> = {
  'setGatewayPriority(["PAYU","RAZORPAY"])': () => ok(['PAYU', 'RAZORPAY']),
  'issuer-split': (i) => (i.payment.cardIssuer === 'ICICI Bank' ? ok(['ICICI', 'HDFC']) : ok(['HDFC', 'ICICI'])),
  'udf1-enforce': (i) => (i.order.udf1 === 'payu_offer' ? ok(['PAYU'], true) : ok(['RAZORPAY', 'PAYU'])),
  'time-split': (i) => (i.currentTimeMillis % 10 < 5 ? ok(['PAYU']) : ok(['RAZORPAY'])),
  'with-refs': () => ok(['PAYU'], false, { PAYU: 'payu_acc_2' }),
  throws: () => ({ ok: false, reason: 'UNHANDLED_EXCEPTION', message: 'TypeError: x is undefined' }),
  'memory-hog': () => ({ ok: false, reason: 'MEMORY_EXCEEDED', message: 'memory limit exceeded' }),
  'busy-loop': () => ({ ok: false, reason: 'PL_EVALUATION_FAILED', message: 'deadline exceeded' }),
  'no-priority': () => ok([]),
  'bad-name': () => ok(['not a gateway!']),
  'host-throws': () => {
    throw new Error('sandbox crashed');
  },
  'enforce-anything': (i) => ok(i.payment.paymentMethodType === 'UPI' ? ['ICICI'] : ['STRIPE', 'PAYU'], true),
};

export const fakeCodeEvaluator: CodeEvaluator = {
  compile(source) {
    if (source.length > 10_000) return { ok: false, reason: 'CODE_TOO_LARGE', message: 'code exceeds 10000 characters' };
    const script = SCRIPTS[source.trim()];
    if (!script) return { ok: false, reason: 'COMPILATION_ERROR', message: 'SyntaxError: unexpected token', line: 1, column: 5 };
    let disposed = false;
    return {
      ok: true,
      program: {
        evaluate(input) {
          if (disposed) throw new Error('evaluate after dispose');
          return script(input);
        },
        dispose() {
          disposed = true;
        },
      },
    };
  },
};

// ---------------------------------------------------------------- generators

const CASED = <T extends string>(values: T[]) => fc.constantFrom(...values.flatMap((v) => [v, v.toLowerCase()]));

const ENUM_POOLS: Record<string, string[]> = {
  payment_method_type: ['CARD', 'UPI', 'NB', 'WALLET'],
  payment_method: ['VISA', 'MASTERCARD', 'UPI_COLLECT', 'HDFC_NB'],
  card_brand: ['VISA', 'MASTERCARD', 'AMEX', 'RUPAY'],
  card_type: ['CREDIT', 'DEBIT', 'PREPAID'],
  card_sub_type: ['PLATINUM', 'GOLD'],
  card_issuer: ['ICICI Bank', 'HDFC Bank'],
  card_issuer_country: ['IN', 'US'],
  currency: ['INR', 'USD'],
  billing_country: ['IN', 'US', 'GB'],
  shipping_country: ['IN', 'US'],
  auth_type: ['THREE_DS', 'NO_THREE_DS'],
  upi_app: ['GPAY', 'PHONEPE'],
  upi_txn_type: ['COLLECT', 'INTENT'],
  wallet: ['PAYTM', 'MOBIKWIK'],
  bank: ['HDFC', 'SBI'],
  emi_bank: ['HDFC', 'ICICI'],
  platform: ['WEB', 'ANDROID', 'IOS'],
};
const STRING_POOLS: Record<string, string[]> = {
  udf1: ['payu_offer', 'gold', 'Gold'],
  udf2: ['a', 'b'],
  'metadata.segment': ['vip', 'new', 'VIP'],
  customer_id: ['cust_1', 'cust_2'],
};
const BINS6 = ['411111', '512345', '400000', '499999'];
const BINS8 = ['41111122', '51234567', '40000000'];
const TENURES = [3, 6, 9, 12];

const pick = <T>(xs: T[]) => fc.constantFrom(...xs);
const nonEmptySubset = <T>(xs: T[]) => fc.uniqueArray(fc.constantFrom(...xs), { minLength: 1, maxLength: xs.length });
const ordered = (a: fc.Arbitrary<number>) => fc.tuple(a, a).map(([x, y]) => (x <= y ? [x, y] : [y, x]));
const amountNum = fc.integer({ min: 0, max: 20_000 });
const currencyArb = pick(['INR', 'USD', 'inr']);

const enumLeaf = fc.constantFrom(...Object.keys(ENUM_POOLS)).chain((dimension) => {
  const pool = ENUM_POOLS[dimension];
  return fc.oneof(
    fc.record({ dimension: fc.constant(dimension), operator: pick(['equal', 'not_equal'] as const), value: CASED(pool) }),
    fc.record({ dimension: fc.constant(dimension), operator: pick(['in', 'not_in'] as const), value: nonEmptySubset(pool) }),
  );
});
const stringLeaf = fc.constantFrom(...Object.keys(STRING_POOLS)).chain((dimension) => {
  const pool = STRING_POOLS[dimension];
  return fc.oneof(
    fc.record({ dimension: fc.constant(dimension), operator: pick(['equal', 'not_equal'] as const), value: pick(pool) }),
    fc.record({ dimension: fc.constant(dimension), operator: pick(['in', 'not_in'] as const), value: nonEmptySubset(pool) }),
    fc.record({ dimension: fc.constant(dimension), operator: fc.constant('starts_with' as const), value: fc.oneof(pick(['p', 'g', 'cust_', 'v', 'V']), nonEmptySubset(['p', 'G', 'n'])) }),
  );
});
const binLeaf = fc.oneof(
  fc.record({ dimension: fc.constant('card_bin'), operator: pick(['equal', 'not_equal'] as const), value: pick([...BINS6, ...BINS8]) }),
  fc.record({ dimension: fc.constant('card_bin'), operator: pick(['in', 'not_in'] as const), value: nonEmptySubset([...BINS6, ...BINS8]) }),
  fc.record({ dimension: fc.constant('card_bin'), operator: fc.constant('starts_with' as const), value: fc.oneof(pick(['4', '41', '5123', '4111112']), nonEmptySubset(['4', '51', '41111122'])) }),
  fc.record({
    dimension: fc.constant('card_bin'),
    operator: fc.constant('between' as const),
    value: pick([
      ['400000', '499999'],
      ['500000', '512345'],
      ['41000000', '41999999'],
    ]),
  }),
);
const ORDER_OPS = ['less_than', 'less_than_equal', 'greater_than', 'greater_than_equal'] as const;
const amountLeaf = fc.oneof(
  fc.record({ dimension: fc.constant('amount'), operator: pick([...ORDER_OPS, 'equal', 'not_equal'] as const), value: fc.oneof(amountNum, fc.record({ amount: amountNum, currency: currencyArb })) }),
  fc.record({ dimension: fc.constant('amount'), operator: fc.constant('between' as const), value: ordered(amountNum) }),
  fc.tuple(ordered(amountNum), currencyArb).map(([[a, b], currency]) => ({
    dimension: 'amount',
    operator: 'between' as const,
    value: [
      { amount: a, currency },
      { amount: b, currency },
    ],
  })),
);
const numberLeaf = fc.oneof(
  fc.record({ dimension: fc.constant('emi_tenure'), operator: pick([...ORDER_OPS, 'equal', 'not_equal'] as const), value: pick(TENURES) }),
  fc.record({ dimension: fc.constant('emi_tenure'), operator: pick(['in', 'not_in'] as const), value: nonEmptySubset(TENURES) }),
  fc.record({ dimension: fc.constant('emi_tenure'), operator: fc.constant('between' as const), value: ordered(pick(TENURES)) }),
);
const minuteArb = fc.integer({ min: 0, max: 1439 });
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const timeValue = fc.oneof(minuteArb, minuteArb.map(hhmm));
const timeLeaf = fc.oneof(
  fc.record({ dimension: fc.constant('time_of_day'), operator: pick([...ORDER_OPS]), value: timeValue }),
  fc.record({ dimension: fc.constant('time_of_day'), operator: fc.constant('between' as const), value: fc.tuple(timeValue, timeValue) }),
);
const boolLeaf = fc.record({ dimension: pick(['emi', 'is_domestic', 'add_to_locker']), operator: pick(['equal', 'not_equal'] as const), value: fc.boolean() });

export const leafArb: fc.Arbitrary<LeafCondition> = fc.oneof(
  { weight: 4, arbitrary: enumLeaf },
  { weight: 2, arbitrary: stringLeaf },
  { weight: 2, arbitrary: binLeaf },
  { weight: 2, arbitrary: amountLeaf },
  { weight: 1, arbitrary: numberLeaf },
  { weight: 1, arbitrary: timeLeaf },
  { weight: 1, arbitrary: boolLeaf },
) as fc.Arbitrary<LeafCondition>;

export const conditionArb: fc.Arbitrary<Condition> = fc.letrec<{ cond: Condition }>((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.record({ all: fc.array(tie('cond'), { minLength: 1, maxLength: 4 }) }),
    fc.record({ any: fc.array(tie('cond'), { minLength: 1, maxLength: 4 }) }),
  ),
})).cond;

const gwName = pick(['PAYU', 'RAZORPAY', 'STRIPE', 'HDFC', 'ICICI']);
const weights = fc.integer({ min: 1, max: 4 }).chain((n) =>
  fc.array(fc.integer({ min: 0, max: 100 }), { minLength: n, maxLength: n }).map((ws) => {
    // Normalise to integers summing to 100.
    const total = ws.reduce((a, b) => a + b, 0) || 1;
    const out = ws.map((w) => Math.floor((w * 100) / total));
    out[0] += 100 - out.reduce((a, b) => a + b, 0);
    return out;
  }),
);
const gwRef = fc.record({ gateway: gwName }, { requiredKeys: ['gateway'] });
export const outputArb: fc.Arbitrary<RuleOutput> = fc.oneof(
  fc.record({ type: fc.constant('PRIORITY' as const), gateways: fc.array(gwRef, { minLength: 1, maxLength: 3 }) }),
  weights.chain((ws) => fc.tuple(...ws.map(() => gwName)).map((gs) => ({ type: 'VOLUME_SPLIT' as const, splits: gs.map((gateway, i) => ({ gateway, weight: ws[i] })) }))),
  weights.chain((ws) =>
    fc.tuple(...ws.map(() => fc.array(gwRef, { minLength: 1, maxLength: 2 }))).map((gs) => ({
      type: 'VOLUME_SPLIT_PRIORITY' as const,
      splits: gs.map((gateways, i) => ({ gateways, weight: ws[i] })),
    })),
  ),
);

export const ruleArb: fc.Arbitrary<Rule> = fc.record({ name: fc.string({ minLength: 1, maxLength: 8 }), condition: conditionArb, output: outputArb });

const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });

export const paymentArb: fc.Arbitrary<RoutingPayment> = fc
  .record({
    orderId: fc.string({ minLength: 1, maxLength: 12 }),
    amount: amountNum,
    currency: CASED(['INR', 'USD']),
    paymentMethodType: CASED(ENUM_POOLS.payment_method_type),
    paymentMethod: nullable(pick(ENUM_POOLS.payment_method)),
    authType: nullable(pick(ENUM_POOLS.auth_type)),
    card: nullable(
      fc.record({
        bin: pick([...BINS6, '450000', '600000']),
        extendedBin: nullable(pick([...BINS8, '45000012'])),
        brand: nullable(CASED(ENUM_POOLS.card_brand)),
        type: nullable(pick(ENUM_POOLS.card_type)),
        subType: nullable(pick(ENUM_POOLS.card_sub_type)),
        issuer: nullable(CASED(ENUM_POOLS.card_issuer)),
        issuerCountry: nullable(pick(ENUM_POOLS.card_issuer_country)),
      }),
    ),
    upi: nullable(fc.record({ txnType: nullable(pick(ENUM_POOLS.upi_txn_type)), app: nullable(pick(ENUM_POOLS.upi_app)) })),
    wallet: nullable(pick(ENUM_POOLS.wallet)),
    bank: nullable(pick(ENUM_POOLS.bank)),
    emi: nullable(fc.record({ isEmi: fc.boolean(), bank: nullable(pick(ENUM_POOLS.emi_bank)), tenure: nullable(pick(TENURES)) })),
    customerId: nullable(pick(STRING_POOLS.customer_id)),
    udf1: nullable(pick(STRING_POOLS.udf1)),
    udf2: nullable(pick(STRING_POOLS.udf2)),
    segment: fc.option(pick(STRING_POOLS['metadata.segment']), { nil: undefined }),
    billingCountry: nullable(pick(ENUM_POOLS.billing_country)),
    shippingCountry: nullable(pick(ENUM_POOLS.shipping_country)),
    isDomestic: fc.option(fc.boolean(), { nil: undefined }),
    platform: nullable(pick(ENUM_POOLS.platform)),
    addToLocker: fc.boolean(),
    nowMillis: fc.integer({ min: 0, max: 4_000_000_000_000 }),
  })
  .map(({ udf1, udf2, segment, ...r }) => payment({ ...r, udf: { udf1, udf2 }, metadata: segment === undefined ? {} : { segment } }));

const nameArb = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== '');

export const logicArb: fc.Arbitrary<LogicDefinition> = fc.oneof(
  fc.record(
    {
      kind: fc.constant('DEFAULT' as const),
      name: nameArb,
      description: fc.string(),
      enforce: fc.boolean(),
      defaultGateways: fc.array(fc.record({ gateway: gwName, gatewayReferenceId: nullable(fc.string()) }, { requiredKeys: ['gateway'] }), { minLength: 1, maxLength: 3 }),
    },
    { requiredKeys: ['kind', 'name', 'enforce', 'defaultGateways'] },
  ),
  fc
    .tuple(weights, nameArb, fc.boolean())
    .chain(([ws, name, enforce]) =>
      fc.tuple(...ws.map(() => gwName)).map((gs) => ({ kind: 'VOLUME' as const, name, enforce, defaultGateways: [{ gateway: 'PAYU' }], splits: gs.map((gateway, i) => ({ gateway, weight: ws[i] })) })),
    ),
  fc.record({
    kind: fc.constant('RULES' as const),
    name: nameArb,
    enforce: fc.boolean(),
    defaultGateways: fc.array(gwRef, { minLength: 1, maxLength: 2 }),
    rules: fc.array(ruleArb, { maxLength: 5 }),
  }),
  fc.record({
    kind: fc.constant('CODE' as const),
    name: nameArb,
    enforce: fc.boolean(),
    defaultGateways: fc.array(gwRef, { minLength: 1, maxLength: 2 }),
    code: fc.constantFrom(...Object.keys(SCRIPTS)),
  }),
);
