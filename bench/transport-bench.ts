// The connector transport's cost per call: the same GET to the Stripe emulator on loopback, made
// with a bare undici Agent (keep-alive, nothing else) and through the transport (deadline, retry
// policy, metrics, log hook), in alternating rounds of one run so machine noise hits both alike.
// `npm run bench` includes it; `npx tsx bench/transport-bench.ts` runs it alone.
import { Agent } from 'undici';
import { startStripeEmulator } from '../emulators/stripe/stripe-emulator.ts';
import { createHttpTransport } from '../src/connectors/kit/transport.ts';
import { formatTable } from './payment-bench.ts';

export interface TransportBenchResult {
  settings: { rounds: number; callsPerRound: number };
  bareMicros: number[];
  transportMicros: number[];
  /** transport / bare per round. */
  ratios: number[];
}

const KEY = 'sk_test_benchTransport0001';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function runTransportBench(options: { rounds?: number; callsPerRound?: number } = {}): Promise<TransportBenchResult> {
  const rounds = options.rounds ?? 10;
  const callsPerRound = options.callsPerRound ?? 300;
  const emulator = await startStripeEmulator({ apiKeys: [KEY] });
  const agent = new Agent({ connections: 32, keepAliveTimeout: 30_000 });
  const transport = createHttpTransport({ log: () => undefined });
  // One PaymentIntent to read again and again (a status sync is the commonest call shape).
  const created = await fetch(`${emulator.url}/v1/payment_intents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'amount=1000&currency=usd&payment_method=pm_card_visa&confirm=true',
  });
  const id = ((await created.json()) as { id: string }).id;
  const url = `${emulator.url}/v1/payment_intents/${id}`;
  const headers = { authorization: `Bearer ${KEY}` };

  const bare = async () => {
    const response = await agent.request({ origin: emulator.url, path: `/v1/payment_intents/${id}`, method: 'GET', headers });
    await response.body.text();
  };
  const viaTransport = async () => {
    await transport.request({ gateway: 'STRIPE', operation: 'syncStatus', method: 'GET', url, headers });
  };
  const timeRound = async (call: () => Promise<void>): Promise<number> => {
    const started = performance.now();
    for (let i = 0; i < callsPerRound; i++) await call();
    return ((performance.now() - started) * 1000) / callsPerRound;
  };

  for (let i = 0; i < 200; i++) {
    await bare();
    await viaTransport();
  }
  const bareMicros: number[] = [];
  const transportMicros: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first so neither always runs on a warmer machine.
    if (round % 2 === 0) {
      bareMicros.push(await timeRound(bare));
      transportMicros.push(await timeRound(viaTransport));
    } else {
      transportMicros.push(await timeRound(viaTransport));
      bareMicros.push(await timeRound(bare));
    }
  }
  await transport.close();
  await agent.close();
  await emulator.close();
  return { settings: { rounds, callsPerRound }, bareMicros, transportMicros, ratios: bareMicros.map((b, i) => transportMicros[i]! / b) };
}

export function formatTransportBench(result: TransportBenchResult): string {
  const b = median(result.bareMicros);
  const t = median(result.transportMicros);
  const sortedRatios = [...result.ratios].sort((x, y) => x - y);
  return [
    `${result.settings.rounds} alternating rounds of ${result.settings.callsPerRound} sequential GET /v1/payment_intents/{id} to the Stripe emulator on loopback`,
    formatTable(
      ['client', 'median µs/call', 'vs bare undici'],
      [
        ['bare undici Agent.request', b.toFixed(0), '1.00x'],
        ['connector transport', t.toFixed(0), `${(t / b).toFixed(2)}x (rounds ${sortedRatios[0]!.toFixed(2)}x-${sortedRatios.at(-1)!.toFixed(2)}x)`],
      ],
    ),
    `transport overhead: ${(t - b).toFixed(0)} µs per call (median of rounds)`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(formatTransportBench(await runTransportBench()));
}
