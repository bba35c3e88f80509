// Shared helpers of the dashboard data API tests: calls with a demo user's token (or the API
// key), payments of known shapes, and moving attempts back in time so the rollup has closed
// hours to work on.
import assert from 'node:assert/strict';
import { DEMO_USER_TOKENS, type TestApp } from '../helpers/test-app.ts';
import { createOrderOk, payByCard, post } from '../helpers/api-helpers.ts';

export type Who = { token: string } | { basic: string } | { none: true };
export const ADMIN: Who = { token: DEMO_USER_TOKENS.admin };
export const EDITOR: Who = { token: DEMO_USER_TOKENS.editor };
export const APPROVER: Who = { token: DEMO_USER_TOKENS.approver };
export const VIEWER: Who = { token: DEMO_USER_TOKENS.viewer };

export interface Res {
  status: number;
  json: any;
  body: string;
}

export async function dash(j: TestApp, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, who: Who = VIEWER): Promise<Res> {
  const headers: Record<string, string> = {};
  if ('token' in who) headers.authorization = `Bearer ${who.token}`;
  else if ('basic' in who) headers.authorization = who.basic;
  let payload: string | undefined;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const r = await j.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
  let json: any = {};
  try {
    json = JSON.parse(r.body);
  } catch {
    json = {};
  }
  return { status: r.statusCode, json, body: r.body };
}

export async function dashOk(j: TestApp, url: string, who: Who = VIEWER): Promise<any> {
  const r = await dash(j, 'GET', url, undefined, who);
  assert.equal(r.status, 200, `${url}: ${r.body}`);
  return r.json;
}

/** Asserts a 4xx error body that names `field` (and has the given code, when given). */
export function assertFieldError(r: Res, status: number, field: string, code?: string): void {
  assert.equal(r.status, status, r.body);
  if (code) assert.equal(r.json.error_info?.code, code, r.body);
  const names = ((r.json.error_info?.fields ?? []) as Array<{ field_name: string }>).map((f) => f.field_name);
  assert.ok(names.includes(field), `expected the error to name ${field}, got ${JSON.stringify(names)}: ${r.body}`);
}

export function assertNoAccess(r: Res): void {
  assert.equal(r.status, 403, r.body);
  assert.equal(r.json.error_info?.code, 'UNAUTHORIZED', r.body);
  assert.equal(r.json.error_message, 'You do not have access', r.body);
}

export const MASTERCARD = { card_number: '5555555555554444', card_security_code: '846', card_exp_month: '07', card_exp_year: '2032' };

export async function payCard(j: TestApp, orderFields: Record<string, string> = {}, cardFields: Record<string, string> = {}, auth?: string): Promise<{ orderId: string; status: string }> {
  const orderId = await createOrderOk(j, orderFields);
  const r = await payByCard(j, orderId, cardFields, auth ? { auth } : {});
  assert.equal(r.status, 200, r.body);
  return { orderId, status: r.json.status };
}

export async function payWallet(j: TestApp, orderFields: Record<string, string> = {}): Promise<{ orderId: string; status: string }> {
  const orderId = await createOrderOk(j, orderFields);
  const r = await post(j, '/txns', { order_id: orderId, payment_method_type: 'WALLET', payment_method: 'PAYTM', direct_wallet_token: 'wtok_1' }, { asForm: true });
  assert.equal(r.status, 200, r.body);
  return { orderId, status: r.json.status };
}

/** Moves a merchant's attempts (created and updated) back by `ms`, as if they had happened then. */
export async function backdate(j: TestApp, ms: number, where = 'TRUE', params: Array<string | number> = []): Promise<void> {
  await j.db.query(
    `UPDATE txns SET created_at = created_at - make_interval(secs => $1::float8), updated_at = updated_at - make_interval(secs => $1::float8) WHERE ${where.replace(/\$(\d+)/g, (_, n) => `$${Number(n) + 1}`)}`,
    [ms / 1000, ...params],
  );
}

/** An analytics answer without the field that says where it was read from (to compare the live path and the rollup). */
export function figures(answer: any): any {
  const { rolled_up_until: _ignored, ...rest } = answer;
  return rest;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
