// Checkout.com's official Node SDK (checkout-sdk-node) as an independent second implementation: it
// drives the emulator (payments, details, lookup by reference, captures, voids, refunds) and must
// accept its answers, and raise its own error classes on a 403 or a 422. The SDK has no webhook
// signing helper, so the signature oracle is node:crypto computing Checkout.com's documented
// formula (hex HMAC-SHA256 of the raw body) independently of our verifier.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Checkout } from 'checkout-sdk-node';
import { ActionNotAllowed, ValidationError } from 'checkout-sdk-node/dist/services/errors.js';
import { startCheckoutEmulator, type CheckoutEmulator } from '../../../emulators/checkout/checkout-emulator.ts';
import { ConnectorError } from '../../core/ports/connector.ts';
import { CHECKOUT_SECRET_KEY, CHECKOUT_WEBHOOK_SECRET } from './test-fixtures.ts';
import { parseCheckoutEvent, verifyCheckoutSignature } from './webhooks.ts';

interface SdkPayment {
  id: string;
  status: string;
  approved?: boolean;
  response_code?: string;
  _links?: Record<string, { href: string }>;
}
interface SdkAction {
  action_id: string;
}

let emulator: CheckoutEmulator;
let cko: {
  payments: {
    request(body: unknown, key?: string): Promise<SdkPayment>;
    get(id: string): Promise<SdkPayment>;
    getPaymentList(q: unknown): Promise<{ data: SdkPayment[] }>;
    capture(id: string, body?: unknown, key?: string): Promise<SdkAction>;
    void(id: string, body?: unknown, key?: string): Promise<SdkAction>;
    refund(id: string, body?: unknown, key?: string): Promise<SdkAction>;
  };
};

before(async () => {
  emulator = await startCheckoutEmulator();
  cko = new Checkout(CHECKOUT_SECRET_KEY, { host: emulator.url }) as unknown as typeof cko;
});
after(async () => {
  await emulator.close();
});

const card = (number = '4242424242424242') => ({ type: 'card', number, expiry_month: 6, expiry_year: 2030, cvv: '100' });
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the official Checkout.com SDK against the emulator', () => {
  test('request a payment, read it back, find it by reference', async () => {
    const reference = `sdk-${Date.now()}`;
    const payment = await cko.payments.request({ source: card(), amount: 1_000, currency: 'GBP', reference, metadata: { capture_mode: 'AUTO' } });
    assert.match(payment.id, /^pay_\w{26}$/);
    assert.equal(payment.approved, true);
    assert.equal(payment.status, 'Authorized');
    assert.equal(payment.response_code, '10000');
    await settle();
    assert.equal((await cko.payments.get(payment.id)).status, 'Captured');
    const list = await cko.payments.getPaymentList({ reference });
    assert.deepEqual(
      list.data.map((p) => p.id),
      [payment.id],
    );
  });

  test('a decline comes back approved=false with its response code', async () => {
    emulator.declineNext('20051');
    const payment = await cko.payments.request({ source: card(), amount: 1_000, currency: 'GBP', reference: 'sdk-decline' });
    assert.equal(payment.approved, false);
    assert.equal(payment.status, 'Declined');
    assert.equal(payment.response_code, '20051');
  });

  test('3-D Secure: 202 Pending with a redirect link', async () => {
    const payment = await cko.payments.request({
      source: card('4485040371536584'),
      amount: 500,
      currency: 'GBP',
      reference: 'sdk-3ds',
      '3ds': { enabled: true },
      success_url: 'https://example.com/ok',
      failure_url: 'https://example.com/ko',
    });
    assert.equal(payment.status, 'Pending');
    assert.ok(payment._links?.redirect?.href);
  });

  test('manual capture (partial), refund and void are accepted with an action id and move the payment', async () => {
    const payment = await cko.payments.request({ source: card(), amount: 5_000, currency: 'GBP', reference: 'sdk-manual', capture: false });
    assert.equal(payment.status, 'Authorized');
    const capture = await cko.payments.capture(payment.id, { amount: 3_000 }, `cap-${payment.id}`);
    assert.match(capture.action_id, /^act_\w{26}$/);
    await settle();
    assert.equal((await cko.payments.get(payment.id)).status, 'Partially Captured');
    const refund = await cko.payments.refund(payment.id, { amount: 1_000, reference: 'sdk-refund' });
    assert.match(refund.action_id, /^act_/);
    const held = await cko.payments.request({ source: card(), amount: 700, currency: 'GBP', reference: 'sdk-void', capture: false });
    await cko.payments.void(held.id, { reference: 'sdk-void' });
    await settle();
    assert.equal((await cko.payments.get(held.id)).status, 'Voided');
  });

  test('the SDK raises its own errors: ActionNotAllowed on a 403, ValidationError on a 422', async () => {
    const charged = await cko.payments.request({ source: card(), amount: 100, currency: 'GBP', reference: 'sdk-errors' });
    await assert.rejects(cko.payments.void(charged.id, {}), (error: unknown) => error instanceof ActionNotAllowed);
    await assert.rejects(cko.payments.request({ source: card('4242424242424241'), amount: 100, currency: 'GBP' }), (error: unknown) => error instanceof ValidationError);
  });
});

describe('Cko-Signature: computed independently, verified by us', () => {
  const body = JSON.stringify({
    id: 'evt_az5sblvku4ge3dwpztvyizgcau',
    type: 'payment_captured',
    created_on: '2026-12-04T10:00:00Z',
    data: { id: 'pay_mbabizu24mvu3mela5njyhpit4', action_id: 'act_y3oqhf46pyzuxjbcn2giaqnb44', amount: 1000, currency: 'GBP', reference: 'ORD-1' },
  });
  const independent = createHmac('sha256', CHECKOUT_WEBHOOK_SECRET).update(body).digest('hex');

  test('a body signed by the documented formula verifies and parses', () => {
    verifyCheckoutSignature({ headers: { 'cko-signature': independent }, rawBody: body, body: null }, CHECKOUT_WEBHOOK_SECRET);
    const parsed = parseCheckoutEvent(body);
    assert.equal(parsed.kind, 'PAYMENT');
    if (parsed.kind === 'PAYMENT') {
      assert.equal(parsed.gatewayTxnId, 'pay_mbabizu24mvu3mela5njyhpit4');
      assert.equal(parsed.outcome.kind, 'CHARGED');
      assert.equal(parsed.eventId, 'evt_az5sblvku4ge3dwpztvyizgcau');
    }
  });

  test('a tampered body, another key or no header is refused', () => {
    assert.throws(() => verifyCheckoutSignature({ headers: { 'cko-signature': independent }, rawBody: body.replace('1000', '1'), body: null }, CHECKOUT_WEBHOOK_SECRET), ConnectorError);
    assert.throws(() => verifyCheckoutSignature({ headers: { 'cko-signature': independent }, rawBody: body, body: null }, 'another-signature-key-000'), ConnectorError);
    assert.throws(() => verifyCheckoutSignature({ headers: {}, rawBody: body, body: null }, CHECKOUT_WEBHOOK_SECRET), ConnectorError);
  });
});
