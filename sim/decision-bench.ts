// In-process latency of one ranking decision (rankGateways through our policy, 4 gateways),
// with the state warmed by realistic feedback. Each sample times one call with hrtime.
import { createRng } from '../src/connectors/simulator/simulator-profile.ts';
import { createScoringPolicy, createSrV3Policy, type RoutingPolicy } from '../src/routing/scoring/index.ts';
import { BASE_TRAFFIC, INCUMBENTS as GATEWAYS, T0 } from './scenarios.ts';

export interface DecisionBenchResult {
  policy: string;
  gateways: number;
  decisions: number;
  p50Micros: number;
  p99Micros: number;
  meanMicros: number;
  decisionsPerSecond: number;
}

function bench(policy: RoutingPolicy, decisions: number): DecisionBenchResult {
  const rng = createRng(42);
  const segments = BASE_TRAFFIC.map((cell) => ({
    paymentMethodType: cell.context.paymentMethodType,
    paymentMethod: cell.context.paymentMethod,
    cardBrand: cell.context.cardBrand,
    issuer: cell.context.issuer,
    currency: 'INR',
  }));
  let now = T0;
  for (let i = 0; i < 20_000; i++) {
    now += 50;
    const segment = segments[i % segments.length];
    policy.record({ gateway: GATEWAYS[i % GATEWAYS.length], segment, success: rng.next() < 0.92, countsAgainstGateway: true, atMillis: now });
  }
  const samples = new Float64Array(decisions);
  let sink = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < decisions; i++) {
    const segment = segments[i % segments.length];
    const t0 = process.hrtime.bigint();
    const result = policy.rank({ candidates: GATEWAYS, mode: 'WITHIN_LOGIC', allEligible: GATEWAYS, enforced: false, segment, nowMillis: now + i, rng });
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
    sink += result.gateways.length;
  }
  const totalMicros = Number(process.hrtime.bigint() - started) / 1000;
  if (sink < 0) console.log(sink);
  const sorted = Array.from(samples).sort((a, b) => a - b);
  return {
    policy: policy.name,
    gateways: GATEWAYS.length,
    decisions,
    p50Micros: sorted[Math.floor(0.5 * decisions)],
    p99Micros: sorted[Math.floor(0.99 * decisions)],
    meanMicros: totalMicros / decisions,
    decisionsPerSecond: Math.round((decisions / totalMicros) * 1e6),
  };
}

/** p50 / p99 microseconds per rankGateways decision in process (ours and the SR v3 baseline). */
export function runDecisionBench(options: { decisions?: number } = {}): DecisionBenchResult[] {
  const decisions = options.decisions ?? 100_000;
  return [bench(createScoringPolicy(), decisions), bench(createSrV3Policy(), decisions)];
}
