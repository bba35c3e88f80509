// The Razorpay connector against the Razorpay emulator (which validates every request against the
// JSON Schema written from Razorpay's API reference): the conformance suite (void settled by the
// release of the uncaptured authorisation), every documented error reason through the status table,
// the callback signature, idempotency by receipt,
// refunds with X-Refund-Idempotency, transport failures. Netbanking, wallets and UPI:
// razorpay-payment-methods.test.ts.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { startRazorpayEmulator, type RazorpayEmulator, type RazorpayWebhookEvent } from '../../../emulators/razorpay/razorpay-emulator.ts';
import type { CaptureOutcome, RefundOutcome } from '../../core/ports/connector.ts';
import { runConnectorConformance } from '../connector-conformance.ts';
import { createHttpTransport, type HttpTransport } from '../kit/transport.ts';
import { createRazorpayConnector } from './razorpay-connector.ts';
import { classifyRazorpayUnlisted, RAZORPAY_STATUS_TABLE } from './status-table.ts';
import { receiptOf } from './requests.ts';
import { RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET, razorpayAccount, razorpayCardRequest } from './test-fixtures.ts';
import { bankPage, DOCUMENTED_REASONS, eventWhere, KEYS, paymentOf, signed, useRazorpayWire } from './emulator-test-helpers.ts';

runConnectorConformance('razorpay (emulator)', async () => {
  const emulator = await startRazorpayEmulator({ keys: KEYS });
  const transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
  const connector = createRazorpayConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { RAZORPAY: emulator.url } });
  return {
    connector,
    account: razorpayAccount(),
    forceSuccess: () => emulator.declineNext(null),
    forceDecline: () => emulator.declineNext('insufficient_funds'),
    cardRequest: (overrides) => razorpayCardRequest(overrides),
    signedPaymentWebhook: async (id) => signed(emulator, await eventWhere(emulator, (e) => e.body.event.startsWith('payment.') && paymentOf(e) === id)),
    forceTimeout: () => emulator.stallNext(5_000, 1, '/v1/payments/create/json'),
    chargeCount: () => emulator.chargeCount(),
    threeDs: { request: (overrides) => razorpayCardRequest(overrides, '4386289407660153'), pass: (url) => bankPage(url) },
    // Only a void answers PENDING here: its result is Razorpay releasing the uncaptured authorisation.
    modificationResult: async (outcome: CaptureOutcome | RefundOutcome) => {
      const id = outcome.raw.gatewayTxnId!;
      assert.equal(outcome.raw.code, 'release_at_capture_expiry');
      emulator.expireAuthorization(id);
      return signed(emulator, await eventWhere(emulator, (e) => e.body.event === 'refund.processed' && paymentOf(e) === id));
    },
    close: async () => {
      assert.deepEqual(emulator.violations, [], 'every request the connector sent kept to the contract');
      await transport.close();
      await emulator.close();
    },
  };
});

