// Issue 10, finding 4: each merchant's simulated gateways have their own profiles, outages and
// ledger. A merchant's API key controls only its own simulator; the admin key controls all
// (naming the merchant, or every merchant for a reset). The ledger is in the database, so a
// refund still works after the app is rebuilt on the same database.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import pg from 'pg';
import { buildApp, type Junction } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDb, type Db } from '../../src/storage/db.ts';
import { DEMO_KEY, DEMO_MERCHANT, DEMO_USER_TOKENS, VISA_OK, startTestApp, testDatabaseUrl, type TestApp } from '../helpers/test-app.ts';
import { basicAuth, newOrderId } from '../helpers/api-helpers.ts';

const ADMIN = 'Bearer test-admin-key';
const A_AUTH = basicAuth(DEMO_KEY);
const B_MERCHANT = 'sim_iso_b';
const INSTANT = { baseSuccessRate: 1, latency: { fixedMs: 0, jitterMs: 0 }, pendingProbability: 0, outages: [] };
const A_GATEWAYS = ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA', 'SIM_DELTA'];

interface Reply {
  status: number;
  json: Record<string, any>;
  body: string;
}

async function send(app: Junction['app'], method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, auth: string | null, payload?: unknown): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (auth) headers.authorization = auth;
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const response = await app.inject({ method, url, headers, ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}) });
  let json: Record<string, any> = {};
  try {
    json = JSON.parse(response.body) as Record<string, any>;
  } catch {
    /* not JSON */
  }
  return { status: response.statusCode, json, body: response.body };
}

async function pay(app: Junction['app'], auth: string, merchantId: string, extra: Record<string, string> = {}): Promise<{ orderId: string; status: string; body: string; json: Record<string, any> }> {
  const orderId = newOrderId('si');
  const order = await app.inject({
    method: 'POST',
    url: '/orders',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ order_id: orderId, amount: '100.00', currency: 'INR' }).toString(),
  });
  assert.equal(order.statusCode, 200, order.body);
  const txn = await app.inject({
    method: 'POST',
    url: '/txns',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ order_id: orderId, merchant_id: merchantId, ...VISA_OK, ...extra, format: 'json' }).toString(),
  });
  const json = JSON.parse(txn.body) as Record<string, any>;
  return { orderId, status: json.status, body: txn.body, json };
}

async function refund(app: Junction['app'], auth: string, orderId: string): Promise<Reply> {
  const response = await app.inject({
    method: 'POST',
    url: `/orders/${orderId}/refunds`,
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ unique_request_id: `r_${orderId}`, amount: '40.00' }).toString(),
  });
  return { status: response.statusCode, json: JSON.parse(response.body) as Record<string, any>, body: response.body };
}

async function instantProfiles(app: Junction['app'], auth: string, gateways: string[]): Promise<void> {
  for (const gateway of gateways) {
    const reply = await send(app, 'PATCH', `/simulator/gateways/${gateway}`, auth, INSTANT);
    assert.equal(reply.status, 200, reply.body);
  }
}

