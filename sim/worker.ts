// Worker thread: runs (scenario, seed) jobs it is sent and posts the results back.
import { parentPort } from 'node:worker_threads';
import { buildScenarios } from './scenarios.ts';
import { runScenario } from './run-scenario.ts';

export interface Job {
  scenario: string;
  seed: number;
  payments: number;
}

if (parentPort) {
  const port = parentPort;
  const cache = new Map<number, ReturnType<typeof buildScenarios>>();
  port.on('message', (job: Job | null) => {
    if (job === null) {
      port.close();
      return;
    }
    let scenarios = cache.get(job.payments);
    if (!scenarios) {
      scenarios = buildScenarios(job.payments);
      cache.set(job.payments, scenarios);
    }
    const scenario = scenarios.find((s) => s.id === job.scenario)!;
    port.postMessage({ job, result: runScenario(scenario, { payments: job.payments, seed: job.seed }) });
  });
}
