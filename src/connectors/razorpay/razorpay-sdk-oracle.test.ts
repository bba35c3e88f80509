// Razorpay's official Node SDK (`razorpay`) as an independent second implementation:
// - signatures: Razorpay.validateWebhookSignature (the SDK's HMAC of the body) accepts every webhook
//   the emulator signs, and validatePaymentVerification accepts the checkout callback the bank page
//   returns; our verifiers agree with the SDK's algorithm both ways on random bodies and secrets, and
//   refuse what it refuses;
// - wire: the SDK instance, its axios base URL pointed at the emulator, creates an order, finds it by
//   receipt, makes S2S card and UPI payments, fetches, captures and refunds, and gets answers of the
//   shapes its types declare; its errors carry Razorpay's error object. No request it sends breaks
//   the emulator's contract.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import Razorpay from 'razorpay';
import { startRazorpayEmulator, type RazorpayEmulator } from '../../../emulators/razorpay/razorpay-emulator.ts';
import { ConnectorError } from '../../core/ports/connector.ts';
import { RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET, RAZORPAY_WEBHOOK_SECRET } from './test-fixtures.ts';
import { callbackSignature, callbackSignatureValid, parseRazorpayEvent, verifyRazorpaySignature } from './webhooks.ts';

const require = createRequire(import.meta.url);
/** The SDK's own payment verification (not re-exported by its entry point). */
const { validatePaymentVerification } = require('razorpay/dist/utils/razorpay-utils.js') as {
  validatePaymentVerification(params: { order_id: string; payment_id: string }, signature: string, secret: string): boolean;
};

interface SdkError {
  statusCode: number;
  error: { code: string; description: string; reason: string; source: string; step: string; metadata: Record<string, unknown> };
}

let emulator: RazorpayEmulator;
let rzp: InstanceType<typeof Razorpay>;

before(async () => {
  emulator = await startRazorpayEmulator({ keys: { [RAZORPAY_KEY_ID]: RAZORPAY_KEY_SECRET } });
  rzp = new Razorpay({ key_id: RAZORPAY_KEY_ID, key_secret: RAZORPAY_KEY_SECRET });
  // The SDK hard-codes https://api.razorpay.com as its axios instance's baseURL (dist/api.js): point it at the emulator.
  (rzp as unknown as { api: { rq: { defaults: { baseURL: string } } } }).api.rq.defaults.baseURL = emulator.url;
});
after(async () => {
  await emulator.close();
});

const shopper = { email: 'shopper@example.com', contact: '9000090000', ip: '105.106.107.108', referer: 'https://merchant.example/pay', user_agent: 'Mozilla/5.0' };

async function order(amount: number, capture: 'automatic' | 'manual', receipt = `sdk-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`) {
  return rzp.orders.create({
    amount,
    currency: 'INR',
    receipt,
    notes: { purpose: 'oracle' },
    payment:
      capture === 'automatic'
        ? { capture, capture_options: { automatic_expiry_period: 12, manual_expiry_period: 7200, refund_speed: 'normal' } }
        : { capture, capture_options: { manual_expiry_period: 7200, refund_speed: 'optimum' } },
  } as Parameters<typeof rzp.orders.create>[0]);
}

