// Dashboard sign-in through the API: passwords, the session cookie, CSRF on state-changing
// requests, roles behind a session, sign-out, expiry, lockout, and the served dashboard.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_MERCHANT, DEMO_USER_PASSWORD, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { defaultLogic, uniqueName } from '../priority-logic/pl-helpers.ts';

let j: TestApp;
before(async () => {
  j = await startTestApp({ demo: { userPassword: DEMO_USER_PASSWORD } });
});
after(async () => {
  await j.close();
});

const ADMIN = 'admin@demo.junction.local';
const VIEWER = 'viewer@demo.junction.local';

interface Session {
  cookie: string;
  csrf: string;
  setCookie: string;
  body: { user: { id: string; email: string; role: string; merchant_id: string }; csrf_token: string };
}

async function login(email: string, password = DEMO_USER_PASSWORD, extra: Record<string, string> = {}): Promise<Session> {
  const r = await j.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password, ...extra } });
  assert.equal(r.statusCode, 200, r.body);
  const setCookie = String(r.headers['set-cookie']);
  const cookie = setCookie.split(';')[0]!;
  const body = r.json() as Session['body'];
  return { cookie, csrf: body.csrf_token, setCookie, body };
}

function call(s: Pick<Session, 'cookie'> & { csrf?: string }, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) {
  return j.app.inject({
    method,
    url,
    headers: { cookie: s.cookie, ...(s.csrf !== undefined ? { 'x-csrf-token': s.csrf } : {}) },
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
}

describe('dashboard sign-in', () => {
  test('the right password gives an HttpOnly, SameSite=Strict session cookie and a CSRF token', async () => {
    const s = await login(ADMIN);
    assert.match(s.setCookie, /^junction_session=jns_[\w-]{40,};/);
    assert.match(s.setCookie, /HttpOnly/);
    assert.match(s.setCookie, /SameSite=Strict/);
    assert.match(s.setCookie, /Path=\//);
    assert.doesNotMatch(s.setCookie, /Secure/, 'plain HTTP on a laptop: no Secure flag unless configured');
    assert.equal(s.body.user.email, ADMIN);
    assert.equal(s.body.user.role, 'ADMIN');
    assert.equal(s.body.user.merchant_id, DEMO_MERCHANT);
    assert.match(s.csrf, /^[0-9a-f]{64}$/);
    const me = await call(s, 'GET', '/v1/auth/me');
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().user.email, ADMIN);
    assert.equal(me.json().csrf_token, s.csrf);
  });

  test('a wrong password and an unknown email get the same answer', async () => {
    const wrong = await j.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: ADMIN, password: 'not the password' } });
    const unknown = await j.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: 'nobody@example.com', password: 'not the password' } });
    for (const r of [wrong, unknown]) {
      assert.equal(r.statusCode, 401);
      assert.equal(r.json().error_message, 'Invalid email or password');
      assert.equal(r.headers['set-cookie'], undefined);
    }
    const missing = await j.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: ADMIN } });
    assert.equal(missing.statusCode, 400);
    assert.ok(
      missing.json().error_info.fields.some((f: { field_name: string }) => f.field_name === 'password'),
      missing.body,
    );
  });

  test('passwords and session tokens are stored only as hashes', async () => {
    const s = await login(VIEWER);
    const users = await j.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE merchant_id = $1 AND password_hash IS NOT NULL', [DEMO_MERCHANT]);
    assert.ok(users.length >= 4);
    for (const u of users) {
      assert.match(u.password_hash, /^scrypt\$\d+\$\d+\$\d+\$/);
      assert.ok(!u.password_hash.includes(DEMO_USER_PASSWORD));
    }
    const token = decodeURIComponent(s.cookie.split('=')[1]!);
    const sessions = await j.db.query<{ token_hash: string }>('SELECT token_hash FROM user_sessions');
    assert.ok(sessions.length > 0);
    assert.ok(sessions.every((row) => row.token_hash !== token && !row.token_hash.includes(token)));
  });

  test('a session reads the APIs; a state-changing request needs the CSRF token', async () => {
    const s = await login(ADMIN);
    const list = await call(s, 'GET', '/v1/priority-logics');
    assert.equal(list.statusCode, 200, list.body);
    const body = defaultLogic(uniqueName('csrf'), ['SIM_ALPHA']);
    const forged = await call({ cookie: s.cookie }, 'POST', '/v1/priority-logics', body);
    assert.equal(forged.statusCode, 403);
    assert.equal(forged.json().error_info.code, 'CSRF_TOKEN_INVALID');
    const wrong = await call({ cookie: s.cookie, csrf: '0'.repeat(64) }, 'POST', '/v1/priority-logics', body);
    assert.equal(wrong.statusCode, 403);
    const count = await j.db.query<{ n: number }>('SELECT count(*)::int AS n FROM priority_logics WHERE name = $1', [body.name]);
    assert.equal(count[0]!.n, 0, 'a refused request writes nothing');
    const ok = await call(s, 'POST', '/v1/priority-logics', body);
    assert.equal(ok.statusCode, 201, ok.body);
    // Another session's CSRF token does not fit this session.
    const other = await login(ADMIN);
    assert.notEqual(other.csrf, s.csrf);
    const crossed = await call({ cookie: s.cookie, csrf: other.csrf }, 'POST', '/v1/priority-logics', defaultLogic(uniqueName('csrf'), ['SIM_ALPHA']));
    assert.equal(crossed.statusCode, 403);
  });

  test('roles hold behind a session: a viewer is refused with "You do not have access"', async () => {
    const s = await login(VIEWER);
    const r = await call(s, 'POST', '/v1/priority-logics', defaultLogic(uniqueName('viewer'), ['SIM_ALPHA']));
    assert.equal(r.statusCode, 403);
    assert.equal(r.json().error_message, 'You do not have access');
  });

  test('signing out ends the session (and needs the CSRF token)', async () => {
    const s = await login(ADMIN);
    const forged = await call({ cookie: s.cookie }, 'POST', '/v1/auth/logout');
    assert.equal(forged.statusCode, 403);
    assert.equal((await call(s, 'GET', '/v1/auth/me')).statusCode, 200, 'a forged sign-out did nothing');
    const out = await call(s, 'POST', '/v1/auth/logout');
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers['set-cookie']), /junction_session=;.*Max-Age=0/);
    assert.equal((await call(s, 'GET', '/v1/auth/me')).statusCode, 401);
    assert.equal((await call(s, 'GET', '/v1/priority-logics')).statusCode, 401);
  });

  test('an expired session is refused', async () => {
    const s = await login(ADMIN);
    await j.db.query("UPDATE user_sessions SET expires_at = now() - interval '1 minute'");
    // A session this process has not cached yet is checked against the database.
    const fresh = await j.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie: s.cookie } });
    assert.equal(fresh.statusCode, 401);
  });

  test('the admin API sets a password; the user signs in with it and the old one stops working', async () => {
    const created = await j.app.inject({
      method: 'POST',
      url: `/admin/v1/merchants/${DEMO_MERCHANT}/users`,
      headers: { authorization: 'Bearer test-admin-key' },
      payload: { email: 'ops@example.com', name: 'Ops', role: 'EDITOR', password: 'first password 1' },
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal((await login('ops@example.com', 'first password 1')).body.user.role, 'EDITOR');
    const weak = await j.app.inject({
      method: 'PUT',
      url: `/admin/v1/merchants/${DEMO_MERCHANT}/users/password`,
      headers: { authorization: 'Bearer test-admin-key' },
      payload: { email: 'ops@example.com', password: 'short' },
    });
    assert.equal(weak.statusCode, 400);
    assert.equal(weak.json().error_info.fields[0].field_name, 'password');
    const changed = await j.app.inject({
      method: 'PUT',
      url: `/admin/v1/merchants/${DEMO_MERCHANT}/users/password`,
      headers: { authorization: 'Bearer test-admin-key' },
      payload: { email: 'ops@example.com', password: 'second password 2' },
    });
    assert.equal(changed.statusCode, 204, changed.body);
    const old = await j.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: 'ops@example.com', password: 'first password 1' } });
    assert.equal(old.statusCode, 401);
    await login('ops@example.com', 'second password 2');
  });

  test('repeated failures lock the email out for a while', async () => {
    const email = 'approver@demo.junction.local';
    let last = 0;
    for (let i = 0; i < 11; i++) {
      last = (await j.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password: `wrong password ${i}` } })).statusCode;
    }
    assert.equal(last, 429);
    const right = await j.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password: DEMO_USER_PASSWORD } });
    assert.equal(right.statusCode, 429, 'even the right password waits out the lockout');
  });
});

describe('the served dashboard', () => {
  test('/dashboard answers the app (or says how to build it) with a strict content security policy', async () => {
    const r = await j.app.inject({ method: 'GET', url: '/dashboard/' });
    assert.ok(r.statusCode === 200 || r.statusCode === 503, String(r.statusCode));
    assert.match(String(r.headers['content-security-policy']), /default-src 'self'/);
    assert.match(String(r.headers['content-security-policy']), /frame-ancestors 'none'/);
    if (r.statusCode === 200) {
      assert.match(r.body, /<div id="root">/);
      assert.doesNotMatch(r.body, /https?:\/\//, 'nothing loaded from another origin');
      const deep = await j.app.inject({ method: 'GET', url: '/dashboard/payments/some-order' });
      assert.equal(deep.statusCode, 200, 'deep links answer the app');
      assert.equal(deep.body, r.body);
      const missing = await j.app.inject({ method: 'GET', url: '/dashboard/assets/nope.js' });
      assert.equal(missing.statusCode, 404);
    }
    const bare = await j.app.inject({ method: 'GET', url: '/dashboard' });
    assert.equal(bare.statusCode, 302);
  });
});
