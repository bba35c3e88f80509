// Issue 10, finding 7: the response key (return-URL signature) and the webhook signing key can be
// shown and rotated through the admin API, with the admin key only; a rotation takes effect on the
// next redirect / delivery, the old key stops verifying, and another merchant's keys do not move.
// The keys stay encrypted at rest and out of the logs; the demo merchant's keys are printed at
// first start. Runs on PGlite, and on PostgreSQL when DATABASE_URL is set.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { seedDemo } from '../../src/core/merchants/demo-seed.ts';
import { startupBanner } from '../../src/startup-banner.ts';
import { createSecondMerchant, setAllGateways } from '../helpers/api-helpers.ts';
import { DEMO_KEY, DEMO_MERCHANT, DEMO_USER_TOKENS, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { admin, redirectVerifies, shownKeys, signedRedirect, webhookReceiver, webhooksOfAPayment, webhookVerifies } from './signing-helpers.ts';

let j: TestApp;
let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
let b: { merchantId: string; apiKey: string; auth: string };
const logLines: string[] = [];
/** Every key value the tests saw, to look for in the database and the logs at the end. */
const seenKeys = new Set<string>();

before(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  j = await startTestApp({}, { logger: { level: 'trace', stream, redact: { paths: ['req.headers.authorization'], censor: '[redacted]' } } });
  setAllGateways(j);
  receiver = await webhookReceiver();
  b = await createSecondMerchant(j);
  await j.merchants.updateWebhookSettings(DEMO_MERCHANT, { url: `${receiver.url}/a` });
  await j.merchants.updateWebhookSettings(b.merchantId, { url: `${receiver.url}/b` });
});
after(async () => {
  await j.close();
  await receiver.close();
});

