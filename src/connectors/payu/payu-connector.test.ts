// The PayU India connector against the PayU emulator (which validates every form and command
// against a JSON Schema written from docs.payu.in, and checks the hashes): the conformance suite
// twice (hosted cards, and seamless server-to-server cards), both redirect-first, then the wire
// details: forms, netbanking and wallet codes, UPI collect and intent, error codes, faults.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { startPayuEmulator, type PayuEmulator } from '../../../emulators/payu/payu-emulator.ts';
import { ConnectorError, type AuthorizeRequest } from '../../core/ports/connector.ts';
import { runConnectorConformance } from '../connector-conformance.ts';
import { createHttpTransport, type HttpTransport } from '../kit/transport.ts';
import { reverseHash } from './hash.ts';
import { createPayuConnector, payuCommandOrigin } from './payu-connector.ts';
import { PAYU_STATUS_TABLE } from './status-table.ts';
import { PAYU_KEY, PAYU_SALT, payAtPayu, payuAccount, payuCardRequest, payuNbRequest, payuUpiRequest, payuWalletRequest } from './test-fixtures.ts';
import { fromPayuAmount, payuTxnId, PAYU_NB_BANK_CODES, toPayuAmount } from './transformers.ts';

const ACCOUNTS = { [PAYU_KEY]: PAYU_SALT };

function harness(seamless: boolean) {
  return async () => {
    const emulator = await startPayuEmulator({ accounts: ACCOUNTS });
    const transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
    const connector = createPayuConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { PAYU: emulator.url } });
    return {
      connector,
      account: payuAccount(seamless ? { raw_card_data_enabled: 'true' } : {}),
      forceSuccess: () => emulator.declineNext(null),
      forceDecline: () => emulator.declineNext('E307'),
      cardRequest: (overrides?: Partial<AuthorizeRequest>) => payuCardRequest(overrides),
      redirectFirst: { complete: async (authentication: Parameters<typeof payAtPayu>[0]) => (await payAtPayu(authentication)).params },
      signedPaymentWebhook: async (id: string) => {
        const { headers, rawBody } = emulator.callbackFor(id);
        return { headers, rawBody, body: Object.fromEntries(new URLSearchParams(rawBody)) };
      },
      unsignedWebhook: (signed: { headers: Record<string, string | string[] | undefined>; rawBody: string; body: unknown }) => {
        const fields = new URLSearchParams(signed.rawBody);
        fields.delete('hash');
        return { ...signed, rawBody: fields.toString() };
      },
      // Hosted: the read after the shopper's return is what can time out (the create happens in the browser).
      ...(seamless ? {} : { forceTimeout: () => emulator.stallNext(5_000, 1, '/merchant/postservice.php'), chargeCount: () => emulator.chargeCount() }),
      ...(seamless
        ? {
            threeDs: {
              request: (overrides?: Partial<AuthorizeRequest>) => payuCardRequest(overrides),
              pass: async (url: string) => (await payAtPayu({ method: 'POST', url, params: {} })).params,
            },
          }
        : {}),
      close: async () => {
        assert.deepEqual(emulator.violations, [], 'every request the connector sent conforms to the contract');
        await transport.close();
        await emulator.close();
      },
    };
  };
}

runConnectorConformance('payu hosted cards (emulator)', harness(false));
runConnectorConformance('payu seamless server-to-server cards (emulator)', harness(true));

