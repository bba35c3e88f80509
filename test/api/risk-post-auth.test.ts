// The provider's post-authorisation call on the payment path: after the gateway has authorised or
// charged, the provider is asked again under its own deadline; a block voids an authorisation or
// refunds a charge, a review holds an authorisation (a charge is flagged). A provider that stalls or
// fails follows the merchant's post-auth fail-open choice: the payment always ends defined.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { createOrderOk, get, orderStatus, payByCard, setAllGateways } from '../helpers/api-helpers.ts';
import { startRiskProviderEmulator, type RiskProviderEmulator } from '../../emulators/risk-provider/risk-provider-emulator.ts';

let j: TestApp;
let emulator: RiskProviderEmulator;
before(async () => {
  emulator = await startRiskProviderEmulator({ apiKey: 'rp_test_key', reviewAbove: 50_000 });
  j = await startTestApp({ riskReference: { url: emulator.origin, apiKey: 'rp_test_key', webhookSecret: 'rp_whsec_test' } });
});
after(async () => {
  await j.close();
  await emulator.close();
});
beforeEach(() => setAllGateways(j));

const hook = { 'metadata.webhook_url': 'https://shop.example.com/hooks' };

async function configure(config: Record<string, unknown>) {
  const r = await j.app.inject({ method: 'PUT', url: '/v1/risk/config', headers: { authorization: j.basic, 'content-type': 'application/json' }, payload: JSON.stringify(config) });
  assert.equal(r.statusCode, 200, r.body);
  return JSON.parse(r.body);
}

async function outboxEvents(orderId: string): Promise<string[]> {
  const rows = await j.db.query<{ event_name: string }>('SELECT event_name FROM outbox_events WHERE payload::text LIKE $1 ORDER BY created_at, id', [`%${orderId}%`]);
  return rows.map((r) => r.event_name);
}

async function refundsOf(orderId: string): Promise<Array<{ unique_request_id: string }>> {
  return j.db.query<{ unique_request_id: string }>('SELECT r.unique_request_id FROM refunds r JOIN orders o ON o.id = r.order_pk WHERE o.order_id = $1', [orderId]);
}

