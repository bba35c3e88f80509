// Shared helpers of the API test suite (test/api): requests through app.inject, deterministic
// simulator profiles, and the common payment flows.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { baselineProfile, type SimulatorProfile } from '../../src/connectors/simulator/simulator-profile.ts';
import { SIMULATED_GATEWAYS } from '../../src/core/gateways.ts';
import { DEMO_MERCHANT, FORM, VISA_OK, form, type TestApp } from './test-app.ts';

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json: Record<string, any>;
}

export interface RequestOptions {
  /** Authorization header; defaults to the demo merchant's key. null sends none. */
  auth?: string | null;
  headers?: Record<string, string>;
  /** Send the body form-encoded (the EC API default) instead of JSON. */
  asForm?: boolean;
}

function parse(body: string): Record<string, any> {
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object' ? (value as Record<string, any>) : {};
  } catch {
    return {};
  }
}

export function basicAuth(apiKey: string): string {
  return `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;
}

export async function call(j: TestApp, method: 'GET' | 'POST', url: string, payload?: Record<string, string | number | boolean> | string, options: RequestOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  const auth = options.auth === undefined ? j.basic : options.auth;
  if (auth !== null) headers.authorization = auth;
  let body: string | undefined;
  if (typeof payload === 'string') {
    body = payload;
  } else if (payload !== undefined) {
    if (options.asForm) {
      Object.assign(headers, FORM);
      body = form(payload);
    } else {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(payload);
    }
  }
  const response = await j.app.inject({ method, url, headers, ...(body !== undefined ? { payload: body } : {}) });
  return { status: response.statusCode, headers: response.headers, body: response.body, json: parse(response.body) };
}

export const post = (j: TestApp, url: string, payload?: Record<string, string | number | boolean> | string, options?: RequestOptions) => call(j, 'POST', url, payload, options);
export const get = (j: TestApp, url: string, options?: RequestOptions) => call(j, 'GET', url, undefined, options);

let counter = 0;
/** A fresh order id (alphanumeric, under 21 characters), unique per process run. */
export function newOrderId(prefix = 'o'): string {
  counter++;
  return `${prefix}${randomBytes(4).toString('hex')}${counter}`.slice(0, 20);
}

/**
 * Makes every simulated gateway of a merchant (the demo merchant unless named) deterministic: no
 * latency, no pending, the given success rate and failure mix, no overrides or outages. Each
 * merchant has its own simulated gateways.
 */
export function setAllGateways(j: TestApp, patch: Partial<SimulatorProfile> = {}, merchantId = DEMO_MERCHANT): void {
  for (const gateway of SIMULATED_GATEWAYS) setGateway(j, gateway, patch, merchantId);
}

export function setGateway(j: TestApp, gateway: string, patch: Partial<SimulatorProfile> = {}, merchantId = DEMO_MERCHANT): void {
  const current = j.simulator.forMerchant(merchantId).getProfile(gateway);
  const profile: SimulatorProfile = {
    ...baselineProfile(current?.seed ?? 1),
    baseSuccessRate: 1,
    pendingProbability: 0,
    latency: { fixedMs: 0, jitterMs: 0 },
    settleAfterMs: 60_000,
    ...patch,
  };
  const result = j.simulator.forMerchant(merchantId).setProfile(gateway, profile);
  assert.ok(result.ok, `simulator profile for ${gateway} rejected: ${JSON.stringify(result)}`);
}

/** Every payment on every simulated gateway is declined (hard decline). */
export function declineAll(j: TestApp): void {
  setAllGateways(j, { baseSuccessRate: 0, failureMix: { HARD_DECLINE: 1, SOFT_DECLINE: 0, TECHNICAL_ERROR: 0, TIMEOUT: 0 } });
}

/** Every payment times out without an answer; `charged` says whether the gateway really charged. */
export function timeoutAll(j: TestApp, charged: boolean): void {
  setAllGateways(j, { baseSuccessRate: 0, failureMix: { HARD_DECLINE: 0, SOFT_DECLINE: 0, TECHNICAL_ERROR: 0, TIMEOUT: 1 }, timeoutChargedProbability: charged ? 1 : 0 });
}

export async function createOrder(j: TestApp, fields: Record<string, string | number | boolean> = {}, options: RequestOptions = {}): Promise<ApiResponse & { orderId: string }> {
  const orderId = typeof fields.order_id === 'string' ? fields.order_id : newOrderId();
  const response = await post(j, '/orders', { order_id: orderId, amount: '100.00', currency: 'INR', ...fields }, { asForm: true, ...options });
  return { ...response, orderId };
}

export async function createOrderOk(j: TestApp, fields: Record<string, string | number | boolean> = {}): Promise<string> {
  const response = await createOrder(j, fields);
  assert.equal(response.status, 200, `order create failed: ${response.body}`);
  return response.orderId;
}

export async function payByCard(j: TestApp, orderId: string, fields: Record<string, string | number | boolean> = {}, options: RequestOptions = {}): Promise<ApiResponse> {
  return post(j, '/txns', { order_id: orderId, merchant_id: 'demo_merchant', ...VISA_OK, format: 'json', ...fields }, { asForm: true, ...options });
}

export async function orderStatus(j: TestApp, orderId: string, options: RequestOptions = {}): Promise<ApiResponse> {
  return get(j, `/orders/${encodeURIComponent(orderId)}`, options);
}

export async function countRows(j: TestApp, table: string, where = 'TRUE', params: Array<string | number> = []): Promise<number> {
  const rows = await j.db.query<{ n: number | string }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
  return Number(rows[0]?.n ?? 0);
}

export async function orderRows(j: TestApp, orderId: string, merchantId = 'demo_merchant'): Promise<number> {
  return countRows(j, 'orders', 'merchant_id = $1 AND order_id = $2', [merchantId, orderId]);
}

/** Every table of the current schema, dumped as text (for "the PAN is nowhere" checks). */
export async function dumpDatabase(j: TestApp): Promise<string> {
  const tables = await j.db.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name");
  assert.ok(tables.length >= 5, `expected the schema's tables, got ${tables.map((t) => t.table_name).join(',')}`);
  let text = '';
  for (const { table_name } of tables) {
    const rows = await j.db.query(`SELECT * FROM "${table_name}"`);
    text += `\n== ${table_name}\n${JSON.stringify(rows)}`;
  }
  return text;
}

