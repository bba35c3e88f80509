// The conformance suite every connector runs (imported by each connector's test file, like
// Hono's common.case.test.ts). A connector supplies a harness that can steer its gateway
// (a sandbox, a mock server or the simulator) towards success or decline.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError, type AuthorizeRequest, type Connector, type ConnectorAccount, type IncomingHttpRequest } from '../core/ports/connector.ts';

export interface ConformanceHarness {
  connector: Connector;
  account: ConnectorAccount;
  /** Make the following authorisations succeed. */
  forceSuccess(): void | Promise<void>;
  /** Make the following authorisations fail with a decline (not a timeout). */
  forceDecline(): void | Promise<void>;
  /** A direct card payment (no 3-D Secure) the gateway accepts; `overrides` change fields. */
  cardRequest(overrides?: Partial<AuthorizeRequest>): AuthorizeRequest;
  /** A correctly signed webhook about this payment, as the gateway would send it. */
  signedPaymentWebhook(gatewayTxnId: string): Promise<IncomingHttpRequest>;
  /** The next call is processed by the gateway but answered after the connector's deadline. */
  forceTimeout?(): void | Promise<void>;
  /** How many payments the gateway has authorised so far (to prove a retry never charges twice). */
  chargeCount?(): number | Promise<number>;
  /** A card payment that needs 3-D Secure, and a way to pass the challenge as the shopper would. */
  threeDs?: { request(overrides?: Partial<AuthorizeRequest>): AuthorizeRequest; pass(url: string): Promise<Record<string, string>> };
  close?(): void | Promise<void>;
}

