import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { juspaySdkParams } from './upi-intent.ts';

test("Juspay's sample intent gives Juspay's sdk_params", () => {
  const intent = 'upi://pay?tr=202101345671229366&tid=121313202101345671229366&pa=juspay@axisbank&mc=1234&pn=Merchant%20Inc&am=1.00&cu=INR&tn=Pay%20for%20merchant';
  assert.deepEqual(juspaySdkParams({ intent_uri: intent }), {
    merchant_vpa: 'juspay@axisbank',
    merchant_name: 'Merchant Inc',
    tr: '202101345671229366',
    tid: '121313202101345671229366',
    mcc: '1234',
    amount: '1.00',
    currency: 'INR',
    tn: 'Pay for merchant',
    intent_uri: intent,
  });
});

test('no tid in the link, no tid in sdk_params; a link that is not upi:// is passed as it is', () => {
  const params = juspaySdkParams({ intent_uri: 'upi://pay?pa=m@bank&pn=M&tr=T1&mc=5411&am=10.00&cu=INR' });
  assert.equal(params.tid, undefined);
  assert.equal(params.merchant_vpa, 'm@bank');
  assert.deepEqual(juspaySdkParams({ intent_uri: 'https://example.com/pay' }), { intent_uri: 'https://example.com/pay' });
  assert.deepEqual(juspaySdkParams({ qr: 'x' }), { qr: 'x' });
});

test('every field of any well-formed link comes back unchanged (property)', () => {
  const text = fc.string({ minLength: 1, maxLength: 30 });
  fc.assert(
    fc.property(fc.record({ pa: text, pn: text, tr: text, mc: fc.stringMatching(/^\d{4}$/), am: fc.stringMatching(/^\d{1,6}\.\d{2}$/) }), (fields) => {
      const uri = `upi://pay?${new URLSearchParams(fields).toString()}`;
      const params = juspaySdkParams({ intent_uri: uri });
      assert.equal(params.merchant_vpa, fields.pa);
      assert.equal(params.merchant_name, fields.pn);
      assert.equal(params.tr, fields.tr);
      assert.equal(params.mcc, fields.mc);
      assert.equal(params.amount, fields.am);
      assert.equal(params.intent_uri, uri);
    }),
  );
});
