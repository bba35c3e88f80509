// The routing benchmark: every scenario x seed, every policy on the same draws; writes
// docs/routing-benchmark.md and docs/charts/*.svg and prints the tables.
//
//   npm run sim -- [--sets A,B,C | --sets tuning] [--seeds 30] [--payments 10000] [--quick] [--workers 2] [--scenario id] [--no-write] [--no-charts]
//
// Seed sets (sim/scenarios.ts): HELD_OUT_A 2001-2030, HELD_OUT_B 3001-3030, HELD_OUT_C 4001-4030
// are reported, each separately; TUNING_SEEDS 501-530 is for choosing settings. --seeds N uses
// the first N seeds of each set (a reduced run; the document says so).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runDecisionBench } from './decision-bench.ts';
import { charts, goalsTable, summarise, tables, type SeedResults, type SetRuns } from './report.ts';
import { runScenario, type PolicyName, type PolicyRunResult } from './run-scenario.ts';
import { buildScenarios, HELD_OUT_SETS, SEED_SETS, type SeedSetName } from './scenarios.ts';
import type { Job } from './worker.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const quick = process.argv.includes('--quick');
const seedsPerSet = Number(arg('seeds') ?? (quick ? 5 : 30));
const setNames = (arg('sets') ?? HELD_OUT_SETS.join(',')).split(',').map((name) => name.trim()) as SeedSetName[];
for (const name of setNames) if (!(name in SEED_SETS)) throw new Error(`unknown seed set ${name} (A, B, C, tuning)`);
const payments = Number(arg('payments') ?? (quick ? 4000 : 10_000));
const workers = Math.max(1, Number(arg('workers') ?? Math.min(2, availableParallelism())));
const write = !process.argv.includes('--no-write');
// --no-charts: write docs/routing-benchmark.md but leave docs/charts/*.svg as they are.
const writeCharts = !process.argv.includes('--no-charts');
const only = arg('scenario');

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
  const setSeeds = setNames.map((name) => ({ name, seeds: SEED_SETS[name].slice(0, seedsPerSet) }));
  const jobs: Job[] = setSeeds.flatMap((set) => scenarios.flatMap((s) => set.seeds.map((seed) => ({ scenario: s.id, seed, payments }))));
  const results = await runJobs(jobs);
  const sets: SetRuns[] = setSeeds.map((set) => {
    const runs = new Map<string, SeedResults>();
    for (const s of scenarios) runs.set(s.id, set.seeds.map((seed) => results.get(`${s.id}#${seed}`)!) as SeedResults);
    return { name: set.name, seeds: set.seeds, runs, summaries: scenarios.map((s) => summarise(s, runs.get(s.id)!)) };
  });
  const describeSet = (set: SetRuns): string => `set ${set.name}: seeds ${set.seeds[0]}-${set.seeds[set.seeds.length - 1]} (${set.seeds.length})`;
  const markdown = sets.map((set) => `### Results on ${describeSet(set)}\n\n${tables(set.summaries)}`).join('\n\n');
  const goals = goalsTable(sets);
  const bench = runDecisionBench({ decisions: 50_000 });
  const benchTable = [
    '| Policy | gateways | p50 µs | p99 µs | mean µs | decisions/s (one core) |',
    '|---|---:|---:|---:|---:|---:|',
    ...bench.map((b) => `| ${b.policy} | ${b.gateways} | ${b.p50Micros.toFixed(1)} | ${b.p99Micros.toFixed(1)} | ${b.meanMicros.toFixed(1)} | ${b.decisionsPerSecond} |`),
  ].join('\n');
  const elapsed = ((Date.now() - started) / 1000).toFixed(0);
  const reduced = seedsPerSet < 30 || payments !== 10_000 || only !== undefined ? ' (REDUCED RUN: fewer seeds, payments or scenarios than the published setting)' : '';
  const runLine = `\`npm run sim -- --sets ${setNames.join(',')} --seeds ${seedsPerSet} --payments ${payments}${only ? ` --scenario ${only}` : ''}\`: ${scenarios.length} scenarios x ${sets.map(describeSet).join(', ')} x ${payments} payments, ${workers} worker(s), ${elapsed} s, Node ${process.version}${reduced}`;
  console.log(markdown);
  console.log(`\n${goals}`);
  console.log(`\n### Decision latency (in process)\n${benchTable}`);
  console.log(`\n${runLine}`);
  if (!write) return;
  if (writeCharts) {
    mkdirSync(join(root, 'docs/charts'), { recursive: true });
    for (const [file, svg] of Object.entries(charts(sets[0].summaries))) writeFileSync(join(root, 'docs/charts', file), svg);
  }
  const template = readFileSync(join(root, 'sim/benchmark-method.md'), 'utf8');
  const doc = template
    .replace('{{RUN}}', runLine)
    .replace(
      '{{CHARTS_NOTE}}',
      writeCharts ? `The charts show ${describeSet(sets[0])}.` : 'The charts were not regenerated by this run (`--no-charts`): they show an earlier run, with the earlier simulator.',
    )
    .replace('{{GOALS}}', goals)
    .replace('{{TABLES}}', markdown)
    .replace('{{BENCH}}', benchTable);
  writeFileSync(join(root, 'docs/routing-benchmark.md'), doc);
  console.log(`wrote docs/routing-benchmark.md${writeCharts ? ' and docs/charts/*.svg' : ''}`);
}

await main();
