// PayU publishes no Node SDK we can install here, so the independent lock is PayU's own published
// material and a second implementation:
// 1. Worked hash examples: the test vectors of PayU's Node SDK (the `payu-sdk` package that
//    docs.payu.in "API Authentication and Security" points to for reverse hashing; its
//    tests/payu/hasher.test.js): key bjg$121, salt vhgvs75, txnid 3123, amount 1000, productinfo
//    mobile, firstname Jacob, email test@payu.in -> request hash 19d08229…, and with status success ->
//    reverse hash 687c8215…. Our hash.ts must produce exactly these.
// 2. A second implementation of every formula (request, reverse, reverse with additional charges,
//    command): Python's hashlib, run as a child process, over generated field values.
// 3. Sample answers printed in PayU's docs, parsed by our transformers to the expected outcome.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { commandHash, paymentHash, reverseHash, reverseHashValid } from './hash.ts';
import { actionRecords, commandOk, outcomeOfResult, type PayuResult } from './transformers.ts';
import { readPayuCallback } from './webhooks.ts';

describe("PayU's published hash examples", () => {
  const example = { key: 'bjg$121', txnid: '3123', amount: '1000', productinfo: 'mobile', firstname: 'Jacob', email: 'test@payu.in' };
  const salt = 'vhgvs75';

  test('the request hash of the worked example', () => {
    assert.equal(paymentHash(example, salt), '19d0822939b32b371847521c89aba3521de3a9bfeabeee5dab2d6f41962ff9fcdcee87067bb3a3de870acce488f9ff88a3511bb78c6143344a277b1b91ad38b8');
  });

  test('the reverse hash of the worked example verifies; the truncated one of the same example does not', () => {
    const reverse = '687c82156a84271a7a6c63d0e8774d5ac567d9b894a334a47d72e47b72392a5167a1b2add5b253490b70731d9eb3e3a3b7225e0c5f26829befafbbee71977c4c';
    assert.equal(reverseHash({ ...example, status: 'success' }, salt), reverse);
    assert.ok(reverseHashValid({ ...example, status: 'success', hash: reverse }, salt));
    assert.ok(!reverseHashValid({ ...example, status: 'failure', hash: reverse }, salt), 'the status is covered');
    assert.ok(!reverseHashValid({ ...example, status: 'success', hash: '19d0822939b32b371847521c89aba3521de3a9bf' }, salt));
  });
});

function python(script: string, input: unknown): unknown {
  const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as unknown;
}

// The formulas as docs.payu.in writes them, in Python.
const PYTHON_HASHES = `
import hashlib, json, sys
cases = json.load(sys.stdin)
h = lambda s: hashlib.sha512(s.encode('utf-8')).hexdigest()
out = []
for c in cases:
    f = c['fields']; salt = c['salt']
    g = lambda n: f.get(n, '')
    request = h('|'.join([g('key'), g('txnid'), g('amount'), g('productinfo'), g('firstname'), g('email'), g('udf1'), g('udf2'), g('udf3'), g('udf4'), g('udf5')]) + '||||||' + salt)
    reverse = salt + '|' + g('status') + '||||||' + '|'.join([g('udf5'), g('udf4'), g('udf3'), g('udf2'), g('udf1'), g('email'), g('firstname'), g('productinfo'), g('amount'), g('txnid'), g('key')])
    if g('additional_charges'):
        reverse = g('additional_charges') + '|' + reverse
    command = h(g('key') + '|' + c['command'] + '|' + c['var1'] + '|' + salt)
    out.append({'request': request, 'reverse': h(reverse), 'command': command})
print(json.dumps(out))
`;

describe('a second implementation (Python hashlib) agrees on every formula', () => {
  test('request, reverse (with and without additional charges) and command hashes (property)', () => {
    const text = fc.string({ minLength: 0, maxLength: 20, unit: fc.constantFrom(...'abcXYZ019 .@_-éअ'.split('')) });
    const cases = fc.sample(
      fc.record({
        fields: fc.record({
          key: fc.stringMatching(/^[A-Za-z0-9]{6}$/),
          txnid: fc.stringMatching(/^[A-Za-z0-9_-]{1,25}$/),
          amount: fc.stringMatching(/^\d{1,6}\.\d{2}$/),
          productinfo: text,
          firstname: text,
          email: fc.constant('a@b.in'),
          udf1: text,
          udf2: text,
          udf5: text,
          status: fc.constantFrom('success', 'failure', 'pending'),
          additional_charges: fc.constantFrom('', '2.50', '10.00'),
        }),
        salt: fc.stringMatching(/^[A-Za-z0-9]{8,32}$/),
        command: fc.constantFrom('verify_payment', 'cancel_refund_transaction', 'check_action_status'),
        var1: fc.stringMatching(/^[A-Za-z0-9_-]{1,25}$/),
      }),
      60,
    );
    const expected = python(PYTHON_HASHES, cases) as Array<{ request: string; reverse: string; command: string }>;
    cases.forEach((c, i) => {
      assert.equal(paymentHash(c.fields, c.salt), expected[i]!.request, `request ${i}`);
      assert.equal(reverseHash(c.fields, c.salt), expected[i]!.reverse, `reverse ${i}`);
      assert.equal(commandHash(c.fields.key, c.command, c.var1, c.salt), expected[i]!.command, `command ${i}`);
    });
  });
});

