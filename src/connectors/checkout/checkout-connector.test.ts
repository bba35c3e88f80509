// The Checkout.com connector against the Checkout.com emulator (which validates requests and
// answers against Checkout.com's published schemas): the conformance suite with 202-accepted
// actions settled by their signed webhooks, response codes by range, transport failures, 3-D Secure.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { startCheckoutEmulator, type CheckoutEmulator, type CheckoutWebhookEvent } from '../../../emulators/checkout/checkout-emulator.ts';
import type { AuthorizeRequest, CaptureOutcome, RefundOutcome } from '../../core/ports/connector.ts';
import { runConnectorConformance } from '../connector-conformance.ts';
import { createHttpTransport, type HttpTransport } from '../kit/transport.ts';
import { createCheckoutConnector } from './checkout-connector.ts';
import { CHECKOUT_STATUS_TABLE, checkoutFailure } from './status-table.ts';
import { CHECKOUT_WEBHOOK_SECRET, checkoutAccount, checkoutCardRequest } from './test-fixtures.ts';

async function eventWhere(emulator: CheckoutEmulator, match: (event: CheckoutWebhookEvent) => boolean): Promise<CheckoutWebhookEvent> {
  for (let i = 0; i < 200; i++) {
    const found = emulator.events.find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('no such webhook event');
}

async function passChallenge(url: string): Promise<Record<string, string>> {
  const response = await fetch(url, { redirect: 'manual' });
  await response.arrayBuffer();
  const location = response.headers.get('location');
  return location ? Object.fromEntries(new URL(location).searchParams) : {};
}

runConnectorConformance('checkout.com (emulator)', async () => {
  const emulator = await startCheckoutEmulator();
  const transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
  const connector = createCheckoutConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { CHECKOUT: emulator.url } });
  const signed = (event: CheckoutWebhookEvent) => {
    const { headers, rawBody } = emulator.signedEvent(event, CHECKOUT_WEBHOOK_SECRET);
    return { headers, rawBody, body: JSON.parse(rawBody) as unknown };
  };
  return {
    connector,
    account: checkoutAccount(),
    forceSuccess: () => emulator.declineNext(null),
    forceDecline: () => emulator.declineNext('20051'),
    cardRequest: (overrides) => checkoutCardRequest({ currency: 'INR', ...overrides }),
    signedPaymentWebhook: async (id) => signed(await eventWhere(emulator, (e) => e.data.id === id)),
    forceTimeout: () => emulator.stallNext(5_000, 1, '/payments'),
    chargeCount: () => emulator.chargeCount(),
    threeDs: { request: (overrides) => checkoutCardRequest({ currency: 'INR', ...overrides }, '4485040371536584'), pass: passChallenge },
    modificationResult: async (outcome: CaptureOutcome | RefundOutcome) => {
      const actionId = (outcome.raw.body as { action_id?: string } | undefined)?.action_id;
      assert.ok(actionId, 'an accepted action names its action_id');
      // The capture event carries its own action id; match the payment's next capture, void or refund event.
      const paymentId = outcome.raw.gatewayTxnId!;
      return signed(await eventWhere(emulator, (e) => e.data.id === paymentId && (e.data.action_id === actionId || (e.type === 'payment_captured' && emulator.payment(paymentId)!.manual))));
    },
    close: async () => {
      await transport.close();
      await emulator.close();
    },
  };
});

