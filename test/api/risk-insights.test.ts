// The Risk page's reads about past attempts, through HTTP (PGlite, or PostgreSQL when
// DATABASE_URL is set): GET /v1/risk/blocked lists the attempts the checks blocked with their code,
// reasons and blocking rule or check, a page at a time; GET /v1/risk/block-rate counts checked and
// blocked attempts per bucket and per rule or check. Both are scoped to the caller's merchant and
// answer bad input with a 400 naming the field.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { assertApiError, createOrderOk, createSecondMerchant, get, payByCard } from '../helpers/api-helpers.ts';

let j: TestApp;
before(async () => {
  j = await startTestApp();
});
after(async () => {
  await j.close();
});

async function send(method: 'PUT' | 'POST' | 'GET', url: string, body?: unknown, auth: string = j.basic) {
  const response = await j.app.inject({
    method,
    url,
    headers: { authorization: auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  return { status: response.statusCode, body: response.body, json: JSON.parse(response.body) as Record<string, any> };
}

describe('risk insights: blocked attempts and block rate', () => {
  let blockedByList: string;
  let blockedByRule: string;
  let allowed: string;
  before(async () => {
    assert.equal((await send('PUT', '/v1/risk/config', { mode: 'sequential' })).status, 200);
    assert.equal((await send('POST', '/v1/risk/lists/blocklist', { kind: 'email', value: 'fraud@example.com' })).status, 201);
    const rule = await send('POST', '/v1/risk/rules', { name: 'huge amounts', condition: { dimension: 'amount', operator: 'greater_than', value: 5_000_000 }, action: 'block', score: 90 });
    assert.equal(rule.status, 201, rule.body);
    blockedByList = await createOrderOk(j, { customer_email: 'fraud@example.com' });
    const a = await payByCard(j, blockedByList);
    assert.equal(a.json.status, 'JUSPAY_DECLINED', a.body);
    blockedByRule = await createOrderOk(j, { amount: '60000.00' });
    const b = await payByCard(j, blockedByRule);
    assert.equal(b.json.error_code, 'RISK_RULE', b.body);
    allowed = await createOrderOk(j);
    assert.equal((await payByCard(j, allowed)).json.status, 'CHARGED');
  });

  test('blocked lists the declined attempts newest first with code, reasons and what blocked them', async () => {
    const r = await send('GET', '/v1/risk/blocked');
    assert.equal(r.status, 200, r.body);
    const rows = r.json.blocked as Array<Record<string, any>>;
    assert.deepEqual(
      rows.map((x) => x.order_id),
      [blockedByRule, blockedByList],
    );
    assert.equal(rows[1]!.code, 'RISK_BLOCKLISTED');
    assert.equal(rows[1]!.status, 'JUSPAY_DECLINED');
    assert.equal(rows[1]!.amount, 10000);
    assert.equal(rows[1]!.currency, 'INR');
    assert.deepEqual(rows[1]!.blocked_by, ['blocklist']);
    assert.ok(
      rows[1]!.reasons.some((s: string) => s.includes('fraud@example.com')),
      JSON.stringify(rows[1]),
    );
    assert.equal(rows[0]!.code, 'RISK_RULE');
    assert.deepEqual(rows[0]!.blocked_by, ['rule:huge amounts']);
    assert.ok(rows[0]!.checks.some((c: { check: string; action: string }) => c.check === 'rules' && c.action === 'block'));
    assert.equal(r.json.next_cursor, null);
  });

  test('blocked pages with next_cursor', async () => {
    const first = await send('GET', '/v1/risk/blocked?limit=1');
    assert.equal(first.json.blocked.length, 1);
    assert.equal(first.json.blocked[0].order_id, blockedByRule);
    assert.equal(typeof first.json.next_cursor, 'string');
    const second = await send('GET', `/v1/risk/blocked?limit=1&before=${encodeURIComponent(first.json.next_cursor)}`);
    assert.deepEqual(
      second.json.blocked.map((x: { order_id: string }) => x.order_id),
      [blockedByList],
    );
    assert.equal(second.json.next_cursor, null);
  });

  test('block-rate counts checked and blocked attempts per bucket and per rule or check', async () => {
    const r = await send('GET', '/v1/risk/block-rate?bucket=1h');
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.bucket_seconds, 3600);
    const checked = r.json.buckets.reduce((s: number, b: { checked: number }) => s + b.checked, 0);
    const blocked = r.json.buckets.reduce((s: number, b: { blocked: number }) => s + b.blocked, 0);
    assert.equal(checked, 3);
    assert.equal(blocked, 2);
    assert.deepEqual(
      r.json.by.map((s: { key: string; total: number }) => [s.key, s.total]),
      [
        ['blocklist', 1],
        ['rule:huge amounts', 1],
      ],
    );
    for (const s of r.json.by) assert.equal(s.blocked.length, r.json.buckets.length);
  });

  test('a viewer reads them; another merchant sees none of them', async () => {
    const viewer = await send('GET', '/v1/risk/blocked', undefined, 'Bearer test_pl_viewer_token_0001');
    assert.equal(viewer.status, 200, viewer.body);
    assert.equal(viewer.json.blocked.length, 2);
    const other = await createSecondMerchant(j);
    const theirs = await send('GET', '/v1/risk/blocked', undefined, other.auth);
    assert.deepEqual(theirs.json.blocked, []);
    const rate = await send('GET', '/v1/risk/block-rate', undefined, other.auth);
    assert.deepEqual(rate.json.by, []);
    assert.equal(
      rate.json.buckets.reduce((s: number, b: { checked: number }) => s + b.checked, 0),
      0,
    );
  });

  test('bad input is a 400 naming the field; no credentials is a 401', async () => {
    assertApiError(await get(j, '/v1/risk/blocked?limit=0'), 400, { field: 'limit' });
    assertApiError(await get(j, '/v1/risk/blocked?from=yesterday'), 400, { field: 'from' });
    assertApiError(await get(j, '/v1/risk/blocked?before=garbage'), 400, { field: 'before' });
    assertApiError(await get(j, '/v1/risk/block-rate?bucket=2h'), 400, { field: 'bucket' });
    assertApiError(await get(j, '/v1/risk/block-rate?bucket=1m&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z'), 400, { field: 'bucket' });
    assertApiError(await get(j, '/v1/risk/block-rate?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z'), 400, { field: 'from' });
    const anonymous = await get(j, '/v1/risk/blocked', { auth: null });
    assert.equal(anonymous.status, 401);
  });
});
