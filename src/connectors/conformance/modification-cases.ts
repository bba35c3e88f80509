// Conformance: refunds, captures and voids, and which payment states allow them.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { ConformanceSuite } from './suite.ts';

export function modificationCases(suite: ConformanceSuite): void {
  const { setup, request, authorize, settled, settledRefund } = suite;

  it('refunds never exceed the captured amount, and a refund key is idempotent', async () => {
    const h = await setup();
    await h.forceSuccess();
    const outcome = await authorize(request({ amount: 10_000 }));
    assert.equal(outcome.kind, 'CHARGED');
    const gatewayTxnId = outcome.raw.gatewayTxnId!;
    const refund = async (amount: number, key: string) =>
      settledRefund(await h.connector.refund(h.account, { refundId: key, txnId: 'x', gatewayTxnId, amount, currency: 'INR', idempotencyKey: `${key}-${gatewayTxnId}` }));
    assert.equal(await refund(6_000, 'r1'), 'SUCCESS');
    assert.equal(await refund(6_000, 'r1'), 'SUCCESS', 'replay of the same key');
    assert.equal(await refund(5_000, 'r2'), 'FAILURE', 'would exceed captured');
    assert.equal(await refund(4_000, 'r3'), 'SUCCESS');
    assert.equal(await refund(1, 'r4'), 'FAILURE', 'fully refunded');
  });

  it('capture: only an authorised payment, never above the authorised amount', async () => {
    const h = await setup();
    await h.forceSuccess();
    const auth = await authorize(request({ amount: 5_000, captureMode: 'MANUAL' }));
    assert.equal(auth.kind, 'AUTHORIZED');
    const id = auth.raw.gatewayTxnId!;
    assert.equal(await settled(await h.connector.capture(h.account, id, 5_001, 'INR', `c1-${id}`), 'CHARGED'), 'FAILURE');
    assert.equal(await settled(await h.connector.capture(h.account, id, 5_000, 'INR', `c2-${id}`), 'CHARGED'), 'SUCCESS');
    assert.equal(await settled(await h.connector.void(h.account, id, `v1-${id}`), 'VOIDED'), 'FAILURE', 'a captured payment cannot be voided');
    if (h.statusApi !== false) {
      const sync = await h.connector.syncStatus(h.account, id);
      assert.equal(sync.kind, 'CHARGED');
    }
    const charged = await authorize(request());
    assert.equal(
      await settled(await h.connector.capture(h.account, charged.raw.gatewayTxnId!, 1, 'INR', `c3-${charged.raw.gatewayTxnId}`), 'CHARGED'),
      'FAILURE',
      'AUTO capture payments are not capturable',
    );
  });

  it('void: only an authorised payment; a voided payment cannot be captured or refunded', async () => {
    const h = await setup();
    await h.forceSuccess();
    const auth = await authorize(request({ amount: 5_000, captureMode: 'MANUAL' }));
    const id = auth.raw.gatewayTxnId!;
    assert.equal(await settled(await h.connector.void(h.account, id, `v-${id}`), 'VOIDED'), 'SUCCESS');
    assert.equal(await settled(await h.connector.capture(h.account, id, 5_000, 'INR', `c-${id}`), 'CHARGED'), 'FAILURE');
    const refund = await h.connector.refund(h.account, { refundId: 'rv', txnId: 'x', gatewayTxnId: id, amount: 1, currency: 'INR', idempotencyKey: `rv-${id}` });
    assert.equal(await settledRefund(refund), 'FAILURE');
  });
}
