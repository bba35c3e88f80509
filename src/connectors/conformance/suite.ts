// The shared helpers of one conformance run: the harness (made once, by the first test that needs
// it), unique requests, and authorisations and modifications followed to their final result.
import assert from 'node:assert/strict';
import type { AuthorizeOutcome, AuthorizeRequest, CaptureOutcome, RefundOutcome } from '../../core/ports/connector.ts';
import type { ConformanceHarness } from './harness.ts';

export interface ConformanceSuite {
  /** The harness, made on first use. */
  setup(): Promise<ConformanceHarness>;
  /** Closes the harness if one was made. */
  close(): Promise<void>;
  unique(): string;
  /** A card request with a fresh txn id, uuid and idempotency key. */
  request(overrides?: Partial<AuthorizeRequest>): AuthorizeRequest;
  /** An authorisation as far as it goes: through the shopper's redirect for redirect-first gateways. */
  authorize(req: AuthorizeRequest): Promise<AuthorizeOutcome>;
  /** A capture's or void's final result: at once, or by the webhook that reports a PENDING one. */
  settled(outcome: CaptureOutcome, success: 'CHARGED' | 'VOIDED'): Promise<'SUCCESS' | 'FAILURE'>;
  settledRefund(outcome: RefundOutcome): Promise<'SUCCESS' | 'FAILURE'>;
}

export function createConformanceSuite(makeHarness: () => Promise<ConformanceHarness>): ConformanceSuite {
  let h: ConformanceHarness;
  let counter = 0;
  const unique = (): string => `conf-${Date.now().toString(36)}-${++counter}`;
  const request = (overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest => {
    const id = unique();
    return h.cardRequest({ txnId: id, txnUuid: `uuid-${id}`, idempotencyKey: `idem-${id}`, ...overrides });
  };

  const authorize = async (req: AuthorizeRequest): Promise<AuthorizeOutcome> => {
    const first = await h.connector.authorize(h.account, req);
    if (!h.redirectFirst || first.kind !== 'PENDING_AUTHENTICATION') return first;
    const params = await h.redirectFirst.complete(first.authentication);
    return h.connector.completeAuthentication(h.account, first.raw.gatewayTxnId!, params);
  };

  const setup = async (): Promise<ConformanceHarness> => {
    if (!h) h = await makeHarness();
    return h;
  };
  const close = async (): Promise<void> => {
    await h?.close?.();
  };

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

  return { setup, close, unique, request, authorize, settled, settledRefund };
}
