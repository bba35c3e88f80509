// Issue 10, finding 7, CLI side: `show-signing-keys`, `rotate-response-key` and
// `rotate-webhook-key`, on the database directly (as `npm run admin` does without --url) and
// through a running service's admin API (--url), in process and as the real `src/cli/admin.ts`
// process. Runs on PGlite, and on PostgreSQL when DATABASE_URL is set.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runLocal } from '../../src/cli/admin-commands.ts';
import { runRemote } from '../../src/cli/admin-remote.ts';
import { AppError } from '../../src/core/errors.ts';
import { createMerchantService } from '../../src/core/merchants/merchant-service.ts';
import { createMerchantRepository } from '../../src/storage/merchant-repository.ts';
import { createSecondMerchant, setAllGateways } from '../helpers/api-helpers.ts';
import { DEMO_MERCHANT, startTestApp, type TestApp } from '../helpers/test-app.ts';
import { redirectVerifies, shownKeys, signedRedirect, webhookReceiver, webhooksOfAPayment, webhookVerifies } from './signing-helpers.ts';

const ADMIN_CLI = fileURLToPath(new URL('../../src/cli/admin.ts', import.meta.url));

let j: TestApp;
let baseUrl = '';
let b: { merchantId: string; apiKey: string; auth: string };

before(async () => {
  j = await startTestApp();
  setAllGateways(j);
  b = await createSecondMerchant(j);
  await j.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(j.app.server.address() as AddressInfo).port}`;
});
after(async () => {
  await j.close();
});

/** Runs `node --import tsx src/cli/admin.ts ...args` and answers its exit code and output. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', ADMIN_CLI, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe(`signing keys through the admin CLI (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  test('on the database: show-signing-keys shows what the service signs with; rotate-* replaces one key of one merchant', async () => {
    // What the CLI builds without --url: its own merchant service over the same database.
    const merchants = createMerchantService({ store: createMerchantRepository(j.db), keyRing: j.keyRing });
    const run = (command: Parameters<typeof runLocal>[0]) => runLocal(command, merchants, j.db, j.keyRing) as Promise<Record<string, string>>;
    const a0 = await shownKeys(j, DEMO_MERCHANT);
    const b0 = await shownKeys(j, b.merchantId);
    assert.deepEqual(await run({ command: 'show-signing-keys', merchantId: DEMO_MERCHANT }), { merchant_id: DEMO_MERCHANT, ...a0 });

    const response = await run({ command: 'rotate-response-key', merchantId: DEMO_MERCHANT });
    assert.deepEqual(Object.keys(response).sort(), ['merchant_id', 'response_key']);
    assert.notEqual(response.response_key, a0.response_key);
    const webhook = await run({ command: 'rotate-webhook-key', merchantId: DEMO_MERCHANT });
    assert.deepEqual(Object.keys(webhook).sort(), ['merchant_id', 'webhook_hmac_key']);
    assert.notEqual(webhook.webhook_hmac_key, a0.webhook_hmac_key);
    // The service reads the stored keys (the admin API shows them without its cache).
    assert.deepEqual(await shownKeys(j, DEMO_MERCHANT), { response_key: response.response_key, webhook_hmac_key: webhook.webhook_hmac_key });
    assert.deepEqual(await run({ command: 'show-signing-keys', merchantId: DEMO_MERCHANT }), {
      merchant_id: DEMO_MERCHANT,
      response_key: response.response_key,
      webhook_hmac_key: webhook.webhook_hmac_key,
    });
    assert.deepEqual(await shownKeys(j, b.merchantId), b0, "merchant B's keys did not move");

    await assert.rejects(run({ command: 'show-signing-keys', merchantId: 'no_such_merchant' }), (e: unknown) => e instanceof AppError && e.code === 'RESOURCE_NOT_FOUND');
    await assert.rejects(run({ command: 'rotate-response-key', merchantId: 'no_such_merchant' }), (e: unknown) => e instanceof AppError && e.code === 'RESOURCE_NOT_FOUND');
  });

  test('with --url: the rotation goes through the running service, whose next redirect and webhook use the new keys', async () => {
    const receiver = await webhookReceiver();
    try {
      await j.merchants.updateWebhookSettings(DEMO_MERCHANT, { url: `${receiver.url}/a` });
      const a0 = await shownKeys(j, DEMO_MERCHANT);
      const b0 = await shownKeys(j, b.merchantId);
      assert.deepEqual(await runRemote({ command: 'show-signing-keys', merchantId: DEMO_MERCHANT }, baseUrl, 'test-admin-key'), { merchant_id: DEMO_MERCHANT, ...a0 });

      const response = (await runRemote({ command: 'rotate-response-key', merchantId: DEMO_MERCHANT }, baseUrl, 'test-admin-key')) as { response_key: string };
      const redirect = await signedRedirect(j, DEMO_MERCHANT);
      assert.equal(redirectVerifies(redirect, response.response_key), true);
      assert.equal(redirectVerifies(redirect, a0.response_key), false);

      const webhook = (await runRemote({ command: 'rotate-webhook-key', merchantId: DEMO_MERCHANT }, baseUrl, 'test-admin-key')) as { webhook_hmac_key: string };
      for (const hook of await webhooksOfAPayment(j, receiver, DEMO_MERCHANT)) {
        assert.equal(webhookVerifies(hook, webhook.webhook_hmac_key), true);
        assert.equal(webhookVerifies(hook, a0.webhook_hmac_key), false);
      }
      assert.deepEqual(await shownKeys(j, b.merchantId), b0, "merchant B's keys did not move");
      // A merchant's API key is not an admin key.
      await assert.rejects(runRemote({ command: 'show-signing-keys', merchantId: DEMO_MERCHANT }, baseUrl, b.apiKey), /401/);
    } finally {
      await receiver.close();
    }
  });

  test('the admin.ts process: --url shows and rotates, a missing or wrong admin key is refused without printing a key', async () => {
    const env = { JUNCTION_ADMIN_KEY: 'test-admin-key' };
    const shown = await cli(['show-signing-keys', '--merchant', DEMO_MERCHANT, '--url', baseUrl], env);
    assert.equal(shown.code, 0, shown.stderr);
    const keys = await shownKeys(j, DEMO_MERCHANT);
    assert.deepEqual(JSON.parse(shown.stdout), { merchant_id: DEMO_MERCHANT, ...keys });

    const rotated = await cli(['rotate-webhook-key', '--merchant', DEMO_MERCHANT, '--url', baseUrl], env);
    assert.equal(rotated.code, 0, rotated.stderr);
    const fresh = JSON.parse(rotated.stdout) as { merchant_id: string; webhook_hmac_key: string };
    assert.notEqual(fresh.webhook_hmac_key, keys.webhook_hmac_key);
    assert.deepEqual(await shownKeys(j, DEMO_MERCHANT), { response_key: keys.response_key, webhook_hmac_key: fresh.webhook_hmac_key });

    const noKey = await cli(['show-signing-keys', '--merchant', DEMO_MERCHANT, '--url', baseUrl], {});
    assert.equal(noKey.code, 2, 'usage error');
    assert.match(noKey.stderr, /JUNCTION_ADMIN_KEY/);
    const wrongKey = await cli(['show-signing-keys', '--merchant', DEMO_MERCHANT, '--url', baseUrl], { JUNCTION_ADMIN_KEY: b.apiKey });
    assert.equal(wrongKey.code, 1);
    assert.match(wrongKey.stderr, /401/);
    assert.ok(!wrongKey.stdout.includes(fresh.webhook_hmac_key) && !wrongKey.stderr.includes(fresh.webhook_hmac_key));
  });

  test('the admin.ts process on its own embedded database: create-merchant, rotate-response-key, show-signing-keys', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'junction-cli-keys-'));
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    try {
      const created = await cli(['create-merchant', '--name', 'CLI merchant', '--id', 'cli_keys'], env);
      assert.equal(created.code, 0, created.stderr);
      const first = JSON.parse(created.stdout) as { response_key: string; webhook_hmac_key: string };
      const rotated = await cli(['rotate-response-key', '--merchant', 'cli_keys'], env);
      assert.equal(rotated.code, 0, rotated.stderr);
      const { response_key } = JSON.parse(rotated.stdout) as { response_key: string };
      assert.notEqual(response_key, first.response_key);
      const shown = await cli(['show-signing-keys', '--merchant', 'cli_keys'], env);
      assert.equal(shown.code, 0, shown.stderr);
      assert.deepEqual(JSON.parse(shown.stdout), { merchant_id: 'cli_keys', response_key, webhook_hmac_key: first.webhook_hmac_key });
      const unknown = await cli(['show-signing-keys', '--merchant', 'no_such_merchant'], env);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /RESOURCE_NOT_FOUND/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
