import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { payment } from '../testing/fixtures.ts';
import { compileDefaultLogic } from './default-routing.ts';

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
