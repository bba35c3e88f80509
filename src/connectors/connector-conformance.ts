// The conformance suite every connector runs (imported by each connector's test file, like
// Hono's common.case.test.ts). A connector supplies a harness that can steer its gateway
// (a sandbox, a mock server or the simulator) towards success or decline.
import { describe, after } from 'node:test';
import type { ConformanceHarness } from './conformance/harness.ts';
import { createConformanceSuite } from './conformance/suite.ts';
import { authorizeCases } from './conformance/authorize-cases.ts';
import { modificationCases } from './conformance/modification-cases.ts';
import { completionCases } from './conformance/completion-cases.ts';
import { webhookCases } from './conformance/webhook-cases.ts';

export type { ConformanceHarness } from './conformance/harness.ts';

export function runConnectorConformance(label: string, makeHarness: () => Promise<ConformanceHarness>): void {
  describe(`connector conformance: ${label}`, () => {
    const suite = createConformanceSuite(makeHarness);
    after(async () => {
      await suite.close();
    });
    // In this order: the cases share one gateway, and run as they always have.
    authorizeCases(suite);
    modificationCases(suite);
    completionCases(suite);
    webhookCases(suite);
  });
}