describe('the official razorpay SDK against the emulator', () => {
  test('create an order, find it by receipt, pay it S2S by card, fetch, capture, refund', async () => {
    const created = await order(50_000, 'manual');
    assert.match(created.id, /^order_[A-Za-z0-9]{14}$/);
    assert.equal(created.status, 'created');
    assert.equal(created.amount_due, 50_000);
    const found = await rzp.orders.all({ receipt: created.receipt! });
    assert.deepEqual(
      found.items.map((o) => o.id),
      [created.id],
    );

    const s2s = await rzp.payments.createPaymentJson({
      amount: 50_000,
      currency: 'INR',
      order_id: created.id,
      method: 'card',
      ...shopper,
      card: { number: '4111111111111111', name: 'Gaurav Kumar', expiry_month: '11', expiry_year: '30', cvv: '100' },
    } as Parameters<typeof rzp.payments.createPaymentJson>[0]);
    assert.match(s2s.razorpay_payment_id, /^pay_[A-Za-z0-9]{14}$/);

    const fetched = await rzp.payments.fetch(s2s.razorpay_payment_id);
    assert.equal(fetched.status, 'authorized');
    assert.equal(fetched.order_id, created.id);
    assert.equal(fetched.captured, false);
    assert.equal(fetched.method, 'card');

    const captured = await rzp.payments.capture(fetched.id, 50_000, 'INR');
    assert.equal(captured.status, 'captured');
    assert.equal(captured.captured, true);
    assert.equal((await rzp.orders.fetch(created.id)).status, 'paid');
    assert.deepEqual(
      (await rzp.orders.fetchPayments(created.id)).items.map((p: { id: string }) => p.id),
      [fetched.id],
    );

    const refund = await rzp.payments.refund(fetched.id, { amount: 20_000, speed: 'optimum', notes: { refund_id: 'sdk-r1' }, receipt: 'sdk-r1' });
    assert.match(refund.id, /^rfnd_[A-Za-z0-9]{14}$/);
    assert.equal(refund.status, 'processed');
    assert.equal(refund.payment_id, fetched.id);
    assert.equal(refund.speed_processed, 'instant');
    const listed = await rzp.payments.fetchMultipleRefund(fetched.id);
    assert.deepEqual(
      listed.items.map((r) => r.id),
      [refund.id],
    );
    assert.equal((await rzp.payments.fetchRefund(fetched.id, refund.id)).amount, 20_000);
    assert.equal((await rzp.payments.fetch(fetched.id)).amount_refunded, 20_000);
  });

  test('3-D Secure cards and netbanking answer a redirect in `next`; UPI intent answers the upi:// link', async () => {
    const threeDs = await order(10_000, 'automatic');
    const s2s = await rzp.payments.createPaymentJson({
      amount: 10_000,
      currency: 'INR',
      order_id: threeDs.id,
      method: 'card',
      ...shopper,
      card: { number: '4386289407660153', name: 'Gaurav', expiry_month: '11', expiry_year: '2030', cvv: '100' },
      authentication: { authentication_channel: 'browser' },
      browser: { java_enabled: false, javascript_enabled: false, timezone_offset: 11, color_depth: 23, screen_width: 23, screen_height: 100 },
    } as Parameters<typeof rzp.payments.createPaymentJson>[0]);
    assert.equal(s2s.next[0]?.action, 'redirect');
    assert.match(String(s2s.next[0]?.url), /\/v1\/payments\/pay_\w+\/authorize$/);

    const nb = await order(10_000, 'automatic');
    const bank = await rzp.payments.createPaymentJson({ amount: 10_000, currency: 'INR', order_id: nb.id, method: 'netbanking', bank: 'HDFC', ...shopper } as Parameters<
      typeof rzp.payments.createPaymentJson
    >[0]);
    assert.equal(bank.next[0]?.action, 'redirect');

    const upi = await order(10_000, 'automatic');
    const intent = await rzp.payments.createUpi({
      amount: 10_000,
      currency: 'INR',
      order_id: upi.id,
      method: 'upi',
      ...shopper,
      description: 'Test flow',
      notes: { purpose: 'UPI test payment' },
      upi: { flow: 'intent' },
    });
    assert.match(intent.link ?? '', /^upi:\/\/pay\?pa=/);
    assert.equal((await rzp.payments.fetch(intent.razorpay_payment_id)).status, 'created');
  });

  test("the SDK raises Razorpay's error object: a capture of another amount, an unknown order, a declined card", async () => {
    const created = await order(5_000, 'manual');
    const payment = await rzp.payments.createPaymentJson({
      amount: 5_000,
      currency: 'INR',
      order_id: created.id,
      method: 'card',
      ...shopper,
      card: { number: '4111111111111111', name: 'G', expiry_month: '01', expiry_year: '31', cvv: '123' },
    } as Parameters<typeof rzp.payments.createPaymentJson>[0]);
    const isRazorpayError = (code: string, reason?: string) => (error: unknown) => {
      const e = error as SdkError;
      assert.equal(e.statusCode, 400);
      assert.equal(e.error.code, code);
      if (reason) assert.equal(e.error.reason, reason);
      assert.equal(typeof e.error.description, 'string');
      return true;
    };
    await assert.rejects(rzp.payments.capture(payment.razorpay_payment_id, 4_000, 'INR'), isRazorpayError('BAD_REQUEST_ERROR', 'input_validation_failed'));
    await assert.rejects(
      rzp.payments.createPaymentJson({ amount: 5_000, currency: 'INR', order_id: 'order_DoesNotExist01', method: 'netbanking', bank: 'HDFC', ...shopper } as Parameters<
        typeof rzp.payments.createPaymentJson
      >[0]),
      isRazorpayError('BAD_REQUEST_ERROR', 'invalid_order_id'),
    );
    const declined = await order(5_000, 'automatic');
    await assert.rejects(
      rzp.payments.createPaymentJson({
        amount: 5_000,
        currency: 'INR',
        order_id: declined.id,
        method: 'card',
        ...shopper,
        card: { number: '4000000000009995', name: 'G', expiry_month: '01', expiry_year: '31', cvv: '123' },
      } as Parameters<typeof rzp.payments.createPaymentJson>[0]),
      (error: unknown) => isRazorpayError('BAD_REQUEST_ERROR', 'insufficient_funds')(error) && /^pay_/.test(String((error as SdkError).error.metadata.payment_id)),
    );
  });

  test("every request the SDK sent kept to the emulator's contract", () => {
    assert.deepEqual(emulator.violations, []);
  });
});

