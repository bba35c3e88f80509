// Property test over the merchant API's inputs: whatever a client sends, the answer is a success
// or a 4xx in the API's error shape naming a field, never a 500.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { setAllGateways } from '../helpers/api-helpers.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

let j: TestApp;
before(async () => {
  j = await startTestApp();
  setAllGateways(j);
});
after(() => j.close());

const ORDER_FIELDS = [
  'order_id',
  'amount',
  'currency',
  'customer_id',
  'customer_email',
  'customer_phone',
  'return_url',
  'gateway_id',
  'udf1',
  'metadata.webhook_url',
  'billing_address_city',
  'options.get_client_auth_token',
  'description',
];
const TXN_FIELDS = [
  'order_id',
  'merchant_id',
  'payment_method_type',
  'payment_method',
  'card_number',
  'card_exp_month',
  'card_exp_year',
  'card_security_code',
  'auth_type',
  'txn_type',
  'upi_vpa',
  'upi_app',
  'save_to_locker',
  'card_token',
  'order.order_id',
  'order.amount',
  'redirect_after_payment',
];

const scalar = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('', ' ', '0', '-1', '1e30', '100.5', '4111111111111111', 'CARD', 'UPI', 'NB_ICICI', 'THREE_DS', 'INR', 'true', 'null', 'a@upi', '12', '2031', '\u0000', '%00', '<script>'),
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(
  { weight: 5, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 5 }), scalar, { maxKeys: 3 }) },
);
const bodyOf = (fields: string[]) => fc.dictionary(fc.oneof(fc.constantFrom(...fields), fc.string({ maxLength: 12 })), value, { maxKeys: 10 });

function checkAnswer(status: number, text: string): void {
  assert.ok(status < 500, `answered ${status}: ${text.slice(0, 300)}`);
  if (status >= 400) {
    const body = JSON.parse(text) as { error_info?: { code?: string; fields?: unknown[] } };
    assert.equal(typeof body.error_info?.code, 'string', text.slice(0, 300));
    assert.ok(Array.isArray(body.error_info?.fields), text.slice(0, 300));
  }
}

test('property: any JSON body to POST /orders answers 200 or a 4xx naming the problem', async () => {
  await fc.assert(
    fc.asyncProperty(bodyOf(ORDER_FIELDS), async (body) => {
      const res = await j.app.inject({ method: 'POST', url: '/orders', headers: { authorization: j.basic, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
      checkAnswer(res.statusCode, res.body);
    }),
    { numRuns: 150 },
  );
});

test('property: any form body to POST /txns answers 200 or a 4xx naming the problem', async () => {
  await j.app.inject({ method: 'POST', url: '/orders', headers: { authorization: j.basic, 'content-type': 'application/json' }, payload: { order_id: 'fuzz1', amount: '10.00' } });
  await fc.assert(
    fc.asyncProperty(bodyOf(TXN_FIELDS), fc.boolean(), async (body, withOrder) => {
      const fields = Object.entries(body).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)]]));
      if (withOrder) fields.push(['order_id', 'fuzz1']);
      const res = await j.app.inject({
        method: 'POST',
        url: '/txns',
        headers: { authorization: j.basic, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields as [string, string][]).toString(),
      });
      checkAnswer(res.statusCode, res.body);
    }),
    { numRuns: 150 },
  );
});

test('property: any JSON body to POST /orders/{id}/refunds and POST /customers answers 200 or a 4xx', async () => {
  await fc.assert(
    fc.asyncProperty(bodyOf(['unique_request_id', 'amount', 'order_id', 'txn_id', 'object_reference_id', 'mobile_number', 'email_address']), async (body) => {
      const refund = await j.app.inject({ method: 'POST', url: '/orders/fuzz1/refunds', headers: { authorization: j.basic, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
      checkAnswer(refund.statusCode, refund.body);
      const customer = await j.app.inject({ method: 'POST', url: '/customers', headers: { authorization: j.basic, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
      checkAnswer(customer.statusCode, customer.body);
    }),
    { numRuns: 100 },
  );
});