describe('sample answers from docs.payu.in, parsed by our transformers', () => {
  test('the response after checkout (docs: "Working with Response after a Customer Checkout") is CHARGED', () => {
    const sample: PayuResult = {
      mihpayid: '4***********2',
      mode: 'NB',
      status: 'success',
      unmappedstatus: 'captured',
      key: 'JPM7Fg',
      txnid: 'ewP8oRopzdHEtC',
      amount: '10.00',
      discount: '0.00',
      net_amount_debit: '10',
      addedon: '2021-09-06 13:27:08',
      productinfo: 'iPhone',
      firstname: 'Ashish',
      email: 'test@example.com',
      phone: '9876543210',
      hash: '1be7e6e97ab1ea9034b9a107e7cf9718308aa9637b4dbbd1a3343c91b0da02b34a40d00ac7267ebe81c20ea1129b931371c555d565bc6e11f470c3d2cf69b5a3',
    };
    const outcome = outcomeOfResult(sample, 'ewP8oRopzdHEtC');
    assert.equal(outcome.kind, 'CHARGED');
    assert.equal(outcome.raw.gatewayTxnId, 'ewP8oRopzdHEtC');
    assert.equal((outcome.raw.body as Record<string, unknown>).hash, undefined, 'the hash is not stored');
  });

  test('the raw (URL-encoded) LRS sample response is CHARGED', () => {
    const fields = Object.fromEntries(
      new URLSearchParams(
        'mihpayid=403993715531077182&mode=CC&status=success&unmappedstatus=captured&key=JPM7Fg&txnid=ypl938459435dfdfdf&amount=1000.00&cardCategory=domestic&discount=0.00&net_amount_debit=1000&addedon=2024-02-27+15%3A11%3A37&productinfo=iPhone&firstname=Ashish+User',
      ),
    );
    assert.equal(outcomeOfResult(fields, fields.txnid!).kind, 'CHARGED');
  });

  test('the partner S2S callback sample (form fields, error E000, unmappedstatus captured) is read as a payment callback and CHARGED', () => {
    const rawBody = new URLSearchParams({
      mihpayid: '403993715521855092',
      txnid: 'TXN1001',
      amount: '1000.00',
      status: 'success',
      mode: 'CC',
      productinfo: 'Order',
      firstname: 'John',
      email: 'john@example.com',
      phone: '9999999999',
      hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      bankcode: 'HDFC',
      bank_ref_num: '1234567890',
      udf1: 'custom_value_1',
      udf5: 'web',
      error: 'E000',
      error_Message: 'No Error',
      net_amount_debit: '1000.00',
      PG_TYPE: 'CC-PG',
      unmappedstatus: 'captured',
      key: 'smsPlusDemo',
    }).toString();
    const callback = readPayuCallback({ headers: {}, rawBody, body: null });
    assert.equal(callback.kind, 'PAYMENT');
    if (callback.kind === 'PAYMENT') assert.equal(outcomeOfResult(callback.fields, 'TXN1001').kind, 'CHARGED');
  });

  test('the capture sample answer (status 1, "Capture Request Queued") is a successful command call', () => {
    assert.ok(commandOk({ status: 1, msg: 'Capture Request Queued', request_id: 'Request ID', bank_ref_num: 'Bank Reference Number' }));
    assert.ok(!commandOk({ status: 0, msg: 'Invalid Hash.' }));
  });

  test('the refund status callback samples (success and failure) are refund callbacks, and their records read back', () => {
    const success = {
      additionalValue1: null,
      bank_arn: 308239782136,
      refund_mode: 'Instant Credit through UPI',
      bank_ref_num: '308239782136',
      key: 'lF76TH',
      amt: '149.00',
      remark: null,
      status: 'success',
      token: 'DG0036362',
      mihpayid: '17025521702',
      request_id: '11865427756',
      merchantTxnId: 'ORDER_33172661_1679394745',
      additionalValue2: null,
      action: 'refund',
    };
    const failure = { ...success, bank_arn: null, status: 'failure', token: 'PZT2506150013OR4AN33', request_id: '17265314530', merchantTxnId: 'PZT2506150013OR4AN02' };
    for (const sample of [success, failure]) {
      const callback = readPayuCallback({ headers: {}, rawBody: JSON.stringify(sample), body: null });
      assert.deepEqual(callback, { kind: 'REFUND', requestId: sample.request_id, token: sample.token, key: 'lF76TH' });
    }
    // Nested by id, as check_action_status answers (transaction_details), the same records are found.
    const records = actionRecords({ status: 1, transaction_details: { [success.request_id]: { [success.request_id]: success }, [failure.request_id]: { [failure.request_id]: failure } } });
    assert.deepEqual(
      records.map((r) => [r.request_id, r.status]),
      [
        ['11865427756', 'success'],
        ['17265314530', 'failure'],
      ],
    );
  });
});
