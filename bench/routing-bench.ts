// Routing engine benchmark: decisions/sec and p50/p99 per decision for each logic kind, and the
// same rule sets in json-rules-engine and as a hand-written if-chain for comparison.
//
//   tsx bench/routing-bench.ts [iterations]
//
// Timing: each sample is a batch of BATCH consecutive decisions timed with process.hrtime.bigint
// and divided by BATCH (a single sub-microsecond call is below the timer's useful resolution).
// Percentiles are over those per-batch means, so they smooth single-call outliers (GC pauses
// show up in p99 only when they dominate a batch).

import { pathToFileURL } from 'node:url';
import { Engine as JsonRulesEngine, type RuleProperties } from 'json-rules-engine';
import { createRoutingEngine, type LogicSlot } from '../src/routing/decide.ts';
import type { CodeEvaluator } from '../src/routing/kinds/code-evaluator.ts';
import { compileRules } from '../src/routing/kinds/rules/compile-rules.ts';
import type { GatewayAccount, LeafCondition, LogicDefinition, RoutingPayment, Rule, RulesLogic } from '../src/routing/types.ts';

const BATCH = 16;

// ---------------------------------------------------------------- workload

const BRANDS = ['VISA', 'MASTERCARD', 'AMEX', 'RUPAY'];
const GW = ['PAYU', 'RAZORPAY', 'HDFC', 'ICICI', 'STRIPE', 'CCAVENUE'];

function acct(gateway: string): GatewayAccount {
  return { accountId: `acc_${gateway}`, priority: 0, gateway, gatewayReferenceId: null, enabled: true, paymentMethodTypes: [], paymentMethods: [], cardBrands: [], currencies: [] };
}
const ACCOUNTS = GW.map(acct);

/** Deterministic PRNG so every run benchmarks the same workload. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Spec {
  brands: string[];
  issuer: string;
  minAmount: number;
  maxAmount: number;
  bins: string[];
  udf1: string | null;
  currency: string;
}

/** Realistic rules: card payments by brand, issuer, amount band, BIN list, an offer code. */
function makeSpecs(n: number): Spec[] {
  const r = rng(42);
  const specs: Spec[] = [];
  for (let i = 0; i < n; i++) {
    const b = BRANDS[i % BRANDS.length];
    specs.push({
      brands: [b, BRANDS[(i + 1) % BRANDS.length]],
      issuer: `BANK_${i}`,
      minAmount: 100 * Math.floor(r() * 50),
      maxAmount: 100_000 + 100 * Math.floor(r() * 1000),
      bins: Array.from({ length: 5 }, (_, k) => String(400000 + i * 10 + k)),
      udf1: i % 3 === 0 ? `offer_${i}` : null,
      currency: i % 5 === 0 ? 'USD' : 'INR',
    });
  }
  return specs;
}

function toRule(s: Spec, i: number): Rule {
  const all: LeafCondition[] = [
    { dimension: 'payment_method_type', operator: 'equal', value: 'CARD' },
    { dimension: 'card_brand', operator: 'in', value: s.brands },
    { dimension: 'card_issuer', operator: 'equal', value: s.issuer },
    { dimension: 'currency', operator: 'equal', value: s.currency },
    { dimension: 'amount', operator: 'between', value: [s.minAmount, s.maxAmount] },
    { dimension: 'card_bin', operator: 'in', value: s.bins },
  ];
  if (s.udf1) all.push({ dimension: 'udf1', operator: 'equal', value: s.udf1 });
  return { name: `rule_${i}`, condition: { all }, output: { type: 'PRIORITY', gateways: [{ gateway: GW[i % 5] }, { gateway: GW[(i + 1) % 5] }] } };
}

