// Bad query parameters of the dashboard's reads answer 400 naming the parameter, never 500;
// callers without credentials get 401 before any validation; the routes are in /openapi.json.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { assertFieldError, dash } from './dashboard-helpers.ts';

let j: TestApp;
before(async () => {
  j = await startTestApp();
});
after(async () => {
  await j.close();
});

const CASES: Array<{ url: string; field: string }> = [
  { url: '/v1/dashboard/analytics?from=yesterday', field: 'from' },
  { url: '/v1/dashboard/analytics?to=2024-13-45T00:00:00Z', field: 'to' },
  { url: '/v1/dashboard/analytics?from=2024-05-01T10:00:00', field: 'from' },
  { url: '/v1/dashboard/analytics?from=2024-05-02T00:00:00Z&to=2024-05-01T00:00:00Z', field: 'from' },
  { url: '/v1/dashboard/analytics?from=1999-01-01T00:00:00Z&to=2000-06-01T00:00:00Z', field: 'from' },
  { url: '/v1/dashboard/analytics?from=2020-01-01T00:00:00Z&to=2024-01-01T00:00:00Z', field: 'from' },
  { url: '/v1/dashboard/analytics?bucket=week', field: 'bucket' },
  { url: '/v1/dashboard/analytics?bucket=minute&from=2024-05-01T00:00:00Z&to=2024-05-08T00:00:00Z', field: 'bucket' },
  { url: '/v1/dashboard/analytics?bucket=hour&from=2024-01-01T00:00:00Z&to=2024-12-01T00:00:00Z', field: 'bucket' },
  { url: '/v1/dashboard/analytics?gateway=NOPE', field: 'gateway' },
  { url: '/v1/dashboard/analytics?card_brand=FOO', field: 'card_brand' },
  { url: '/v1/dashboard/analytics?payment_method_type=CHEQUE', field: 'payment_method_type' },
  { url: '/v1/dashboard/analytics?logic_id=bad%20id%3B', field: 'logic_id' },
  { url: '/v1/dashboard/analytics?gateway=SIM_ALPHA&gateway=SIM_BETA', field: 'gateway' },
  { url: `/v1/dashboard/analytics?from=${'9'.repeat(80)}`, field: 'from' },
  { url: '/v1/dashboard/live?seconds=0', field: 'seconds' },
  { url: '/v1/dashboard/live?seconds=7200', field: 'seconds' },
  { url: '/v1/dashboard/live?seconds=abc', field: 'seconds' },
  { url: '/v1/dashboard/live?step=0', field: 'step' },
  { url: '/v1/dashboard/live?seconds=60&step=120', field: 'step' },
  { url: '/v1/dashboard/live?seconds=3600&step=1', field: 'step' },
  { url: '/v1/dashboard/live?step=-5', field: 'step' },
  { url: '/v1/dashboard/orders?limit=0', field: 'limit' },
  { url: '/v1/dashboard/orders?limit=1000', field: 'limit' },
  { url: '/v1/dashboard/orders?limit=ten', field: 'limit' },
  { url: '/v1/dashboard/orders?status=PAID', field: 'status' },
  { url: '/v1/dashboard/orders?cursor=not-a-cursor', field: 'cursor' },
  { url: `/v1/dashboard/orders?cursor=${Buffer.from('12.x; DROP TABLE orders').toString('base64url')}`, field: 'cursor' },
  { url: '/v1/dashboard/orders?from=now', field: 'from' },
  { url: `/v1/dashboard/orders?search=${'a'.repeat(300)}`, field: 'search' },
];

for (const c of CASES) {
  test(`${c.url.slice(0, 110)} answers 400 naming ${c.field}`, async () => {
    const r = await dash(j, 'GET', c.url);
    assertFieldError(r, 400, c.field);
    assert.equal(r.json.error_info.category, 'USER_ERROR');
  });
}

test('empty filter values mean "all"', async () => {
  const r = await dash(j, 'GET', '/v1/dashboard/analytics?gateway=&card_brand=&payment_method_type=&logic_id=&bucket=');
  assert.equal(r.status, 200, r.body);
});

test('a date without a time is midnight UTC', async () => {
  const r = await dash(j, 'GET', '/v1/dashboard/analytics?from=2024-05-01&to=2024-05-03');
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.from, '2024-05-01T00:00:00.000Z');
  assert.equal(r.json.bucket, 'hour');
  assert.equal(r.json.series.length, 0);
});

test('without credentials every dashboard route answers 401, before validating anything', async () => {
  for (const [method, url, body] of [
    ['GET', '/v1/dashboard/analytics?bucket=week'],
    ['GET', '/v1/dashboard/live'],
    ['GET', '/v1/dashboard/orders'],
    ['GET', '/v1/dashboard/orders/x'],
    ['POST', '/v1/dashboard/orders/x/refunds', { nonsense: true }],
    ['GET', '/v1/dashboard/gateways'],
    ['PATCH', '/v1/dashboard/gateways/gwa_x', { priority: 'high' }],
    ['POST', '/v1/dashboard/gateways/SIM_ALPHA/outage', { duration_seconds: 60 }],
    ['DELETE', '/v1/dashboard/gateways/SIM_ALPHA/outage'],
  ] as const) {
    const r = await dash(j, method, url, body, { none: true });
    assert.equal(r.status, 401, `${method} ${url}: ${r.body}`);
    const bad = await dash(j, method, url, body, { token: 'not-a-real-token' });
    assert.equal(bad.status, 401, `${method} ${url}: ${bad.body}`);
  }
});

test('the dashboard routes are documented in /openapi.json under the dashboard tag', async () => {
  const r = await j.app.inject({ method: 'GET', url: '/openapi.json' });
  const spec = JSON.parse(r.body);
  for (const [path, method] of [
    ['/v1/dashboard/analytics', 'get'],
    ['/v1/dashboard/live', 'get'],
    ['/v1/dashboard/orders', 'get'],
    ['/v1/dashboard/orders/{order_id}', 'get'],
    ['/v1/dashboard/orders/{order_id}/refunds', 'post'],
    ['/v1/dashboard/gateways', 'get'],
    ['/v1/dashboard/gateways/{account_id}', 'patch'],
    ['/v1/dashboard/gateways/{gateway}/outage', 'post'],
    ['/v1/dashboard/gateways/{gateway}/outage', 'delete'],
  ] as const) {
    const operation = spec.paths?.[path]?.[method];
    assert.ok(operation, `${method.toUpperCase()} ${path} in the spec`);
    assert.deepEqual(operation.tags, ['dashboard']);
  }
});
