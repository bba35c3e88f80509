// The review queue's ends: a held payment nobody decides within the merchant's review_expiry_hours
// is voided by the background worker (audit row, TXN_REVIEW_EXPIRED webhook), once even with
// several workers; the merchant hears of a hold (TXN_MANUAL_REVIEW_NEEDED) and of a reviewer's
// approval or rejection (TXN_REVIEW_APPROVED / TXN_REVIEW_REJECTED).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { createOrderOk, orderStatus, payByCard, setAllGateways } from '../helpers/api-helpers.ts';

const HOUR = 3_600_000;
let j: TestApp;
let offset = 0;
before(async () => {
  j = await startTestApp({}, { reviewExpiry: { now: () => Date.now() + offset } });
});
after(() => j.close());
beforeEach(async () => {
  setAllGateways(j);
  offset = 0;
  // Earlier tests' held payments would expire with this test's clock: settle them out of the way.
  await j.db.query(`UPDATE txns SET risk = jsonb_set(risk, '{review}', '{"state":"REJECTED"}') WHERE risk -> 'review' ->> 'state' IN ('PENDING', 'EXPIRING')`);
});

const hook = { 'metadata.webhook_url': 'https://shop.example.com/hooks' };

async function send(method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) {
  const r = await j.app.inject({
    method,
    url,
    headers: { authorization: j.basic, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: r.statusCode, body: r.body, json: JSON.parse(r.body || 'null') };
}

async function setup(config: Record<string, unknown>) {
  const c = await send('PUT', '/v1/risk/config', config);
  assert.equal(c.status, 200, c.body);
  await j.db.query('DELETE FROM risk_rules');
  const rule = await send('POST', '/v1/risk/rules', { name: 'large', condition: { dimension: 'amount', operator: 'greater_than', value: 50_000 }, action: 'review', score: 60 });
  assert.equal(rule.status, 201, rule.body);
}

async function hold(): Promise<{ orderId: string; txnUuid: string }> {
  const orderId = await createOrderOk(j, { amount: '900.00', ...hook });
  const r = await payByCard(j, orderId);
  assert.equal(r.json.status, 'AUTHORIZED', r.body);
  return { orderId, txnUuid: r.json.txn_uuid };
}

async function events(orderId: string): Promise<string[]> {
  const rows = await j.db.query<{ event_name: string }>('SELECT event_name FROM outbox_events WHERE payload::text LIKE $1 ORDER BY created_at, id', [`%${orderId}%`]);
  return rows.map((r) => r.event_name);
}

describe('risk review expiry and review webhooks', () => {
  test('a hold is announced; past review_expiry_hours the worker voids it, records it and tells the merchant', async () => {
    await setup({ review_expiry_hours: 2 });
    const held = await hold();
    assert.ok((await events(held.orderId)).includes('TXN_MANUAL_REVIEW_NEEDED'));
    offset = 1 * HOUR;
    assert.equal(await j.reviewExpiry.runOnce(), 0);
    assert.equal((await orderStatus(j, held.orderId)).json.status, 'AUTHORIZED');
    offset = 3 * HOUR;
    assert.equal(await j.reviewExpiry.runOnce(), 1);
    const status = await orderStatus(j, held.orderId);
    assert.equal(status.json.status, 'VOIDED');
    const review = status.json.txn_detail.risk_checks.review;
    assert.equal(review.state, 'EXPIRED');
    assert.equal(review.by, 'system:review-expiry');
    assert.equal(review.result, 'VOIDED');
    assert.ok(review.held_at);
    assert.ok((await events(held.orderId)).includes('TXN_REVIEW_EXPIRED'));
    const audit = await send('GET', '/v1/risk/audit');
    assert.ok(
      audit.json.audit.some((a: { action: string; entity: string; actor: string }) => a.action === 'review.expire' && a.entity === `txn:${held.txnUuid}` && a.actor === 'system:review-expiry'),
      audit.body,
    );
    assert.ok(!(await send('GET', '/v1/risk/reviews')).body.includes(held.txnUuid));
    assert.equal(await j.reviewExpiry.runOnce(), 0, 'nothing left to expire');
  });

  test('without review_expiry_hours a hold waits 72 hours', async () => {
    await setup({});
    const held = await hold();
    offset = 71 * HOUR;
    assert.equal(await j.reviewExpiry.runOnce(), 0);
    offset = 73 * HOUR;
    assert.equal(await j.reviewExpiry.runOnce(), 1);
    assert.equal((await orderStatus(j, held.orderId)).json.status, 'VOIDED');
  });

  test('two workers at once expire each held payment exactly once', async () => {
    await setup({ review_expiry_hours: 1 });
    const held = [await hold(), await hold(), await hold(), await hold()];
    offset = 2 * HOUR;
    const counts = await Promise.all([j.reviewExpiry.runOnce(), j.reviewExpiry.runOnce()]);
    assert.equal(counts[0]! + counts[1]!, 4, JSON.stringify(counts));
    for (const h of held) {
      assert.equal((await orderStatus(j, h.orderId)).json.status, 'VOIDED');
      assert.equal((await events(h.orderId)).filter((e) => e === 'TXN_REVIEW_EXPIRED').length, 1);
    }
    const audit = await send('GET', '/v1/risk/audit?limit=1000');
    for (const h of held) assert.equal(audit.json.audit.filter((a: { action: string; entity: string }) => a.action === 'review.expire' && a.entity === `txn:${h.txnUuid}`).length, 1);
  });

  test('a void the gateway refuses does not end the review: the claim is retried when its lease runs out', async () => {
    await setup({ review_expiry_hours: 1 });
    const held = await hold();
    // The gateway forgets the payment (the simulator reset): the void is refused.
    await j.simulator.resetMerchant('demo_merchant');
    setAllGateways(j);
    offset = 2 * HOUR;
    assert.equal(await j.reviewExpiry.runOnce(), 0);
    const after = await orderStatus(j, held.orderId);
    assert.equal(after.json.txn_detail.status, 'VOID_FAILED', after.body);
    assert.notEqual(after.json.txn_detail.risk_checks.review.state, 'EXPIRED');
    assert.ok(!(await events(held.orderId)).includes('TXN_REVIEW_EXPIRED'));
    const [first] = await j.db.query<{ lease: string }>("SELECT risk -> 'review' ->> 'leaseUntil' AS lease FROM txns WHERE id = $1", [held.txnUuid]);
    // Within the lease nobody takes it again; past it, the next pass claims it again (a new lease).
    assert.equal(await j.reviewExpiry.runOnce(), 0);
    const [same] = await j.db.query<{ lease: string }>("SELECT risk -> 'review' ->> 'leaseUntil' AS lease FROM txns WHERE id = $1", [held.txnUuid]);
    assert.equal(same!.lease, first!.lease);
    offset = 3 * HOUR;
    await j.reviewExpiry.runOnce();
    const [retried] = await j.db.query<{ lease: string }>("SELECT risk -> 'review' ->> 'leaseUntil' AS lease FROM txns WHERE id = $1", [held.txnUuid]);
    assert.ok(retried!.lease > first!.lease, `${retried!.lease} after ${first!.lease}`);
  });

  test('approve and reject send TXN_REVIEW_APPROVED and TXN_REVIEW_REJECTED; a decided payment never expires', async () => {
    await setup({ review_expiry_hours: 1 });
    const [a, r] = [await hold(), await hold()];
    assert.equal((await send('POST', `/v1/risk/reviews/${a.txnUuid}/approve`, {})).json.status, 'CHARGED');
    assert.equal((await send('POST', `/v1/risk/reviews/${r.txnUuid}/reject`, {})).json.status, 'VOIDED');
    assert.ok((await events(a.orderId)).includes('TXN_REVIEW_APPROVED'));
    assert.ok((await events(r.orderId)).includes('TXN_REVIEW_REJECTED'));
    offset = 5 * HOUR;
    assert.equal(await j.reviewExpiry.runOnce(), 0);
    assert.equal((await orderStatus(j, a.orderId)).json.status, 'CHARGED');
    assert.equal((await orderStatus(j, a.orderId)).json.txn_detail.risk_checks.review.state, 'APPROVED');
  });
});
