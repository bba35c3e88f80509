// The conformance suite every connector runs (imported by each connector's test file, like
// Hono's common.case.test.ts). A connector supplies a harness that can steer its gateway
// (a sandbox, a mock server or the simulator) towards success or decline.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError, type AuthorizeOutcome, type AuthorizeRequest, type CaptureOutcome, type Connector, type ConnectorAccount, type IncomingHttpRequest, type RefundOutcome } from '../core/ports/connector.ts';

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
  /**
   * A card payment that needs 3-D Secure, and a way to pass the challenge as the shopper would.
   * `authorisedOnly`: the gateway's answer after the redirect says Authorised without saying whether it
   * captured (Adyen); AUTHORIZED is then right, and the payment core charges an automatic attempt.
   */
  threeDs?: { request(overrides?: Partial<AuthorizeRequest>): AuthorizeRequest; pass(url: string): Promise<Record<string, string>>; authorisedOnly?: boolean };
  /** false: the gateway has no API to read a payment (Adyen); webhooks settle payments. */
  statusApi?: boolean;
  /**
   * For gateways that accept captures, voids and refunds and report their result later (Adyen
   * `received`, Checkout.com 202): the signed webhook that reports the result of this PENDING answer.
   */
  modificationResult?(outcome: CaptureOutcome | RefundOutcome): Promise<IncomingHttpRequest>;
  /**
   * Redirect-first gateways (PayU India): a payment always answers PENDING_AUTHENTICATION first (the
   * shopper's browser must visit the gateway's page). `complete` plays the shopper through that
   * redirect and returns what the browser brings back to our return URL; with it, "authorize" in
   * the tests means authorize, then completeAuthentication with those params. Optional: harnesses
   * without it run every test as before.
   */
  redirectFirst?: { complete(authentication: { method: 'GET' | 'POST'; url: string; params?: Record<string, string> }): Promise<Record<string, string>> };
  /**
   * For gateways that sign inside a form-encoded body (PayU's `hash` field): the same webhook with its
   * signature removed. Optional: without it the suite looks for a signature header or a JSON field.
   */
  unsignedWebhook?(signed: IncomingHttpRequest): IncomingHttpRequest;
  /**
   * For gateways whose signed content is encoded inside the body (Braintree's base64 `bt_payload`):
   * the same webhook with the payment's amount changed inside it, signature kept. Optional: without
   * it the suite changes the amount, a value or the payment id in the raw body's text.
   */
  tamperedWebhook?(signed: IncomingHttpRequest): IncomingHttpRequest;
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

    /** An authorisation as far as it goes: through the shopper's redirect for redirect-first gateways. */
    const authorize = async (req: AuthorizeRequest): Promise<AuthorizeOutcome> => {
      const first = await h.connector.authorize(h.account, req);
      if (!h.redirectFirst || first.kind !== 'PENDING_AUTHENTICATION') return first;
      const params = await h.redirectFirst.complete(first.authentication);
      return h.connector.completeAuthentication(h.account, first.raw.gatewayTxnId!, params);
    };

    const setup = async (): Promise<void> => {
      if (!h) h = await makeHarness();
    };
    after(async () => {
      await h?.close?.();
    });

    /** A capture's or void's final result: at once, or by the webhook that reports a PENDING one. */
    const settled = async (outcome: CaptureOutcome, success: 'CHARGED' | 'VOIDED'): Promise<'SUCCESS' | 'FAILURE'> => {
      if (outcome.kind !== 'PENDING') return outcome.kind;
      assert.ok(h.modificationResult, 'a PENDING capture or void needs its result delivered (modificationResult)');
      const webhook = await h.connector.parseWebhook(h.account, await h.modificationResult(outcome));
      assert.equal(webhook.kind, 'PAYMENT');
      return webhook.kind === 'PAYMENT' && webhook.outcome.kind === success ? 'SUCCESS' : 'FAILURE';
    };
    const settledRefund = async (outcome: RefundOutcome): Promise<'SUCCESS' | 'FAILURE'> => {
      if (outcome.kind !== 'PENDING') return outcome.kind;
      assert.ok(h.modificationResult, 'a PENDING refund needs its result delivered (modificationResult)');
      const webhook = await h.connector.parseWebhook(h.account, await h.modificationResult(outcome));
      assert.equal(webhook.kind, 'REFUND');
      return webhook.kind === 'REFUND' && webhook.outcome.kind === 'SUCCESS' ? 'SUCCESS' : 'FAILURE';
    };

    it('authorize success answers CHARGED with a gateway txn id', async () => {
      await setup();
      await h.forceSuccess();
      const outcome = await authorize(request());
      assert.equal(outcome.kind, 'CHARGED');
      assert.ok(outcome.raw.gatewayTxnId);
      assert.ok(outcome.raw.code);
    });

    it('authorize MANUAL capture answers AUTHORIZED', async () => {
      await setup();
      await h.forceSuccess();
      const outcome = await authorize(request({ captureMode: 'MANUAL' }));
      assert.equal(outcome.kind, 'AUTHORIZED');
    });

    it('a decline is data: FAILED with raw code, failure class and unified error', async () => {
      await setup();
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
      await setup();
      await h.forceSuccess();
      const req = request();
      const first = await authorize(req);
      await h.forceDecline();
      const second = await authorize({ ...req });
      assert.equal(second.raw.gatewayTxnId, first.raw.gatewayTxnId);
      assert.equal(second.kind, first.kind);
    });

    it('refunds never exceed the captured amount, and a refund key is idempotent', async () => {
      await setup();
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
      await setup();
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
      assert.equal(await settled(await h.connector.capture(h.account, charged.raw.gatewayTxnId!, 1, 'INR', `c3-${charged.raw.gatewayTxnId}`), 'CHARGED'), 'FAILURE', 'AUTO capture payments are not capturable');
    });

    it('void: only an authorised payment; a voided payment cannot be captured or refunded', async () => {
      await setup();
      await h.forceSuccess();
      const auth = await authorize(request({ amount: 5_000, captureMode: 'MANUAL' }));
      const id = auth.raw.gatewayTxnId!;
      assert.equal(await settled(await h.connector.void(h.account, id, `v-${id}`), 'VOIDED'), 'SUCCESS');
      assert.equal(await settled(await h.connector.capture(h.account, id, 5_000, 'INR', `c-${id}`), 'CHARGED'), 'FAILURE');
      const refund = await h.connector.refund(h.account, { refundId: 'rv', txnId: 'x', gatewayTxnId: id, amount: 1, currency: 'INR', idempotencyKey: `rv-${id}` });
      assert.equal(await settledRefund(refund), 'FAILURE');
    });

    it('a timeout is UNKNOWN, and the retry with the same key finds the one payment instead of charging again', async (t) => {
      await setup();
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
      assert.equal(done.kind, h.threeDs.authorisedOnly ? 'AUTHORIZED' : 'CHARGED');
    });

    it('redirect-first: the redirect holds no card data, and a forged return is not trusted', async (t) => {
      await setup();
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
      await setup();
      if (h.statusApi === false) return t.skip('the gateway has no API to read a payment: webhooks settle payments');
      await h.forceSuccess();
      const auth = await authorize(request({ captureMode: 'MANUAL' }));
      assert.equal(auth.kind, 'AUTHORIZED');
      assert.equal((await h.connector.syncStatus(h.account, auth.raw.gatewayTxnId!)).kind, 'AUTHORIZED');
    });

    it('webhook: a correct signature parses; any tampering is rejected', async () => {
      await setup();
      await h.forceSuccess();
      const auth = await authorize(request());
      const signed = await h.signedPaymentWebhook(auth.raw.gatewayTxnId!);
      const parsed = await h.connector.parseWebhook(h.account, signed);
      assert.equal(parsed.kind, 'PAYMENT');
      if (parsed.kind === 'PAYMENT') assert.equal(parsed.gatewayTxnId, auth.raw.gatewayTxnId);

      // Change the amount (wherever the gateway puts it) or, failing that, the payment's id.
      let tamperedRaw = signed.rawBody.replace(/"amount":\d+/, '"amount":1');
      if (tamperedRaw === signed.rawBody) tamperedRaw = signed.rawBody.replace(/"value":\d+/, '"value":1');
      const id = auth.raw.gatewayTxnId!;
      if (tamperedRaw === signed.rawBody) tamperedRaw = signed.rawBody.replace(id, `${id.slice(0, -1)}${id.endsWith('1') ? '2' : '1'}`);
      const tamperedBody = h.tamperedWebhook ? h.tamperedWebhook(signed) : { ...signed, rawBody: tamperedRaw };
      assert.notEqual(tamperedBody.rawBody, signed.rawBody);
      await assert.rejects(h.connector.parseWebhook(h.account, tamperedBody), ConnectorError);
      // Without its signature (a header, or a field of the body for gateways that sign inside it: Adyen).
      const headers = Object.fromEntries(Object.entries(signed.headers).filter(([key]) => !/signature/i.test(key)));
      if (h.unsignedWebhook) {
        const unsigned = h.unsignedWebhook(signed);
        assert.ok(unsigned.rawBody !== signed.rawBody || JSON.stringify(unsigned.headers) !== JSON.stringify(signed.headers), 'the signature was removed (from the body or the headers)');
        await assert.rejects(h.connector.parseWebhook(h.account, unsigned), ConnectorError);
      } else if (Object.keys(headers).length < Object.keys(signed.headers).length) {
        await assert.rejects(h.connector.parseWebhook(h.account, { ...signed, headers }), ConnectorError);
      } else {
        const unsigned = signed.rawBody.replace(/"(\w*[sS]ignature)"\s*:\s*"[^"]*"/, '"$1":""');
        assert.notEqual(unsigned, signed.rawBody, 'the signature is somewhere: a header or the body');
        await assert.rejects(h.connector.parseWebhook(h.account, { ...signed, rawBody: unsigned }), ConnectorError);
      }
      const otherSecret = { ...h.account, credentials: Object.fromEntries(Object.keys(h.account.credentials).map((key) => [key, 'not-the-secret'])) };
      await assert.rejects(h.connector.parseWebhook(otherSecret, signed), ConnectorError);
    });
  });
}
