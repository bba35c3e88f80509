// The Braintree connector against the Braintree emulator (which checks every request against a
// contract written from the official SDK's request building and Braintree's API reference): the
// shared conformance suite, the wire format, every processor response code and gateway rejection
// mapped through the status table, validation errors, 3-D Secure the way Braintree does it
// server-side (a verified nonce, options.three_d_secure.required), retries made safe by the order id.
// Webhooks: braintree-webhooks.test.ts; the XML reader and writer: xml.test.ts; what the emulator
// checks: braintree-emulator-contract.test.ts. The emulator itself is checked against Braintree's own
// SDK in braintree-sdk-oracle.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { startBraintreeEmulator, type BraintreeEmulator } from '../../../emulators/braintree/braintree-emulator.ts';
import { runConnectorConformance } from '../connector-conformance.ts';
import { createHttpTransport } from '../kit/transport.ts';
import { braintreeDefinition, createBraintreeConnector } from './braintree-connector.ts';
import { BRAINTREE_STATUS_TABLE } from './status-table.ts';
import { BRAINTREE_MERCHANT_ID, BRAINTREE_PRIVATE_KEY, BRAINTREE_PUBLIC_KEY, braintreeAccount, braintreeCardRequest, startBraintreeWireHarness, type BraintreeWireHarness } from './test-fixtures.ts';
import { fromBraintreeAmount, toBraintreeAmount } from './transformers.ts';
import { formRequest, withoutSignature } from './webhook-test-helpers.ts';

// 3-D Secure is not part of this harness: Braintree authenticates in its client SDK before the sale
// and has no redirect for the server to hand out (see docs/connectors/braintree.md); the wire tests
// below cover what the server does instead.
runConnectorConformance('braintree (emulator)', async () => {
  // The sandbox settles in a daily batch (the testing API settles on demand); here at once, so refunds are possible.
  const emulator = await startBraintreeEmulator({ settleAfterMs: 0 });
  const transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
  const connector = createBraintreeConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { BRAINTREE: emulator.url } });
  return {
    connector,
    account: braintreeAccount(),
    forceSuccess: () => emulator.declineNext(null),
    forceDecline: () => emulator.declineNext('2001'),
    cardRequest: (overrides) => braintreeCardRequest(overrides),
    signedPaymentWebhook: async (id) => formRequest(emulator.signedNotification('transaction_settled', id)),
    unsignedWebhook: withoutSignature,
    // The signed content is the base64 XML in bt_payload: change the amount inside it, keep the signature.
    tamperedWebhook: (signed) => {
      const form = new URLSearchParams(signed.rawBody);
      const xml = Buffer.from(form.get('bt_payload')!, 'base64').toString('utf8');
      const changed = xml.replace(/<amount>[^<]*<\/amount>/, '<amount>1.00</amount>');
      assert.notEqual(changed, xml, 'the payload names an amount');
      form.set('bt_payload', Buffer.from(changed).toString('base64'));
      return { headers: signed.headers, rawBody: form.toString(), body: Object.fromEntries(form) };
    },
    forceTimeout: () => emulator.stallNext(5_000, 1, '/transactions'),
    chargeCount: () => emulator.chargeCount(),
    close: async () => {
      assert.deepEqual(emulator.violations, [], 'every request the connector sent conforms to the contract');
      await transport.close();
      await emulator.close();
    },
  };
});

