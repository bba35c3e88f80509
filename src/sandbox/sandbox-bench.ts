// Latency of one evaluate() of a realistic merchant script (compiled once, evaluated many times).
// Run: node --import tsx -e "import('./src/sandbox/sandbox-bench.ts').then(m => m.runSandboxBench()).then(console.log)"

import type { CodeEvaluationInput } from '../routing/kinds/code-evaluator.ts';
import { createQuickJsEvaluator } from './quickjs-evaluator.ts';

export const BENCH_SCRIPT = `// Issuer and EMI aware routing with a time-based split and reference ids.
const issuer = payment.cardIssuer || "";
const amount = Number(order.amount) || 0;
let priority;
if (txn.isEmi && txn.emiBank == "HDFC") {
  priority = ["HDFC", "RAZORPAY"];
} else if (issuer == "ICICI Bank") {
  priority = ["ICICI", "HDFC", "PAYU"];
} else if (payment.paymentMethodType == "UPI") {
  priority = currentTimeMillis % 10 < 5 ? ["PAYU", "RAZORPAY"] : ["RAZORPAY", "PAYU"];
} else if (amount > 100000) {
  priority = ["HDFC", "ICICI"];
} else {
  priority = ["PAYU", "HDFC", "ICICI"];
}
if (order.udf1 == "payu_offer") {
  enforceGatewayPriority(["PAYU"]);
} else {
  setGatewayPriority(priority.filter(g => g != order.preferredGateway).concat(order.preferredGateway ? [order.preferredGateway] : []));
}
setGatewayReferenceIds({ PAYU: "payu_" + (order.metadata && order.metadata.mid || "default") });`;

export interface SandboxBenchResult {
  p50Us: number;
  p99Us: number;
  perSec: number;
}

export async function runSandboxBench(iterations = 20000): Promise<SandboxBenchResult> {
  const evaluator = await createQuickJsEvaluator();
  const compiled = evaluator.compile(BENCH_SCRIPT);
  if (!compiled.ok) throw new Error(`bench script does not compile: ${compiled.message}`);
  const program = compiled.program;
  const inputs: CodeEvaluationInput[] = [];
  const issuers = ['ICICI Bank', 'HDFC Bank', 'SBI', 'Axis Bank'];
  for (let i = 0; i < 64; i++) {
    inputs.push({
      order: {
        orderId: `ordeh_${i}`,
        amount: 500 + i * 5000,
        currency: 'INR',
        customerId: `cust_${i % 7}`,
        udf1: i % 16 === 0 ? 'payu_offer' : '',
        preferredGateway: i % 5 === 0 ? 'RAZORPAY' : undefined,
        metadata: { mid: `m${i % 3}` },
      },
      txn: { txnId: `txn_${i}`, isEmi: i % 9 === 0, emiBank: 'HDFC', emiTenure: 6, addToLocker: false },
      payment: {
        cardBin: '411111',
        cardBrand: 'VISA',
        cardIssuer: issuers[i % issuers.length],
        cardType: 'CREDIT',
        cardIssuerCountry: 'INDIA',
        paymentMethod: i % 3 === 0 ? 'UPI' : 'CARD',
        paymentMethodType: i % 3 === 0 ? 'UPI' : 'CARD',
        authType: 'THREE_DS',
      },
      currentTimeMillis: 1_700_000_000_000 + i,
    });
  }
  try {
    const warmup = Math.min(2000, iterations);
    for (let i = 0; i < warmup; i++) check(program.evaluate(inputs[i % inputs.length]!));
    const samples = new Float64Array(iterations);
    const started = performance.now();
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now();
      const result = program.evaluate(inputs[i % inputs.length]!);
      samples[i] = performance.now() - t0;
      check(result);
    }
    const totalMs = performance.now() - started;
    samples.sort();
    const at = (q: number): number => samples[Math.min(iterations - 1, Math.floor(q * iterations))]! * 1000;
    return { p50Us: round(at(0.5)), p99Us: round(at(0.99)), perSec: Math.round((iterations / totalMs) * 1000) };
  } finally {
    program.dispose();
  }
}

function check(result: { ok: boolean }): void {
  if (!result.ok) throw new Error(`bench evaluation failed: ${JSON.stringify(result)}`);
}

function round(us: number): number {
  return Math.round(us * 10) / 10;
}
