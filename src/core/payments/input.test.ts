import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AppError } from '../errors.ts';
import { flattenBody, readPrefixed, unprefix } from './input.ts';
import { parseOrderCreate } from './order-input.ts';
import { parsePaymentInput } from './payment-input.ts';

const now = new Date('2026-11-23T00:00:00Z');
const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.fields[0]?.field_name;
    throw error;
  }
  return undefined;
};

test('JSON nesting and form dotted keys flatten to the same thing', () => {
  assert.deepEqual(flattenBody({ order: { order_id: 'o1', amount: 10 }, metadata: { webhook_url: 'https://x' } }), {
    'order.order_id': 'o1',
    'order.amount': '10',
    'metadata.webhook_url': 'https://x',
  });
  assert.deepEqual(unprefix({ 'order.order_id': 'o1', x: '1' }, 'order'), { order_id: 'o1' });
  assert.deepEqual(readPrefixed({ 'metadata.JUSPAY:gateway_reference_id': 'r1', a: '1' }, 'metadata'), { 'JUSPAY:gateway_reference_id': 'r1' });
});

test('property: flattenBody never throws anything but a field-named AppError', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
      try {
        const flat = flattenBody(value);
        for (const v of Object.values(flat)) assert.equal(typeof v, 'string');
      } catch (error) {
        assert.ok(error instanceof AppError && error.fields.length > 0);
      }
    }),
    { numRuns: 1000 },
  );
});

test('order create: required fields, limits and formats name the field', () => {
  assert.equal(
    fieldOf(() => parseOrderCreate({ amount: '10' })),
    'order_id',
  );
  assert.equal(
    fieldOf(() => parseOrderCreate({ order_id: 'o1' })),
    'amount',
  );
  assert.equal(
    fieldOf(() => parseOrderCreate({ order_id: 'x'.repeat(21), amount: '1' })),
    'order_id',
  );
  assert.equal(
    fieldOf(() => parseOrderCreate({ order_id: 'has space', amount: '1' })),
    'order_id',
  );
  assert.equal(
    fieldOf(() => parseOrderCreate({ order_id: 'o1', amount: '1', currency: 'XX' })),
    'currency',
  );
  assert.equal(
    fieldOf(() => parseOrderCreate({ order_id: 'o1', amount: '1', customer_email: 'nope' })),
    'customer_email',
  );
  assert.equal(
    fieldOf(() => parseOrderCreate({ order_id: 'o1', amount: '1', return_url: 'javascript:alert(1)' })),
    'return_url',
  );
  assert.equal(
    fieldOf(() => parseOrderCreate({ order_id: 'o1', amount: '1', gateway_id: '4242' })),
    'gateway_id',
  );
  assert.equal(
    fieldOf(() => parseOrderCreate({ order_id: 'o1', amount: '1', 'metadata.webhook_url': 'ftp://x' })),
    'metadata.webhook_url',
  );
  const order = parseOrderCreate({ order_id: 'o-1_A', amount: '10.5', udf3: 'x', billing_address_city: 'Pune', 'metadata.k': 'v' });
  assert.equal(order.amount, 1050);
  assert.equal(order.currency, 'INR');
  assert.deepEqual(order.udf, { udf3: 'x' });
  assert.deepEqual(order.billingAddress, { city: 'Pune' });
  assert.deepEqual(order.metadata, { k: 'v' });
});

test('card payments: number, expiry and CVV are checked and never kept beyond BIN and last four', () => {
  const ok = { payment_method_type: 'CARD', card_number: '4111 1111 1111 1111', card_exp_month: '12', card_exp_year: '30', card_security_code: '123' };
  const parsed = parsePaymentInput(ok, now);
  assert.equal(parsed.card?.bin, '411111');
  assert.equal(parsed.card?.last4, '1111');
  assert.equal(parsed.card?.brand, 'VISA');
  assert.equal(parsed.card?.expYear, '2030');
  assert.equal(parsed.paymentMethod, 'VISA');
  assert.equal(
    fieldOf(() => parsePaymentInput({ ...ok, card_number: '4111111111111112' }, now)),
    'card_number',
  );
  assert.equal(
    fieldOf(() => parsePaymentInput({ ...ok, card_exp_year: '2020' }, now)),
    'card_exp_year',
  );
  assert.equal(
    fieldOf(() => parsePaymentInput({ ...ok, card_exp_month: '13' }, now)),
    'card_exp_month',
  );
  assert.equal(
    fieldOf(() => parsePaymentInput({ ...ok, card_security_code: '12' }, now)),
    'card_security_code',
  );
  assert.equal(
    fieldOf(() => parsePaymentInput({ ...ok, card_number: '378282246310005', card_security_code: '123' }, now)),
    'card_security_code',
  );
  assert.equal(
    fieldOf(() => parsePaymentInput({ payment_method_type: 'CARD' }, now)),
    'card_number',
  );
  assert.equal(
    fieldOf(() => parsePaymentInput({ ...ok, auth_type: 'MAGIC' }, now)),
    'auth_type',
  );
});

test('netbanking, UPI and wallet payments', () => {
  assert.equal(parsePaymentInput({ payment_method_type: 'NB', payment_method: 'NB_ICICI' }, now).bank, 'ICICI');
  assert.equal(
    fieldOf(() => parsePaymentInput({ payment_method_type: 'NB', payment_method: 'ICICI' }, now)),
    'payment_method',
  );
  assert.deepEqual(parsePaymentInput({ payment_method_type: 'UPI', txn_type: 'UPI_COLLECT', upi_vpa: 'alice@upi' }, now).upi, { txnType: 'UPI_COLLECT', vpa: 'alice@upi', app: null });
  assert.equal(
    fieldOf(() => parsePaymentInput({ payment_method_type: 'UPI', txn_type: 'UPI_COLLECT' }, now)),
    'upi_vpa',
  );
  assert.equal(
    fieldOf(() => parsePaymentInput({ payment_method_type: 'UPI', txn_type: 'UPI_COLLECT', upi_vpa: 'not a vpa' }, now)),
    'upi_vpa',
  );
  assert.equal(parsePaymentInput({ payment_method_type: 'UPI', txn_type: 'UPI_PAY', upi_app: 'com.phonepe.app' }, now).upi?.txnType, 'UPI_PAY');
  assert.equal(parsePaymentInput({ payment_method_type: 'WALLET', payment_method: 'paytm' }, now).wallet?.name, 'PAYTM');
  assert.equal(
    fieldOf(() => parsePaymentInput({ payment_method_type: 'CRYPTO' }, now)),
    'payment_method_type',
  );
});
