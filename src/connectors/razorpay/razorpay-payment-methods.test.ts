// The Razorpay connector's payment methods against the Razorpay emulator: netbanking, wallets, UPI
// collect and intent, and which of them take which currency (the rest: razorpay-connector.test.ts).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { startRazorpayEmulator, type RazorpayEmulator } from '../../../emulators/razorpay/razorpay-emulator.ts';
import { NETBANKING_BANKS, WALLETS } from '../../core/payment-methods.ts';
import type { AuthorizeRequest } from '../../core/ports/connector.ts';
import type { HttpTransport } from '../kit/transport.ts';
import { createRazorpayConnector } from './razorpay-connector.ts';
import { RAZORPAY_STATUS_TABLE } from './status-table.ts';
import { RAZORPAY_BANK_CODES, RAZORPAY_WALLET_CODES } from './requests.ts';
import { razorpayAccount, razorpayMethodRequest } from './test-fixtures.ts';
import { bankPage, eventWhere, KEYS, paymentOf, signed, useRazorpayWire } from './emulator-test-helpers.ts';

describe('razorpay connector: wire details', () => {
  let emulator: RazorpayEmulator;
  let transport: HttpTransport;
  let connector: ReturnType<typeof createRazorpayConnector>;
  const { wire, ids, req } = useRazorpayWire();
  const method = (kind: Parameters<typeof razorpayMethodRequest>[0], value: string, overrides: Partial<AuthorizeRequest> = {}) => razorpayMethodRequest(kind, value, { ...ids(), ...overrides });
  before(() => ({ emulator, transport, connector } = wire()));

  test("netbanking: NB_<BANK> is sent as Razorpay's bank code, the bank page approves, the payment is CHARGED", async () => {
    const pending = await connector.authorize(razorpayAccount(), method('NB', 'ICICI'));
    assert.equal(pending.kind, 'PENDING_AUTHENTICATION');
    const sent = emulator.requests.filter((r) => r.path === '/v1/payments/create/json').at(-1)!;
    assert.equal(sent.body!.method, 'netbanking');
    assert.equal(sent.body!.bank, 'ICIC');
    assert.equal(sent.body!.card, undefined);
    if (pending.kind !== 'PENDING_AUTHENTICATION') return;
    const params = await bankPage(pending.authentication.url);
    assert.equal((await connector.completeAuthentication(razorpayAccount(), pending.raw.gatewayTxnId!, params)).kind, 'CHARGED');
    assert.equal(RAZORPAY_BANK_CODES.HDFC, 'HDFC');
    assert.equal(RAZORPAY_BANK_CODES.SBI, 'SBIN');
  });

  test('every netbanking bank and wallet Junction takes has a Razorpay code, and each is accepted by the contract', async () => {
    for (const code of Object.keys(NETBANKING_BANKS)) {
      assert.ok(RAZORPAY_BANK_CODES[code.replace(/^NB_/, '')], `${code} has a Razorpay bank code`);
      assert.equal((await connector.authorize(razorpayAccount(), method('NB', code.replace(/^NB_/, '')))).kind, 'PENDING_AUTHENTICATION', code);
    }
    for (const code of Object.keys(WALLETS)) {
      assert.ok(RAZORPAY_WALLET_CODES[code], `${code} has a Razorpay wallet code`);
      assert.equal((await connector.authorize(razorpayAccount(), method('WALLET', code))).kind, 'PENDING_AUTHENTICATION', code);
    }
    assert.deepEqual(emulator.violations, []);
  });

  test('an unknown bank or wallet is refused before any call: FAILED, VALIDATION_ERROR, retryable elsewhere', async () => {
    const count = emulator.requests.length;
    for (const request of [method('NB', 'NOSUCHBANK'), method('WALLET', 'NOSUCHWALLET')]) {
      const outcome = await connector.authorize(razorpayAccount(), request);
      assert.equal(outcome.kind, 'FAILED');
      if (outcome.kind !== 'FAILED') continue;
      assert.equal(outcome.failure, 'VALIDATION_ERROR');
      assert.match(outcome.raw.code, /^unsupported_(bank|wallet)$/);
      assert.equal(RAZORPAY_STATUS_TABLE[outcome.raw.code]!.retryable, true);
    }
    assert.equal(emulator.requests.length, count, 'nothing was sent');
  });

  test("wallets: the Juspay wallet name is sent as Razorpay's wallet code and the wallet page settles it", async () => {
    const pending = await connector.authorize(razorpayAccount(), method('WALLET', 'MOBIKWIK', { captureMode: 'MANUAL' }));
    assert.equal(pending.kind, 'PENDING_AUTHENTICATION');
    assert.equal(emulator.requests.filter((r) => r.path === '/v1/payments/create/json').at(-1)!.body!.wallet, 'mobikwik');
    assert.equal(RAZORPAY_WALLET_CODES.PHONEPE, 'phonepe');
    if (pending.kind !== 'PENDING_AUTHENTICATION') return;
    const params = await bankPage(pending.authentication.url);
    assert.equal((await connector.completeAuthentication(razorpayAccount(), pending.raw.gatewayTxnId!, params)).kind, 'AUTHORIZED');
  });

  test('UPI collect is PENDING until the shopper approves; success@razorpay settles CHARGED, failure@razorpay FAILED', async () => {
    const pending = await connector.authorize(razorpayAccount(), method('UPI_COLLECT', 'success@razorpay'));
    assert.equal(pending.kind, 'PENDING');
    const sent = emulator.requests.filter((r) => r.path === '/v1/payments/create/upi').at(-1)!;
    assert.deepEqual(sent.body!.upi, { flow: 'collect', vpa: 'success@razorpay', expiry_time: 15 });
    const id = pending.raw.gatewayTxnId!;
    assert.equal((await connector.syncStatus(razorpayAccount(), id)).kind, 'PENDING');
    emulator.settleUpi(id, 'success');
    assert.equal((await connector.syncStatus(razorpayAccount(), id)).kind, 'CHARGED');
    const webhook = await connector.parseWebhook(razorpayAccount(), signed(emulator, await eventWhere(emulator, (e) => e.body.event === 'payment.captured' && paymentOf(e) === id)));
    assert.equal(webhook.kind === 'PAYMENT' && webhook.outcome.kind, 'CHARGED');

    const refused = await connector.authorize(razorpayAccount(), method('UPI_COLLECT', 'failure@razorpay'));
    emulator.settleUpi(refused.raw.gatewayTxnId!, 'failure');
    const synced = await connector.syncStatus(razorpayAccount(), refused.raw.gatewayTxnId!);
    assert.equal(synced.kind, 'FAILED');
    if (synced.kind === 'FAILED') assert.equal(synced.raw.code, 'payment_collect_request_expired');
  });

  test('an emulator started with upiSettleAfterMs settles UPI by itself: payment.captured arrives and the sync reads CHARGED', async () => {
    const selfSettling = await startRazorpayEmulator({ keys: KEYS, upiSettleAfterMs: 10 });
    const selfConnector = createRazorpayConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { RAZORPAY: selfSettling.url } });
    try {
      const pending = await selfConnector.authorize(razorpayAccount(), method('UPI_COLLECT', 'shopper@okhdfcbank'));
      assert.equal(pending.kind, 'PENDING');
      await eventWhere(selfSettling, (e) => e.body.event === 'payment.captured' && paymentOf(e) === pending.raw.gatewayTxnId);
      assert.equal((await selfConnector.syncStatus(razorpayAccount(), pending.raw.gatewayTxnId!)).kind, 'CHARGED');
    } finally {
      await selfSettling.close();
    }
  });

  test('UPI intent is PENDING with the upi:// link as sdkParams.intent_uri, carrying pa, pn, tr, tid, mc, am, cu', async () => {
    const pending = await connector.authorize(razorpayAccount(), method('UPI_PAY', 'GPAY', { amount: 12_345 }));
    assert.equal(pending.kind, 'PENDING');
    if (pending.kind !== 'PENDING') return;
    const uri = pending.sdkParams?.intent_uri;
    assert.ok(uri?.startsWith('upi://pay?'), uri);
    const query = new URLSearchParams(uri!.slice('upi://pay?'.length));
    for (const key of ['pa', 'pn', 'tr', 'tid', 'mc']) assert.ok(query.get(key), key);
    assert.equal(query.get('am'), '123.45');
    assert.equal(query.get('cu'), 'INR');
    assert.deepEqual(emulator.requests.filter((r) => r.path === '/v1/payments/create/upi').at(-1)!.body!.upi, { flow: 'intent' });
  });

  test('UPI, netbanking and wallets take INR only; raw cards need the account setting; nothing is sent otherwise', async () => {
    const count = emulator.requests.length;
    const usd = await connector.authorize(razorpayAccount(), method('UPI_COLLECT', 'success@razorpay', { currency: 'USD' }));
    assert.equal(usd.kind === 'FAILED' && usd.raw.code, 'currency_not_supported');
    const cards = await connector.authorize(razorpayAccount({ raw_card_data_enabled: 'false' }), req());
    assert.equal(cards.kind === 'FAILED' && cards.raw.code, 'raw_card_data_not_enabled');
    assert.equal(emulator.requests.length, count);
  });
});
