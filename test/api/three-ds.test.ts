// 3-D Secure (and netbanking) end to end through HTTP, as the shopper's browser would walk it:
// txn -> bank page -> the button's form post -> our return page -> the merchant's return_url,
// with the return signature verified against the merchant's response key.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { signReturnParams, verifyReturnParams } from '../../src/core/signature.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { assertApiError, call, createOrderOk, get, orderStatus, payByCard, post, setAllGateways, declineAll } from '../helpers/api-helpers.ts';

let j: TestApp;
before(async () => {
  j = await startTestApp();
});
after(async () => {
  await j.close();
});
beforeEach(() => {
  setAllGateways(j);
});

const RETURN_URL = 'https://shop.example.com/checkout/return?cart=42';

/** Path and query of an absolute URL (inject takes paths). */
function local(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/** Finds the bank page form whose hidden `result` is `result`, and returns its action. */
function formAction(html: string, result: 'success' | 'failure'): string {
  const forms = [...html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
  const match = forms.find((f) => new RegExp(`name="result" value="${result}"`).test(f[2]!));
  assert.ok(match, `the bank page has a ${result} form`);
  return match[1]!.replace(/&amp;/g, '&');
}

interface Walk {
  orderId: string;
  txnUuid: string;
  final: URL;
}

/** The signature exactly as it travels in the Location header (percent-encoded once). */
function rawSignature(final: URL): string {
  const match = /[?&]signature=([^&]*)/.exec(final.search);
  assert.ok(match, 'signature in the query');
  return match[1]!;
}

/** Starts a redirecting payment and walks the browser through it, pressing `button`. */
async function walk(start: (orderId: string) => Promise<{ status: number; json: Record<string, any>; body: string }>, button: 'success' | 'failure'): Promise<Walk> {
  const orderId = await createOrderOk(j, { amount: '150.00', return_url: RETURN_URL });
  const txn = await start(orderId);
  assert.equal(txn.status, 200, txn.body);
  assert.equal(txn.json.status, 'PENDING_VBV');
  const authentication = txn.json.payment.authentication;
  assert.equal(authentication.method, 'GET');

  // 1. The bank page (HTML), no API key: it is the shopper's browser.
  const page = await get(j, local(authentication.url), { auth: null });
  assert.equal(page.status, 200);
  assert.match(String(page.headers['content-type']), /text\/html/);
  assert.match(page.body, /150\.00/);

  // 2. Press the button: the form posts result=<button> and the bank 302s to our return page.
  const action = formAction(page.body, button);
  const posted = await j.app.inject({ method: 'POST', url: action, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `result=${button}` });
  assert.equal(posted.statusCode, 302, posted.body);
  const toReturn = new URL(String(posted.headers.location));
  assert.equal(toReturn.pathname, `/txns/${txn.json.txn_uuid}/return`);
  assert.ok(toReturn.searchParams.get('gateway_txn_id'));

  // 3. Our return page completes authentication and 302s to the merchant's return_url.
  const returned = await j.app.inject({ method: 'GET', url: local(toReturn.toString()) });
  assert.equal(returned.statusCode, 302, returned.body);
  const final = new URL(String(returned.headers.location));
  return { orderId, txnUuid: txn.json.txn_uuid, final };
}

async function assertSignedReturn(final: URL, orderId: string, status: string, statusId: number): Promise<void> {
  assert.equal(`${final.origin}${final.pathname}`, 'https://shop.example.com/checkout/return');
  assert.equal(final.searchParams.get('cart'), '42', "the merchant's own query survives");
  assert.equal(final.searchParams.get('order_id'), orderId);
  assert.equal(final.searchParams.get('status'), status);
  assert.equal(final.searchParams.get('status_id'), String(statusId));
  assert.equal(final.searchParams.get('signature_algorithm'), 'HMAC-SHA256');
  const signature = final.searchParams.get('signature');
  assert.ok(signature);
  const { responseKey } = await j.merchants.getMerchantSecrets('demo_merchant');
  const params: Record<string, string> = {};
  for (const key of ['order_id', 'status', 'status_id', 'signature', 'signature_algorithm']) params[key] = final.searchParams.get(key)!;
  // The signature is carried percent-encoded once more by the URL; verify in the encoded form the scheme produces.
  assert.equal(verifyReturnParams(params, encodeURIComponent(signature), responseKey), true, 'signature verifies with the response key');
  // On the wire the value is the percent-encoded base64 HMAC the scheme produces.
  assert.equal(rawSignature(final), signReturnParams({ order_id: orderId, status, status_id: String(statusId) }, responseKey));
  assert.equal(decodeURIComponent(rawSignature(final)), signature);
  // And independently of our own helper, following the published scheme step by step.
  const fields: Record<string, string> = { order_id: orderId, status, status_id: String(statusId) };
  const joined = Object.keys(fields)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(fields[k]!)}`)
    .join('&');
  const independent = createHmac('sha256', responseKey).update(encodeURIComponent(joined)).digest('base64');
  assert.equal(signature, independent);
  assert.equal(verifyReturnParams(params, encodeURIComponent(signature), `${responseKey}x`), false, 'and not with another key');
  assert.equal(verifyReturnParams({ ...params, status: 'CHARGED', status_id: '21' }, encodeURIComponent(signature), responseKey), status === 'CHARGED', 'a tampered status does not verify');
}

describe('3-D Secure through HTTP', () => {
  test('success button: PENDING_VBV -> CHARGED, signed redirect to return_url', async () => {
    const { orderId, final } = await walk((orderId) => payByCard(j, orderId, { auth_type: 'THREE_DS' }), 'success');
    await assertSignedReturn(final, orderId, 'CHARGED', 21);
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.status, 'CHARGED');
    assert.equal(status.json.txn_detail.status, 'CHARGED');
  });

  test('failure button: PENDING_VBV -> AUTHENTICATION_FAILED, signed redirect with that status', async () => {
    const { orderId, final } = await walk((orderId) => payByCard(j, orderId, { auth_type: 'THREE_DS' }), 'failure');
    await assertSignedReturn(final, orderId, 'AUTHENTICATION_FAILED', 26);
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.status, 'AUTHENTICATION_FAILED');
    assert.equal(status.json.status_id, 26);
    assert.equal(status.json.txn_detail.unified_error.code, 'AUTHENTICATION_FAILED');
    assert.equal(status.json.txn_detail.unified_error.gateway_code, 'AUTH_FAILED');
    // A failed authentication unlocks the order: a retry may charge it.
    const retry = await payByCard(j, orderId);
    assert.equal(retry.json.status, 'CHARGED', retry.body);
  });

  test('authentication succeeds but the issuer declines: AUTHORIZATION_FAILED', async () => {
    declineAll(j);
    const { orderId, final } = await walk((orderId) => payByCard(j, orderId, { auth_type: 'THREE_DS' }), 'success');
    await assertSignedReturn(final, orderId, 'AUTHORIZATION_FAILED', 27);
    assert.equal((await orderStatus(j, orderId)).json.status, 'AUTHORIZATION_FAILED');
  });

  test('THREE_DS_2 takes the same path', async () => {
    const { orderId, final } = await walk((orderId) => payByCard(j, orderId, { auth_type: 'THREE_DS_2' }), 'success');
    await assertSignedReturn(final, orderId, 'CHARGED', 21);
  });

  test('netbanking NB_ICICI: bank page -> CHARGED', async () => {
    const { orderId, final } = await walk((orderId) => post(j, '/txns', { order_id: orderId, payment_method_type: 'NB', payment_method: 'NB_ICICI' }, { asForm: true }), 'success');
    await assertSignedReturn(final, orderId, 'CHARGED', 21);
  });

  test('an abandoned 3-D Secure page: a second attempt may charge, the late first success is auto-refunded', async () => {
    const orderId = await createOrderOk(j, { return_url: RETURN_URL });
    const first = await payByCard(j, orderId, { auth_type: 'THREE_DS' });
    assert.equal(first.json.status, 'PENDING_VBV');
    // The shopper gives up on the bank page and pays another way.
    const second = await payByCard(j, orderId);
    assert.equal(second.json.status, 'CHARGED', second.body);
    // Later the first page is completed after all: the order must not be charged twice.
    const page = await get(j, local(first.json.payment.authentication.url), { auth: null });
    const posted = await j.app.inject({ method: 'POST', url: formAction(page.body, 'success'), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'result=success' });
    const returned = await j.app.inject({ method: 'GET', url: local(String(posted.headers.location)) });
    assert.equal(returned.statusCode, 302);
    assert.equal(new URL(String(returned.headers.location)).searchParams.get('status'), 'CHARGED');
    const status = await orderStatus(j, orderId);
    assert.equal(status.json.status, 'CHARGED');
    assert.equal(status.json.txn_id, second.json.txn_id, 'the order speaks for the attempt that charged first');
    const firstTxn = (status.json.txn_list as Array<{ txn_uuid: string; status: string }>).find((t) => t.txn_uuid === first.json.txn_uuid);
    assert.equal(firstTxn?.status, 'AUTO_REFUNDED');
    const charged = await j.db.query("SELECT id FROM txns WHERE txn_id LIKE $1 AND status = 'CHARGED'", [`demo_merchant-${orderId}-%`]);
    assert.equal(charged.length, 1);
    // The simulated gateway really refunded the duplicate charge.
    const [row] = await j.db.query<{ gateway_txn_id: string }>('SELECT gateway_txn_id FROM txns WHERE id = $1', [first.json.txn_uuid]);
    const ledger = j.simulator.lookup(row!.gateway_txn_id);
    assert.equal(ledger?.status, 'CHARGED');
    assert.equal(ledger?.refunded_amount, ledger?.captured_amount);
  });

  test('replaying the return URL does not change a settled order', async () => {
    const { orderId, txnUuid, final } = await walk((orderId) => payByCard(j, orderId, { auth_type: 'THREE_DS' }), 'success');
    assert.equal(final.searchParams.get('status'), 'CHARGED');
    const again = await j.app.inject({ method: 'GET', url: `/txns/${txnUuid}/return?gateway_txn_id=forged` });
    assert.equal(again.statusCode, 302);
    assert.equal(new URL(String(again.headers.location)).searchParams.get('status'), 'CHARGED');
    assert.equal((await orderStatus(j, orderId)).json.status, 'CHARGED');
  });

  test('without a return_url the return page shows the result as HTML', async () => {
    const orderId = await createOrderOk(j);
    const txn = await payByCard(j, orderId, { auth_type: 'THREE_DS' });
    const page = await get(j, local(txn.json.payment.authentication.url), { auth: null });
    const action = formAction(page.body, 'success');
    const posted = await j.app.inject({ method: 'POST', url: action, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'result=success' });
    const returned = await call(j, 'GET', local(String(posted.headers.location)), undefined, { auth: null });
    assert.equal(returned.status, 200);
    assert.match(String(returned.headers['content-type']), /text\/html/);
    assert.match(returned.body, /CHARGED/);
  });

  test('an unknown transaction on the return page is 404', async () => {
    const response = await get(j, '/txns/txn_doesnotexist/return', { auth: null });
    assertApiError(response, 404);
  });
});
