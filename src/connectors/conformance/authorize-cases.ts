// Conformance: authorisation answers (success, manual capture, a decline as data) and the idempotency key.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { ConformanceSuite } from './suite.ts';

export function authorizeCases(suite: ConformanceSuite): void {
  const { setup, request, authorize } = suite;

  it('authorize success answers CHARGED with a gateway txn id', async () => {
    const h = await setup();
    await h.forceSuccess();
    const outcome = await authorize(request());
    assert.equal(outcome.kind, 'CHARGED');
    assert.ok(outcome.raw.gatewayTxnId);
    assert.ok(outcome.raw.code);
  });

  it('authorize MANUAL capture answers AUTHORIZED', async () => {
    const h = await setup();
    await h.forceSuccess();
    const outcome = await authorize(request({ captureMode: 'MANUAL' }));
    assert.equal(outcome.kind, 'AUTHORIZED');
  });

  it('a decline is data: FAILED with raw code, failure class and unified error', async () => {
    const h = await setup();
    await h.forceDecline();
    const outcome = await authorize(request());
    assert.equal(outcome.kind, 'FAILED');
    if (outcome.kind !== 'FAILED') return;
    assert.ok(outcome.raw.code);
    assert.ok(outcome.raw.message);
    assert.ok(outcome.failure);
    assert.ok(outcome.unified.code && outcome.unified.message && outcome.unified.category);
  });

  it('the same idempotency key never creates a second payment', async () => {
    const h = await setup();
    await h.forceSuccess();
    const req = request();
    const first = await authorize(req);
    await h.forceDecline();
    const second = await authorize({ ...req });
    assert.equal(second.raw.gatewayTxnId, first.raw.gatewayTxnId);
    assert.equal(second.kind, first.kind);
  });
}
