// The Braintree connector's failure mapping against the Braintree emulator: every processor response
// code and gateway rejection through the status table (soft/hard, counted against Braintree or not),
// the sandbox's test amounts, the rule for unlisted codes, validation errors. The wire format, 3-D
// Secure, captures and refunds: braintree-connector.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { BraintreeEmulator } from '../../../emulators/braintree/braintree-emulator.ts';
import type { AuthorizeRequest } from '../../core/ports/connector.ts';
import { BRAINTREE_STATUS_TABLE, braintreeFailure } from './status-table.ts';
import { braintreeAccount, braintreeCardRequest, startBraintreeWireHarness, type BraintreeWireHarness } from './test-fixtures.ts';

describe('braintree connector: declines and rejections through the status table', () => {
  let h: BraintreeWireHarness;
  let emulator: BraintreeEmulator;
  let connector: BraintreeWireHarness['connector'];
  const req: BraintreeWireHarness['req'] = (overrides, number) => h.req(overrides, number);
  before(async () => {
    h = await startBraintreeWireHarness('map');
    ({ emulator, connector } = h);
  });
  after(() => h.stop());

  test("every listed processor decline maps through the table with Braintree's soft/hard label; a shopper's decline never counts against Braintree", async () => {
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
    for (const [code, failure] of [
      ['2000', 'SOFT_DECLINE'],
      ['2001', 'SOFT_DECLINE'],
      ['2004', 'HARD_DECLINE'],
      ['2005', 'HARD_DECLINE'],
      ['2038', 'SOFT_DECLINE'],
      ['2047', 'HARD_DECLINE'],
    ] as const) {
      assert.equal(BRAINTREE_STATUS_TABLE[code]!.failureClass, failure, code);
    }
    assert.equal(BRAINTREE_STATUS_TABLE['2001']!.retryable, false, 'another gateway will not find the money');
    assert.equal(BRAINTREE_STATUS_TABLE['3000']!.countsAgainstGateway, true);
    assert.equal(BRAINTREE_STATUS_TABLE['3000']!.retryable, true);
  });

  test("the sandbox's test amounts: 2001.00 declines with 2001 (soft, insufficient funds), 3000.00 fails with 3000 (technical, against Braintree)", async () => {
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
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 3999 }), (value) => {
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
      }),
      { numRuns: 300 },
    );
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

  test("validation errors (api-error-response) are VALIDATION_ERROR with Braintree's code: unknown, consumed and luhn-invalid nonces, a non-test card", async () => {
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
});