function paymentFor(s: Spec | null, orderNo: number): RoutingPayment {
  const brand = s ? s.brands[0] : 'VISA';
  return {
    merchantId: 'm_bench',
    orderId: `ord_${orderNo}`,
    txnId: `txn_${orderNo}`,
    amount: s ? s.minAmount + 50 : 5000,
    currency: s ? s.currency : 'INR',
    paymentMethodType: 'CARD',
    paymentMethod: brand,
    authType: 'THREE_DS',
    card: { bin: s ? s.bins[2] : '999999', extendedBin: null, brand, type: 'CREDIT', subType: null, issuer: s ? s.issuer : 'NOBODY', issuerCountry: 'IN' },
    upi: null,
    wallet: null,
    bank: null,
    emi: null,
    customerId: `cust_${orderNo % 97}`,
    productId: null,
    description: null,
    udf: { udf1: s?.udf1 ?? null },
    metadata: {},
    billingCountry: 'IN',
    shippingCountry: 'IN',
    isDomestic: true,
    preferredGateway: null,
    platform: 'WEB',
    addToLocker: false,
    nowMillis: 1_790_000_000_000 + orderNo,
    gateways: ACCOUNTS,
  };
}

/** Worst case: every payment matches only the last rule. Mixed: any rule, or none (10%). */
function payments(specs: Spec[], mode: 'worst' | 'mixed', count: number): RoutingPayment[] {
  const r = rng(7);
  return Array.from({ length: count }, (_, i) => {
    if (mode === 'worst') return paymentFor(specs[specs.length - 1], i);
    return r() < 0.1 ? paymentFor(null, i) : paymentFor(specs[Math.floor(r() * specs.length)], i);
  });
}

// ---------------------------------------------------------------- baselines

/**
 * The same rules as a developer would hand-write them: one if per rule, plain property reads.
 * Generated as source text (this is the baseline, not the engine: the engine never runs eval).
 */
function handWritten(specs: Spec[]): (p: RoutingPayment) => number {
  const q = JSON.stringify;
  const lines = specs.map((s, i) => {
    const parts = [
      `p.paymentMethodType === 'CARD'`,
      `c !== null`,
      `(${s.brands.map((b) => `c.brand === ${q(b)}`).join(' || ')})`,
      `c.issuer === ${q(s.issuer)}`,
      `p.currency === ${q(s.currency)}`,
      `p.amount >= ${s.minAmount} && p.amount <= ${s.maxAmount}`,
      `(${s.bins.map((b) => `c.bin === ${q(b)}`).join(' || ')})`,
    ];
    if (s.udf1) parts.push(`p.udf.udf1 === ${q(s.udf1)}`);
    return `  if (${parts.join(' && ')}) return ${i};`;
  });
  // eslint-disable-next-line no-new-func
  return new Function('p', `const c = p.card;\n${lines.join('\n')}\n  return -1;`) as (p: RoutingPayment) => number;
}

function jsonRulesEngine(specs: Spec[]): { run: (p: RoutingPayment) => Promise<number> } {
  const engine = new JsonRulesEngine([], { allowUndefinedFacts: true });
  specs.forEach((s, i) => {
    const all: RuleProperties['conditions'] = {
      all: [
        { fact: 'paymentMethodType', operator: 'equal', value: 'CARD' },
        { fact: 'cardBrand', operator: 'in', value: s.brands },
        { fact: 'cardIssuer', operator: 'equal', value: s.issuer },
        { fact: 'currency', operator: 'equal', value: s.currency },
        { fact: 'amount', operator: 'greaterThanInclusive', value: s.minAmount },
        { fact: 'amount', operator: 'lessThanInclusive', value: s.maxAmount },
        { fact: 'cardBin', operator: 'in', value: s.bins },
        ...(s.udf1 ? [{ fact: 'udf1', operator: 'equal', value: s.udf1 }] : []),
      ],
    };
    // Descending priority: json-rules-engine evaluates priority groups in order, so stopping at
    // the first success gives first-match semantics.
    engine.addRule({ conditions: all, priority: specs.length - i + 1, event: { type: 'route', params: { index: i } }, onSuccess: () => void engine.stop() });
  });
  return {
    async run(p) {
      const res = await engine.run({
        paymentMethodType: p.paymentMethodType,
        cardBrand: p.card?.brand ?? null,
        cardIssuer: p.card?.issuer ?? null,
        currency: p.currency,
        amount: p.amount,
        cardBin: p.card?.bin ?? null,
        udf1: p.udf.udf1 ?? null,
      });
      return res.events.length > 0 ? (res.events[0].params as { index: number }).index : -1;
    },
  };
}

// ---------------------------------------------------------------- measurement

