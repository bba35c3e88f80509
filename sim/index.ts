// What other tools (bench/) may call.
export { runDecisionBench, type DecisionBenchResult } from './decision-bench.ts';
export { runScenario, drawPayments, POLICY_NAMES, type PolicyName, type PolicyRunResult, type RunOptions } from './run-scenario.ts';
export { buildScenarios, GATEWAYS, type Scenario } from './scenarios.ts';