describe(`signing keys through the admin API (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  test('first start: the demo merchant is created and its response key and webhook key are printed with its API key', async () => {
    assert.ok(j.demo?.created, 'the test app seeds a fresh demo merchant');
    const keys = await shownKeys(j, DEMO_MERCHANT);
    assert.equal(j.demo.responseKey, keys.response_key);
    assert.equal(j.demo.webhookHmacKey, keys.webhook_hmac_key);
    const banner = startupBanner({ publicBaseUrl: 'http://127.0.0.1:8080', storage: 'PGlite in memory', demo: j.demo, demoUserPasswordFixed: false }).join('\n');
    assert.match(banner, new RegExp(`Demo API key:\\s+${DEMO_KEY}`));
    assert.match(banner, new RegExp(`Response key:\\s+${keys.response_key}`));
    assert.match(banner, new RegExp(`Webhook key:\\s+${keys.webhook_hmac_key}`));

    // A later start finds the merchant: no key is printed again, only how to show them.
    const again = await seedDemo(j.merchants, { merchantId: DEMO_MERCHANT });
    assert.equal(again.created, false);
    assert.equal(again.responseKey, undefined);
    assert.equal(again.webhookHmacKey, undefined);
    const later = startupBanner({ publicBaseUrl: 'http://127.0.0.1:8080', storage: 'PGlite in memory', demo: again, demoUserPasswordFixed: false }).join('\n');
    assert.ok(!later.includes(keys.response_key) && !later.includes(keys.webhook_hmac_key), later);
    assert.match(later, /show-signing-keys --merchant demo_merchant/);
    seenKeys.add(keys.response_key).add(keys.webhook_hmac_key);
  });

  test('the admin key shows both keys, uncacheable, and they are the keys that verify a redirect and a webhook', async () => {
    const shown = await admin(j, 'GET', `/admin/v1/merchants/${DEMO_MERCHANT}/signing-keys`);
    assert.equal(shown.status, 200, shown.body);
    assert.equal(shown.headers['cache-control'], 'no-store');
    assert.deepEqual(Object.keys(shown.json).sort(), ['merchant_id', 'response_key', 'webhook_hmac_key']);
    assert.equal(shown.json.merchant_id, DEMO_MERCHANT);
    assert.notEqual(shown.json.response_key, shown.json.webhook_hmac_key);
    const redirect = await signedRedirect(j, DEMO_MERCHANT);
    assert.equal(redirectVerifies(redirect, shown.json.response_key), true, 'the shown response key verifies the redirect');
    assert.equal(redirectVerifies(redirect, shown.json.webhook_hmac_key), false, 'and the webhook key does not');
    const hooks = await webhooksOfAPayment(j, receiver, DEMO_MERCHANT);
    for (const hook of hooks) {
      assert.equal(hook.path, '/a');
      assert.equal(webhookVerifies(hook, shown.json.webhook_hmac_key), true, 'the shown webhook key verifies the webhook');
      assert.equal(webhookVerifies(hook, shown.json.response_key), false);
    }
    const missing = await admin(j, 'GET', '/admin/v1/merchants/no_such_merchant/signing-keys');
    assert.equal(missing.status, 404, missing.body);
  });

  test("a merchant's API key, a dashboard user's token, a wrong key or none can neither show nor rotate the keys", async () => {
    const before = await shownKeys(j, DEMO_MERCHANT);
    const refused = [j.basic, `Bearer ${DEMO_KEY}`, `Bearer ${DEMO_USER_TOKENS.admin}`, 'Bearer test-admin-keyX', null];
    for (const auth of refused) {
      for (const [method, path] of [
        ['GET', 'signing-keys'],
        ['POST', 'signing-keys/response-key/rotate'],
        ['POST', 'signing-keys/webhook-key/rotate'],
      ] as const) {
        const answer = await admin(j, method, `/admin/v1/merchants/${DEMO_MERCHANT}/${path}`, { auth });
        assert.ok(answer.status === 401 || answer.status === 403, `${method} ${path} with ${auth ?? 'no auth'}: ${answer.status}`);
        assert.ok(!answer.body.includes(before.response_key) && !answer.body.includes(before.webhook_hmac_key));
      }
      const legacy = await admin(j, 'PATCH', `/admin/v1/merchants/${DEMO_MERCHANT}/webhook`, { auth, body: { rotate_hmac_key: true } });
      assert.ok(legacy.status === 401 || legacy.status === 403, `PATCH webhook with ${auth ?? 'no auth'}: ${legacy.status}`);
    }
    assert.deepEqual(await shownKeys(j, DEMO_MERCHANT), before, 'nothing rotated');
  });

  test("rotating A's response key: the new key signs A's next redirect, the old one no longer verifies, B's key is untouched", async () => {
    const a0 = await shownKeys(j, DEMO_MERCHANT);
    const b0 = await shownKeys(j, b.merchantId);
    const rotated = await admin(j, 'POST', `/admin/v1/merchants/${DEMO_MERCHANT}/signing-keys/response-key/rotate`);
    assert.equal(rotated.status, 200, rotated.body);
    assert.equal(rotated.headers['cache-control'], 'no-store');
    assert.deepEqual(Object.keys(rotated.json).sort(), ['merchant_id', 'response_key']);
    const fresh: string = rotated.json.response_key;
    assert.match(fresh, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
    assert.notEqual(fresh, a0.response_key);
    seenKeys.add(fresh);

    const redirect = await signedRedirect(j, DEMO_MERCHANT);
    assert.equal(redirectVerifies(redirect, fresh), true, 'the new key verifies the next redirect');
    assert.equal(redirectVerifies(redirect, a0.response_key), false, 'the old key no longer does');
    assert.deepEqual(await shownKeys(j, DEMO_MERCHANT), { response_key: fresh, webhook_hmac_key: a0.webhook_hmac_key }, 'the webhook key did not move');

    assert.deepEqual(await shownKeys(j, b.merchantId), b0, "B's keys did not move");
    const bRedirect = await signedRedirect(j, b.merchantId, { auth: b.auth });
    assert.equal(redirectVerifies(bRedirect, b0.response_key), true, "B's redirects still verify with B's key");
    assert.equal(redirectVerifies(bRedirect, fresh), false);
  });

  test("rotating A's webhook key: the next delivery is signed with the new key, the old one no longer verifies, B's deliveries still verify with B's key", async () => {
    const a0 = await shownKeys(j, DEMO_MERCHANT);
    const b0 = await shownKeys(j, b.merchantId);
    const rotated = await admin(j, 'POST', `/admin/v1/merchants/${DEMO_MERCHANT}/signing-keys/webhook-key/rotate`);
    assert.equal(rotated.status, 200, rotated.body);
    assert.deepEqual(Object.keys(rotated.json).sort(), ['merchant_id', 'webhook_hmac_key']);
    const fresh: string = rotated.json.webhook_hmac_key;
    assert.notEqual(fresh, a0.webhook_hmac_key);
    seenKeys.add(fresh);
    for (const hook of await webhooksOfAPayment(j, receiver, DEMO_MERCHANT)) {
      assert.equal(webhookVerifies(hook, fresh), true, 'the new key verifies');
      assert.equal(webhookVerifies(hook, a0.webhook_hmac_key), false, 'the old key no longer does');
    }
    assert.equal((await shownKeys(j, DEMO_MERCHANT)).response_key, a0.response_key, 'the response key did not move');
    assert.deepEqual(await shownKeys(j, b.merchantId), b0, "B's keys did not move");
    for (const hook of await webhooksOfAPayment(j, receiver, b.merchantId, { auth: b.auth })) {
      assert.equal(hook.path, '/b');
      assert.equal(webhookVerifies(hook, b0.webhook_hmac_key), true);
      assert.equal(webhookVerifies(hook, fresh), false);
    }
  });

  test('an event queued before a webhook-key rotation is signed with the new key when it is delivered', async () => {
    const a0 = await shownKeys(j, DEMO_MERCHANT);
    let fresh = '';
    const hooks = await webhooksOfAPayment(j, receiver, DEMO_MERCHANT, {}, async () => {
      const rotated = await admin(j, 'POST', `/admin/v1/merchants/${DEMO_MERCHANT}/signing-keys/webhook-key/rotate`);
      assert.equal(rotated.status, 200, rotated.body);
      fresh = rotated.json.webhook_hmac_key;
    });
    seenKeys.add(fresh);
    for (const hook of hooks) {
      assert.equal(webhookVerifies(hook, fresh), true);
      assert.equal(webhookVerifies(hook, a0.webhook_hmac_key), false);
    }
  });

  test('the older PATCH .../webhook {rotate_hmac_key: true} still rotates the webhook key, the same way', async () => {
    const a0 = await shownKeys(j, DEMO_MERCHANT);
    const patched = await admin(j, 'PATCH', `/admin/v1/merchants/${DEMO_MERCHANT}/webhook`, { body: { rotate_hmac_key: true } });
    assert.equal(patched.status, 200, patched.body);
    const fresh: string = patched.json.webhook_hmac_key;
    assert.ok(fresh && fresh !== a0.webhook_hmac_key);
    seenKeys.add(fresh);
    assert.deepEqual(await shownKeys(j, DEMO_MERCHANT), { response_key: a0.response_key, webhook_hmac_key: fresh });
    for (const hook of await webhooksOfAPayment(j, receiver, DEMO_MERCHANT)) {
      assert.equal(webhookVerifies(hook, fresh), true);
      assert.equal(webhookVerifies(hook, a0.webhook_hmac_key), false);
    }
  });

  test('no key is stored or logged in clear', async () => {
    assert.ok(seenKeys.size >= 5, `keys seen: ${seenKeys.size}`);
    const rows = await j.db.query<{ id: string; response_key_enc: string; webhook_hmac_key_enc: string }>('SELECT id, response_key_enc, webhook_hmac_key_enc FROM merchants');
    const stored = JSON.stringify(rows);
    for (const row of rows) {
      assert.match(row.response_key_enc, /^[^:]+:[^:]+:[^:]+:[^:]+$/, 'AES-GCM ciphertext with its key id');
      assert.match(row.webhook_hmac_key_enc, /^[^:]+:[^:]+:[^:]+:[^:]+$/);
    }
    const logs = logLines.join('');
    assert.ok(logs.includes('signing-keys'), 'the logger captured the key requests');
    for (const key of seenKeys) {
      assert.ok(!stored.includes(key), 'no key in clear in the merchants table');
      assert.ok(!logs.includes(key), 'no key in the logs');
    }
  });
});