describe('payu connector: wire details', () => {
  let emulator: PayuEmulator;
  let transport: HttpTransport;
  let connector: ReturnType<typeof createPayuConnector>;
  let n = 0;
  const ids = () => {
    n += 1;
    return { txnId: `wire-${n}-${Date.now().toString(36)}`, txnUuid: `uuid-wire-${n}`, idempotencyKey: `idem-wire-${n}` };
  };
  const card = (overrides: Partial<AuthorizeRequest> = {}) => payuCardRequest({ ...ids(), ...overrides });
  /** authorize, then the shopper's browser at PayU, then our return URL. */
  const payThrough = async (request: AuthorizeRequest, choice: 'success' | 'failure' | 'cancel' = 'success', account = payuAccount()) => {
    const pending = await connector.authorize(account, request);
    assert.equal(pending.kind, 'PENDING_AUTHENTICATION');
    if (pending.kind !== 'PENDING_AUTHENTICATION') throw new Error('no redirect');
    const back = await payAtPayu(pending.authentication, choice);
    return { pending, back, done: await connector.completeAuthentication(account, pending.raw.gatewayTxnId!, back.params) };
  };

  before(async () => {
    emulator = await startPayuEmulator({ accounts: ACCOUNTS });
    transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
    connector = createPayuConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { PAYU: emulator.url } });
  });
  after(async () => {
    await transport.close();
    await emulator.close();
  });

  test('hosted card: the form is what PayU documents, in major units, with no card data, and the return is our URL', async () => {
    const request = card({ amount: 12_345 });
    const { pending, back, done } = await payThrough(request);
    if (pending.kind !== 'PENDING_AUTHENTICATION') return;
    const params = pending.authentication.params!;
    assert.equal(pending.authentication.url, `${emulator.url}/_payment`);
    assert.equal(params.amount, '123.45');
    assert.equal(params.key, PAYU_KEY);
    assert.equal(params.txnid, request.txnId);
    assert.equal(params.surl, request.returnUrl);
    assert.equal(params.furl, request.returnUrl);
    assert.match(params.hash!, /^[0-9a-f]{128}$/);
    for (const forbidden of ['ccnum', 'ccvv', 'ccexpmon', 'ccexpyr']) assert.equal(params[forbidden], undefined);
    assert.doesNotMatch(JSON.stringify(pending), /5123456789012346/);
    assert.equal(back.returnUrl, request.returnUrl);
    assert.equal(done.kind, 'CHARGED');
    assert.deepEqual(emulator.violations, []);
  });

  test('a long txn id becomes a stable 25-character PayU txnid; a PayU txnid maps to itself', () => {
    const long = 'payu_abc123-pa1234567890123-1';
    const mapped = payuTxnId(long);
    assert.equal(mapped.length, 25);
    assert.equal(payuTxnId(long), mapped);
    assert.equal(payuTxnId(mapped), mapped);
    assert.equal(payuTxnId('short-id'), 'short-id');
  });

  test("amounts: minor units to PayU's major-unit string and back, exactly (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 13 }), (minor) => {
        const text = toPayuAmount(minor, 'INR');
        assert.match(text, /^\d+\.\d{2}$/);
        assert.equal(fromPayuAmount(text, 'INR'), minor);
      }),
      { numRuns: 300 },
    );
    assert.equal(toPayuAmount(1, 'INR'), '0.01');
    assert.equal(fromPayuAmount('10', 'INR'), 1000);
    assert.equal(fromPayuAmount('10.001', 'INR'), null);
  });

  test('netbanking: pg=NB with the mapped bank code, through the bank page', async () => {
    const { pending, done } = await payThrough(payuNbRequest('NB_ICICI', ids()));
    if (pending.kind !== 'PENDING_AUTHENTICATION') return;
    assert.equal(pending.authentication.params!.pg, 'NB');
    assert.equal(pending.authentication.params!.bankcode, 'ICIB');
    assert.equal(done.kind, 'CHARGED');
    assert.equal(emulator.payment(pending.raw.gatewayTxnId!)!.mode, 'NB');
    for (const [juspay, payu] of Object.entries(PAYU_NB_BANK_CODES)) assert.match(`${juspay}=${payu}`, /^NB_[A-Z0-9_]+=[A-Z0-9]{3,12}$/);
  });

  test('an unknown bank or wallet, a foreign currency or a gateway token are refused before any call', async () => {
    const before = emulator.requests.length;
    for (const [request, code] of [
      [payuNbRequest('NB_NOSUCHBANK', ids()), 'bank_not_supported'],
      [payuWalletRequest('NOSUCHWALLET', ids()), 'wallet_not_supported'],
      [card({ currency: 'USD' }), 'currency_not_supported'],
      [card({ card: null, gatewayToken: 'tok_123' }), 'method_not_supported'],
    ] as const) {
      const outcome = await connector.authorize(payuAccount(), request);
      assert.equal(outcome.kind, 'FAILED', code);
      if (outcome.kind === 'FAILED') {
        assert.equal(outcome.raw.code, code);
        assert.equal(outcome.failure, 'VALIDATION_ERROR');
      }
    }
    assert.equal(emulator.requests.length, before, 'nothing was sent to PayU');
  });

  test('wallet: pg=CASH with the wallet code', async () => {
    const { pending, done } = await payThrough(payuWalletRequest('PAYTM', ids()));
    if (pending.kind !== 'PENDING_AUTHENTICATION') return;
    assert.equal(pending.authentication.params!.pg, 'CASH');
    assert.equal(pending.authentication.params!.bankcode, 'PAYTM');
    assert.equal(done.kind, 'CHARGED');
  });

  test('UPI collect is PENDING until PayU settles it; its signed callback and verify_payment then say CHARGED', async () => {
    const request = payuUpiRequest('UPI_COLLECT', ids());
    const pending = await connector.authorize(payuAccount(), request);
    assert.equal(pending.kind, 'PENDING');
    const sent = emulator.requests.at(-1)!;
    assert.equal(sent.fields.vpa, 'shopper@okhdfcbank');
    assert.equal(sent.fields.txn_s2s_flow, '4');
    assert.equal((await connector.syncStatus(payuAccount(), request.txnId)).kind, 'PENDING');
    emulator.settleUpi(request.txnId, 'success');
    const { headers, rawBody } = emulator.callbackFor(request.txnId);
    const event = await connector.parseWebhook(payuAccount(), { headers, rawBody, body: null });
    assert.equal(event.kind, 'PAYMENT');
    if (event.kind === 'PAYMENT') {
      assert.equal(event.outcome.kind, 'CHARGED');
      assert.equal(event.gatewayTxnId, request.txnId);
      assert.ok(event.eventId);
    }
    assert.equal((await connector.syncStatus(payuAccount(), request.txnId)).kind, 'CHARGED');
  });

  test("UPI collect declined by the shopper's bank settles FAILED with the mapped code", async () => {
    const request = payuUpiRequest('UPI_COLLECT', ids());
    assert.equal((await connector.authorize(payuAccount(), request)).kind, 'PENDING');
    emulator.settleUpi(request.txnId, 'failure', 'E4684');
    const synced = await connector.syncStatus(payuAccount(), request.txnId);
    assert.equal(synced.kind, 'FAILED');
    if (synced.kind === 'FAILED') assert.equal(synced.raw.code, 'E4684');
  });

  test('UPI intent answers PENDING with a upi://pay intent URI as sdk params', async () => {
    const outcome = await connector.authorize(payuAccount(), payuUpiRequest('UPI_PAY', ids()));
    assert.equal(outcome.kind, 'PENDING');
    if (outcome.kind !== 'PENDING') return;
    const uri = outcome.sdkParams?.intent_uri ?? '';
    assert.match(uri, /^upi:\/\/pay\?/);
    const query = new URL(uri.replace('upi://pay', 'https://x/')).searchParams;
    for (const field of ['pa', 'pn', 'tr', 'am', 'cu']) assert.ok(query.get(field), field);
    assert.equal(query.get('am'), '100.00');
    assert.equal(query.get('cu'), 'INR');
  });

  test("every documented decline code maps through the table; a shopper's or issuer's decline never counts against PayU", async () => {
    const codes = Object.keys(PAYU_STATUS_TABLE).filter((code) => /^E\d+$/.test(code));
    for (const code of codes) {
      emulator.declineNext(code);
      const { done } = await payThrough(card());
      assert.equal(done.kind, 'FAILED', code);
      if (done.kind === 'FAILED') {
        assert.equal(done.raw.code, code);
        assert.equal(done.unified.code, PAYU_STATUS_TABLE[code]!.unifiedCode, code);
        assert.equal(done.failure, PAYU_STATUS_TABLE[code]!.failureClass, code);
      }
    }
    for (const code of ['E307', 'E310', 'E305', 'E1632', 'E348', 'userCancelled', 'bounced']) assert.equal(PAYU_STATUS_TABLE[code]!.countsAgainstGateway, false, code);
    assert.equal(PAYU_STATUS_TABLE.E341!.countsAgainstGateway, true);
  });

  test("a shopper who cancels on PayU's page is USER_DROPPED; a failure is mapped from unmappedstatus when PayU gives no E-code", async () => {
    const { done } = await payThrough(card(), 'cancel');
    assert.equal(done.kind, 'FAILED');
    if (done.kind === 'FAILED') {
      assert.equal(done.raw.code, 'userCancelled');
      assert.equal(done.unified.code, 'USER_DROPPED');
    }
  });

  test('an unlisted E-code takes the soft-decline rule; other codes have no rule', () => {
    assert.equal(connector.classifyUnlisted!('E9999')?.failureClass, 'SOFT_DECLINE');
    assert.equal(connector.classifyUnlisted!('E9999')?.countsAgainstGateway, false);
    assert.equal(connector.classifyUnlisted!('weird'), undefined);
  });

  test('a tampered return is not trusted: a forged success is not CHARGED, a signed return with another amount is refused', async () => {
    const request = card();
    const pending = await connector.authorize(payuAccount(), request);
    if (pending.kind !== 'PENDING_AUTHENTICATION') assert.fail('no redirect');
    const failed = await payAtPayu(pending.authentication, 'failure');
    const forged = { ...failed.params, status: 'success', unmappedstatus: 'captured', error: 'E000' };
    const outcome = await connector.completeAuthentication(payuAccount(), pending.raw.gatewayTxnId!, forged);
    assert.equal(outcome.kind, 'FAILED', "PayU's own record (failure) wins over the forged post");
    // A return signed with another salt is not PayU's.
    const other = card();
    const pending2 = await connector.authorize(payuAccount(), other);
    if (pending2.kind !== 'PENDING_AUTHENTICATION') assert.fail('no redirect');
    const forged2: Record<string, string> = { ...pending2.authentication.params!, status: 'success', unmappedstatus: 'captured', mihpayid: '1' };
    forged2.hash = reverseHash(forged2, 'not-the-salt');
    const outcome2 = await connector.completeAuthentication(payuAccount(), pending2.raw.gatewayTxnId!, forged2);
    assert.equal(outcome2.kind, 'UNKNOWN');
    assert.equal(outcome2.raw.code, 'REVERSE_HASH_MISMATCH');
  });

  test('additional charges: the reverse hash with the additional_charges prefix verifies', async () => {
    const charged = await startPayuEmulator({ accounts: ACCOUNTS, additionalCharges: { [PAYU_KEY]: '2.50' } });
    const local = createPayuConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { PAYU: charged.url } });
    try {
      const pending = await local.authorize(payuAccount(), card());
      if (pending.kind !== 'PENDING_AUTHENTICATION') assert.fail('no redirect');
      const back = await payAtPayu(pending.authentication);
      assert.equal(back.params.additional_charges, '2.50');
      assert.equal((await local.completeAuthentication(payuAccount(), pending.raw.gatewayTxnId!, back.params)).kind, 'CHARGED');
      const { rawBody } = charged.callbackFor(pending.raw.gatewayTxnId!);
      assert.equal((await local.parseWebhook(payuAccount(), { headers: {}, rawBody, body: null })).kind, 'PAYMENT');
    } finally {
      await charged.close();
    }
  });

  test('seamless card: the card goes server to server; the bank redirect we keep holds no card data', async () => {
    const account = payuAccount({ raw_card_data_enabled: 'true' });
    const request = card();
    const pending = await connector.authorize(account, request);
    assert.equal(pending.kind, 'PENDING_AUTHENTICATION');
    const sent = emulator.requests.at(-1)!;
    assert.equal(sent.path, '/_payment');
    assert.equal(sent.fields.txn_s2s_flow, '1');
    assert.equal(sent.fields.ccnum, '512345XXXXXX2346', 'the emulator received the card (masked in its log)');
    assert.equal(sent.fields.pg, 'CC');
    assert.doesNotMatch(JSON.stringify(pending), /5123456789012346|"123"/);
  });

  test('seamless: a lost answer is UNKNOWN; the retry is refused as a duplicate txnid and reads the one payment instead', async () => {
    const account = payuAccount({ raw_card_data_enabled: 'true' });
    const request = card();
    emulator.stallNext(5_000, 1, '/_payment');
    const lost = await connector.authorize(account, request);
    assert.equal(lost.kind, 'UNKNOWN');
    assert.equal(lost.raw.gatewayTxnId, request.txnId);
    const count = emulator.requests.filter((r) => r.path === '/_payment' && r.fields.txnid === request.txnId).length;
    const retried = await connector.authorize(account, request);
    assert.equal(retried.kind, 'PENDING', 'PayU has it, waiting for the bank page that was never shown');
    assert.equal(emulator.requests.filter((r) => r.path === '/_payment' && r.fields.txnid === request.txnId).length, count + 1);
    assert.equal(emulator.payment(request.txnId)!.status, 'pending', 'one payment at PayU, never charged twice');
  });

  test('a wrong salt: PayU refuses the hash (server to server) and the command hash', async () => {
    const account = payuAccount({ merchant_salt: 'not-the-salt-1234' });
    const outcome = await connector.authorize(account, payuUpiRequest('UPI_COLLECT', ids()));
    assert.equal(outcome.kind, 'FAILED');
    if (outcome.kind === 'FAILED') {
      assert.equal(outcome.raw.code, 'hash_mismatch');
      assert.equal(PAYU_STATUS_TABLE.hash_mismatch!.countsAgainstGateway, true);
    }
    assert.equal((await connector.syncStatus(account, 'anything')).kind, 'UNKNOWN');
  });

  test('5xx is UNKNOWN; connection refused is GATEWAY_DOWN; a sync of a txnid PayU never saw is TRANSACTION_NOT_FOUND', async () => {
    emulator.failNext(503, 1, '/_payment');
    assert.equal((await connector.authorize(payuAccount(), payuUpiRequest('UPI_COLLECT', ids()))).kind, 'UNKNOWN');
    await emulator.down();
    try {
      // A read tells nothing about a payment whatever happened (and lets the pool drop its closed sockets).
      assert.equal((await connector.syncStatus(payuAccount(), 'x')).kind, 'UNKNOWN');
      const outcome = await connector.authorize(payuAccount(), payuUpiRequest('UPI_COLLECT', ids()));
      assert.equal(outcome.kind, 'FAILED');
      if (outcome.kind === 'FAILED') assert.equal(outcome.failure, 'GATEWAY_DOWN');
    } finally {
      await emulator.up();
    }
    const never = await connector.syncStatus(payuAccount(), 'never-created-1');
    assert.equal(never.kind, 'FAILED');
    if (never.kind === 'FAILED') assert.equal(never.unified.code, 'TRANSACTION_NOT_FOUND');
  });

  test('a refund PayU queues is PENDING; its refund callback is confirmed with check_action_status; a forged one is refused', async () => {
    const held = await startPayuEmulator({ accounts: ACCOUNTS, holdRefunds: true });
    const local = createPayuConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { PAYU: held.url } });
    try {
      const pending = await local.authorize(payuAccount(), card());
      if (pending.kind !== 'PENDING_AUTHENTICATION') assert.fail('no redirect');
      const back = await payAtPayu(pending.authentication);
      const txnid = pending.raw.gatewayTxnId!;
      assert.equal((await local.completeAuthentication(payuAccount(), txnid, back.params)).kind, 'CHARGED');
      const refund = await local.refund(payuAccount(), { refundId: 'rf1', txnId: 'x', gatewayTxnId: txnid, amount: 2_500, currency: 'INR', idempotencyKey: 'rf1' });
      assert.equal(refund.kind, 'PENDING');
      const sent = held.requests.filter((r) => r.fields.command === 'cancel_refund_transaction').at(-1)!;
      assert.deepEqual([sent.fields.var1, sent.fields.var2, sent.fields.var3], [held.payment(txnid)!.mihpayid, 'rf1', '25.00']);
      const requestId = refund.gatewayRefundId!;
      held.settleRefunds('success');
      const event = await local.parseWebhook(payuAccount(), { ...held.refundCallbackFor(requestId), body: null });
      assert.equal(event.kind, 'REFUND');
      if (event.kind === 'REFUND') {
        assert.equal(event.outcome.kind, 'SUCCESS');
        assert.equal(event.refundId, 'rf1');
        assert.equal(event.gatewayRefundId, requestId);
      }
      // The retry of the same refund finds it by its token instead of asking again.
      const again = await local.refund(payuAccount(), { refundId: 'rf1', txnId: 'x', gatewayTxnId: txnid, amount: 2_500, currency: 'INR', idempotencyKey: 'rf1' });
      assert.equal(again.kind, 'SUCCESS');
      assert.equal(held.requests.filter((r) => r.fields.command === 'cancel_refund_transaction').length, 1);
      const forged = JSON.stringify({ request_id: '123456', status: 'success', key: PAYU_KEY, token: 'rf1' });
      await assert.rejects(local.parseWebhook(payuAccount(), { headers: {}, rawBody: forged, body: null }), ConnectorError);
    } finally {
      await held.close();
    }
  });

  test('a capture PayU refuses with a documented code is a FAILURE with that code', async () => {
    const pending = await connector.authorize(payuAccount(), card({ captureMode: 'MANUAL' }));
    if (pending.kind !== 'PENDING_AUTHENTICATION') assert.fail('no redirect');
    assert.equal(pending.authentication.params!.pre_authorize, '1');
    const back = await payAtPayu(pending.authentication);
    const txnid = pending.raw.gatewayTxnId!;
    assert.equal((await connector.completeAuthentication(payuAccount(), txnid, back.params)).kind, 'AUTHORIZED');
    emulator.commandErrorNext('120', 'Transaction lock could not be obtained.');
    const refused = await connector.capture(payuAccount(), txnid, 10_000, 'INR', 'cap-1');
    assert.equal(refused.kind, 'FAILURE');
    assert.equal(refused.raw.code, '120');
    assert.equal((await connector.capture(payuAccount(), txnid, 4_000, 'INR', 'cap-2')).kind, 'SUCCESS', 'a partial capture');
    assert.equal((await connector.capture(payuAccount(), txnid, 4_000, 'INR', 'cap-3')).kind, 'SUCCESS', '301 capture already successful: our retry');
  });

  test('production splits payments (secure.payu.in) and commands (info.payu.in)', () => {
    assert.equal(payuCommandOrigin('https://secure.payu.in'), 'https://info.payu.in');
    assert.equal(payuCommandOrigin('https://test.payu.in'), 'https://test.payu.in');
  });

  test('a callback for another key, a tampered one or an unsigned one is refused', async () => {
    const { done, pending } = await payThrough(card());
    assert.equal(done.kind, 'CHARGED');
    const { rawBody } = emulator.callbackFor(pending.raw.gatewayTxnId!);
    await assert.rejects(connector.parseWebhook(payuAccount({ merchant_key: 'Other1' }), { headers: {}, rawBody, body: null }), ConnectorError);
    await assert.rejects(connector.parseWebhook(payuAccount(), { headers: {}, rawBody: rawBody.replace('status=success', 'status=failure'), body: null }), ConnectorError);
    await assert.rejects(connector.parseWebhook(payuAccount(), { headers: {}, rawBody: 'nothing=here', body: null }), ConnectorError);
    assert.deepEqual(emulator.violations, []);
  });
});
