// The Braintree emulator checks what it receives: the XML the other SDKs send, contract violations,
// Braintree's own validation answers, and the demo emulator's lenient card check.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBraintreeEmulator, type BraintreeEmulator } from '../../../emulators/braintree/braintree-emulator.ts';
import { createHttpTransport } from '../kit/transport.ts';
import { createBraintreeConnector } from './braintree-connector.ts';
import { BRAINTREE_MERCHANT_ID, BRAINTREE_PRIVATE_KEY, BRAINTREE_PUBLIC_KEY, braintreeAccount, braintreeCardRequest } from './test-fixtures.ts';
import { readAnswer } from './transformers.ts';

describe('the Braintree emulator checks what it receives', () => {
  let emulator: BraintreeEmulator;
  before(async () => {
    emulator = await startBraintreeEmulator();
  });
  after(async () => {
    await emulator.close();
  });
  const auth = `Basic ${Buffer.from(`${BRAINTREE_PUBLIC_KEY}:${BRAINTREE_PRIVATE_KEY}`).toString('base64')}`;
  const send = (body: string, headers: Record<string, string> = {}, path = '/transactions') =>
    fetch(`${emulator.url}/merchants/${BRAINTREE_MERCHANT_ID}${path}`, {
      method: 'POST',
      headers: { authorization: auth, 'x-apiversion': '6', accept: 'application/xml', 'content-type': 'application/json', ...headers },
      body,
    });

  test("an XML body, as the Ruby, Python and Java SDKs send it (dasherized, typed), is read like the Node SDK's JSON", async () => {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?><transaction><type>sale</type><amount>10.00</amount><payment-method-nonce>fake-valid-nonce</payment-method-nonce><options><submit-for-settlement type="boolean">true</submit-for-settlement></options></transaction>';
    const response = await send(body, { 'content-type': 'application/xml' });
    assert.equal(response.status, 201);
    const answer = readAnswer(await response.text());
    assert.equal(answer.kind === 'transaction' && answer.transaction.status, 'submitted_for_settlement');
    assert.deepEqual(emulator.violations, []);
  });

  test('a field the contract does not have, a wrong type, a missing X-ApiVersion or a body that is neither JSON nor XML is a recorded violation (HTTP 400)', async () => {
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      [JSON.stringify({ transaction: { type: 'sale', amount: '1.00', payment_method_nonce: 'fake-valid-nonce', colour: 'blue' } }), {}, /\/transaction\/colour/],
      [
        JSON.stringify({ transaction: { type: 'sale', amount: '1.00', payment_method_nonce: 'fake-valid-nonce', options: { submit_for_settlement: 'yes', three_d_secure: { required: [] } } } }),
        {},
        /\/transaction\/options\/three_d_secure\/required/,
      ],
      [JSON.stringify({ transaction: { type: 'sale', amount: '1.00', payment_method_nonce: 'fake-valid-nonce' } }), { 'x-apiversion': '' }, /X-ApiVersion/],
      ['type=sale&amount=1.00', { 'content-type': 'application/x-www-form-urlencoded' }, /neither application\/json nor application\/xml/],
      [JSON.stringify({ search: { order_id: { like: 'x' } } }), {}, /\/search\/order_id\/like/],
    ];
    for (const [body, headers, expected] of cases) {
      const before = emulator.violations.length;
      const response = await send(body, headers, body.includes('"search"') ? '/transactions/advanced_search_ids' : '/transactions');
      assert.equal(response.status, 400, body);
      assert.equal(emulator.violations.length, before + 1);
      assert.match(JSON.stringify(emulator.violations.at(-1)!.problems), expected);
    }
    emulator.violations.splice(0);
  });

  test("documented value rules are Braintree's own answers, not violations: amount required (81502), type required (91524); bad keys 401, an old API version 426", async () => {
    const missingAmount = await send(JSON.stringify({ transaction: { type: 'sale', payment_method_nonce: 'fake-valid-nonce' } }));
    assert.equal(missingAmount.status, 422);
    const error = readAnswer(await missingAmount.text());
    assert.deepEqual(error.kind === 'error' && error.codes, ['81502']);
    const missingType = readAnswer(await (await send(JSON.stringify({ transaction: { amount: '1.00', payment_method_nonce: 'fake-valid-nonce' } }))).text());
    assert.deepEqual(missingType.kind === 'error' && missingType.codes, ['91524']);
    assert.deepEqual(emulator.violations, []);
    assert.equal((await send('{}', { authorization: `Basic ${Buffer.from(`${BRAINTREE_PUBLIC_KEY}:nope`).toString('base64')}` })).status, 401);
    assert.equal((await send('{}', { 'x-apiversion': '3' })).status, 426);
    emulator.violations.splice(0);
  });
});

test("the demo emulator can take any Luhn-valid card (other gateways' test cards); the default, like the sandbox, refuses a non-test number", async () => {
  const lenient = await startBraintreeEmulator({ acceptAnyLuhnCard: true });
  const transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
  try {
    const connector = createBraintreeConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { BRAINTREE: lenient.url } });
    const outcome = await connector.authorize(braintreeAccount(), braintreeCardRequest({ txnId: `lenient-${Date.now()}` }, '4242424242424242'));
    assert.equal(outcome.kind, 'CHARGED');
    assert.equal(lenient.transaction(outcome.raw.gatewayTxnId!)!.card.cardType, 'Visa');
  } finally {
    await transport.close();
    await lenient.close();
  }
});
