// Wire compatibility with Juspay's official Node client (`expresscheckout-nodejs` 1.0.0), run
// UNMODIFIED against a real Junction server.
//
// The client's quirks shape this test (see /work/shared/spec/ec-api.md):
// - it always speaks HTTPS and passes URL.host as the host name, so it only reaches a server on
//   port 443: we serve Junction with native TLS (a self-signed certificate for 127.0.0.1 made
//   here with openssl) on 127.0.0.1:443, and the client process trusts that certificate through
//   NODE_EXTRA_CA_CERTS (TLS verification stays on);
// - at load it reads name/version from ./package.json, so the client runs in a child process
//   whose working directory is a temp dir holding such a file;
// - order update builds `/orders<id>` (the app rewrites it); txns, refunds and session declare
//   JWE auth but fall back to Basic when only apiKey + merchantId are configured.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_KEY, DEMO_MERCHANT, startTestApp, type TestApp } from '../helpers/test-app.ts';

const require = createRequire(import.meta.url);
const CLIENT_ENTRY = require.resolve('expresscheckout-nodejs');
const SIM_GATEWAYS = ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA', 'SIM_DELTA'];

/** The script the child process runs: every call through the official client, results as JSON on stdout. */
const CLIENT_SCRIPT = String.raw`
'use strict';
const sdk = require(process.env.JUSPAY_CLIENT_ENTRY);
const { Juspay } = sdk;
const { APIError, InvalidRequestError, AuthenticationError, JuspayError } = Juspay.errors;

const juspay = new Juspay({ merchantId: process.env.MERCHANT_ID, apiKey: process.env.API_KEY, baseUrl: 'https://127.0.0.1' });
const run = process.env.RUN_ID;
const out = {};

function strip(value) {
  if (value && typeof value === 'object' && value.http) {
    const { http, ...rest } = value;
    return { ...rest, __status_code: http.statusCode };
  }
  return value;
}
async function call(name, fn) {
  try {
    out[name] = { ok: true, value: strip(await fn()) };
  } catch (error) {
    out[name] = {
      ok: false,
      name: error && error.name,
      message: error && error.message,
      isJuspayError: error instanceof JuspayError,
      isApiError: error instanceof APIError,
      isInvalidRequestError: error instanceof InvalidRequestError,
      isAuthenticationError: error instanceof AuthenticationError,
      status: error && error.status,
      error_code: error && error.error_code,
      error_message: error && error.error_message,
      error_info: error && error.error_info,
      raw: error && error.raw,
    };
  }
}

(async () => {
  const orderId = 'cmp' + run + 'a';
  const customerRef = 'cust' + run;

  await call('customerCreate', () => juspay.customer.create({
    object_reference_id: customerRef, mobile_number: '9999999999', mobile_country_code: '91',
    email_address: 'shopper@example.com', first_name: 'Asha', last_name: 'Rao',
  }));
  await call('customerGet', () => juspay.customer.get(customerRef, { 'options.get_client_auth_token': true }));
  await call('customerUpdate', () => juspay.customer.update(customerRef, { first_name: 'Meera', email_address: 'meera@example.com', mobile_number: '9999999999' }));
  await call('customerGetAfterUpdate', () => juspay.customer.get(customerRef));

  await call('orderCreate', () => juspay.order.create({
    order_id: orderId, amount: '100.00', currency: 'INR', customer_id: customerRef,
    customer_email: 'shopper@example.com', customer_phone: '9999999999',
    return_url: 'https://shop.example.com/return', udf1: 'first', description: 'Compat order',
    'billing_address_first_name': 'Asha', 'billing_address_city': 'Bengaluru', 'billing_address_country_code_iso': 'IND',
    'metadata.webhook_url': 'https://shop.example.com/hooks', 'options.get_client_auth_token': true,
  }));
  await call('orderStatusNew', () => juspay.order.status(orderId));
  await call('orderUpdate', () => juspay.order.update(orderId, { amount: '150.00', udf1: 'second' }));
  await call('orderStatusUpdated', () => juspay.order.status(orderId));

  await call('txn', () => juspay.payments.create({
    order_id: orderId, payment_method_type: 'CARD', payment_method: 'VISA',
    card_number: '4111111111111111', card_exp_month: '12', card_exp_year: '2031',
    name_on_card: 'Asha Rao', card_security_code: '123', redirect_after_payment: 'true',
  }));
  await call('orderStatusCharged', () => juspay.order.status(orderId));
  await call('orderUpdateAfterPayment', () => juspay.order.update(orderId, { amount: '200.00' }));

  await call('refundPartial', () => juspay.order.refund(orderId, { unique_request_id: 'rf' + run + '1', amount: '40.00' }));
  await call('refundReplay', () => juspay.order.refund(orderId, { unique_request_id: 'rf' + run + '1', amount: '40.00' }));
  await call('orderStatusRefunded', () => juspay.order.status(orderId));

  const comboId = 'cmp' + run + 'b';
  await call('txnWithOrder', () => juspay.payments.create({
    'order.order_id': comboId, 'order.amount': '75.50', 'order.currency': 'INR', 'order.customer_id': customerRef,
    payment_method_type: 'CARD', payment_method: 'MASTERCARD',
    card_number: '5555555555554444', card_exp_month: '11', card_exp_year: '2032', card_security_code: '321',
  }));
  await call('comboStatus', () => juspay.order.status(comboId));

  const sessionId = 'cmp' + run + 'c';
  await call('session', () => juspay.orderSession.create({
    order_id: sessionId, amount: '10.00', customer_id: customerRef, payment_page_client_id: 'shop',
    action: 'paymentPage', return_url: 'https://shop.example.com/return',
  }));
  await call('sessionOrderStatus', () => juspay.order.status(sessionId));

  await call('unknownOrder', () => juspay.order.status('nosuchorder' + run));
  await call('refundUnknownOrder', () => juspay.order.refund('nosuchorder' + run, { unique_request_id: 'rf' + run + '9' }));
  await call('badOrderCreate', () => juspay.order.create({ order_id: 'cmp' + run + 'd', amount: '1.234' }));
  await call('badKey', () => juspay.order.status(orderId, undefined, { apiKey: 'not_a_real_key' }));

  process.stdout.write(JSON.stringify(out));
})().catch((error) => {
  process.stderr.write(String(error && error.stack || error));
  process.exit(1);
});
`;

