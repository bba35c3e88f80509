// The PayPal connector's error mapping against the PayPal emulator: every documented processor
// response code and issue, on every operation we call, through the status table (the rest:
// paypal-connector.test.ts).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { documentedIssues, documentedProcessorCodes } from '../../../emulators/paypal/contract.ts';
import type { PayPalEmulator } from '../../../emulators/paypal/paypal-emulator.ts';
import type { ConnectorAccount } from '../../core/ports/connector.ts';
import type { createPayPalConnector } from './paypal-connector.ts';
import { PAYPAL_STATUS_TABLE, paypalFailure } from './status-table.ts';
import { usePayPalWire } from './emulator-test-helpers.ts';
import { clickOnPayPalPage } from './test-fixtures.ts';

describe('paypal connector: wire details', () => {
  let emulator: PayPalEmulator;
  let connector: ReturnType<typeof createPayPalConnector>;
  let account: ConnectorAccount;
  const { wire, card, wallet } = usePayPalWire();
  before(() => ({ emulator, connector, account } = wire()));

  test("every documented card processor response code maps through the table; a shopper's or issuer's decline never counts against PayPal", async () => {
    const codes = documentedProcessorCodes().filter((code) => code !== '0000');
    assert.ok(codes.length > 140);
    for (const code of codes) {
      emulator.declineNext(code);
      const outcome = await connector.authorize(account, card());
      assert.equal(outcome.kind, 'FAILED', code);
      if (outcome.kind !== 'FAILED') continue;
      assert.equal(outcome.raw.code, code);
      assert.equal(outcome.unified.code, PAYPAL_STATUS_TABLE[code]!.unifiedCode, code);
      assert.equal(outcome.failure, PAYPAL_STATUS_TABLE[code]!.failureClass, code);
      assert.match(outcome.raw.message, /DECLINED/);
    }
    for (const code of ['0500', '5120', '5400', '9500', '9520', '00N7', '5110']) assert.equal(PAYPAL_STATUS_TABLE[code]!.countsAgainstGateway, false, code);
    assert.equal(PAYPAL_STATUS_TABLE['0500']!.unifiedCode, 'DO_NOT_HONOUR');
    assert.equal(PAYPAL_STATUS_TABLE['5400']!.unifiedCode, 'CARD_EXPIRED');
    assert.equal(PAYPAL_STATUS_TABLE['5120']!.unifiedCode, 'INSUFFICIENT_FUNDS');
    assert.equal(PAYPAL_STATUS_TABLE['9500']!.failureClass, 'HARD_DECLINE');
    assert.equal(PAYPAL_STATUS_TABLE['8000']!.countsAgainstGateway, true);
  });

  test('a manual-capture card decline is a DENIED authorization with its processor code', async () => {
    emulator.declineNext('5400');
    const outcome = await connector.authorize(account, card({ captureMode: 'MANUAL' }));
    assert.equal(outcome.kind, 'FAILED');
    if (outcome.kind === 'FAILED') {
      assert.equal(outcome.raw.code, '5400');
      assert.equal(outcome.unified.code, 'CARD_EXPIRED');
    }
  });

  test('every documented issue of creating an order (422) maps through the table to its unified code', async () => {
    for (const issue of documentedIssues('orders.create', 422)) {
      emulator.declineNext(issue, 'orders.create');
      const outcome = await connector.authorize(account, card());
      assert.equal(outcome.kind, 'FAILED', issue);
      if (outcome.kind !== 'FAILED') continue;
      assert.equal(outcome.raw.code, issue);
      assert.equal(outcome.unified.code, paypalFailure(issue).unifiedCode, issue);
      assert.equal(outcome.failure, paypalFailure(issue).failureClass, issue);
      assert.ok(PAYPAL_STATUS_TABLE[issue], `${issue} has its own row`);
    }
    const declines = {
      INSTRUMENT_DECLINED: 'GENERIC_DECLINE',
      TRANSACTION_REFUSED: 'GENERIC_DECLINE',
      PAYER_CANNOT_PAY: 'RESTRICTED_CARD',
      CARD_EXPIRED: 'CARD_EXPIRED',
      DUPLICATE_INVOICE_ID: 'INVALID_STATE',
    } as const;
    for (const [issue, unified] of Object.entries(declines)) assert.equal(PAYPAL_STATUS_TABLE[issue]!.unifiedCode, unified, issue);
    assert.equal(PAYPAL_STATUS_TABLE.DUPLICATE_INVOICE_ID!.retryable, false, 'a duplicate may already be paid: never retried elsewhere');
  });

  test('every documented issue of completing an approved order (capture, authorize) maps through the table', async () => {
    for (const [operation, mode] of [
      ['orders.capture', 'AUTO'],
      ['orders.authorize', 'MANUAL'],
    ] as const) {
      for (const issue of documentedIssues(operation, 422)) {
        const pending = await connector.authorize(account, wallet({ captureMode: mode }));
        if (pending.kind !== 'PENDING_AUTHENTICATION') return assert.fail('expected a redirect');
        const back = await clickOnPayPalPage(pending.authentication.url, 'approve');
        emulator.declineNext(issue, operation);
        const outcome = await connector.completeAuthentication(account, pending.raw.gatewayTxnId!, back.params);
        assert.equal(outcome.kind, 'FAILED', `${operation} ${issue}`);
        if (outcome.kind !== 'FAILED') continue;
        assert.equal(outcome.raw.code, issue);
        assert.equal(outcome.raw.gatewayTxnId, pending.raw.gatewayTxnId);
        assert.equal(outcome.unified.code, paypalFailure(issue).unifiedCode, issue);
        assert.ok(PAYPAL_STATUS_TABLE[issue], `${issue} has its own row`);
      }
    }
    assert.equal(PAYPAL_STATUS_TABLE.INSTRUMENT_DECLINED!.failureClass, 'SOFT_DECLINE');
    assert.equal(PAYPAL_STATUS_TABLE.ORDER_NOT_APPROVED!.unifiedCode, 'USER_DROPPED');
    assert.equal(PAYPAL_STATUS_TABLE.PAYER_ACTION_REQUIRED!.failureClass, 'AUTHENTICATION_FAILED');
  });

  test('every documented issue of capturing, voiding and refunding maps to a FAILURE with its unified code', async () => {
    const authorized = async () => {
      const outcome = await connector.authorize(account, card({ captureMode: 'MANUAL' }));
      assert.equal(outcome.kind, 'AUTHORIZED');
      return outcome.raw.gatewayTxnId!;
    };
    for (const issue of documentedIssues('authorizations.capture', 422)) {
      const id = await authorized();
      emulator.declineNext(issue, 'authorizations.capture');
      const outcome = await connector.capture(account, id, 1_000, 'USD', `c-${id}`);
      assert.equal(outcome.kind, 'FAILURE', issue);
      assert.equal(outcome.raw.code, issue);
      if (outcome.kind === 'FAILURE') assert.equal(outcome.unified.code, paypalFailure(issue).unifiedCode, issue);
    }
    for (const issue of documentedIssues('authorizations.void', 422).filter((i) => i !== 'PREVIOUSLY_VOIDED')) {
      const id = await authorized();
      emulator.declineNext(issue, 'authorizations.void');
      const outcome = await connector.void(account, id, `v-${id}`);
      assert.equal(outcome.kind, 'FAILURE', issue);
      if (outcome.kind === 'FAILURE') assert.equal(outcome.unified.code, 'INVALID_STATE', issue);
    }
    for (const issue of documentedIssues('captures.refund', 422)) {
      const charged = await connector.authorize(account, card());
      emulator.declineNext(issue, 'captures.refund');
      const outcome = await connector.refund(account, {
        refundId: `r-${issue}`,
        txnId: 'x',
        gatewayTxnId: charged.raw.gatewayTxnId!,
        amount: 100,
        currency: 'USD',
        idempotencyKey: `r-${issue}-${charged.raw.gatewayTxnId}`,
      });
      assert.equal(outcome.kind, 'FAILURE', issue);
      assert.equal(outcome.raw.code, issue);
      if (outcome.kind === 'FAILURE') assert.equal(outcome.unified.code, paypalFailure(issue).unifiedCode, issue);
    }
  });

  test('every issue PayPal documents for the operations we call has a row; unlisted codes take the rule', () => {
    const operations: Array<[string, number[]]> = [
      ['orders.create', [400, 401, 422]],
      ['orders.get', [401, 404]],
      ['orders.authorize', [400, 401, 403, 404, 422]],
      ['orders.capture', [400, 401, 403, 404, 422]],
      ['authorizations.get', [401, 403, 404]],
      ['authorizations.capture', [400, 401, 403, 404, 422]],
      ['authorizations.void', [400, 401, 403, 404, 409, 422]],
      ['captures.get', [401, 403, 404]],
      ['captures.refund', [400, 401, 403, 404, 409, 422]],
    ];
    const missing = operations.flatMap(([op, statuses]) => statuses.flatMap((s) => documentedIssues(op, s))).filter((issue) => !PAYPAL_STATUS_TABLE[issue]);
    assert.deepEqual([...new Set(missing)], []);
    assert.equal(connector.classifyUnlisted!('ZZ99')?.failureClass, 'SOFT_DECLINE');
    assert.equal(connector.classifyUnlisted!('SOME_NEW_ISSUE')?.failureClass, 'VALIDATION_ERROR');
    assert.equal(connector.classifyUnlisted!('not a paypal code'), undefined);
  });
});