describe('razorpay connector: wire details', () => {
  let emulator: RazorpayEmulator;
  let transport: HttpTransport;
  let connector: ReturnType<typeof createRazorpayConnector>;
  const { wire, req } = useRazorpayWire();
  before(() => ({ emulator, transport, connector } = wire()));

  test('the requests are what Razorpay documents: Basic auth, an order with our receipt and capture settings, then the S2S card payment', async () => {
    const request = req({ amount: 12_345, captureMode: 'MANUAL' });
    assert.equal((await connector.authorize(razorpayAccount(), request)).kind, 'AUTHORIZED');
    const sent = emulator.requests.slice(-4);
    assert.deepEqual(
      sent.map((r) => `${r.method} ${r.path.replace(/order_\w+/, 'order_X').replace(/\?.*/, '')}`),
      ['GET /v1/orders', 'POST /v1/orders', 'POST /v1/payments/create/json', `GET /v1/payments/${emulator.requests.at(-1)!.path.split('/').at(-1)}`],
    );
    assert.equal(sent[0]!.headers.authorization, `Basic ${Buffer.from(`${RAZORPAY_KEY_ID}:${RAZORPAY_KEY_SECRET}`).toString('base64')}`);
    assert.match(sent[0]!.path, new RegExp(`receipt=${encodeURIComponent(request.txnId)}`));
    const order = sent[1]!.body!;
    assert.equal(order.amount, 12_345);
    assert.equal(order.currency, 'INR');
    assert.equal(order.receipt, request.txnId);
    assert.deepEqual(order.notes, { txn_id: request.txnId, txn_uuid: request.txnUuid, order_id: request.orderId });
    assert.deepEqual(order.payment, { capture: 'manual', capture_options: { manual_expiry_period: 7200, refund_speed: 'normal' } });
    const payment = sent[2]!.body!;
    assert.equal(payment.method, 'card');
    assert.match(String(payment.order_id), /^order_/);
    assert.deepEqual(payment.card, { number: '4111111111111111', name: 'A Shopper', expiry_month: '12', expiry_year: '31', cvv: '123' });
    assert.equal(payment.callback_url, request.returnUrl);
    assert.equal(sent[2]!.headers['x-refund-idempotency'], undefined);
    assert.deepEqual(emulator.violations, []);
  });

  test('a long txn id becomes a 40-character receipt, the same each time (the order is found again by it)', () => {
    const long = `m_${'x'.repeat(60)}-order-1`;
    assert.equal(receiptOf(long).length, 40);
    assert.equal(receiptOf(long), receiptOf(long));
    assert.notEqual(receiptOf(long), receiptOf(`${long}2`));
  });

  test("every documented error reason maps through the table, with the raw reason kept; shoppers' declines never count against Razorpay", async () => {
    assert.ok(DOCUMENTED_REASONS.length >= 100, `all documented reasons are listed (${DOCUMENTED_REASONS.length})`);
    for (const reason of DOCUMENTED_REASONS) {
      emulator.declineNext(reason);
      const outcome = await connector.authorize(razorpayAccount(), req());
      assert.equal(outcome.kind, 'FAILED', reason);
      if (outcome.kind !== 'FAILED') continue;
      const row = RAZORPAY_STATUS_TABLE[reason]!;
      assert.equal(outcome.raw.code, reason);
      assert.equal(outcome.unified.code, row.unifiedCode, reason);
      assert.equal(outcome.failure, row.failureClass, reason);
      assert.match(outcome.raw.gatewayTxnId ?? '', /^pay_/, `${reason}: the failed payment is named`);
    }
    for (const reason of ['insufficient_funds', 'card_declined', 'incorrect_otp', 'payment_risk_check_failed', 'card_expired', 'invalid_vpa', 'payment_cancelled', 'transaction_limit_exceeded']) {
      assert.equal(RAZORPAY_STATUS_TABLE[reason]!.countsAgainstGateway, false, reason);
    }
    assert.equal(RAZORPAY_STATUS_TABLE.SERVER_ERROR!.retryable, true);
    assert.equal(RAZORPAY_STATUS_TABLE.SERVER_ERROR!.countsAgainstGateway, true);
    assert.equal(RAZORPAY_STATUS_TABLE.GATEWAY_ERROR!.retryable, true);
    assert.equal(RAZORPAY_STATUS_TABLE.BAD_REQUEST_ERROR!.retryable, false);
    assert.deepEqual(emulator.violations, []);
  });

  test("a reason the table does not list takes its error code's row (classifyUnlisted)", async () => {
    emulator.declineNext('brand_new_reason');
    const outcome = await connector.authorize(razorpayAccount(), req());
    assert.equal(outcome.kind, 'FAILED');
    if (outcome.kind === 'FAILED') assert.equal(outcome.raw.code, 'BAD_REQUEST_ERROR:brand_new_reason');
    assert.equal(connector.classifyUnlisted!('BAD_REQUEST_ERROR:brand_new_reason')?.retryable, false);
    const gateway = classifyRazorpayUnlisted('GATEWAY_ERROR:partner_down');
    assert.equal(gateway?.failureClass, 'TECHNICAL_ERROR');
    assert.equal(gateway?.retryable, true);
    assert.equal(classifyRazorpayUnlisted('SERVER_ERROR:x')?.countsAgainstGateway, true);
    assert.equal(connector.classifyUnlisted!('insufficient funds'), undefined, 'not a Razorpay raw code: no rule');
  });

  test('3-D Secure: the bank page returns the signed callback; a tampered signature settles nothing; a declined challenge is AUTHENTICATION_FAILED', async () => {
    const pending = await connector.authorize(razorpayAccount(), req({}, '4386289407660153'));
    assert.equal(pending.kind, 'PENDING_AUTHENTICATION');
    if (pending.kind !== 'PENDING_AUTHENTICATION') return;
    assert.equal(pending.authentication.method, 'GET');
    assert.equal(pending.authentication.params, undefined, 'nothing of the card is in the persisted params');
    assert.ok(!JSON.stringify(pending).includes('4386289407660153'), 'no card number in the outcome');
    const params = await bankPage(pending.authentication.url);
    assert.deepEqual(Object.keys(params).sort(), ['razorpay_order_id', 'razorpay_payment_id', 'razorpay_signature']);
    const forged = await connector.completeAuthentication(razorpayAccount(), pending.raw.gatewayTxnId!, {
      ...params,
      razorpay_signature: params.razorpay_signature!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
    });
    assert.equal(forged.kind, 'UNKNOWN');
    assert.equal(forged.raw.code, 'callback_signature_mismatch');
    assert.equal((await connector.completeAuthentication(razorpayAccount(), pending.raw.gatewayTxnId!, params)).kind, 'CHARGED');

    const declined = await connector.authorize(razorpayAccount(), req({}, '4386289407660153'));
    assert.equal(declined.kind, 'PENDING_AUTHENTICATION');
    if (declined.kind !== 'PENDING_AUTHENTICATION') return;
    const failure = await bankPage(declined.authentication.url, 'decline');
    assert.equal(failure['error[reason]'], 'payment_cancelled');
    const done = await connector.completeAuthentication(razorpayAccount(), declined.raw.gatewayTxnId!, failure);
    assert.equal(done.kind, 'FAILED');
    if (done.kind === 'FAILED') {
      assert.equal(done.failure, 'AUTHENTICATION_FAILED');
      assert.equal(done.unified.code, 'USER_DROPPED');
    }
  });

  test("an account Razorpay has not enabled for S2S cards gets Razorpay's refusal, as a validation failure", async () => {
    const other = await startRazorpayEmulator({ s2sCardKeys: [] });
    const otherConnector = createRazorpayConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { RAZORPAY: other.url } });
    try {
      const outcome = await otherConnector.authorize(razorpayAccount(), req());
      assert.equal(outcome.kind, 'FAILED');
      if (outcome.kind === 'FAILED') assert.equal(outcome.failure, 'VALIDATION_ERROR');
    } finally {
      await other.close();
    }
  });

  test('wrong keys are authentication_error (a technical error that counts against the account)', async () => {
    const outcome = await connector.authorize(razorpayAccount({ key_secret: 'notTheSecretAtAll000' }), req());
    assert.equal(outcome.kind, 'FAILED');
    if (outcome.kind === 'FAILED') assert.equal(outcome.raw.code, 'authentication_error');
  });

  test("a 5xx with nothing created is a retryable FAILED (the order's payments were checked); refused is GATEWAY_DOWN; a lost create is found by its receipt", async () => {
    emulator.failNext(500, 1, '/v1/payments/create/json');
    const failed = await connector.authorize(razorpayAccount(), req());
    assert.equal(failed.kind, 'FAILED');
    if (failed.kind === 'FAILED') {
      assert.equal(failed.raw.code, 'server_error');
      assert.equal(RAZORPAY_STATUS_TABLE.server_error!.retryable, true);
    }
    await emulator.down();
    try {
      const outcome = await connector.authorize(razorpayAccount(), req());
      assert.equal(outcome.kind, 'FAILED');
      if (outcome.kind === 'FAILED') assert.equal(outcome.failure, 'GATEWAY_DOWN');
    } finally {
      await emulator.up();
    }
    const lost = req();
    emulator.stallNext(5_000, 1, '/v1/payments/create/json');
    assert.equal((await connector.authorize(razorpayAccount(), lost)).kind, 'UNKNOWN');
    const synced = await connector.syncStatus(razorpayAccount(), lost.txnId);
    assert.equal(synced.kind, 'CHARGED');
    assert.match(synced.raw.gatewayTxnId!, /^pay_/);
    const never = await connector.syncStatus(razorpayAccount(), 'never-sent-txn');
    assert.equal(never.kind === 'FAILED' && never.unified.code, 'TRANSACTION_NOT_FOUND');
  });

  test('refunds: X-Refund-Idempotency and speed from the account; instant (optimum) refunds; a pending refund settles by refund.processed', async () => {
    const charged = await connector.authorize(razorpayAccount(), req());
    const id = charged.raw.gatewayTxnId!;
    const instant = await connector.refund(razorpayAccount({ refund_speed: 'optimum' }), {
      refundId: 'ref-instant-1',
      txnId: 't',
      gatewayTxnId: id,
      amount: 2_500,
      currency: 'INR',
      idempotencyKey: `rk-${id}-1`,
    });
    assert.equal(instant.kind, 'SUCCESS');
    const sent = emulator.requests.at(-1)!;
    assert.equal(sent.headers['x-refund-idempotency'], `rk-${id}-1`);
    assert.equal(sent.body!.speed, 'optimum');
    assert.deepEqual(sent.body!.notes, { refund_id: 'ref-instant-1', txn_id: 't' });
    assert.equal((instant.raw.body as { speed_processed?: string }).speed_processed, 'instant');

    emulator.refundsPending(true);
    try {
      const pending = await connector.refund(razorpayAccount(), { refundId: 'ref-pending-1', txnId: 't', gatewayTxnId: id, amount: 1_000, currency: 'INR', idempotencyKey: 'short' });
      assert.equal(pending.kind, 'PENDING');
      assert.match(emulator.requests.at(-1)!.headers['x-refund-idempotency']!, /^[A-Za-z0-9_-]{10,}$/, 'a short key is made long enough');
      emulator.settleRefund(pending.gatewayRefundId!, 'processed');
      const webhook = await connector.parseWebhook(
        razorpayAccount(),
        signed(emulator, await eventWhere(emulator, (e) => e.body.event === 'refund.processed' && (e.body.payload.refund as { entity: { id: string } }).entity.id === pending.gatewayRefundId)),
      );
      assert.equal(webhook.kind, 'REFUND');
      if (webhook.kind === 'REFUND') {
        assert.equal(webhook.refundId, 'ref-pending-1');
        assert.equal(webhook.outcome.kind, 'SUCCESS');
        assert.ok(webhook.eventId);
      }
    } finally {
      emulator.refundsPending(false);
    }
    const sameKeyOtherBody = await connector.refund(razorpayAccount(), { refundId: 'ref-instant-1', txnId: 't', gatewayTxnId: id, amount: 100, currency: 'INR', idempotencyKey: `rk-${id}-1` });
    assert.equal(sameKeyOtherBody.kind, 'FAILURE', 'Razorpay refuses another body under the same key');
  });

  test('void: no call is made to release; a captured payment is refused; the release arrives as refund.processed on the uncaptured payment', async () => {
    const auth = await connector.authorize(razorpayAccount(), req({ captureMode: 'MANUAL' }));
    const id = auth.raw.gatewayTxnId!;
    const before = emulator.requests.length;
    const voided = await connector.void(razorpayAccount(), id);
    assert.equal(voided.kind, 'PENDING');
    assert.deepEqual(
      emulator.requests.slice(before).map((r) => r.method),
      ['GET'],
      'only a read',
    );
    assert.equal((await connector.syncStatus(razorpayAccount(), id)).kind, 'AUTHORIZED');
    emulator.expireAuthorization(id);
    assert.equal((await connector.syncStatus(razorpayAccount(), id)).kind, 'VOIDED');
    assert.equal((await connector.void(razorpayAccount(), id)).kind, 'SUCCESS');
  });

  test('webhooks: the event id is returned for deduplication; a refund made outside Junction is ignored; an unused event is ignored', async () => {
    const request = req();
    const charged = await connector.authorize(razorpayAccount(), request);
    const event = await eventWhere(emulator, (e) => e.body.event === 'payment.captured' && paymentOf(e) === charged.raw.gatewayTxnId);
    const parsed = await connector.parseWebhook(razorpayAccount(), signed(emulator, event));
    assert.equal(parsed.kind === 'PAYMENT' && parsed.eventId, event.id);
    assert.equal(parsed.kind === 'PAYMENT' && parsed.merchantReference, request.txnId, 'our txn id, from the payment notes');
    const orderPaid = await eventWhere(emulator, (e) => e.body.event === 'order.paid' && paymentOf(e) === charged.raw.gatewayTxnId);
    assert.equal((await connector.parseWebhook(razorpayAccount(), signed(emulator, orderPaid))).kind, 'PAYMENT');
    const outside = {
      ...event,
      id: 'evtOutside0001',
      body: {
        ...event.body,
        event: 'refund.processed',
        payload: {
          payment: event.body.payload.payment,
          refund: {
            entity: { id: 'rfnd_Outside00000001', entity: 'refund', amount: 1, currency: 'INR', payment_id: charged.raw.gatewayTxnId, notes: [], receipt: null, status: 'processed', created_at: 1 },
          },
        },
      },
    } as RazorpayWebhookEvent;
    assert.equal((await connector.parseWebhook(razorpayAccount(), signed(emulator, outside))).kind, 'IGNORED');
    const unused = { ...event, body: { ...event.body, event: 'invoice.paid' } } as RazorpayWebhookEvent;
    assert.equal((await connector.parseWebhook(razorpayAccount(), signed(emulator, unused))).kind, 'IGNORED');
  });

  test('an off-contract request is refused by the emulator and recorded as a violation; the connector maps it as VALIDATION_ERROR', async () => {
    const before = emulator.violations.length;
    const outcome = await connector.authorize(razorpayAccount(), req({ returnUrl: 'not a url' }));
    assert.equal(outcome.kind, 'FAILED');
    if (outcome.kind === 'FAILED') {
      assert.equal(outcome.raw.code, 'input_validation_failed');
      assert.equal(outcome.failure, 'VALIDATION_ERROR');
    }
    assert.equal(emulator.violations.length, before + 1);
    assert.equal(emulator.violations.at(-1)!.field, '/callback_url');
    emulator.violations.splice(before);
  });
});
