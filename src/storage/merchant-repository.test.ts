// Merchant management over the real SQL store: on in-memory PGlite always, and on PostgreSQL
// when DATABASE_URL is set (each run in its own schema, dropped afterwards).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { keyRingFromConfig, type KeyRing } from '../core/crypto.ts';
import { AppError } from '../core/errors.ts';
import { seedDemo } from '../core/merchants/demo-seed.ts';
import { createMerchantService, type MerchantService } from '../core/merchants/merchant-service.ts';
import type { Db } from './db.ts';
import { createMerchantRepository } from './merchant-repository.ts';
import { migratedTestDatabases } from './test-databases.ts';

const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('base64');

async function rejectsWith(promise: Promise<unknown>, code: string, field?: string): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, `expected AppError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (field)
      assert.ok(
        error.fields.some((f) => f.field_name === field),
        `expected field ${field} in ${JSON.stringify(error.fields)}`,
      );
    return error;
  }
  assert.fail(`expected ${code}`);
}

const backends = migratedTestDatabases('test_merch');

for (const backend of backends) {
  describe(`merchant service on ${backend.name}`, () => {
    let db: Db;
    let cleanup: () => Promise<void>;
    let ring: KeyRing;
    let service: MerchantService;
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const now = (): Date => new Date(clock);

    before(async () => {
      ({ db, cleanup } = await backend.open());
      ring = keyRingFromConfig(`k1:${KEY_A}`, 'unused');
      service = createMerchantService({ store: createMerchantRepository(db), keyRing: ring, now });
    });
    after(async () => {
      await cleanup();
    });

    it('creates a merchant with a generated id and a key shown once, stored only as a digest', async () => {
      const created = await service.createMerchant({ name: 'Acme', webhookUrl: 'https://acme.example/hooks', webhookUsername: 'u', webhookPassword: 'pw-secret-123' });
      assert.match(created.merchant.id, /^[A-Za-z0-9_]{3,32}$/);
      assert.ok(created.apiKey.length >= 24);
      assert.ok(created.responseKey.length > 20);
      assert.equal(created.merchant.hasWebhookPassword, true);
      const rows = await db.query<Record<string, unknown>>('SELECT * FROM api_keys WHERE merchant_id = $1', [created.merchant.id]);
      assert.equal(rows.length, 1);
      assert.ok(!JSON.stringify(rows).includes(created.apiKey), 'plaintext key in api_keys');
      const merchantRows = await db.query<Record<string, unknown>>('SELECT * FROM merchants WHERE id = $1', [created.merchant.id]);
      const dump = JSON.stringify(merchantRows);
      assert.ok(!dump.includes(created.responseKey) && !dump.includes('pw-secret-123'), 'plaintext secret in merchants');
      const listed = await service.listApiKeys(created.merchant.id);
      assert.equal(listed.length, 1);
      assert.ok(!JSON.stringify(listed).includes(created.apiKey));
      assert.ok(created.apiKey.startsWith(listed[0]!.prefix));
      assert.deepEqual(await service.authenticate(created.apiKey), { merchantId: created.merchant.id, keyId: created.apiKeyId });
      const secrets = await service.getMerchantSecrets(created.merchant.id);
      assert.equal(secrets.responseKey, created.responseKey);
      assert.equal(secrets.webhook.password, 'pw-secret-123');
      assert.equal(secrets.webhook.hmacKey, created.webhookHmacKey);
    });

    it('validates the merchant id and refuses duplicates naming the field', async () => {
      await rejectsWith(service.createMerchant({ id: 'a-b', name: 'X' }), 'INVALID_INPUT', 'merchant_id');
      await rejectsWith(service.createMerchant({ id: 'ab', name: 'X' }), 'INVALID_INPUT', 'merchant_id');
      await rejectsWith(service.createMerchant({ id: 'fine_id', name: '' }), 'MISSING_MANDATORY_PARAMETER', 'name');
      await rejectsWith(service.createMerchant({ id: 'fine_id', name: 'X', webhookUrl: 'ftp://x' }), 'INVALID_INPUT', 'webhook_url');
      await service.createMerchant({ id: 'dup_merchant', name: 'X' });
      await rejectsWith(service.createMerchant({ id: 'dup_merchant', name: 'Y' }), 'ALREADY_EXISTS', 'merchant_id');
    });

    it('holds several keys per merchant; revocation works at once, even with a warm cache', async () => {
      const { merchant } = await service.createMerchant({ id: 'keys_merchant', name: 'Keys' });
      const k1 = await service.createApiKey(merchant.id, 'ci');
      const k2 = await service.createApiKey(merchant.id);
      assert.notEqual(k1.key, k2.key);
      assert.equal((await service.listApiKeys(merchant.id)).length, 3);
      assert.equal((await service.authenticate(k1.key))?.keyId, k1.id);
      await service.revokeApiKey(merchant.id, k1.id);
      assert.equal(await service.authenticate(k1.key), null);
      assert.equal((await service.authenticate(k2.key))?.merchantId, merchant.id);
      const info = (await service.listApiKeys(merchant.id)).find((k) => k.id === k1.id);
      assert.ok(info?.revokedAt instanceof Date);
      assert.equal(info?.label, 'ci');
      assert.ok((await service.listApiKeys(merchant.id)).find((k) => k.id === k2.id)?.lastUsedAt instanceof Date);
      assert.equal(await service.authenticate('nope'), null);
      assert.equal(await service.authenticate(''), null);
      await rejectsWith(service.revokeApiKey('dup_merchant', k2.id), 'RESOURCE_NOT_FOUND');
      const fixed = await service.createApiKey(merchant.id, null, { key: 'fixed_key_for_tests_1' });
      assert.equal(fixed.key, 'fixed_key_for_tests_1');
      await rejectsWith(service.createApiKey(merchant.id, null, { key: 'fixed_key_for_tests_1' }), 'ALREADY_EXISTS', 'key');
      await rejectsWith(service.createApiKey('no_such_merchant', null), 'RESOURCE_NOT_FOUND');
    });

    it('encrypts gateway credentials at rest and never lists them', async () => {
      const { merchant } = await service.createMerchant({ id: 'gw_merchant', name: 'GW' });
      const account = await service.createGatewayAccount(merchant.id, {
        gateway: 'SIM_ALPHA',
        gatewayReferenceId: 'main',
        credentials: { api_key: 'sk_test_plaintext_value_1234', webhook_secret: 'whsec_plain' },
        paymentMethodTypes: ['CARD', 'upi'],
        cardBrands: ['VISA'],
        currencies: ['INR', 'usd'],
        fees: { percent: 1.9 },
      });
      assert.equal(account.gatewayId, 901);
      assert.deepEqual(account.paymentMethodTypes, ['CARD', 'UPI']);
      assert.deepEqual(account.currencies, ['INR', 'USD']);
      assert.deepEqual(account.maskedCredentials, { api_key: '****1234', webhook_secret: '****' });
      const rows = await db.query<Record<string, unknown>>('SELECT * FROM gateway_accounts WHERE id = $1', [account.id]);
      const dump = JSON.stringify(rows);
      assert.ok(!dump.includes('sk_test_plaintext_value_1234') && !dump.includes('whsec_plain'), 'plaintext credentials in row');
      const listed = await service.listGatewayAccounts(merchant.id);
      assert.ok(!JSON.stringify(listed).includes('sk_test_plaintext_value_1234'));
      const connector = await service.connectorAccount(merchant.id, account.id);
      assert.deepEqual(connector.credentials, { api_key: 'sk_test_plaintext_value_1234', webhook_secret: 'whsec_plain' });
      const candidates = await service.routingCandidates(merchant.id);
      assert.equal(candidates.length, 1);
      assert.equal(candidates[0]!.gateway, 'SIM_ALPHA');
      assert.equal(candidates[0]!.gatewayReferenceId, 'main');
    });

    it('validates gateway accounts with field names and refuses duplicates', async () => {
      const m = 'gw_merchant';
      await rejectsWith(service.createGatewayAccount(m, { gateway: 'NOPE', credentials: {} }), 'INVALID_INPUT', 'gateway');
      await rejectsWith(service.createGatewayAccount(m, { gateway: 'SIM_BETA', credentials: {}, cardBrands: ['VISA', 'FOOCARD'] }), 'INVALID_INPUT', 'card_brands');
      await rejectsWith(service.createGatewayAccount(m, { gateway: 'SIM_BETA', credentials: {}, currencies: ['XYZ'] }), 'INVALID_INPUT', 'currencies');
      await rejectsWith(service.createGatewayAccount(m, { gateway: 'SIM_BETA', credentials: {}, currencies: ['RUPEES'] }), 'INVALID_INPUT', 'currencies');
      await rejectsWith(service.createGatewayAccount(m, { gateway: 'SIM_BETA', credentials: {}, paymentMethodTypes: ['CHEQUE'] }), 'INVALID_INPUT', 'payment_method_types');
      await rejectsWith(service.createGatewayAccount(m, { gateway: 'SIM_BETA', credentials: { k: 5 as unknown as string } }), 'INVALID_INPUT', 'credentials.k');
      await rejectsWith(service.createGatewayAccount(m, { gateway: 'SIM_BETA', credentials: {}, priority: -1 }), 'INVALID_INPUT', 'priority');
      await rejectsWith(service.createGatewayAccount(m, { gateway: 'SIM_BETA' } as never), 'MISSING_MANDATORY_PARAMETER', 'credentials');
      await rejectsWith(service.createGatewayAccount(m, { gateway: 'SIM_ALPHA', gatewayReferenceId: 'main', credentials: {} }), 'ALREADY_EXISTS', 'gateway_reference_id');
      // The same gateway with another reference id, or with none, is a separate credential set.
      await service.createGatewayAccount(m, { gateway: 'SIM_ALPHA', gatewayReferenceId: 'emi', credentials: {} });
      await service.createGatewayAccount(m, { gateway: 'SIM_ALPHA', credentials: {} });
      await rejectsWith(service.createGatewayAccount(m, { gateway: 'SIM_ALPHA', credentials: {} }), 'ALREADY_EXISTS', 'gateway_reference_id');
      await rejectsWith(service.createGatewayAccount('no_such_merchant', { gateway: 'SIM_ALPHA', credentials: {} }), 'RESOURCE_NOT_FOUND');
    });

    it('updates accounts partially, rotates credentials and invalidates the hot-path caches', async () => {
      const m = 'gw_merchant';
      const [first] = await service.listGatewayAccounts(m);
      assert.ok(first);
      const before = await service.routingCandidates(m);
      assert.equal(before.find((c) => c.accountId === first.id)?.enabled, true);
      await service.connectorAccount(m, first.id);
      const updated = await service.updateGatewayAccount(m, first.id, { enabled: false, priority: 5, credentials: { api_key: 'rotated_secret_value_9999' } });
      assert.equal(updated.enabled, false);
      assert.equal(updated.priority, 5);
      assert.deepEqual(updated.paymentMethodTypes, first.paymentMethodTypes);
      assert.equal((await service.routingCandidates(m)).find((c) => c.accountId === first.id)?.enabled, false);
      assert.deepEqual((await service.connectorAccount(m, first.id)).credentials, { api_key: 'rotated_secret_value_9999' });
      await rejectsWith(service.updateGatewayAccount(m, first.id, { cardBrands: ['NOPE'] }), 'INVALID_INPUT', 'card_brands');
      await rejectsWith(service.updateGatewayAccount(m, first.id, { gatewayReferenceId: 'emi' }), 'ALREADY_EXISTS', 'gateway_reference_id');
    });

    it('scopes every account operation to the merchant', async () => {
      const { merchant: b } = await service.createMerchant({ id: 'other_merchant', name: 'B' });
      const [accountOfA] = await service.listGatewayAccounts('gw_merchant');
      assert.ok(accountOfA);
      await rejectsWith(service.getGatewayAccount(b.id, accountOfA.id), 'RESOURCE_NOT_FOUND');
      await rejectsWith(service.connectorAccount(b.id, accountOfA.id), 'RESOURCE_NOT_FOUND');
      await rejectsWith(service.updateGatewayAccount(b.id, accountOfA.id, { enabled: true }), 'RESOURCE_NOT_FOUND');
      assert.deepEqual(await service.listGatewayAccounts(b.id), []);
      assert.deepEqual(await service.routingCandidates(b.id), []);
      const keyOfA = (await service.listApiKeys('gw_merchant'))[0]!;
      await rejectsWith(service.revokeApiKey(b.id, keyOfA.id), 'RESOURCE_NOT_FOUND');
    });

    it('updates webhook settings and rotates the HMAC key', async () => {
      const m = 'gw_merchant';
      const before = await service.getMerchantSecrets(m);
      const result = await service.updateWebhookSettings(m, { url: 'https://gw.example/wh', password: 'new-pass', customHeaders: { 'X-Env': 'test' }, version: '2023-06-30', rotateHmacKey: true });
      assert.equal(result.merchant.webhookUrl, 'https://gw.example/wh');
      assert.equal(result.merchant.webhookVersion, '2023-06-30');
      assert.ok(result.webhookHmacKey && result.webhookHmacKey !== before.webhook.hmacKey);
      const after = await service.getMerchantSecrets(m);
      assert.equal(after.webhook.password, 'new-pass');
      assert.equal(after.webhook.hmacKey, result.webhookHmacKey);
      assert.deepEqual(after.webhook.customHeaders, { 'X-Env': 'test' });
      await rejectsWith(service.updateWebhookSettings(m, { customHeaders: { Authorization: 'x' } }), 'INVALID_INPUT', 'custom_headers.Authorization');
      await rejectsWith(service.updateWebhookSettings(m, { version: 'yesterday' }), 'INVALID_INPUT', 'version');
      const cleared = await service.updateWebhookSettings(m, { url: null, password: null });
      assert.equal(cleared.merchant.webhookUrl, null);
      assert.equal(cleared.merchant.hasWebhookPassword, false);
    });

    it('reads secrets written under an older key after the ring rotates', async () => {
      const oldRing = keyRingFromConfig(`k0:${KEY_B}`, 'unused');
      const oldService = createMerchantService({ store: createMerchantRepository(db), keyRing: oldRing });
      const created = await oldService.createMerchant({ id: 'rotated_merchant', name: 'R', webhookPassword: 'pw-old' });
      const account = await oldService.createGatewayAccount(created.merchant.id, { gateway: 'SIM_GAMMA', credentials: { api_key: 'old-key' } });
      const rotated = createMerchantService({ store: createMerchantRepository(db), keyRing: keyRingFromConfig(`k1:${KEY_A},k0:${KEY_B}`, 'unused') });
      assert.equal((await rotated.getMerchantSecrets(created.merchant.id)).responseKey, created.responseKey);
      assert.deepEqual((await rotated.connectorAccount(created.merchant.id, account.id)).credentials, { api_key: 'old-key' });
      // New writes use the primary key; old ones stay readable.
      await rotated.updateGatewayAccount(created.merchant.id, account.id, { credentials: { api_key: 'new-key' } });
      const [row] = await db.query<{ credentials_enc: string }>('SELECT credentials_enc FROM gateway_accounts WHERE id = $1', [account.id]);
      assert.ok(row?.credentials_enc.startsWith('k1:'));
      assert.deepEqual((await rotated.connectorAccount(created.merchant.id, account.id)).credentials, { api_key: 'new-key' });
    });

    it('caches authentication for a few seconds, then reads again', async () => {
      const { merchant, apiKey } = await service.createMerchant({ id: 'cache_merchant', name: 'C' });
      assert.ok(await service.authenticate(apiKey));
      // A revocation made by another instance (straight in the table) is seen after the TTL.
      await db.query('UPDATE api_keys SET revoked_at = now() WHERE merchant_id = $1', [merchant.id]);
      assert.ok(await service.authenticate(apiKey));
      clock += 6_000;
      assert.equal(await service.authenticate(apiKey), null);
    });

    it('seeds the demo once, idempotently, honouring a fixed id and key', async () => {
      const first = await seedDemo(service, {});
      assert.equal(first.created, true);
      assert.equal(first.merchantId, 'demo_merchant');
      assert.ok(first.apiKey);
      assert.equal((await service.authenticate(first.apiKey))?.merchantId, 'demo_merchant');
      const accounts = await service.listGatewayAccounts('demo_merchant');
      assert.deepEqual(accounts.map((a) => a.gateway).sort(), ['SIM_ALPHA', 'SIM_BETA', 'SIM_DELTA', 'SIM_GAMMA']);
      assert.ok(!accounts.find((a) => a.gateway === 'SIM_DELTA')!.paymentMethodTypes.includes('UPI'));
      assert.ok(accounts.find((a) => a.gateway === 'SIM_ALPHA')!.paymentMethodTypes.includes('UPI'));
      const again = await seedDemo(service, {});
      assert.deepEqual(again, { created: false, merchantId: 'demo_merchant' });
      assert.equal((await service.listGatewayAccounts('demo_merchant')).length, 4);

      const fixed = await seedDemo(service, { merchantId: 'my_demo', apiKey: 'demo_key_fixed_0001' });
      // A just-created demo merchant also answers its signing keys (printed once at first start).
      const fixedKeys = await service.getSigningKeys('my_demo');
      assert.deepEqual(fixed, { created: true, merchantId: 'my_demo', apiKey: 'demo_key_fixed_0001', responseKey: fixedKeys.responseKey, webhookHmacKey: fixedKeys.webhookHmacKey });
      assert.equal((await service.authenticate('demo_key_fixed_0001'))?.merchantId, 'my_demo');
      assert.equal((await service.listApiKeys('my_demo')).length, 1);
      const fixedAgain = await seedDemo(service, { merchantId: 'my_demo', apiKey: 'demo_key_fixed_0001' });
      assert.deepEqual(fixedAgain, { created: false, merchantId: 'my_demo', apiKey: 'demo_key_fixed_0001' });
      assert.equal((await service.listApiKeys('my_demo')).length, 1);

      // An existing demo merchant gains a newly configured DEMO_API_KEY.
      const added = await seedDemo(service, { apiKey: 'demo_key_added_0002' });
      assert.deepEqual(added, { created: false, merchantId: 'demo_merchant', apiKey: 'demo_key_added_0002' });
      assert.equal((await service.authenticate('demo_key_added_0002'))?.merchantId, 'demo_merchant');
      await rejectsWith(seedDemo(service, { merchantId: 'my_demo', apiKey: 'demo_key_added_0002' }), 'ALREADY_EXISTS');
    });
  });
}
