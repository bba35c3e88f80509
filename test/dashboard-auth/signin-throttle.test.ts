// Issue 10, finding 3: sign-in attempts are counted atomically before the password hash runs, per
// email, client address and pair, with growing delays instead of a lock; the owner at an address
// that signed in before is not held back by someone failing on purpose elsewhere; and the counters
// are shared by every instance on the database (PGlite here, PostgreSQL with DATABASE_URL).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp, type Junction } from '../../src/app.ts';
import { DEMO_USER_PASSWORD, TEST_SCRYPT_PARAMS, startTestApp, type TestApp } from '../helpers/test-app.ts';

const ADMIN = 'admin@demo.junction.local';
const VIEWER = 'viewer@demo.junction.local';
const EDITOR = 'editor@demo.junction.local';
let clock = 1_700_000_000_000;
const now = () => clock;

function login(app: Junction['app'], email: string, password: string, address: string) {
  return app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password }, remoteAddress: address });
}

describe('sign-in throttle through the API', () => {
  let j: TestApp;
  before(async () => {
    j = await startTestApp({ demo: { userPassword: DEMO_USER_PASSWORD } }, { signInThrottle: { now } });
  });
  after(async () => {
    await j.close();
  });

  test('100 concurrent wrong guesses: only the budget reaches the password check, the rest get 429 with Retry-After', async () => {
    const replies = await Promise.all(Array.from({ length: 100 }, () => login(j.app, VIEWER, 'wrong-password-123', '198.51.100.1')));
    const checked = replies.filter((r) => r.statusCode === 401);
    const throttled = replies.filter((r) => r.statusCode === 429);
    assert.equal(checked.length + throttled.length, 100, replies.map((r) => r.statusCode).join(','));
    assert.equal(checked.length, 5, 'the pair budget, not more');
    for (const r of throttled) {
      assert.equal(r.headers['retry-after'], '1');
      const body = r.json();
      assert.equal(body.error_code, 'rate_limit_error');
      assert.equal(body.error_info.code, 'RATE_LIMITED');
      assert.match(body.error_message, /try again in 1 s/);
    }
    // Even the right password waits while the pair is delayed (the hash is not run at all).
    assert.equal((await login(j.app, VIEWER, DEMO_USER_PASSWORD, '198.51.100.1')).statusCode, 429);
    // The delay grows: after it, one more failure, then twice the wait.
    clock += 1_000;
    assert.equal((await login(j.app, VIEWER, 'wrong-password-123', '198.51.100.1')).statusCode, 401);
    const next = await login(j.app, VIEWER, 'wrong-password-123', '198.51.100.1');
    assert.equal(next.statusCode, 429);
    assert.equal(next.headers['retry-after'], '2');
    clock += 2_000;
    assert.equal((await login(j.app, VIEWER, DEMO_USER_PASSWORD, '198.51.100.1')).statusCode, 200);
  });

  test('the owner at an address that signed in before is not locked out by failures from elsewhere', async () => {
    assert.equal((await login(j.app, ADMIN, DEMO_USER_PASSWORD, '10.1.1.1')).statusCode, 200);
    // Someone fails on purpose from many addresses, each under its pair budget: the email is held back...
    let refused = 0;
    for (let i = 0; i < 60; i++) {
      const r = await login(j.app, ADMIN, 'not-the-password', `192.0.2.${i}`);
      assert.ok(r.statusCode === 401 || r.statusCode === 429, r.body);
      if (r.statusCode === 429) refused++;
    }
    assert.ok(refused > 0, 'the email counter throttles the rotating addresses');
    const fromNew = await login(j.app, ADMIN, DEMO_USER_PASSWORD, '203.0.113.50');
    assert.equal(fromNew.statusCode, 429, 'a new address waits (a delay, not a lock)');
    assert.ok(Number(fromNew.headers['retry-after']) >= 1);
    // ...but the owner's trusted address signs in at once.
    assert.equal((await login(j.app, ADMIN, DEMO_USER_PASSWORD, '10.1.1.1')).statusCode, 200);
    // And the wait is temporary: after it, the new address gets its chance too.
    clock += 16 * 60_000;
    assert.equal((await login(j.app, ADMIN, DEMO_USER_PASSWORD, '203.0.113.50')).statusCode, 200);
  });

  test('a second instance on the same database sees the same counters', async () => {
    const second = await buildApp(j.config, { db: j.db, logger: false, simulatorSeed: 7, signInThrottle: { now }, passwordHashParams: TEST_SCRYPT_PARAMS });
    try {
      for (let i = 0; i < 5; i++) assert.equal((await login(j.app, EDITOR, 'wrong-password-123', '198.51.100.77')).statusCode, 401);
      const elsewhere = await login(second.app, EDITOR, 'wrong-password-123', '198.51.100.77');
      assert.equal(elsewhere.statusCode, 429, elsewhere.body);
      assert.ok(Number(elsewhere.headers['retry-after']) >= 1);
    } finally {
      await second.close();
    }
  });

  test('no email or address is stored in clear', async () => {
    const rows = await j.db.query<{ key: string }>('SELECT key FROM signin_throttle');
    assert.ok(rows.length > 0);
    for (const r of rows) {
      assert.match(r.key, /^signin:(pair|email|addr):[0-9a-f]{64}$/);
      assert.doesNotMatch(r.key, /@|198\.51/);
    }
  });
});
