// `npm run bench`: every benchmark of the project, one after the other, in one report.
//   1. whole payment through the HTTP server vs a bare Fastify baseline (bench/payment-bench.ts)
//   2. routing engine decisions (bench/routing-bench.ts, export runRoutingBench), if present
//   3. sandboxed merchant script evaluation (src/sandbox/sandbox-bench.ts, export runSandboxBench), if present
//   4. intelligent routing: decision cost with ranking on, in process / Redis, and POST /v1/decide-gateway
//      under autocannon beside a hello-world route (bench/decision-bench.ts, export runDecisionBench)
//   5. tenant isolation: another merchant's payments and /health while one merchant's code is
//      hostile (bench/isolation-bench.ts, export runIsolationBench)
//   6. the dashboard's reads over 1,000,000 payments on PostgreSQL (bench/dashboard-bench.ts, export
//      runDashboardBench); skipped without DATABASE_URL
//   7. the connector transport's overhead per call against a bare undici request to the same
//      emulator (bench/transport-bench.ts, export runTransportBench)
//   8. risk checks: the same payment with 20 rules and 5 velocity counters (Redis when REDIS_URL is
//      set) beside one without, a 1,000,000-entry blocklist's load and lookup (bench/risk-bench.ts)
// The optional ones are imported dynamically: a missing module (or export) is skipped with a note.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatPaymentBench, formatTable, runPaymentBench } from './payment-bench.ts';

type AnyModule = Record<string, unknown>;

function section(title: string): void {
  console.log(`\n=== ${title} ${'='.repeat(Math.max(3, 76 - title.length))}`);
}

/** Imports a module by URL relative to this file; null (with the reason) when it is not there. */
async function optionalImport(relative: string): Promise<{ module: AnyModule } | { missing: string }> {
  const url = new URL(relative, import.meta.url);
  if (!existsSync(fileURLToPath(url))) return { missing: `${relative} not found` };
  try {
    return { module: (await import(url.href)) as AnyModule };
  } catch (error) {
    return { missing: `${relative} failed to load: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function paymentSection(): Promise<void> {
  section('Whole payment: Junction vs bare Fastify');
  const result = await runPaymentBench();
  console.log(formatPaymentBench(result));
}

async function routingSection(): Promise<void> {
  section('Routing engine');
  const found = await optionalImport('./routing-bench.ts');
  if ('missing' in found) return void console.log(`skipped: ${found.missing}`);
  const run = found.module.runRoutingBench;
  if (typeof run !== 'function') return void console.log('skipped: bench/routing-bench.ts has no runRoutingBench export');
  // Like routing-bench's own CLI: bench code-based logic with the sandbox when it is there.
  let codeEvaluator: unknown;
  const sandbox = await optionalImport('../src/sandbox/quickjs-evaluator.ts');
  if ('module' in sandbox && typeof sandbox.module.createQuickJsEvaluator === 'function') {
    try {
      codeEvaluator = await (sandbox.module.createQuickJsEvaluator as () => Promise<unknown>)();
    } catch (error) {
      console.log(`(sandbox evaluator unavailable: ${error instanceof Error ? error.message : String(error)})`);
    }
  }
  const output: unknown = await (run as (opts: { codeEvaluator?: unknown }) => Promise<unknown>)(codeEvaluator ? { codeEvaluator } : {});
  console.log(typeof output === 'string' ? output : JSON.stringify(output, null, 2));
}

async function sandboxSection(): Promise<void> {
  section('Sandbox: one evaluate() of a merchant routing script');
  const found = await optionalImport('../src/sandbox/sandbox-bench.ts');
  if ('missing' in found) return void console.log(`skipped: ${found.missing}`);
  const run = found.module.runSandboxBench;
  if (typeof run !== 'function') return void console.log('skipped: src/sandbox/sandbox-bench.ts has no runSandboxBench export');
  const output: unknown = await (run as () => Promise<unknown>)();
  if (output && typeof output === 'object' && 'p50Us' in output) {
    const r = output as { p50Us: number; p99Us: number; perSec: number };
    console.log(formatTable(['measure', 'p50 µs', 'p99 µs', 'evaluations/s'], [['evaluate()', String(r.p50Us), String(r.p99Us), String(r.perSec)]]));
  } else {
    console.log(typeof output === 'string' ? output : JSON.stringify(output, null, 2));
  }
}

async function decisionSection(): Promise<void> {
  section('Intelligent routing: decision cost with ranking on, and the decide-gateway API under load');
  const found = await optionalImport('./decision-bench.ts');
  if ('missing' in found) return void console.log(`skipped: ${found.missing}`);
  const run = found.module.runDecisionBench;
  if (typeof run !== 'function') return void console.log('skipped: bench/decision-bench.ts has no runDecisionBench export');
  console.log(await (run as () => Promise<string>)());
}

async function isolationSection(): Promise<void> {
  section("Tenant isolation: merchant B while merchant A's code is hostile");
  const found = await optionalImport('./isolation-bench.ts');
  if ('missing' in found) return void console.log(`skipped: ${found.missing}`);
  const { runIsolationBench, formatIsolationBench } = found.module as { runIsolationBench?: () => Promise<unknown>; formatIsolationBench?: (r: unknown) => string };
  if (typeof runIsolationBench !== 'function' || typeof formatIsolationBench !== 'function') return void console.log('skipped: bench/isolation-bench.ts lacks its exports');
  console.log(formatIsolationBench(await runIsolationBench()));
}

async function dashboardSection(): Promise<void> {
  section('Dashboard data API: 1,000,000 payments on PostgreSQL');
  const found = await optionalImport('./dashboard-bench.ts');
  if ('missing' in found) return void console.log(`skipped: ${found.missing}`);
  const { runDashboardBench, formatDashboardBench } = found.module as { runDashboardBench?: () => Promise<unknown>; formatDashboardBench?: (r: unknown) => string };
  if (typeof runDashboardBench !== 'function' || typeof formatDashboardBench !== 'function') return void console.log('skipped: bench/dashboard-bench.ts lacks its exports');
  console.log(formatDashboardBench(await runDashboardBench()));
}

let failed = false;
async function transportSection(): Promise<void> {
  section('Connector transport vs bare undici');
  const found = await optionalImport('./transport-bench.ts');
  if ('missing' in found) return void console.log(`skipped: ${found.missing}`);
  const { runTransportBench, formatTransportBench } = found.module as { runTransportBench: () => Promise<unknown>; formatTransportBench: (r: unknown) => string };
  console.log(formatTransportBench(await runTransportBench()));
}

async function riskSection(): Promise<void> {
  section('Risk checks: payment with 20 rules + 5 velocity counters vs none; 1M-entry blocklist');
  const found = await optionalImport('./risk-bench.ts');
  if ('missing' in found) return void console.log(`skipped: ${found.missing}`);
  const run = found.module.runRiskBench;
  if (typeof run !== 'function') return void console.log('skipped: bench/risk-bench.ts has no runRiskBench export');
  console.log(await (run as () => Promise<string>)());
}

for (const part of [paymentSection, routingSection, sandboxSection, decisionSection, isolationSection, dashboardSection, transportSection, riskSection]) {
  try {
    await part();
  } catch (error) {
    failed = true;
    console.log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}
process.exitCode = failed ? 1 : 0;
