// The Braintree connector against the Braintree emulator (which checks every request against a
// contract written from the official SDK's request building and Braintree's API reference): the
// shared conformance suite, the wire format, every processor response code and gateway rejection
// mapped through the status table, validation errors, 3-D Secure the way Braintree does it
// server-side (a verified nonce, options.three_d_secure.required), retries made safe by the order id,
// webhooks, and the XML reader and writer. The emulator itself is checked against Braintree's own
// SDK in braintree-sdk-oracle.test.ts.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { BRAINTREE_EMULATOR_MERCHANT, startBraintreeEmulator, type BraintreeEmulator } from '../../../emulators/braintree/braintree-emulator.ts';
import { ConnectorError, type AuthorizeRequest, type IncomingHttpRequest } from '../../core/ports/connector.ts';
import { runConnectorConformance } from '../connector-conformance.ts';
import { createHttpTransport, type HttpTransport } from '../kit/transport.ts';
import { braintreeDefinition, createBraintreeConnector } from './braintree-connector.ts';
import { BRAINTREE_STATUS_TABLE, braintreeFailure } from './status-table.ts';
import { BRAINTREE_MERCHANT_ID, BRAINTREE_PRIVATE_KEY, BRAINTREE_PUBLIC_KEY, braintreeAccount, braintreeCardRequest } from './test-fixtures.ts';
import { fromBraintreeAmount, readAnswer, toBraintreeAmount } from './transformers.ts';
import { braintreeDigest, decodeNotification, parseBraintreeNotification, verifyBraintreeWebhook } from './webhooks.ts';
import { parseXml, readXmlDocument, writeXml, xml, xmlValue, XmlError } from './xml.ts';

function formRequest(signed: { headers: Record<string, string>; rawBody: string }): IncomingHttpRequest {
  return { headers: signed.headers, rawBody: signed.rawBody, body: Object.fromEntries(new URLSearchParams(signed.rawBody)) };
}

