// The routing benchmark: every scenario x seed, every policy on the same draws; writes
// docs/routing-benchmark.md and docs/charts/*.svg and prints the tables.
//
//   npm run sim -- [--seeds 30] [--payments 10000] [--seed-base 1000] [--quick] [--workers 2] [--scenario id] [--no-write]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runDecisionBench } from './decision-bench.ts';
import { charts, summarise, tables, type SeedResults } from './report.ts';
import { runScenario, type PolicyName, type PolicyRunResult } from './run-scenario.ts';
import { buildScenarios } from './scenarios.ts';
import type { Job } from './worker.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const quick = process.argv.includes('--quick');
const seeds = Number(arg('seeds') ?? (quick ? 5 : 30));
const payments = Number(arg('payments') ?? (quick ? 4000 : 10_000));
const workers = Math.max(1, Number(arg('workers') ?? Math.min(2, availableParallelism())));
const write = !process.argv.includes('--no-write');
const only = arg('scenario');
// Seeds 1..6 were used while choosing our policy's settings; the published run uses others.
const seedBase = Number(arg('seed-base') ?? 1000);

type Result = Record<PolicyName, PolicyRunResult>;

async function runJobs(jobs: Job[]): Promise<Map<string, Result>> {
  const results = new Map<string, Result>();
  const key = (job: Job): string => `${job.scenario}#${job.seed}`;
  if (workers <= 1) {
    const scenarios = buildScenarios(payments);
    for (const job of jobs) results.set(key(job), runScenario(scenarios.find((s) => s.id === job.scenario)!, { payments, seed: job.seed }));
    return results;
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, () => {
      // Workers do not inherit tsx's loader: register it, then load the TypeScript worker.
      const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./worker.ts', import.meta.url).href)}); });`;
      const worker = new Worker(bootstrap, { eval: true });
      return new Promise<void>((resolve, reject) => {
        const feed = (): void => {
          if (next < jobs.length) worker.postMessage(jobs[next++]);
          else {
            worker.postMessage(null);
            void worker.terminate().then(() => resolve());
          }
        };
        worker.on('message', (message: { job: Job; result: Result }) => {
          results.set(key(message.job), message.result);
          process.stderr.write(`\r${results.size}/${jobs.length} runs`);
          feed();
        });
        worker.on('error', reject);
        feed();
      });
    }),
  );
  process.stderr.write('\n');
  return results;
}

async function main(): Promise<void> {
  const started = Date.now();
  const scenarios = buildScenarios(payments).filter((s) => !only || s.id === only);
  const jobs: Job[] = scenarios.flatMap((s) => Array.from({ length: seeds }, (_, i) => ({ scenario: s.id, seed: seedBase + i + 1, payments })));
  const results = await runJobs(jobs);
  const summaries = scenarios.map((s) => summarise(s, Array.from({ length: seeds }, (_, i) => results.get(`${s.id}#${seedBase + i + 1}`)!) as SeedResults));
  const { markdown, goals } = tables(summaries);
  const bench = runDecisionBench({ decisions: 50_000 });
  const benchTable = [
    '| Policy | gateways | p50 µs | p99 µs | mean µs | decisions/s (one core) |',
    '|---|---:|---:|---:|---:|---:|',
    ...bench.map((b) => `| ${b.policy} | ${b.gateways} | ${b.p50Micros.toFixed(1)} | ${b.p99Micros.toFixed(1)} | ${b.meanMicros.toFixed(1)} | ${b.decisionsPerSecond} |`),
  ].join('\n');
  const elapsed = ((Date.now() - started) / 1000).toFixed(0);
  const runLine = `${scenarios.length} scenarios x ${seeds} seeds (${seedBase + 1}..${seedBase + seeds}) x ${payments} payments, ${workers} worker(s), ${elapsed} s, Node ${process.version}`;
  console.log(markdown);
  console.log('\n### Goals\n' + goals);
  console.log('\n### Decision latency (in process)\n' + benchTable);
  console.log(`\n${runLine}`);
  if (!write) return;
  mkdirSync(join(root, 'docs/charts'), { recursive: true });
  for (const [file, svg] of Object.entries(charts(summaries))) writeFileSync(join(root, 'docs/charts', file), svg);
  const template = readFileSync(join(root, 'sim/benchmark-method.md'), 'utf8');
  const doc = template
    .replace('{{RUN}}', runLine)
    .replace('{{GOALS}}', goals)
    .replace('{{TABLES}}', markdown)
    .replace('{{BENCH}}', benchTable);
  writeFileSync(join(root, 'docs/routing-benchmark.md'), doc);
  console.log('wrote docs/routing-benchmark.md and docs/charts/*.svg');
}

await main();