describe('simulator per merchant (two merchants, one app)', () => {
  let j: TestApp;
  let bAuth: string;
  before(async () => {
    j = await startTestApp();
    const created = await send(j.app, 'POST', '/admin/v1/merchants', ADMIN, { merchant_id: B_MERCHANT, name: 'Merchant B' });
    assert.equal(created.status, 201, created.body);
    bAuth = basicAuth(created.json.api_key.key);
    const account = await send(j.app, 'POST', `/admin/v1/merchants/${B_MERCHANT}/gateway-accounts`, ADMIN, {
      gateway: 'SIM_ALPHA',
      credentials: { api_key: 'sim_b', webhook_secret: 'whsec_b_secret' },
      payment_method_types: ['CARD'],
    });
    assert.equal(account.status, 201, account.body);
  });
  after(async () => {
    await j.close();
  });
  beforeEach(async () => {
    await instantProfiles(j.app, A_AUTH, A_GATEWAYS);
    await instantProfiles(j.app, bAuth, ['SIM_ALPHA']);
  });

  test("B neither sees nor changes A's profiles", async () => {
    const aPatch = await send(j.app, 'PATCH', '/simulator/gateways/SIM_ZETA', A_AUTH, { baseSuccessRate: 0.123 });
    assert.equal(aPatch.status, 200, aPatch.body);
    const bView = await send(j.app, 'GET', '/simulator/gateways/SIM_ZETA', bAuth);
    assert.equal(bView.status, 200);
    assert.notEqual(bView.json.baseSuccessRate, 0.123, "B sees its own SIM_ZETA, not A's");
    const bAll = await send(j.app, 'GET', '/simulator/gateways', bAuth);
    assert.notEqual(bAll.json.gateways.SIM_ZETA.baseSuccessRate, 0.123);

    const bPatch = await send(j.app, 'PATCH', '/simulator/gateways/SIM_ZETA', bAuth, { baseSuccessRate: 0.456 });
    assert.equal(bPatch.status, 200);
    assert.equal((await send(j.app, 'GET', '/simulator/gateways/SIM_ZETA', A_AUTH)).json.baseSuccessRate, 0.123);
    assert.equal((await send(j.app, 'GET', '/simulator/gateways/SIM_ZETA', bAuth)).json.baseSuccessRate, 0.456);

    // Naming another merchant with a merchant key is refused, whether or not it exists.
    const other = await send(j.app, 'GET', `/simulator/gateways/SIM_ZETA?merchant_id=${DEMO_MERCHANT}`, bAuth);
    assert.equal(other.status, 403, other.body);
    const ghost = await send(j.app, 'PUT', '/simulator/gateways/SIM_ZETA?merchant_id=no_such_merchant', bAuth, { ...INSTANT, failureMix: { HARD_DECLINE: 1 } });
    assert.equal(ghost.status, 403, ghost.body);
    assert.equal((await send(j.app, 'GET', '/simulator/gateways/SIM_ZETA', A_AUTH)).json.baseSuccessRate, 0.123);
  });

  test("B neither sees nor ends A's outages, and A's outage does not touch B's payments", async () => {
    const started = await send(j.app, 'POST', '/simulator/gateways/SIM_ALPHA/outages', A_AUTH, { durationMs: 600_000 });
    assert.equal(started.status, 201, started.body);
    try {
      assert.deepEqual((await send(j.app, 'GET', '/simulator/gateways/SIM_ALPHA', bAuth)).json.outages, []);
      const bEnd = await send(j.app, 'DELETE', '/simulator/gateways/SIM_ALPHA/outages', bAuth);
      assert.deepEqual(bEnd.json, { ended: 0 });
      assert.equal((await send(j.app, 'GET', '/simulator/gateways/SIM_ALPHA', A_AUTH)).json.outages.length, 1);

      // B routes only to SIM_ALPHA: its payments are charged while A's SIM_ALPHA is down.
      for (let i = 0; i < 3; i++) {
        const b = await pay(j.app, bAuth, B_MERCHANT);
        assert.equal(b.status, 'CHARGED', b.body);
      }
      const [bTxn] = await j.db.query<{ gateway: string; status: string }>('SELECT gateway, status FROM txns WHERE merchant_id = $1 ORDER BY created_at DESC LIMIT 1', [B_MERCHANT]);
      assert.equal(bTxn?.gateway, 'SIM_ALPHA');
      // A's own payments do see A's outage: no attempt of A is charged on SIM_ALPHA.
      const a = await pay(j.app, A_AUTH, DEMO_MERCHANT);
      const aAlpha = await j.db.query<{ status: string }>("SELECT t.status FROM txns t JOIN orders o ON o.id = t.order_pk WHERE o.order_id = $1 AND t.merchant_id = $2 AND t.gateway = 'SIM_ALPHA'", [
        a.orderId,
        DEMO_MERCHANT,
      ]);
      assert.ok(
        aAlpha.every((row) => row.status !== 'CHARGED'),
        JSON.stringify(aAlpha),
      );
    } finally {
      assert.deepEqual((await send(j.app, 'DELETE', '/simulator/gateways/SIM_ALPHA/outages', A_AUTH)).json, { ended: 1 });
    }
  });

  test("B's reset does not break A's refunds (nor forget A's profiles)", async () => {
    await send(j.app, 'PATCH', '/simulator/gateways/SIM_EPSILON', A_AUTH, { baseSuccessRate: 0.111 });
    const a = await pay(j.app, A_AUTH, DEMO_MERCHANT);
    assert.equal(a.status, 'CHARGED', a.body);
    const reset = await send(j.app, 'POST', '/simulator/reset', bAuth);
    assert.equal(reset.status, 200, reset.body);
    const refunded = await refund(j.app, A_AUTH, a.orderId);
    assert.equal(refunded.status, 200, refunded.body);
    assert.equal(refunded.json.refunds[0].status, 'SUCCESS', refunded.body);
    assert.equal((await send(j.app, 'GET', '/simulator/gateways/SIM_EPSILON', A_AUTH)).json.baseSuccessRate, 0.111);
  });

  test('the admin key addresses one merchant by merchant_id, and resets every merchant', async () => {
    const noMerchant = await send(j.app, 'GET', '/simulator/gateways', ADMIN);
    assert.equal(noMerchant.status, 400, noMerchant.body);
    assert.equal(noMerchant.json.error_info?.fields?.[0]?.field_name ?? noMerchant.json.fields?.[0]?.field_name, 'merchant_id');
    assert.equal((await send(j.app, 'GET', '/simulator/gateways?merchant_id=no_such_merchant', ADMIN)).status, 404);

    const forB = await send(j.app, 'PATCH', `/simulator/gateways/SIM_EPSILON?merchant_id=${B_MERCHANT}`, ADMIN, { baseSuccessRate: 0.321 });
    assert.equal(forB.status, 200, forB.body);
    const forA = await send(j.app, 'PATCH', `/simulator/gateways/SIM_EPSILON?merchant_id=${DEMO_MERCHANT}`, ADMIN, { baseSuccessRate: 0.654 });
    assert.equal(forA.status, 200, forA.body);
    assert.equal((await send(j.app, 'GET', '/simulator/gateways/SIM_EPSILON', bAuth)).json.baseSuccessRate, 0.321);
    assert.equal((await send(j.app, 'GET', '/simulator/gateways/SIM_EPSILON', A_AUTH)).json.baseSuccessRate, 0.654);
    assert.equal((await send(j.app, 'GET', `/simulator/gateways/SIM_EPSILON?merchant_id=${B_MERCHANT}`, ADMIN)).json.baseSuccessRate, 0.321);

    const outage = await send(j.app, 'POST', `/simulator/gateways/SIM_BETA/outages?merchant_id=${B_MERCHANT}`, ADMIN, { durationMs: 60_000 });
    assert.equal(outage.status, 201, outage.body);
    assert.equal((await send(j.app, 'GET', '/simulator/gateways/SIM_BETA', bAuth)).json.outages.length, 1);
    assert.equal((await send(j.app, 'GET', '/simulator/gateways/SIM_BETA', A_AUTH)).json.outages.length, 0);

    // One merchant's reset by the admin leaves the other as it was.
    const resetB = await send(j.app, 'POST', `/simulator/reset?merchant_id=${B_MERCHANT}`, ADMIN);
    assert.equal(resetB.status, 200, resetB.body);
    assert.notEqual((await send(j.app, 'GET', '/simulator/gateways/SIM_EPSILON', bAuth)).json.baseSuccessRate, 0.321);
    assert.equal((await send(j.app, 'GET', '/simulator/gateways/SIM_EPSILON', A_AUTH)).json.baseSuccessRate, 0.654);

    // Without merchant_id, the admin's reset is every merchant's.
    const resetAll = await send(j.app, 'POST', '/simulator/reset', ADMIN);
    assert.equal(resetAll.status, 200, resetAll.body);
    assert.notEqual((await send(j.app, 'GET', '/simulator/gateways/SIM_EPSILON', A_AUTH)).json.baseSuccessRate, 0.654);
  });

  test("a dashboard user reaches its merchant's simulator only, and changes it only as EDITOR or ADMIN", async () => {
    const editor = `Bearer ${DEMO_USER_TOKENS.editor}`;
    const viewer = `Bearer ${DEMO_USER_TOKENS.viewer}`;
    const changed = await send(j.app, 'PATCH', '/simulator/gateways/SIM_ZETA', editor, { baseSuccessRate: 0.222 });
    assert.equal(changed.status, 200, changed.body);
    assert.equal((await send(j.app, 'GET', '/simulator/gateways/SIM_ZETA', A_AUTH)).json.baseSuccessRate, 0.222);
    assert.notEqual((await send(j.app, 'GET', '/simulator/gateways/SIM_ZETA', bAuth)).json.baseSuccessRate, 0.222);
    assert.equal((await send(j.app, 'GET', '/simulator/gateways/SIM_ZETA', viewer)).json.baseSuccessRate, 0.222);
    assert.equal((await send(j.app, 'POST', '/simulator/gateways/SIM_ZETA/outages', viewer, {})).status, 403);
    assert.equal((await send(j.app, 'POST', '/simulator/reset', viewer)).status, 403);
    assert.equal((await send(j.app, 'GET', `/simulator/gateways?merchant_id=${B_MERCHANT}`, editor)).status, 403);
  });

  test('the control API refuses callers without a key', async () => {
    assert.equal((await send(j.app, 'GET', '/simulator/gateways', null)).status, 401);
    assert.equal((await send(j.app, 'POST', '/simulator/reset', null)).status, 401);
    assert.equal((await send(j.app, 'POST', '/simulator/reset', 'Bearer not-the-admin-key')).status, 401);
  });
});

