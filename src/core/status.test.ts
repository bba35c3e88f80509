import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from './errors.ts';
import {
  allOrderStatuses,
  allTxnStatuses,
  assertOrderTransition,
  assertTxnTransition,
  isOrderTransitionAllowed,
  isTxnTransitionAllowed,
  ORDER_CLOSED_STATUSES,
  STATUS_ID,
  TERMINAL_TXN_STATUSES,
  UNSETTLED_TXN_STATUSES,
} from './status.ts';

test("status ids are Juspay's", () => {
  assert.deepEqual(
    {
      NEW: STATUS_ID.NEW,
      CHARGED: STATUS_ID.CHARGED,
      JUSPAY_DECLINED: STATUS_ID.JUSPAY_DECLINED,
      PENDING_VBV: STATUS_ID.PENDING_VBV,
      AUTHORIZED: STATUS_ID.AUTHORIZED,
      AUTHENTICATION_FAILED: STATUS_ID.AUTHENTICATION_FAILED,
      AUTHORIZATION_FAILED: STATUS_ID.AUTHORIZATION_FAILED,
      AUTHORIZING: STATUS_ID.AUTHORIZING,
      VOIDED: STATUS_ID.VOIDED,
      AUTO_REFUNDED: STATUS_ID.AUTO_REFUNDED,
      NOT_FOUND: STATUS_ID.NOT_FOUND,
    },
    { NEW: 10, CHARGED: 21, JUSPAY_DECLINED: 22, PENDING_VBV: 23, AUTHORIZED: 25, AUTHENTICATION_FAILED: 26, AUTHORIZATION_FAILED: 27, AUTHORIZING: 28, VOIDED: 31, AUTO_REFUNDED: 36, NOT_FOUND: 40 },
  );
});

test('the happy paths are legal', () => {
  for (const [from, to] of [
    ['STARTED', 'CHARGED'],
    ['STARTED', 'PENDING_VBV'],
    ['PENDING_VBV', 'CHARGED'],
    ['PENDING_VBV', 'AUTHENTICATION_FAILED'],
    ['STARTED', 'AUTHORIZING'],
    ['AUTHORIZING', 'CHARGED'],
    ['AUTHORIZED', 'VOIDED'],
    ['PENDING_VBV', 'AUTO_REFUNDED'],
  ] as const) {
    assert.ok(isTxnTransitionAllowed(from, to), `${from} -> ${to}`);
  }
  for (const [from, to] of [
    ['NEW', 'STARTED'],
    ['STARTED', 'CHARGED'],
    ['AUTHORIZATION_FAILED', 'STARTED'],
    ['PENDING_VBV', 'STARTED'],
  ] as const) {
    assert.ok(isOrderTransitionAllowed(from, to), `${from} -> ${to}`);
  }
});

test('a charged transaction never changes; a charged order takes nothing new', () => {
  for (const to of allTxnStatuses()) if (to !== 'CHARGED') assert.equal(isTxnTransitionAllowed('CHARGED', to), false, `CHARGED -> ${to}`);
  for (const to of allOrderStatuses()) if (to !== 'CHARGED') assert.equal(isOrderTransitionAllowed('CHARGED', to), false, `order CHARGED -> ${to}`);
  assert.throws(
    () => assertTxnTransition('CHARGED', 'AUTHORIZATION_FAILED'),
    (e: unknown) => e instanceof AppError && e.code === 'INVALID_ACTION',
  );
  assert.throws(() => assertOrderTransition('CHARGED', 'STARTED'), AppError);
  assert.ok(ORDER_CLOSED_STATUSES.includes('CHARGED'));
});

test('nothing moves a transaction back to an unsettled state once it is terminal, except a late gateway success', () => {
  for (const from of TERMINAL_TXN_STATUSES) {
    for (const to of UNSETTLED_TXN_STATUSES) assert.equal(isTxnTransitionAllowed(from, to), false, `${from} -> ${to}`);
  }
  // A late success found by sync after we recorded a failure is the one way out of a failure.
  assert.ok(isTxnTransitionAllowed('AUTHORIZATION_FAILED', 'CHARGED'));
  assert.equal(isTxnTransitionAllowed('AUTHENTICATION_FAILED', 'CHARGED'), false);
});

test('every status in the tables has a status id', () => {
  for (const s of [...allTxnStatuses(), ...allOrderStatuses()]) assert.equal(typeof STATUS_ID[s], 'number');
});