describe("signatures: the SDK's algorithm and ours agree", () => {
  test('Razorpay.validateWebhookSignature accepts every webhook the emulator signed, and so do we', async () => {
    assert.ok(emulator.events.length >= 5, 'the SDK flows produced webhook events');
    for (const event of emulator.events) {
      const { headers, rawBody } = emulator.signedEvent(event, RAZORPAY_WEBHOOK_SECRET);
      assert.equal(Razorpay.validateWebhookSignature(rawBody, headers['x-razorpay-signature']!, RAZORPAY_WEBHOOK_SECRET), true, event.body.event);
      verifyRazorpaySignature({ headers, rawBody, body: null }, RAZORPAY_WEBHOOK_SECRET);
      const parsed = parseRazorpayEvent(rawBody, headers['x-razorpay-event-id']);
      if (parsed.kind !== 'IGNORED') assert.equal(parsed.eventId, event.id);
    }
  });

  test('on random bodies and secrets: what the SDK accepts we accept, what it refuses (tampered body, other secret) we refuse (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 400 }), fc.string({ minLength: 8, maxLength: 40 }), fc.string({ minLength: 8, maxLength: 40 }), (body, secret, other) => {
        const rawBody = JSON.stringify({ entity: 'event', event: 'payment.captured', note: body });
        const signature = createHmac('sha256', secret).update(rawBody).digest('hex');
        assert.equal(Razorpay.validateWebhookSignature(rawBody, signature, secret), true);
        verifyRazorpaySignature({ headers: { 'x-razorpay-signature': signature }, rawBody, body: null }, secret);
        const tampered = rawBody.replace('payment.captured', 'payment.failed');
        assert.equal(Razorpay.validateWebhookSignature(tampered, signature, secret), false);
        assert.throws(() => verifyRazorpaySignature({ headers: { 'x-razorpay-signature': signature }, rawBody: tampered, body: null }, secret), ConnectorError);
        if (other !== secret) {
          assert.equal(Razorpay.validateWebhookSignature(rawBody, signature, other), false);
          assert.throws(() => verifyRazorpaySignature({ headers: { 'x-razorpay-signature': signature }, rawBody, body: null }, other), ConnectorError);
        }
      }),
      { numRuns: 200 },
    );
  });

  test('a missing X-Razorpay-Signature is refused', () => {
    assert.throws(() => verifyRazorpaySignature({ headers: {}, rawBody: '{}', body: null }, RAZORPAY_WEBHOOK_SECRET), ConnectorError);
  });

  test("the checkout callback from the bank page passes the SDK's validatePaymentVerification and ours; a tampered one fails both", async () => {
    const created = await order(7_500, 'automatic');
    const s2s = await rzp.payments.createPaymentJson({
      amount: 7_500,
      currency: 'INR',
      order_id: created.id,
      method: 'wallet',
      wallet: 'paytm',
      ...shopper,
      callback_url: 'https://merchant.example/return',
    } as Parameters<typeof rzp.payments.createPaymentJson>[0]);
    const approve = await fetch(`${emulator.url}/__emulator/bank/${s2s.razorpay_payment_id}?decision=approve`, { redirect: 'manual' });
    await approve.arrayBuffer();
    const params = Object.fromEntries(new URL(approve.headers.get('location')!).searchParams);
    assert.equal(params.razorpay_order_id, created.id);
    assert.equal(validatePaymentVerification({ order_id: created.id, payment_id: params.razorpay_payment_id! }, params.razorpay_signature!, RAZORPAY_KEY_SECRET), true);
    assert.equal(callbackSignatureValid(created.id, params.razorpay_payment_id!, params.razorpay_signature!, RAZORPAY_KEY_SECRET), true);
    assert.equal(callbackSignature(created.id, params.razorpay_payment_id!, RAZORPAY_KEY_SECRET), params.razorpay_signature);
    const otherOrder = 'order_SomeOtherOrder1';
    assert.equal(validatePaymentVerification({ order_id: otherOrder, payment_id: params.razorpay_payment_id! }, params.razorpay_signature!, RAZORPAY_KEY_SECRET), false);
    assert.equal(callbackSignatureValid(otherOrder, params.razorpay_payment_id!, params.razorpay_signature!, RAZORPAY_KEY_SECRET), false);
    assert.equal(callbackSignatureValid(created.id, params.razorpay_payment_id!, params.razorpay_signature!, 'anotherKeySecret0000'), false);
    assert.equal((await rzp.payments.fetch(params.razorpay_payment_id!)).status, 'captured');
  });
});