describe('simulator ledger survives an app rebuild on the same database', () => {
  const databaseUrl = testDatabaseUrl();
  const schema = databaseUrl ? `test_simledger_${randomBytes(5).toString('hex')}` : undefined;
  let db: Db;
  const config = (): Config => ({
    ...loadConfig({}),
    logLevel: 'silent',
    publicBaseUrl: 'http://127.0.0.1:8080',
    adminApiKey: 'test-admin-key',
    databaseUrl,
    demo: { enabled: true, merchantId: DEMO_MERCHANT, apiKey: DEMO_KEY, userTokens: DEMO_USER_TOKENS, userPasswords: false },
  });
  before(async () => {
    db = await openDb(databaseUrl ? { databaseUrl, schema, poolSize: 4 } : { dataDir: 'memory://' });
  });
  after(async () => {
    await db.close();
    if (databaseUrl && schema) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });

  test('a refund after a restart works, and a sync after a restart answers what the gateway charged', async () => {
    const first = await buildApp(config(), { db, logger: false, simulatorSeed: 7 });
    let orderId: string;
    let pendingOrderId: string;
    let bankPage: string;
    try {
      await instantProfiles(first.app, A_AUTH, A_GATEWAYS);
      const charged = await pay(first.app, A_AUTH, DEMO_MERCHANT);
      assert.equal(charged.status, 'CHARGED', charged.body);
      orderId = charged.orderId;
      const threeDs = await pay(first.app, A_AUTH, DEMO_MERCHANT, { auth_type: 'THREE_DS' });
      assert.equal(threeDs.status, 'PENDING_VBV', threeDs.body);
      bankPage = new URL(threeDs.json.payment.authentication.url as string).pathname;
      // A payment the gateway will settle later: pending at the restart.
      for (const gateway of A_GATEWAYS) await send(first.app, 'PATCH', `/simulator/gateways/${gateway}`, A_AUTH, { pendingProbability: 1, settleAfterMs: 300 });
      const pending = await pay(first.app, A_AUTH, DEMO_MERCHANT);
      assert.equal(pending.status, 'AUTHORIZING', pending.body);
      pendingOrderId = pending.orderId;
    } finally {
      await first.close();
    }

    const second = await buildApp(config(), { db, logger: false, simulatorSeed: 7 });
    try {
      const refunded = await refund(second.app, A_AUTH, orderId);
      assert.equal(refunded.status, 200, refunded.body);
      assert.equal(refunded.json.refunds[0].status, 'SUCCESS', refunded.body);
      assert.equal(refunded.json.amount_refunded, 40);
      // The shopper's browser comes back to the bank page after the restart: it is still there.
      const page = await second.app.inject({ method: 'GET', url: bankPage });
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, /Authenticate \(success\)/);
      // The status sync asks the gateway about the payment that was pending at the restart: the
      // rebuilt simulator knows it and settles it once due (no timer survived the restart).
      await new Promise((resolve) => setTimeout(resolve, 350));
      const [txn] = await db.query<{ id: string }>('SELECT t.id FROM txns t JOIN orders o ON o.id = t.order_pk WHERE o.order_id = $1', [pendingOrderId]);
      assert.ok(txn);
      await second.payments.syncTxn(txn.id);
      const status = await second.app.inject({ method: 'GET', url: `/orders/${pendingOrderId}`, headers: { authorization: A_AUTH } });
      assert.equal(JSON.parse(status.body).status, 'CHARGED', status.body);
    } finally {
      await second.close();
    }
  });
});
