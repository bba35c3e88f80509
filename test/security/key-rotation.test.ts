// Master key rotation: after a new key goes first in JUNCTION_MASTER_KEYS, `rotate-keys`
// re-encrypts every secret at rest under it, so the old key can be dropped and everything still works.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { keyRingFromConfig, LOCAL_FALLBACK_SECRET } from '../../src/core/crypto.ts';
import { rotateSecrets } from '../../src/storage/key-rotation.ts';
import { openDb } from '../../src/storage/db.ts';
import { createOrderOk, payByCard, setAllGateways } from '../helpers/api-helpers.ts';
import { startTestApp, testDatabaseUrl } from '../helpers/test-app.ts';

const K0 = `k0:${Buffer.alloc(32, 7).toString('base64')}`;
const K1 = `k1:${Buffer.alloc(32, 9).toString('base64')}`;

test('rotate-keys moves every secret to the new primary key; the old key can then be dropped', async () => {
  const databaseUrl = testDatabaseUrl();
  const schema = databaseUrl ? `test_rotate_${Date.now().toString(36)}` : undefined;
  const dataDir = databaseUrl ? undefined : `/tmp/junction-rotate-${process.pid}-${Date.now()}`;
  const open = () => openDb(databaseUrl ? { databaseUrl, schema } : { dataDir });

  // 1. Everything written under k0: merchant secrets, gateway credentials, a saved card.
  let db = await open();
  let app = await startTestApp({ masterKeys: K0 }, { db });
  setAllGateways(app);
  const first = await createOrderOk(app, { customer_id: 'c1' });
  const paid = await payByCard(app, first, { save_to_locker: 'true' });
  assert.equal(paid.json.status, 'CHARGED');
  const token = (await app.db.query<{ token: string }>('SELECT token FROM card_vault'))[0]!.token;
  await app.close();

  // 2. Rotate with k1 first, k0 still readable.
  db = await open();
  const counts = await rotateSecrets(db, keyRingFromConfig(`${K1},${K0}`, LOCAL_FALLBACK_SECRET));
  assert.ok(counts['card_vault.ciphertext']! >= 1 && counts['gateway_accounts.credentials_enc']! >= 4 && counts['merchants.response_key_enc']! >= 1, JSON.stringify(counts));
  const leftovers = await db.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM merchants WHERE response_key_enc NOT LIKE 'k1:%' OR webhook_hmac_key_enc NOT LIKE 'k1:%')
          + (SELECT count(*) FROM gateway_accounts WHERE credentials_enc NOT LIKE 'k1:%')
          + (SELECT count(*) FROM card_vault WHERE ciphertext NOT LIKE 'k1:%' OR key_id <> 'k1') AS n`,
  );
  assert.equal(Number(leftovers[0]!.n), 0);
  const again = await rotateSecrets(db, keyRingFromConfig(`${K1},${K0}`, LOCAL_FALLBACK_SECRET));
  assert.ok(
    Object.values(again).every((n) => n === 0),
    'a second run has nothing to do',
  );

  // 3. Only k1 now: the saved card pays, the API key works, gateway credentials decrypt.
  app = await startTestApp({ masterKeys: K1 }, { db });
  setAllGateways(app);
  const second = await createOrderOk(app, { customer_id: 'c1' });
  const reused = await payByCard(app, second, { card_number: '', card_exp_month: '', card_exp_year: '', card_token: token, card_security_code: '123' });
  assert.equal(reused.status, 200, reused.body);
  assert.equal(reused.json.status, 'CHARGED');
  await app.close();

  if (databaseUrl && schema) {
    const cleanup = await openDb({ databaseUrl });
    await cleanup.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await cleanup.close();
  } else if (dataDir) {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
