// Conformance: how a payment's state is settled after its first answer: a timeout and its retry,
// 3-D Secure, the return from a redirect-first gateway, and the status sync.
// Every connector runs this one suite; a case a gateway cannot have (no way to stall it, no 3-D
// Secure card, direct card answers, no status API) skips itself with that reason, read from the
// harness's declared capabilities, so the report says which guarantee a connector was not checked
// for. These skips were in connector-conformance.ts before the split and are unchanged.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { ConformanceSuite } from './suite.ts';

export function completionCases(suite: ConformanceSuite): void {
  const { setup, request, authorize, unique } = suite;

  it('a timeout is UNKNOWN, and the retry with the same key finds the one payment instead of charging again', async (t) => {
    const h = await setup();
    if (!h.forceTimeout || !h.chargeCount) return t.skip('the harness cannot stall its gateway');
    await h.forceSuccess();
    const req = request();
    const before = await h.chargeCount();
    await h.forceTimeout();
    const timedOut = await authorize(req);
    assert.equal(timedOut.kind, 'UNKNOWN');
    const retried = await authorize(req);
    assert.equal(retried.kind, 'CHARGED');
    if (h.statusApi !== false) {
      // The gateway did process it: the status sync by our reference finds the same payment.
      const synced = await h.connector.syncStatus(h.account, req.txnId);
      assert.equal(synced.kind, 'CHARGED');
      assert.equal(retried.raw.gatewayTxnId, synced.raw.gatewayTxnId);
    }
    assert.equal(await h.chargeCount(), before + 1, 'one payment at the gateway, not two');
  });

  it('3-D Secure: PENDING_AUTHENTICATION with a URL, then the shopper passes and the payment completes', async (t) => {
    const h = await setup();
    if (!h.threeDs) return t.skip('the harness has no 3-D Secure card');
    await h.forceSuccess();
    const id = unique();
    const pending = await h.connector.authorize(h.account, h.threeDs.request({ txnId: id, txnUuid: `uuid-${id}`, idempotencyKey: `idem-${id}` }));
    assert.equal(pending.kind, 'PENDING_AUTHENTICATION');
    if (pending.kind !== 'PENDING_AUTHENTICATION') return;
    assert.match(pending.authentication.url, /^https?:\/\//);
    const params = await h.threeDs.pass(pending.authentication.url);
    const done = await h.connector.completeAuthentication(h.account, pending.raw.gatewayTxnId!, params);
    assert.equal(done.kind, h.threeDs.authorisedOnly ? 'AUTHORIZED' : 'CHARGED');
  });

  it('redirect-first: the redirect holds no card data, and a forged return is not trusted', async (t) => {
    const h = await setup();
    if (!h.redirectFirst) return t.skip('the gateway answers card payments directly');
    await h.forceSuccess();
    const req = request();
    const pending = await h.connector.authorize(h.account, req);
    assert.equal(pending.kind, 'PENDING_AUTHENTICATION');
    if (pending.kind !== 'PENDING_AUTHENTICATION') return;
    const persisted = JSON.stringify(pending.authentication);
    if (req.card) {
      assert.ok(!persisted.includes(req.card.number), 'no card number in the redirect');
      if (req.card.cvv) assert.ok(!Object.values(pending.authentication.params ?? {}).includes(req.card.cvv), 'no CVV in the redirect');
    }
    // The shopper never paid, yet the browser claims success: nothing may be charged.
    const forged = { ...(pending.authentication.params ?? {}), status: 'success', unmappedstatus: 'captured', hash: 'f'.repeat(128) };
    const done = await h.connector.completeAuthentication(h.account, pending.raw.gatewayTxnId!, forged);
    assert.notEqual(done.kind, 'CHARGED');
    assert.notEqual(done.kind, 'AUTHORIZED');
  });

  it('sync reads the state the gateway holds', async (t) => {
    const h = await setup();
    if (h.statusApi === false) return t.skip('the gateway has no API to read a payment: webhooks settle payments');
    await h.forceSuccess();
    const auth = await authorize(request({ captureMode: 'MANUAL' }));
    assert.equal(auth.kind, 'AUTHORIZED');
    assert.equal((await h.connector.syncStatus(h.account, auth.raw.gatewayTxnId!)).kind, 'AUTHORIZED');
  });
}