export function runConnectorConformance(label: string, makeHarness: () => Promise<ConformanceHarness>): void {
  describe(`connector conformance: ${label}`, () => {
    let h: ConformanceHarness;
    let counter = 0;
    const unique = (): string => `conf-${Date.now().toString(36)}-${++counter}`;
    const request = (overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest => {
      const id = unique();
      return h.cardRequest({ txnId: id, txnUuid: `uuid-${id}`, idempotencyKey: `idem-${id}`, ...overrides });
    };

    const setup = async (): Promise<void> => {
      if (!h) h = await makeHarness();
    };
    after(async () => {
      await h?.close?.();
    });

    it('authorize success answers CHARGED with a gateway txn id', async () => {
      await setup();
      await h.forceSuccess();
      const outcome = await h.connector.authorize(h.account, request());
      assert.equal(outcome.kind, 'CHARGED');
      assert.ok(outcome.raw.gatewayTxnId);
      assert.ok(outcome.raw.code);
    });

    it('authorize MANUAL capture answers AUTHORIZED', async () => {
      await setup();
      await h.forceSuccess();
      const outcome = await h.connector.authorize(h.account, request({ captureMode: 'MANUAL' }));
      assert.equal(outcome.kind, 'AUTHORIZED');
    });

    it('a decline is data: FAILED with raw code, failure class and unified error', async () => {
      await setup();
      await h.forceDecline();
      const outcome = await h.connector.authorize(h.account, request());
      assert.equal(outcome.kind, 'FAILED');
      if (outcome.kind !== 'FAILED') return;
      assert.ok(outcome.raw.code);
      assert.ok(outcome.raw.message);
      assert.ok(outcome.failure);
      assert.ok(outcome.unified.code && outcome.unified.message && outcome.unified.category);
    });

    it('the same idempotency key never creates a second payment', async () => {
      await setup();
      await h.forceSuccess();
      const req = request();
      const first = await h.connector.authorize(h.account, req);
      await h.forceDecline();
      const second = await h.connector.authorize(h.account, { ...req });
      assert.equal(second.raw.gatewayTxnId, first.raw.gatewayTxnId);
      assert.equal(second.kind, first.kind);
    });

    it('refunds never exceed the captured amount, and a refund key is idempotent', async () => {
      await setup();
      await h.forceSuccess();
      const outcome = await h.connector.authorize(h.account, request({ amount: 10_000 }));
      assert.equal(outcome.kind, 'CHARGED');
      const gatewayTxnId = outcome.raw.gatewayTxnId!;
      const refund = (amount: number, key: string) =>
        h.connector.refund(h.account, { refundId: key, txnId: 'x', gatewayTxnId, amount, currency: 'INR', idempotencyKey: key });
      assert.equal((await refund(6_000, 'r1')).kind, 'SUCCESS');
      assert.equal((await refund(6_000, 'r1')).kind, 'SUCCESS', 'replay of the same key');
      assert.equal((await refund(5_000, 'r2')).kind, 'FAILURE', 'would exceed captured');
      assert.equal((await refund(4_000, 'r3')).kind, 'SUCCESS');
      assert.equal((await refund(1, 'r4')).kind, 'FAILURE', 'fully refunded');
    });

    it('capture: only an authorised payment, never above the authorised amount', async () => {
      await setup();
      await h.forceSuccess();
      const auth = await h.connector.authorize(h.account, request({ amount: 5_000, captureMode: 'MANUAL' }));
      assert.equal(auth.kind, 'AUTHORIZED');
      const id = auth.raw.gatewayTxnId!;
      assert.equal((await h.connector.capture(h.account, id, 5_001, 'INR')).kind, 'FAILURE');
      assert.equal((await h.connector.capture(h.account, id, 5_000, 'INR')).kind, 'SUCCESS');
      assert.equal((await h.connector.void(h.account, id)).kind, 'FAILURE', 'a captured payment cannot be voided');
      const sync = await h.connector.syncStatus(h.account, id);
      assert.equal(sync.kind, 'CHARGED');
      const charged = await h.connector.authorize(h.account, request());
      assert.equal((await h.connector.capture(h.account, charged.raw.gatewayTxnId!, 1, 'INR')).kind, 'FAILURE', 'AUTO capture payments are not capturable');
    });

    it('void: only an authorised payment; a voided payment cannot be captured or refunded', async () => {
      await setup();
      await h.forceSuccess();
      const auth = await h.connector.authorize(h.account, request({ amount: 5_000, captureMode: 'MANUAL' }));
      const id = auth.raw.gatewayTxnId!;
      assert.equal((await h.connector.void(h.account, id)).kind, 'SUCCESS');
      assert.equal((await h.connector.capture(h.account, id, 5_000, 'INR')).kind, 'FAILURE');
      const refund = await h.connector.refund(h.account, { refundId: 'rv', txnId: 'x', gatewayTxnId: id, amount: 1, currency: 'INR', idempotencyKey: `rv-${id}` });
      assert.equal(refund.kind, 'FAILURE');
    });

    it('a timeout is UNKNOWN, and the retry with the same key finds the one payment instead of charging again', async (t) => {
      await setup();
      if (!h.forceTimeout || !h.chargeCount) return t.skip('the harness cannot stall its gateway');
      await h.forceSuccess();
      const req = request();
      const before = await h.chargeCount();
      await h.forceTimeout();
      const timedOut = await h.connector.authorize(h.account, req);
      assert.equal(timedOut.kind, 'UNKNOWN');
      // The gateway did process it: the status sync by our reference finds it.
      const synced = await h.connector.syncStatus(h.account, req.txnId);
      assert.equal(synced.kind, 'CHARGED');
      const retried = await h.connector.authorize(h.account, req);
      assert.equal(retried.kind, 'CHARGED');
      assert.equal(retried.raw.gatewayTxnId, synced.raw.gatewayTxnId);
      assert.equal(await h.chargeCount(), before + 1, 'one payment at the gateway, not two');
    });

    it('3-D Secure: PENDING_AUTHENTICATION with a URL, then the shopper passes and the payment completes', async (t) => {
      await setup();
      if (!h.threeDs) return t.skip('the harness has no 3-D Secure card');
      await h.forceSuccess();
      const id = unique();
      const pending = await h.connector.authorize(h.account, h.threeDs.request({ txnId: id, txnUuid: `uuid-${id}`, idempotencyKey: `idem-${id}` }));
      assert.equal(pending.kind, 'PENDING_AUTHENTICATION');
      if (pending.kind !== 'PENDING_AUTHENTICATION') return;
      assert.match(pending.authentication.url, /^https?:\/\//);
      const params = await h.threeDs.pass(pending.authentication.url);
      const done = await h.connector.completeAuthentication(h.account, pending.raw.gatewayTxnId!, params);
      assert.equal(done.kind, 'CHARGED');
    });

    it('sync reads the state the gateway holds', async () => {
      await setup();
      await h.forceSuccess();
      const auth = await h.connector.authorize(h.account, request({ captureMode: 'MANUAL' }));
      assert.equal(auth.kind, 'AUTHORIZED');
      assert.equal((await h.connector.syncStatus(h.account, auth.raw.gatewayTxnId!)).kind, 'AUTHORIZED');
    });

    it('webhook: a correct signature parses; any tampering is rejected', async () => {
      await setup();
      await h.forceSuccess();
      const auth = await h.connector.authorize(h.account, request());
      const signed = await h.signedPaymentWebhook(auth.raw.gatewayTxnId!);
      const parsed = await h.connector.parseWebhook(h.account, signed);
      assert.equal(parsed.kind, 'PAYMENT');
      if (parsed.kind === 'PAYMENT') assert.equal(parsed.gatewayTxnId, auth.raw.gatewayTxnId);

      const tamperedBody = { ...signed, rawBody: signed.rawBody.replace(/"amount":\d+/, '"amount":1') };
      assert.notEqual(tamperedBody.rawBody, signed.rawBody);
      await assert.rejects(h.connector.parseWebhook(h.account, tamperedBody), ConnectorError);
      const headers = Object.fromEntries(Object.entries(signed.headers).filter(([key]) => !/signature/i.test(key)));
      await assert.rejects(h.connector.parseWebhook(h.account, { ...signed, headers }), ConnectorError);
      const otherSecret = { ...h.account, credentials: Object.fromEntries(Object.keys(h.account.credentials).map((key) => [key, 'not-the-secret'])) };
      await assert.rejects(h.connector.parseWebhook(otherSecret, signed), ConnectorError);
    });
  });
}