describe('checkout.com connector: wire details', () => {
  let emulator: CheckoutEmulator;
  let transport: HttpTransport;
  let connector: ReturnType<typeof createCheckoutConnector>;
  let n = 0;
  const req = (overrides: Partial<AuthorizeRequest> = {}, number?: string) => {
    n += 1;
    return checkoutCardRequest({ txnId: `wire-${n}`, txnUuid: `uuid-wire-${n}`, idempotencyKey: `idem-wire-${n}-${Date.now()}`, ...overrides }, number);
  };
  before(async () => {
    emulator = await startCheckoutEmulator({ rawCardKeys: [checkoutAccount().credentials.secret_key!] });
    transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
    connector = createCheckoutConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { CHECKOUT: emulator.url } });
  });
  after(async () => {
    await transport.close();
    await emulator.close();
  });

  test('the request is what Checkout.com documents: Bearer key, Cko-Idempotency-Key, card source with integer expiry, minor units, capture flag', async () => {
    const request = req({ amount: 12_345, captureMode: 'MANUAL' });
    assert.equal((await connector.authorize(checkoutAccount(), request)).kind, 'AUTHORIZED');
    const sent = emulator.requests.at(-1)!;
    assert.equal(sent.path, '/payments');
    assert.equal(sent.headers.authorization, `Bearer ${checkoutAccount().credentials.secret_key}`);
    assert.equal(sent.headers['cko-idempotency-key'], request.idempotencyKey);
    assert.equal(sent.body!.amount, 12_345);
    assert.equal(sent.body!.capture, false);
    assert.deepEqual(sent.body!.source, { type: 'card', number: '4242424242424242', expiry_month: 6, expiry_year: 2030, cvv: '100', name: 'A Shopper' });
    assert.equal(sent.body!.processing_channel_id, checkoutAccount().credentials.processing_channel_id);
  });

  test("each listed response code maps through the table; a shopper's decline never counts against Checkout.com", async () => {
    for (const code of Object.keys(CHECKOUT_STATUS_TABLE).filter((c) => /^[234]\d{4}$/.test(c))) {
      emulator.declineNext(code);
      const outcome = await connector.authorize(checkoutAccount(), req());
      assert.equal(outcome.kind, 'FAILED', code);
      if (outcome.kind === 'FAILED') {
        assert.equal(outcome.raw.code, code);
        assert.equal(outcome.unified.code, CHECKOUT_STATUS_TABLE[code]!.unifiedCode, code);
      }
    }
    for (const code of ['20051', '20054', '30041', '30043', '20059']) assert.equal(CHECKOUT_STATUS_TABLE[code]!.countsAgainstGateway, false, code);
  });

  test('an unlisted code takes its range: 20xxx soft and retryable, 30xxx hard, 4xxxx risk hard (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 20000, max: 49999 }), (n) => {
        const code = String(n);
        const entry = checkoutFailure(code);
        if (CHECKOUT_STATUS_TABLE[code]) return;
        if (code.startsWith('20')) assert.equal(entry.failureClass, 'SOFT_DECLINE');
        else if (code.startsWith('30') || code.startsWith('4')) assert.equal(entry.failureClass, 'HARD_DECLINE');
        assert.equal(entry.countsAgainstGateway, false);
      }),
      { numRuns: 500 },
    );
  });

  test('the connector classifies a response code its table does not list by its range, for the payment core and the scores', () => {
    const unlisted = connector.classifyUnlisted!('20099');
    assert.equal(unlisted?.failureClass, 'SOFT_DECLINE');
    assert.equal(unlisted?.countsAgainstGateway, false);
    assert.equal(connector.classifyUnlisted!('30099')?.failureClass, 'HARD_DECLINE');
    assert.equal(connector.classifyUnlisted!('request_invalid'), undefined, 'not a response code: no rule');
  });

  test('an off-contract request is refused by the emulator (422 request_invalid), mapped as VALIDATION_ERROR', async () => {
    const outcome = await connector.authorize(checkoutAccount(), req({ currency: 'POUNDS' }));
    assert.equal(outcome.kind, 'FAILED');
    if (outcome.kind === 'FAILED') assert.equal(outcome.failure, 'VALIDATION_ERROR');
  });

  test('5xx after retries is UNKNOWN; connection refused is GATEWAY_DOWN; a lost create is found by its reference', async () => {
    emulator.failNext(502, 5, '/payments');
    assert.equal((await connector.authorize(checkoutAccount(), req())).kind, 'UNKNOWN');
    await emulator.down();
    try {
      const outcome = await connector.authorize(checkoutAccount(), req());
      assert.equal(outcome.kind, 'FAILED');
      if (outcome.kind === 'FAILED') assert.equal(outcome.failure, 'GATEWAY_DOWN');
    } finally {
      await emulator.up();
    }
    const lost = req();
    emulator.stallNext(5_000, 1, '/payments');
    assert.equal((await connector.authorize(checkoutAccount(), lost)).kind, 'UNKNOWN');
    const synced = await connector.syncStatus(checkoutAccount(), lost.txnId);
    assert.equal(synced.kind, 'CHARGED');
    assert.match(synced.raw.gatewayTxnId!, /^pay_/);
  });

  test('without full card permission nothing is sent; a Checkout.com token goes as a token source', async () => {
    const count = emulator.requests.length;
    assert.equal((await connector.authorize(checkoutAccount({ raw_card_data_enabled: 'false' }), req())).kind, 'FAILED');
    assert.equal(emulator.requests.length, count);
    const outcome = await connector.authorize(checkoutAccount({ raw_card_data_enabled: 'false' }), req({ card: null, gatewayToken: 'tok_ubfj2q76miwundwlk72vxt2i7q' }));
    assert.equal(outcome.kind, 'CHARGED');
    assert.deepEqual(emulator.requests.at(-1)!.body!.source, { type: 'token', token: 'tok_ubfj2q76miwundwlk72vxt2i7q' });
  });

  test('3-D Secure failed by the shopper is AUTHENTICATION_FAILED; the shopper lands on the failure URL', async () => {
    const pending = await connector.authorize(checkoutAccount(), req({}, '4485040371536584'));
    assert.equal(pending.kind, 'PENDING_AUTHENTICATION');
    if (pending.kind !== 'PENDING_AUTHENTICATION') return;
    const params = await passChallenge(`${pending.authentication.url}?fail=1`);
    assert.ok(params['cko-session-id']);
    const done = await connector.completeAuthentication(checkoutAccount(), pending.raw.gatewayTxnId!, params);
    assert.equal(done.kind, 'FAILED');
    if (done.kind === 'FAILED') assert.equal(done.failure, 'AUTHENTICATION_FAILED');
  });
});