/** The same client configured for encrypted requests (jweAuth): txns, order status, refunds and session go to /v4 as JWE + JWS. */
const JWE_CLIENT_SCRIPT = String.raw`
'use strict';
const { Juspay } = require(process.env.JUSPAY_CLIENT_ENTRY);
const juspay = new Juspay({
  merchantId: process.env.MERCHANT_ID, apiKey: process.env.API_KEY, baseUrl: 'https://127.0.0.1',
  jweAuth: { keyId: process.env.JWE_KEY_ID, publicKey: process.env.JWE_PUBLIC_KEY, privateKey: process.env.JWE_PRIVATE_KEY },
});
const out = {};
async function call(name, fn) {
  try {
    const value = await fn();
    const { http, ...rest } = value || {};
    out[name] = { ok: true, value: { ...rest, __status_code: http && http.statusCode, __path: http && http.url } };
  } catch (error) {
    out[name] = { ok: false, name: error && error.name, message: error && error.message, raw: error && error.raw };
  }
}
(async () => {
  const orderId = 'jwe' + process.env.RUN_ID;
  await call('orderCreate', () => juspay.order.create({ order_id: orderId, amount: '60.00', currency: 'INR' }));
  await call('txn', () => juspay.payments.create({ order_id: orderId, payment_method_type: 'CARD', card_number: '4111111111111111', card_exp_month: '12', card_exp_year: '2031', card_security_code: '123' }));
  await call('status', () => juspay.order.status(orderId));
  await call('refund', () => juspay.order.refund(orderId, { unique_request_id: 'jwerf' + process.env.RUN_ID, amount: '10.00' }));
  await call('session', () => juspay.orderSession.create({ order_id: orderId + 's', amount: '5.00', payment_page_client_id: 'shop' }));
  await call('unknownOrder', () => juspay.order.status('nosuch' + process.env.RUN_ID));
  process.stdout.write(JSON.stringify(out));
})().catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });
`;

interface CallResult {
  ok: boolean;
  value?: Record<string, any>;
  name?: string;
  message?: string;
  isJuspayError?: boolean;
  isApiError?: boolean;
  isInvalidRequestError?: boolean;
  isAuthenticationError?: boolean;
  status?: string;
  error_code?: string;
  error_message?: string;
  error_info?: Record<string, any>;
  raw?: Record<string, any>;
}