interface Stats {
  label: string;
  n: number;
  perSec: number;
  p50: number;
  p99: number;
}

function summarise(label: string, samples: number[], n: number, totalNs: number): Stats {
  const sorted = samples.slice().sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { label, n, perSec: n / (totalNs / 1e9), p50: at(0.5) / 1000, p99: at(0.99) / 1000 };
}

let sink = 0;

function measureSync(label: string, inputs: RoutingPayment[], fn: (p: RoutingPayment) => unknown, iterations: number): Stats {
  const warm = Math.min(iterations, 5000);
  for (let i = 0; i < warm; i++) sink ^= fn(inputs[i % inputs.length]) === undefined ? 0 : 1;
  const samples: number[] = [];
  let total = 0;
  let k = 0;
  for (let done = 0; done < iterations; done += BATCH) {
    const t0 = process.hrtime.bigint();
    for (let j = 0; j < BATCH; j++) sink ^= fn(inputs[k++ % inputs.length]) === undefined ? 0 : 1;
    const dt = Number(process.hrtime.bigint() - t0);
    total += dt;
    samples.push(dt / BATCH);
  }
  return summarise(label, samples, samples.length * BATCH, total);
}

async function measureAsync(label: string, inputs: RoutingPayment[], fn: (p: RoutingPayment) => Promise<unknown>, iterations: number): Promise<Stats> {
  const warm = Math.min(iterations, 500);
  for (let i = 0; i < warm; i++) await fn(inputs[i % inputs.length]);
  const samples: number[] = [];
  let total = 0;
  let k = 0;
  for (let done = 0; done < iterations; done += BATCH) {
    const t0 = process.hrtime.bigint();
    for (let j = 0; j < BATCH; j++) await fn(inputs[k++ % inputs.length]);
    const dt = Number(process.hrtime.bigint() - t0);
    total += dt;
    samples.push(dt / BATCH);
  }
  return summarise(label, samples, samples.length * BATCH, total);
}

const fmt = (x: number, d = 2) => x.toFixed(d);
function row(s: Stats): string {
  return `  ${s.label.padEnd(46)} ${Math.round(s.perSec).toLocaleString('en-US').padStart(12)}/s   p50 ${fmt(s.p50).padStart(9)} µs   p99 ${fmt(s.p99).padStart(9)} µs`;
}

// ---------------------------------------------------------------- the bench

