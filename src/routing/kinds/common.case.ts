// The conformance suite every routing kind runs (after Hono's common.case.test.ts): whatever
// the kind, the engine returns only eligible gateways, honours enforce, and cascades to the
// default gateways when not enforced.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createRoutingEngine } from '../decide.ts';
import { checkEligibility } from '../eligibility.ts';
import { paymentArb } from '../testing/fixtures.ts';
import type { LogicDefinition } from '../types.ts';
import type { CodeEvaluator } from './code-evaluator.ts';

/** Builds a logic of the kind under test whose own list is `produce` (volume: its first entry). */
export type LogicFactory = (produce: string[], defaults: string[], enforce: boolean) => LogicDefinition;

/** A fake evaluator whose "program" is the list to set: `enforce:A,B` or `prefer:A,B`. */
export const listEvaluator: CodeEvaluator = {
  compile(source) {
    const [mode, list] = source.split(':');
    const gateways = list ? list.split(',') : [];
    return {
      ok: true,
      program: { evaluate: () => ({ ok: true, gateways, enforced: mode === 'enforce', gatewayReferenceIds: {} }), dispose() {} },
    };
  },
};

const NAMES = ['PAYU', 'RAZORPAY', 'STRIPE', 'HDFC', 'ICICI', 'CCAVENUE', 'ADYEN'];
const listArb = fc.uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 4 });

export function runRoutingKindConformance(kind: string, make: LogicFactory): void {
  const engine = createRoutingEngine({ codeEvaluator: listEvaluator });
  const decideFor = (logic: LogicDefinition, p: Parameters<typeof engine.decide>[0]['payment']) =>
    engine.decide({ payment: p, active: { id: 'pl_1', name: logic.name, version: 1, compiled: engine.compile(logic) } });

  describe(`routing kind conformance: ${kind}`, () => {
    it('returns only eligible gateways, without duplicates, and records every drop', () => {
      fc.assert(
        fc.property(listArb, listArb, fc.boolean(), paymentArb, fc.option(fc.constantFrom(...NAMES), { nil: null }), (produce, defaults, enforce, p0, pref) => {
          const p = { ...p0, preferredGateway: pref };
          const d = decideFor(make(produce, defaults, enforce), p);
          for (const g of d.finalGateways) assert.ok(checkEligibility(g, p).eligible, `${g.gateway} is not eligible`);
          assert.equal(new Set(d.finalGateways.map((g) => g.gateway)).size, d.finalGateways.length);
          const finalNames = new Set(d.finalGateways.map((g) => g.gateway));
          for (const g of d.producedList) {
            if (!finalNames.has(g.gateway))
              assert.ok(
                d.eligibilityDrops.some((x) => x.gateway === g.gateway),
                `${g.gateway} vanished without a recorded drop`,
              );
          }
        }),
        { numRuns: 300 },
      );
    });
    it('honours enforce: only listed gateways, no fallback, NULL_AFTER_ENFORCE when none is left', () => {
      fc.assert(
        fc.property(listArb, listArb, paymentArb, fc.option(fc.constantFrom(...NAMES), { nil: null }), (produce, defaults, p0, pref) => {
          const p = { ...p0, preferredGateway: pref };
          const d = decideFor(make(produce, defaults, true), p);
          assert.equal(d.enforced, true);
          const listed = new Set(d.producedList.map((g) => g.gateway));
          for (const g of d.finalGateways) assert.ok(listed.has(g.gateway), `${g.gateway} was not in the enforced list`);
          assert.deepEqual(d.finalGateways.map((g) => g.gateway).sort(), [...listed].filter((g) => checkEligibility({ gateway: g }, p).eligible).sort());
          if (d.finalGateways.length === 0) assert.equal(d.failureReason, 'NULL_AFTER_ENFORCE');
          else assert.equal(d.failureReason, undefined);
        }),
        { numRuns: 300 },
      );
    });
    it('not enforced: the own list first (preferred gateway in front), then the eligible defaults', () => {
      fc.assert(
        fc.property(listArb, listArb, paymentArb, fc.option(fc.constantFrom(...NAMES), { nil: null }), (produce, defaults, p0, pref) => {
          const p = { ...p0, preferredGateway: pref };
          const logic = make(produce, defaults, false);
          const d = decideFor(logic, p);
          assert.equal(d.enforced, false);
          const ok = (g: string) => checkEligibility({ gateway: g }, p).eligible;
          const expected: string[] = [];
          if (pref && ok(pref)) expected.push(pref);
          for (const g of [...d.producedList.map((x) => x.gateway), ...logic.defaultGateways.map((x) => x.gateway)]) if (ok(g) && !expected.includes(g)) expected.push(g);
          assert.deepEqual(
            d.finalGateways.map((g) => g.gateway),
            expected,
          );
          if (expected.length === 0) assert.equal(d.failureReason, 'NO_ELIGIBLE_GATEWAY');
        }),
        { numRuns: 300 },
      );
    });
  });
}
