// The PayPal connector's payer flows against the PayPal emulator: the wallet's approval and return,
// a cancelled approval, manual capture, an approval completed by webhook, card 3-D Secure (the rest:
// paypal-connector.test.ts).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { PayPalEmulator } from '../../../emulators/paypal/paypal-emulator.ts';
import type { ConnectorAccount } from '../../core/ports/connector.ts';
import { type createPayPalConnector, isPayPalId } from './paypal-connector.ts';
import { clickOnPayPalPage } from './test-fixtures.ts';
import { signedRequest, usePayPalWire } from './emulator-test-helpers.ts';

describe('paypal connector: wire details', () => {
  let emulator: PayPalEmulator;
  let connector: ReturnType<typeof createPayPalConnector>;
  let account: ConnectorAccount;
  let webhookId: string;
  const { wire, card, wallet, sentTo } = usePayPalWire();
  before(() => ({ emulator, connector, account, webhookId } = wire()));

  test('the PayPal wallet: payer-action redirect, approval, back to our return URL with token and PayerID, then the order is captured', async () => {
    const request = wallet({ amount: 4_999 });
    const pending = await connector.authorize(account, request);
    assert.equal(pending.kind, 'PENDING_AUTHENTICATION');
    if (pending.kind !== 'PENDING_AUTHENTICATION') return;
    assert.deepEqual((sentTo('/v2/checkout/orders').at(-1)!.body!.payment_source as { paypal: unknown }).paypal, {
      experience_context: {
        return_url: request.returnUrl,
        cancel_url: request.returnUrl,
        user_action: 'PAY_NOW',
        shipping_preference: 'NO_SHIPPING',
        payment_method_preference: 'IMMEDIATE_PAYMENT_REQUIRED',
        landing_page: 'NO_PREFERENCE',
      },
      email_address: 'shopper@example.com',
    });
    const orderId = pending.raw.gatewayTxnId!;
    assert.ok(isPayPalId(orderId));
    assert.equal(pending.authentication.params, undefined);
    const back = await clickOnPayPalPage(pending.authentication.url, 'approve');
    assert.equal(`${back.location.origin}${back.location.pathname}`, request.returnUrl);
    assert.equal(back.params.token, orderId);
    assert.match(back.params.PayerID!, /^[2-9A-HJ-NP-Z]{13}$/);
    const done = await connector.completeAuthentication(account, orderId, back.params);
    assert.equal(done.kind, 'CHARGED');
    assert.equal(done.raw.gatewayTxnId, orderId);
    const capture = sentTo(`/v2/checkout/orders/${orderId}/capture`).at(-1)!;
    assert.equal(capture.headers['paypal-request-id'], `complete-${orderId}`);
    // The shopper reloads the return page: the same PayPal-Request-Id replays, no second capture.
    assert.equal((await connector.completeAuthentication(account, orderId, back.params)).kind, 'CHARGED');
    assert.equal(emulator.order(orderId)!.captures.length, 1);
  });

  test('the payer cancels at PayPal: back to our return URL without approval, FAILED as USER_DROPPED, nothing captured', async () => {
    const pending = await connector.authorize(account, wallet());
    assert.equal(pending.kind, 'PENDING_AUTHENTICATION');
    if (pending.kind !== 'PENDING_AUTHENTICATION') return;
    const back = await clickOnPayPalPage(pending.authentication.url, 'cancel');
    assert.equal(back.params.PayerID, undefined);
    const done = await connector.completeAuthentication(account, pending.raw.gatewayTxnId!, back.params);
    assert.equal(done.kind, 'FAILED');
    if (done.kind === 'FAILED') {
      assert.equal(done.raw.code, 'APPROVAL_NOT_COMPLETED');
      assert.equal(done.unified.code, 'USER_DROPPED');
      assert.equal(done.failure, 'AUTHENTICATION_FAILED');
    }
    assert.equal(sentTo(`/v2/checkout/orders/${pending.raw.gatewayTxnId}/capture`).length, 0);
  });

  test('a manual-capture wallet payment is authorized after approval, then partially captured with final_capture', async () => {
    const pending = await connector.authorize(account, wallet({ amount: 10_000, captureMode: 'MANUAL' }));
    assert.equal(pending.kind, 'PENDING_AUTHENTICATION');
    if (pending.kind !== 'PENDING_AUTHENTICATION') return;
    const orderId = pending.raw.gatewayTxnId!;
    const done = await connector.completeAuthentication(account, orderId, (await clickOnPayPalPage(pending.authentication.url, 'approve')).params);
    assert.equal(done.kind, 'AUTHORIZED');
    assert.equal(sentTo(`/v2/checkout/orders/${orderId}/authorize`).length, 1);
    const captured = await connector.capture(account, orderId, 6_000, 'USD', `cap-${orderId}`);
    assert.equal(captured.kind, 'SUCCESS');
    const authorizationId = emulator.order(orderId)!.authorizations[0]!;
    const sent = sentTo(`/v2/payments/authorizations/${authorizationId}/capture`).at(-1)!;
    assert.deepEqual(sent.body, { amount: { currency_code: 'USD', value: '60.00' }, final_capture: true });
    assert.equal(sent.headers['paypal-request-id'], `cap-${orderId}`);
    assert.equal(emulator.authorization(authorizationId)!.status, 'CAPTURED');
    assert.equal((await connector.syncStatus(account, orderId)).kind, 'CHARGED');
  });

  test('the payer approves but never comes back: the CHECKOUT.ORDER.APPROVED webhook completes the order, and the later return does not capture twice', async () => {
    const pending = await connector.authorize(account, wallet());
    if (pending.kind !== 'PENDING_AUTHENTICATION') return assert.fail('expected a redirect');
    const orderId = pending.raw.gatewayTxnId!;
    const back = await clickOnPayPalPage(pending.authentication.url, 'approve');
    const approved = emulator.events.find((e) => e.event_type === 'CHECKOUT.ORDER.APPROVED' && e.resource.id === orderId)!;
    const parsed = await connector.parseWebhook(account, signedRequest(emulator, approved, webhookId));
    assert.equal(parsed.kind, 'PAYMENT');
    if (parsed.kind === 'PAYMENT') {
      assert.equal(parsed.gatewayTxnId, orderId);
      assert.equal(parsed.outcome.kind, 'CHARGED');
      assert.equal(parsed.eventId, approved.id);
    }
    assert.equal((await connector.completeAuthentication(account, orderId, back.params)).kind, 'CHARGED');
    assert.equal(emulator.order(orderId)!.captures.length, 1);
  });

  test('card 3-D Secure: PAYER_ACTION_REQUIRED with a payer-action link; liability_shift NO or UNKNOWN stops before any capture; POSSIBLE is captured', async () => {
    for (const [choice, expected] of [
      ['fail', 'LIABILITY_SHIFT_NO'],
      ['unknown', 'LIABILITY_SHIFT_UNKNOWN'],
    ] as const) {
      const pending = await connector.authorize(account, card({ authType: 'THREE_DS' }));
      assert.equal(pending.kind, 'PENDING_AUTHENTICATION');
      if (pending.kind !== 'PENDING_AUTHENTICATION') return;
      assert.deepEqual((sentTo('/v2/checkout/orders').at(-1)!.body!.payment_source as { card: { attributes: unknown } }).card.attributes, { verification: { method: 'SCA_ALWAYS' } });
      const done = await connector.completeAuthentication(account, pending.raw.gatewayTxnId!, (await clickOnPayPalPage(pending.authentication.url, choice)).params);
      assert.equal(done.kind, 'FAILED');
      if (done.kind === 'FAILED') {
        assert.equal(done.raw.code, expected);
        assert.equal(done.failure, 'AUTHENTICATION_FAILED');
      }
      assert.equal(sentTo(`/v2/checkout/orders/${pending.raw.gatewayTxnId}/capture`).length, 0);
    }
    const pending = await connector.authorize(account, card({}, '4868719460707704'));
    if (pending.kind !== 'PENDING_AUTHENTICATION') return assert.fail('expected 3-D Secure');
    const done = await connector.completeAuthentication(account, pending.raw.gatewayTxnId!, (await clickOnPayPalPage(pending.authentication.url, 'pass')).params);
    assert.equal(done.kind, 'CHARGED');
    assert.equal((done.raw.body as { payment_source: { card: { authentication_result: { liability_shift: string } } } }).payment_source.card.authentication_result.liability_shift, 'POSSIBLE');
  });
});
