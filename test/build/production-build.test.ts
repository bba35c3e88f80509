// The production build: `npm run build:server` compiles the service to plain JavaScript, every
// package it imports is a runtime dependency, and `npm start` (scripts/start.mjs) runs the
// compiled server with plain node: it answers /health, takes a payment, runs merchant code in its
// sandbox worker, serves /metrics, and stops cleanly on SIGTERM; the compiled admin CLI works on a
// database of its own and, with --url, through that server's admin API (the database side is a
// lazily loaded part of the bundle). Temporary build and data folders.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD_DIR = join('.tmp', `build-test-${process.pid}`);
const API_KEY = 'build_test_key_0001';
const ADMIN_TOKEN = 'build_test_admin_token_0001';
const METRICS_TOKEN = 'build_test_metrics_token';
const ADMIN_KEY = 'build_test_admin_key';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = address && typeof address === 'object' ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs the compiled admin CLI with plain node (no tsx) and only the given environment. */
function admin(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [join(BUILD_DIR, 'admin.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env } });
}

describe('production build', () => {
  let dataDir: string;
  let server: ChildProcess | null = null;
  let output = '';
  let base = '';

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'junction-build-'));
  });
  after(() => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(join(ROOT, BUILD_DIR), { recursive: true, force: true });
  });

  test('build:server compiles, and imports only runtime dependencies', () => {
    const built = spawnSync(process.execPath, ['scripts/build-server.mjs', `--outdir=${BUILD_DIR}`], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr + built.stdout);
    const checked = spawnSync(process.execPath, ['scripts/check-runtime-deps.mjs', BUILD_DIR], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(checked.status, 0, checked.stderr + checked.stdout);
  });

  test('npm start runs the compiled server with plain node: health, a payment, the sandbox, metrics, SIGTERM', async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // No --import tsx, no NODE_OPTIONS: a .ts module reached at run time would fail to load.
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      JUNCTION_DIST_DIR: BUILD_DIR,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      DEMO_API_KEY: API_KEY,
      DEMO_ADMIN_TOKEN: ADMIN_TOKEN,
      DEMO_USER_PASSWORD: 'build-test-password',
      METRICS_TOKEN,
      JUNCTION_ADMIN_KEY: ADMIN_KEY,
      RATE_LIMIT: 'off',
    };
    server = spawn(process.execPath, ['scripts/start.mjs'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => server!.once('exit', (code) => resolve(code)));

    let healthy = false;
    for (let i = 0; i < 240 && !healthy && server.exitCode === null; i++) {
      healthy = await fetch(`${base}/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (!healthy) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.ok(healthy, `the compiled server did not come up:\n${output}`);
    assert.match(output, /junction: running the compiled build/);

    const basic = `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded', authorization: basic };
    const order = await fetch(`${base}/orders`, { method: 'POST', headers: form, body: 'order_id=build1&amount=10.00&currency=INR' });
    assert.equal(order.status, 200, await order.text());
    const txn = await fetch(`${base}/txns`, {
      method: 'POST',
      headers: form,
      body: 'order_id=build1&merchant_id=demo_merchant&payment_method_type=CARD&card_number=4111111111111111&card_exp_month=12&card_exp_year=2031&card_security_code=123&format=json',
    });
    const paid = (await txn.json()) as { status?: string };
    assert.ok(['CHARGED', 'AUTHORIZATION_FAILED', 'PENDING_VBV'].includes(String(paid.status)), JSON.stringify(paid));

    // Merchant code runs in the compiled sandbox worker (dist evaluator-worker.js).
    const dryRun = await fetch(`${base}/v1/priority-logics/dry-run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({
        logic: { kind: 'CODE', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { code: 'setGatewayPriority(["SIM_GAMMA"]);' } },
        payment: { payment_method_type: 'CARD', amount: '10.00', currency: 'INR' },
      }),
    });
    const explained = (await dryRun.json()) as { decision?: { finalGateways?: Array<{ gateway: string }> } };
    assert.equal(dryRun.status, 200, JSON.stringify(explained));
    assert.equal(explained.decision?.finalGateways?.[0]?.gateway, 'SIM_GAMMA', JSON.stringify(explained));

    assert.equal((await fetch(`${base}/metrics`)).status, 401);
    const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /^junction_payments_total\{/m);

    // The compiled admin CLI through this server's admin API.
    const listed = admin(['list-merchants', '--url', base], { JUNCTION_ADMIN_KEY: ADMIN_KEY });
    assert.equal(listed.status, 0, listed.stderr);
    assert.ok(
      (JSON.parse(listed.stdout) as { merchants: Array<{ merchant_id: string }> }).merchants.some((m) => m.merchant_id === 'demo_merchant'),
      listed.stdout,
    );

    server.kill('SIGTERM');
    assert.equal(await exited, 0, output);
  });

  test('the compiled admin CLI on a database of its own: create-merchant, then show-signing-keys', () => {
    const ownDir = mkdtempSync(join(tmpdir(), 'junction-build-admin-'));
    try {
      const env = { DATA_DIR: ownDir, LOG_LEVEL: 'silent' };
      const created = admin(['create-merchant', '--name', 'Build test', '--id', 'build_admin'], env);
      assert.equal(created.status, 0, created.stderr);
      const { webhook_hmac_key } = JSON.parse(created.stdout) as { webhook_hmac_key: string };
      const shown = admin(['show-signing-keys', '--merchant', 'build_admin'], env);
      assert.equal(shown.status, 0, shown.stderr);
      assert.equal((JSON.parse(shown.stdout) as { webhook_hmac_key: string }).webhook_hmac_key, webhook_hmac_key);
    } finally {
      rmSync(ownDir, { recursive: true, force: true });
    }
  });
});
