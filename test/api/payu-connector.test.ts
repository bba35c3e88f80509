// A merchant whose only gateway is PayU India, through the whole merchant API, with the PayU
// emulator (forms and commands validated against the contract written from docs.payu.in, hashes
// checked): a hosted card payment through PayU's page and our return URL (reverse hash verified,
// a tampered return refused), netbanking through the bank page, UPI collect settled by PayU's
// signed callback, UPI intent's intent URI, a refund through the command API, and a decline mapped
// to its unified error.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startPayuEmulator, type PayuEmulator } from '../../emulators/payu/payu-emulator.ts';
import { payAtPayu } from '../../src/connectors/payu/test-fixtures.ts';
import { payuTxnId } from '../../src/connectors/payu/transformers.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { assertApiError, call, post, singleGatewayMerchant } from '../helpers/api-helpers.ts';

const ADMIN = 'Bearer test-admin-key';
const KEY = 'JnPayU1';
const SALT = 'junctionE2eSalt00001';

let j: TestApp;
let emulator: PayuEmulator;
type Merchant = Awaited<ReturnType<typeof singleGatewayMerchant>>;
let m: Merchant;

/** The shopper's browser: PayU's page (choosing `choice`), then PayU's self-submitting form to our return URL. */
async function shopperPays(authentication: { method: 'GET' | 'POST'; url: string; params?: Record<string, string> }, choice: 'success' | 'failure' = 'success') {
  const back = await payAtPayu(authentication, choice);
  assert.ok(back.returnUrl, 'PayU posts the shopper back');
  return returnToUs(back.returnUrl!, back.params);
}
async function returnToUs(returnUrl: string, params: Record<string, string>) {
  const url = new URL(returnUrl);
  const response = await call(j, 'POST', url.pathname, new URLSearchParams(params).toString(), { auth: null, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.ok(response.status === 200 || response.status === 302, response.body);
  return response;
}

before(async () => {
  emulator = await startPayuEmulator({ accounts: { [KEY]: SALT } });
  j = await startTestApp({}, { connectorBaseUrls: { PAYU: emulator.url }, connectorTimeoutMs: 3_000 });
  m = await singleGatewayMerchant(j, 'PAYU', { merchant_key: KEY, merchant_salt: SALT }, { amount: '100.00', currency: 'INR', card: '5123456789012346' });
});
after(async () => {
  await j.close();
  await emulator.close();
});

describe('a PayU India account through the merchant API', () => {
  test("a hosted card payment goes through PayU's page and our return URL and is CHARGED; no card data is kept", async () => {
    const orderId = await m.order();
    const txn = await m.pay(orderId);
    assert.equal(txn.json.status, 'PENDING_VBV', txn.body);
    const authentication = txn.json.payment.authentication;
    assert.equal(authentication.method, 'POST');
    assert.equal(authentication.url, `${emulator.url}/_payment`);
    assert.equal(authentication.params.amount, '100.00');
    assert.equal(authentication.params.surl, `http://127.0.0.1:8080/txns/${txn.json.txn_uuid}/return`);
    assert.doesNotMatch(txn.body, /5123456789012346/);
    await shopperPays(authentication);
    const view = await m.status(orderId, '?options.add_full_gateway_response=true');
    assert.equal(view.json.status, 'CHARGED', view.body);
    assert.equal(view.json.gateway_id, 11);
    assert.equal(view.json.payment_gateway_response.epg_txn_id, payuTxnId(txn.json.txn_id));
    assert.doesNotMatch(view.body, /5123456789012346/);
    const [row] = await j.db.query<{ authentication: unknown }>('SELECT authentication FROM txns WHERE id = $1', [txn.json.txn_uuid]);
    assert.doesNotMatch(JSON.stringify(row?.authentication ?? null), /5123456789012346|"123"/, 'the persisted redirect holds no card data');
    assert.deepEqual(emulator.violations, []);
  });

  test('the status sync waits for a shopper still on PayU\'s page ("not found" at PayU means not posted yet), and drops the attempt as USER_DROPPED after the window', async () => {
    const orderId = await m.order();
    const txn = await m.pay(orderId);
    assert.equal(txn.json.status, 'PENDING_VBV', txn.body);
    let synced = await j.payments.syncTxn(txn.json.txn_uuid);
    assert.equal(synced.status, 'PENDING_VBV', 'a shopper still typing the card is not failed');
    await j.db.query("UPDATE txns SET created_at = created_at - interval '20 minutes' WHERE id = $1", [txn.json.txn_uuid]);
    synced = await j.payments.syncTxn(txn.json.txn_uuid);
    assert.equal(synced.status, 'AUTHENTICATION_FAILED');
    assert.equal(synced.errorCode, 'USER_DROPPED');
  });

  test('a tampered return (a forged success with a bad reverse hash) is refused and not CHARGED', async () => {
    const orderId = await m.order();
    const txn = await m.pay(orderId);
    const authentication = txn.json.payment.authentication;
    const forged = { ...authentication.params, mihpayid: '4039930000001', status: 'success', unmappedstatus: 'captured', error: 'E000', hash: 'a'.repeat(128) };
    await returnToUs(authentication.params.surl, forged);
    assert.notEqual((await m.status(orderId)).json.status, 'CHARGED');
    // PayU's own (signed) answer still settles it once the shopper really pays.
    const back = await payAtPayu(authentication, 'failure');
    const signedButEdited = { ...back.params, status: 'success', unmappedstatus: 'captured' };
    await returnToUs(back.returnUrl!, signedButEdited);
    assert.notEqual((await m.status(orderId)).json.status, 'CHARGED', "an edited signed return is not PayU's");
  });

  test('netbanking goes through the bank page (pg=NB, the mapped bank code) and is CHARGED', async () => {
    const orderId = await m.order();
    const txn = await post(j, '/txns', { order_id: orderId, merchant_id: m.merchantId, payment_method_type: 'NB', payment_method: 'NB_HDFC' }, { asForm: true, auth: m.auth });
    assert.equal(txn.json.status, 'PENDING_VBV', txn.body);
    assert.equal(txn.json.payment.authentication.params.pg, 'NB');
    assert.equal(txn.json.payment.authentication.params.bankcode, 'HDFB');
    await shopperPays(txn.json.payment.authentication);
    assert.equal((await m.status(orderId)).json.status, 'CHARGED');
    assert.equal(emulator.payment(payuTxnId(txn.json.txn_id))!.mode, 'NB');
  });

  test('a netbanking bank Junction takes but PayU has no code for (NB_SCB) is refused without calling PayU', async () => {
    const orderId = await m.order();
    const before = emulator.requests.length;
    const txn = await post(j, '/txns', { order_id: orderId, merchant_id: m.merchantId, payment_method_type: 'NB', payment_method: 'NB_SCB' }, { asForm: true, auth: m.auth });
    assert.equal(txn.json.status, 'AUTHORIZATION_FAILED', txn.body);
    assert.equal(emulator.requests.length, before);
  });

  test("UPI collect is pending until PayU settles it; PayU's signed callback makes it CHARGED (a forged one is refused)", async () => {
    const orderId = await m.order();
    const txn = await post(
      j,
      '/txns',
      { order_id: orderId, merchant_id: m.merchantId, payment_method_type: 'UPI', payment_method: 'UPI', txn_type: 'UPI_COLLECT', upi_vpa: 'shopper@okaxis' },
      { asForm: true, auth: m.auth },
    );
    assert.equal(txn.status, 200, txn.body);
    assert.notEqual(txn.json.status, 'CHARGED');
    const payuTxnid = payuTxnId(txn.json.txn_id);
    assert.equal(emulator.payment(payuTxnid)!.status, 'pending');
    emulator.settleUpi(payuTxnid, 'success');
    const { headers, rawBody } = emulator.callbackFor(payuTxnid);
    const path = `/webhooks/gateways/PAYU/${m.merchantId}/${m.accountId}`;
    const forged = await j.app.inject({ method: 'POST', url: path, headers, payload: rawBody.replace(/hash=[0-9a-f]+/, `hash=${'b'.repeat(128)}`) });
    assert.equal(forged.statusCode, 400, forged.body);
    const ok = await j.app.inject({ method: 'POST', url: path, headers, payload: rawBody });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(JSON.parse(ok.body).handled, true);
    assert.equal((await m.status(orderId)).json.status, 'CHARGED');
    const again = await j.app.inject({ method: 'POST', url: path, headers, payload: rawBody });
    assert.equal(JSON.parse(again.body).duplicate, true, 'a redelivered callback is processed once');
  });

  test('UPI intent answers the upi://pay intent URI as sdk_params', async () => {
    const orderId = await m.order();
    const txn = await post(
      j,
      '/txns',
      { order_id: orderId, merchant_id: m.merchantId, payment_method_type: 'UPI', payment_method: 'UPI', txn_type: 'UPI_PAY', sdk_params: 'true' },
      { asForm: true, auth: m.auth },
    );
    assert.equal(txn.status, 200, txn.body);
    assert.match(txn.json.payment.sdk_params.intent_uri, /^upi:\/\/pay\?pa=[^&]+@[^&]+&pn=.+&am=100\.00&cu=INR/);
  });

  test("a refund goes through the command API (cancel_refund_transaction with PayU's id, our token, major units)", async () => {
    const orderId = await m.order();
    const txn = await m.pay(orderId);
    await shopperPays(txn.json.payment.authentication);
    assert.equal((await m.status(orderId)).json.status, 'CHARGED');
    const refund = await post(j, `/orders/${orderId}/refunds`, { unique_request_id: `r_${orderId}`, amount: '40.00' }, { asForm: true, auth: m.auth });
    assert.equal(refund.status, 200, refund.body);
    assert.equal(refund.json.refunds[0].status, 'SUCCESS', refund.body);
    const sent = emulator.requests.filter((r) => r.fields.command === 'cancel_refund_transaction').at(-1)!;
    assert.equal(sent.fields.var1, emulator.payment(payuTxnId(txn.json.txn_id))!.mihpayid);
    assert.equal(sent.fields.var3, '40.00');
    assert.equal((await m.status(orderId)).json.amount_refunded, 40);
  });

  test("a decline on PayU's page is AUTHORIZATION_FAILED with the unified code", async () => {
    const orderId = await m.order();
    const txn = await m.pay(orderId);
    emulator.declineNext('E307');
    await shopperPays(txn.json.payment.authentication);
    const view = await m.status(orderId);
    assert.equal(view.json.status, 'AUTHORIZATION_FAILED', view.body);
    assert.equal(view.json.txn_detail.error_code, 'DO_NOT_HONOUR', view.body);
  });

  test('credentials: a PayU account needs its salt', async () => {
    const create = await post(j, `/admin/v1/merchants/${m.merchantId}/gateway-accounts`, { gateway: 'PAYU', gateway_reference_id: 'nosalt', credentials: { merchant_key: KEY } } as never, {
      auth: ADMIN,
    });
    assertApiError(create, 400, { field: 'credentials.merchant_salt' });
  });
});
