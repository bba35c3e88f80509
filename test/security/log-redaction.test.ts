// Card numbers and CVVs never reach a log line, even at the most verbose level and on errors.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { FORM, form, startTestApp, type TestApp } from '../helpers/test-app.ts';

const PAN = '4111111111111111';
const CVV = '737';
let junction: TestApp;
const lines: string[] = [];

before(async () => {
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  junction = await startTestApp({}, { logger: { level: 'trace', stream, redact: { paths: ['req.headers.authorization'], censor: '[redacted]' } } });
});
after(() => junction.close());

test('a card payment, a declined card and a malformed request log no card data', async () => {
  const order = await junction.app.inject({ method: 'POST', url: '/orders', headers: { ...FORM, authorization: junction.basic }, payload: form({ order_id: 'log1', amount: '10.00' }) });
  assert.equal(order.statusCode, 200);
  const pay = await junction.app.inject({
    method: 'POST',
    url: '/txns',
    headers: { ...FORM, authorization: junction.basic },
    payload: form({ order_id: 'log1', merchant_id: 'demo_merchant', payment_method_type: 'CARD', card_number: PAN, card_exp_month: '12', card_exp_year: '2031', card_security_code: CVV }),
  });
  assert.equal(pay.statusCode, 200);
  // A bad expiry makes the request fail validation with the card number in the body.
  const bad = await junction.app.inject({
    method: 'POST',
    url: '/txns',
    headers: { ...FORM, authorization: junction.basic },
    payload: form({ order_id: 'log1', payment_method_type: 'CARD', card_number: PAN, card_exp_month: '99', card_exp_year: '2031', card_security_code: CVV }),
  });
  assert.equal(bad.statusCode, 400);
  assert.ok(!bad.body.includes(PAN) && !bad.body.includes(CVV));
  assert.ok(lines.length > 5, 'the logger captured the requests');
  const all = lines.join('');
  assert.ok(all.includes('log1') || all.includes('/txns'), 'the capture contains the requests');
  assert.ok(!all.includes(PAN), 'no card number in the logs');
  assert.ok(!all.includes(`"${CVV}"`) && !all.includes(`=${CVV}`), 'no CVV in the logs');
  assert.ok(!all.includes(Buffer.from('test_demo_key_0001:').toString('base64')), 'no API key in the logs');
});
