// Cache invalidation between instances (REDIS_URL): a change made through one instance is published
// over Redis pub/sub and the others drop their cached copy at once, instead of serving it until
// their cache lifetime (2 s for the routing configuration, 5 s for API keys) runs out.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { buildApp, type Junction } from '../../src/app.ts';
import { createRedisInvalidationBus, type InvalidationMessage } from '../../src/storage/redis-invalidation-bus.ts';
import { waitFor } from '../helpers/api-helpers.ts';
import { DEMO_MERCHANT, startTestApp, type TestApp } from '../helpers/test-app.ts';

const url = process.env.REDIS_URL;
if (!url) throw new Error('test/redis needs REDIS_URL (it runs in `npm run test:pg`)');
const channel = `junction-test-invalidate:${randomBytes(4).toString('hex')}`;

test('a message published by one bus reaches the others, not itself', async () => {
  const seenA: InvalidationMessage[] = [];
  const seenB: InvalidationMessage[] = [];
  const a = createRedisInvalidationBus(url, { channel, onMessage: (m) => seenA.push(m) });
  const b = createRedisInvalidationBus(url, { channel, onMessage: (m) => seenB.push(m) });
  try {
    await Promise.all([a.ready(), b.ready()]);
    a.publish({ merchantId: 'm_one', what: 'priority-logic' });
    await waitFor(() => seenB.length === 1, 5_000, 'the message at B');
    assert.deepEqual(seenB, [{ merchantId: 'm_one', what: 'priority-logic' }]);
    b.publish({ merchantId: 'm_two', what: 'merchant' });
    await waitFor(() => seenA.length === 1, 5_000, 'the message at A');
    assert.deepEqual(seenA, [{ merchantId: 'm_two', what: 'merchant' }]);
    assert.equal(seenB.length, 1, 'B does not hear its own message');
    assert.equal(a.received, 1);
    assert.equal(b.received, 1);
  } finally {
    await a.close();
    await b.close();
  }
});

let a: TestApp;
let b: Junction;
before(async () => {
  a = await startTestApp({ redisUrl: url }, { invalidationChannel: channel });
  // B: a second instance on the same database and Redis.
  b = await buildApp(a.config, { db: a.db, logger: false, simulatorSeed: 7, invalidationChannel: channel });
});
after(async () => {
  await b.close();
  await a.close();
});

async function call(j: Junction, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, authorization: string, body?: unknown) {
  const r = await j.app.inject({
    method,
    url: path,
    headers: { authorization, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  return { status: r.statusCode, json: JSON.parse(r.body || '{}'), body: r.body };
}

const decide = async (j: Junction) =>
  (await call(j, 'POST', '/v1/decide-gateway', a.basic, { paymentInfo: { amount: 10, currency: 'INR', paymentMethodType: 'CARD' }, rankingAlgorithm: 'PL_BASED_ROUTING' })).json
    .decided_gateway as string;

test('a logic activated through one instance decides on the other as soon as the message arrives', async () => {
  const before = await decide(b); // B caches the merchant's routing configuration (default order)
  const target = before === 'SIM_GAMMA' ? 'SIM_BETA' : 'SIM_GAMMA';
  const created = await call(a, 'POST', '/v1/priority-logics', a.basic, {
    name: `only-${target}-${randomBytes(3).toString('hex')}`,
    kind: 'DEFAULT',
    enforce: true,
    defaultGateways: [{ gateway: target }],
  });
  assert.equal(created.status, 201, created.body);
  const received = b.invalidation!.received;
  const activated = await call(a, 'POST', `/v1/priority-logics/${created.json.id}/activate`, a.basic, { version: created.json.row_version });
  assert.equal(activated.status, 200, activated.body);
  await waitFor(() => b.invalidation!.received > received, 5_000, 'the invalidation at B');
  assert.equal(await decide(b), target);
  const routing = await call(a, 'GET', '/v1/priority-logics/routing', a.basic);
  const current = await call(a, 'GET', `/v1/priority-logics/${created.json.id}`, a.basic);
  assert.equal((await call(a, 'POST', `/v1/priority-logics/${routing.json.active_logic_id}/deactivate`, a.basic, { version: current.json.row_version })).status, 200);
});

test('an API key revoked through one instance is refused by the other at once (its key cache lasts 5 s)', async () => {
  const extra = await a.merchants.createApiKey(DEMO_MERCHANT, 'revoked across instances');
  const auth = `Basic ${Buffer.from(`${extra.key}:`).toString('base64')}`;
  assert.equal((await call(b, 'GET', '/v1/routing/settings', auth)).status, 200); // B caches the key
  const received = b.invalidation!.received;
  const revoked = await a.app.inject({ method: 'DELETE', url: `/admin/v1/merchants/${DEMO_MERCHANT}/api-keys/${extra.id}`, headers: { authorization: 'Bearer test-admin-key' } });
  assert.equal(revoked.statusCode, 200, revoked.body);
  await waitFor(() => b.invalidation!.received > received, 5_000, 'the invalidation at B');
  assert.equal((await call(b, 'GET', '/v1/routing/settings', auth)).status, 401);
});

test('a dashboard session signed out through one instance is refused by the other at once (its session cache lasts 5 s)', async () => {
  const user = (await a.users.listUsers(DEMO_MERCHANT)).find((u) => u.role === 'ADMIN')!;
  let received = b.invalidation!.received;
  await a.sessions.setPassword(DEMO_MERCHANT, user.id, 'cluster-invalidation-password-01');
  await waitFor(() => b.invalidation!.received > received, 5_000, 'the password change at B');
  const signedIn = await a.sessions.signIn({ email: user.email, password: 'cluster-invalidation-password-01', address: '127.0.0.1' });
  assert.ok(await b.sessions.authenticate(signedIn.token), 'B accepts (and caches) the session');
  received = b.invalidation!.received;
  await a.sessions.signOut(signedIn.token);
  await waitFor(() => b.invalidation!.received > received, 5_000, 'the sign-out at B');
  assert.equal(await b.sessions.authenticate(signedIn.token), null);
});

test('a blocklist entry added through one instance is checked by the other at once (its risk setup cache is checked every 5 s)', async () => {
  const dryRun = async (j: Junction) => (await call(j, 'POST', '/v1/risk/dry-run', a.basic, { amount: 1000, currency: 'INR', client_ip: '198.51.100.77' })).json;
  assert.equal((await call(a, 'PUT', '/v1/risk/config', a.basic, { mode: 'sequential' })).status, 200);
  try {
    assert.equal((await dryRun(b)).action, 'allow', 'B compiles (and caches) the setup without the entry');
    const received = b.invalidation!.received;
    const added = await call(a, 'POST', '/v1/risk/lists/blocklist', a.basic, { kind: 'ip', value: '198.51.100.77' });
    assert.equal(added.status, 201, added.body);
    await waitFor(() => b.invalidation!.received > received, 5_000, 'the risk change at B');
    const after = await dryRun(b);
    assert.equal(after.action, 'block', JSON.stringify(after));
    assert.equal(after.code, 'RISK_BLOCKLISTED');
  } finally {
    await call(a, 'DELETE', '/v1/risk/config', a.basic);
    await a.db.query('DELETE FROM risk_list_entries WHERE merchant_id = $1', [DEMO_MERCHANT]);
  }
});
