import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readDecisionRecord } from './decision-record-reader.ts';
import { isDefaultOrdering } from './decision-record.ts';
import { decideDefaultOrder } from './kinds/default-routing.ts';
import { routedPaymentArb } from './testing/account-arbitraries.ts';
import { OLD_DEFAULT_NONE, OLD_DEFAULT_RANKED, OLD_ENGINE_FAILED, OLD_ENGINE_RANKED } from './testing/stored-decisions.ts';

describe('reading stored decision records', () => {
  it("reads the old default router's snake_case record", () => {
    const r = readDecisionRecord(OLD_DEFAULT_RANKED)!;
    assert.ok(isDefaultOrdering(r));
    assert.deepEqual(r.logic, { name: 'DEFAULT_ORDER', kind: 'DEFAULT', role: 'DEFAULT_GATEWAYS' });
    assert.deepEqual(r.finalGateways, [
      { gateway: 'SIM_ALPHA', gatewayReferenceId: null },
      { gateway: 'SIM_BETA', gatewayReferenceId: null },
    ]);
    assert.equal(r.decidedGateway, 'SIM_BETA');
    assert.deepEqual(
      r.eligibilityDrops.map((d) => [d.accountId, d.reason]),
      [
        ['acc_d', 'DISABLED'],
        ['acc_a2', 'OTHER_GATEWAY_REFERENCE_ID'],
      ],
    );
    assert.equal(r.ranking?.applied, true);
    assert.deepEqual(r.ranking?.logicOrder, ['SIM_ALPHA', 'SIM_BETA']);
    assert.deepEqual(r.ranking?.gateways?.[0], { gateway: 'SIM_BETA', accountId: 'acc_b', label: 'EXPLOIT', score: 0.91, mean: 0.95, health: 'UP', evidence: 12.5, feeMinor: null });
    assert.equal(r.fallbackAttempt, 1);
    assert.deepEqual(r.previousAttempts, [{ gateway: 'SIM_BETA', code: '51', unified: 'INSUFFICIENT_FUNDS', retryable: true }]);

    const none = readDecisionRecord(OLD_DEFAULT_NONE)!;
    assert.equal(none.failureReason, 'NO_ELIGIBLE_GATEWAY');
    assert.deepEqual(none.preferredGateway, { gateway: 'SIM_BETA', applied: false });
    assert.equal(none.ranking?.reason, 'NO_GATEWAY');
  });

  it("reads the old engine's camelCase record with its snake_case ranking and attempt fields", () => {
    const r = readDecisionRecord(OLD_ENGINE_RANKED)!;
    assert.ok(!isDefaultOrdering(r));
    assert.deepEqual(r.logic, OLD_ENGINE_RANKED.logic);
    assert.deepEqual(r.producedList, OLD_ENGINE_RANKED.producedList);
    assert.deepEqual(r.finalGateways, OLD_ENGINE_RANKED.finalGateways);
    assert.deepEqual(r.accountIds, ['acc_a', 'acc_b1']);
    assert.equal(r.staggerBucket, 1234);
    assert.equal(r.ranking?.healthApplied, true);

    const failed = readDecisionRecord(OLD_ENGINE_FAILED)!;
    assert.equal(failed.primary.failure_reason, 'PL_EVALUATION_FAILED');
    assert.equal(failed.fallback?.message, 'SyntaxError');
    assert.equal(failed.failureReason, 'NO_ELIGIBLE_GATEWAY');
    assert.equal(failed.ranking?.error, 'connect ECONNREFUSED');
    assert.equal(failed.fallbackAttempt, 2);
  });

  it('reads the current record back as it was written (through JSON, as storage keeps it)', () => {
    fc.assert(
      fc.property(routedPaymentArb, (p) => {
        const record = decideDefaultOrder(p);
        assert.deepEqual(readDecisionRecord(JSON.parse(JSON.stringify(record))), record);
      }),
      { numRuns: 100 },
    );
  });

  it('answers null for what is not a decision record', () => {
    for (const v of [null, undefined, 'x', 3, [], {}, { logic: 'x' }]) assert.equal(readDecisionRecord(v), null);
  });
});
