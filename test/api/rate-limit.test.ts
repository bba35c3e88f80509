// Rate limits on the merchant API and the dashboard API (issue 10): per API key, per session or
// user token, else per address; the 429 in the API's error shape with Retry-After; one merchant's
// flood never spends another's budget; /health, webhooks and the admin key are exempt.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSecondMerchant } from '../helpers/api-helpers.ts';
import { DEMO_USER_TOKENS, startTestApp, type TestApp } from '../helpers/test-app.ts';

const LIMITS = { enabled: true, perKeyPerMinute: 5, perSessionPerMinute: 4, perAddressPerMinute: 3 };

describe('rate limits', () => {
  let j: TestApp;
  let other: { auth: string };
  before(async () => {
    j = await startTestApp({ rateLimits: LIMITS });
    other = await createSecondMerchant(j);
  });
  after(async () => {
    await j.close();
  });

  const get = (url: string, headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') => j.app.inject({ method: 'GET', url, headers, remoteAddress });

  test("a merchant key's N+1th request in a minute gets 429 in Juspay's error shape with Retry-After; another merchant is unaffected", async () => {
    for (let i = 0; i < LIMITS.perKeyPerMinute; i++) {
      const r = await get('/customers/nobody', { authorization: j.basic });
      assert.notEqual(r.statusCode, 429, `request ${i + 1}`);
    }
    const limited = await get('/customers/nobody', { authorization: j.basic });
    assert.equal(limited.statusCode, 429, limited.body);
    const seconds = Number(limited.headers['retry-after']);
    assert.ok(seconds >= 1 && seconds <= 60, String(limited.headers['retry-after']));
    const body = limited.json();
    assert.equal(body.status, 'Too Many Requests');
    assert.equal(body.error_code, 'rate_limit_error');
    assert.equal(body.error_info.code, 'RATE_LIMITED');
    assert.match(body.error_message, /limit is 5 per minute/);
    // The same key from another address is the same budget (it is per key, not per address)...
    assert.equal((await get('/customers/nobody', { authorization: j.basic }, '10.9.9.9')).statusCode, 429);
    // ...and another merchant's key has its own.
    assert.notEqual((await get('/customers/nobody', { authorization: other.auth })).statusCode, 429);
  });

  test('dashboard users are limited per token; the admin key and /health are exempt', async () => {
    const viewer = { authorization: `Bearer ${DEMO_USER_TOKENS.viewer}` };
    for (let i = 0; i < LIMITS.perSessionPerMinute; i++) assert.equal((await get('/v1/priority-logics', viewer)).statusCode, 200);
    const limited = await get('/v1/priority-logics', viewer);
    assert.equal(limited.statusCode, 429);
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    assert.equal(limited.json().error_info.code, 'RATE_LIMITED');
    assert.equal((await get('/v1/priority-logics', { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` })).statusCode, 200, 'another user has its own budget');
    for (let i = 0; i < 20; i++) {
      assert.equal((await get('/health')).statusCode, 200);
      assert.notEqual((await get('/admin/v1/merchants/demo_merchant', { authorization: 'Bearer test-admin-key' })).statusCode, 429);
    }
  });

  test('requests without credentials are limited per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.perAddressPerMinute + 1; i++) statuses.push((await get('/v1/auth/me', {}, '192.0.2.44')).statusCode);
    assert.deepEqual(
      statuses.slice(0, LIMITS.perAddressPerMinute),
      statuses.slice(0, LIMITS.perAddressPerMinute).map(() => 401),
    );
    assert.equal(statuses.at(-1), 429);
    assert.equal((await get('/v1/auth/me', {}, '192.0.2.45')).statusCode, 401, 'another address has its own budget');
  });

  test('RATE_LIMIT=off disables them', async () => {
    const off = await startTestApp({ rateLimits: { ...LIMITS, enabled: false } });
    try {
      for (let i = 0; i < 20; i++) assert.notEqual((await off.app.inject({ method: 'GET', url: '/customers/nobody', headers: { authorization: off.basic } })).statusCode, 429);
    } finally {
      await off.close();
    }
  });
});
