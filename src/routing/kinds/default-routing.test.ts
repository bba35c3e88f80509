import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { routedPaymentArb } from '../testing/account-arbitraries.ts';
import { payment } from '../testing/fixtures.ts';
import { referenceDefaultOrder } from '../testing/reference-default-order.ts';
import { createRoutingEngine } from '../decide.ts';
import { compileDefaultLogic, decideDefaultOrder } from './default-routing.ts';

describe('default routing', () => {
  it('returns the default gateways in order', () => {
    const c = compileDefaultLogic({ kind: 'DEFAULT', name: 'd', enforce: true, defaultGateways: [{ gateway: 'RAZORPAY' }, { gateway: 'PAYU', gatewayReferenceId: 'x' }] });
    const r = c.evaluate(payment());
    assert.ok(r.ok);
    assert.deepEqual(r.gateways, [{ gateway: 'RAZORPAY' }, { gateway: 'PAYU', gatewayReferenceId: 'x' }]);
    assert.equal(r.enforced, true);
    assert.equal(r.outcome, 'DEFAULT_ORDER');
  });
  it('fails with COMPILATION_ERROR when it has no gateways', () => {
    const r = compileDefaultLogic({ kind: 'DEFAULT', name: 'd', enforce: false, defaultGateways: [] }).evaluate(payment());
    assert.equal(r.ok, false);
  });
});

describe('default ordering (no active logic)', () => {
  it('orders, drops and prefers exactly as the old default router on random account sets', () => {
    fc.assert(
      fc.property(routedPaymentArb, (p) => {
        const record = decideDefaultOrder(p);
        const reference = referenceDefaultOrder(p);
        assert.deepEqual(record.accountIds, reference.accountIds);
        assert.deepEqual(
          record.finalGateways.map((g) => g.gateway),
          reference.record.final_gateways,
        );
        assert.equal(record.decidedGateway, reference.record.decided_gateway);
        assert.deepEqual(
          record.eligibilityDrops.map((d) => ({ gateway: d.gateway, account_id: d.accountId, reason: d.reason })),
          reference.record.eligibility_drops,
        );
        assert.equal(record.enforced, false);
        assert.equal(record.failureReason, reference.accountIds.length ? undefined : 'NO_ELIGIBLE_GATEWAY');
      }),
      { numRuns: 500 },
    );
  });

  it('is what the engine decides when no logic is active, and names no logic', async () => {
    const engine = createRoutingEngine();
    await fc.assert(
      fc.asyncProperty(routedPaymentArb, async (p) => {
        const record = await engine.decideAsync({ payment: p, active: null });
        assert.deepEqual(record, decideDefaultOrder(p));
        assert.equal(record.logic.id, undefined);
        assert.deepEqual(record.logic, { name: 'DEFAULT_ORDER', kind: 'DEFAULT', role: 'DEFAULT_GATEWAYS' });
      }),
      { numRuns: 100 },
    );
  });
});