function withoutSignature(signed: IncomingHttpRequest): IncomingHttpRequest {
  const form = new URLSearchParams(signed.rawBody);
  form.delete('bt_signature');
  return { headers: signed.headers, rawBody: form.toString(), body: Object.fromEntries(form) };
}

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
  let emulator: BraintreeEmulator;
  let transport: HttpTransport;
  let connector: ReturnType<typeof createBraintreeConnector>;
  let n = 0;
  const req = (overrides: Partial<AuthorizeRequest> = {}, number?: string) => {
    n += 1;
    return braintreeCardRequest({ txnId: `wire-${n}-${Date.now().toString(36)}`, txnUuid: `uuid-wire-${n}`, idempotencyKey: `idem-wire-${n}`, ...overrides }, number);
  };
  const sales = () => emulator.requests.filter((r) => r.method === 'POST' && /\/transactions$/.test(r.path));
  before(async () => {
    emulator = await startBraintreeEmulator();
    transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
    connector = createBraintreeConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { BRAINTREE: emulator.url } });
  });
  after(async () => {
    assert.deepEqual(emulator.violations, [], 'every request the connector sent conforms to the contract');
    await transport.close();
    await emulator.close();
  });

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
        amount: '123.45', order_id: request.txnId, credit_card: { number: '4111111111111111', expiration_month: '12', expiration_year: '2031', cvv: '123', cardholder_name: 'A Shopper' },
        merchant_account_id: 'junction_usd', customer: { email: 'shopper@example.com' }, options: { submit_for_settlement: false }, type: 'sale',
      },
    });
  });

  test('amounts are exact major-unit strings for the currency\'s exponent, both ways (property)', () => {
    assert.equal(toBraintreeAmount(500, 'JPY'), '500');
    assert.equal(toBraintreeAmount(5, 'USD'), '0.05');
    assert.equal(toBraintreeAmount(1_234_567, 'BHD'), '1234.567');
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.constantFrom('USD', 'JPY', 'BHD', 'INR', 'EUR'), (minor, currency) => {
      assert.equal(fromBraintreeAmount(toBraintreeAmount(minor, currency), currency), minor);
    }), { numRuns: 500 });
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

  test('every listed processor decline maps through the table with Braintree\'s soft/hard label; a shopper\'s decline never counts against Braintree', async () => {
    for (const code of Object.keys(BRAINTREE_STATUS_TABLE).filter((c) => /^[23]\d{3}$/.test(c))) {
      emulator.declineNext(code);
      const outcome = await connector.authorize(braintreeAccount(), req());
      assert.equal(outcome.kind, 'FAILED', code);
      if (outcome.kind !== 'FAILED') continue;
      const row = BRAINTREE_STATUS_TABLE[code]!;
      assert.equal(outcome.raw.code, code);
      assert.equal(outcome.unified.code, row.unifiedCode, code);
      assert.equal(outcome.failure, row.failureClass, code);
      assert.ok(outcome.raw.gatewayTxnId, 'a decline still names the transaction');
    }
    for (const code of ['2000', '2001', '2004', '2005', '2010', '2012', '2013', '2014', '2046', '2047']) assert.equal(BRAINTREE_STATUS_TABLE[code]!.countsAgainstGateway, false, code);
    for (const [code, failure] of [['2000', 'SOFT_DECLINE'], ['2001', 'SOFT_DECLINE'], ['2004', 'HARD_DECLINE'], ['2005', 'HARD_DECLINE'], ['2038', 'SOFT_DECLINE'], ['2047', 'HARD_DECLINE']] as const) {
      assert.equal(BRAINTREE_STATUS_TABLE[code]!.failureClass, failure, code);
    }
    assert.equal(BRAINTREE_STATUS_TABLE['2001']!.retryable, false, 'another gateway will not find the money');
    assert.equal(BRAINTREE_STATUS_TABLE['3000']!.countsAgainstGateway, true);
    assert.equal(BRAINTREE_STATUS_TABLE['3000']!.retryable, true);
  });

  test('the sandbox\'s test amounts: 2001.00 declines with 2001 (soft, insufficient funds), 3000.00 fails with 3000 (technical, against Braintree)', async () => {
    const declined = await connector.authorize(braintreeAccount(), req({ amount: 200_100 }));
    assert.equal(declined.kind, 'FAILED');
    if (declined.kind === 'FAILED') {
      assert.equal(declined.raw.code, '2001');
      assert.equal(declined.unified.code, 'INSUFFICIENT_FUNDS');
      assert.equal(declined.failure, 'SOFT_DECLINE');
      assert.equal((declined.raw.body as Record<string, unknown>)['processor-response-type'], 'soft_declined');
    }
    const failed = await connector.authorize(braintreeAccount(), req({ amount: 300_000 }));
    assert.equal(failed.kind, 'FAILED');
    if (failed.kind === 'FAILED') {
      assert.equal(failed.raw.code, '3000');
      assert.equal(failed.failure, 'TECHNICAL_ERROR');
      assert.equal(emulator.transaction(failed.raw.gatewayTxnId!)!.status, 'failed');
    }
  });

  test('unlisted codes take their range: 2xxx soft, 3xxx technical and against Braintree, validation codes invalid request (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 2000, max: 3999 }), (value) => {
      const code = String(value);
      if (BRAINTREE_STATUS_TABLE[code]) return;
      const entry = connector.classifyUnlisted!(code)!;
      if (code.startsWith('2')) {
        assert.equal(entry.failureClass, 'SOFT_DECLINE');
        assert.equal(entry.countsAgainstGateway, false);
      } else {
        assert.equal(entry.failureClass, 'TECHNICAL_ERROR');
        assert.equal(entry.countsAgainstGateway, true);
      }
    }), { numRuns: 300 });
    assert.equal(connector.classifyUnlisted!('91599')?.failureClass, 'VALIDATION_ERROR');
    assert.equal(connector.classifyUnlisted!('gateway_rejected:something_new'), undefined, 'no rule for new rejection reasons');
    assert.equal(braintreeFailure('gateway_rejected:something_new').failureClass, 'HARD_DECLINE');
  });

  test('gateway rejections: CVV 200 and 201, the fraud and risk threshold cards, duplicate checking, each mapped and never against Braintree', async () => {
    const cases: Array<[Partial<AuthorizeRequest>, string | undefined, string, string]> = [
      [{ card: { ...braintreeCardRequest().card!, cvv: '200' } }, undefined, 'gateway_rejected:cvv', 'CVV_MISMATCH'],
      [{ card: { ...braintreeCardRequest().card!, cvv: '201' } }, undefined, 'gateway_rejected:cvv', 'CVV_MISMATCH'],
      [{}, '4000111111111511', 'gateway_rejected:fraud', 'RESTRICTED_CARD'],
      [{}, '4111130000000003', 'gateway_rejected:risk_threshold', 'RESTRICTED_CARD'],
    ];
    for (const [overrides, number, code, unified] of cases) {
      const base = req(overrides, number);
      const outcome = await connector.authorize(braintreeAccount(), number ? { ...base, card: { ...base.card!, number, bin: number.slice(0, 6), last4: number.slice(-4) } } : base);
      assert.equal(outcome.kind, 'FAILED', code);
      if (outcome.kind !== 'FAILED') continue;
      assert.equal(outcome.raw.code, code);
      assert.equal(outcome.unified.code, unified);
      assert.equal(BRAINTREE_STATUS_TABLE[code]!.countsAgainstGateway, false);
    }
    emulator.duplicateChecking(60_000);
    const first = await connector.authorize(braintreeAccount(), req({ amount: 7_777, card: { ...braintreeCardRequest().card!, number: '5555555555554444' } }));
    assert.equal(first.kind, 'CHARGED');
    const duplicate = await connector.authorize(braintreeAccount(), req({ amount: 7_777, card: { ...braintreeCardRequest().card!, number: '5555555555554444' } }));
    assert.equal(duplicate.kind, 'FAILED');
    if (duplicate.kind === 'FAILED') {
      assert.equal(duplicate.raw.code, 'gateway_rejected:duplicate');
      assert.equal(BRAINTREE_STATUS_TABLE[duplicate.raw.code]!.retryable, false, 'a duplicate is never tried elsewhere');
    }
    emulator.duplicateChecking(null);
  });

  test('validation errors (api-error-response) are VALIDATION_ERROR with Braintree\'s code: unknown, consumed and luhn-invalid nonces, a non-test card', async () => {
    const cases: Array<[Partial<AuthorizeRequest>, string]> = [
      [{ card: null, gatewayToken: 'tokencc_unknown_nonce_0001' }, '91565'],
      [{ card: null, gatewayToken: 'fake-consumed-nonce' }, '91564'],
      [{ card: null, gatewayToken: 'fake-luhn-invalid-nonce' }, '81715'],
      [{ card: { ...braintreeCardRequest().card!, number: '4242424242424242' } }, '81717'],
    ];
    for (const [overrides, code] of cases) {
      const outcome = await connector.authorize(braintreeAccount(), req(overrides));
      assert.equal(outcome.kind, 'FAILED', code);
      if (outcome.kind !== 'FAILED') continue;
      assert.equal(outcome.raw.code, code);
      assert.equal(outcome.failure, 'VALIDATION_ERROR');
      assert.equal(outcome.raw.gatewayTxnId, null, 'nothing was created');
    }
    const nonce = emulator.createNonce('4111111111111111');
    assert.equal((await connector.authorize(braintreeAccount(), req({ card: null, gatewayToken: nonce }))).kind, 'CHARGED');
    const again = await connector.authorize(braintreeAccount(), req({ card: null, gatewayToken: nonce }));
    assert.equal(again.kind === 'FAILED' && again.raw.code, '91564', 'a nonce is single-use');
  });

  test('3-D Secure as Braintree does it: a verified nonce with three_d_secure.required; without a liability shift the sale is gateway_rejected three_d_secure', async () => {
    const passed = await connector.authorize(braintreeAccount(), req({ card: null, gatewayToken: 'fake-three-d-secure-visa-full-authentication-nonce', authType: 'THREE_DS' }));
    assert.equal(passed.kind, 'CHARGED');
    const sent = sales().at(-1)!.body!.transaction as Record<string, unknown>;
    assert.deepEqual(sent.options, { submit_for_settlement: true, three_d_secure: { required: true } });
    assert.equal(sent.payment_method_nonce, 'fake-three-d-secure-visa-full-authentication-nonce');
    assert.equal(((passed.raw.body as Record<string, Record<string, unknown>>)['three-d-secure-info'])!['liability-shifted'], true);
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
    assert.equal(emulator.requests.filter((r) => r.path.endsWith(`${held.raw.gatewayTxnId}/void`)).every((r) => r.body === null), true, 'void has no body, as the SDK sends it');
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
    fetch(`${emulator.url}/merchants/${BRAINTREE_MERCHANT_ID}${path}`, { method: 'POST', headers: { authorization: auth, 'x-apiversion': '6', accept: 'application/xml', 'content-type': 'application/json', ...headers }, body });

  test('an XML body, as the Ruby, Python and Java SDKs send it (dasherized, typed), is read like the Node SDK\'s JSON', async () => {
    const body = '<?xml version="1.0" encoding="UTF-8"?><transaction><type>sale</type><amount>10.00</amount><payment-method-nonce>fake-valid-nonce</payment-method-nonce><options><submit-for-settlement type="boolean">true</submit-for-settlement></options></transaction>';
    const response = await send(body, { 'content-type': 'application/xml' });
    assert.equal(response.status, 201);
    const answer = readAnswer(await response.text());
    assert.equal(answer.kind === 'transaction' && answer.transaction.status, 'submitted_for_settlement');
    assert.deepEqual(emulator.violations, []);
  });

  test('a field the contract does not have, a wrong type, a missing X-ApiVersion or a body that is neither JSON nor XML is a recorded violation (HTTP 400)', async () => {
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      [JSON.stringify({ transaction: { type: 'sale', amount: '1.00', payment_method_nonce: 'fake-valid-nonce', colour: 'blue' } }), {}, /\/transaction\/colour/],
      [JSON.stringify({ transaction: { type: 'sale', amount: '1.00', payment_method_nonce: 'fake-valid-nonce', options: { submit_for_settlement: 'yes', three_d_secure: { required: [] } } } }), {}, /\/transaction\/options\/three_d_secure\/required/],
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

  test('documented value rules are Braintree\'s own answers, not violations: amount required (81502), type required (91524); bad keys 401, an old API version 426', async () => {
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

test('the demo emulator can take any Luhn-valid card (other gateways\' test cards); the default, like the sandbox, refuses a non-test number', async () => {
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

describe('braintree webhooks', () => {
  let emulator: BraintreeEmulator;
  let transport: HttpTransport;
  let connector: ReturnType<typeof createBraintreeConnector>;
  const second = { publicKey: 'junctionpublickey2', privateKey: 'junctionprivatekey0000000000000002' };
  before(async () => {
    emulator = await startBraintreeEmulator({ merchants: [{ ...BRAINTREE_EMULATOR_MERCHANT, keys: [...BRAINTREE_EMULATOR_MERCHANT.keys, second] }] });
    transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
    connector = createBraintreeConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { BRAINTREE: emulator.url } });
  });
  after(async () => {
    await transport.close();
    await emulator.close();
  });

  test('a settlement notification is signed with every key of the gateway; each key verifies its own pair; the event id repeats on redelivery', async () => {
    const sale = await connector.authorize(braintreeAccount(), braintreeCardRequest({ txnId: `wh-${Date.now()}` }));
    emulator.settle(sale.raw.gatewayTxnId!);
    const record = emulator.events.find((e) => e.kind === 'transaction_settled' && e.subjectId === sale.raw.gatewayTxnId)!;
    const signed = formRequest(emulator.signRecord(record));
    assert.equal((signed.body as Record<string, string>).bt_signature.split('&').length, 2);
    const parsed = await connector.parseWebhook(braintreeAccount(), signed);
    assert.equal(parsed.kind, 'PAYMENT');
    if (parsed.kind !== 'PAYMENT') return;
    assert.equal(parsed.gatewayTxnId, sale.raw.gatewayTxnId);
    assert.equal(parsed.outcome.kind, 'CHARGED');
    const withSecond = await connector.parseWebhook(braintreeAccount({ public_key: second.publicKey, private_key: second.privateKey }), signed);
    assert.equal(withSecond.kind === 'PAYMENT' && withSecond.eventId, parsed.eventId);
    const redelivered = await connector.parseWebhook(braintreeAccount(), formRequest(emulator.signRecord(record)));
    assert.equal(redelivered.kind === 'PAYMENT' && redelivered.eventId, parsed.eventId);
  });

  test('a registered URL receives the signed form when a transaction settles, and it verifies', async () => {
    const received: Array<{ contentType: string; body: string }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ contentType: String(req.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      emulator.addWebhookEndpoint(BRAINTREE_MERCHANT_ID, `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
      const sale = await connector.authorize(braintreeAccount(), braintreeCardRequest({ txnId: `wh-url-${Date.now()}` }));
      emulator.settle(sale.raw.gatewayTxnId!);
      for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(received.length, 1);
      assert.equal(received[0]!.contentType, 'application/x-www-form-urlencoded');
      const parsed = await connector.parseWebhook(braintreeAccount(), { headers: {}, rawBody: received[0]!.body, body: null });
      assert.equal(parsed.kind === 'PAYMENT' && parsed.gatewayTxnId, sale.raw.gatewayTxnId);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('the fields are read wherever the HTTP layer put them: the raw form, or the JSON echo of a parsed form', async () => {
    const sale = await connector.authorize(braintreeAccount(), braintreeCardRequest({ txnId: `wh2-${Date.now()}` }));
    const signed = emulator.signedNotification('transaction_settled', sale.raw.gatewayTxnId!);
    const asJson = { headers: {}, rawBody: JSON.stringify(signed.fields), body: signed.fields };
    assert.equal((await connector.parseWebhook(braintreeAccount(), asJson)).kind, 'PAYMENT');
    assert.equal((await connector.parseWebhook(braintreeAccount(), { headers: {}, rawBody: signed.rawBody, body: null })).kind, 'PAYMENT');
  });

  test('tampering, a missing or foreign signature, or a payload that is not base64 are refused as SIGNATURE', async () => {
    const sale = await connector.authorize(braintreeAccount(), braintreeCardRequest({ txnId: `wh3-${Date.now()}` }));
    const { fields } = emulator.signedNotification('transaction_settled', sale.raw.gatewayTxnId!);
    const xmlText = Buffer.from(fields.bt_payload, 'base64').toString('utf8');
    const tamperedPayload = Buffer.from(xmlText.replace('<amount>100.00</amount>', '<amount>1.00</amount>')).toString('base64');
    assert.notEqual(tamperedPayload, fields.bt_payload.replace(/\n/g, ''));
    const cases: Array<[string, Record<string, string>]> = [
      ['tampered payload', { ...fields, bt_payload: tamperedPayload }],
      ['no signature', { bt_payload: fields.bt_payload, bt_signature: '' }],
      ['foreign public key only', { ...fields, bt_signature: fields.bt_signature.split('&').map((pair) => `someoneelse${pair.slice(pair.indexOf('|'))}`).join('&') }],
      ['illegal characters', { ...fields, bt_payload: `${fields.bt_payload}<x>` }],
      ['our key, another payload\'s signature', { ...fields, bt_signature: `${BRAINTREE_PUBLIC_KEY}|${braintreeDigest(BRAINTREE_PRIVATE_KEY, 'another payload')}` }],
    ];
    for (const [label, body] of cases) {
      await assert.rejects(connector.parseWebhook(braintreeAccount(), { headers: {}, rawBody: JSON.stringify(body), body }), (error: unknown) => error instanceof ConnectorError && error.kind === 'SIGNATURE', label);
    }
    // The SDK also accepts a signature of the payload with a trailing newline.
    const stripped = fields.bt_payload.replace(/\n$/, '');
    const withNewline = { bt_payload: stripped, bt_signature: `${BRAINTREE_PUBLIC_KEY}|${braintreeDigest(BRAINTREE_PRIVATE_KEY, `${stripped}\n`)}` };
    assert.equal(verifyBraintreeWebhook({ headers: {}, rawBody: JSON.stringify(withNewline), body: withNewline }, BRAINTREE_PUBLIC_KEY, BRAINTREE_PRIVATE_KEY), stripped);
  });

  test('kinds: settlement declined is FAILED, disbursed is CHARGED, a settled credit is its refund, check and others are ignored', async () => {
    const sale = await connector.authorize(braintreeAccount(), braintreeCardRequest({ txnId: `wh4-${Date.now()}` }));
    const id = sale.raw.gatewayTxnId!;
    const parse = async (kind: string, subject: string | null) => connector.parseWebhook(braintreeAccount(), formRequest(emulator.signedNotification(kind, subject)));
    const declined = await parse('transaction_settlement_declined', id);
    assert.equal(declined.kind === 'PAYMENT' && declined.outcome.kind, 'FAILED');
    if (declined.kind === 'PAYMENT' && declined.outcome.kind === 'FAILED') assert.equal(declined.outcome.raw.code, 'settlement_declined');
    const disbursed = await parse('transaction_disbursed', id);
    assert.equal(disbursed.kind === 'PAYMENT' && disbursed.outcome.kind, 'CHARGED');
    emulator.settle(id);
    const refund = await connector.refund(braintreeAccount(), { refundId: `rf-wh-${id}`, txnId: 'x', gatewayTxnId: id, amount: 1_000, currency: 'USD', idempotencyKey: 'k' });
    assert.equal(refund.kind, 'SUCCESS');
    const creditId = refund.kind === 'SUCCESS' ? refund.gatewayRefundId! : '';
    const settledCredit = await parse('transaction_settled', creditId);
    assert.equal(settledCredit.kind, 'REFUND');
    if (settledCredit.kind === 'REFUND') {
      assert.equal(settledCredit.refundId, `rf-wh-${id}`);
      assert.equal(settledCredit.gatewayRefundId, creditId);
      assert.equal(settledCredit.outcome.kind, 'SUCCESS');
    }
    assert.equal((await parse('check', null)).kind, 'IGNORED');
  });

  test('a notification that is not XML or not a <notification> is a PROTOCOL error, after the signature passed', () => {
    const payload = Buffer.from('<!DOCTYPE x [<!ENTITY a "b">]><notification/>').toString('base64');
    assert.throws(() => decodeNotification(payload), (error: unknown) => error instanceof ConnectorError && error.kind === 'PROTOCOL');
    assert.throws(() => decodeNotification(Buffer.from('<transaction><id>x</id></transaction>').toString('base64')), (error: unknown) => error instanceof ConnectorError && error.kind === 'PROTOCOL');
    const ignored = parseBraintreeNotification(decodeNotification(Buffer.from('<notification><kind>subscription_went_active</kind><timestamp type="datetime">2026-01-01T00:00:00Z</timestamp><subject><subscription><id>s1</id></subscription></subject></notification>').toString('base64')));
    assert.equal(ignored.kind, 'IGNORED');
  });
});

describe('the XML reader and writer', () => {
  test('reads typed values the way the SDK does: nil, integer, boolean, array, collection, repeated elements', () => {
    const document = `<?xml version="1.0" encoding="UTF-8"?>
<credit-card-transactions type="collection">
  <page-size type="integer">50</page-size>
  <transaction><id>a1</id><status>settled</status><amount>10.00</amount><refund-ids type="array"><item>c1</item><item>c2</item></refund-ids><tax-exempt type="boolean">false</tax-exempt><order-id nil="true"/></transaction>
  <transaction><id>a2</id><status>voided</status><refund-ids type="array"/></transaction>
</credit-card-transactions>`;
    const { root, value } = readXmlDocument(document);
    assert.equal(root, 'credit-card-transactions');
    assert.deepEqual(value, {
      'page-size': 50,
      transaction: [
        { id: 'a1', status: 'settled', amount: '10.00', 'refund-ids': ['c1', 'c2'], 'tax-exempt': false, 'order-id': null },
        { id: 'a2', status: 'voided', 'refund-ids': [] },
      ],
    });
    const answer = readAnswer(document);
    assert.equal(answer.kind === 'transactions' && answer.transactions.length, 2);
  });

  test('entities and character references are decoded; an element named __proto__ is plain data', () => {
    const value = xmlValue(parseXml('<a><b>&lt;x&gt; &amp; &quot;y&quot; &apos;z&apos; &#233;&#x41;</b><__proto__><polluted>yes</polluted></__proto__></a>')) as Record<string, unknown>;
    assert.equal(value.b, '<x> & "y" \'z\' éA');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys(value), ['b', '__proto__']);
  });

  test('refuses what a Braintree answer never holds: DOCTYPE and entities, mismatched or unclosed tags, mixed content, stray ampersands, bad typed values, two roots', () => {
    for (const bad of [
      '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>', '<a><b></a></b>', '<a><b>', '<a>text<b/></a>', '<a>AT&T</a>', '<a>&nbsp;</a>',
      '<a type="integer">1.5</a>', '<a type="boolean">yes</a>', '<a/><b/>', '<a x="1" x="2"/>', '<?php echo 1; ?><a/>', '',
    ]) {
      assert.throws(() => xmlValue(parseXml(bad)), XmlError, bad);
    }
    assert.equal(readAnswer('<html>oops</html>').kind, 'unreadable');
    assert.equal(readAnswer('not xml').kind, 'unreadable');
  });

  test('whatever text is written is read back unchanged (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }).filter((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/.test(s) && s.trim() === s && s !== ''), (text) => {
      const written = writeXml(xml.obj('root', [xml.str('text', text), xml.int('n', 42), xml.bool('b', true), xml.nil('none'), xml.array('list', [xml.str('item', text)])]));
      assert.deepEqual(readXmlDocument(written).value, { text, n: 42, b: true, none: null, list: [text] });
    }), { numRuns: 300 });
  });
});

describe('braintree definition', () => {
  test('declares Braintree\'s credentials, gateway id 33 and what it can do', () => {
    assert.equal(braintreeDefinition.gatewayId, 33);
    assert.deepEqual(braintreeDefinition.credentials.map((c) => [c.name, c.required, c.secret]), [
      ['merchant_id', true, false], ['public_key', true, false], ['private_key', true, true], ['merchant_account_id', false, false], ['raw_card_data_enabled', false, false],
    ]);
    assert.deepEqual(braintreeDefinition.capabilities.captureModes, ['AUTO', 'MANUAL']);
    assert.equal(braintreeDefinition.capabilities.threeDSecure, true);
    assert.equal(braintreeDefinition.capabilities.currencies, 'ANY');
  });
});