describe('risk provider post-authorisation', () => {
  test('an accepted charge stays charged; the provider is asked with the gateway status after it answered', async () => {
    await configure({ provider: 'reference', provider_timeout_ms: 2000 });
    const ok = await payByCard(j, await createOrderOk(j));
    assert.equal(ok.json.status, 'CHARGED', ok.body);
    const call = emulator.receivedPostAuth.find((c) => c.id === ok.json.order_id);
    assert.ok(call, 'post-auth was called');
    assert.equal(call.body.status, 'CHARGED');
    const status = await orderStatus(j, ok.json.order_id);
    assert.equal(status.json.status, 'CHARGED');
    assert.equal(status.json.risk.status, 'PASSED');
    const trace = status.json.txn_detail.risk_checks;
    assert.deepEqual(trace.post_auth.action, 'allow');
    assert.equal(trace.post_auth.effect, 'none');
    assert.ok(trace.checks.some((c: { check: string }) => c.check === 'provider:reference:post_auth'));
  });

  test('a post-auth decline refunds a charge and voids an authorisation; the risk block says REJECTED', async () => {
    await configure({ provider: 'reference', provider_timeout_ms: 2000 });
    const charged = await payByCard(j, await createOrderOk(j, { customer_email: 'fraud@postauth-decline.test' }));
    const chargedStatus = await orderStatus(j, charged.json.order_id);
    assert.equal(chargedStatus.json.txn_detail.risk_checks.post_auth.effect, 'refund', charged.body);
    assert.equal(chargedStatus.json.risk.status, 'REJECTED');
    assert.match(chargedStatus.json.risk.message ?? JSON.stringify(chargedStatus.json.risk.reasons), /confirmed fraud/);
    assert.deepEqual(
      (await refundsOf(charged.json.order_id)).map((r) => r.unique_request_id),
      [`risk_${charged.json.txn_uuid}`],
    );

    const manual = await payByCard(j, await createOrderOk(j, { customer_email: 'fraud2@postauth-decline.test', 'metadata.txns.auto_capture': 'false' }));
    assert.equal(manual.json.status, 'VOIDED', manual.body);
    const manualStatus = await orderStatus(j, manual.json.order_id);
    assert.equal(manualStatus.json.status, 'VOIDED');
    assert.equal(manualStatus.json.txn_detail.risk_checks.post_auth.effect, 'void');
  });

  test('a post-auth review holds an authorisation in the review queue (with a webhook) and flags a charge', async () => {
    await configure({ provider: 'reference', provider_timeout_ms: 2000 });
    const manual = await payByCard(j, await createOrderOk(j, { customer_email: 'look@postauth-review.test', 'metadata.txns.auto_capture': 'false', ...hook }));
    assert.equal(manual.json.status, 'AUTHORIZED', manual.body);
    const held = await orderStatus(j, manual.json.order_id);
    assert.equal(held.json.risk.status, 'FLAGGED');
    assert.equal(held.json.txn_detail.risk_checks.review.state, 'PENDING');
    assert.equal(held.json.txn_detail.risk_checks.post_auth.effect, 'review');
    const reviews = await j.app.inject({ method: 'GET', url: '/v1/risk/reviews', headers: { authorization: j.basic } });
    assert.ok(reviews.body.includes(manual.json.txn_uuid), reviews.body);
    assert.ok((await outboxEvents(manual.json.order_id)).includes('TXN_MANUAL_REVIEW_NEEDED'));

    const charged = await payByCard(j, await createOrderOk(j, { customer_email: 'look2@postauth-review.test', ...hook }));
    assert.equal(charged.json.status, 'CHARGED', charged.body);
    const flagged = await orderStatus(j, charged.json.order_id);
    assert.equal(flagged.json.risk.status, 'FLAGGED');
    assert.equal(flagged.json.txn_detail.risk_checks.post_auth.effect, 'flag');
    assert.equal(flagged.json.txn_detail.risk_checks.review, undefined);
    assert.ok(!(await outboxEvents(charged.json.order_id)).includes('TXN_MANUAL_REVIEW_NEEDED'));
  });

  test('a provider stalling past the post-auth deadline: fail closed refunds, fail open keeps the charge; both record why', async () => {
    await configure({ provider: 'reference', provider_timeout_ms: 2000, fail_open: true, post_auth: { timeout_ms: 50, fail_open: false } });
    emulator.faults.stallNext(1500, 1, '/post-auth');
    const closed = await payByCard(j, await createOrderOk(j));
    const closedStatus = await orderStatus(j, closed.json.order_id);
    assert.equal(closedStatus.json.txn_detail.risk_checks.post_auth.effect, 'refund', closed.body);
    assert.equal(closedStatus.json.risk.status, 'REJECTED');
    const check = closedStatus.json.txn_detail.risk_checks.checks.find((c: { check: string }) => c.check === 'provider:reference:post_auth');
    assert.match(check.reasons[0], /did not answer within 50 ms.*fail closed/);
    assert.equal((await refundsOf(closed.json.order_id)).length, 1);

    await configure({ provider: 'reference', provider_timeout_ms: 2000, fail_open: false, post_auth: { timeout_ms: 50, fail_open: true } });
    emulator.faults.stallNext(1500, 1, '/post-auth');
    const open = await payByCard(j, await createOrderOk(j));
    assert.equal(open.json.status, 'CHARGED', open.body);
    const openStatus = await orderStatus(j, open.json.order_id);
    assert.equal(openStatus.json.status, 'CHARGED');
    assert.equal(openStatus.json.txn_detail.risk_checks.post_auth.effect, 'none');
    assert.match(JSON.stringify(openStatus.json.txn_detail.risk_checks.checks), /fail open/);
    assert.equal((await refundsOf(open.json.order_id)).length, 0);
  });

  test('a provider error on post-auth follows the same choice (fail closed voids an authorisation)', async () => {
    await configure({ provider: 'reference', provider_timeout_ms: 2000, post_auth: { timeout_ms: 2000, fail_open: false } });
    emulator.faults.failNext(500, 1, '/post-auth');
    const manual = await payByCard(j, await createOrderOk(j, { 'metadata.txns.auto_capture': 'false' }));
    assert.equal(manual.json.status, 'VOIDED', manual.body);
    assert.match(JSON.stringify((await orderStatus(j, manual.json.order_id)).json.txn_detail.risk_checks), /HTTP 500.*fail closed/);
  });

  test('post_auth.enabled false: the provider is not asked after authorisation', async () => {
    await configure({ provider: 'reference', provider_timeout_ms: 2000, post_auth: { enabled: false } });
    const before = emulator.receivedPostAuth.length;
    const ok = await payByCard(j, await createOrderOk(j, { customer_email: 'fraud3@postauth-decline.test' }));
    assert.equal(ok.json.status, 'CHARGED', ok.body);
    assert.equal(emulator.receivedPostAuth.length, before);
    assert.equal((await orderStatus(j, ok.json.order_id)).json.txn_detail.risk_checks.post_auth, undefined);
  });

  test('bad post-auth and review-expiry settings are 400s naming the field; good ones are echoed', async () => {
    for (const [body, field] of [
      [{ post_auth: { timeout_ms: 5 } }, 'post_auth.timeout_ms'],
      [{ post_auth: { fail_open: 'yes' } }, 'post_auth.fail_open'],
      [{ post_auth: { later: true } }, 'post_auth.later'],
      [{ post_auth: 3 }, 'post_auth'],
      [{ review_expiry_hours: 0 }, 'review_expiry_hours'],
      [{ review_expiry_hours: 1.5 }, 'review_expiry_hours'],
    ] as const) {
      const r = await j.app.inject({ method: 'PUT', url: '/v1/risk/config', headers: { authorization: j.basic, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
      assert.equal(r.statusCode, 400, JSON.stringify(body));
      assert.equal(JSON.parse(r.body).error_info.fields[0].field_name, field);
    }
    const saved = await configure({ provider: 'reference', fail_open: false, review_expiry_hours: 24 });
    assert.deepEqual(saved.config.post_auth, { enabled: true, timeout_ms: 1000, fail_open: false });
    assert.equal(saved.config.review_expiry_hours, 24);
  });
});

describe('risk provider post-authorisation after the direct answer', () => {
  /** Pays with 3-D Secure and walks the shopper's browser through the bank page's success button to our return page. */
  async function payThrough3ds(fields: Record<string, string>): Promise<{ orderId: string; txnUuid: string }> {
    const orderId = await createOrderOk(j, { return_url: 'https://shop.example.com/return', ...fields });
    const txn = await payByCard(j, orderId, { auth_type: 'THREE_DS' });
    assert.equal(txn.json.status, 'PENDING_VBV', txn.body);
    assert.equal(
      emulator.receivedPostAuth.some((c) => c.id === orderId),
      false,
      'not asked while the shopper authenticates',
    );
    const page = await get(j, new URL(txn.json.payment.authentication.url).pathname + new URL(txn.json.payment.authentication.url).search, { auth: null });
    const form = [...page.body.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].find((f) => /name="result" value="success"/.test(f[2]!));
    assert.ok(form, 'the bank page has a success button');
    const posted = await j.app.inject({ method: 'POST', url: form[1]!.replace(/&amp;/g, '&'), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'result=success' });
    assert.equal(posted.statusCode, 302, posted.body);
    const back = new URL(String(posted.headers.location));
    const returned = await j.app.inject({ method: 'GET', url: back.pathname + back.search });
    assert.equal(returned.statusCode, 302, returned.body);
    return { orderId, txnUuid: txn.json.txn_uuid };
  }

  test('a payment charged after 3-D Secure is checked once on its return, and a decline refunds it', async () => {
    await configure({ provider: 'reference', provider_timeout_ms: 2000 });
    const accepted = await payThrough3ds({});
    const calls = emulator.receivedPostAuth.filter((c) => c.id === accepted.orderId);
    assert.equal(calls.length, 1, 'asked once, after the shopper came back');
    assert.equal(calls[0]!.body.status, 'CHARGED');
    const ok = await orderStatus(j, accepted.orderId);
    assert.equal(ok.json.status, 'CHARGED');
    assert.equal(ok.json.txn_detail.risk_checks.post_auth.effect, 'none');

    const declined = await payThrough3ds({ customer_email: 'late@postauth-decline.test' });
    const status = await orderStatus(j, declined.orderId);
    assert.equal(status.json.txn_detail.risk_checks.post_auth.effect, 'refund', JSON.stringify(status.json.txn_detail.risk_checks));
    assert.equal(status.json.risk.status, 'REJECTED');
    assert.deepEqual(
      (await refundsOf(declined.orderId)).map((r) => r.unique_request_id),
      [`risk_${declined.txnUuid}`],
    );
  });
});
