// The merchant service's signing-key operations over the real SQL store, with a fixed clock: a
// rotation reaches this instance's signing at once (the secrets cache is dropped), another
// instance within the cache lifetime (5 s), and only the named key of the named merchant changes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { keyRingFromConfig } from '../../src/core/crypto.ts';
import { AppError } from '../../src/core/errors.ts';
import { createMerchantService } from '../../src/core/merchants/merchant-service.ts';
import type { SigningKeyName } from '../../src/core/merchants/types.ts';
import { migrate, openDb, type Db } from '../../src/storage/db.ts';
import { createMerchantRepository } from '../../src/storage/merchant-repository.ts';
import { testDatabaseUrl } from '../helpers/test-app.ts';

const databaseUrl = testDatabaseUrl();
const schema = databaseUrl ? `test_signkeys_${randomBytes(5).toString('hex')}` : undefined;
let db: Db;
let clock = Date.parse('2026-01-01T00:00:00Z');
const keyRing = keyRingFromConfig(`k1:${randomBytes(32).toString('base64')}`, 'unused');
const service = () => createMerchantService({ store: createMerchantRepository(db), keyRing, now: () => new Date(clock) });

before(async () => {
  db = await openDb(databaseUrl ? { databaseUrl, schema, poolSize: 2 } : { dataDir: 'memory://' });
  await migrate(db);
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

test(`rotation: at once here, within the cache lifetime elsewhere, one key of one merchant (${databaseUrl ? 'PostgreSQL' : 'PGlite'})`, async () => {
  const here = service();
  const elsewhere = service();
  const a = await here.createMerchant({ id: 'sk_a', name: 'A' });
  const b = await here.createMerchant({ id: 'sk_b', name: 'B' });
  assert.deepEqual(await here.getSigningKeys('sk_a'), { responseKey: a.responseKey, webhookHmacKey: a.webhookHmacKey });

  for (const [name, field] of [
    ['response_key', 'responseKey'],
    ['webhook_hmac_key', 'webhookHmacKey'],
  ] as const) {
    const before = await here.getSigningKeys('sk_a');
    // Both instances have the current secrets cached.
    const cachedHere = await here.getMerchantSecrets('sk_a');
    const cachedElsewhere = await elsewhere.getMerchantSecrets('sk_a');
    const rotated = await here.rotateSigningKey('sk_a', name);
    assert.equal(rotated.key, name);
    assert.notEqual(rotated.value, before[field]);
    const signingKey = (s: typeof cachedHere) => (field === 'responseKey' ? s.responseKey : s.webhook.hmacKey);
    assert.equal(signingKey(cachedHere), before[field]);
    assert.equal(signingKey(await here.getMerchantSecrets('sk_a')), rotated.value, 'this instance signs with the new key at once');
    assert.equal(signingKey(await elsewhere.getMerchantSecrets('sk_a')), signingKey(cachedElsewhere), 'another instance still has the old key cached...');
    assert.deepEqual(await elsewhere.getSigningKeys('sk_a'), { ...before, [field]: rotated.value }, '...but shows the stored one, and only the named key moved');
    clock += 5_001;
    assert.equal(signingKey(await elsewhere.getMerchantSecrets('sk_a')), rotated.value, 'and signs with it once its cache expires');
  }
  assert.deepEqual(await here.getSigningKeys('sk_b'), { responseKey: b.responseKey, webhookHmacKey: b.webhookHmacKey }, "B's keys never moved");

  await assert.rejects(here.rotateSigningKey('sk_a', 'api_key' as SigningKeyName), (e: unknown) => e instanceof AppError && e.code === 'INVALID_INPUT' && e.fields.some((f) => f.field_name === 'key'));
  await assert.rejects(here.rotateSigningKey('nobody', 'response_key'), (e: unknown) => e instanceof AppError && e.code === 'RESOURCE_NOT_FOUND');
  await assert.rejects(here.getSigningKeys('nobody'), (e: unknown) => e instanceof AppError && e.code === 'RESOURCE_NOT_FOUND');
  // Stored encrypted under the key ring: no key in clear in the row.
  const rows = await db.query<Record<string, unknown>>('SELECT * FROM merchants');
  const stored = JSON.stringify(rows);
  const now = await here.getSigningKeys('sk_a');
  for (const key of [now.responseKey, now.webhookHmacKey, a.responseKey, b.responseKey, b.webhookHmacKey]) assert.ok(!stored.includes(key));
});
