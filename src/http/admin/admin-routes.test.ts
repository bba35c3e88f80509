import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { keyRingFromConfig } from '../../core/crypto.ts';
import { createMerchantService, type MerchantService } from '../../core/merchants/merchant-service.ts';
import { migrate, openDb, type Db } from '../../storage/db.ts';
import { createMerchantRepository } from '../../storage/merchant-repository.ts';
import { registerErrorHandling } from '../errors/error-handler.ts';
import { adminRoutes } from './admin-routes.ts';

const ADMIN_KEY = 'admin-secret-for-tests';
const auth = { authorization: `Bearer ${ADMIN_KEY}` };

async function buildApp(merchants: MerchantService, adminApiKey: string | undefined): Promise<FastifyInstance> {
  const app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
  registerErrorHandling(app);
  await app.register(adminRoutes({ merchants, adminApiKey }), { prefix: '/admin/v1' });
  await app.ready();
  return app;
}

describe('admin routes', () => {
  let db: Db;
  let merchants: MerchantService;
  let app: FastifyInstance;

  before(async () => {
    db = await openDb({ dataDir: 'memory://' });
    await migrate(db);
    merchants = createMerchantService({ store: createMerchantRepository(db), keyRing: keyRingFromConfig(undefined, 'test') });
    app = await buildApp(merchants, ADMIN_KEY);
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  it('answers 403 on every route when no admin key is configured', async () => {
    const closed = await buildApp(merchants, undefined);
    for (const [method, url] of [
      ['GET', '/admin/v1/merchants/x'],
      ['POST', '/admin/v1/merchants'],
    ] as const) {
      const res = await closed.inject({ method, url, headers: auth, payload: method === 'POST' ? { name: 'x' } : undefined });
      assert.equal(res.statusCode, 403);
      assert.match(res.json().error_message, /JUNCTION_ADMIN_KEY/);
    }
    await closed.close();
  });

  it('answers 401 on a missing or wrong key', async () => {
    const missing = await app.inject({ method: 'GET', url: '/admin/v1/merchants/x' });
    assert.equal(missing.statusCode, 401);
    assert.equal(missing.json().error_info.code, 'UNAUTHENTICATED');
    const wrong = await app.inject({ method: 'GET', url: '/admin/v1/merchants/x', headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.statusCode, 401);
    const basic = await app.inject({ method: 'GET', url: '/admin/v1/merchants/x', headers: { authorization: `Basic ${ADMIN_KEY}` } });
    assert.equal(basic.statusCode, 401);
  });

  it('creates a merchant, manages its keys and webhook settings', async () => {
    const res = await app.inject({ method: 'POST', url: '/admin/v1/merchants', headers: auth, payload: { merchant_id: 'shop_1', name: 'Shop One', webhook_url: 'https://shop.example/wh' } });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.equal(body.merchant.merchant_id, 'shop_1');
    assert.equal(body.merchant.webhook.url, 'https://shop.example/wh');
    assert.ok(body.api_key.key.startsWith(body.api_key.prefix));
    assert.ok(body.response_key && body.webhook_hmac_key);
    assert.equal((await merchants.authenticate(body.api_key.key))?.merchantId, 'shop_1');

    const dup = await app.inject({ method: 'POST', url: '/admin/v1/merchants', headers: auth, payload: { merchant_id: 'shop_1', name: 'Again' } });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().error_info.fields[0].field_name, 'merchant_id');

    const got = await app.inject({ method: 'GET', url: '/admin/v1/merchants/shop_1', headers: auth });
    assert.equal(got.statusCode, 200);
    assert.equal(got.json().name, 'Shop One');
    assert.equal((await app.inject({ method: 'GET', url: '/admin/v1/merchants/nobody', headers: auth })).statusCode, 404);

    const key = await app.inject({ method: 'POST', url: '/admin/v1/merchants/shop_1/api-keys', headers: auth, payload: { label: 'ci' } });
    assert.equal(key.statusCode, 201, key.body);
    const { id: keyId, key: secondKey } = key.json();
    const listed = await app.inject({ method: 'GET', url: '/admin/v1/merchants/shop_1/api-keys', headers: auth });
    assert.equal(listed.json().api_keys.length, 2);
    assert.ok(!listed.body.includes(secondKey));
    const revoked = await app.inject({ method: 'DELETE', url: `/admin/v1/merchants/shop_1/api-keys/${keyId}`, headers: auth });
    assert.equal(revoked.statusCode, 200);
    assert.equal(revoked.json().revoked, true);
    assert.equal(await merchants.authenticate(secondKey), null);

    const wh = await app.inject({ method: 'PATCH', url: '/admin/v1/merchants/shop_1/webhook', headers: auth, payload: { username: 'hook', password: 'pw', rotate_hmac_key: true } });
    assert.equal(wh.statusCode, 200, wh.body);
    assert.equal(wh.json().merchant.webhook.has_password, true);
    assert.ok(wh.json().webhook_hmac_key);
    const badWh = await app.inject({ method: 'PATCH', url: '/admin/v1/merchants/shop_1/webhook', headers: auth, payload: { url: 'not a url' } });
    assert.equal(badWh.statusCode, 400);
    assert.equal(badWh.json().error_info.fields[0].field_name, 'url');
  });

  it('creates, lists, reads and updates gateway accounts without exposing credentials', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/admin/v1/merchants/shop_1/gateway-accounts',
      headers: auth,
      payload: {
        gateway: 'SIM_BETA',
        credentials: { api_key: 'very_secret_api_key_abcd' },
        payment_method_types: ['CARD'],
        card_brands: ['VISA', 'MASTERCARD'],
        currencies: ['INR'],
        fees: { percent: 1.5 },
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const account = created.json();
    assert.equal(account.gateway_id, 902);
    assert.deepEqual(account.credentials, { api_key: '****abcd' });
    assert.deepEqual(account.fees, { percent: 1.5 });
    assert.ok(!created.body.includes('very_secret_api_key_abcd'));

    const list = await app.inject({ method: 'GET', url: '/admin/v1/merchants/shop_1/gateway-accounts', headers: auth });
    assert.equal(list.json().gateway_accounts.length, 1);
    assert.ok(!list.body.includes('very_secret_api_key_abcd'));
    const one = await app.inject({ method: 'GET', url: `/admin/v1/merchants/shop_1/gateway-accounts/${account.id}`, headers: auth });
    assert.equal(one.json().id, account.id);

    const patched = await app.inject({ method: 'PATCH', url: `/admin/v1/merchants/shop_1/gateway-accounts/${account.id}`, headers: auth, payload: { enabled: false, priority: 7 } });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().enabled, false);
    assert.equal(patched.json().priority, 7);
    assert.deepEqual(patched.json().card_brands, ['VISA', 'MASTERCARD']);

    await merchants.createMerchant({ id: 'shop_2', name: 'Two' });
    const foreign = await app.inject({ method: 'GET', url: `/admin/v1/merchants/shop_2/gateway-accounts/${account.id}`, headers: auth });
    assert.equal(foreign.statusCode, 404);
  });

  it('answers 400 naming the field on bad input', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ gateway: 'NOT_A_GATEWAY', credentials: {} }, 'gateway'],
      [{ gateway: 'SIM_ALPHA', credentials: {}, card_brands: ['VISA', 'BOGUS'] }, 'card_brands'],
      [{ gateway: 'SIM_ALPHA', credentials: {}, currencies: ['ZZZ'] }, 'currencies'],
      [{ gateway: 'SIM_ALPHA', credentials: {}, priority: 'high' }, 'priority'],
      [{ credentials: {} }, 'gateway'],
    ];
    for (const [payload, field] of cases) {
      const res = await app.inject({ method: 'POST', url: '/admin/v1/merchants/shop_1/gateway-accounts', headers: auth, payload });
      assert.equal(res.statusCode, 400, `${JSON.stringify(payload)}: ${res.body}`);
      assert.ok(
        res.json().error_info.fields.some((f: { field_name: string }) => f.field_name === field),
        `${field} in ${res.body}`,
      );
    }
    const badId = await app.inject({ method: 'POST', url: '/admin/v1/merchants', headers: auth, payload: { merchant_id: 'bad id!', name: 'x' } });
    assert.equal(badId.statusCode, 400);
    assert.equal(badId.json().error_info.fields[0].field_name, 'merchant_id');
    const noName = await app.inject({ method: 'POST', url: '/admin/v1/merchants', headers: auth, payload: {} });
    assert.equal(noName.statusCode, 400);
    assert.equal(noName.json().error_info.fields[0].field_name, 'name');
  });

  it('lists merchants in id order, page by page, with their gateway accounts (credentials masked) on request', async () => {
    for (const id of ['list_c', 'list_a', 'list_b']) {
      const created = await app.inject({ method: 'POST', url: '/admin/v1/merchants', headers: auth, payload: { merchant_id: id, name: id.toUpperCase() } });
      assert.equal(created.statusCode, 201, created.body);
    }
    await app.inject({ method: 'POST', url: '/admin/v1/merchants/list_b/gateway-accounts', headers: auth, payload: { gateway: 'SIM_ALPHA', credentials: { api_key: 'list_secret_key_0000wxyz' } } });
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 20; i++) {
      const res: Awaited<ReturnType<typeof app.inject>> = await app.inject({ method: 'GET', url: `/admin/v1/merchants?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: auth });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as { merchants: Array<{ merchant_id: string; gateway_accounts?: unknown }>; next_cursor: string | null };
      assert.ok(body.merchants.length <= 2);
      for (const m of body.merchants) assert.equal(m.gateway_accounts, undefined);
      seen.push(...body.merchants.map((m) => m.merchant_id));
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    assert.deepEqual(seen, [...seen].sort(), 'id order');
    assert.equal(new Set(seen).size, seen.length, 'no merchant twice');
    for (const id of ['list_a', 'list_b', 'list_c']) assert.ok(seen.includes(id), id);

    const withAccounts = await app.inject({ method: 'GET', url: '/admin/v1/merchants?limit=200&include_gateway_accounts=true', headers: auth });
    assert.equal(withAccounts.statusCode, 200, withAccounts.body);
    assert.ok(!withAccounts.body.includes('list_secret_key_0000wxyz'), 'credentials never in clear');
    const b = (withAccounts.json() as { merchants: Array<{ merchant_id: string; gateway_accounts: Array<{ gateway: string; credentials: Record<string, string> }> }> }).merchants.find(
      (m) => m.merchant_id === 'list_b',
    )!;
    assert.equal(b.gateway_accounts.length, 1);
    assert.deepEqual(b.gateway_accounts[0]!.credentials, { api_key: '****wxyz' });
  });

  it('refuses bad list parameters with a 400 naming the parameter, and a missing key with 401', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['cursor=%%%', 'cursor'],
      ['cursor=abc', 'cursor'],
      ['include_gateway_accounts=yes', 'include_gateway_accounts'],
      ['offset=3', 'offset'],
    ] as const) {
      const res = await app.inject({ method: 'GET', url: `/admin/v1/merchants?${query}`, headers: auth });
      assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
      assert.ok(
        (res.json() as { error_info: { fields: Array<{ field_name: string }> } }).error_info.fields.some((f) => f.field_name === field),
        `${query}: ${res.body}`,
      );
    }
    assert.equal((await app.inject({ method: 'GET', url: '/admin/v1/merchants' })).statusCode, 401);
  });
});