/** Asserts an API error body in the spec's shape, and returns it. */
export function assertApiError(response: ApiResponse, status: number, expected: { code?: string; field?: string; category?: string } = {}): Record<string, any> {
  assert.equal(response.status, status, `expected HTTP ${status}, got ${response.status}: ${response.body}`);
  const body = response.json;
  assert.equal(typeof body.status, 'string', 'error body has a status');
  assert.equal(typeof body.error_code, 'string', 'error body has an error_code');
  assert.equal(typeof body.error_message, 'string', 'error body has an error_message');
  assert.equal(typeof body.error_info, 'object', 'error body has error_info');
  assert.equal(typeof body.error_info.code, 'string');
  assert.equal(typeof body.error_info.category, 'string');
  assert.ok(typeof body.error_info.request_id === 'string' && body.error_info.request_id.length > 0, 'error_info.request_id is set');
  assert.ok(Array.isArray(body.error_info.fields), 'error_info.fields is a list');
  if (expected.code) assert.equal(body.error_info.code, expected.code, `error code: ${response.body}`);
  if (expected.category) assert.equal(body.error_info.category, expected.category);
  if (expected.field) {
    const names = (body.error_info.fields as Array<{ field_name: string; reason: string }>).map((f) => f.field_name);
    assert.ok(names.includes(expected.field), `expected the error to name ${expected.field}, got ${JSON.stringify(names)}: ${response.body}`);
    for (const f of body.error_info.fields as Array<{ field_name: string; reason: string }>) assert.equal(typeof f.reason, 'string');
  }
  return body;
}

/** Waits until `check` returns true (polling); fails after `ms`. */
export async function waitFor(check: () => Promise<boolean> | boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Creates a second merchant with its own key and one SIM_ALPHA account. */
export async function createSecondMerchant(j: TestApp, id = `m2_${randomBytes(3).toString('hex')}`): Promise<{ merchantId: string; apiKey: string; auth: string }> {
  const created = await j.merchants.createMerchant({ id, name: 'Second merchant' });
  const extra = await j.merchants.createApiKey(id, 'tests');
  await j.merchants.createGatewayAccount(id, {
    gateway: 'SIM_ALPHA',
    credentials: { api_key: `sim_${randomBytes(8).toString('hex')}`, webhook_secret: `whsec_${randomBytes(8).toString('hex')}` },
    paymentMethodTypes: ['CARD', 'NB', 'UPI', 'WALLET'],
    currencies: [],
    enabled: true,
    priority: 10,
  });
  assert.ok(created.apiKey);
  // Its own simulated gateways, as deterministic as the demo merchant's in the tests.
  setAllGateways(j, {}, id);
  return { merchantId: id, apiKey: extra.key, auth: basicAuth(extra.key) };
}

/**
 * A merchant whose only gateway is one real connector's account (saved through the admin API, so its
 * credentials are checked), with helpers to create an order, pay it by card and read its status.
 */
export async function singleGatewayMerchant(j: TestApp, gateway: string, credentials: Record<string, string>, defaults: { amount: string; currency: string; card: string }) {
  const merchantId = `${gateway.toLowerCase()}_${randomBytes(3).toString('hex')}`;
  await j.merchants.createMerchant({ id: merchantId, name: `${gateway}-only merchant` });
  const auth = basicAuth((await j.merchants.createApiKey(merchantId, 'tests')).key);
  const account = await post(j, `/admin/v1/merchants/${merchantId}/gateway-accounts`, { gateway, credentials, priority: 10 } as never, { auth: 'Bearer test-admin-key' });
  assert.equal(account.status, 201, account.body);
  let counter = 0;
  const order = async (fields: Record<string, string> = {}): Promise<string> => {
    const orderId = `${gateway.slice(0, 2).toLowerCase()}${Date.now().toString(36)}${++counter}`;
    const created = await post(j, '/orders', { order_id: orderId, amount: defaults.amount, currency: defaults.currency, ...fields }, { asForm: true, auth });
    assert.equal(created.status, 200, created.body);
    return orderId;
  };
  const pay = (orderId: string, fields: Record<string, string> = {}) =>
    post(
      j,
      '/txns',
      { order_id: orderId, merchant_id: merchantId, payment_method_type: 'CARD', card_number: defaults.card, card_exp_month: '12', card_exp_year: '2031', card_security_code: '123', ...fields },
      { asForm: true, auth },
    );
  const status = (orderId: string, query = '') => get(j, `/orders/${orderId}${query}`, { auth });
  const gatewayTxnId = async (orderId: string) => (await status(orderId)).json.payment_gateway_response.epg_txn_id as string;
  return { merchantId, auth, accountId: account.json.id as string, order, pay, status, gatewayTxnId };
}
