// Overhead of metrics and tracing on a request, measured in one process: the same app built three
// times (nothing, metrics, metrics + tracing to a local OTLP sink), requests interleaved in blocks
// so that machine noise falls on all three alike. Run: npx tsx bench/observability-overhead.ts
import { createServer } from 'node:http';
import { loadConfig } from '../src/config.ts';
import { startTestApp, VISA_OK, type TestApp } from '../test/helpers/test-app.ts';
import { setAllGateways } from '../test/helpers/api-helpers.ts';

const sink = createServer((request, response) => {
  request.resume();
  request.on('end', () => response.writeHead(200).end('{}'));
});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
const sinkPort = (sink.address() as { port: number }).port;
const base = loadConfig({}).observability!;

const variants: Array<[string, TestApp]> = [
  ['off', await startTestApp()],
  ['metrics', await startTestApp({ observability: { ...base, metricsToken: 't' } })],
  ['metrics+tracing', await startTestApp({ observability: { ...base, metricsToken: 't', otlpEndpoint: `http://127.0.0.1:${sinkPort}` } })],
];
for (const [, j] of variants) setAllGateways(j);

let n = 0;
async function payment(j: TestApp): Promise<void> {
  const orderId = `bench${process.pid}${++n}`;
  const form = { 'content-type': 'application/x-www-form-urlencoded', authorization: j.basic };
  await j.app.inject({ method: 'POST', url: '/orders', headers: form, payload: new URLSearchParams({ order_id: orderId, amount: '10.00', currency: 'INR' }).toString() });
  await j.app.inject({ method: 'POST', url: '/txns', headers: form, payload: new URLSearchParams({ order_id: orderId, merchant_id: 'demo_merchant', ...VISA_OK, format: 'json' }).toString() });
}
async function health(j: TestApp): Promise<void> {
  await j.app.inject({ method: 'GET', url: '/health' });
}

for (const [label, work, blocks, perBlock] of [
  ['GET /health', health, 10, 300],
  ['order + card payment', payment, 8, 25],
] as const) {
  const totals = new Map<string, number>(variants.map(([name]) => [name, 0]));
  for (const [, j] of variants) for (let i = 0; i < 20; i++) await work(j); // warm up
  for (let b = 0; b < blocks; b++) {
    for (const [name, j] of b % 2 ? [...variants].reverse() : variants) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < perBlock; i++) await work(j);
      totals.set(name, totals.get(name)! + Number(process.hrtime.bigint() - started) / 1e3);
    }
  }
  const count = blocks * perBlock;
  const off = totals.get('off')! / count;
  console.log(`${label}: ${count} per variant`);
  for (const [name, total] of totals)
    console.log(`  ${name.padEnd(16)} ${(total / count).toFixed(1)} µs/request  (${name === 'off' ? 'baseline' : `${total / count - off >= 0 ? '+' : ''}${(total / count - off).toFixed(1)} µs`})`);
}
for (const [, j] of variants) await j.close();
sink.close();