describe('braintree connector: wire details', () => {
  let h: BraintreeWireHarness;
  let emulator: BraintreeEmulator;
  let connector: BraintreeWireHarness['connector'];
  const req: BraintreeWireHarness['req'] = (overrides, number) => h.req(overrides, number);
  const sales = () => h.sales();
  before(async () => {
    h = await startBraintreeWireHarness('wire');
    ({ emulator, connector } = h);
  });
  after(() => h.stop());

  test('the request is what the official Node SDK sends: Basic keys, X-ApiVersion 6, JSON in, XML out, the sale in snake_case with a major-unit amount', async () => {
    const request = req({ amount: 12_345, captureMode: 'MANUAL' });
    assert.equal((await connector.authorize(braintreeAccount(), request)).kind, 'AUTHORIZED');
    const [search, sent] = emulator.requests.slice(-2);
    assert.equal(search!.path, `/merchants/${BRAINTREE_MERCHANT_ID}/transactions/advanced_search_ids`, 'an earlier attempt is looked for first');
    assert.deepEqual(search!.body, { search: { order_id: { is: request.txnId }, type: ['sale'] } });
    assert.equal(sent!.path, `/merchants/${BRAINTREE_MERCHANT_ID}/transactions`);
    assert.equal(sent!.headers.authorization, `Basic ${Buffer.from(`${BRAINTREE_PUBLIC_KEY}:${BRAINTREE_PRIVATE_KEY}`).toString('base64')}`);
    assert.equal(sent!.headers['x-apiversion'], '6');
    assert.equal(sent!.headers.accept, 'application/xml');
    assert.equal(sent!.headers['content-type'], 'application/json');
    assert.deepEqual(sent!.body, {
      transaction: {
        amount: '123.45',
        order_id: request.txnId,
        credit_card: { number: '4111111111111111', expiration_month: '12', expiration_year: '2031', cvv: '123', cardholder_name: 'A Shopper' },
        merchant_account_id: 'junction_usd',
        customer: { email: 'shopper@example.com' },
        options: { submit_for_settlement: false },
        type: 'sale',
      },
    });
  });

  test("amounts are exact major-unit strings for the currency's exponent, both ways (property)", () => {
    assert.equal(toBraintreeAmount(500, 'JPY'), '500');
    assert.equal(toBraintreeAmount(5, 'USD'), '0.05');
    assert.equal(toBraintreeAmount(1_234_567, 'BHD'), '1234.567');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.constantFrom('USD', 'JPY', 'BHD', 'INR', 'EUR'), (minor, currency) => {
        assert.equal(fromBraintreeAmount(toBraintreeAmount(minor, currency), currency), minor);
      }),
      { numRuns: 500 },
    );
    assert.equal(fromBraintreeAmount('10.001', 'USD'), null, 'more places than the currency has');
    assert.throws(() => toBraintreeAmount(1.5, 'USD'), RangeError);
  });

  test('a zero-decimal currency goes to its own merchant account as whole units', async () => {
    const outcome = await connector.authorize(braintreeAccount({ merchant_account_id: 'junction_jpy' }), req({ amount: 4_500, currency: 'JPY' }));
    assert.equal(outcome.kind, 'CHARGED');
    assert.equal((sales().at(-1)!.body!.transaction as Record<string, unknown>).amount, '4500');
    assert.equal(emulator.transaction(outcome.raw.gatewayTxnId!)!.currency, 'JPY');
  });

  test('an account whose merchant account charges another currency: the authorisation is voided and the payment FAILED', async () => {
    const outcome = await connector.authorize(braintreeAccount({ merchant_account_id: 'junction_eur' }), req({ currency: 'USD' }));
    assert.equal(outcome.kind, 'FAILED');
    if (outcome.kind !== 'FAILED') return;
    assert.equal(outcome.raw.code, 'currency_mismatch');
    assert.equal(emulator.transaction(outcome.raw.gatewayTxnId!)!.status, 'voided');
  });

  test('3-D Secure as Braintree does it: a verified nonce with three_d_secure.required; without a liability shift the sale is gateway_rejected three_d_secure', async () => {
    const passed = await connector.authorize(braintreeAccount(), req({ card: null, gatewayToken: 'fake-three-d-secure-visa-full-authentication-nonce', authType: 'THREE_DS' }));
    assert.equal(passed.kind, 'CHARGED');
    const sent = sales().at(-1)!.body!.transaction as Record<string, unknown>;
    assert.deepEqual(sent.options, { submit_for_settlement: true, three_d_secure: { required: true } });
    assert.equal(sent.payment_method_nonce, 'fake-three-d-secure-visa-full-authentication-nonce');
    assert.equal((passed.raw.body as Record<string, Record<string, unknown>>)['three-d-secure-info']!['liability-shifted'], true);
    // completeAuthentication has nothing to complete: it reads what Braintree holds.
    assert.equal((await connector.completeAuthentication(braintreeAccount(), passed.raw.gatewayTxnId!, {})).kind, 'CHARGED');

    for (const nonce of ['fake-three-d-secure-visa-failed-authentication-nonce', 'fake-three-d-secure-visa-not-enrolled-nonce', 'fake-valid-nonce']) {
      const outcome = await connector.authorize(braintreeAccount(), req({ card: null, gatewayToken: nonce, authType: 'THREE_DS_2' }));
      assert.equal(outcome.kind, 'FAILED', nonce);
      if (outcome.kind !== 'FAILED') continue;
      assert.equal(outcome.raw.code, 'gateway_rejected:three_d_secure');
      assert.equal(outcome.failure, 'AUTHENTICATION_FAILED');
    }
    // Without required, a failed 3-D Secure nonce is the merchant's risk (Braintree's default rules let it through).
    assert.equal((await connector.authorize(braintreeAccount(), req({ card: null, gatewayToken: 'fake-three-d-secure-visa-failed-authentication-nonce' }))).kind, 'CHARGED');

    const count = emulator.requests.length;
    const card = await connector.authorize(braintreeAccount(), req({ authType: 'THREE_DS' }));
    assert.equal(card.kind, 'FAILED');
    if (card.kind === 'FAILED') {
      assert.equal(card.raw.code, 'three_d_secure_nonce_required');
      assert.equal(BRAINTREE_STATUS_TABLE.three_d_secure_nonce_required!.retryable, true, 'a gateway that redirects for 3-D Secure may take it');
    }
    assert.equal(emulator.requests.length, count, 'a card number cannot be authenticated from the server: nothing is sent');
  });

  test('without full card permission nothing is sent; a nonce goes as payment_method_nonce', async () => {
    const count = emulator.requests.length;
    const refused = await connector.authorize(braintreeAccount({ raw_card_data_enabled: 'false' }), req());
    assert.equal(refused.kind === 'FAILED' && refused.raw.code, 'raw_card_data_not_enabled');
    assert.equal(emulator.requests.length, count);
    const outcome = await connector.authorize(braintreeAccount({ raw_card_data_enabled: 'false' }), req({ card: null, gatewayToken: 'fake-valid-mastercard-nonce' }));
    assert.equal(outcome.kind, 'CHARGED');
    const sent = sales().at(-1)!.body!.transaction as Record<string, unknown>;
    assert.equal(sent.payment_method_nonce, 'fake-valid-mastercard-nonce');
    assert.equal(sent.credit_card, undefined);
  });

  test('no card number or CVV in what we store: approved, declined and rejected answers', async () => {
    const card = { ...braintreeCardRequest().card!, cvv: '200' };
    for (const overrides of [{}, { amount: 200_000 }, { card }]) {
      const request = req(overrides);
      const outcome = await connector.authorize(braintreeAccount(), request);
      const stored = JSON.stringify(outcome);
      assert.ok(!stored.includes(request.card!.number), 'no card number');
      assert.ok(!/"cvv"\s*:/.test(stored), 'no CVV field');
      assert.ok(!stored.includes(`"${request.card!.cvv}"`), 'no CVV value');
    }
  });

  test('manual capture: partial, never above the authorisation; a capture or void whose answer was lost is read back as done', async () => {
    const auth = await connector.authorize(braintreeAccount(), req({ amount: 5_000, captureMode: 'MANUAL' }));
    const id = auth.raw.gatewayTxnId!;
    const tooMuch = await connector.capture(braintreeAccount(), id, 5_001, 'USD');
    assert.equal(tooMuch.kind === 'FAILURE' && tooMuch.raw.code, '91522');
    assert.equal((await connector.capture(braintreeAccount(), id, 3_000, 'USD')).kind, 'SUCCESS');
    const put = emulator.requests.at(-1)!;
    assert.equal(put.method, 'PUT');
    assert.equal(put.path, `/merchants/${BRAINTREE_MERCHANT_ID}/transactions/${id}/submit_for_settlement`);
    assert.deepEqual(put.body, { transaction: { amount: '30.00' } });
    assert.equal(emulator.transaction(id)!.amount, 3_000);
    assert.equal((await connector.capture(braintreeAccount(), id, 3_000, 'USD')).kind, 'SUCCESS', 'the same capture again: already done');
    const other = await connector.capture(braintreeAccount(), id, 2_000, 'USD');
    assert.equal(other.kind === 'FAILURE' && other.raw.code, '91507', 'another amount is not the same capture');

    const held = await connector.authorize(braintreeAccount(), req({ amount: 800, captureMode: 'MANUAL' }));
    assert.equal((await connector.void(braintreeAccount(), held.raw.gatewayTxnId!)).kind, 'SUCCESS');
    assert.equal((await connector.void(braintreeAccount(), held.raw.gatewayTxnId!)).kind, 'SUCCESS', 'voided already');
    assert.equal(
      emulator.requests.filter((r) => r.path.endsWith(`${held.raw.gatewayTxnId}/void`)).every((r) => r.body === null),
      true,
      'void has no body, as the SDK sends it',
    );
  });

  test('refunds: only a settled sale (Braintree: void before settlement), partial, a credit transaction of its own, and a retry finds the earlier refund', async () => {
    const sale = await connector.authorize(braintreeAccount(), req({ amount: 10_000 }));
    const id = sale.raw.gatewayTxnId!;
    const early = await connector.refund(braintreeAccount(), { refundId: `rf-early-${id}`, txnId: 'x', gatewayTxnId: id, amount: 1_000, currency: 'USD', idempotencyKey: 'k0' });
    assert.equal(early.kind, 'FAILURE');
    if (early.kind === 'FAILURE') {
      assert.equal(early.raw.code, '91506');
      assert.equal(early.unified.code, 'INVALID_STATE');
    }
    emulator.settle(id);
    const refund = await connector.refund(braintreeAccount(), { refundId: `rf-${id}`, txnId: 'x', gatewayTxnId: id, amount: 2_500, currency: 'USD', idempotencyKey: 'k1' });
    assert.equal(refund.kind, 'SUCCESS');
    if (refund.kind !== 'SUCCESS') return;
    const credit = emulator.transaction(refund.gatewayRefundId!)!;
    assert.equal(credit.type, 'credit');
    assert.equal(credit.refundedTransactionId, id);
    assert.equal(credit.orderId, `rf-${id}`);
    const posted = emulator.requests.filter((r) => r.path.endsWith(`${id}/refund`)).at(-1)!;
    assert.deepEqual(posted.body, { transaction: { amount: '25.00', order_id: `rf-${id}` } });
    const refundsBefore = emulator.requests.filter((r) => r.path.endsWith('/refund')).length;
    const again = await connector.refund(braintreeAccount(), { refundId: `rf-${id}`, txnId: 'x', gatewayTxnId: id, amount: 2_500, currency: 'USD', idempotencyKey: 'k1' });
    assert.equal(again.kind === 'SUCCESS' && again.gatewayRefundId, refund.gatewayRefundId);
    assert.equal(emulator.requests.filter((r) => r.path.endsWith('/refund')).length, refundsBefore, 'found, not refunded twice');
    const tooMuch = await connector.refund(braintreeAccount(), { refundId: `rf2-${id}`, txnId: 'x', gatewayTxnId: id, amount: 7_501, currency: 'USD', idempotencyKey: 'k2' });
    assert.equal(tooMuch.kind === 'FAILURE' && tooMuch.raw.code, '91521');
  });

  test('5xx on a sale is UNKNOWN, connection refused is GATEWAY_DOWN, a lost sale is found by our reference and a retry does not charge twice', async () => {
    emulator.failNext(500, 1, '/transactions');
    assert.equal((await connector.authorize(braintreeAccount(), req())).kind, 'UNKNOWN');
    await emulator.down();
    try {
      const outcome = await connector.authorize(braintreeAccount(), req());
      assert.equal(outcome.kind, 'FAILED');
      if (outcome.kind === 'FAILED') assert.equal(outcome.failure, 'GATEWAY_DOWN');
    } finally {
      await emulator.up();
    }
    const lost = req();
    const before = emulator.chargeCount();
    emulator.stallNext(5_000, 1, '/transactions');
    assert.equal((await connector.authorize(braintreeAccount(), lost)).kind, 'UNKNOWN');
    const synced = await connector.syncStatus(braintreeAccount(), lost.txnId);
    assert.equal(synced.kind, 'CHARGED');
    const retried = await connector.authorize(braintreeAccount(), lost);
    assert.equal(retried.raw.gatewayTxnId, synced.raw.gatewayTxnId);
    assert.equal(emulator.chargeCount(), before + 1);
    const never = await connector.syncStatus(braintreeAccount(), 'wire-never-sent');
    assert.equal(never.kind === 'FAILED' && never.unified.code, 'TRANSACTION_NOT_FOUND');
  });

  test('wrong keys are a technical failure against Braintree, not a decline', async () => {
    const outcome = await connector.authorize(braintreeAccount({ private_key: 'wrongprivatekey00000000000000000' }), req());
    // The search for an earlier attempt is refused first (401): with these keys nothing was ever created.
    assert.equal(outcome.kind, 'FAILED');
    if (outcome.kind === 'FAILED') {
      assert.equal(outcome.raw.code, 'HTTP_401');
      assert.equal(outcome.failure, 'TECHNICAL_ERROR');
    }
    const unknownMerchant = await connector.authorize(braintreeAccount({ merchant_id: 'nosuchmerchant' }), req());
    assert.equal(unknownMerchant.kind === 'FAILED' && unknownMerchant.raw.code, 'merchant_not_found');
    // A read that is refused tells nothing about the payment: unknown, never a failure of it.
    const sync = await connector.syncStatus(braintreeAccount({ private_key: 'wrongprivatekey00000000000000000' }), 'abcdefgh');
    assert.equal(sync.kind, 'UNKNOWN');
    assert.equal(sync.raw.code, 'HTTP_401');
    assert.equal(BRAINTREE_STATUS_TABLE.HTTP_401!.countsAgainstGateway, true);
  });
});

describe('braintree definition', () => {
  test("declares Braintree's credentials, gateway id 33 and what it can do", () => {
    assert.equal(braintreeDefinition.gatewayId, 33);
    assert.deepEqual(
      braintreeDefinition.credentials.map((c) => [c.name, c.required, c.secret]),
      [
        ['merchant_id', true, false],
        ['public_key', true, false],
        ['private_key', true, true],
        ['merchant_account_id', false, false],
        ['raw_card_data_enabled', false, false],
      ],
    );
    assert.deepEqual(braintreeDefinition.capabilities.captureModes, ['AUTO', 'MANUAL']);
    assert.equal(braintreeDefinition.capabilities.threeDSecure, true);
    assert.equal(braintreeDefinition.capabilities.currencies, 'ANY');
  });
});