export async function runRoutingBench(opts: { codeEvaluator?: CodeEvaluator; iterations?: number } = {}): Promise<string> {
  const iterations = opts.iterations ?? 50_000;
  const engine = createRoutingEngine(opts.codeEvaluator ? { codeEvaluator: opts.codeEvaluator } : {});
  const slot = (logic: LogicDefinition): LogicSlot => ({ id: 'pl_bench', name: logic.name, version: 1, compiled: engine.compile(logic) });
  const out: string[] = [];
  out.push(`Junction routing bench (node ${process.version}, ${iterations.toLocaleString('en-US')} decisions per line, batches of ${BATCH})`);
  const verdicts: string[] = [];

  for (const n of [50, 500]) {
    const specs = makeSpecs(n);
    const logic: RulesLogic = { kind: 'RULES', name: `rules_${n}`, enforce: false, defaultGateways: [{ gateway: 'PAYU' }], rules: specs.map(toRule) };
    const active = slot(logic);
    const matcher = compileRules(logic.rules);
    const scan = compileRules(logic.rules, { index: false });
    const hand = handWritten(specs);
    const jre = jsonRulesEngine(specs);
    const jreIterations = Math.max(BATCH, Math.min(iterations, n >= 500 ? 2_000 : 10_000));
    for (const mode of ['worst', 'mixed'] as const) {
      const inputs = payments(specs, mode, 1024);
      // Same answers before timing anything.
      for (const p of inputs.slice(0, 200)) {
        const a = matcher.match(p);
        const b = hand(p);
        const c = await jre.run(p);
        if (a !== b || a !== c) throw new Error(`baselines disagree on ${p.orderId}: ours ${a}, hand ${b}, json-rules-engine ${c}`);
      }
      out.push('', `rule-based, ${n} rules, ${mode === 'worst' ? 'worst case (only the last rule matches)' : 'mixed workload (any rule; 10% no match)'}`);
      const decide = measureSync('junction decide() (full pipeline)', inputs, (p) => engine.decide({ payment: p, active }), iterations);
      const match = measureSync('junction compiled rules (match only)', inputs, (p) => matcher.match(p), iterations);
      const scanS = measureSync('junction compiled rules, index off (linear)', inputs, (p) => scan.match(p), iterations);
      const handS = measureSync('hand-written JavaScript if-chain', inputs, hand, iterations);
      const jreS = await measureAsync(`json-rules-engine (${jreIterations.toLocaleString('en-US')} runs)`, inputs, (p) => jre.run(p), jreIterations);
      for (const s of [decide, match, scanS, handS, jreS]) out.push(row(s));
      const ratioHand = match.p50 / handS.p50;
      const ratioDecideHand = decide.p50 / handS.p50;
      const ratioJre = jreS.p50 / decide.p50;
      out.push(
        `  ratios (p50): compiled match / hand-written = ${fmt(ratioHand)}x (index off: ${fmt(scanS.p50 / handS.p50)}x); decide / hand-written = ${fmt(ratioDecideHand)}x; json-rules-engine / decide = ${fmt(ratioJre, 0)}x`,
      );
      const ratioScan = scanS.p50 / handS.p50;
      verdicts.push(
        `rules ${n} ${mode}: decide p99 ${fmt(decide.p99)} µs ${decide.p99 <= 20 ? '<= 20 µs OK' : '> 20 µs MISSED'}; compiled match ${fmt(ratioHand)}x hand-written ${ratioHand <= 2 ? 'OK' : 'MISSED (goal 2x)'}; index off ${fmt(ratioScan)}x ${ratioScan <= 2 ? 'OK' : 'MISSED'}; scan p99 ${fmt(scanS.p99)} µs`,
      );
    }
  }

  {
    // No selective equality pin: brand (4 values) + amount band + BIN range per rule (only the
    // amount-range index helps; the index-off line shows the plain scan).
    const n = 500;
    const rules: Rule[] = Array.from({ length: n }, (_, i) => ({
      name: `band_${i}`,
      condition: {
        all: [
          { dimension: 'card_brand', operator: 'in', value: [BRANDS[i % 4], BRANDS[(i + 1) % 4]] },
          { dimension: 'amount', operator: 'between', value: [i * 100, i * 100 + 99] },
          { dimension: 'card_bin', operator: 'between', value: ['400000', '499999'] },
        ],
      },
      output: { type: 'PRIORITY', gateways: [{ gateway: GW[i % 5] }] },
    }));
    const logic: RulesLogic = { kind: 'RULES', name: 'bands', enforce: false, defaultGateways: [{ gateway: 'PAYU' }], rules };
    const active = slot(logic);
    const matcher = compileRules(rules);
    const hand = new Function(
      'p',
      `const c = p.card;\n${rules
        .map(
          (_, i) =>
            `  if (c !== null && (c.brand === '${BRANDS[i % 4]}' || c.brand === '${BRANDS[(i + 1) % 4]}') && p.amount >= ${i * 100} && p.amount <= ${i * 100 + 99} && +c.bin >= 400000 && +c.bin <= 499999) return ${i};`,
        )
        .join('\n')}\n  return -1;`,
    ) as (p: RoutingPayment) => number;
    const inputs = Array.from({ length: 1024 }, (_, k) => {
      const p = paymentFor(null, k);
      return { ...p, amount: (n - 1) * 100 + 50, card: { ...p.card!, bin: '450000', brand: BRANDS[(n - 1) % 4] } };
    });
    if (matcher.match(inputs[0]) !== n - 1 || hand(inputs[0]) !== n - 1) throw new Error('unindexable workload: wrong match');
    out.push('', `rule-based, ${n} rules without a selective equality pin (brand + amount band + BIN range), worst case; index used: ${matcher.indexedOn ?? 'none'}`);
    const decide = measureSync('junction decide() (full pipeline)', inputs, (p) => engine.decide({ payment: p, active }), Math.min(iterations, 20_000));
    const match = measureSync('junction compiled rules (match only)', inputs, (p) => matcher.match(p), Math.min(iterations, 20_000));
    const scan = compileRules(rules, { index: false });
    const scanS = measureSync('junction compiled rules, index off (linear)', inputs, (p) => scan.match(p), Math.min(iterations, 20_000));
    const handS = measureSync('hand-written JavaScript if-chain', inputs, hand, Math.min(iterations, 20_000));
    for (const s of [decide, match, scanS, handS]) out.push(row(s));
    out.push(`  ratios (p50): compiled match / hand-written = ${fmt(match.p50 / handS.p50)}x (index off: ${fmt(scanS.p50 / handS.p50)}x)`);
    verdicts.push(
      `rules ${n} bands worst: decide p99 ${fmt(decide.p99)} µs ${decide.p99 <= 20 ? '<= 20 µs OK' : '> 20 µs MISSED'}; compiled match ${fmt(match.p50 / handS.p50)}x hand-written ${match.p50 / handS.p50 <= 2 ? 'OK' : 'MISSED (goal 2x)'}; index off ${fmt(scanS.p50 / handS.p50)}x ${scanS.p50 / handS.p50 <= 2 ? 'OK' : 'MISSED'}`,
    );
  }

  out.push('', 'other kinds');
  const inputs = payments(makeSpecs(10), 'mixed', 1024);
  const volume = slot({
    kind: 'VOLUME',
    name: 'vol',
    enforce: false,
    defaultGateways: [{ gateway: 'PAYU' }],
    splits: [
      { gateway: 'PAYU', weight: 50 },
      { gateway: 'RAZORPAY', weight: 30 },
      { gateway: 'HDFC', weight: 20 },
    ],
  });
  const deflt = slot({ kind: 'DEFAULT', name: 'def', enforce: false, defaultGateways: [{ gateway: 'PAYU' }, { gateway: 'RAZORPAY' }, { gateway: 'HDFC' }] });
  out.push(row(measureSync('volume (3-way split), decide()', inputs, (p) => engine.decide({ payment: p, active: volume }), iterations)));
  out.push(row(measureSync('default (3 gateways), decide()', inputs, (p) => engine.decide({ payment: p, active: deflt }), iterations)));
  if (opts.codeEvaluator) {
    const code = slot({
      kind: 'CODE',
      name: 'code',
      enforce: false,
      defaultGateways: [{ gateway: 'PAYU' }],
      code: `if (payment.cardIssuer === 'BANK_3') { setGatewayPriority(['ICICI', 'HDFC']); } else if (order.udf1 === 'offer_0') { enforceGatewayPriority(['PAYU']); } else { setGatewayPriority(currentTimeMillis % 10 < 5 ? ['HDFC', 'ICICI'] : ['ICICI', 'HDFC']); }`,
    });
    if (code.compiled.compileErrors.length > 0) out.push(`  code-based: did not compile: ${code.compiled.compileErrors.join('; ')}`);
    else out.push(row(measureSync('code-based (sandbox), decide()', inputs, (p) => engine.decide({ payment: p, active: code }), Math.min(iterations, 20_000))));
    code.compiled.dispose();
  } else {
    out.push('  code-based: skipped (no CodeEvaluator given)');
  }
  out.push('', 'goals: rule-based p99 <= 20 µs and within 2x of hand-written', ...verdicts.map((v) => `  ${v}`));
  if (sink === 42) out.push(''); // keep results observable so nothing is optimised away
  return out.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const iterations = process.argv[2] ? Number(process.argv[2]) : undefined;
  let codeEvaluator: CodeEvaluator | undefined;
  try {
    // The sandbox lives in another module; use it when present, bench without it otherwise.
    const sandboxPath = '../src/sandbox/quickjs-evaluator.ts';
    const mod = (await import(sandboxPath)) as { createQuickJsEvaluator?: () => Promise<CodeEvaluator> };
    if (mod.createQuickJsEvaluator) codeEvaluator = await mod.createQuickJsEvaluator();
  } catch (e) {
    console.error(`(sandbox not available: ${e instanceof Error ? e.message : String(e)})`);
  }
  console.log(await runRoutingBench({ codeEvaluator, iterations }));
}