let junction: TestApp | undefined;
let dir = '';
let results: Record<string, CallResult> = {};
let jweResults: Record<string, CallResult> = {};
let jweKeyId = '';
const runId = Date.now().toString(36).slice(-6);

function makeCertificate(where: string): { certFile: string; keyFile: string } {
  const certFile = join(where, 'cert.pem');
  const keyFile = join(where, 'key.pem');
  execFileSync(
    '/usr/bin/openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    ],
    { stdio: 'pipe' },
  );
  return { certFile, keyFile };
}

function runClient(env: NodeJS.ProcessEnv, cwd: string, script = 'client.cjs'): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(cwd, script)], { cwd, env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`client process failed: ${error.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

function ok(name: string): Record<string, any> {
  const result = results[name];
  assert.ok(result, `no result for ${name}`);
  assert.equal(result.ok, true, `${name} failed: ${JSON.stringify(result)}`);
  return result.value!;
}

function failed(name: string): CallResult {
  const result = results[name];
  assert.ok(result, `no result for ${name}`);
  assert.equal(result.ok, false, `${name} unexpectedly succeeded: ${JSON.stringify(result.value)}`);
  return result;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'junction-compat-'));
  const { certFile, keyFile } = makeCertificate(dir);
  junction = await startTestApp({ tlsCertFile: certFile, tlsKeyFile: keyFile, publicBaseUrl: 'https://127.0.0.1' }, { engine: 'pglite' });
  for (const gateway of SIM_GATEWAYS) {
    const patched = junction.simulator.forMerchant(DEMO_MERCHANT).patchProfile(gateway, {
      baseSuccessRate: 1,
      latency: { fixedMs: 0, jitterMs: 0 },
      pendingProbability: 0,
      outages: [],
    });
    assert.ok(patched?.ok, `could not patch the ${gateway} simulator profile: ${JSON.stringify(patched)}`);
  }
  try {
    await junction.app.listen({ port: 443, host: '127.0.0.1' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      `Cannot listen on 127.0.0.1:443 (${code ?? String(error)}). The official Juspay Node client only reaches HTTPS on port 443: ` +
        'free the port (or run the test as root / with CAP_NET_BIND_SERVICE) and run again.',
    );
  }

  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'junction-compat-merchant', version: '1.0.0', private: true }));
  writeFileSync(join(dir, 'client.cjs'), CLIENT_SCRIPT);
  const { stdout } = await runClient(
    {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      NODE_EXTRA_CA_CERTS: certFile,
      JUSPAY_CLIENT_ENTRY: CLIENT_ENTRY,
      MERCHANT_ID: DEMO_MERCHANT,
      API_KEY: DEMO_KEY,
      RUN_ID: runId,
    },
    dir,
  );
  results = JSON.parse(stdout) as Record<string, CallResult>;
  // COMPAT_DUMP=<file> keeps every answer the client got, for looking at the wire shapes.
  if (process.env.COMPAT_DUMP) writeFileSync(process.env.COMPAT_DUMP, JSON.stringify(results, null, 2));

  // Encrypted mode: the merchant registers its public key and configures our public key and the key id.
  const merchantPair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const registered = await junction!.app.inject({
    method: 'POST',
    url: `/admin/v1/merchants/${DEMO_MERCHANT}/jwt-keys`,
    headers: { authorization: 'Bearer test-admin-key', 'content-type': 'application/json' },
    payload: { merchant_public_key: merchantPair.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
  });
  assert.equal(registered.statusCode, 201, registered.body);
  const { key_id, junction_public_key } = registered.json() as { key_id: string; junction_public_key: string };
  jweKeyId = key_id;
  writeFileSync(join(dir, 'client-jwe.cjs'), JWE_CLIENT_SCRIPT);
  const jwe = await runClient(
    {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      NODE_EXTRA_CA_CERTS: certFile,
      JUSPAY_CLIENT_ENTRY: CLIENT_ENTRY,
      MERCHANT_ID: DEMO_MERCHANT,
      API_KEY: DEMO_KEY,
      RUN_ID: runId,
      JWE_KEY_ID: key_id,
      JWE_PUBLIC_KEY: junction_public_key,
      JWE_PRIVATE_KEY: merchantPair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
    dir,
    'client-jwe.cjs',
  );
  jweResults = JSON.parse(jwe.stdout) as Record<string, CallResult>;
});

after(async () => {
  await junction?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('customer create / get / update through the official client', () => {
  const created = ok('customerCreate');
  assert.equal(created.object_reference_id, `cust${runId}`);
  assert.equal(String(created.mobile_number), '9999999999');
  assert.equal(created.first_name, 'Asha');
  assert.equal(created.email_address, 'shopper@example.com');
  assert.equal(typeof created.id, 'string');

  const got = ok('customerGet');
  assert.equal(got.id, created.id);
  // The client sends options.get_client_auth_token as a query parameter on GET.
  assert.match(String(got.juspay?.client_auth_token), /^tkn_/);
  assert.equal(got.object_reference_id, `cust${runId}`);
  assert.equal(got.last_name, 'Rao');

  const updated = ok('customerUpdate');
  assert.equal(updated.first_name, 'Meera');
  assert.equal(updated.email_address, 'meera@example.com');
  const again = ok('customerGetAfterUpdate');
  assert.equal(again.first_name, 'Meera');
  assert.equal(again.last_name, 'Rao');
});

test('order create, status and update (before payment) through the official client', () => {
  const created = ok('orderCreate');
  assert.equal(created.__status_code, 200);
  assert.equal(created.order_id, `cmp${runId}a`);
  assert.equal(created.status, 'NEW');
  assert.equal(created.status_id, 10);
  assert.match(String(created.id), /^ordeh_/);
  assert.ok(created.payment_links?.web, 'payment_links.web');
  assert.match(String(created.juspay?.client_auth_token), /^tkn_/, 'options.get_client_auth_token');

  const status = ok('orderStatusNew');
  assert.equal(status.description, 'Compat order');
  assert.equal(status.billing_address?.city, 'Bengaluru');
  assert.equal(status.metadata?.webhook_url, 'https://shop.example.com/hooks');
  assert.equal(status.order_id, `cmp${runId}a`);
  assert.equal(status.status, 'NEW');
  assert.equal(Number(status.amount), 100);
  assert.equal(status.merchant_id, DEMO_MERCHANT);
  assert.equal(status.udf1, 'first');

  // The client posts to "/orders<id>" (no slash); the service answers it.
  const updated = ok('orderUpdate');
  assert.equal(updated.order_id, `cmp${runId}a`);
  assert.equal(Number(updated.amount), 150);
  const after = ok('orderStatusUpdated');
  assert.equal(Number(after.amount), 150);
  assert.equal(after.udf1, 'second');
});

test('card payment (txns) with Basic fallback auth charges the order', () => {
  const txn = ok('txn');
  assert.equal(txn.order_id, `cmp${runId}a`);
  assert.equal(txn.txn_id, `${DEMO_MERCHANT}-cmp${runId}a-1`);
  assert.equal(typeof txn.txn_uuid, 'string');
  assert.equal(txn.status, 'CHARGED');

  const status = ok('orderStatusCharged');
  assert.equal(status.status, 'CHARGED');
  assert.equal(status.status_id, 21);
  assert.equal(status.txn_id, `${DEMO_MERCHANT}-cmp${runId}a-1`);
  assert.equal(status.payment_method_type, 'CARD');
  assert.equal(status.card?.last_four_digits, '1111');
  assert.equal(status.txn_detail?.status, 'CHARGED');

  // An update after the payment started is refused, as a client error.
  const refused = failed('orderUpdateAfterPayment');
  assert.equal(refused.isInvalidRequestError, true, JSON.stringify(refused));
});

test('order.* fields on /txns create the order and pay it in one call', () => {
  const txn = ok('txnWithOrder');
  assert.equal(txn.order_id, `cmp${runId}b`);
  assert.equal(txn.status, 'CHARGED');
  const status = ok('comboStatus');
  assert.equal(status.status, 'CHARGED');
  assert.equal(Number(status.amount), 75.5);
  assert.equal(status.card?.last_four_digits, '4444');
});

test('refund through the official client, idempotent on unique_request_id', () => {
  const refund = ok('refundPartial');
  assert.equal(refund.order_id, `cmp${runId}a`);
  assert.equal(refund.refunded, false);
  assert.equal(Number(refund.amount_refunded), 40);
  assert.ok(Array.isArray(refund.refunds));
  assert.equal(refund.refunds.length, 1);
  assert.equal(refund.refunds[0].unique_request_id, `rf${runId}1`);
  assert.equal(Number(refund.refunds[0].amount), 40);
  assert.equal(refund.refunds[0].initiated_by, 'API');
  assert.equal(refund.refunds[0].sent_to_gateway, true);
  assert.ok(['PENDING', 'SUCCESS'].includes(refund.refunds[0].status), refund.refunds[0].status);

  const replay = ok('refundReplay');
  assert.equal(replay.refunds.length, 1, 'the same unique_request_id never refunds twice');
  assert.equal(Number(replay.amount_refunded), 40);
  const status = ok('orderStatusRefunded');
  assert.equal(status.refunds.length, 1);
  assert.equal(Number(status.amount_refunded), 40);
});

test('order session through the official client (JSON body)', () => {
  const session = ok('session');
  assert.equal(session.order_id, `cmp${runId}c`);
  assert.equal(session.status, 'NEW');
  assert.ok(session.payment_links?.web, 'payment_links.web');
  assert.ok(session.sdk_payload, 'sdk_payload');
  const status = ok('sessionOrderStatus');
  assert.equal(status.status, 'NEW');
  assert.equal(Number(status.amount), 10);
});

test('errors surface as the client error classes with our error body', () => {
  const unknown = failed('unknownOrder');
  assert.equal(unknown.name, 'InvalidRequestError');
  assert.equal(unknown.isInvalidRequestError, true);
  assert.equal(unknown.isApiError, true);
  assert.equal(unknown.isJuspayError, true);
  assert.equal(unknown.status, 'NOT_FOUND');
  assert.equal(unknown.raw?.status_id, 40);
  assert.equal(unknown.error_info?.code, 'RESOURCE_NOT_FOUND');
  assert.equal(unknown.error_info?.category, 'USER_ERROR');
  assert.match(String(unknown.error_info?.request_id), /^req_/);

  const refund = failed('refundUnknownOrder');
  assert.equal(refund.isInvalidRequestError, true, JSON.stringify(refund));
  assert.equal(typeof refund.error_message, 'string');
  assert.equal(refund.error_info?.category, 'USER_ERROR');

  const bad = failed('badOrderCreate');
  assert.equal(bad.isInvalidRequestError, true, JSON.stringify(bad));
  assert.equal(bad.error_code, 'invalid_request_error');
  assert.equal(bad.error_info?.code, 'INVALID_INPUT');
  assert.ok(Array.isArray(bad.error_info?.fields) && bad.error_info.fields.some((f: { field_name: string }) => f.field_name === 'amount'), JSON.stringify(bad.error_info));

  const badKey = failed('badKey');
  assert.equal(badKey.isAuthenticationError, true, JSON.stringify(badKey));
  assert.equal(badKey.error_info?.code, 'UNAUTHENTICATED');
});

test('encrypted requests (jweAuth): txns, order status, refunds and session go through /v4 as JWE + JWS', async () => {
  const okJwe = (name: string): Record<string, any> => {
    const r = jweResults[name];
    assert.ok(r?.ok, `${name} failed: ${JSON.stringify(r)}`);
    return r!.value!;
  };
  assert.equal(okJwe('orderCreate').status, 'NEW');
  const txn = okJwe('txn');
  assert.equal(txn.status, 'CHARGED');
  assert.equal(txn.txn_id, `${DEMO_MERCHANT}-jwe${runId}-1`);
  const status = okJwe('status');
  assert.equal(status.status, 'CHARGED');
  assert.equal(status.order_id, `jwe${runId}`);
  const refund = okJwe('refund');
  assert.equal(refund.refunds?.[0]?.status, 'SUCCESS');
  assert.equal(Number(refund.refunds?.[0]?.amount), 10);
  assert.ok(okJwe('session').sdk_payload, 'session answered through /v4/session');
  // An unknown order is an error, answered in clear as the client expects.
  assert.equal(jweResults.unknownOrder?.ok, false);
  assert.equal(jweResults.unknownOrder?.name, 'InvalidRequestError');
  // The traffic really was encrypted: a plain body to /v4 is refused, and a revoked key stops working.
  const plain = await junction!.app.inject({ method: 'POST', url: '/v4/order-status', headers: { 'content-type': 'application/json' }, payload: { order_id: `jwe${runId}` } });
  assert.equal(plain.statusCode, 400);
  const revoke = await junction!.app.inject({ method: 'DELETE', url: `/admin/v1/merchants/${DEMO_MERCHANT}/jwt-keys/${jweKeyId}`, headers: { authorization: 'Bearer test-admin-key' } });
  assert.equal(revoke.statusCode, 200);
  assert.ok(revoke.json().revoked_at);
});
